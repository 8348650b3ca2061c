import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Asset } from '../src/api/types';
import { apiError, infoRoute, listOf, makeAsset, mockApi } from './mockApi';

const LINK = 'http://192.168.1.20:8911/m/a1/Interview%20A.mp4?exp=1764086400&sig=abc';

/** A backend holding one asset that PUT/PATCH/DELETE really change, so polling stays consistent. */
function backendWith(
  initial: Asset,
  putReply?: (body: { master_access: string }) => ReturnType<typeof apiError>,
  extra: Parameters<typeof mockApi>[0] = {},
) {
  let current: Asset | undefined = initial;
  const api = mockApi({
    ...infoRoute,
    ...extra,
    'GET /video/v1/assets': () => listOf(current ? [current] : []),
    'GET /video/v1/assets/a1': () => (current ? { body: { data: current } } : apiError(404, 'not_found', 'Asset not found')),
    'PUT /video/v1/assets/a1/master-access': (call) => {
      const body = call.body as { master_access: 'temporary' | 'none' };
      if (putReply) return putReply(body);
      current =
        body.master_access === 'temporary'
          ? {
              ...current!,
              master_access: 'temporary',
              master: { status: 'ready', url: LINK },
              master_expires_at: String(Math.floor(Date.now() / 1000) + 86_399),
            }
          : { ...current!, master_access: 'none', master: undefined, master_expires_at: undefined };
      return { body: { data: current } };
    },
    'PATCH /video/v1/assets/a1': (call) => {
      const changes = call.body as { meta: { title: string } };
      current = { ...current!, meta: changes.meta };
      return { body: { data: current } };
    },
    'DELETE /video/v1/assets/a1': () => {
      current = undefined;
      return { status: 204 };
    },
  });
  return api;
}

function openDetail() {
  window.location.hash = '#/assets/a1';
  render(<App />);
}

describe('asset detail', () => {
  it('shows the metadata an editor checks', async () => {
    backendWith(makeAsset({ duration: 75.4, master_sha256: 'ab12ef' }));
    openDetail();
    expect(await screen.findByRole('heading', { name: 'Interview A' })).toBeTruthy();
    const facts = document.querySelector('dl.facts') as HTMLElement;
    // The pixels, named as editors name them (1920 × 1080 is "1080p"), never Mux's tier bucket.
    expect(facts.textContent).toContain('Resolution1920 × 1080 (1080p)Aspect');
    expect(facts.textContent).toContain('29.97 fps');
    expect(facts.textContent).toContain('H.264');
    expect(facts.textContent).toContain('AAC, Stereo');
    expect(facts.textContent).toContain('123 MB');
    expect(facts.textContent).toContain('ab12ef');
    expect(facts.textContent).toContain('Remux');
    expect(facts.textContent).toContain('/home/me/clip.mov');
  });

  it.each([
    // Mux files a 640×360 clip under "720p" and a portrait 1080×1920 one under "1080p": an editor reads pixels.
    ['a 640×360 clip', 640, 360, '720p', undefined, '640 × 360'],
    ['a portrait phone clip', 1080, 1920, '1080p', undefined, '1080 × 1920'],
    ['a 4K source kept at 1080p', 1920, 1080, '1080p', { width: 3840, height: 2160 }, '1920 × 1080 (1080p), scaled down from 3840 × 2160 (4K)'],
    ['a 4K master', 3840, 2160, '2160p', { width: 3840, height: 2160 }, '3840 × 2160 (4K)'],
  ])('gives the resolution of %s in pixels', async (_, width, height, tier, source, want) => {
    backendWith(makeAsset({ tracks: [{ id: 'v0', type: 'video', max_width: width, max_height: height }], resolution_tier: tier, source_picture: source }));
    openDetail();
    await screen.findByRole('heading', { name: 'Interview A' });
    const row = [...document.querySelectorAll('dl.facts .fact')].find((f) => f.querySelector('dt')?.textContent === 'Resolution');
    expect(row?.querySelector('dd')?.textContent).toBe(want);
  });

  it('names the other entry of the same file and offers to delete this copy', async () => {
    const first = makeAsset({ id: 'a0', meta: { title: 'Interview A (first import)' } });
    const api = backendWith(makeAsset({ duplicates: ['a0'] }), undefined, { 'GET /video/v1/assets/a0': { body: { data: first } } });
    openDetail();
    const warning = await screen.findByTestId('duplicate-warning');
    expect(within(warning).getByText('This file is already in the library.')).toBeTruthy();
    const other = await within(warning).findByRole('link', { name: 'Interview A (first import)' });
    expect(other.getAttribute('href')).toBe('#/assets/a0');
    fireEvent.click(within(warning).getByRole('button', { name: 'Delete this copy…' }));
    fireEvent.click(within(warning).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.callsTo('DELETE', '/video/v1/assets/a1')).toHaveLength(1));
  });

  it('shows the kept uploaded original under the name it had, with its size and a download', async () => {
    const api = backendWith(makeAsset({ source: 'upload', input: '/home/me/.local/share/reelvault/uploads/9f2c.mov' }), undefined, {
      'GET /ui/v1/assets/a1/original': {
        body: { data: { name: 'Interview take 2 (Kamera B).MOV', size: 42_000_000, download_url: '/ui/v1/assets/a1/original/file' } },
      },
    });
    openDetail();
    const section = await screen.findByTestId('kept-original');
    // The Details' Source row names the upload as the user knew it, with its size, never the copy's path under the data folder.
    const source = [...document.querySelectorAll('dl.facts .fact')].find((f) => f.querySelector('dt')?.textContent === 'Source');
    expect(source?.querySelector('dd')?.textContent).toBe('Interview take 2 (Kamera B).MOV · 42 MB · uploaded, kept beside the master');
    expect(document.querySelector('dl.facts')?.textContent).not.toContain('/uploads/');
    expect(api.callsTo('GET', '/ui/v1/assets/a1/original')).toHaveLength(1); // read once for both places
    expect(within(section).getByText('Interview take 2 (Kamera B).MOV')).toBeTruthy();
    expect(section.textContent).toContain('42 MB');
    const link = within(section).getByRole('link', { name: 'Download original' });
    expect(link.getAttribute('href')).toBe('/ui/v1/assets/a1/original/file');
    expect(link.getAttribute('download')).toBe('Interview take 2 (Kamera B).MOV');
  });

  it('says a recording still coming in is recording, for how long, as its card does (not "Preparing · 0%")', async () => {
    const started = Math.floor(Date.now() / 1000) - 5;
    backendWith(
      makeAsset({
        status: 'preparing',
        is_live: true,
        source: 'live',
        created_at: String(started),
        progress: { state: 'live', progress: 0 },
        input: '/home/me/.local/share/reelvault/live/ls1',
        master_size: undefined,
        master_sha256: undefined,
      }),
    );
    openDetail();
    const line = await screen.findByTestId('detail-progress');
    expect(line.textContent).toMatch(/^Recording 0:0[5-9]$/);
    expect(document.querySelector('.detail-progress')).toBeNull(); // no progress bar stuck at 0
    // Its input is a folder of parts under the data folder: not a source an editor can use.
    expect(document.querySelector('dl.facts')?.textContent).not.toContain('/live/');
    // Deleting it ends the recording (the server drops the encoder): not "Cancel build".
    expect(screen.queryByRole('button', { name: /Cancel build/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Stop and delete recording…' }));
    expect(document.getElementById('confirm-delete-text')?.textContent).toContain('Stop recording');
    expect(screen.getByRole('button', { name: 'Keep recording' })).toBeTruthy();
  });

  it('Escape in the delete question answers no: the panel stays, the focus back on Delete', async () => {
    backendWith(makeAsset());
    openDetail();
    await waitFor(() => expect(document.activeElement?.id).toBe('detail-title')); // the panel has opened
    fireEvent.click(await screen.findByRole('button', { name: 'Delete…' }));
    const keep = screen.getByRole('button', { name: 'Cancel' });
    expect(document.activeElement).toBe(keep);
    fireEvent.keyDown(keep, { key: 'Escape' });
    await waitFor(() => expect(document.getElementById('confirm-delete-text')).toBeNull());
    expect(screen.getByRole('heading', { name: 'Interview A' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete…' }));
  });

  it.each([
    [['2 × PCM 24-bit kept lossless as ALAC'], 'The original video moved into MP4 without re-encoding; only what MP4 cannot hold was converted'],
    [['ProRes video re-encoded to HEVC 4:2:2 10-bit, because MP4 cannot hold ProRes'], 'Transcode: re-encoded, at most 4K'],
  ])('says whether the picture was re-encoded when the master was converted (%s)', async (changes, want) => {
    backendWith(makeAsset({ master_mode: 'transcode', master_changes: changes, max_resolution_tier: '2160p', video_quality: 'plus' }));
    openDetail();
    await screen.findByRole('heading', { name: 'Interview A' });
    const row = [...document.querySelectorAll('dl.facts .fact')].find((f) => f.querySelector('dt')?.textContent === 'Master made by');
    expect(row?.querySelector('dd')?.textContent).toContain(want);
  });

  it('says plainly when the fixity audit found the master damaged', async () => {
    backendWith(makeAsset({ master_damage: "the master file's SHA-256 is 00ff, but ab12 was recorded: its bytes changed" }));
    openDetail();
    const alert = await screen.findByText('The master file is damaged.');
    expect(alert.closest('[role="alert"]')?.textContent).toContain('its bytes changed');
  });

  it('the master switch calls PUT and explains a 412 in words', async () => {
    const api = backendWith(makeAsset({ status: 'preparing', progress: { state: 'transcoding', progress: 10 } }), () =>
      apiError(412, 'failed_request', 'Asset is not ready'),
    );
    openDetail();
    const toggle = await screen.findByRole('switch', { name: 'Download link' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    fireEvent.click(toggle);

    const alert = await screen.findByText(/Asset is not ready/);
    expect(alert.textContent).toBe('Asset is not ready. The link can be switched on once the master is built.');
    expect(api.callsTo('PUT', '/video/v1/assets/a1/master-access')[0]?.body).toEqual({ master_access: 'temporary' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
  });

  it('switching on shows the link with its expiry, switching off revokes it', async () => {
    const api = backendWith(makeAsset());
    openDetail();
    fireEvent.click(await screen.findByRole('switch', { name: 'Download link' }));

    const link = (await screen.findByRole('textbox', { name: 'Download link' })) as HTMLInputElement;
    expect(link.value).toBe(LINK);
    expect(screen.getByTestId('expiry').textContent).toMatch(/^Expires in 23:59:5\d \(/);
    expect(screen.getByRole('switch', { name: 'Download link' }).getAttribute('aria-checked')).toBe('true');

    fireEvent.click(screen.getByRole('switch', { name: 'Download link' }));
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Download link' })).toBeNull());
    expect(api.callsTo('PUT', '/video/v1/assets/a1/master-access').map((c) => c.body)).toEqual([
      { master_access: 'temporary' },
      { master_access: 'none' },
    ]);
  });

  it('the copy button copies the link', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    backendWith(makeAsset({ master_access: 'temporary', master: { status: 'ready', url: LINK } }));
    openDetail();

    fireEvent.click(await screen.findByRole('button', { name: 'Copy' }));
    await screen.findByRole('button', { name: 'Copied' });
    expect(writeText).toHaveBeenCalledWith(LINK);
    delete (navigator as { clipboard?: unknown }).clipboard;
  });

  it('copies through the Wails runtime when the web clipboard is refused', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: vi.fn().mockRejectedValue(new Error('NotAllowedError')) },
      configurable: true,
    });
    const clipboardSetText = vi.fn().mockResolvedValue(true);
    window.runtime = { ClipboardSetText: clipboardSetText };
    backendWith(makeAsset({ master_access: 'temporary', master: { status: 'ready', url: LINK } }));
    openDetail();

    fireEvent.click(await screen.findByRole('button', { name: 'Copy' }));
    await screen.findByRole('button', { name: 'Copied' });
    expect(clipboardSetText).toHaveBeenCalledWith(LINK);
    delete (navigator as { clipboard?: unknown }).clipboard;
  });

  it('shows why an asset failed, in plain words', async () => {
    backendWith(
      makeAsset({
        status: 'errored',
        errors: { type: 'invalid_input', messages: ['The file is not a video ffmpeg can read.'] },
      }),
    );
    openDetail();
    const detail = await screen.findByRole('complementary', { name: 'Video details' });
    expect(await within(detail).findByText('The file is not a video ffmpeg can read.')).toBeTruthy();
    expect(within(detail).getByText('Interview A could not be archived.')).toBeTruthy();
  });

  it('renames with PATCH', async () => {
    const api = backendWith(makeAsset());
    openDetail();
    fireEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    const input = screen.getByRole('textbox', { name: 'Title' });
    fireEvent.input(input, { target: { value: 'Interview A (final)' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('heading', { name: 'Interview A (final)' })).toBeTruthy();
    expect(api.callsTo('PATCH', '/video/v1/assets/a1')[0]?.body).toEqual({ meta: { title: 'Interview A (final)' } });
  });

  it('rename starts from the title shown, the file name when there is no title', async () => {
    backendWith(makeAsset({ meta: undefined, input: '/home/me/Videos/drone take 3.mov' }));
    openDetail();
    const rename = await screen.findByRole('button', { name: 'Rename' });
    const heading = document.getElementById('detail-title')?.textContent ?? '';
    expect(heading).toMatch(/drone take 3/);
    fireEvent.click(rename);
    const input = screen.getByRole('textbox', { name: 'Title' }) as HTMLInputElement;
    expect(input.value).toBe(heading);
  });

  it('deletes only after confirmation', async () => {
    const api = backendWith(makeAsset());
    openDetail();
    fireEvent.click(await screen.findByRole('button', { name: 'Delete…' }));
    expect(screen.getByText(/Your original file is not touched/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.callsTo('DELETE', '/video/v1/assets/a1')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Deleted “Interview A”.')).toBeTruthy();
    expect(api.callsTo('DELETE', '/video/v1/assets/a1')).toHaveLength(1);
    await waitFor(() => expect(window.location.hash).toBe('#/'));
    expect(screen.queryByTestId('asset-card')).toBeNull();
  });

  it('offers Show in folder only in the desktop window', async () => {
    const reveal = vi.fn().mockResolvedValue(undefined);
    window.go = { main: { App: { RevealInFolder: reveal } } };
    backendWith(makeAsset());
    openDetail();
    fireEvent.click(await screen.findByRole('button', { name: 'Show in folder' }));
    expect(reveal).toHaveBeenCalledWith('a1');
  });

  it('has no Show in folder button in a browser', async () => {
    backendWith(makeAsset());
    openDetail();
    await screen.findByRole('heading', { name: 'Interview A' });
    expect(screen.queryByRole('button', { name: 'Show in folder' })).toBeNull();
  });
});
