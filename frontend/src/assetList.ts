import type { ProgressEntry } from './api/changes';
import type { Asset, AssetStatus, Rebuild } from './api/types';
import { sameSpeed } from './speed';

export type SortOrder = 'desc' | 'asc';
/** What the server can order the library by (its `order_by`). */
export type SortKey = 'created_at' | 'name' | 'duration' | 'size' | 'resolution' | 'captured';
export type ResolutionFilter = '' | 'audio' | 'sd' | 'hd' | 'full_hd' | '4k';

/** What the library shows: a search in titles and inputs, filters, and an order. */
export interface LibraryQuery {
  q: string;
  status: '' | AssetStatus;
  order: SortOrder;
  sort: SortKey;
  source: string;
  codec: string;
  resolution: ResolutionFilter;
}

export const DEFAULT_QUERY: LibraryQuery = { q: '', status: '', order: 'desc', sort: 'created_at', source: '', codec: '', resolution: '' };

/** The widest video track's frame size, or undefined for audio and assets not read yet. */
export function pictureOf(asset: Asset): { width: number; height: number } | undefined {
  let best: { width: number; height: number } | undefined;
  for (const t of asset.tracks ?? []) {
    if (t.type !== 'video' || !t.max_width || !t.max_height) continue;
    if (!best || t.max_width * t.max_height > best.width * best.height) best = { width: t.max_width, height: t.max_height };
  }
  return best;
}

/** The sort value of an asset, as the server computes it (so pages and local updates agree). */
function sortValue(a: Asset, key: SortKey): number | string {
  switch (key) {
    case 'name': {
      // An untitled video by its input's file name, as the window names it (not the folder).
      const input = a.input ?? '';
      return (a.meta?.title || input.slice(Math.max(input.lastIndexOf('/'), input.lastIndexOf('\\')) + 1)).toLowerCase();
    }
    case 'duration':
      return a.duration ?? -1;
    case 'size':
      return a.master_size ?? -1;
    case 'captured':
      // Without a date first, as the server orders them.
      return Number(a.captured_at ?? 0);
    case 'resolution': {
      const p = pictureOf(a);
      return p ? p.width * p.height : 0;
    }
    default:
      return Number(a.created_at);
  }
}

function compareAssets(a: Asset, b: Asset, key: SortKey): number {
  const va = sortValue(a, key);
  const vb = sortValue(b, key);
  const diff = typeof va === 'number' && typeof vb === 'number' ? va - vb : va < vb ? -1 : va > vb ? 1 : 0;
  return diff || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whether `a` comes after `b` in the list's order (ties broken by id, as the server does). */
function comesAfter(a: Asset, b: Asset, order: SortOrder, key: SortKey = 'created_at'): boolean {
  const diff = compareAssets(a, b, key);
  return order === 'desc' ? diff < 0 : diff > 0;
}

/**
 * Folds a freshly fetched first page into the list already shown, keeping the items that
 * "Load more" brought in after it. Items missing from the new first page but within its range
 * were deleted (or no longer match), so they go away.
 */
export function mergeFirstPage(
  current: Asset[],
  firstPage: Asset[],
  hasMore: boolean,
  order: SortOrder = 'desc',
  key: SortKey = 'created_at',
): Asset[] {
  if (!hasMore) return firstPage;
  const last = firstPage[firstPage.length - 1];
  if (!last) return firstPage;
  const fresh = new Set(firstPage.map((a) => a.id));
  const lastIndex = current.findIndex((a) => a.id === last.id);
  const later = lastIndex >= 0 ? current.slice(lastIndex + 1) : current.filter((a) => comesAfter(a, last, order, key));
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
export function sortAssets(list: Asset[], order: SortOrder, key: SortKey = 'created_at'): Asset[] {
  if (order === 'desc' && key === 'created_at') return list;
  const sign = order === 'asc' ? 1 : -1;
  const sorted = list.slice().sort((a, b) => sign * compareAssets(a, b, key));
  return sorted.every((a, i) => a === list[i]) ? list : sorted;
}

/**
 * Whether the asset belongs in a list filtered by `query`, judged in the browser for assets
 * that changed after the server answered (the server matches titles and inputs the same way).
 */
export function matchesQuery(asset: Asset, query: LibraryQuery): boolean {
  if (query.status && asset.status !== query.status) return false;
  if (query.source && asset.source !== query.source) return false;
  if (query.codec && asset.master_codecs?.video !== query.codec && asset.master_codecs?.audio !== query.codec) return false;
  if (query.resolution && resolutionBucket(asset) !== query.resolution) return false;
  const needle = query.q.trim().toLowerCase();
  if (!needle) return true;
  return [asset.title, asset.meta?.title, asset.input].some((text) => text?.toLowerCase().includes(needle));
}

/** The server's resolution filter buckets, by frame width. */
export function resolutionBucket(asset: Asset): ResolutionFilter {
  const width = pictureOf(asset)?.width ?? 0;
  if (width === 0) return asset.status === 'ready' ? 'audio' : '';
  if (width < 1280) return 'sd';
  if (width < 1920) return 'hd';
  if (width < 3840) return 'full_hd';
  return '4k';
}

/** Whether the query narrows the library (a search or a filter), so counts say "found". */
export function isFiltered(query: LibraryQuery): boolean {
  return query.q.trim() !== '' || query.status !== '' || query.source !== '' || query.codec !== '' || query.resolution !== '';
}

const sameRebuild = (a: Rebuild | undefined, b: Rebuild) =>
  a !== undefined &&
  a.state === b.state &&
  a.progress === b.progress &&
  a.max_resolution_tier === b.max_resolution_tier &&
  a.queue_ahead === b.queue_ahead &&
  a.error === b.error &&
  a.waiting === b.waiting &&
  sameSpeed(a.speed, b.speed);

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
    if (!entry) return asset;
    if (asset.status === 'ready') {
      // A ready video's entry is its change of master size; its end comes as an asset event.
      if (!entry.rebuild || sameRebuild(asset.rebuild, entry.rebuild)) return asset;
      changed = true;
      return { ...asset, rebuild: entry.rebuild };
    }
    if (asset.status !== 'preparing') return asset;
    if (
      asset.progress?.state === entry.state &&
      asset.progress?.progress === entry.progress &&
      asset.queue_ahead === entry.queue_ahead &&
      sameSpeed(asset.speed, entry.speed)
    ) {
      return asset;
    }
    changed = true;
    return { ...asset, progress: { state: entry.state, progress: entry.progress }, queue_ahead: entry.queue_ahead, speed: entry.speed };
  });
  return changed ? next : list;
}
