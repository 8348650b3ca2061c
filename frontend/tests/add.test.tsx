import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Asset, NewAsset } from '../src/api/types';
import { apiError, infoRoute, listOf, makeAsset, mockApi } from './mockApi';

/** A backend that creates preparing assets from POSTs, or refuses inputs named like "notes.txt". */
function backend() {
  const assets: Asset[] = [];
  let next = 1;
  const api = mockApi({
    ...infoRoute,
    'GET /video/v1/assets': () => listOf(assets),
    'POST /video/v1/assets': (call) => {
      const body = call.body as NewAsset;
      if (body.input.endsWith('.txt')) return apiError(400, 'invalid_parameters', 'The file is not a video ffmpeg can read.');
      const asset = makeAsset({
        id: `n${next}`,
        created_at: String(1764000000 + next++),
        status: 'preparing',
        input: body.input,
        meta: {},
        master_access: body.master_access,
        progress: { state: 'ingesting', progress: 0 },
      });
      assets.unshift(asset);
      return { status: 201, body: { data: asset } };
    },
  });
  return api;
}

describe('adding videos', () => {
  it('adds by path with the chosen tier and master access', async () => {
    const api = backend();
    render(<App />);
    await screen.findByRole('heading', { name: 'Your archive is empty' });
    // No native dialog in a browser.
    expect(screen.queryByRole('button', { name: 'Add files…' })).toBeNull();

    fireEvent.change(screen.getByRole('combobox', { name: 'Master size' }), { target: { value: '2160p' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Make a download link when ready' }));
    const input = screen.getByRole('textbox', { name: 'Add by path or URL' }) as HTMLInputElement;
    fireEvent.input(input, { target: { value: '"/home/me/Videos/take 1.mov"' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));

    expect(await screen.findByText('take 1.mov')).toBeTruthy();
    expect(api.callsTo('POST', '/video/v1/assets')[0]?.body).toEqual({
      input: '/home/me/Videos/take 1.mov',
      master_access: 'temporary',
      max_resolution_tier: '2160p',
    });
    expect(input.value).toBe('');
    expect(screen.getByRole('progressbar')).toBeTruthy();
  });

  it('shows why an input was refused and keeps it for fixing', async () => {
    backend();
    render(<App />);
    const input = (await screen.findByRole('textbox', { name: 'Add by path or URL' })) as HTMLInputElement;
    fireEvent.input(input, { target: { value: '/home/me/notes.txt' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The file is not a video ffmpeg can read.');
    expect(input.value).toBe('/home/me/notes.txt');
  });

  it('Add files… (desktop) creates one asset per picked path', async () => {
    window.go = { main: { App: { PickFiles: vi.fn().mockResolvedValue(['/v/a.mov', '/v/b.mkv', '/v/readme.txt']) } } };
    const api = backend();
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add files…' }));

    await screen.findByText('b.mkv');
    expect(screen.getByText('a.mov')).toBeTruthy();
    expect(api.callsTo('POST', '/video/v1/assets').map((c) => (c.body as NewAsset).input)).toEqual([
      '/v/a.mov',
      '/v/b.mkv',
      '/v/readme.txt',
    ]);
    expect(await screen.findByText('Added 2 videos. Their masters are being prepared.')).toBeTruthy();
    expect(screen.getByText('readme.txt: The file is not a video ffmpeg can read.')).toBeTruthy();
  });

  it('files dropped on the desktop window are added', async () => {
    let drop: ((x: number, y: number, paths: string[]) => void) | undefined;
    window.runtime = { OnFileDrop: (cb) => (drop = cb), OnFileDropOff: vi.fn() };
    const api = backend();
    render(<App />);
    await screen.findByRole('heading', { name: 'Your archive is empty' });
    expect(document.querySelector('.drop-root')?.getAttribute('style')).toContain('--wails-drop-target: drop');

    drop?.(100, 100, ['/media/card/C0001.MP4']);
    expect(await screen.findByText('C0001.MP4')).toBeTruthy();
    expect(api.callsTo('POST', '/video/v1/assets')).toHaveLength(1);
  });

  it('a file dropped in a browser gets a friendly note instead of being opened', async () => {
    const api = backend();
    render(<App />);
    await screen.findByRole('heading', { name: 'Your archive is empty' });

    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { types: ['Files'] } });
    window.dispatchEvent(drop);

    expect(drop.defaultPrevented).toBe(true);
    expect(await screen.findByText(/Dropping files works in the desktop app/)).toBeTruthy();
    await waitFor(() => expect(api.callsTo('POST', '/video/v1/assets')).toHaveLength(0));
  });
});
