import { request } from './client';
import type { AppInfo } from './types';

export async function getInfo(): Promise<AppInfo> {
  return (await request<{ data: AppInfo }>('GET', '/ui/v1/info')).data;
}

/** Trades the one-time code printed by `reelvault serve` for an HttpOnly session cookie. */
export async function createSession(code: string): Promise<void> {
  await request<void>('POST', '/ui/v1/session', { body: { code } });
}

/** Ends this browser's session on the server (for good) and drops its cookie. */
export async function endSession(): Promise<void> {
  await request<void>('DELETE', '/ui/v1/session');
}

/**
 * The login code a link carried (`reelvault serve` prints http://…/?code=XXXX-XXXX), taken out of
 * the address bar at once so it is not left in the history; null when there is none.
 */
export function takeCodeFromURL(): string | null {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('code');
  if (code === null) return null;
  url.searchParams.delete('code');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  return code.trim() || null;
}

/** What the library takes on disk (masters, kept uploaded originals) and the disk's free space. */
export interface Storage {
  used_bytes: number;
  masters_bytes: number;
  originals_bytes: number;
  /** 0 when this computer cannot tell. */
  free_bytes: number;
  disk_bytes: number;
}

export async function getStorage(signal?: AbortSignal): Promise<Storage> {
  return (await request<{ data: Storage }>('GET', '/ui/v1/storage', { signal })).data;
}
