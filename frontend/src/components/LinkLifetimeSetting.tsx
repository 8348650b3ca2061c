import { useEffect, useRef, useState } from 'preact/hooks';
import { type Settings, type SettingsChange, settingError } from '../api/settings';
import { formatLifetime } from '../format';

type Unit = 'minutes' | 'hours' | 'days';
const unitSeconds: Record<Unit, number> = { minutes: 60, hours: 3600, days: 86400 };
const MIN_SECONDS = 60;
const MAX_SECONDS = 365 * 86400;

interface Props {
  settings: Settings;
  save: (change: SettingsChange) => Promise<Settings>;
}

/** How long a download link works: a number and a unit, saved with a button. */
export function LinkLifetimeSetting({ settings, save }: Props) {
  const fixed = settings.from_command_line?.link_ttl_seconds === true;
  const [amount, setAmount] = useState(() => String(split(settings.link_ttl_seconds)[0]));
  const [unit, setUnit] = useState<Unit>(() => split(settings.link_ttl_seconds)[1]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  // After a save, show the saved value in the largest unit that divides it. (Effects run after
  // paint, so compare with the last value seen rather than clobbering what was just typed.)
  const shown = useRef(settings.link_ttl_seconds);
  useEffect(() => {
    if (shown.current === settings.link_ttl_seconds) return;
    shown.current = settings.link_ttl_seconds;
    const [n, u] = split(settings.link_ttl_seconds);
    setAmount(String(n));
    setUnit(u);
  }, [settings.link_ttl_seconds]);

  const seconds = Math.round(Number(amount) * unitSeconds[unit]);
  const changed = Number.isFinite(seconds) && seconds !== settings.link_ttl_seconds;

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(null);
    if (!amount.trim() || !Number.isFinite(seconds) || seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
      setError('Choose a lifetime between 1 minute and 365 days.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const fresh = await save({ link_ttl_seconds: seconds });
      setSaved(`Saved. Links switched on from now on work for ${formatLifetime(fresh.link_ttl_seconds)}; links already made keep their expiry.`);
    } catch (err) {
      setError(settingError(err));
    } finally {
      setBusy(false);
    }
  }

  if (fixed) {
    return (
      <div class="setting">
        <div class="setting-label">Link lifetime</div>
        <p>
          <strong>{formatLifetime(settings.link_ttl_seconds)}</strong>
        </p>
        <p class="muted small setting-note">
          Set by <code>--link-ttl</code> (or <code>REELVAULT_LINK_TTL</code>) when Reelvault was started. Start it without
          that option to change the lifetime here.
        </p>
      </div>
    );
  }

  return (
    <form class="setting" onSubmit={submit}>
      <label class="setting-label" for="link-ttl-amount">
        Link lifetime
      </label>
      <p class="muted small">How long a download link works after master access is switched on.</p>
      <div class="setting-row">
        <input
          id="link-ttl-amount"
          class="input ttl-amount"
          type="number"
          inputMode="numeric"
          min="1"
          step="1"
          value={amount}
          onInput={(e) => {
            setAmount(e.currentTarget.value);
            setSaved(null);
          }}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'link-ttl-error' : undefined}
        />
        <label class="visually-hidden" for="link-ttl-unit">
          Unit
        </label>
        <select
          id="link-ttl-unit"
          class="select"
          value={unit}
          onChange={(e) => {
            setUnit(e.currentTarget.value as Unit);
            setSaved(null);
          }}
        >
          <option value="minutes">minutes</option>
          <option value="hours">hours</option>
          <option value="days">days</option>
        </select>
        <button type="submit" class="button button-primary" disabled={busy || !changed}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {error && (
        <p id="link-ttl-error" class="field-error" role="alert">
          {error}
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

function split(seconds: number): [number, Unit] {
  // "24 hours" reads better than "1 days"; days from two on, as formatLifetime does.
  if (seconds >= 2 * 86400 && seconds % 86400 === 0) return [seconds / 86400, 'days'];
  if (seconds >= 3600 && seconds % 3600 === 0) return [seconds / 3600, 'hours'];
  return [Math.max(1, Math.round(seconds / 60)), 'minutes'];
}
