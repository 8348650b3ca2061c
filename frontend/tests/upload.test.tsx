import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Asset } from '../src/api/types';
import { busySeconds, CHUNK_SIZE, sendFile, type Upload } from '../src/api/uploads';
import { batchSummary } from '../src/components/UploadList';
import { isMediaFile } from '../src/hooks/useFileDrop';
import type { UploadItem } from '../src/hooks/useUploads';
import { infoRoute, listOf, makeAsset, mockApi } from './mockApi';

const UPLOAD_URL = 'http://127.0.0.1:8910/upload/up1?token=t0k';

interface Put {
  path: string;
  range: string | null;
  size: number;
}

const done = (assetId = 'a9'): Upload => ({ id: 'up1', url: UPLOAD_URL, status: 'asset_created', timeout: 3600, asset_id: assetId });
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const resume = (held: number) => new Response(null, { status: 308, headers: held > 0 ? { Range: `bytes=0-${held - 1}` } : {} });

/**
 * A stand-in for the upload URL that keeps what arrived, like the server: it answers 308 with
 * Range after each chunk, 200 with the upload at the end, and a status query with what it holds.
 * `fail` may replace the answer to the n-th PUT (0-based).
 */
function uploadServer(total: number, fail: Record<number, () => Response | Promise<Response>> = {}) {
  const puts: Put[] = [];
  let held = 0;
  const handle = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://reelvault.test');
    const range = new Headers(init?.headers).get('Content-Range');
    const body = init?.body as Blob | undefined;
    const n = puts.length;
    puts.push({ path: url.pathname + url.search, range, size: body?.size ?? 0 });
    if (fail[n]) return fail[n]!();
    if (!body) return held === total ? json(200, { data: done() }) : resume(held);
    const start = Number(/bytes (\d+)-/.exec(range ?? '')?.[1]);
    if (start > held) return json(416, { error: { type: 'invalid_parameters', messages: ['gap'] } }, { Range: `bytes=0-${held - 1}` });
    held = Math.max(held, start + body.size);
    return held === total ? json(200, { data: done() }) : resume(held);
  };
  return { puts, handle, setHeld: (n: number) => (held = n) };
}

describe('sending a file in chunks', () => {
  it('sends Content-Range chunks in order and reports progress after each', async () => {
    const server = uploadServer(20);
    vi.stubGlobal('fetch', vi.fn(server.handle));
    const progress: number[] = [];
    const upload = await sendFile(UPLOAD_URL, new Blob([new Uint8Array(20)]), { chunkSize: 8, onProgress: (sent) => progress.push(sent) });

    expect(server.puts.map((p) => p.range)).toEqual(['bytes 0-7/20', 'bytes 8-15/20', 'bytes 16-19/20']);
    expect(server.puts.map((p) => p.size)).toEqual([8, 8, 4]);
    // The URL's host is the API's; the request goes to this page's origin with the same path and token.
    expect(server.puts[0]?.path).toBe('/upload/up1?token=t0k');
    expect(progress).toEqual([8, 16, 20]);
    expect(upload.asset_id).toBe('a9');
  });

  it('after a dropped connection, asks what arrived and resumes from the last good byte', async () => {
    // The second chunk dies half-way: the server kept 4 of its 8 bytes.
    const server = uploadServer(20, {
      1: () => {
        server.setHeld(12);
        throw new TypeError('network error');
      },
    });
    vi.stubGlobal('fetch', vi.fn(server.handle));
    const progress: number[] = [];
    await sendFile(UPLOAD_URL, new Blob([new Uint8Array(20)]), {
      chunkSize: 8,
      retryDelayMs: () => 0,
      onProgress: (sent) => progress.push(sent),
    });
    expect(server.puts.map((p) => p.range)).toEqual(['bytes 0-7/20', 'bytes 8-15/20', 'bytes */20', 'bytes 12-19/20']);
    expect(progress).toEqual([8, 12, 20]);
  });

  it('resumes from the Range of a gap answer, and gives up with the server’s words when the upload is gone', async () => {
    const server = uploadServer(20, {
      0: () => json(416, { error: { type: 'invalid_parameters', messages: ['gap'] } }, { Range: 'bytes=0-3' }),
      1: () => json(410, { error: { type: 'failed', messages: ['the upload is cancelled, not waiting'] } }),
    });
    vi.stubGlobal('fetch', vi.fn(server.handle));
    await expect(sendFile(UPLOAD_URL, new Blob([new Uint8Array(20)]), { chunkSize: 8, retryDelayMs: () => 0 })).rejects.toThrow(
      'the upload is cancelled, not waiting',
    );
    expect(server.puts.map((p) => p.range)).toEqual(['bytes 0-7/20', 'bytes 4-11/20']);
  });

  it('a server that holds every byte but never finishes is not asked forever', async () => {
    const fetchMock = vi.fn(async () => resume(20));
    vi.stubGlobal('fetch', fetchMock);
    await expect(sendFile(UPLOAD_URL, new Blob([new Uint8Array(20)]), { maxRetries: 2, retryDelayMs: () => 0 })).rejects.toThrow(
      'Reelvault received the whole file but did not finish the upload.',
    );
    expect(fetchMock.mock.calls.length).toBe(4);
  });

  it('retries server errors a bounded number of times', async () => {
    const fetchMock = vi.fn(async () => json(500, { error: { type: 'failed', messages: ['disk full'] } }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(sendFile(UPLOAD_URL, new Blob([new Uint8Array(5)]), { maxRetries: 2, retryDelayMs: () => 0 })).rejects.toThrow('disk full');
    // Each failure is followed by a status query, except the last.
    expect(fetchMock.mock.calls.length).toBe(5);
  });

  it('a file over the upload limit (413) is refused at once, with the server’s sentence', async () => {
    const limit = 'this upload is limited to 2 GB (2000000000 bytes) and this request claims a file of 20 bytes: nothing was written';
    const server = uploadServer(20, { 0: () => json(413, { error: { type: 'invalid_parameters', messages: [limit] } }) });
    vi.stubGlobal('fetch', vi.fn(server.handle));
    const error = await sendFile(UPLOAD_URL, new Blob([new Uint8Array(20)]), { chunkSize: 8, retryDelayMs: () => 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 413, message: limit });
    expect(server.puts).toHaveLength(1); // not retried, not asked again
  });

  it('too many uploads at once (503 Retry-After): the same chunk goes again after the given seconds, not counted as a failure', async () => {
    vi.useFakeTimers();
    try {
      const busy = () => json(503, { error: { type: 'failed', messages: ['this computer is receiving 4 uploads at once'] } }, { 'Retry-After': '7' });
      const server = uploadServer(20, { 0: busy, 1: busy, 2: busy });
      vi.stubGlobal('fetch', vi.fn(server.handle));
      const waits: number[] = [];
      let upload: Upload | undefined;
      // No retries allowed for failures: a busy answer must not use them up.
      const sending = sendFile(UPLOAD_URL, new Blob([new Uint8Array(20)]), { chunkSize: 8, maxRetries: 0, onBusy: (s) => waits.push(s) }).then(
        (u) => (upload = u),
      );
      await vi.advanceTimersByTimeAsync(6_999);
      expect(server.puts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(server.puts).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(14_000);
      await sending;
      expect(upload?.asset_id).toBe('a9');
      expect(waits).toEqual([7, 7, 7]);
      expect(server.puts.map((p) => p.range)).toEqual([
        'bytes 0-7/20',
        'bytes 0-7/20',
        'bytes 0-7/20',
        'bytes 0-7/20',
        'bytes 8-15/20',
        'bytes 16-19/20',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads Retry-After only from a 503, as whole seconds, and caps it', () => {
    const answer = (status: number, retryAfter?: string) => new Response(null, { status, headers: retryAfter ? { 'Retry-After': retryAfter } : {} });
    expect(busySeconds(answer(503, '7'))).toBe(7);
    expect(busySeconds(answer(503, '99999999'))).toBe(600);
    expect(busySeconds(answer(503))).toBeNull(); // a plain server error: retried as a failure
    expect(busySeconds(answer(503, '-3'))).toBeNull();
    expect(busySeconds(answer(503, 'Wed, 21 Oct 2026 07:28:00 GMT'))).toBeNull();
    expect(busySeconds(answer(429, '7'))).toBeNull();
  });
});

/** The API plus an upload URL; the second chunk can be held back to look at the progress. */
function uploadBackend(total = 9 * 1024 * 1024, fail: Parameters<typeof uploadServer>[1] = {}) {
  const assets: Asset[] = [];
  const api = mockApi({
    ...infoRoute,
    'GET /video/v1/assets': () => listOf(assets),
    'POST /video/v1/uploads': () => ({ status: 201, body: { data: { id: 'up1', url: UPLOAD_URL, status: 'waiting', timeout: 3600 } } }),
    'PUT /video/v1/uploads/up1/cancel': () => ({ body: { data: { id: 'up1', url: UPLOAD_URL, status: 'cancelled', timeout: 3600 } } }),
    'GET /video/v1/assets/a9': () => ({ body: { data: assets[0] } }),
  });
  const server = uploadServer(total, fail);
  let release: (() => void) | undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const inner = api.fetchMock;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    if (!String(input).startsWith('/upload/')) return inner(input, init);
    if (server.puts.length === 1) {
      // The last chunk waits for the test (or for the user to cancel).
      await new Promise<void>((resolve, reject) => {
        void held.then(resolve);
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    const answer = await server.handle(input, init);
    if (answer.status === 200) assets.unshift(makeAsset({ id: 'a9', status: 'preparing', source: 'upload', meta: { title: 'Take 1' } }));
    return answer;
  });
  return { api, server, total, release: () => release?.() };
}

const takeOne = (size: number) => new File([new Uint8Array(size)], 'Take 1.mov', { type: 'video/quicktime' });

describe('uploading from the browser', () => {
  it('creates a direct upload, shows its progress, and the asset appears', async () => {
    const { api, server, total, release } = uploadBackend();
    render(<App />);
    fireEvent.change(await screen.findByRole('combobox', { name: 'Master size' }), { target: { value: '2160p' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Make a download link when ready' }));
    expect(screen.getByRole('button', { name: 'Upload files…' })).toBeTruthy();
    expect(screen.getByText(/drop video files anywhere on this window/)).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Video files to upload'), { target: { files: [takeOne(total)] } });

    const row = await screen.findByTestId('upload');
    await waitFor(() => expect(within(row).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('89'));
    expect(within(row).getByText(/8\.39 MB of 9\.44 MB · 88%/)).toBeTruthy();
    expect(api.callsTo('POST', '/video/v1/uploads')[0]?.body).toEqual({
      new_asset_settings: { master_access: 'temporary', max_resolution_tier: '2160p', meta: { title: 'Take 1' } },
      timeout: 3600 + 10,
      file_name: 'Take 1.mov', // the kept original keeps the name it had here
    });

    release();
    expect(await within(row).findByText(/Uploaded/)).toBeTruthy();
    expect(server.puts.map((p) => p.range)).toEqual([`bytes 0-${CHUNK_SIZE - 1}/${total}`, `bytes ${CHUNK_SIZE}-${total - 1}/${total}`]);
    expect(within(row).getByRole('link', { name: 'Open' }).getAttribute('href')).toBe('#/assets/a9');
    expect(await screen.findByTestId('asset-card')).toBeTruthy();
    expect(screen.getByText('Uploaded “Take 1.mov”. Its master is being prepared.')).toBeTruthy();
  });

  it('Cancel stops the transfer and cancels the upload on the server', async () => {
    const { api, total } = uploadBackend();
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Video files to upload'), { target: { files: [takeOne(total)] } });
    const row = await screen.findByTestId('upload');
    await waitFor(() => expect(within(row).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('89'));

    fireEvent.click(within(row).getByRole('button', { name: 'Cancel upload of Take 1.mov' }));
    expect(await within(row).findByText('Cancelled')).toBeTruthy();
    await waitFor(() => expect(api.callsTo('PUT', '/video/v1/uploads/up1/cancel')).toHaveLength(1));
    expect(within(row).queryByRole('progressbar')).toBeNull();
  });

  it('a file over the limit (413) stops, shows the server’s sentence on its line, and is cancelled on the server', async () => {
    const limit =
      'this upload is limited to 1 KB (1000 bytes) and this request claims a file of 5000 bytes: nothing was written and the upload still waits for its file';
    const { api } = uploadBackend(5000, { 0: () => json(413, { error: { type: 'invalid_parameters', messages: [limit] } }) });
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Video files to upload'), { target: { files: [takeOne(5000)] } });
    const row = await screen.findByTestId('upload');
    expect(await within(row).findByText('Failed')).toBeTruthy();
    expect(within(row).getByText(`Too large for this Reelvault: ${limit}`)).toBeTruthy();
    expect(within(row).queryByRole('progressbar')).toBeNull();
    await waitFor(() => expect(api.callsTo('PUT', '/video/v1/uploads/up1/cancel')).toHaveLength(1));
    expect(await screen.findByText(`An upload failed: Take 1.mov (Too large for this Reelvault: ${limit}).`)).toBeTruthy();
  });

  it('too many uploads at once (503 Retry-After): the line waits its turn and the upload goes through', async () => {
    // Fake timers that also follow the real clock, so the page's own waits still run; the
    // server's pause is skipped by advancing them.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const busy = () =>
        json(503, { error: { type: 'failed', messages: ['this computer is receiving 4 uploads at once'] } }, { 'Retry-After': '30' });
      const { api, release } = uploadBackend(1000, { 0: busy });
      release();
      render(<App />);
      fireEvent.change(await screen.findByLabelText('Video files to upload'), { target: { files: [takeOne(1000)] } });
      const row = await screen.findByTestId('upload');
      expect(await within(row).findByText('Waiting for a free place: Reelvault is receiving other uploads')).toBeTruthy();
      expect(within(row).queryByText('Failed')).toBeNull();

      await act(async () => {
        await vi.advanceTimersByTimeAsync(30_000);
      });
      expect(await within(row).findByText(/Uploaded/)).toBeTruthy();
      expect(screen.getByText('Uploaded “Take 1.mov”. Its master is being prepared.')).toBeTruthy();
      expect(screen.queryByText(/upload failed/)).toBeNull();
      expect(api.callsTo('PUT', '/video/v1/uploads/up1/cancel')).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('files dropped on the browser window are uploaded; a folder is explained', async () => {
    const { api, release } = uploadBackend(1000);
    release();
    window.location.hash = '#/live';
    mockLive(api);
    render(<App />);
    await screen.findByRole('heading', { name: 'Record a live stream' });

    const file = takeOne(1000);
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', {
      value: {
        types: ['Files'],
        files: [file, new File([], 'Card folder')],
        items: [
          { kind: 'file', webkitGetAsEntry: () => ({ isDirectory: false }) },
          { kind: 'file', webkitGetAsEntry: () => ({ isDirectory: true }) },
        ],
      },
    });
    window.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);

    // The library opens, where the add panel shows the upload.
    expect(await screen.findByText(/A browser cannot upload a folder/)).toBeTruthy();
    await screen.findByRole('heading', { name: 'Library' });
    expect(await screen.findByText('Uploaded “Take 1.mov”. Its master is being prepared.')).toBeTruthy();
    expect(api.callsTo('POST', '/video/v1/uploads')).toHaveLength(1);
  });
});

describe('drops and batches', () => {
  it('a dropped text file is refused with a clear message; the video beside it is uploaded', async () => {
    const { api, release } = uploadBackend(1000);
    release();
    render(<App />);
    await screen.findByRole('heading', { name: 'Your archive is empty' }); // the list loaded: effects ran
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', {
      value: { types: ['Files'], files: [new File(['hello'], 'notes.txt', { type: 'text/plain' }), takeOne(1000)] },
    });
    window.dispatchEvent(drop);
    expect(
      await screen.findByText('Not uploaded: “notes.txt” is not a video or audio file. Reelvault archives video (MOV, MP4, MXF, MKV…) and audio (WAV…).'),
    ).toBeTruthy();
    expect(await screen.findByText('Uploaded “Take 1.mov”. Its master is being prepared.')).toBeTruthy();
    expect(api.callsTo('POST', '/video/v1/uploads')).toHaveLength(1);
  });

  it('a text file chosen with "All files" in the dialog is refused as a drop is; the video beside it is uploaded', async () => {
    const { api, release } = uploadBackend(1000);
    release();
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Video files to upload'), {
      target: { files: [new File(['hello'], 'notes.txt', { type: 'text/plain' }), takeOne(1000)] },
    });
    expect(
      await screen.findByText('Not uploaded: “notes.txt” is not a video or audio file. Reelvault archives video (MOV, MP4, MXF, MKV…) and audio (WAV…).'),
    ).toBeTruthy();
    expect(await screen.findByText('Uploaded “Take 1.mov”. Its master is being prepared.')).toBeTruthy();
    expect(api.callsTo('POST', '/video/v1/uploads')).toHaveLength(1);
  });

  it('several files show one line for the batch', () => {
    const item = (key: number, state: UploadItem['state'], sent: number) => ({ key, name: `c${key}.mov`, size: 100e6, sent, state });
    expect(batchSummary([item(1, 'done', 100e6), item(2, 'uploading', 50e6), item(3, 'queued', 0)])).toEqual({
      text: 'Uploading 2 of 3 · 150 MB of 300 MB · 50%',
      percent: 50,
    });
    expect(batchSummary([item(1, 'uploading', 0)])).toBeNull(); // one file: its own row says it all
    expect(batchSummary([item(1, 'done', 100e6), item(2, 'failed', 0)])).toBeNull(); // nothing going on
    expect(isMediaFile({ name: 'A001C003.BRAW', type: '' })).toBe(true);
    expect(isMediaFile({ name: 'notes.txt', type: 'text/plain' })).toBe(false);
  });
});

function mockLive(api: ReturnType<typeof mockApi>) {
  const inner = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    String(input).startsWith('/video/v1/live-streams') ? Promise.resolve(json(200, { data: [] })) : inner(input, init),
  );
  return api;
}
