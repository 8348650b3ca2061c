import { useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import {
  completeLiveStream,
  deleteLiveStream,
  disableLiveStream,
  enableLiveStream,
  getLiveStream,
  type LiveStream,
  resetStreamKey,
} from '../api/live';
import { formatCreatedAt } from '../format';
import type { RecordingClock as Clock } from '../hooks/useLiveStreams';
import { streamName, windowWords } from '../liveFormat';
import { tierWords } from './AssetSettingsFields';
import { ConfirmAction } from './ConfirmAction';
import { CopyField } from './CopyField';
import { KeyIcon, TrashIcon } from './icons';
import { LiveBadge, LiveHealthView, liveStateHint, liveStateOf, RecordedFor, RecordingClock, useLiveHealth } from './LiveStatus';
import { LiveRecordings } from './LiveRecordings';
import { StreamKeyField } from './StreamKeyField';

interface Props {
  stream: LiveStream;
  clock: Clock | undefined;
  onChanged: (stream: LiveStream) => void;
  onDeleted: (stream: LiveStream) => void;
}

/** One stream: its state, what to paste into the encoder, its actions and its recordings. */
export function LiveStreamCard({ stream, clock, onChanged, onDeleted }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = liveStateOf(stream);
  const hint = liveStateHint(stream, state);
  const recording = !!stream.active_asset_id;
  const name = streamName(stream);
  const health = useLiveHealth(stream.id, state === 'live');

  // complete/disable/enable answer with an empty object: read the stream back to show its new state.
  const act = async (action: (id: string) => Promise<void>) => {
    await action(stream.id);
    onChanged(await getLiveStream(stream.id));
  };

  // The encoder went away and the stream waits for it: keeping what was recorded needs no question.
  async function saveNow() {
    setBusy(true);
    setError(null);
    try {
      await act(completeLiveStream);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      await act(stream.status === 'disabled' ? enableLiveStream : disableLiveStream);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const headingId = `live-${stream.id}-name`;
  return (
    <li class={`live-card live-card-${state}`} data-testid="live-stream" aria-labelledby={headingId}>
      <div class="live-head">
        <div class="live-title">
          <h2 id={headingId}>{name}</h2>
          <span class="muted small">
            Created {formatCreatedAt(stream.created_at)} · {settingsSummary(stream)}
          </span>
        </div>
        <div class="live-state">
          <LiveBadge state={state} />
          {recording && state === 'reconnecting' ? (
            // Nothing is recorded while the encoder is away: the server's time stopped where it left.
            <RecordedFor seconds={stream.recording_seconds ?? 0} />
          ) : (
            recording && clock && <RecordingClock startedAt={clock.localStart} />
          )}
        </div>
      </div>
      {hint && <p class="live-hint small">{hint}</p>}
      {health && <LiveHealthView health={health} />}

      <div class="live-connect">
        <div class="live-field">
          <span class="live-field-label">Server</span>
          <CopyField value={stream.rtmp_url || 'The RTMP server is not running'} label="Server" />
        </div>
        <div class="live-field">
          <span class="live-field-label">Stream key</span>
          <StreamKeyField streamKey={stream.stream_key} />
        </div>
      </div>

      <div class="live-actions">
        {recording && !stream.connected && (
          <button type="button" class="button button-primary" onClick={saveNow} disabled={busy}>
            {busy ? 'Saving…' : 'Save now'}
          </button>
        )}
        {recording && stream.connected && (
          <ConfirmAction
            trigger="Complete…"
            question={
              <>
                End the recording now? {stream.connected && 'The encoder is disconnected, and '}what was recorded becomes a video
                in the library. Streaming again starts a new recording.
              </>
            }
            confirmLabel="Complete recording"
            busyLabel="Completing…"
            onConfirm={() => act(completeLiveStream)}
          />
        )}
        {stream.status === 'disabled' || !recording ? (
          <button type="button" class="button" onClick={toggle} disabled={busy}>
            {stream.status === 'disabled' ? (busy ? 'Enabling…' : 'Enable') : busy ? 'Disabling…' : 'Disable'}
          </button>
        ) : (
          <ConfirmAction
            trigger="Disable…"
            question="Disable the stream? The encoder is disconnected and refused until you enable it again; what was recorded becomes a video."
            confirmLabel="Disable"
            busyLabel="Disabling…"
            onConfirm={() => act(disableLiveStream)}
          />
        )}
        <ConfirmAction
          trigger={
            <>
              <KeyIcon /> New key…
            </>
          }
          question="Replace the stream key? The current key stops working at once (a connected encoder is dropped): paste the new one into your encoder."
          confirmLabel="Replace key"
          busyLabel="Replacing…"
          onConfirm={async () => onChanged(await resetStreamKey(stream.id))}
        />
        <ConfirmAction
          trigger={
            <>
              <TrashIcon /> Delete…
            </>
          }
          question={
            <>
              Delete the live stream <strong>{name}</strong>? Its key stops working.{' '}
              {recording ? 'The open recording is saved first; ' : ''}its recordings stay in the library.
            </>
          }
          confirmLabel="Delete"
          busyLabel="Deleting…"
          danger
          onConfirm={async () => {
            await deleteLiveStream(stream.id);
            onDeleted(stream);
          }}
        />
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <LiveRecordings stream={stream} />
    </li>
  );
}

function settingsSummary(stream: LiveStream): string {
  const settings = stream.new_asset_settings ?? {};
  const parts = [
    `masters up to ${tierWords(settings.max_resolution_tier ?? '1080p')}`,
    settings.master_access === 'temporary' ? 'download link for each recording' : 'no download links',
    stream.reconnect_window > 0 ? `waits ${windowWords(stream.reconnect_window)} for a dropped encoder` : 'saves at once when the encoder drops',
  ];
  return parts.join(' · ');
}
