import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Change } from '../api/changes';
import { ApiError, messageOf } from '../api/client';
import { listRecordings } from '../api/live';
import type { Asset } from '../api/types';
import { applyProgress } from '../assetList';
import { isBusy } from '../format';
import { LIVE_POLL_MS } from './useLiveStreams';
import { useChanges } from './useChanges';
import { usePoll } from './usePoll';

/** How many recordings a stream's card lists; the library has them all. */
export const RECORDINGS_SHOWN = 5;
const QUIET_POLL_MS = 30_000;

export interface Recordings {
  assets: Asset[];
  loaded: boolean;
  error: string | null;
}

/**
 * A stream's latest recordings, newest first. Asked again when the stream starts or ends a
 * recording (`version` changes), when the server says one of them changed, and every 2 s
 * while one is still being recorded or having its master built.
 */
export function useRecordings(streamId: string, version: string): Recordings {
  const [assets, setAssets] = useState<Asset[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idsRef = useRef<Set<string>>(new Set());

  const tick = useCallback(
    async (signal: AbortSignal) => {
      try {
        const fresh = await listRecordings(streamId, RECORDINGS_SHOWN, signal);
        idsRef.current = new Set(fresh.map((a) => a.id));
        setAssets(fresh);
        setError(null);
        setLoaded(true);
        return fresh.some(isBusy) ? LIVE_POLL_MS : QUIET_POLL_MS;
      } catch (err) {
        if (signal.aborted) return QUIET_POLL_MS;
        if (!(err instanceof ApiError && err.status === 401)) setError(messageOf(err));
        setLoaded(true);
        return 5_000;
      }
    },
    [streamId],
  );
  const refresh = usePoll(tick, true);

  // The stream's recording ids or its open recording changed: a recording started or ended.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    refresh();
  }, [version, refresh]);

  useChanges((change: Change) => {
    if (change.kind === 'progress') {
      setAssets((current) => applyProgress(current, change.progress));
      return;
    }
    if (change.object_type === 'asset' && idsRef.current.has(change.object_id)) refresh();
  });

  return { assets, loaded, error };
}
