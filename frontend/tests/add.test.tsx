import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Asset, NewAsset } from '../src/api/types';
import { apiError, infoRoute, listOf, makeAsset, mockApi } from './mockApi';

/** A backend that creates preparing assets from POSTs (refusing inputs like "notes.txt") and from dropped paths. */
function backend() {
  const assets: Asset[] = [];
  let next = 1;
  const make = (input: string, master_access: Asset['master_access']) => {
    const asset = makeAsset({
      id: `n${next}`,
      created_at: String(1764000000 + next++),
      status: 'preparing',
      input,
      meta: {},
      master_access,
      progress: { state: 'ingesting', progress: 0 },
    });
    assets.unshift(asset);
    return asset;
  };
  const api = mockApi({
    ...infoRoute,
    'GET /video/v1/assets': () => listOf(assets),
    // A folder expands to the videos inside it; a missing path and a non-video are skipped.
    'POST /ui/v1/ingest-paths': (call) => {
      const body = call.body as { paths: string[]; master_access: Asset['master_access'] };
      const files = body.paths.flatMap((p) => (p.endsWith('/DCIM') ? [`${p}/C0001.MP4`] : [p]));
      const created: Asset[] = [];
      const skipped: { path: string; reason: string }[] = [];
      for (const input of files) {
        if (input.startsWith('/gone/')) skipped.push({ path: input, reason: 'does not exist' });
        else if (input.endsWith('.txt')) skipped.push({ path: input, reason: 'not a video file' });
        else created.push(make(input, body.master_access));
      }
      return { status: created.length ? 201 : 200, body: { data: { assets: created, skipped, skipped_total: skipped.length } } };
    },
    'POST /video/v1/assets': (call) => {
      const body = call.body as NewAsset;
      if (body.input.endsWith('.txt')) return apiError(400, 'invalid_parameters', 'The file is not a video ffmpeg can read.');
      return { status: 201, body: { data: make(body.input, body.master_access ?? 'none') } };
    },
  });
  return api;
}

describe('adding videos', () => {
  it('adds by path keeping the source size by default, with the chosen master access', async () => {
    const api = backend();
    render(<App />);
    await screen.findByRole('heading', { name: 'Your archive is empty' });
    // No native dialog in a browser.
    expect(screen.queryByRole('button', { name: 'Add files…' })).toBeNull();

    // An archive keeps the source's size unless the user picks smaller (the API keeps Mux's 1080p).
    const size = screen.getByRole('combobox', { name: 'Master size' }) as HTMLSelectElement;
    expect(size.value).toBe('2160p');
    expect(size.selectedOptions[0]?.textContent).toBe('Keep the source size (up to 4K)');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Make a download link when ready' }));
    const input = screen.getByRole('textbox', { name: 'Add by path or URL' }) as HTMLInputElement;
    fireEvent.input(input, { target: { value: '"/home/me/Videos/take 1.mov"' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));

    expect(await screen.findByText('take 1.mov')).toBeTruthy();
    // A typed path is checked by the server before anything is made (ingest-paths).
    expect(api.callsTo('POST', '/ui/v1/ingest-paths')[0]?.body).toEqual({
      paths: ['/home/me/Videos/take 1.mov'],
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
    expect((await screen.findByRole('alert')).textContent).toBe('/home/me/notes.txt: not a video file.');
    expect(input.value).toBe('/home/me/notes.txt');
  });

  it('a mistyped path is an error beside the field, and no entry appears in the library', async () => {
    const api = backend();
    render(<App />);
    const input = (await screen.findByRole('textbox', { name: 'Add by path or URL' })) as HTMLInputElement;
    fireEvent.input(input, { target: { value: '/gone/A001C002.mov' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Nothing is at /gone/A001C002.mov: check the spelling, or whether the drive is connected.',
    );
    expect(input.value).toBe('/gone/A001C002.mov');
    expect(screen.queryAllByTestId('asset-card')).toHaveLength(0);
    expect(api.callsTo('POST', '/video/v1/assets')).toHaveLength(0);
  });

  it('a URL is still created directly (it is fetched later)', async () => {
    const api = backend();
    render(<App />);
    const input = (await screen.findByRole('textbox', { name: 'Add by path or URL' })) as HTMLInputElement;
    fireEvent.input(input, { target: { value: 'https://example.com/clip.mp4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText('clip.mp4')).toBeTruthy();
    expect(api.callsTo('POST', '/video/v1/assets')[0]?.body).toMatchObject({ input: 'https://example.com/clip.mp4' });
  });

  it('Add files… (desktop) sends the picked paths to ingest-paths with the chosen options', async () => {
    window.go = { main: { App: { PickFiles: vi.fn().mockResolvedValue(['/v/a.mov', '/v/b.mkv', '/v/readme.txt']) } } };
    const api = backend();
    render(<App />);
    fireEvent.change(await screen.findByRole('combobox', { name: 'Master size' }), { target: { value: '1440p' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add files…' }));

    await screen.findByText('b.mkv');
    expect(screen.getByText('a.mov')).toBeTruthy();
    expect(api.callsTo('POST', '/ui/v1/ingest-paths').map((c) => c.body)).toEqual([
      { paths: ['/v/a.mov', '/v/b.mkv', '/v/readme.txt'], master_access: 'none', max_resolution_tier: '1440p' },
    ]);
    expect(api.callsTo('POST', '/video/v1/assets')).toHaveLength(0);
    expect(await screen.findByText('Added 2 videos. Their masters are being prepared.')).toBeTruthy();
    expect(screen.getByText('Skipped 1: readme.txt (not a video file).')).toBeTruthy();
  });

  it('files and folders dropped on the desktop window go to ingest-paths, which expands folders', async () => {
    let drop: ((x: number, y: number, paths: string[]) => void) | undefined;
    window.runtime = { OnFileDrop: (cb) => (drop = cb), OnFileDropOff: vi.fn() };
    const api = backend();
    render(<App />);
    await screen.findByRole('heading', { name: 'Your archive is empty' });
    expect(document.querySelector('.drop-root')?.getAttribute('style')).toContain('--wails-drop-target: drop');
    // The desktop window takes paths: no upload button there.
    expect(screen.queryByRole('button', { name: 'Upload files…' })).toBeNull();

    drop?.(100, 100, ['/media/card/DCIM', '/media/card/C0009.MP4']);
    expect(await screen.findByText('C0001.MP4')).toBeTruthy();
    expect(screen.getByText('C0009.MP4')).toBeTruthy();
    expect(api.callsTo('POST', '/ui/v1/ingest-paths').map((c) => (c.body as { paths: string[] }).paths)).toEqual([
      ['/media/card/DCIM', '/media/card/C0009.MP4'],
    ]);
  });

  it('a dropped path that cannot be read is reported as a problem', async () => {
    let drop: ((x: number, y: number, paths: string[]) => void) | undefined;
    window.runtime = { OnFileDrop: (cb) => (drop = cb), OnFileDropOff: vi.fn() };
    backend();
    render(<App />);
    await screen.findByRole('heading', { name: 'Your archive is empty' });
    drop?.(1, 1, ['/gone/away.mov']);
    expect(await screen.findByText('Nothing added. Skipped 1: away.mov (does not exist).')).toBeTruthy();
    expect(document.querySelector('.toast-error')?.textContent).toContain('does not exist');
  });
});
