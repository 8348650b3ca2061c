// Direct uploads (Mux's API): create an upload, then PUT the file to its URL in chunks with
// Content-Range, as Mux's UpChunk does. The server answers each chunk but the last with
// "308 Resume Incomplete" and a Range header saying what it holds, so a failed chunk resumes
// from the last good byte instead of starting over.
import { ApiError, request } from './client';
import type { AssetSettings } from './types';

export type UploadStatus = 'waiting' | 'asset_created' | 'errored' | 'cancelled' | 'timed_out';

export interface Upload {
  id: string;
  url: string;
  status: UploadStatus | string;
  timeout: number;
  asset_id?: string;
  error?: { type: string; message: string };
  received_bytes?: number;
  total_bytes?: number;
}


/** 8 MiB: small enough that a retry costs little, large enough to keep loopback fast. */
export const CHUNK_SIZE = 8 * 1024 * 1024;
/** Mux's longest upload timeout. */
const MAX_TIMEOUT_S = 604_800;

/**
 * The server times out uploads that do not finish (Mux's default is an hour); give a big file
 * on a slow network room: an hour plus one second per MB.
 */
export function timeoutFor(bytes: number): number {
  return Math.min(MAX_TIMEOUT_S, 3600 + Math.ceil(bytes / 1_000_000));
}

/** `fileName` (Reelvault's own) is the name the file has here: the kept original keeps it. */
export async function createUpload(settings: AssetSettings, bytes: number, fileName?: string): Promise<Upload> {
  const body = { new_asset_settings: settings, timeout: timeoutFor(bytes), ...(fileName ? { file_name: fileName } : {}) };
  return (await request<{ data: Upload }>('POST', '/video/v1/uploads', { body })).data;
}

/** Only a waiting upload can be cancelled (403 otherwise); its bytes are removed. */
export async function cancelUpload(id: string): Promise<Upload> {
  return (await request<{ data: Upload }>('PUT', `/video/v1/uploads/${encodeURIComponent(id)}/cancel`)).data;
}

/**
 * The upload URL as a path on this origin: the server builds it on its API address, which may
 * not be the address this page was opened on (a proxy, another host name).
 */
export function sameOriginPath(url: string): string {
  const parsed = new URL(url, window.location.href);
  return parsed.pathname + parsed.search;
}

export interface SendOptions {
  signal?: AbortSignal;
  chunkSize?: number;
  /** Bytes the server holds, after each chunk. */
  onProgress?: (sent: number, total: number) => void;
  /** Failed attempts in a row before giving up. */
  maxRetries?: number;
  /** Wait before the n-th retry (1-based). */
  retryDelayMs?: (attempt: number) => number;
  /**
   * The server is receiving as many uploads as it takes (503 with Retry-After): the chunk is
   * sent again after `seconds`, without counting as a failure. Told so the line can say why.
   */
  onBusy?: (seconds: number) => void;
}

/** The longest Retry-After honoured: a hostile or broken header cannot park an upload for days. */
const MAX_BUSY_WAIT_S = 600;

const defaultDelay = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/**
 * PUTs `file` to an upload URL in chunks and resolves to the finished upload (with its
 * `asset_id`). Network errors and server errors are retried from what the server holds.
 */
export async function sendFile(url: string, file: Blob, options: SendOptions = {}): Promise<Upload> {
  const total = file.size;
  if (total === 0) throw new ApiError(400, 'invalid_parameters', ['The file is empty.']);
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const maxRetries = options.maxRetries ?? 5;
  const delay = options.retryDelayMs ?? defaultDelay;
  const path = sameOriginPath(url);
  let offset = 0;
  let failures = 0;

  for (;;) {
    if (offset >= total) {
      // Every byte is there but the upload did not finish (its last answer was lost): ask.
      const status = await askReceived(path, total, options.signal);
      if (status.done) return status.done;
      if (++failures > maxRetries) throw new ApiError(0, 'failed', ['Reelvault received the whole file but did not finish the upload.']);
      await sleep(delay(failures), options.signal);
      offset = Math.min(offset, status.received ?? offset);
      continue;
    }
    const end = Math.min(offset + chunkSize, total) - 1;
    const response = await put(path, `bytes ${offset}-${end}/${total}`, file.slice(offset, end + 1), options.signal);
    if (response?.status === 200) {
      options.onProgress?.(total, total);
      return uploadFrom(response);
    }
    if (response?.status === 308) {
      offset = receivedFrom(response);
      failures = 0;
      options.onProgress?.(offset, total);
      continue;
    }
    const busy = response ? busySeconds(response) : null;
    if (busy !== null) {
      // Nothing was written: the same chunk goes again once a place may be free. The upload's
      // own timeout bounds how long this can go on (the server then answers 410).
      options.onBusy?.(busy);
      await sleep(busy * 1000, options.signal);
      continue;
    }
    // Anything else that says what arrived (a gap, a mismatch, an interrupted body) resumes there.
    const held = response ? receivedOrNull(response) : null;
    if (response && held === null && !retryable(response.status)) throw await errorFrom(response);

    failures++;
    if (failures > maxRetries) {
      throw response ? await errorFrom(response) : new ApiError(0, 'network', ['The upload keeps failing: Reelvault is not reachable.']);
    }
    await sleep(delay(failures), options.signal);
    const status = held === null ? await askReceived(path, total, options.signal) : { received: held };
    if (status.done) {
      options.onProgress?.(total, total);
      return status.done;
    }
    if (status.received !== undefined) {
      offset = status.received;
      options.onProgress?.(offset, total);
    }
  }
}

/** One PUT; undefined when no answer came (network error). An abort is rethrown. */
async function put(path: string, contentRange: string, body: Blob | undefined, signal?: AbortSignal) {
  try {
    return await fetch(path, {
      method: 'PUT',
      headers: { 'Content-Range': contentRange },
      body,
      signal,
      credentials: 'same-origin',
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    return undefined;
  }
}

/** Asks what the server holds (Content-Range: bytes STAR/TOTAL, no body). */
async function askReceived(path: string, total: number, signal?: AbortSignal): Promise<{ received?: number; done?: Upload }> {
  const response = await put(path, `bytes */${total}`, undefined, signal);
  if (!response) return {};
  if (response.status === 200) return { done: await uploadFrom(response) };
  if (response.status === 308) return { received: receivedFrom(response) };
  const held = receivedOrNull(response);
  if (held !== null) return { received: held };
  if (!retryable(response.status)) throw await errorFrom(response);
  return {};
}

export const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * A "too many uploads at once" answer: 503 with Retry-After in seconds (the server's form),
 * clamped to MAX_BUSY_WAIT_S. Null for anything else, which is retried as a failure.
 */
export function busySeconds(response: Response): number | null {
  if (response.status !== 503) return null;
  const header = (response.headers.get('Retry-After') ?? '').trim();
  if (!/^\d{1,9}$/.test(header)) return null;
  return Math.min(MAX_BUSY_WAIT_S, Number(header));
}

/** "Range: bytes=0-N" -> N+1; no header means nothing is held yet. */
function receivedFrom(response: Response): number {
  return receivedOrNull(response) ?? 0;
}

function receivedOrNull(response: Response): number | null {
  const match = /bytes=0-(\d+)/.exec(response.headers.get('Range') ?? '');
  return match ? Number(match[1]) + 1 : null;
}

async function uploadFrom(response: Response): Promise<Upload> {
  return ((await response.json()) as { data: Upload }).data;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let messages: string[] = [];
  let type = 'failed_request';
  try {
    const body = (await response.json()) as { error?: { type?: string; messages?: string[] } };
    type = body.error?.type ?? type;
    messages = (body.error?.messages ?? []).filter((m) => typeof m === 'string' && m !== '');
  } catch {
    // Not JSON: fall back to the status.
  }
  if (messages.length === 0) messages = [`The upload failed (HTTP ${response.status}).`];
  return new ApiError(response.status, type, messages);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The uploaded original Reelvault keeps as an asset's input (404 for other assets). */
export interface KeptOriginal {
  name: string;
  size: number;
  download_url: string;
}

export async function getKeptOriginal(assetId: string, signal?: AbortSignal): Promise<KeptOriginal> {
  return (await request<{ data: KeptOriginal }>('GET', `/ui/v1/assets/${encodeURIComponent(assetId)}/original`, { signal })).data;
}
