import { useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import type { LiveStream, NewLiveStream } from '../api/live';
import type { MaxResolutionTier } from '../api/types';
import { AssetSettingsFields } from './AssetSettingsFields';
import { PlusIcon } from './icons';

// Mux's default is 60 s and its limit 1800 s.
const reconnectChoices: { seconds: number; label: string }[] = [
  { seconds: 0, label: 'Save the recording at once' },
  { seconds: 30, label: 'Wait 30 s, then save' },
  { seconds: 60, label: 'Wait 1 min, then save' },
  { seconds: 300, label: 'Wait 5 min, then save' },
  { seconds: 1800, label: 'Wait 30 min, then save' },
];

interface Props {
  add: (body: NewLiveStream) => Promise<LiveStream>;
  onAdded: (stream: LiveStream) => void;
}

/** A new stream: its name, and what each recording's video is made with. */
export function NewLiveStreamForm({ add, onAdded }: Props) {
  const [name, setName] = useState('');
  const [tier, setTier] = useState<MaxResolutionTier>('2160p');
  const [downloadLink, setDownloadLink] = useState(false);
  const [reconnectWindow, setReconnectWindow] = useState(60);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const title = name.trim();
    try {
      const created = await add({
        // Mux live streams have no name: passthrough carries it, and each recording is titled after it.
        ...(title ? { passthrough: title } : {}),
        reconnect_window: reconnectWindow,
        new_asset_settings: {
          master_access: downloadLink ? 'temporary' : 'none',
          max_resolution_tier: tier,
          ...(title ? { meta: { title } } : {}),
        },
      });
      setName('');
      onAdded(created);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="add-panel" aria-label="Create a live stream">
      <form onSubmit={submit}>
        <div class="add-row">
          <label class="visually-hidden" for="live-name">
            Name
          </label>
          <input
            id="live-name"
            class="input add-input"
            type="text"
            maxLength={255}
            placeholder="Name (optional) — e.g. Sunday service, Studio B camera"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'live-create-error' : undefined}
            autocomplete="off"
          />
          <button type="submit" class="button button-primary" disabled={busy}>
            <PlusIcon /> {busy ? 'Creating…' : 'Create live stream'}
          </button>
        </div>
        {error && (
          <p id="live-create-error" class="field-error" role="alert">
            {error}
          </p>
        )}
        <div class="add-options">
          <AssetSettingsFields
            tier={tier}
            onTier={setTier}
            downloadLink={downloadLink}
            onDownloadLink={setDownloadLink}
            downloadLinkLabel="Make a download link for each recording"
          >
            <label class="option">
              <span>If the encoder drops</span>
              <select class="select" value={reconnectWindow} onChange={(e) => setReconnectWindow(Number(e.currentTarget.value))}>
                {reconnectChoices.map((c) => (
                  <option key={c.seconds} value={c.seconds}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
          </AssetSettingsFields>
        </div>
      </form>
    </section>
  );
}
