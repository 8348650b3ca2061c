import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import { type AccessToken, getAccessToken, type Settings } from '../api/settings';
import { CopyButton } from './CopyButton';
import { CopyField } from './CopyField';
import { EyeIcon } from './icons';

/**
 * What scripts need to talk to the API: its address, and the access token, whose secret is
 * fetched and shown only when the user asks (and hidden again with one click).
 */
export function AccessTokenSection({ settings }: { settings: Settings }) {
  const [token, setToken] = useState<AccessToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function show() {
    setBusy(true);
    setError(null);
    try {
      setToken(await getAccessToken());
    } catch (err) {
      setError(`Could not read the access token: ${messageOf(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="setting">
      <p class="muted small">
        Scripts and tools (Mux SDKs, curl) use Reelvault's API with HTTP Basic authentication: the token ID as user name,
        the secret as password.
      </p>
      <Labeled text="API address">
        <CopyField value={settings.api_url} label="API address" />
      </Labeled>
      {settings.rtmp_url && (
        <Labeled text="RTMP address (OBS and other streaming tools)">
          <CopyField value={settings.rtmp_url} label="RTMP address" />
        </Labeled>
      )}
      {!token ? (
        <div class="setting-row">
          <span>
            Token ID <code>{settings.token_id}</code>
          </span>
          <button type="button" class="button" onClick={show} disabled={busy}>
            <EyeIcon /> {busy ? 'Loading…' : 'Show access token'}
          </button>
        </div>
      ) : (
        <TokenReveal token={token} apiUrl={settings.api_url} onHide={() => setToken(null)} />
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function TokenReveal({ token, apiUrl, onHide }: { token: AccessToken; apiUrl: string; onHide: () => void }) {
  const base = apiUrl.replace(/\/+$/, '');
  const listExample = `curl -u '${token.id}:${token.secret}' ${base}/video/v1/assets`;
  const addExample =
    `curl -u '${token.id}:${token.secret}' -H 'Content-Type: application/json' \\\n` +
    `  -d '{"input": "/path/to/video.mov", "master_access": "temporary"}' \\\n` +
    `  ${base}/video/v1/assets`;
  return (
    <div class="token-reveal" data-testid="access-token">
      <p class="callout callout-warning small">
        Anyone with this secret can read, add and delete videos in this archive. Keep it in your scripts' configuration,
        not in shared code.
      </p>
      <Labeled text="Token ID (user name)">
        <CopyField value={token.id} label="Token ID" />
      </Labeled>
      <Labeled text="Token secret (password)">
        <CopyField value={token.secret} label="Token secret" />
      </Labeled>
      <Example title="List your videos" command={listExample} />
      <Example title="Add a video" command={addExample} />
      <div>
        <button type="button" class="button" onClick={onHide}>
          Hide access token
        </button>
      </div>
    </div>
  );
}

function Example({ title, command }: { title: string; command: string }) {
  return (
    <div class="example">
      <div class="example-head">
        <span class="muted small">{title}</span>
        <CopyButton value={command} label={`command: ${title.toLowerCase()}`} />
      </div>
      <pre class="example-code">
        <code>{command}</code>
      </pre>
    </div>
  );
}

/** A visible caption over a value; the value keeps its own accessible name. */
function Labeled({ text, children }: { text: string; children: ComponentChildren }) {
  return (
    <div class="labeled">
      <div class="labeled-text small">{text}</div>
      {children}
    </div>
  );
}
