import { canPickFiles, hasNativeFileDrop } from '../desktop';
import { UploadIcon } from './icons';

/** What a new user sees: what Reelvault does and the ways to add the first video. */
export function EmptyState() {
  const desktop = hasNativeFileDrop() || canPickFiles();
  return (
    <div class="empty-state">
      <div class="empty-icon" aria-hidden="true">
        <UploadIcon width="36" height="36" />
      </div>
      <h2>Your archive is empty</h2>
      <p>
        Reelvault keeps a master-quality MP4 of every video you add, checks it stays intact, and can hand it to others with a
        download link that expires.
      </p>
      {desktop ? (
        <p>
          Drag video files or folders onto this window, click <strong>Add files…</strong>, or paste a path or URL above.
        </p>
      ) : (
        <p>
          Click <strong>Upload files…</strong> or drop video files on this window to upload them. Paste the full path of a
          video file on the computer running Reelvault (for example <code>/home/you/Videos/interview.mov</code>) or an{' '}
          <code>https://</code> URL above to add it without uploading.
        </p>
      )}
    </div>
  );
}
