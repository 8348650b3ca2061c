import { useState } from 'preact/hooks';
import { setMasterAccess } from '../api/assets';
import { ApiError, messageOf } from '../api/client';
import type { AppInfo, Asset } from '../api/types';
import { formatExpiry, formatLifetime } from '../format';
import { useNow } from '../hooks/useNow';
import { CopyField } from './CopyField';

interface Props {
  asset: Asset;
  info: AppInfo | null;
  onChanged: (asset: Asset) => void;
}

/** The "master access" switch: an expiring download link to the master, on or off. */
export function MasterAccessPanel({ asset, info, onChanged }: Props) {
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
      {on && <LinkState asset={asset} />}
      {on && isLoopbackOnly(info) && (
        <p class="muted small">
          Links open on this computer only. To share them on your network, start Reelvault with{' '}
          <code>--share-listen 0.0.0.0:8911</code>.
        </p>
      )}
    </section>
  );
}

function LinkState({ asset }: { asset: Asset }) {
  const now = useNow();
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
        {asset.master_error ?? 'The master cannot be served right now.'}
      </p>
    );
  }
  if (!master.url) return null;
  const expiry = formatExpiry(asset.master_expires_at, now);
  return (
    <div class="link-state">
      <CopyField value={master.url} label="Download link" />
      {expiry && <p class="muted small expiry">This link {expiry}.</p>}
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

function isLoopbackOnly(info: AppInfo | null): boolean {
  if (!info?.share_base_url) return false;
  try {
    const host = new URL(info.share_base_url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}
