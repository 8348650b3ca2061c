import { act, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Asset } from '../src/api/types';
import { apiError, infoRoute, listOf, makeAsset, mockApi } from './mockApi';
import { stubEventSource, stubWailsEvents } from './mockChanges';

const preparing = makeAsset({
  id: 'a1',
  status: 'preparing',
  meta: { title: 'Rough cut' },
  master_size: undefined,
  progress: { state: 'transcoding', progress: 42 },
});
const ready = makeAsset({ id: 'a0', created_at: '1763999000', meta: { title: 'Old interview' } });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A backend whose assets the test changes; GET one and GET the list both read them. */
function backend(initial: Asset[]) {
  let assets = initial;
  const api = mockApi({
    ...infoRoute,
    'GET /video/v1/assets': () => listOf(assets),
    'GET /video/v1/assets/a1': () => {
      const a = assets.find((x) => x.id === 'a1');
      return a ? { body: { data: a } } : apiError(404, 'not_found', 'The requested asset does not exist');
    },
  });
  return {
    ...api,
    set: (next: Asset[]) => {
      assets = next;
    },
    listCalls: () => api.callsTo('GET', '/video/v1/assets').length,
  };
}

function barOf(card: HTMLElement) {
  return within(card).getByRole('progressbar');
}

describe('live updates in a browser (server-sent events)', () => {
  it('moves the progress bar from a progress change without fetching anything', async () => {
    const stream = stubEventSource();
    const api = backend([preparing, ready]);
    render(<App />);
    const card = (await screen.findAllByTestId('asset-card'))[0]!;
    expect(barOf(card).getAttribute('aria-valuenow')).toBe('42');
    expect(stream.latest().url).toBe('/ui/v1/stream');

    act(() => stream.latest().open());
    await waitFor(() => expect(api.listCalls()).toBe(2)); // one catch-up when the stream goes live
    const before = api.calls.length;

    act(() => stream.latest().send({ kind: 'progress', progress: [{ id: 'a1', state: 'transcoding', progress: 77.4 }] }));
    await waitFor(() => expect(barOf(card).getAttribute('aria-valuenow')).toBe('77'));
    expect((barOf(card).firstElementChild as HTMLElement).style.width).toBe('77%');
    expect(within(card).getByText('Building the master · 77%')).toBeTruthy();
    await sleep(400);
    expect(api.calls.length).toBe(before);
  });

  it('does not poll every second while the stream is live, even with a video preparing', async () => {
    const stream = stubEventSource();
    const api = backend([preparing]);
    render(<App />);
    await screen.findByTestId('asset-card');
    act(() => stream.latest().open());
    await waitFor(() => expect(api.listCalls()).toBe(2));
    await sleep(2_300);
    expect(api.listCalls()).toBe(2);
  });

  it('fetches just the changed asset when an event names one that is shown', async () => {
    const stream = stubEventSource();
    const api = backend([preparing, ready]);
    render(<App />);
    await screen.findAllByTestId('asset-card');
    act(() => stream.latest().open());
    await waitFor(() => expect(api.listCalls()).toBe(2));

    api.set([{ ...preparing, status: 'ready', progress: { state: 'completed', progress: 100 }, master_size: 5_000_000 }, ready]);
    act(() => stream.latest().send({ kind: 'event', type: 'video.asset.ready', object_type: 'asset', object_id: 'a1' }));

    const card = screen.getAllByTestId('asset-card')[0]!;
    await waitFor(() => expect(within(card).getByText('Ready')).toBeTruthy());
    expect(within(card).queryByRole('progressbar')).toBeNull();
    expect(within(card).getByText('5 MB')).toBeTruthy();
    expect(api.callsTo('GET', '/video/v1/assets/a1')).toHaveLength(1);
    expect(api.listCalls()).toBe(2);
  });

  it('refreshes the first page when a new asset appears, and drops a deleted one at once', async () => {
    const stream = stubEventSource();
    const api = backend([ready]);
    render(<App />);
    await screen.findByText('Old interview');
    act(() => stream.latest().open());
    await waitFor(() => expect(api.listCalls()).toBe(2));

    api.set([preparing, ready]);
    act(() => stream.latest().send({ kind: 'event', type: 'video.asset.created', object_type: 'asset', object_id: 'a1' }));
    expect(await screen.findByText('Rough cut')).toBeTruthy();
    expect(api.listCalls()).toBe(3);

    act(() => stream.latest().send({ kind: 'event', type: 'video.asset.deleted', object_type: 'asset', object_id: 'a0' }));
    await waitFor(() => expect(screen.queryByText('Old interview')).toBeNull());
    expect(api.listCalls()).toBe(3);
  });

  it('falls back to polling every second when the stream is refused', async () => {
    const stream = stubEventSource();
    const api = backend([preparing]);
    render(<App />);
    await screen.findByTestId('asset-card');
    act(() => stream.latest().fail());

    api.set([{ ...preparing, status: 'ready', progress: { state: 'completed', progress: 100 } }]);
    await waitFor(() => expect(within(screen.getByTestId('asset-card')).getByText('Ready')).toBeTruthy(), { timeout: 4000 });
    expect(api.listCalls()).toBeGreaterThanOrEqual(2);
  });

  it('moves the detail view’s bar from progress changes too', async () => {
    const stream = stubEventSource();
    const api = backend([preparing]);
    window.location.hash = '#/assets/a1';
    render(<App />);
    const detail = await screen.findByRole('complementary', { name: 'Video details' });
    await waitFor(() => expect(within(detail).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('42'));
    act(() => stream.latest().open());
    await waitFor(() => expect(api.callsTo('GET', '/video/v1/assets/a1').length).toBe(2));
    const before = api.calls.length;

    act(() => stream.latest().send({ kind: 'progress', progress: [{ id: 'a1', state: 'transcoding', progress: 88 }] }));
    await waitFor(() => expect(within(detail).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('88'));
    expect(within(detail).getByText(/^Building the master · 88%/)).toBeTruthy();
    expect(api.calls.length).toBe(before);
    // One stream for the whole window, shared by the library and the detail.
    expect(stream.count()).toBe(1);
  });
});

describe('live updates in the desktop window (Wails events)', () => {
  it('listens to reelvault:change instead of opening an EventSource', async () => {
    const stream = stubEventSource();
    const wails = stubWailsEvents();
    const api = backend([preparing]);
    const view = render(<App />);
    const card = await screen.findByTestId('asset-card');
    await waitFor(() => expect(wails.listeners()).toBe(1));
    expect(wails.eventsOn).toHaveBeenCalledWith('reelvault:change', expect.any(Function));
    expect(stream.count()).toBe(0);
    await waitFor(() => expect(api.listCalls()).toBe(2));

    act(() => wails.emit({ kind: 'progress', progress: [{ id: 'a1', state: 'transcoding', progress: 63 }] }));
    await waitFor(() => expect(barOf(card).getAttribute('aria-valuenow')).toBe('63'));

    api.set([{ ...preparing, status: 'errored', errors: { type: 'invalid_input', messages: ['the file is empty'] } }]);
    act(() => wails.emit({ kind: 'event', type: 'video.asset.errored', object_type: 'asset', object_id: 'a1' }));
    expect(await within(card).findByText('The file is empty.')).toBeTruthy();
    expect(api.listCalls()).toBe(2);

    view.unmount();
    expect(wails.off).toHaveBeenCalled();
  });

  it('tells when a master is ready: a toast, and a count in the tab title while the window is away', async () => {
    const stream = stubEventSource();
    const api = backend([preparing]);
    const focused = vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    document.title = 'Reelvault';
    render(<App />);
    await screen.findByTestId('asset-card');
    act(() => stream.latest().open());
    api.set([{ ...preparing, status: 'ready', progress: { state: 'completed', progress: 100 } }]);
    act(() => stream.latest().send({ kind: 'event', type: 'video.asset.ready', object_type: 'asset', object_id: 'a1' }));
    expect(await screen.findByText('“Rough cut” is ready.')).toBeTruthy();
    await waitFor(() => expect(document.title).toBe('(1) Reelvault'));
    focused.mockReturnValue(true);
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    expect(document.title).toBe('Reelvault');
    focused.mockRestore();
  });
  it('masters finishing in two batches while the first toast shows make one toast with the sum, not twins', async () => {
    const stream = stubEventSource();
    const clips = ['b1', 'b2', 'b3', 'b4'].map((id, i) =>
      makeAsset({ id, created_at: String(1764000000 + i), meta: { title: `Take ${i + 1}` }, status: 'preparing', progress: { state: 'transcoding', progress: 50 } }),
    );
    let assets = clips;
    const routes: Parameters<typeof mockApi>[0] = { ...infoRoute, 'GET /video/v1/assets': () => listOf(assets) };
    for (const c of clips) routes[`GET /video/v1/assets/${c.id}`] = () => ({ body: { data: assets.find((a) => a.id === c.id) } });
    mockApi(routes);
    render(<App />);
    await screen.findAllByTestId('asset-card');
    act(() => stream.latest().open());
    const finish = (ids: string[]) => {
      assets = assets.map((a) => (ids.includes(a.id) ? { ...a, status: 'ready', progress: { state: 'completed', progress: 100 } } : a));
      act(() => {
        for (const id of ids) stream.latest().send({ kind: 'event', type: 'video.asset.ready', object_type: 'asset', object_id: id });
      });
    };
    finish(['b1', 'b2']);
    expect(await screen.findByText('2 masters are ready.')).toBeTruthy();
    finish(['b3', 'b4']);
    expect(await screen.findByText('4 masters are ready.')).toBeTruthy();
    expect(screen.queryByText('2 masters are ready.')).toBeNull();
    expect(document.querySelectorAll('.toast')).toHaveLength(1);
  });
});
