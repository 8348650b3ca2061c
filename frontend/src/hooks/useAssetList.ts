import { useCallback, useRef, useState } from 'preact/hooks';
import { getAsset, listAssets } from '../api/assets';
import { ApiError, messageOf } from '../api/client';
import type { Asset } from '../api/types';
import { appendPage, mergeFirstPage, upsertAsset } from '../assetList';
import { isBusy } from '../format';
import { usePoll } from './usePoll';

export const PAGE_SIZE = 50;
export const FAST_POLL_MS = 1_000;
export const SLOW_POLL_MS = 10_000;
const RETRY_MS = 5_000;

interface ListState {
  assets: Asset[];
  loaded: boolean;
  /** Cursor for the next "Load more"; null when everything is shown. */
  cursor: string | null;
  /** True once "Load more" was used: polling then must not drop the older pages. */
  extended: boolean;
  error: string | null;
}

export interface AssetList {
  assets: Asset[];
  loaded: boolean;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => Promise<void>;
  upsert: (asset: Asset) => void;
  remove: (id: string) => void;
  pollNow: () => void;
}

/** The library: newest first, polled every second while anything is preparing, else every 10 s. */
export function useAssetList(active: boolean): AssetList {
  const [state, setState] = useState<ListState>({ assets: [], loaded: false, cursor: null, extended: false, error: null });
  const stateRef = useRef(state);
  const commit = useCallback((update: (prev: ListState) => ListState) => {
    stateRef.current = update(stateRef.current);
    setState(stateRef.current);
  }, []);
  const [loadingMore, setLoadingMore] = useState(false);

  const tick = useCallback(
    async (signal: AbortSignal) => {
      try {
        const page = await listAssets({ limit: PAGE_SIZE, signal });
        if (signal.aborted) return SLOW_POLL_MS;
        commit((prev) => {
          const hasMore = page.next_cursor !== null;
          const assets = prev.extended ? mergeFirstPage(prev.assets, page.data, hasMore) : page.data;
          const extended = prev.extended && hasMore;
          return { assets, loaded: true, cursor: extended ? prev.cursor : page.next_cursor, extended, error: null };
        });
        await refreshBusyBeyondFirstPage(stateRef.current.assets.slice(page.data.length), signal, (asset) =>
          commit((prev) => ({ ...prev, assets: upsertAsset(prev.assets, asset) })),
        );
        return stateRef.current.assets.some(isBusy) ? FAST_POLL_MS : SLOW_POLL_MS;
      } catch (error) {
        if (signal.aborted) return SLOW_POLL_MS;
        // A 401 swaps the whole window for the login screen; nothing to show here.
        if (!(error instanceof ApiError && error.status === 401)) {
          commit((prev) => ({ ...prev, loaded: true, error: messageOf(error) }));
        }
        return RETRY_MS;
      }
    },
    [commit],
  );

  const pollNow = usePoll(tick, active);

  const loadMore = useCallback(async () => {
    const cursor = stateRef.current.cursor;
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await listAssets({ limit: PAGE_SIZE, cursor });
      commit((prev) => ({ ...prev, assets: appendPage(prev.assets, page.data), cursor: page.next_cursor, extended: true, error: null }));
    } catch (error) {
      commit((prev) => ({ ...prev, error: messageOf(error) }));
    } finally {
      setLoadingMore(false);
    }
  }, [commit]);

  const upsert = useCallback((asset: Asset) => commit((prev) => ({ ...prev, assets: upsertAsset(prev.assets, asset) })), [commit]);
  const remove = useCallback(
    (id: string) => commit((prev) => ({ ...prev, assets: prev.assets.filter((a) => a.id !== id) })),
    [commit],
  );

  return {
    assets: state.assets,
    loaded: state.loaded,
    error: state.error,
    hasMore: state.cursor !== null,
    loadingMore,
    loadMore,
    upsert,
    remove,
    pollNow,
  };
}

// Assets older than the first page are rarely busy, but when they are, fetch them one by one.
async function refreshBusyBeyondFirstPage(older: Asset[], signal: AbortSignal, onFresh: (asset: Asset) => void) {
  for (const asset of older.filter(isBusy).slice(0, 10)) {
    if (signal.aborted) return;
    try {
      onFresh(await getAsset(asset.id, signal));
    } catch {
      // The next tick tries again; one stale row is not worth an error banner.
    }
  }
}
