import type { LiveStream } from '../api/live';
import type { Asset } from '../api/types';
import { asSentence, formatCreatedAt, formatDuration, progressLabel, titleOf } from '../format';
import { RECORDINGS_SHOWN, useRecordings } from '../hooks/useRecordings';
import { hrefFor } from '../hooks/useRoute';
import { streamName } from '../liveFormat';
import { StatusBadge } from './StatusBadge';

/** The stream's latest recordings, each a link to its video in the library. */
export function LiveRecordings({ stream }: { stream: LiveStream }) {
  const version = `${stream.active_asset_id ?? ''}|${stream.recent_asset_ids.join(',')}`;
  const { assets, loaded, error } = useRecordings(stream.id, version);
  const total = stream.recent_asset_ids.length;

  return (
    <section class="live-recordings" aria-label={`Recordings of ${streamName(stream)}`}>
      <h3>Recordings</h3>
      {error && (
        <p class="field-error" role="alert">
          Could not list the recordings: {error}
        </p>
      )}
      {!loaded ? (
        <p class="muted small">Loading…</p>
      ) : assets.length === 0 ? (
        !error && <p class="muted small">None yet. Each time the encoder streams, the recording is saved as a video.</p>
      ) : (
        <ul class="recording-list">
          {assets.map((asset) => (
            <RecordingRow key={asset.id} asset={asset} recording={asset.id === stream.active_asset_id} />
          ))}
        </ul>
      )}
      {total > RECORDINGS_SHOWN && (
        <p class="muted small">
          Showing the latest {RECORDINGS_SHOWN} of {total}. All of them are in the library.
        </p>
      )}
    </section>
  );
}

function RecordingRow({ asset, recording }: { asset: Asset; recording: boolean }) {
  const title = titleOf(asset);
  return (
    <li>
      <a class="recording" href={hrefFor({ page: 'asset', id: asset.id })} data-testid="recording">
        <span class="recording-title" title={title}>
          {title}
        </span>
        <span class="recording-meta muted small">{recordingMeta(asset, title, recording)}</span>
        {recording ? (
          <span class="badge live-badge live-live">
            <span class="badge-dot" aria-hidden="true" />
            Recording
          </span>
        ) : (
          <StatusBadge status={asset.status} />
        )}
      </a>
    </li>
  );
}

/**
 * The line beside a recording's title: when, how long, how far, or why it failed. The date is
 * left out when the title says it already ("Studio B camera · Nov 28, 2026, 1:39 PM").
 */
export function recordingMeta(asset: Asset, title: string, recording: boolean): string {
  const when = formatCreatedAt(asset.created_at);
  const parts = title.includes(when) ? [] : [when];
  if (asset.duration !== undefined) parts.push(formatDuration(asset.duration));
  if (!recording && asset.status === 'preparing') parts.push(progressLabel(asset));
  if (asset.status === 'errored') parts.push(asSentence(asset.errors?.messages?.[0] ?? '') || 'Could not be saved.');
  return parts.join(' · ');
}
