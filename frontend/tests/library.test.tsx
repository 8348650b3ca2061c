import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/App';
import { apiError, infoRoute, listOf, makeAsset, mockApi } from './mockApi';

const ready = makeAsset({ id: 'a3', created_at: '1764000300', duration: 75.4, master_size: 123456789, meta: { title: 'Interview A' } });
const untitled = makeAsset({
  id: 'a2',
  created_at: '1764000200',
  duration: 3725,
  master_size: 1_500_000_000,
  resolution_tier: '2160p',
  tracks: [{ id: 'v0', type: 'video', max_width: 3840, max_height: 2160 }],
  meta: {},
  input: '/home/me/clips/beach day.mov',
  thumbnail_url: '/ui/v1/assets/a2/thumbnail.jpg',
});
const preparing = makeAsset({
  id: 'a1',
  created_at: '1764000100',
  status: 'preparing',
  duration: undefined,
  master_size: undefined,
  resolution_tier: undefined,
  meta: { title: 'Rough cut' },
  progress: { state: 'transcoding', progress: 42 },
});

describe('library', () => {
  it('lists assets newest first with title, duration, tier, size and status', async () => {
    mockApi({ ...infoRoute, 'GET /video/v1/assets': listOf([ready, untitled]) });
    render(<App />);

    const cards = await screen.findAllByTestId('asset-card');
    expect(cards).toHaveLength(2);
    const [first, second] = cards as [HTMLElement, HTMLElement];

    expect(within(first).getByText('Interview A')).toBeTruthy();
    expect(within(first).getByText('1:15')).toBeTruthy();
    expect(within(first).getByText('123 MB')).toBeTruthy();
    expect(within(first).getByText('1080p')).toBeTruthy();
    expect(within(first).getByText('Ready')).toBeTruthy();
    expect(first.querySelector('img')?.getAttribute('src')).toBe('/ui/v1/assets/a1/thumbnail.jpg');

    // No title: the file name from the input path stands in.
    expect(within(second).getByText('beach day.mov')).toBeTruthy();
    expect(within(second).getByText('1:02:05')).toBeTruthy();
    expect(within(second).getByText('1.5 GB')).toBeTruthy();
    expect(within(second).getByText('4K')).toBeTruthy();
    expect(second.getAttribute('href')).toBe('#/assets/a2');
  });

  it('shows a progress bar and no thumbnail while an asset is preparing', async () => {
    mockApi({ ...infoRoute, 'GET /video/v1/assets': listOf([preparing]) });
    render(<App />);

    const bar = await screen.findByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('42%');
    const card = screen.getByTestId('asset-card');
    expect(within(card).getByText('Building the master · 42%')).toBeTruthy();
    expect(within(card).getByText('Preparing')).toBeTruthy();
    expect(card.querySelector('img')).toBeNull();
  });

  it('says why a failed asset failed, right in the list', async () => {
    const failed = makeAsset({
      status: 'errored',
      errors: { type: 'invalid_input', messages: ['The file is not a video ffmpeg can read.'] },
    });
    mockApi({ ...infoRoute, 'GET /video/v1/assets': listOf([failed]) });
    render(<App />);
    const card = await screen.findByTestId('asset-card');
    expect(within(card).getByText('Failed')).toBeTruthy();
    expect(within(card).getByText('The file is not a video ffmpeg can read.')).toBeTruthy();
  });

  it('polls every second while something is preparing', async () => {
    let status: 'preparing' | 'ready' = 'preparing';
    const api = mockApi({
      ...infoRoute,
      'GET /video/v1/assets': () => listOf([{ ...preparing, status, progress: { state: 'transcoding', progress: 80 } }]),
    });
    render(<App />);
    await screen.findByRole('progressbar');
    status = 'ready';
    // No push channel in jsdom (no EventSource): the list falls back to polling.
    await waitFor(() => expect(within(screen.getByTestId('asset-card')).getByText('Ready')).toBeTruthy(), { timeout: 5000 });
    expect(api.callsTo('GET', '/video/v1/assets').length).toBeGreaterThanOrEqual(2);
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('does not poll fast when everything is ready', async () => {
    const api = mockApi({ ...infoRoute, 'GET /video/v1/assets': listOf([ready]) });
    render(<App />);
    await screen.findByText('Interview A');
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(api.callsTo('GET', '/video/v1/assets')).toHaveLength(1);
  });

  it('loads older assets with the cursor', async () => {
    const api = mockApi({
      ...infoRoute,
      'GET /video/v1/assets': (call) => (call.query.get('cursor') === 'c2' ? listOf([untitled]) : listOf([ready], 'c2')),
    });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    await screen.findByText('beach day.mov');
    expect(screen.getAllByTestId('asset-card')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(api.callsTo('GET', '/video/v1/assets').map((c) => c.query.get('limit'))).toContain('50');
  });

  it('tells a new user what to do when the archive is empty', async () => {
    mockApi({ ...infoRoute, 'GET /video/v1/assets': listOf([]) });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Your archive is empty' })).toBeTruthy();
    expect(screen.getByText(/Paste the full path of a video file/)).toBeTruthy();
  });

  it('shows API errors in words from error.messages', async () => {
    mockApi({ ...infoRoute, 'GET /video/v1/assets': apiError(500, 'failed_request', 'The database is locked.') });
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('The database is locked.');
  });

  it('says so when the backend cannot be reached', async () => {
    const { fetchMock } = mockApi(infoRoute);
    fetchMock.mockImplementation(async (input: RequestInfo | URL) => {
      if (String(input).startsWith('/ui/v1/info')) return new Response(JSON.stringify({ data: null }), { status: 200 });
      throw new TypeError('Failed to fetch');
    });
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('Reelvault is not reachable');
  });
});
