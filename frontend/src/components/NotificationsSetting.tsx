import { useState } from 'preact/hooks';
import { type Settings, type SettingsChange, settingError } from '../api/settings';

interface Props {
  settings: Settings;
  save: (change: SettingsChange) => Promise<Settings>;
}

/** The desktop notifications switch: only the window notifies, and never for a script's assets. */
export function NotificationsSetting({ settings, save }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fixed = settings.from_command_line?.notifications === true;

  async function toggle(on: boolean) {
    setBusy(true);
    setError(null);
    try {
      await save({ notifications: on });
    } catch (err) {
      setError(settingError(err));
    } finally {
      setBusy(false);
    }
  }

  if (!settings.notifications_available) {
    return (
      <p class="muted small">
        Only the Reelvault window shows desktop notifications; Reelvault in a browser (<code>reelvault serve</code>) does
        not.
      </p>
    );
  }
  return (
    <div class="setting">
      <label class="share-option">
        <input
          type="checkbox"
          checked={settings.notifications}
          disabled={busy || fixed}
          onChange={(e) => toggle((e.target as HTMLInputElement).checked)}
        />
        <span>Notify me when a master is ready or fails, and when a share link is downloaded for the first time</span>
      </label>
      <p class="muted small setting-note">
        Only for videos added here, from a watch folder, with “Open with” or from a live stream: scripts that add
        videos through the API do not cause notifications.
        {fixed && (
          <>
            {' '}
            Set by <code>--notifications</code> (or <code>REELVAULT_NOTIFICATIONS</code>) when Reelvault was started.
          </>
        )}
      </p>
      {error && (
        <p class="field-error" role="alert">
          Could not change it: {error}
        </p>
      )}
    </div>
  );
}
