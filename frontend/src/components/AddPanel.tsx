import { useRef, useState } from 'preact/hooks';
import { canPickFiles, hasNativeFileDrop, pickFiles } from '../desktop';
import type { Adder, AddResult } from '../hooks/useAdder';
import { isMediaFile, refusedDropMessage } from '../hooks/useFileDrop';
import { useUploadsContext } from '../hooks/useUploads';
import { useNotify } from '../hooks/useToasts';
import { fileNameOf } from '../format';
import { AssetSettingsFields } from './AssetSettingsFields';
import { FolderIcon, PlusIcon, UploadIcon } from './icons';
import { UploadList } from './UploadList';

/**
 * Add files with the native dialog (desktop) or by uploading them (browser), or by typing a
 * path or URL (both).
 */
export function AddPanel({ adder }: { adder: Adder }) {
  const notify = useNotify();
  const uploads = useUploadsContext();
  // In a browser the files travel over HTTP; the desktop window hands over their paths instead.
  const canUpload = !!uploads && !canPickFiles() && !hasNativeFileDrop();
  const fileInput = useRef<HTMLInputElement>(null);
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { options, setOptions, busy } = adder;

  async function submit(event: Event) {
    event.preventDefault();
    if (!input.trim()) {
      setError('Type the full path of a video file, or an http(s) URL.');
      return;
    }
    setError(null);
    const result = await adder.add([input]);
    if (result.failed[0]) {
      setError(result.failed[0].message);
    } else {
      setInput('');
    }
  }

  async function pick() {
    try {
      const paths = await pickFiles();
      if (paths.length > 0) reportAdds(await adder.addPaths(paths), notify);
    } catch (err) {
      notify('error', `Could not open the file dialog: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  function chooseUploads(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = ''; // the same file can be chosen again
    // The dialog's "All files" lets anything through: the same check as a drop.
    const refused = files.filter((file) => !isMediaFile(file));
    if (refused.length > 0) notify('error', refusedDropMessage(refused.map((file) => file.name)));
    const media = files.filter(isMediaFile);
    if (media.length > 0) uploads?.start(media, options);
  }

  return (
    <section class="add-panel" aria-label="Add videos">
      <form class="add-row" onSubmit={submit}>
        {canPickFiles() && (
          <button type="button" class="button button-primary" onClick={pick} disabled={busy}>
            <FolderIcon /> Add files…
          </button>
        )}
        {canUpload && (
          <>
            <button type="button" class="button button-primary" onClick={() => fileInput.current?.click()}>
              <UploadIcon /> Upload files…
            </button>
            <input
              ref={fileInput}
              class="visually-hidden"
              type="file"
              multiple
              accept="video/*,audio/*,.mxf,.mkv,.mts,.m2ts,.braw,.r3d"
              onChange={chooseUploads}
              tabIndex={-1}
              aria-label="Video files to upload"
            />
          </>
        )}
        <label class="visually-hidden" for="add-input">
          Add by path or URL
        </label>
        <input
          id="add-input"
          class="input add-input"
          type="text"
          placeholder="Add by path or URL — /home/you/Videos/clip.mov or https://…"
          value={input}
          onInput={(e) => setInput(e.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'add-error' : undefined}
          autocomplete="off"
          spellcheck={false}
        />
        <button type="submit" class={`button${canPickFiles() || canUpload ? '' : ' button-primary'}`} disabled={busy}>
          <PlusIcon /> {busy ? 'Adding…' : 'Add'}
        </button>
      </form>
      {error && (
        <p id="add-error" class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="add-options">
        <AssetSettingsFields
          tier={options.max_resolution_tier}
          onTier={(tier) => setOptions({ ...options, max_resolution_tier: tier })}
          downloadLink={options.master_access === 'temporary'}
          onDownloadLink={(on) => setOptions({ ...options, master_access: on ? 'temporary' : 'none' })}
          downloadLinkLabel="Make a download link when ready"
        />
        {canUpload && <span class="add-hint">or drop video files anywhere on this window to upload them</span>}
      </div>
      {uploads && <UploadList uploads={uploads} />}
    </section>
  );
}

/** One toast for a batch: how many were added and, plainly, why the others were not. */
export function reportAdds(result: AddResult, notify: ReturnType<typeof useNotify>) {
  const { added, failed, skipped = [] } = result;
  if (added.length > 0) {
    notify('info', added.length === 1 ? 'Added 1 video. Its master is being prepared.' : `Added ${added.length} videos. Their masters are being prepared.`);
  }
  for (const failure of failed) {
    notify('error', `${fileNameOf(failure.input) || failure.input}: ${failure.message}`);
  }
  const skippedTotal = Math.max(result.skippedTotal ?? 0, skipped.length);
  if (skippedTotal > 0) {
    // Non-videos in a dropped folder are expected; a path that cannot be read is a problem.
    const problem = skipped.some((s) => s.reason !== 'not a video file');
    notify(problem ? 'error' : 'info', skippedSummary(skipped, skippedTotal, added.length === 0));
  }
}

const SKIPPED_NAMED = 3;

/** "Skipped 5: notes.txt (not a video file), … and 2 more." */
export function skippedSummary(skipped: { path: string; reason: string }[], total: number, nothingAdded: boolean): string {
  const named = skipped.slice(0, SKIPPED_NAMED).map((s) => `${fileNameOf(s.path) || s.path} (${s.reason})`);
  const more = total - named.length;
  const head = nothingAdded ? `Nothing added. Skipped ${total}` : `Skipped ${total}`;
  return `${head}: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
}
