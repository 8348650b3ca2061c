import { useCallback } from 'preact/hooks';
import type { WatchFolder } from '../api/watchFolders';
import { useNotify } from '../hooks/useToasts';
import { useWatchFolders } from '../hooks/useWatchFolders';
import { RetryBanner } from './RetryBanner';
import { WatchFolderCard } from './WatchFolderCard';
import { WatchFolderForm } from './WatchFolderForm';

/**
 * The watch folders: every video that appears in one (a camera card's import folder, an
 * editor's export folder) is added once it has stopped changing, with the folder's settings.
 */
export function WatchFolders() {
  const list = useWatchFolders();
  const notify = useNotify();

  const onRemoved = useCallback(
    (folder: WatchFolder) => {
      list.remove(folder.id);
      notify('info', `Stopped watching ${folder.path}.`);
    },
    [list.remove, notify],
  );

  if (list.unavailable) {
    return (
      <div class="setting">
        <p class="muted small">
          Reelvault can add every video that appears in a folder, such as a camera card's import folder. Start it with{' '}
          <code>--watch /path/to/folder</code> (repeat it for more folders).
        </p>
      </div>
    );
  }

  return (
    <div class="setting watch-folders" data-testid="watch-folders">
      <p class="muted small">
        Reelvault adds every video that appears in these folders, and the ones already there, once each file has stopped
        changing, so a copy in progress is never added half-way. Subfolders are included; hidden, temporary and non-video
        files are left alone. Each file is added once, even across restarts.
      </p>
      <WatchFolderForm
        submitLabel="Watch folder"
        busyLabel="Adding…"
        onSubmit={async (settings) => {
          const folder = await list.add(settings);
          notify('info', `Watching ${folder.path}.`);
        }}
      />
      {list.error && (
        <RetryBanner onRetry={list.reload}>Could not list the watch folders: {list.error}</RetryBanner>
      )}
      {!list.loaded ? (
        <p class="muted small">Loading watch folders…</p>
      ) : list.folders.length === 0 ? (
        !list.error && <p class="muted small">No folder is watched yet.</p>
      ) : (
        <ul class="watch-list" aria-label="Watch folders">
          {list.folders.map((folder) => (
            <WatchFolderCard key={folder.id} folder={folder} onChanged={list.replace} onRemoved={onRemoved} />
          ))}
        </ul>
      )}
    </div>
  );
}
