import { request } from './client';
import type { AppInfo } from './types';

export async function getInfo(): Promise<AppInfo> {
  return (await request<{ data: AppInfo }>('GET', '/ui/v1/info')).data;
}

/** Trades the one-time code printed by `reelvault serve` for an HttpOnly session cookie. */
export async function createSession(code: string): Promise<void> {
  await request<void>('POST', '/ui/v1/session', { body: { code } });
}
