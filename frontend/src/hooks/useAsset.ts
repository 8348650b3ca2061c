import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { getAsset } from '../api/assets';
import type { Change } from '../api/changes';
import { ApiError, messageOf } from '../api/client';
import type { Asset } from '../api/types';
import { applyProgress } from '../assetList';
import { isBusy } from '../format';
import { CHANGE_BATCH_MS, FAST_POLL_MS, SAFETY_POLL_MS, SLOW_POLL_MS } from './useAssetList';
import { useChanges } from './useChanges';
import { usePoll } from './usePoll';

export interface AssetState {
  asset: Asset | undefined;
  notFound: boolean;
  error: string | null;
  /** Show an answer the detail got from a change (PATCH, PUT) without waiting for the next poll. */
  replace: (asset: Asset) => void;
  /** Ask the server again now (e.g. when the link's countdown reaches zero). */
  refresh: () => void;
}

/**
 * One asset, kept fresh by pushed changes (a slow safety-net poll besides); when nothing is
 * pushed, polled every second while it or its link is preparing, else every 10 s.
 */
export function useAsset(id: string, seed: Asset | undefined, onFresh: (asset: Asset) => void): AssetState {
  const [asset, setAsset] = useState<Asset | undefined>(seed);
  const [notFound, setNotFound] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const liveRef = useRef(false);

  const tick = useCallback(
    async (signal: AbortSignal) => {
      try {
        const fresh = await getAsset(id, signal);
        setAsset(fresh);
        setError(null);
        onFresh(fresh);
        if (liveRef.current) return SAFETY_POLL_MS;
        return isBusy(fresh) ? FAST_POLL_MS : SLOW_POLL_MS;
      } catch (err) {
        if (signal.aborted) return SLOW_POLL_MS;
        if (err instanceof ApiError && err.status === 404) {
          setNotFound(true);
          return 60_000;
        }
        if (!(err instanceof ApiError && err.status === 401)) setError(messageOf(err));
        return 5_000;
      }
    },
    [id, onFresh],
  );
  const refresh = usePoll(tick, !notFound);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const live = useChanges((change: Change) => {
    if (change.kind === 'progress') {
      // Move the bar from the pushed figure; no request.
      setAsset((current) => (current ? (applyProgress([current], change.progress)[0] ?? current) : current));
      return;
    }
    if (change.object_type !== 'asset' || change.object_id !== id) return;
    if (change.type === 'video.asset.deleted') {
      setNotFound(true);
      return;
    }
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      refresh();
    }, CHANGE_BATCH_MS);
  }, !notFound);
  liveRef.current = live;
  useEffect(() => {
    if (live) refresh(); // poll less often from now on, and catch up on anything missed
  }, [live, refresh]);

  const replace = useCallback(
    (next: Asset) => {
      setAsset(next);
      onFresh(next);
    },
    [onFresh],
  );
  return { asset, notFound, error, replace, refresh };
}
