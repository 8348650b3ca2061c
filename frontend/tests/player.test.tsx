import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { chooseSource, Player } from '../src/components/Player';
import { parseTimecode, timecodeAt } from '../src/timecode';
import { makeAsset, mockApi } from './mockApi';

describe('timecode', () => {
  it('adds the playhead to the start timecode in frames', () => {
    expect(timecodeAt(0, 25, '10:00:00:00')).toBe('10:00:00:00');
    expect(timecodeAt(1.2, 25, '10:00:00:00')).toBe('10:00:01:05');
    expect(timecodeAt(59.96, 25, '00:59:59:24')).toBe('01:00:59:23');
    expect(timecodeAt(2, 24, undefined)).toBe('00:00:02:00');
  });
  it('ignores a start timecode that cannot be', () => {
    expect(parseTimecode('10:61:00:00', 25)).toBeUndefined();
    expect(parseTimecode('10:00:00:25', 25)).toBeUndefined();
    expect(parseTimecode('garbage', 25)).toBeUndefined();
    expect(timecodeAt(1, 25, '10:00:00:99')).toBe('00:00:01:00');
  });
});

describe('Player', () => {
  beforeEach(() => {
    // jsdom has no media pipeline: play/pause are recorded, the playhead is a plain number.
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
      Object.defineProperty(this, 'paused', { value: false, configurable: true });
      return Promise.resolve();
    });
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(function (this: HTMLMediaElement) {
      Object.defineProperty(this, 'paused', { value: true, configurable: true });
    });
  });

  it('plays the master with the source timecode over it and steps frames with , and .', async () => {
    mockApi({
      'GET /video/v1/assets/a1/input-info': {
        body: {
          data: [
            {
              settings: { url: '/v/take.mov' },
              file: {
                container_format: 'mov,mp4,m4a,3gp,3g2,mj2',
                tracks: [
                  { type: 'video', encoding: 'prores', frame_rate: 25 },
                  { type: 'data', timecode: '10:00:00:00' },
                ],
              },
            },
          ],
        },
      },
    });
    render(<Player asset={makeAsset({ id: 'a1', status: 'ready', duration: 10 })} />);
    const video = screen.getByLabelText(/^Master of/) as HTMLVideoElement;
    expect(video.getAttribute('src')).toBe('/ui/v1/assets/a1/master.mp4');
    await waitFor(() => expect(screen.getByTestId('timecode').textContent).toBe('10:00:00:00'));

    let now = 2;
    Object.defineProperty(video, 'currentTime', { get: () => now, set: (v: number) => (now = v), configurable: true });
    Object.defineProperty(video, 'duration', { value: 10, configurable: true });
    const player = screen.getByRole('group', { name: /^Player/ });
    fireEvent.keyDown(player, { key: '.' });
    fireEvent.timeUpdate(video);
    expect(now).toBeCloseTo(2.04);
    expect(screen.getByTestId('timecode').textContent).toBe('10:00:02:01');
    fireEvent.keyDown(player, { key: ',' });
    fireEvent.keyDown(player, { key: ',' });
    fireEvent.timeUpdate(video);
    expect(screen.getByTestId('timecode').textContent).toBe('10:00:01:24');
    fireEvent.keyDown(player, { key: 'j' });
    expect(now).toBeCloseTo(0); // 5 s back stops at the start

    fireEvent.keyDown(player, { key: ' ' });
    expect(video.paused).toBe(false);
    fireEvent.keyDown(player, { key: 'l' });
    expect(video.playbackRate).toBe(2);
    fireEvent.keyDown(player, { key: 'k' });
    expect(video.paused).toBe(true);
    expect(video.playbackRate).toBe(1);
  });

  it('says in words when the browser cannot play the master and no copy could be made, and points to a proxy', async () => {
    mockApi({ 'GET /ui/v1/assets/a1/previews': { body: { data: { sprite: null, waveform_url: null, playback: { state: 'failed', url: null } } } } });
    render(<Player asset={makeAsset({ id: 'a1', status: 'ready', master_codecs: { video: 'hevc', audio: 'alac' } })} />);
    expect(screen.queryByRole('status')).toBeNull();
    fireEvent.error(await screen.findByLabelText(/^Master of/));
    expect(screen.getByRole('status').textContent).toBe(
      'This browser cannot play the master (HEVC (H.265) video). Make a proxy under Proxies to watch it here; the master itself is fine.',
    );
  });

  it('says a copy is being prepared instead of an error, then plays the copy once it is ready', async () => {
    let copy: { state: string; url: string | null } = { state: 'preparing', url: null };
    const api = mockApi({ 'GET /ui/v1/assets/a1/previews': () => ({ body: { data: { sprite: null, waveform_url: null, playback: copy } } }) });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      render(<Player asset={makeAsset({ id: 'a1', status: 'ready', master_codecs: { video: 'hevc', audio: 'alac' } })} />);
      expect((await screen.findByRole('status')).textContent).toBe('Preparing a copy this browser can play…');
      expect(document.querySelector('video')?.getAttribute('src')).toBeNull(); // never the master it cannot play
      copy = { state: 'ready', url: '/ui/v1/assets/a1/playback-copy' };
      await vi.advanceTimersByTimeAsync(3000);
      const video = await screen.findByLabelText(/^Playback copy of/);
      expect(video.getAttribute('src')).toBe('/ui/v1/assets/a1/playback-copy');
      expect(screen.queryByRole('status')).toBeNull();
      expect(api.callsTo('GET', '/ui/v1/assets/a1/previews').length).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fills the window on request and Escape gives the panel back', async () => {
    mockApi({});
    render(<Player asset={makeAsset({ id: 'a1', status: 'ready' })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Full window' }));
    const player = screen.getByRole('group', { name: /^Player/ });
    expect(player.classList.contains('player-full')).toBe(true);
    const closeDetail = vi.fn();
    document.addEventListener('keydown', closeDetail);
    fireEvent.keyDown(player, { key: 'Escape' });
    document.removeEventListener('keydown', closeDetail);
    expect(player.classList.contains('player-full')).toBe(false);
    expect(closeDetail).not.toHaveBeenCalled(); // the first Escape leaves full window, not the panel
  });
});

describe('chooseSource', () => {
  const proxy = { id: 'r1', name: '360p.mp4', ext: 'mp4', resolution: '360p', status: 'ready', filesize: '1000', play_url: '/p/360p.mp4' };
  const hevc = makeAsset({ id: 'a1', status: 'ready', master_codecs: { video: 'hevc', audio: 'alac' } });
  const h264 = makeAsset({ id: 'a1', status: 'ready', master_codecs: { video: 'h264', audio: 'aac' } });
  const ready = { state: 'ready', url: '/ui/v1/assets/a1/playback-copy' } as const;

  it('prefers a ready proxy, then a master the browser plays, then the playback copy', () => {
    const withProxy = { ...hevc, static_renditions: { status: 'ready', files: [proxy] } } as typeof hevc;
    expect(chooseSource(withProxy, ready, false)).toEqual({ kind: 'proxy', url: '/p/360p.mp4' });
    expect(chooseSource(h264, null, false)).toEqual({ kind: 'master', url: '/ui/v1/assets/a1/master.mp4' });
    expect(chooseSource(h264, undefined, false)).toEqual({ kind: 'master', url: '/ui/v1/assets/a1/master.mp4' });
    expect(chooseSource(hevc, ready, false)).toEqual({ kind: 'copy', url: ready.url });
    expect(chooseSource(hevc, ready, true)).toEqual({ kind: 'copy', url: ready.url }); // ALAC sound: the M4A copy
  });
  it('waits rather than load a master it cannot play, and falls back to the master when no copy came', () => {
    expect(chooseSource(hevc, undefined, false)).toEqual({ kind: 'checking' });
    expect(chooseSource(hevc, { state: 'preparing', url: null }, false)).toEqual({ kind: 'preparing' });
    expect(chooseSource(hevc, { state: 'failed', url: null }, false)).toEqual({ kind: 'master', url: '/ui/v1/assets/a1/master.mp4' });
  });
});
