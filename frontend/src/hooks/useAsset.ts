import { useCallback, useState } from 'preact/hooks';
import { getAsset } from '../api/assets';
import { ApiError, messageOf } from '../api/client';
import type { Asset } from '../api/types';
import { isBusy } from '../format';
import { FAST_POLL_MS, SLOW_POLL_MS } from './useAssetList';
import { usePoll } from './usePoll';

export interface AssetState {
  asset: Asset | undefined;
  notFound: boolean;
  error: string | null;
  /** Show an answer the detail got from a change (PATCH, PUT) without waiting for the next poll. */
  replace: (asset: Asset) => void;
}

/** One asset, kept fresh: every second while it or its link is preparing, else every 10 s. */
export function useAsset(id: string, seed: Asset | undefined, onFresh: (asset: Asset) => void): AssetState {
  const [asset, setAsset] = useState<Asset | undefined>(seed);
  const [notFound, setNotFound] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const tick = useCallback(
    async (signal: AbortSignal) => {
      try {
        const fresh = await getAsset(id, signal);
        setAsset(fresh);
        setError(null);
        onFresh(fresh);
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
  usePoll(tick, !notFound);

  const replace = useCallback(
    (next: Asset) => {
      setAsset(next);
      onFresh(next);
    },
    [onFresh],
  );
  return { asset, notFound, error, replace };
}
