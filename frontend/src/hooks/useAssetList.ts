import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getAsset, listAssets } from '../api/assets';
import type { Change } from '../api/changes';
import { ApiError, messageOf } from '../api/client';
import type { Asset } from '../api/types';
import {
  appendPage,
  applyProgress,
  DEFAULT_QUERY,
  type LibraryQuery,
  matchesQuery,
  type SortOrder,
  mergeFirstPage,
  sortAssets,
  upsertAsset,
} from '../assetList';
import { isBusy } from '../format';
import { useChanges } from './useChanges';
import { usePoll } from './usePoll';

export const PAGE_SIZE = 50;
/** Later pages are the server's largest: fewer requests while scrolling a big archive. */
export const MORE_PAGE_SIZE = 100;
export const FAST_POLL_MS = 1_000;
export const SLOW_POLL_MS = 10_000;
/** With pushed changes arriving, polling is only a safety net for anything missed. */
export const SAFETY_POLL_MS = 30_000;
const RETRY_MS = 5_000;
/** Changes come in bursts (created, preparing, ready...): gather them before fetching. */
export const CHANGE_BATCH_MS = 250;
/** More changed assets than this at once: refetch the first page instead of each one. */
const MAX_SINGLE_FETCHES = 10;

interface ListState {
  /** In the order the server gave them; sorted for display by the asked order. */
  assets: Asset[];
  loaded: boolean;
  /** Cursor for the next "Load more"; null when everything is shown. */
  cursor: string | null;
  /** True once "Load more" was used: refreshing must not drop the later pages. */
  extended: boolean;
  error: string | null;
  /** The query the assets answer; differs from the asked one while a new search runs. */
  shownQuery: LibraryQuery;
  /** How many match across all pages, when the server says (Reelvault does). */
  total: number | null;
}

export interface AssetList {
  assets: Asset[];
  loaded: boolean;
  error: string | null;
  hasMore: boolean;
  /** How many match the query across all pages (null: the server does not say). */
  total: number | null;
  loadingMore: boolean;
  loadMore: () => Promise<void>;
  upsert: (asset: Asset) => void;
  remove: (id: string) => void;
  pollNow: () => void;
  query: LibraryQuery;
  setQuery: (query: LibraryQuery) => void;
  /** A new search or filter is on its way; the list still shows the previous answer. */
  searching: boolean;
  /** Changes are pushed by the server (else the list is polled). */
  live: boolean;
}

const sameQuery = (a: LibraryQuery, b: LibraryQuery) =>
  a.q.trim() === b.q.trim() &&
  a.status === b.status &&
  a.order === b.order &&
  a.sort === b.sort &&
  a.source === b.source &&
  a.codec === b.codec &&
  a.resolution === b.resolution;

const listOptions = (q: LibraryQuery) => ({
  q: q.q,
  status: q.status,
  order: q.order,
  orderBy: q.sort,
  source: q.source,
  codec: q.codec,
  resolution: q.resolution,
});

/**
 * The library page by page, for the current search, filter and order. Kept fresh by pushed
 * changes (a slow poll as a safety net); when nothing is pushed, polled every second while
 * anything is preparing, else every 10 s.
 */
export function useAssetList(active: boolean): AssetList {
  const [query, setQueryState] = useState<LibraryQuery>(DEFAULT_QUERY);
  const queryRef = useRef(query);
  const [state, setState] = useState<ListState>({
    assets: [],
    loaded: false,
    cursor: null,
    extended: false,
    error: null,
    shownQuery: DEFAULT_QUERY,
    total: null,
  });
  const stateRef = useRef(state);
  const commit = useCallback((update: (prev: ListState) => ListState) => {
    const next = update(stateRef.current);
    if (next === stateRef.current) return;
    stateRef.current = next;
    setState(next);
  }, []);
  const [loadingMore, setLoadingMore] = useState(false);
  const liveRef = useRef(false);

  const tick = useCallback(
    async (signal: AbortSignal) => {
      const asked = queryRef.current;
      try {
        const page = await listAssets({ limit: PAGE_SIZE, ...listOptions(asked), signal });
        if (signal.aborted) return SLOW_POLL_MS;
        // The user changed the search meanwhile: drop this answer, the next tick asks again.
        if (!sameQuery(asked, queryRef.current)) return 0;
        commit((prev) => {
          const hasMore = page.next_cursor !== null;
          const sameList = sameQuery(prev.shownQuery, asked);
          const keepLater = sameList && prev.extended;
          const assets = keepLater ? mergeFirstPage(prev.assets, page.data, hasMore, servedOrder(page.data, asked), asked.sort)
            : page.data;
          const extended = keepLater && hasMore;
          const total = page.total ?? null;
          return { assets, loaded: true, cursor: extended ? prev.cursor : page.next_cursor, extended, error: null, shownQuery: asked, total };
        });
        if (!liveRef.current) {
          await refreshBusyBeyondFirstPage(stateRef.current.assets.slice(page.data.length), signal, (asset) =>
            commit((prev) => ({ ...prev, assets: upsertAsset(prev.assets, asset) })),
          );
        }
        if (liveRef.current) return SAFETY_POLL_MS;
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

  const setQuery = useCallback(
    (next: LibraryQuery) => {
      if (sameQuery(next, queryRef.current)) {
        queryRef.current = next; // keep what was typed (spaces) without asking again
        setQueryState(next);
        return;
      }
      queryRef.current = next;
      setQueryState(next);
      pollNow();
    },
    [pollNow],
  );

  // Put an asset the server just described where the current query wants it (or out of the list).
  const place = useCallback(
    (asset: Asset) =>
      commit((prev) => {
        const shown = prev.assets.some((a) => a.id === asset.id);
        if (!matchesQuery(asset, queryRef.current)) {
          return shown ? { ...prev, assets: prev.assets.filter((a) => a.id !== asset.id) } : prev;
        }
        // A new asset belongs at the top when newest come first; in any other order, only once all is loaded.
        const { order, sort } = queryRef.current;
        if (!shown && (order === 'asc' || sort !== 'created_at')) {
          return prev.cursor === null ? { ...prev, assets: [...prev.assets, asset] } : prev;
        }
        return { ...prev, assets: upsertAsset(prev.assets, asset) };
      }),
    [commit],
  );
  const remove = useCallback(
    (id: string) =>
      commit((prev) => {
        if (!prev.assets.some((a) => a.id === id)) return prev;
        const total = prev.total === null ? null : Math.max(0, prev.total - 1);
        return { ...prev, assets: prev.assets.filter((a) => a.id !== id), total };
      }),
    [commit],
  );

  const onChange = useChangeBatcher(stateRef, place, remove, pollNow, commit);
  const live = useChanges(onChange, active);
  liveRef.current = live;
  // Going live (or losing it) changes how often to poll; a reconnect may also have missed changes.
  const firstLive = useRef(true);
  useEffect(() => {
    if (firstLive.current) {
      firstLive.current = false;
      return;
    }
    pollNow();
  }, [live, pollNow]);

  const loadMore = useCallback(async () => {
    const cursor = stateRef.current.cursor;
    const asked = queryRef.current;
    if (!cursor || !sameQuery(asked, stateRef.current.shownQuery)) return;
    setLoadingMore(true);
    try {
      const page = await listAssets({ limit: MORE_PAGE_SIZE, cursor, ...listOptions(asked) });
      if (!sameQuery(asked, queryRef.current)) return;
      commit((prev) => ({
        ...prev,
        assets: appendPage(prev.assets, page.data),
        cursor: page.next_cursor,
        extended: true,
        error: null,
      }));
    } catch (error) {
      commit((prev) => ({ ...prev, error: messageOf(error) }));
    } finally {
      setLoadingMore(false);
    }
  }, [commit]);

  const { order, sort } = state.shownQuery;
  const shown = useMemo(() => sortAssets(state.assets, order, sort), [state.assets, order, sort]);
  return {
    assets: shown,
    loaded: state.loaded,
    error: state.error,
    hasMore: state.cursor !== null,
    total: state.total,
    loadingMore,
    loadMore,
    upsert: place,
    remove,
    pollNow,
    query,
    setQuery,
    searching: state.loaded && !sameQuery(state.shownQuery, query),
    live,
  };
}

/**
 * Turns pushed changes into list updates: progress moves bars in place (no request); a
 * deleted asset leaves; other asset events are gathered briefly, then each changed asset
 * shown is fetched alone, and anything else (a new asset) refreshes the first page.
 */
function useChangeBatcher(
  stateRef: { current: ListState },
  place: (asset: Asset) => void,
  remove: (id: string) => void,
  pollNow: () => void,
  commit: (update: (prev: ListState) => ListState) => void,
): (change: Change) => void {
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const flush = useCallback(async () => {
    timer.current = undefined;
    const ids = [...pending.current];
    pending.current.clear();
    const shown = new Set(stateRef.current.assets.map((a) => a.id));
    const known = ids.filter((id) => shown.has(id));
    if (known.length < ids.length || known.length > MAX_SINGLE_FETCHES) {
      pollNow();
      if (known.length > MAX_SINGLE_FETCHES) return;
    }
    for (const id of known) {
      try {
        place(await getAsset(id));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) remove(id);
        // Anything else: the safety-net poll will catch up.
      }
    }
  }, [stateRef, place, remove, pollNow]);

  return useCallback(
    (change: Change) => {
      if (change.kind === 'progress') {
        commit((prev) => {
          const assets = applyProgress(prev.assets, change.progress);
          return assets === prev.assets ? prev : { ...prev, assets };
        });
        return;
      }
      if (change.object_type !== 'asset' || !change.object_id) return;
      if (change.type === 'video.asset.deleted') {
        pending.current.delete(change.object_id);
        remove(change.object_id);
        return;
      }
      pending.current.add(change.object_id);
      timer.current ??= setTimeout(() => void flush(), CHANGE_BATCH_MS);
    },
    [commit, remove, flush],
  );
}

/** The order the server really used: one that ignores `order=asc` still answers newest first. */
function servedOrder(page: Asset[], query: LibraryQuery): SortOrder {
  const asked = query.order;
  const first = page[0];
  const last = page[page.length - 1];
  if (asked === 'asc' && query.sort === 'created_at' && first && last && Number(first.created_at) > Number(last.created_at)) return 'desc';
  return asked;
}

// Assets beyond the first page are rarely busy, but when they are (and nothing is pushed), fetch them one by one.
async function refreshBusyBeyondFirstPage(later: Asset[], signal: AbortSignal, onFresh: (asset: Asset) => void) {
  for (const asset of later.filter(isBusy).slice(0, 10)) {
    if (signal.aborted) return;
    try {
      onFresh(await getAsset(asset.id, signal));
    } catch {
      // The next tick tries again; one stale row is not worth an error banner.
    }
  }
}
