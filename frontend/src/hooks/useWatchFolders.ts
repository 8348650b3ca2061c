import { useCallback, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api/client';
import { addWatchFolder, listWatchFolders, type WatchFolder, type WatchFolderSettings } from '../api/watchFolders';
import { usePoll } from './usePoll';

/** While a file settles or is being added, its row changes every few seconds. */
export const BUSY_POLL_MS = 2_000;
export const QUIET_POLL_MS = 10_000;

export interface WatchFolderList {
  folders: WatchFolder[];
  loaded: boolean;
  error: string | null;
  /** This Reelvault has no watch folders API (its answer was 404). */
  unavailable: boolean;
  reload: () => void;
  add: (settings: WatchFolderSettings) => Promise<WatchFolder>;
  replace: (folder: WatchFolder) => void;
  remove: (id: string) => void;
}

const busy = (folder: WatchFolder) =>
  folder.state === 'starting' || folder.recent_files.some((f) => f.outcome === 'settling' || f.outcome === 'ingesting');

/** The watch folders with their state and recent files, polled while the settings are open. */
export function useWatchFolders(): WatchFolderList {
  const [folders, setFolders] = useState<WatchFolder[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState(false);

  const tick = useCallback(async (signal: AbortSignal) => {
    try {
      const fresh = await listWatchFolders(signal);
      setFolders(fresh);
      setError(null);
      setLoaded(true);
      return fresh.some(busy) ? BUSY_POLL_MS : QUIET_POLL_MS;
    } catch (err) {
      if (signal.aborted) return QUIET_POLL_MS;
      if (err instanceof ApiError && err.status === 404) {
        setUnavailable(true);
        setLoaded(true);
        return 60_000;
      }
      if (!(err instanceof ApiError && err.status === 401)) setError(messageOf(err));
      setLoaded(true);
      return 5_000;
    }
  }, []);
  const reload = usePoll(tick, true);

  const add = useCallback(
    async (settings: WatchFolderSettings) => {
      const created = await addWatchFolder(settings);
      setFolders((all) => [...all.filter((f) => f.id !== created.id), created]);
      // Its first scan is under way: look again soon for its state and files.
      setTimeout(reload, 1_000);
      return created;
    },
    [reload],
  );
  const replace = useCallback((folder: WatchFolder) => setFolders((all) => all.map((f) => (f.id === folder.id ? folder : f))), []);
  const remove = useCallback((id: string) => setFolders((all) => all.filter((f) => f.id !== id)), []);

  return { folders, loaded, error, unavailable, reload, add, replace, remove };
}
