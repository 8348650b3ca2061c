import { useId, useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import type { MaxResolutionTier, VideoQuality } from '../api/types';
import type { AfterIngest, WatchFolder, WatchFolderSettings } from '../api/watchFolders';
import { AssetSettingsFields } from './AssetSettingsFields';

interface Props {
  /** The folder being edited; absent when adding one. */
  folder?: WatchFolder;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (settings: WatchFolderSettings) => Promise<void>;
  onCancel?: () => void;
}

/** A folder's path and the settings of the videos made from its files. */
export function WatchFolderForm({ folder, submitLabel, busyLabel, onSubmit, onCancel }: Props) {
  const id = useId();
  const [path, setPath] = useState(folder?.path ?? '');
  const [tier, setTier] = useState<MaxResolutionTier>(folder?.max_resolution_tier ?? '2160p');
  const [quality, setQuality] = useState<VideoQuality>(folder?.video_quality ?? 'plus');
  const [downloadLink, setDownloadLink] = useState(folder?.master_access === 'temporary');
  const [after, setAfter] = useState<AfterIngest>(folder?.after ?? 'leave');
  const [donePath, setDonePath] = useState(folder ? relativeDone(folder) : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const trimmed = path.trim();
    if (!trimmed) {
      setError('Type the full path of the folder to watch, for example /home/you/Videos/Incoming.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit({
        // An unchanged path is not sent: a folder that is missing right now keeps its settings editable.
        ...(trimmed !== folder?.path ? { path: trimmed } : {}),
        max_resolution_tier: tier,
        video_quality: quality,
        master_access: downloadLink ? 'temporary' : 'none',
        after,
        ...(after === 'move' ? { done_path: donePath.trim() } : {}),
      });
      if (!folder) setPath('');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="watch-form" onSubmit={submit} aria-label={folder ? `Edit ${folder.path}` : 'Add a watch folder'}>
      <div class="add-row">
        <label class="visually-hidden" for={`${id}-path`}>
          Folder path
        </label>
        <input
          id={`${id}-path`}
          class="input add-input"
          type="text"
          placeholder="Folder to watch — /home/you/Videos/Incoming"
          value={path}
          onInput={(e) => setPath(e.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          autocomplete="off"
          spellcheck={false}
        />
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
      {error && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="add-options">
        <AssetSettingsFields
          tier={tier}
          onTier={setTier}
          quality={quality}
          onQuality={setQuality}
          downloadLink={downloadLink}
          onDownloadLink={setDownloadLink}
          downloadLinkLabel="Make a download link for each video"
        >
          <label class="option">
            <span>When its master is ready</span>
            <select class="select" value={after} onChange={(e) => setAfter(e.currentTarget.value as AfterIngest)}>
              <option value="leave">Leave the file where it is</option>
              <option value="move">Move the file to a done folder</option>
            </select>
          </label>
        </AssetSettingsFields>
      </div>
      {after === 'move' && (
        <div class="watch-done">
          <label class="option">
            <span>Done folder</span>
            <input
              class="input"
              type="text"
              placeholder="done"
              value={donePath}
              onInput={(e) => setDonePath(e.currentTarget.value)}
              autocomplete="off"
              spellcheck={false}
            />
          </label>
          <span class="muted small">
            A name inside the watched folder (empty means <code>done</code>) or a full path. Files are moved, never deleted.
          </span>
        </div>
      )}
    </form>
  );
}

/** The done folder as the user would type it: relative to the watched folder when inside it. */
function relativeDone(folder: WatchFolder): string {
  const prefix = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  if (!folder.done_path) return '';
  if (folder.done_path === `${prefix}done`) return '';
  return folder.done_path.startsWith(prefix) ? folder.done_path.slice(prefix.length) : folder.done_path;
}
