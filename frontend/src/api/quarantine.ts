import type { Asset } from './types';
import { request } from './client';

/** A file start-up found without a record and set aside instead of deleting it. */
export interface QuarantinedFile {
  id: string;
  name: string;
  /** Where it was, inside the storage folder, e.g. "masters/abc.mp4". */
  from: string;
  reason: string;
  size: number;
  /** When it was set aside, Unix seconds as a string. */
  created_at: string;
}

const path = '/reelvault/v1/quarantine';

export async function listQuarantine(signal?: AbortSignal): Promise<QuarantinedFile[]> {
  return (await request<{ data: QuarantinedFile[] }>('GET', path, { signal })).data;
}

/** Adopts the file back: it becomes a new video in the library. */
export async function restoreQuarantined(id: string): Promise<Asset> {
  return (await request<{ data: Asset }>('POST', `${path}/${encodeURIComponent(id)}/restore`)).data;
}

export async function deleteQuarantined(id: string): Promise<void> {
  await request<void>('DELETE', `${path}/${encodeURIComponent(id)}`);
}
