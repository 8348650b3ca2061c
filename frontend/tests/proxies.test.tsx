import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Player } from '../src/components/Player';
import { ProxiesPanel, proxySizesFor } from '../src/components/ProxiesPanel';
import { fileChoicesFor } from '../src/components/ShareDialog';
import type { StaticRendition } from '../src/api/types';
import { makeAsset, mockApi } from './mockApi';

const ready720: StaticRendition = {
  id: 'r720', type: 'advanced', status: 'ready', resolution: '720p', name: '720p.mp4', ext: 'mp4',
  width: 1280, height: 720, filesize: '2000000', play_url: '/ui/v1/assets/a1/static-renditions/r720/file',
};
const ready360: StaticRendition = { ...ready720, id: 'r360', resolution: '360p', name: '360p.mp4', width: 640, height: 360,
  filesize: '524288', play_url: '/ui/v1/assets/a1/static-renditions/r360/file' };
const skipped: StaticRendition = { id: 'r4k', type: 'advanced', status: 'skipped', resolution: '2160p', name: '2160p.mp4', ext: 'mp4',
  error: { type: 'skipped', messages: ['2160p is above the master\'s 1920x1080'] } };

describe('Proxies', () => {
  it('lists each proxy with its state, picture, size and download, and makes one at the chosen size', async () => {
    const api = mockApi({
      'POST /video/v1/assets/a1/static-renditions': { status: 201, body: { data: { id: 'r540', status: 'preparing', resolution: '540p', name: '540p.mp4', ext: 'mp4' } } },
      'GET /video/v1/assets/a1': { body: { data: makeAsset({ id: 'a1', status: 'ready' }) } },
    });
    const onChanged = vi.fn();
    render(<ProxiesPanel asset={makeAsset({ id: 'a1', status: 'ready', static_renditions: { files: [ready720, skipped] } })} onChanged={onChanged} />);
    expect(screen.getByText('Ready · 1280×720 · 2 MB')).toBeTruthy();
    expect(screen.getByText(/above the master/)).toBeTruthy();
    const download = screen.getByRole('link', { name: 'Download' });
    expect(download.getAttribute('href')).toBe('/ui/v1/assets/a1/static-renditions/r720/file?download=1');
    const size = screen.getByLabelText('Make a proxy at') as HTMLSelectElement;
    expect([...size.options].map((o) => o.value)).not.toContain('720p'); // one per size
    fireEvent.change(size, { target: { value: '540p' } });
    fireEvent.click(screen.getByRole('button', { name: 'Make proxy' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api.callsTo('POST', '/video/v1/assets/a1/static-renditions')[0]?.body).toEqual({ resolution: '540p' });
  });

  it('offers only sizes up to the master\'s picture, and no picture sizes for sound', () => {
    const sizes = (tracks: { id: string; type: string; max_width?: number; max_height?: number }[]) =>
      proxySizesFor(makeAsset({ id: 'a1', status: 'ready', tracks })).map((s) => s.value);
    expect(sizes([{ id: 'v', type: 'video', max_width: 640, max_height: 360 }, { id: 'a', type: 'audio' }])).toEqual([
      '360p', '270p', 'highest', 'audio-only',
    ]);
    expect(sizes([{ id: 'v', type: 'video', max_width: 1080, max_height: 1920 }])).toEqual([
      '720p', '540p', '480p', '360p', '270p', '1080p', 'highest',
    ]); // upright: the short side counts; no sound, no audio-only
    expect(sizes([{ id: 'a', type: 'audio' }])).toEqual(['audio-only']);
    render(<ProxiesPanel asset={makeAsset({ id: 'a1', status: 'ready', tracks: [{ id: 'v', type: 'video', max_width: 640, max_height: 360 }] })} onChanged={vi.fn()} />);
    const offered = [...(screen.getByLabelText('Make a proxy at') as HTMLSelectElement).options].map((o) => o.value);
    expect(offered).not.toContain('720p');
    expect(offered[0]).toBe('360p'); // the default is one the server makes
  });

  it('the player plays the smallest ready proxy, else the master', () => {
    mockApi({});
    const { unmount } = render(<Player asset={makeAsset({ id: 'a1', status: 'ready', static_renditions: { files: [ready720, ready360, skipped] } })} />);
    expect(screen.getByLabelText(/proxy of/).getAttribute('src')).toBe(ready360.play_url);
    unmount();
    render(<Player asset={makeAsset({ id: 'a1', status: 'ready', static_renditions: { files: [skipped] } })} />);
    expect(screen.getByLabelText(/^Master of/).getAttribute('src')).toBe('/ui/v1/assets/a1/master.mp4');
  });

  it('the share dialog offers the original of an upload and each ready proxy', () => {
    const kinds = fileChoicesFor([makeAsset({ id: 'a1', status: 'ready', source: 'upload', static_renditions: { files: [ready720, skipped] } })]).map((c) => c.kind);
    expect(kinds).toEqual(['master', 'original', '720p']);
    expect(fileChoicesFor([makeAsset({ id: 'a2', status: 'ready', source: 'file' })]).map((c) => c.kind)).toEqual(['master']);
  });
});
