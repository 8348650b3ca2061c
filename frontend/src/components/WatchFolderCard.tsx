import { useState } from 'preact/hooks';
import { removeWatchFolder, updateWatchFolder, type WatchFolder, type WatchedFile } from '../api/watchFolders';
import { asSentence, fileNameOf, formatBytes, formatCreatedAt } from '../format';
import { hrefFor } from '../hooks/useRoute';
import { qualityWords, tierWords } from './AssetSettingsFields';
import { ConfirmAction } from './ConfirmAction';
import { TrashIcon } from './icons';
import { WatchFolderForm } from './WatchFolderForm';

interface Props {
  folder: WatchFolder;
  onChanged: (folder: WatchFolder) => void;
  onRemoved: (folder: WatchFolder) => void;
}

const stateWords: Record<string, string> = {
  starting: 'Starting',
  watching: 'Watching',
  polling: 'Polling',
  error: 'Error',
};

/** One watched folder: its state, its settings (editable), and the files it has seen. */
export function WatchFolderCard({ folder, onChanged, onRemoved }: Props) {
  const [editing, setEditing] = useState(false);

  return (
    <li class="watch-card" data-testid="watch-folder" aria-label={folder.path}>
      <div class="watch-head">
        <div class="watch-title">
          <code class="watch-path">{folder.path}</code>
          <span class="muted small">{settingsSummary(folder)}</span>
        </div>
        <span class={`badge watch-state watch-${folder.state}`} data-testid="watch-state">
          <span class="badge-dot" aria-hidden="true" />
          {stateWords[folder.state] ?? folder.state}
        </span>
      </div>
      <StateNote folder={folder} />
      {folder.from_command_line && (
        <p class="muted small">
          Added with <code>--watch</code>: removing it here lasts until Reelvault is started with that option again.
        </p>
      )}
      {editing ? (
        <WatchFolderForm
          folder={folder}
          submitLabel="Save"
          busyLabel="Saving…"
          onCancel={() => setEditing(false)}
          onSubmit={async (settings) => {
            onChanged(await updateWatchFolder(folder.id, settings));
            setEditing(false);
          }}
        />
      ) : (
        <div class="watch-actions">
          <button type="button" class="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <ConfirmAction
            trigger={
              <>
                <TrashIcon /> Remove…
              </>
            }
            question={
              <>
                Stop watching <strong>{folder.path}</strong>? Its files stay where they are, and the videos already made
                from them stay in the library.
              </>
            }
            confirmLabel="Stop watching"
            busyLabel="Removing…"
            danger
            onConfirm={async () => {
              await removeWatchFolder(folder.id);
              onRemoved(folder);
            }}
          />
        </div>
      )}
      <RecentFiles files={folder.recent_files} />
    </li>
  );
}

function StateNote({ folder }: { folder: WatchFolder }) {
  const scanned = folder.last_scan_at ? ` Last checked ${formatCreatedAt(folder.last_scan_at)}.` : '';
  switch (folder.state) {
    case 'error':
      return (
        <p class="watch-note watch-note-error small" role="status">
          {asSentence(folder.message ?? 'The folder cannot be watched right now.')} Reelvault keeps trying and picks it up
          when it is back.
        </p>
      );
    case 'polling':
      return (
        <p class="watch-note small">
          {folder.message
            ? asSentence(folder.message)
            : 'This folder sends no change notices (a network or removable drive), so Reelvault checks it regularly instead.'}
          {' '}New files may take a little longer to appear.{scanned}
        </p>
      );
    case 'starting':
      return <p class="watch-note small muted">Looking through the folder…</p>;
    default:
      return null;
  }
}

const outcomeWords: Record<string, string> = {
  settling: 'Waiting for the copy to finish',
  ingesting: 'Adding',
  ingested: 'Added',
  moved: 'Added, moved',
  skipped: 'Skipped',
};

function RecentFiles({ files }: { files: WatchedFile[] }) {
  if (files.length === 0) {
    return <p class="muted small watch-empty">No files yet. Videos copied into this folder appear here as they are added.</p>;
  }
  return (
    <details class="watch-files" open={files.length <= 5}>
      <summary>Recent files ({files.length})</summary>
      <ul class="watch-file-list">
        {files.map((file) => (
          <li key={`${file.path}@${file.at}`} class={`watch-file outcome-${file.outcome}`} data-testid="watched-file">
            <span class="watch-file-name" title={file.path}>
              {file.asset_id ? <a href={hrefFor({ page: 'asset', id: file.asset_id })}>{fileNameOf(file.path)}</a> : fileNameOf(file.path)}
            </span>
            <span class="watch-file-outcome">{outcomeWords[file.outcome] ?? file.outcome}</span>
            <span class="watch-file-meta muted small">
              {file.size > 0 && formatBytes(file.size)}
              {file.note && ` · ${asSentence(file.note)}`}
              {file.moved_to && ` · now in ${file.moved_to}`}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}

function settingsSummary(folder: WatchFolder): string {
  return [
    `masters up to ${tierWords(folder.max_resolution_tier)}`,
    qualityWords[folder.video_quality] ?? `${folder.video_quality} quality`,
    folder.master_access === 'temporary' ? 'download link for each' : 'no download links',
    folder.after === 'move' ? `files move to ${folder.done_path} when done` : 'files stay in place',
  ].join(' · ');
}
