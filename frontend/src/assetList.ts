import type { ProgressEntry } from './api/changes';
import type { Asset, AssetStatus } from './api/types';

export type SortOrder = 'desc' | 'asc';

/** What the library shows: a search in titles and inputs, a status, newest or oldest first. */
export interface LibraryQuery {
  q: string;
  status: '' | AssetStatus;
  order: SortOrder;
}

export const DEFAULT_QUERY: LibraryQuery = { q: '', status: '', order: 'desc' };

const createdOf = (a: Asset) => Number(a.created_at);

/** Whether `a` comes after `b` in the list's order (ties broken by id, as the server does). */
function comesAfter(a: Asset, b: Asset, order: SortOrder): boolean {
  const diff = createdOf(a) - createdOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return order === 'desc' ? diff < 0 : diff > 0;
}

/**
 * Folds a freshly fetched first page into the list already shown, keeping the items that
 * "Load more" brought in after it. Items missing from the new first page but within its range
 * were deleted (or no longer match), so they go away.
 */
export function mergeFirstPage(current: Asset[], firstPage: Asset[], hasMore: boolean, order: SortOrder = 'desc'): Asset[] {
  if (!hasMore) return firstPage;
  const last = firstPage[firstPage.length - 1];
  if (!last) return firstPage;
  const fresh = new Set(firstPage.map((a) => a.id));
  const lastIndex = current.findIndex((a) => a.id === last.id);
  const later = lastIndex >= 0 ? current.slice(lastIndex + 1) : current.filter((a) => comesAfter(a, last, order));
  return [...firstPage, ...later.filter((a) => !fresh.has(a.id))];
}

/** Replaces the asset with the same id, or puts a new one first (the list is newest first). */
export function upsertAsset(list: Asset[], asset: Asset): Asset[] {
  const index = list.findIndex((a) => a.id === asset.id);
  if (index < 0) return [asset, ...list];
  const next = list.slice();
  next[index] = asset;
  return next;
}

export function appendPage(list: Asset[], page: Asset[]): Asset[] {
  const known = new Set(list.map((a) => a.id));
  return [...list, ...page.filter((a) => !known.has(a.id))];
}

/**
 * Puts the list in the asked order. The server answers newest first; if it ignores `order=asc`
 * the loaded items are still shown oldest first.
 */
export function sortAssets(list: Asset[], order: SortOrder): Asset[] {
  if (order === 'desc') return list;
  const sorted = list.slice().sort((a, b) => (comesAfter(a, b, 'asc') ? 1 : comesAfter(b, a, 'asc') ? -1 : 0));
  return sorted.every((a, i) => a === list[i]) ? list : sorted;
}

/**
 * Whether the asset belongs in a list filtered by `query`, judged in the browser for assets
 * that changed after the server answered (the server matches titles and inputs the same way).
 */
export function matchesQuery(asset: Asset, query: LibraryQuery): boolean {
  if (query.status && asset.status !== query.status) return false;
  const needle = query.q.trim().toLowerCase();
  if (!needle) return true;
  return [asset.title, asset.meta?.title, asset.input].some((text) => text?.toLowerCase().includes(needle));
}

/**
 * Moves progress bars from a pushed progress change. Returns the same array when nothing
 * changed, so nothing re-renders.
 */
export function applyProgress(list: Asset[], entries: ProgressEntry[]): Asset[] {
  if (entries.length === 0) return list;
  const byId = new Map(entries.map((e) => [e.id, e]));
  let changed = false;
  const next = list.map((asset) => {
    const entry = byId.get(asset.id);
    if (!entry || asset.status !== 'preparing') return asset;
    if (asset.progress?.state === entry.state && asset.progress?.progress === entry.progress) return asset;
    changed = true;
    return { ...asset, progress: { state: entry.state, progress: entry.progress } };
  });
  return changed ? next : list;
}
