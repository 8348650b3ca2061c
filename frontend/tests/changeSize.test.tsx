import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/App';
import type { Asset } from '../src/api/types';
import { rebuildSummaryLine } from '../src/bulk';
import { changeSizeText } from '../src/components/ChangeSize';
import { rebuildLine, sizeAtTier } from '../src/masterSize';
import { apiError, infoRoute, listOf, makeAsset, mockApi } from './mockApi';
import { stubEventSource } from './mockChanges';

const video = (w: number, h: number) => [{ id: 'v0', type: 'video', max_width: w, max_height: h }];
const drone = makeAsset({ id: 'd', meta: { title: 'Drone 4K' }, tracks: video(1920, 1080), source_picture: { width: 3840, height: 2160 } });
const phone = makeAsset({ id: 'p', created_at: '1763999900', meta: { title: 'Phone clip' }, tracks: video(1280, 720), source_picture: { width: 1280, height: 720 } });
const gone = makeAsset({ id: 'g', created_at: '1763999800', meta: { title: 'Card 3' }, tracks: video(1920, 1080), source_picture: { width: 2560, height: 1440 } });

const rebuilding = (asset: Asset, rebuild: Asset['rebuild']): Asset => ({ ...asset, rebuild });

describe('master size words', () => {
  it('names a rebuild by the size the new master will have, not the tier', () => {
    expect(rebuildLine(rebuilding(drone, { max_resolution_tier: '2160p', state: 'building', progress: 42.4 }))).toBe('Rebuilding at 4K · 42%');
    // "Keep the source size" of a 1440p source is 1440p, not 4K.
    expect(rebuildLine(rebuilding(gone, { max_resolution_tier: '2160p', state: 'building', progress: 10 }))).toBe('Rebuilding at 1440p · 10%');
    expect(rebuildLine(rebuilding(drone, { max_resolution_tier: '1440p', state: 'building', progress: 0 }))).toBe('Rebuilding at 1440p · 0%');
    expect(rebuildLine(rebuilding(drone, { max_resolution_tier: '2160p', state: 'queued', progress: 0, queue_ahead: 3 }))).toBe('Rebuild queued · 3 ahead');
    expect(rebuildLine(rebuilding(drone, { max_resolution_tier: '2160p', state: 'queued', progress: 0, queue_ahead: 0 }))).toBe('Rebuild queued · next');
    expect(rebuildLine(rebuilding(drone, { max_resolution_tier: '2160p', state: 'queued', progress: 0 }))).toBe('Rebuild queued');
    expect(rebuildLine(rebuilding(drone, { max_resolution_tier: '2160p', state: 'failed', progress: 0, error: 'the source changed' }))).toBe('Rebuild failed');
    expect(rebuildLine(drone)).toBeUndefined();
    // Portrait fits the box turned; an unknown source is named by the tier.
    expect(sizeAtTier(makeAsset({ source_picture: { width: 2160, height: 3840 } }), '1080p')).toBe('1080×1920');
    expect(sizeAtTier(makeAsset({ source_picture: undefined }), '2160p')).toBe('4K');
  });

  it('says what happens in plain words, with the add panel’s size names', () => {
    expect(changeSizeText(12, '1080p')).toBe(
      'Rebuilds the master of 12 videos from their sources at up to 1080p (HD). The current masters keep working until the new ones are ready. ' +
        'Videos whose source is no longer on this computer are left as they are.',
    );
    expect(changeSizeText(1, '2160p', 'Drone 4K')).toMatch(/^Rebuilds the master of “Drone 4K” from its source at full size \(up to 4K\)\. The current master keeps working/);
    expect(changeSizeText(12, '1080p')).not.toMatch(/tier|basic|plus|premium|2160p/i);
  });

  it('sums up a bulk change in one line', () => {
    const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
    expect(rebuildSummaryLine({ rebuilding: ids(9, 'r'), same: ids(2, 's'), left: [{ id: 'x', reason: 'gone' }] })).toBe(
      '9 rebuilding, 2 already that size, 1 left as it is',
    );
    expect(rebuildSummaryLine({ rebuilding: [], same: ids(3, 's'), left: [{ id: 'x', reason: 'a' }, { id: 'y', reason: 'b' }] })).toBe(
      '3 already that size, 2 left as they are',
    );
  });
});

/** A backend whose rebuild answers per video: 202 queued, 200 already that size, 412 with words. */
function backend(initial: Asset[]) {
  let assets = initial;
  const put = (a: Asset) => {
    assets = assets.map((x) => (x.id === a.id ? a : x));
    return a;
  };
  const api = mockApi({
    ...infoRoute,
    'GET /video/v1/assets': () => listOf(assets),
    ...Object.fromEntries(initial.map((a) => [`GET /video/v1/assets/${a.id}`, () => ({ body: { data: assets.find((x) => x.id === a.id) } })])),
    'POST /reelvault/v1/assets/d/rebuild': (call) => {
      const tier = (call.body as { max_resolution_tier: Asset['max_resolution_tier'] }).max_resolution_tier!;
      const a = put(rebuilding(assets.find((x) => x.id === 'd')!, { max_resolution_tier: tier, state: 'queued', progress: 0, queue_ahead: 2 }));
      return { status: 202, body: { data: a } };
    },
    'POST /reelvault/v1/assets/p/rebuild': () => ({ status: 200, body: { data: assets.find((x) => x.id === 'p') } }),
    'POST /reelvault/v1/assets/g/rebuild': () => apiError(412, 'invalid_parameters', 'the source is no longer on this computer'),
    'DELETE /reelvault/v1/assets/d/rebuild': () => {
      put({ ...assets.find((x) => x.id === 'd')!, rebuild: undefined });
      return { status: 204 };
    },
  });
  return { ...api, put, all: () => assets };
}

const cardOf = (title: string) => screen.getAllByTestId('asset-card').find((c) => c.textContent?.includes(title)) as HTMLElement;

describe('changing the master size of a selection', () => {
  it('asks once, says what happens, then sums up and names the videos left as they are', async () => {
    const api = backend([drone, phone, gone]);
    render(<App />);
    await screen.findByText('Drone 4K');
    for (const title of ['Drone 4K', 'Phone clip', 'Card 3']) fireEvent.click(screen.getByRole('checkbox', { name: `Select ${title}` }));
    fireEvent.click(await screen.findByRole('button', { name: 'Change master size…' }));

    const dialog = screen.getByRole('dialog', { name: 'Change the master size of 3 videos' });
    const size = within(dialog).getByRole('combobox', { name: 'Master size' }) as HTMLSelectElement;
    await waitFor(() => expect(document.activeElement).toBe(size));
    // The add panel's choices, and the archive's choice first.
    expect(Array.from(size.options).map((o) => o.text)).toEqual(['Up to 1080p (HD)', 'Up to 1440p', 'Keep the source size (up to 4K)']);
    expect(size.value).toBe('2160p');
    expect(within(dialog).getByTestId('change-size-text').textContent).toContain('from their sources at full size (up to 4K)');
    fireEvent.change(size, { target: { value: '1440p' } });
    expect(within(dialog).getByTestId('change-size-text').textContent).toBe(changeSizeText(3, '1440p'));

    fireEvent.click(within(dialog).getByRole('button', { name: 'Rebuild 3 masters' }));
    const summary = await within(dialog).findByTestId('change-size-summary');
    expect(within(summary).getByText('1 rebuilding, 1 already that size, 1 left as it is:')).toBeTruthy();
    expect(within(summary).getByRole('list', { name: 'Left as they are' }).textContent).toBe('Card 3: The source is no longer on this computer.');
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Done' })));
    expect(api.calls.filter((c) => c.method === 'POST').map((c) => [c.path, (c.body as { max_resolution_tier: string }).max_resolution_tier])).toEqual([
      ['/reelvault/v1/assets/d/rebuild', '1440p'],
      ['/reelvault/v1/assets/p/rebuild', '1440p'],
      ['/reelvault/v1/assets/g/rebuild', '1440p'],
    ]);

    // The queued card says so at once (from the answer), the others keep their size line.
    expect(within(cardOf('Drone 4K')).getByTestId('card-rebuild').textContent).toBe('Rebuild queued · 2 ahead');
    expect(within(cardOf('Phone clip')).queryByTestId('card-rebuild')).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('the card moves from “Rebuilding at 1440p · 42%” to the new size when the master lands', async () => {
    const stream = stubEventSource();
    const at = rebuilding(drone, { max_resolution_tier: '1440p', state: 'building', progress: 42 });
    const api = backend([at]);
    render(<App />);
    await waitFor(() => expect(within(cardOf('Drone 4K')).getByTestId('card-rebuild').textContent).toBe('Rebuilding at 1440p · 42%'));
    expect(within(cardOf('Drone 4K')).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('42');
    act(() => stream.latest().open());

    // The feed pushes the rebuild's progress with the ready video's entry: the bar moves, nothing is fetched.
    await waitFor(() => expect(api.callsTo('GET', '/video/v1/assets')).toHaveLength(2));
    const before = api.calls.length;
    const pushed = { max_resolution_tier: '1440p' as const, state: 'building' as const, progress: 77.4 };
    act(() => stream.latest().send({ kind: 'progress', progress: [{ id: 'd', state: 'completed', progress: 100, rebuild: pushed }] }));
    await waitFor(() => expect(within(cardOf('Drone 4K')).getByTestId('card-rebuild').textContent).toBe('Rebuilding at 1440p · 77%'));
    expect(api.calls.length).toBe(before);

    // The rebuild is done: the server's asset has the new master; the feed says it changed.
    api.put({ ...drone, tracks: video(2560, 1440), resolution_tier: '1440p', max_resolution_tier: '1440p', rebuild: undefined });
    act(() => stream.latest().send({ kind: 'event', type: 'video.asset.updated', object_type: 'asset', object_id: 'd' }));
    await waitFor(() => expect(within(cardOf('Drone 4K')).getByText('4K → 1440p')).toBeTruthy());
    expect(within(cardOf('Drone 4K')).queryByTestId('card-rebuild')).toBeNull();
    expect(await screen.findByText('The new master of “Drone 4K” is ready: 1440p.')).toBeTruthy();
  });

  it('a rebuild that fails while the window watches says so once in a toast; a cancelled one says nothing', async () => {
    const stream = stubEventSource();
    const api = backend([drone, phone]);
    render(<App />);
    await screen.findByText('Drone 4K');
    act(() => stream.latest().open());
    const building = (id: string, tier: '1080p' | '1440p' | '2160p') => ({ id, state: 'completed', progress: 100, rebuild: { max_resolution_tier: tier, state: 'building' as const, progress: 10 } });
    act(() => stream.latest().send({ kind: 'progress', progress: [building('d', '2160p'), building('p', '2160p')] }));
    const failed = { max_resolution_tier: '2160p' as const, state: 'failed' as const, progress: 0, error: 'the source changed since it was archived' };
    api.put(rebuilding(drone, failed));
    act(() => stream.latest().send({ kind: 'progress', progress: [{ id: 'd', state: 'completed', progress: 100, rebuild: failed }] }));
    expect(await screen.findByText('The master of “Drone 4K” could not be rebuilt at 4K; it is unchanged. The source changed since it was archived.')).toBeTruthy();
    // The same failure pushed again is not told again.
    act(() => stream.latest().send({ kind: 'progress', progress: [{ id: 'd', state: 'completed', progress: 99, rebuild: failed }] }));
    // The phone clip's rebuild is cancelled (its tier stays 1080p): its next update is no "new master".
    act(() => stream.latest().send({ kind: 'event', type: 'video.asset.updated', object_type: 'asset', object_id: 'p' }));
    // Fetched twice: by the list (to show it) and by the notices (to decide), which then says nothing.
    await waitFor(() => expect(api.callsTo('GET', '/video/v1/assets/p')).toHaveLength(2), { timeout: 5_000 });
    await act(async () => {}); // let the notices' answer settle
    expect(screen.getAllByText(/could not be rebuilt/)).toHaveLength(1);
    expect(screen.queryByText(/new master/)).toBeNull();
  });

  it('a list row says it under the title', async () => {
    localStorage.setItem('reelvault.libraryLayout', 'list');
    backend([rebuilding(drone, { max_resolution_tier: '1440p', state: 'building', progress: 42 }), phone]);
    render(<App />);
    const row = await waitFor(() => cardOf('Drone 4K'));
    expect(row.classList.contains('asset-row')).toBe(true);
    expect(within(row).getByTestId('card-rebuild').textContent).toBe('Rebuilding at 1440p · 42%');
    expect(within(cardOf('Phone clip')).queryByTestId('card-rebuild')).toBeNull();
  });

  it('a failed rebuild leaves a small mark on the card', async () => {
    backend([rebuilding(drone, { max_resolution_tier: '2160p', state: 'failed', progress: 0, error: 'the source changed since it was archived' })]);
    render(<App />);
    const mark = await screen.findByTestId('card-rebuild-failed');
    expect(mark.textContent?.trim()).toBe('Rebuild failed');
    expect(mark.getAttribute('title')).toBe('Rebuild failed: The source changed since it was archived.');
    expect(within(cardOf('Drone 4K')).getByText('4K → 1080p')).toBeTruthy();
  });
});

describe('changing the master size of one video', () => {
  it('from the context menu: one video, its refusal stays in the dialog in words', async () => {
    backend([drone, phone, gone]);
    render(<App />);
    await screen.findByText('Card 3');
    fireEvent.contextMenu(cardOf('Card 3'));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Change master size…' }));
    const dialog = screen.getByRole('dialog', { name: 'Change master size' });
    expect(within(dialog).getByTestId('change-size-text').textContent).toMatch(/^Rebuilds the master of “Card 3” from its source/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rebuild the master' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('The source is no longer on this computer.');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.contextMenu(cardOf('Phone clip'));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Change master size…' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Rebuild the master' }));
    expect((await screen.findByTestId('change-size-summary')).textContent).toContain('“Phone clip” is already that size');
  });

  it('the asset panel: change, watch it queue, then cancel', async () => {
    const api = backend([drone]);
    window.location.hash = '#/assets/d';
    render(<App />);
    const change = await screen.findByRole('button', { name: 'Change master size…' });
    expect(change.closest('.master-size-row')?.textContent).toContain('Master size: Up to 1080p (HD) · 4K → 1080p');
    await waitFor(() => expect(document.activeElement?.id).toBe('detail-title')); // the panel took the focus as it opened
    change.focus(); // as a click does in a browser
    fireEvent.click(change);
    const dialog = screen.getByRole('dialog', { name: 'Change master size' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rebuild the master' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const status = await screen.findByTestId('rebuild-status');
    expect(within(status).getByText('Rebuild queued · 2 ahead')).toBeTruthy();
    expect(status.textContent).toContain('The current master keeps working until the new one is ready.');
    // Focus went back to the button that opened the dialog (still there: another size replaces the rebuild).
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Change master size…' }));

    fireEvent.click(within(status).getByRole('button', { name: 'Cancel the rebuild at 4K' }));
    await waitFor(() => expect(screen.queryByTestId('rebuild-status')).toBeNull());
    expect(api.callsTo('DELETE', '/reelvault/v1/assets/d/rebuild')).toHaveLength(1);
  });

  it('the asset panel: a failed rebuild says why and is dismissed', async () => {
    const api = backend([rebuilding(drone, { max_resolution_tier: '2160p', state: 'failed', progress: 0, error: 'the source changed since it was archived' })]);
    window.location.hash = '#/assets/d';
    render(<App />);
    const status = await screen.findByTestId('rebuild-status');
    expect(status.textContent).toContain('The master could not be rebuilt at 4K.');
    expect(status.textContent).toContain('The source changed since it was archived.');
    expect(status.textContent).toContain('The current master is unchanged and still works.');
    fireEvent.click(within(status).getByRole('button', { name: /^Dismiss/ }));
    await waitFor(() => expect(screen.queryByTestId('rebuild-status')).toBeNull());
    expect(api.callsTo('DELETE', '/reelvault/v1/assets/d/rebuild')).toHaveLength(1);
  });
});
