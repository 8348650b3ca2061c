import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api/client';
import { deleteQuarantined, listQuarantine, restoreQuarantined, type QuarantinedFile } from '../api/quarantine';
import { formatBytes, formatCreatedAt } from '../format';
import { ConfirmAction } from './ConfirmAction';

/**
 * Files Reelvault found in its storage folder without a record (after a database was restored
 * from an older backup, say). They were set aside, never deleted: restore one to make it a video
 * in the library again, or delete it yourself.
 */
export function QuarantineSection() {
  const [files, setFiles] = useState<QuarantinedFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    listQuarantine(abort.signal)
      .then(setFiles)
      .catch((err) => {
        if (abort.signal.aborted) return;
        if (err instanceof ApiError && err.status === 404) setFiles([]); // a Reelvault without quarantine
        else setError(messageOf(err));
      });
    return () => abort.abort();
  }, []);

  const drop = (id: string) => setFiles((list) => (list ?? []).filter((f) => f.id !== id));

  async function restore(file: QuarantinedFile) {
    setError(null);
    try {
      await restoreQuarantined(file.id);
      drop(file.id);
      setRestored(file.name);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <div class="setting" data-testid="quarantine">
      <p class="muted small">
        Files found in the storage folder that no video in the library owns, for example after the database was
        restored from an older backup. Reelvault never deletes them on its own.
      </p>
      {error && <p class="field-error" role="alert">{error}</p>}
      {restored && (
        <p class="small" role="status">
          “{restored}” is back in the library.
        </p>
      )}
      {files === null && !error && <p class="muted small">Loading…</p>}
      {files?.length === 0 && <p class="small">Nothing is set aside.</p>}
      {files && files.length > 0 && (
        <ul class="quarantine-list">
          {files.map((file) => (
            <li key={file.id} class="quarantine-item">
              <div class="quarantine-facts">
                <strong class="quarantine-name">{file.name}</strong>
                <span class="muted small">
                  {formatBytes(file.size)} · was in {file.from} · set aside {formatCreatedAt(file.created_at)}
                </span>
                <span class="muted small">{file.reason}</span>
              </div>
              <div class="quarantine-actions">
                <button type="button" class="button" onClick={() => restore(file)}>
                  Restore to library
                </button>
                <ConfirmAction
                  trigger="Delete…"
                  question={<>Delete “{file.name}” for good? This cannot be undone.</>}
                  confirmLabel="Delete"
                  busyLabel="Deleting…"
                  danger
                  onConfirm={async () => {
                    await deleteQuarantined(file.id);
                    drop(file.id);
                  }}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
