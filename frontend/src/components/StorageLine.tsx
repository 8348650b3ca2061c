import { useCallback, useState } from 'preact/hooks';
import type { Change } from '../api/changes';
import { getStorage, type Storage } from '../api/ui';
import { formatBytes } from '../format';
import { useChanges } from '../hooks/useChanges';
import { usePoll } from '../hooks/usePoll';

const STORAGE_POLL_MS = 60_000;
// Events that change what the library takes.
const STORAGE_EVENTS = new Set(['video.asset.ready', 'video.asset.deleted']);

/** "Library 12.4 GB · 310 GB free" with the disk's use as a thin bar; nothing while unknown. */
export function StorageLine() {
  const [storage, setStorage] = useState<Storage | null>(null);
  const tick = useCallback(async (signal: AbortSignal) => {
    try {
      setStorage(await getStorage(signal));
    } catch {
      // A header line is not worth an error: it tries again later.
    }
    return STORAGE_POLL_MS;
  }, []);
  const refresh = usePoll(tick, true);
  useChanges(
    useCallback(
      (change: Change) => {
        if (change.kind === 'event' && STORAGE_EVENTS.has(change.type)) refresh();
      },
      [refresh],
    ),
  );
  if (!storage) return null;
  const known = storage.disk_bytes > 0;
  const usedOfDisk = known ? ((storage.disk_bytes - storage.free_bytes) / storage.disk_bytes) * 100 : 0;
  const low = known && storage.free_bytes < storage.disk_bytes * 0.05;
  return (
    <div class={`nav-storage small${low ? ' is-low' : ''}`} data-testid="storage">
      <span class="storage-used" title={`Masters ${formatBytes(storage.masters_bytes)}, uploaded originals ${formatBytes(storage.originals_bytes)}`}>
        Library {formatBytes(storage.used_bytes)}
      </span>
      {known && (
        <span>
          <span class="storage-used"> · </span>
          {formatBytes(storage.free_bytes)} free
        </span>
      )}
      {known && (
        <div
          class="storage-bar"
          role="meter"
          aria-label="Disk space used"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(usedOfDisk)}
        >
          <div class="storage-fill" style={{ width: `${usedOfDisk}%` }} />
        </div>
      )}
    </div>
  );
}
