import { useState } from 'preact/hooks';
import { createRendition, deleteRendition, getAsset } from '../api/assets';
import { messageOf } from '../api/client';
import type { Asset, RenditionResolution, StaticRendition } from '../api/types';
import { asSentence, formatBytes } from '../format';
import { ConfirmAction } from './ConfirmAction';

interface Props {
  asset: Asset;
  onChanged: (asset: Asset) => void;
}

/** The sizes a proxy can be made at, as Mux names static renditions. */
const SIZES: { value: RenditionResolution; label: string }[] = [
  { value: '720p', label: '720p' },
  { value: '540p', label: '540p' },
  { value: '480p', label: '480p' },
  { value: '360p', label: '360p' },
  { value: '270p', label: '270p' },
  { value: '1080p', label: '1080p' },
  { value: '1440p', label: '1440p' },
  { value: '2160p', label: '2160p' },
  { value: 'highest', label: 'Full size' },
  { value: 'audio-only', label: 'Audio only (M4A)' },
];

/** The short side of each fixed size ("720p" is 1280×720, or 720×1280 upright). */
const SHORT_SIDE: Partial<Record<RenditionResolution, number>> = {
  '2160p': 2160, '1440p': 1440, '1080p': 1080, '720p': 720, '540p': 540, '480p': 480, '360p': 360, '270p': 270,
};

/**
 * The sizes worth offering for this master: none larger than its picture (the server would skip
 * them), no picture at all for sound, and every size while the master's picture is not known.
 */
export function proxySizesFor(asset: Asset): { value: RenditionResolution; label: string }[] {
  if (!asset.tracks?.length) return SIZES;
  const video = asset.tracks.find((t) => t.type === 'video');
  const hasAudio = asset.tracks.some((t) => t.type === 'audio');
  return SIZES.filter((s) => {
    if (s.value === 'audio-only') return hasAudio;
    if (!video) return false;
    const short = Math.min(video.max_width ?? 0, video.max_height ?? 0);
    const want = SHORT_SIDE[s.value];
    return want === undefined || !short || want <= short;
  });
}

const STATUS: Record<string, string> = {
  preparing: 'Being made…',
  ready: 'Ready',
  errored: 'Failed',
  skipped: 'Not made',
};

/**
 * Proxies (Mux's static renditions): smaller H.264 copies of the master an editor can relink to it
 * (same frame rate, duration, timecode and audio tracks). Lists them with their state, size and a
 * download, and makes a new one at a chosen size.
 */
export function ProxiesPanel({ asset, onChanged }: Props) {
  const files = asset.static_renditions?.files ?? [];
  const taken = new Set(files.map((f) => f.resolution).filter(Boolean));
  const choices = proxySizesFor(asset).filter((s) => !taken.has(s.value));
  const [size, setSize] = useState<RenditionResolution>(choices[0]?.value ?? '720p');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = choices.some((c) => c.value === size) ? size : choices[0]?.value;

  async function make() {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await createRendition(asset.id, chosen);
      onChanged(await getAsset(asset.id));
    } catch (err) {
      setError(asSentence(messageOf(err)));
    } finally {
      setBusy(false);
    }
  }

  async function remove(r: StaticRendition) {
    if (!r.id) return;
    await deleteRendition(asset.id, r.id);
    onChanged(await getAsset(asset.id));
  }

  return (
    <section class="panel" aria-labelledby="proxies-title" data-testid="proxies">
      <h3 id="proxies-title">Proxies</h3>
      <p class="muted small">
        Smaller copies of the master for editing: same frame rate, length, timecode and audio tracks, so Premiere,
        Resolve and Final Cut can relink them to the master.
      </p>
      {files.length > 0 && (
        <ul class="proxy-list">
          {files.map((r) => (
            <ProxyRow key={r.id ?? r.name} asset={asset} rendition={r} onDelete={() => remove(r)} />
          ))}
        </ul>
      )}
      {choices.length > 0 && (
        <div class="proxy-make">
          <label class="small" for="proxy-size">
            Make a proxy at
          </label>
          <select
            id="proxy-size"
            value={chosen}
            onChange={(e) => setSize((e.target as HTMLSelectElement).value as RenditionResolution)}
            disabled={busy}
          >
            {choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          <button type="button" class="button" onClick={make} disabled={busy || !chosen}>
            {busy ? 'Asking…' : 'Make proxy'}
          </button>
        </div>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function ProxyRow({ asset, rendition: r, onDelete }: { asset: Asset; rendition: StaticRendition; onDelete: () => Promise<void> }) {
  const label = r.resolution === 'audio-only' ? 'Audio only' : r.resolution === 'highest' ? 'Full size' : (r.resolution ?? r.name);
  const picture = r.width && r.height ? `${r.width}×${r.height}` : '';
  const size = r.filesize ? formatBytes(Number(r.filesize)) : '';
  const why = r.error?.messages?.[0];
  return (
    <li class="proxy-row" data-status={r.status ?? asset.static_renditions?.status}>
      <div class="proxy-facts">
        <strong>{label}</strong>
        <span class="muted small">
          {[STATUS[r.status ?? asset.static_renditions?.status ?? ''] ?? '', picture, size].filter(Boolean).join(' · ')}
        </span>
        {why && <span class="muted small">{asSentence(why)}</span>}
      </div>
      <div class="proxy-actions">
        {r.status === 'ready' && r.play_url && (
          <a class="button" href={`${r.play_url}?download=1`} download={r.name}>
            Download
          </a>
        )}
        {r.id && (
          <ConfirmAction
            trigger="Delete"
            question={`Delete the ${label} proxy and its file? The master stays.`}
            confirmLabel="Delete proxy"
            busyLabel="Deleting…"
            danger
            onConfirm={onDelete}
          />
        )}
      </div>
    </li>
  );
}
