import type { Settings, SettingsChange } from '../api/settings';
import { useSettingChoice } from '../hooks/useSettingChoice';
import { hostOf } from './ShareAddressSetting';

interface Props {
  settings: Settings;
  save: (change: SettingsChange) => Promise<Settings>;
}

/**
 * What links shared on a network start with: this computer's address, or its name.local
 * (announced with mDNS), which keeps working when the router gives the computer a new address.
 */
export function ShareNameSetting({ settings, save }: Props) {
  const { busy, error, apply: choose } = useSettingChoice(settings.share_base, (base) => save({ share_base: base }));
  if (settings.public_url_fixed || !settings.share_name) return null;
  const fixed = settings.from_command_line?.share_base === true;
  const onLoopback = ['127.0.0.1', '::1', 'localhost'].includes(hostOf(settings.share_listen));

  return (
    <div class="setting">
      <fieldset class="share-options" disabled={busy || fixed} aria-describedby="share-name-help">
        <legend class="setting-label">Links name this computer by</legend>
        <label class="share-option">
          <input
            type="radio"
            name="share-base"
            checked={settings.share_base === 'address'}
            onChange={() => choose('address')}
          />
          <span>Its network address</span>
        </label>
        <label class="share-option">
          <input type="radio" name="share-base" checked={settings.share_base === 'name'} onChange={() => choose('name')} />
          <span>
            Its name, <code>{settings.share_name}</code>
            <span class="muted small"> · keeps working when the address changes</span>
          </span>
        </label>
      </fieldset>
      <p id="share-name-help" class="muted small setting-note">
        {onLoopback
          ? 'Applies once links are shared on a network: on this computer only, links use its own address.'
          : `Reelvault announces ${settings.share_name} on the network (mDNS). Macs, iPhones, Linux and Windows 10 or newer find it; some Android phones do not.`}
      </p>
      {fixed && (
        <p class="muted small setting-note">
          Set by <code>--share-base</code> (or <code>REELVAULT_SHARE_BASE</code>) when Reelvault was started.
        </p>
      )}
      {error && (
        <p class="field-error" role="alert">
          Could not change it: {error}
        </p>
      )}
    </div>
  );
}
