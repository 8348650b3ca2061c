import { act, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Change } from '../src/api/changes';
import type { LiveHealth, LiveStream } from '../src/api/live';
import { formatBitrate, healthLine } from '../src/liveFormat';
import { LiveHealthView } from '../src/components/LiveStatus';
import { infoRoute, listOf, mockApi, type Reply } from './mockApi';
import { stubEventSource, stubWailsEvents } from './mockChanges';

const steady: LiveHealth = { live: true, bitrate_bps: 4_200_000, frame_rate: 25, dropped_frames: 0, timestamp_gaps: 0 };

describe('live health line', () => {
  it('says bitrate, frame rate and drops as an editor reads them', () => {
    expect(healthLine(steady)).toBe('4.2 Mb/s · 25 fps · 0 dropped');
    expect(healthLine({ ...steady, bitrate_bps: 850_000, frame_rate: 29.97, dropped_frames: 3 })).toBe('850 kb/s · 30 fps · 3 dropped');
    expect(healthLine({ ...steady, frame_rate: 23.976 })).toBe('4.2 Mb/s · 24 fps · 0 dropped');
  });

  it('adds timestamp gaps only when there were some', () => {
    expect(healthLine({ ...steady, timestamp_gaps: 1 })).toBe('4.2 Mb/s · 25 fps · 0 dropped · 1 gap');
    expect(healthLine({ ...steady, timestamp_gaps: 4 })).toBe('4.2 Mb/s · 25 fps · 0 dropped · 4 gaps');
  });

  it('says audio only instead of 0 fps when the encoder sends no video', () => {
    expect(healthLine({ live: true, audio_only: true, bitrate_bps: 96_000, frame_rate: 0, dropped_frames: 0, timestamp_gaps: 0 })).toBe(
      '96 kb/s · audio only · 0 dropped',
    );
  });

  it('says it is measuring instead of showing zeros before the first whole second', () => {
    expect(healthLine({ live: true, measuring: true, bitrate_bps: 0, frame_rate: 0, dropped_frames: 0, timestamp_gaps: 0 })).toBe(
      'Measuring the stream…',
    );
  });

  it('shows nonsense from the server as zero', () => {
    const bad = { live: true, bitrate_bps: -5, frame_rate: Number.NaN, dropped_frames: -1, timestamp_gaps: Infinity } as LiveHealth;
    expect(healthLine(bad)).toBe('0 kb/s · 0 fps · 0 dropped');
    expect(formatBitrate(Number.POSITIVE_INFINITY)).toBe('0 kb/s');
  });

  it('renders the line and the preview on the card', () => {
    const { getByTestId, queryByTestId, rerender } = render(<LiveHealthView health={steady} />);
    expect(getByTestId('live-health').textContent).toBe('4.2 Mb/s · 25 fps · 0 dropped');
    expect(queryByTestId('live-preview')).toBeNull();
    rerender(<LiveHealthView health={{ ...steady, preview_url: '/ui/v1/live-streams/s1/preview.jpg?at=1' }} />);
    expect(getByTestId('live-preview').getAttribute('src')).toBe('/ui/v1/live-streams/s1/preview.jpg?at=1');
  });
});

// ---- the card, with health pushed on the change feed ----

const onAir: LiveStream = {
  id: 'ls1',
  created_at: '1764000000',
  stream_key: '3f1c9a0e7d2b44c5a8e6f0b1c2d3e4f5',
  status: 'active',
  reconnect_window: 60,
  new_asset_settings: { master_access: 'none', max_resolution_tier: '1080p' },
  recent_asset_ids: ['rec1'],
  passthrough: 'Studio B',
  rtmp_url: 'rtmp://127.0.0.1:1935/app',
  connected: true,
  active_asset_id: 'rec1',
  recording_started_at: String(Math.floor(Date.now() / 1000) - 5),
  recording_seconds: 5,
};

const HEALTH_PATH = '/ui/v1/live-streams/ls1/health';

/** The server: one stream on air; the health GET answers with `first` (or waits for the test). */
function backend(first: LiveHealth | (() => Promise<Reply>)) {
  return mockApi({
    ...infoRoute,
    'GET /video/v1/assets': listOf([]),
    'GET /video/v1/live-streams': { body: { data: [onAir] } },
    [`GET ${HEALTH_PATH}`]: typeof first === 'function' ? first : { body: { data: first } },
  });
}

const pushed = (health: LiveHealth, id = 'ls1'): Change => ({
  kind: 'health',
  type: 'reelvault.live.health',
  object_type: 'live',
  object_id: id,
  health,
});

async function openLiveCard() {
  window.location.hash = '#/live';
  render(<App />);
  return screen.findByTestId('live-stream');
}

const lineOf = (card: HTMLElement) => within(card).queryByTestId('live-health')?.textContent;

describe('live health on the card', () => {
  // Only the health poll's interval is faked: the page's own timers and waitFor run as usual.
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }));
  afterEach(() => vi.useRealTimers());

  it('paints the first reading from the server, then follows the pushed health without asking again', async () => {
    const stream = stubEventSource();
    const api = backend({ live: true, measuring: true, bitrate_bps: 0, frame_rate: 0, dropped_frames: 0, timestamp_gaps: 0 });
    const card = await openLiveCard();
    await waitFor(() => expect(lineOf(card)).toBe('Measuring the stream…'));
    act(() => stream.latest().open());

    act(() => stream.latest().send(pushed({ ...steady, frame_rate: 30, preview_url: '/ui/v1/live-streams/ls1/preview.jpg?at=1' })));
    await waitFor(() => expect(lineOf(card)).toBe('4.2 Mb/s · 30 fps · 0 dropped'));
    expect(within(card).getByTestId('live-preview').getAttribute('src')).toBe('/ui/v1/live-streams/ls1/preview.jpg?at=1');

    act(() => stream.latest().send(pushed({ ...steady, frame_rate: 12 }, 'other-stream')));
    act(() => stream.latest().send(pushed({ ...steady, bitrate_bps: 3_100_000, frame_rate: 29.97, timestamp_gaps: 1 })));
    await waitFor(() => expect(lineOf(card)).toBe('3.1 Mb/s · 30 fps · 0 dropped · 1 gap'));

    // A minute of pushes later, the card has asked only for the first paint and once as the feed opened.
    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(api.callsTo('GET', HEALTH_PATH)).toHaveLength(2);

    // The encoder left: the last push says so and the line goes.
    act(() => stream.latest().send(pushed({ live: false, bitrate_bps: 0, frame_rate: 0, dropped_frames: 0, timestamp_gaps: 0 })));
    await waitFor(() => expect(lineOf(card)).toBeUndefined());
  });

  it('keeps a pushed reading when the first answer comes after it', async () => {
    const stream = stubEventSource();
    let answer!: (reply: Reply) => void;
    backend(() => new Promise<Reply>((resolve) => (answer = resolve)));
    const card = await openLiveCard();
    act(() => stream.latest().open());
    await waitFor(() => expect(answer).toBeTypeOf('function'));
    act(() => stream.latest().send(pushed({ ...steady, frame_rate: 30 })));
    await waitFor(() => expect(lineOf(card)).toBe('4.2 Mb/s · 30 fps · 0 dropped'));
    await act(async () => answer({ body: { data: { ...steady, bitrate_bps: 100_000, frame_rate: 50 } } }));
    expect(lineOf(card)).toBe('4.2 Mb/s · 30 fps · 0 dropped');
  });

  it('asks every 2 s while nothing is pushed, and stops once the feed is live', async () => {
    const stream = stubEventSource(); // left connecting: no pushes yet
    const api = backend(steady);
    const card = await openLiveCard();
    await waitFor(() => expect(lineOf(card)).toBe('4.2 Mb/s · 25 fps · 0 dropped'));
    act(() => {
      vi.advanceTimersByTime(4_000);
    });
    await waitFor(() => expect(api.callsTo('GET', HEALTH_PATH)).toHaveLength(3));

    act(() => stream.latest().open());
    await waitFor(() => expect(api.callsTo('GET', HEALTH_PATH)).toHaveLength(4)); // one catch-up as pushes start
    act(() => {
      vi.advanceTimersByTime(20_000);
    });
    expect(api.callsTo('GET', HEALTH_PATH)).toHaveLength(4);
  });

  it('follows pushed health in the desktop window (Wails events)', async () => {
    const wails = stubWailsEvents();
    const api = backend({ ...steady, measuring: true });
    const card = await openLiveCard();
    // The card listens from when it asks for its first paint.
    await waitFor(() => expect(api.callsTo('GET', HEALTH_PATH)).toHaveLength(1));
    expect(wails.listeners()).toBe(1);
    act(() => wails.emit(pushed({ ...steady, bitrate_bps: 850_000, frame_rate: 30 })));
    await waitFor(() => expect(lineOf(card)).toBe('850 kb/s · 30 fps · 0 dropped'));
  });

  it('ignores a pushed preview that is not the server’s own picture', async () => {
    const stream = stubEventSource();
    backend(steady);
    const card = await openLiveCard();
    act(() => stream.latest().open());
    act(() => stream.latest().send(pushed({ ...steady, preview_url: 'https://evil.example/x.jpg' })));
    await waitFor(() => expect(lineOf(card)).toBe('4.2 Mb/s · 25 fps · 0 dropped'));
    expect(within(card).queryByTestId('live-preview')).toBeNull();
  });
});
