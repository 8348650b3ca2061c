import type { Settings, SettingsChange } from '../api/settings';
import { useSettingChoice } from '../hooks/useSettingChoice';

interface Props {
  settings: Settings;
  save: (change: SettingsChange) => Promise<Settings>;
}

/** The desktop notifications switch: only the window notifies, and never for a script's assets. */
export function NotificationsSetting({ settings, save }: Props) {
  const { busy, error, apply } = useSettingChoice(settings.notifications, (on) => save({ notifications: on }));
  const fixed = settings.from_command_line?.notifications === true;

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
          onChange={(e) => apply((e.target as HTMLInputElement).checked)}
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
