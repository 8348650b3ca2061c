import { useState } from 'preact/hooks';
import { type Settings, type SettingsChange, settingError } from '../api/settings';

interface Props {
  settings: Settings;
  save: (change: SettingsChange) => Promise<Settings>;
}

/** Where ffmpeg is: the one in use, what is wrong, and a folder to look in when it is not found. */
export function FFmpegSetting({ settings, save }: Props) {
  const [path, setPath] = useState(settings.ffmpeg_path);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await save({ ffmpeg_path: path.trim() });
    } catch (err) {
      setError(settingError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="setting" onSubmit={submit}>
      <label class="setting-label" for="ffmpeg-path">
        ffmpeg folder
      </label>
      {settings.ffmpeg_problem ? (
        <p class="field-error" role="status">
          {settings.ffmpeg_problem}
        </p>
      ) : (
        <p class="muted small">
          In use: <code>{settings.ffmpeg_in_use}</code>
        </p>
      )}
      <p class="muted small">
        Reelvault uses the ffmpeg and ffprobe next to its own program first, then the ones on the system path, then the
        ones in this folder. Videos added while ffmpeg is missing wait, and are built once it is found.
      </p>
      <div class="setting-row">
        <input
          id="ffmpeg-path"
          class="input"
          type="text"
          placeholder="/path/to/ffmpeg/folder"
          value={path}
          onInput={(e) => setPath(e.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'ffmpeg-path-error' : undefined}
        />
        <button type="submit" class="button button-primary" disabled={busy || path.trim() === settings.ffmpeg_path}>
          {busy ? 'Saving…' : 'Use this folder'}
        </button>
      </div>
      {error && (
        <p id="ffmpeg-path-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
