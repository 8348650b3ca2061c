import type { SortKey } from '../assetList';
import { request, requestWithStatus } from './client';
import type { Asset, AssetChanges, AssetStatus, MasterAccess, MaxResolutionTier, NewAsset, Page, RenditionResolution, StaticRendition } from './types';

const base = '/video/v1/assets';
const path = (id: string) => `${base}/${encodeURIComponent(id)}`;

export interface ListOptions {
  limit?: number;
  cursor?: string | null;
  /** Searched in titles and inputs by the server. */
  q?: string;
  status?: AssetStatus | '';
  /** 'asc' asks for oldest first; the server's default is newest first. */
  order?: 'asc' | 'desc';
  /** Reelvault's library sort; absent or 'created_at' is Mux's date order. */
  orderBy?: SortKey;
  source?: string;
  codec?: string;
  resolution?: string;
  signal?: AbortSignal;
}

export async function listAssets(options: ListOptions = {}) {
  const query = new URLSearchParams({ limit: String(options.limit ?? 50) });
  if (options.cursor) query.set('cursor', options.cursor);
  const q = options.q?.trim();
  if (q) query.set('q', q);
  if (options.status) query.set('status', options.status);
  if (options.order === 'asc') query.set('order', 'asc');
  if (options.orderBy && options.orderBy !== 'created_at') query.set('order_by', options.orderBy);
  for (const key of ['source', 'codec', 'resolution'] as const) {
    const value = options[key];
    if (value) query.set(key, value);
  }
  const page = await request<Page<Asset>>('GET', `${base}?${query}`, { signal: options.signal });
  return { data: page.data ?? [], next_cursor: page.next_cursor ?? null, total: page.total };
}

export async function getAsset(id: string, signal?: AbortSignal): Promise<Asset> {
  return (await request<{ data: Asset }>('GET', path(id), { signal })).data;
}

export async function createAsset(body: NewAsset): Promise<Asset> {
  return (await request<{ data: Asset }>('POST', base, { body })).data;
}

export async function updateAsset(id: string, changes: AssetChanges): Promise<Asset> {
  return (await request<{ data: Asset }>('PATCH', path(id), { body: changes })).data;
}

export async function deleteAsset(id: string): Promise<void> {
  await request<void>('DELETE', path(id));
}

export async function setMasterAccess(id: string, access: MasterAccess): Promise<Asset> {
  return (await request<{ data: Asset }>('PUT', `${path(id)}/master-access`, { body: { master_access: access } })).data;
}

/** Builds a failed asset's master again from the same input (412 when the input is gone). */
export async function retryAsset(id: string): Promise<Asset> {
  return (await request<{ data: Asset }>('POST', `/reelvault/v1/assets/${encodeURIComponent(id)}/retry`)).data;
}

/**
 * Rebuilds a ready asset's master from its kept source at another size. `queued` is false when
 * there is nothing to do (already that size, or the source is not bigger). A 412 says in words
 * why it cannot (the source is gone or changed). The current master keeps working meanwhile.
 */
export async function rebuildAsset(id: string, tier: MaxResolutionTier): Promise<{ asset: Asset; queued: boolean }> {
  const { status, body } = await requestWithStatus<{ data: Asset }>('POST', `/reelvault/v1/assets/${encodeURIComponent(id)}/rebuild`, {
    body: { max_resolution_tier: tier },
  });
  return { asset: body.data, queued: status === 202 };
}

/** Stops a queued or running rebuild, or dismisses a failed one; the master stays as it is. */
export async function cancelRebuild(id: string): Promise<void> {
  await request<void>('DELETE', `/reelvault/v1/assets/${encodeURIComponent(id)}/rebuild`);
}

/** Asks for a proxy of the master at a resolution (Mux's static renditions); made in the background. */
export async function createRendition(id: string, resolution: RenditionResolution): Promise<StaticRendition> {
  return (await request<{ data: StaticRendition }>('POST', `${path(id)}/static-renditions`, { body: { resolution } })).data;
}

/** Deletes a proxy and its file; the master is untouched. */
export async function deleteRendition(id: string, renditionId: string): Promise<void> {
  await request<void>('DELETE', `${path(id)}/static-renditions/${encodeURIComponent(renditionId)}`);
}

/** The ready video proxy the window plays instead of the master: the smallest one, which decodes fastest. */
export function playableProxy(asset: Asset): StaticRendition | undefined {
  const ready = (asset.static_renditions?.files ?? []).filter(
    (f) => f.status === 'ready' && f.ext === 'mp4' && f.play_url,
  );
  return ready.sort((a, b) => Number(a.filesize ?? 0) - Number(b.filesize ?? 0))[0];
}
