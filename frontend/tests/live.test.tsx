import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { LiveStream } from '../src/api/live';
import type { Asset } from '../src/api/types';
import { recordingClocks } from '../src/hooks/useLiveStreams';
import { apiError, infoRoute, listOf, makeAsset, mockApi } from './mockApi';

const KEY = '3f1c9a0e7d2b44c5a8e6f0b1c2d3e4f5';
const RTMP = 'rtmp://127.0.0.1:1935/app';

function makeStream(overrides: Partial<LiveStream> = {}): LiveStream {
  return {
    id: 'ls1',
    created_at: '1764000000',
    stream_key: KEY,
    status: 'idle',
    reconnect_window: 60,
    new_asset_settings: { master_access: 'none', max_resolution_tier: '1080p' },
    recent_asset_ids: [],
    passthrough: 'Studio B',
    latency_mode: 'standard',
    rtmp_url: RTMP,
    connected: false,
    ...overrides,
  };
}

/** On air: connected, recording `rec1` for `seconds`. */
const onAir = (seconds: number, overrides: Partial<LiveStream> = {}) =>
  makeStream({
    status: 'active',
    connected: true,
    active_asset_id: 'rec1',
    recent_asset_ids: ['rec1'],
    recording_started_at: String(Math.floor(Date.now() / 1000) - seconds),
    recording_seconds: seconds,
    ...overrides,
  });

/**
 * A stateful fake of the live API: create answers with a key, complete/disable/enable change
 * the stream as the server does, reset gives a new key, recordings are listed per stream.
 */
function backend(initial: { streams?: LiveStream[]; recordings?: Asset[] } = {}) {
  const streams: LiveStream[] = [...(initial.streams ?? [])];
  const recordings: Asset[] = [...(initial.recordings ?? [])];
  const find = (path: string) => streams.find((s) => path.includes(`/${s.id}`))!;
  const finish = (s: LiveStream) => {
    s.connected = false;
    delete s.active_asset_id;
    delete s.recording_seconds;
    delete s.recording_started_at;
    if (s.status === 'active') s.status = 'idle';
  };
  const api = mockApi({
    ...infoRoute,
    'GET /video/v1/assets': (call) =>
      listOf(call.query.get('live_stream_id') ? recordings.filter((a) => a.passthrough === call.query.get('live_stream_id')) : []),
    'GET /video/v1/live-streams': () => ({ body: { data: streams } }),
    'POST /video/v1/live-streams': (call) => {
      const body = call.body as Partial<LiveStream>;
      if ((body.passthrough ?? '').length > 255) return apiError(400, 'invalid_parameters', 'passthrough must be at most 255 characters');
      const created = makeStream({ id: `new${streams.length + 1}`, passthrough: '', ...body });
      streams.unshift(created);
      return { status: 201, body: { data: created } };
    },
    'GET /video/v1/live-streams/ls1': (call) => ({ body: { data: find(call.path) } }),
    'PUT /video/v1/live-streams/ls1/complete': (call) => {
      finish(find(call.path));
      return { body: { data: {} } };
    },
    'PUT /video/v1/live-streams/ls1/disable': (call) => {
      const s = find(call.path);
      finish(s);
      s.status = 'disabled';
      return { body: { data: {} } };
    },
    'PUT /video/v1/live-streams/ls1/enable': (call) => {
      find(call.path).status = 'idle';
      return { body: { data: {} } };
    },
    'POST /video/v1/live-streams/ls1/reset-stream-key': (call) => {
      const s = find(call.path);
      s.stream_key = 'b7e2new0key0000000000000000000ff';
      return { status: 201, body: { data: s } };
    },
    'DELETE /video/v1/live-streams/ls1': () => {
      streams.splice(streams.findIndex((s) => s.id === 'ls1'), 1);
      return { status: 204 };
    },
  });
  return { api, streams, recordings };
}

function openLive() {
  window.location.hash = '#/live';
  render(<App />);
}

const streamCard = (name = 'Studio B') => screen.findByRole('listitem', { name });
const keyField = (card: HTMLElement) => within(card).getByRole('textbox', { name: /^Stream key/ }) as HTMLInputElement;

describe('live page', () => {
  it('is in the navigation and explains OBS setup in three steps when there are no streams', async () => {
    backend();
    render(<App />);
    const link = await screen.findByRole('link', { name: 'Live' });
    expect(link.getAttribute('href')).toBe('#/live');
    fireEvent.click(link);
    expect(await screen.findByRole('heading', { name: 'Record a live stream' })).toBeTruthy();
    const steps = within(screen.getByRole('list', { name: 'How to start' })).getAllByRole('listitem');
    expect(steps).toHaveLength(3);
    expect(steps[1]!.textContent).toContain('Settings → Stream');
    expect(link.getAttribute('aria-current')).toBe('page');
  });

  it('creates a stream with its settings; the key is hidden until Reveal', async () => {
    const { api } = backend();
    openLive();
    fireEvent.input(await screen.findByRole('textbox', { name: 'Name' }), { target: { value: ' Studio B ' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Master size' }), { target: { value: '2160p' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'If the encoder drops' }), { target: { value: '300' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Make a download link for each recording' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create live stream' }));

    const card = await streamCard();
    expect(api.callsTo('POST', '/video/v1/live-streams')[0]?.body).toEqual({
      passthrough: 'Studio B',
      reconnect_window: 300,
      new_asset_settings: { master_access: 'temporary', max_resolution_tier: '2160p', meta: { title: 'Studio B' } },
    });
    expect((within(card).getByRole('textbox', { name: 'Server' }) as HTMLInputElement).value).toBe(RTMP);
    expect(keyField(card).value).not.toContain(KEY);
    expect(document.body.textContent).not.toContain(KEY);
    expect(within(card).getByTestId('live-state').textContent).toBe('Waiting for the encoder');

    fireEvent.click(within(card).getByRole('button', { name: 'Reveal' }));
    await waitFor(() => expect(keyField(card).value).toBe(KEY));
    fireEvent.click(within(card).getByRole('button', { name: 'Hide' }));
    await waitFor(() => expect(keyField(card).value).not.toContain(KEY));
  });

  it('sends the defaults (the source size kept: 2160p) without a name, and shows the server refusing a setting', async () => {
    const { api } = backend();
    openLive();
    fireEvent.click(await screen.findByRole('button', { name: 'Create live stream' }));
    await screen.findByRole('listitem', { name: /^Live stream new1/ });
    expect(api.callsTo('POST', '/video/v1/live-streams')[0]?.body).toEqual({
      reconnect_window: 60,
      new_asset_settings: { master_access: 'none', max_resolution_tier: '2160p' },
    });

    const name = screen.getByRole('textbox', { name: 'Name' }) as HTMLInputElement;
    fireEvent.input(name, { target: { value: 'x'.repeat(300) } });
    fireEvent.click(screen.getByRole('button', { name: 'Create live stream' }));
    expect((await screen.findByRole('alert')).textContent).toBe('passthrough must be at most 255 characters');
    expect(name.value).toHaveLength(300);
    expect(screen.getAllByTestId('live-stream')).toHaveLength(1);
  });

  it('copies the server and the key (even while the key is hidden)', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    backend({ streams: [makeStream()] });
    openLive();
    const card = await streamCard();

    fireEvent.click(within(card).getByRole('button', { name: 'Copy' }));
    await within(card).findByText('Copied');
    expect(writeText).toHaveBeenLastCalledWith(RTMP);

    fireEvent.click(within(card).getByRole('button', { name: 'Copy stream key' }));
    await within(card).findByText('Stream key copied to the clipboard');
    expect(writeText).toHaveBeenLastCalledWith(KEY);
    expect(keyField(card).value).not.toContain(KEY);
    delete (navigator as { clipboard?: unknown }).clipboard;
  });

  it('shows a live stream on air with its recording time ticking', async () => {
    backend({ streams: [onAir(65)], recordings: [makeAsset({ id: 'rec1', status: 'preparing', passthrough: 'ls1', meta: { title: 'Studio B' } })] });
    openLive();
    const card = await streamCard();
    expect(within(card).getByTestId('live-state').textContent).toBe('Live');
    const time = within(card).getByTestId('recording-time');
    expect(time.textContent).toMatch(/^1:0[56]$/);
    const first = time.textContent;
    await waitFor(() => expect(time.textContent).not.toBe(first), { timeout: 3000 });
    expect(time.textContent).toMatch(/^1:0[678]$/);

    // Its recording is listed, marked as being recorded, and opens in the library.
    const recording = await within(card).findByTestId('recording');
    expect(recording.getAttribute('href')).toBe('#/assets/rec1');
    expect(within(recording).getByText('Recording')).toBeTruthy();
  });

  it('Complete asks first, then PUTs complete and shows the stream idle', async () => {
    const { api } = backend({ streams: [onAir(30)] });
    openLive();
    const card = await streamCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Complete…' }));
    expect(within(card).getByText(/End the recording now\?/)).toBeTruthy();
    expect(api.callsTo('PUT', '/video/v1/live-streams/ls1/complete')).toHaveLength(0);

    fireEvent.click(within(card).getByRole('button', { name: 'Complete recording' }));
    await waitFor(() => expect(within(card).getByTestId('live-state').textContent).toBe('Waiting for the encoder'));
    expect(api.callsTo('PUT', '/video/v1/live-streams/ls1/complete')).toHaveLength(1);
    expect(within(card).queryByTestId('recording-time')).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Complete…' })).toBeNull();
  });

  it('explains an encoder that dropped within the reconnect window', async () => {
    backend({ streams: [onAir(40, { connected: false, reconnect_window: 120 })] });
    openLive();
    const card = await streamCard();
    expect(within(card).getByTestId('live-state').textContent).toBe('Encoder away');
    expect(within(card).getByText(/If it is back within 2 minutes, the recording continues/)).toBeTruthy();
    // Nothing is being recorded: the time says what was (the server's, stopped when the encoder left).
    expect(within(card).getByTestId('recording-time').parentElement?.textContent).toBe('Recorded 0:40');
  });

  it('Save now keeps what was recorded while the encoder is away, without waiting out the window', async () => {
    const { api } = backend({ streams: [onAir(40, { connected: false, reconnect_window: 120 })] });
    openLive();
    const card = await streamCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Save now' }));
    await waitFor(() => expect(within(card).getByTestId('live-state').textContent).toBe('Waiting for the encoder'));
    expect(api.callsTo('PUT', '/video/v1/live-streams/ls1/complete')).toHaveLength(1);
    expect(within(card).queryByRole('button', { name: 'Save now' })).toBeNull();
  });

  it('disables and enables an idle stream', async () => {
    const { api } = backend({ streams: [makeStream()] });
    openLive();
    const card = await streamCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(within(card).getByTestId('live-state').textContent).toBe('Disabled'));
    expect(within(card).getByText(/Encoders are refused/)).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: 'Enable' }));
    await waitFor(() => expect(within(card).getByTestId('live-state').textContent).toBe('Waiting for the encoder'));
    expect(api.callsTo('PUT', '/video/v1/live-streams/ls1/disable')).toHaveLength(1);
    expect(api.callsTo('PUT', '/video/v1/live-streams/ls1/enable')).toHaveLength(1);
  });

  it('a new key is asked for, shown hidden, and replaces the old one', async () => {
    const { api } = backend({ streams: [makeStream()] });
    openLive();
    const card = await streamCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Reveal' }));
    await waitFor(() => expect(keyField(card).value).toBe(KEY));

    fireEvent.click(within(card).getByRole('button', { name: 'New key…' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Replace key' }));
    await waitFor(() => expect(api.callsTo('POST', '/video/v1/live-streams/ls1/reset-stream-key')).toHaveLength(1));
    await waitFor(() => expect(keyField(card).value).not.toContain(KEY));
    fireEvent.click(within(card).getByRole('button', { name: 'Reveal' }));
    await waitFor(() => expect(keyField(card).value).toBe('b7e2new0key0000000000000000000ff'));
  });

  it('deletes a stream after asking', async () => {
    const { api } = backend({ streams: [makeStream()] });
    openLive();
    const card = await streamCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Delete…' }));
    expect(within(card).getByText(/its recordings stay in the library/)).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Studio B' })).toBeNull());
    expect(api.callsTo('DELETE', '/video/v1/live-streams/ls1')).toHaveLength(1);
    expect(await screen.findByRole('heading', { name: 'Record a live stream' })).toBeTruthy();
  });

  it('lists finished recordings with their duration, newest first', async () => {
    const when = new Date(1764003600 * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    backend({
      streams: [makeStream({ recent_asset_ids: ['r1', 'r2'] })],
      recordings: [
        makeAsset({ id: 'r2', source: 'live', passthrough: 'ls1', meta: { title: `Studio B · ${when}` }, duration: 3725, created_at: '1764003600' }),
        makeAsset({ id: 'r1', passthrough: 'ls1', meta: { title: 'Studio B' }, duration: 10, status: 'errored', errors: { type: 'x', messages: ['nothing was recorded'] } }),
      ],
    });
    openLive();
    const card = await streamCard();
    const rows = await within(card).findAllByTestId('recording');
    expect(rows.map((r) => r.getAttribute('href'))).toEqual(['#/assets/r2', '#/assets/r1']);
    expect(rows[0]!.textContent).toContain('1:02:05');
    expect(within(rows[0]!).getByText('Ready')).toBeTruthy();
    // The title carries the date ("Studio B · <date>"); the line beside it does not say it again.
    expect(rows[0]!.textContent!.split(when).length - 1).toBe(1);
    expect(rows[1]!.textContent).toContain('Nothing was recorded.');
  });
});

describe('recording clock', () => {
  it('keeps the earliest start estimate for the same recording and starts afresh for a new one', () => {
    const first = recordingClocks({}, [onAir(10, { recording_started_at: '100' })], 20_000);
    expect(first.ls1).toEqual({ serverStart: '100', localStart: 10_000 });
    // A later answer that arrived slowly would move the start later: ignored.
    const later = recordingClocks(first, [onAir(11, { recording_started_at: '100' })], 21_400);
    expect(later.ls1?.localStart).toBe(10_000);
    const next = recordingClocks(later, [onAir(2, { recording_started_at: '200' })], 30_000);
    expect(next.ls1).toEqual({ serverStart: '200', localStart: 28_000 });
    expect(recordingClocks(next, [makeStream()], 31_000).ls1).toBeUndefined();
    // A recording that has just started comes without recording_seconds (0 is left out).
    const fresh = recordingClocks({}, [onAir(0, { recording_started_at: '300', recording_seconds: undefined })], 40_000);
    expect(fresh.ls1).toEqual({ serverStart: '300', localStart: 40_000 });
  });
});
