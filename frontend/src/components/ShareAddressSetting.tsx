import { useState } from 'preact/hooks';
import type { Settings, SettingsChange, ShareOption } from '../api/settings';
import { useSettingChoice } from '../hooks/useSettingChoice';

interface Props {
  settings: Settings;
  save: (change: SettingsChange) => Promise<Settings>;
}

/**
 * Which address download links are served on: this computer only, one network, or all.
 * Applying moves the share listener at once (the server answers 400 in words if it cannot).
 */
export function ShareAddressSetting({ settings, save }: Props) {
  const current = hostOf(settings.share_listen);
  const fixed = settings.from_command_line?.share_host === true;
  const options = withCurrent(settings.share_options ?? [], current);
  const [saved, setSaved] = useState<string | null>(null);
  // When the listener moves (a save here or elsewhere), the choice follows where it is now.
  const { choice, setChoice, busy, error, apply } = useSettingChoice(current, async (host) => {
    const fresh = await save({ share_host: host });
    setSaved(`Done. Links now start with ${fresh.share_base_url}`);
  });

  function submit(event: Event) {
    event.preventDefault();
    setSaved(null);
    void apply(choice);
  }

  const baseNote = settings.public_url_fixed ? (
    <p class="muted small setting-note">
      Links start with <code>{settings.share_base_url}</code>, fixed by <code>--public-url</code>; the choice below only
      decides where Reelvault listens for them.
    </p>
  ) : (
    <p class="muted small setting-note">
      Links start with <code>{settings.share_base_url}</code>.
    </p>
  );

  if (fixed) {
    return (
      <div class="setting">
        <div class="setting-label">Share links on</div>
        <p>
          <strong>{labelFor(options, current)}</strong> <span class="muted">({settings.share_listen})</span>
        </p>
        {baseNote}
        <p class="muted small setting-note">
          Set by <code>--share-listen</code> (or <code>REELVAULT_SHARE_LISTEN</code>) when Reelvault was started. Start it
          without that option to choose here.
        </p>
      </div>
    );
  }

  return (
    <form class="setting" onSubmit={submit}>
      <fieldset class="share-options" aria-describedby="share-help">
        <legend class="setting-label">Share links on</legend>
        <p id="share-help" class="muted small">
          Phones and other computers can open a download link only when it is shared on a network they are on.
        </p>
        {options.map((option) => (
          <label key={option.host} class="share-option">
            <input
              type="radio"
              name="share-host"
              value={option.host}
              checked={choice === option.host}
              onChange={() => {
                setChoice(option.host);
                setSaved(null);
              }}
            />
            <span>
              {option.label}
              {option.host === current && <span class="muted small"> · in use</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {baseNote}
      <div class="setting-row">
        <button type="submit" class="button button-primary" disabled={busy || choice === current}>
          {busy ? 'Applying…' : 'Apply'}
        </button>
      </div>
      {error && (
        <p class="field-error" role="alert">
          Could not share links there: {error}
        </p>
      )}
      {saved && (
        <p class="setting-saved" role="status">
          {saved}
        </p>
      )}
    </form>
  );
}

/** "192.168.1.20:8911" -> "192.168.1.20", "[::1]:8911" -> "::1". */
export function hostOf(listen: string): string {
  const colon = listen.lastIndexOf(':');
  const host = colon >= 0 ? listen.slice(0, colon) : listen;
  return host.replace(/^\[(.*)\]$/, '$1');
}

// The listener may be on an address the list does not offer (an interface that went away).
export function withCurrent(options: ShareOption[], current: string): ShareOption[] {
  if (!current || options.some((o) => o.host === current)) return options;
  return [...options, { host: current, label: `${current} (current)` }];
}

const labelFor = (options: ShareOption[], host: string) => options.find((o) => o.host === host)?.label ?? host;
