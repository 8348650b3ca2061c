import type { Asset } from './api/types';

/**
 * Folds a freshly fetched first page (newest first) into the list already shown, keeping the
 * older items that "Load more" brought in. Items missing from the new first page but newer than
 * its last item were deleted, so they go away.
 */
export function mergeFirstPage(current: Asset[], firstPage: Asset[], hasMore: boolean): Asset[] {
  if (!hasMore) return firstPage;
  const last = firstPage[firstPage.length - 1];
  if (!last) return firstPage;
  const fresh = new Set(firstPage.map((a) => a.id));
  const lastIndex = current.findIndex((a) => a.id === last.id);
  const older =
    lastIndex >= 0
      ? current.slice(lastIndex + 1)
      : current.filter((a) => Number(a.created_at) < Number(last.created_at));
  return [...firstPage, ...older.filter((a) => !fresh.has(a.id))];
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
