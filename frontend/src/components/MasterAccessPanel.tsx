import { useState } from 'preact/hooks';
import { setMasterAccess } from '../api/assets';
import { ApiError, messageOf } from '../api/client';
import type { AppInfo, Asset } from '../api/types';
import { asSentence, formatLifetime } from '../format';
import { hrefFor } from '../hooks/useRoute';
import { CopyField } from './CopyField';
import { ExpiryCountdown } from './ExpiryCountdown';
import { QrCode } from './QrCode';

interface Props {
  asset: Asset;
  info: AppInfo | null;
  onChanged: (asset: Asset) => void;
  /** Ask the server for the asset again (the link just expired). */
  onExpired?: () => void;
}

/** The "master access" switch: an expiring download link to the master, on or off. */
export function MasterAccessPanel({ asset, info, onChanged, onExpired }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const on = asset.master_access === 'temporary';
  const lifetime = formatLifetime(info?.link_ttl_seconds ?? 86_400);

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      onChanged(await setMasterAccess(asset.id, on ? 'none' : 'temporary'));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="master-access-title">
      <div class="panel-row">
        <div>
          <h3 id="master-access-title">Download link</h3>
          <p class="muted small">Master access: anyone with the link can download the master for {lifetime}.</p>
        </div>
        <button
          type="button"
          role="switch"
          class="switch"
          aria-checked={on}
          aria-labelledby="master-access-title"
          onClick={toggle}
          disabled={busy}
        >
          <span class="switch-thumb" aria-hidden="true" />
        </button>
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {on && <LinkState asset={asset} onExpired={onExpired} />}
    </section>
  );
}

function LinkState({ asset, onExpired }: { asset: Asset; onExpired: (() => void) | undefined }) {
  const master = asset.master;
  if (!master || master.status === 'preparing') {
    return (
      <p class="muted">
        {asset.status === 'preparing' ? 'The link appears here as soon as the master is ready.' : 'Preparing the link…'}
      </p>
    );
  }
  if (master.status === 'errored') {
    return (
      <p class="callout callout-error" role="alert">
        {asset.master_error ? asSentence(asset.master_error) : 'The master cannot be served right now.'}
      </p>
    );
  }
  if (!master.url) return null;
  const local = isLoopback(master.url);
  return (
    <div class="link-state">
      <CopyField value={master.url} label="Download link" />
      <ExpiryCountdown expiresAt={asset.master_expires_at} onExpired={onExpired} />
      {local ? (
        <p class="muted small">
          This link opens on this computer only, so there is no QR code for phones. To share links on your network, pick
          an address under <a href={hrefFor({ page: 'settings' })}>Settings → Share links on</a>.
        </p>
      ) : (
        <figure class="qr">
          <QrCode value={master.url} label="QR code of the download link" />
          <figcaption class="muted small">Scan with a phone on the same network to download the master.</figcaption>
        </figure>
      )}
    </div>
  );
}

function describeError(err: unknown): string {
  const message = messageOf(err);
  const text = /[.!?]$/.test(message) ? message : `${message}.`;
  if (err instanceof ApiError && err.status === 412) {
    return `${text} The link can be switched on once the master is built.`;
  }
  return text;
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
}
