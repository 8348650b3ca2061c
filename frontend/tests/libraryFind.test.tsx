import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Asset } from '../src/api/types';
import { infoRoute, listOf, makeAsset, mockApi } from './mockApi';
import { stubWailsEvents } from './mockChanges';

const beach = makeAsset({ id: 'b', created_at: '1764000300', title: 'Beach day', meta: {}, input: '/v/beach day.mov', source: 'watch' });
const interview = makeAsset({ id: 'i', created_at: '1764000200', title: 'Interview A', meta: { title: 'Interview A' }, source: 'url' });
const broken = makeAsset({
  id: 'x',
  created_at: '1764000100',
  title: 'Broken',
  status: 'errored',
  errors: { type: 'invalid_input', messages: ['not a video file ffmpeg can read'] },
  source: 'upload',
});
const all = [beach, interview, broken];

/** A list endpoint that really filters by q and status, newest first, like the server. */
function searchableBackend(assets: Asset[] = all) {
  return mockApi({
    ...infoRoute,
    'GET /video/v1/assets': (call) => {
      const q = call.query.get('q')?.toLowerCase() ?? '';
      const status = call.query.get('status') ?? '';
      return listOf(
        assets.filter(
          (a) => (!q || (a.title ?? '').toLowerCase().includes(q) || (a.input ?? '').toLowerCase().includes(q)) && (!status || a.status === status),
        ),
      );
    },
  });
}

const titles = () => screen.getAllByTestId('asset-card').map((card) => card.querySelector('.card-title')?.textContent);

describe('finding videos in the library', () => {
  it('searches on the server with q=, once typing pauses', async () => {
    const api = searchableBackend();
    render(<App />);
    await screen.findByText('Beach day');
    const search = screen.getByRole('searchbox', { name: 'Search titles' });
    fireEvent.input(search, { target: { value: 'int' } });
    fireEvent.input(search, { target: { value: 'inter' } });
    fireEvent.input(search, { target: { value: 'interview' } });

    await waitFor(() => expect(titles()).toEqual(['Interview A']));
    const searches = api.callsTo('GET', '/video/v1/assets').filter((c) => c.query.has('q'));
    expect(searches.map((c) => c.query.get('q'))).toEqual(['interview']);
    expect(screen.getByText('1 video found')).toBeTruthy();
  });

  it('filters by status with status=', async () => {
    const api = searchableBackend();
    render(<App />);
    await screen.findByText('Beach day');
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'errored' } });

    await waitFor(() => expect(titles()).toEqual(['Broken']));
    expect(api.callsTo('GET', '/video/v1/assets').at(-1)?.query.get('status')).toBe('errored');
    expect(within(screen.getByTestId('asset-card')).getByText('Not a video file ffmpeg can read.')).toBeTruthy();
  });

  it('sorts oldest first (asks order=asc and orders what it got)', async () => {
    const api = searchableBackend();
    render(<App />);
    await screen.findByText('Beach day');
    expect(titles()).toEqual(['Beach day', 'Interview A', 'Broken']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Sort' }), { target: { value: 'created_at:asc' } });
    await waitFor(() => expect(titles()).toEqual(['Broken', 'Interview A', 'Beach day']));
    expect(api.callsTo('GET', '/video/v1/assets').at(-1)?.query.get('order')).toBe('asc');
  });

  it('keeps loaded pages in oldest-first order when the list refreshes', async () => {
    const wails = stubWailsEvents();
    // A server that ignores order=asc: pages come newest first.
    const api = mockApi({
      ...infoRoute,
      'GET /video/v1/assets': (call) => (call.query.get('cursor') === 'c2' ? listOf([interview, broken]) : listOf([beach], 'c2')),
    });
    render(<App />);
    await screen.findByText('Beach day');
    fireEvent.change(screen.getByRole('combobox', { name: 'Sort' }), { target: { value: 'created_at:asc' } });
    await waitFor(() => expect(api.callsTo('GET', '/video/v1/assets').at(-1)?.query.get('order')).toBe('asc'));
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(titles()).toEqual(['Broken', 'Interview A', 'Beach day']));

    // An event about an asset not shown refreshes the first page; the older pages stay.
    const before = api.callsTo('GET', '/video/v1/assets').length;
    act(() => wails.emit({ kind: 'event', type: 'video.asset.created', object_type: 'asset', object_id: 'new' }));
    await waitFor(() => expect(api.callsTo('GET', '/video/v1/assets').length).toBe(before + 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(titles()).toEqual(['Broken', 'Interview A', 'Beach day']);
  });

  it('says when a search finds nothing, and gets back to everything', async () => {
    searchableBackend();
    render(<App />);
    await screen.findByText('Beach day');
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search titles' }), { target: { value: 'zebra' } });

    expect(await screen.findByRole('heading', { name: 'No videos found' })).toBeTruthy();
    expect(screen.getByText('Nothing has “zebra” in its title or file name.')).toBeTruthy();
    // Not the first-run text: the archive is not empty.
    expect(screen.queryByRole('heading', { name: 'Your archive is empty' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Show all videos' }));
    await waitFor(() => expect(titles()).toEqual(['Beach day', 'Interview A', 'Broken']));
    expect((screen.getByRole('searchbox', { name: 'Search titles' }) as HTMLInputElement).value).toBe('');
  });

  it('uses the server’s title and shows where each video came from', async () => {
    searchableBackend();
    render(<App />);
    await screen.findByText('Beach day');
    const [first, second, third] = screen.getAllByTestId('asset-card') as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(first).getByText('Watch folder')).toBeTruthy();
    expect(within(second).getByText('URL')).toBeTruthy();
    expect(within(third).getByText('Upload')).toBeTruthy();
    // The server's title wins over the file name ("beach day.mov").
    expect(within(first).queryByText('beach day.mov')).toBeNull();
  });

  it('switches to a compact list and remembers it', async () => {
    searchableBackend();
    const view = render(<App />);
    await screen.findByText('Beach day');
    const list = screen.getByRole('button', { name: 'List' });
    expect(list.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(list);
    expect(list.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('list', { name: 'Videos' }).classList.contains('is-list')).toBe(true);

    view.unmount();
    render(<App />);
    await screen.findByText('Beach day');
    expect(screen.getByRole('list', { name: 'Videos' }).classList.contains('is-list')).toBe(true);
  });

  it('loads the next page by itself when the end of the list scrolls into view', async () => {
    const observed: Element[] = [];
    class FakeObserver {
      constructor(private readonly callback: IntersectionObserverCallback) {}
      observe(node: Element) {
        observed.push(node);
        // The end of the list is on screen right away.
        this.callback([{ isIntersecting: true, target: node } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
      }
      disconnect() {}
    }
    vi.stubGlobal('IntersectionObserver', FakeObserver);
    const api = mockApi({
      ...infoRoute,
      'GET /video/v1/assets': (call) => (call.query.get('cursor') === 'c2' ? listOf([interview, broken]) : listOf([beach], 'c2')),
    });
    render(<App />);
    await waitFor(() => expect(titles()).toEqual(['Beach day', 'Interview A', 'Broken']));
    expect(api.callsTo('GET', '/video/v1/assets').filter((c) => c.query.get('cursor') === 'c2')).toHaveLength(1);
    expect(observed.length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('focuses the search with "/"', async () => {
    searchableBackend();
    render(<App />);
    await screen.findByText('Beach day');
    // Preact runs effects after paint: retry until the shortcut is listening.
    await waitFor(() => {
      fireEvent.keyDown(document.body, { key: '/' });
      expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search titles' }));
    });
  });
});
