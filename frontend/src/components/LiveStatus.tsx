import { useEffect, useState } from 'preact/hooks';
import { getLiveHealth, type LiveHealth, type LiveStream } from '../api/live';
import { formatCountdown } from '../format';
import { useNow } from '../hooks/useNow';
import { windowWords } from '../liveFormat';

export type LiveState = 'live' | 'connecting' | 'reconnecting' | 'idle' | 'disabled';

/** What the stream is doing, from the encoder's point of view. */
export function liveStateOf(stream: LiveStream): LiveState {
  if (stream.status === 'disabled') return 'disabled';
  const recording = !!stream.active_asset_id;
  if (stream.connected) return recording ? 'live' : 'connecting';
  return recording ? 'reconnecting' : 'idle';
}

const words: Record<LiveState, string> = {
  live: 'Live',
  connecting: 'Encoder connected',
  reconnecting: 'Encoder away',
  idle: 'Waiting for the encoder',
  disabled: 'Disabled',
};

/** The state as a badge; while live, its dot pulses. */
export function LiveBadge({ state }: { state: LiveState }) {
  return (
    <span class={`badge live-badge live-${state}`} data-testid="live-state">
      <span class="badge-dot" aria-hidden="true" />
      {words[state]}
    </span>
  );
}

interface ClockProps {
  /** When the open recording started, in this computer's clock (ms). */
  startedAt: number;
}

/** "Recording 12:34", ticking every second. */
export function RecordingClock({ startedAt }: ClockProps) {
  const now = useNow(1_000);
  const seconds = Math.max(0, (now - startedAt) / 1000);
  return (
    <span class="recording-clock">
      Recording{' '}
      <time class="countdown" data-testid="recording-time" dateTime={`PT${Math.floor(seconds)}S`}>
        {formatCountdown(seconds)}
      </time>
    </span>
  );
}

/** One sentence on what happens next, for the states where the user may wonder. */
export function liveStateHint(stream: LiveStream, state: LiveState): string | undefined {
  switch (state) {
    case 'connecting':
      return 'The encoder is connected; recording starts with its first video or audio.';
    case 'reconnecting':
      return stream.reconnect_window > 0
        ? `The encoder disconnected. If it is back within ${windowWords(stream.reconnect_window)}, the recording continues in the same video; otherwise what was recorded is saved.`
        : 'The encoder disconnected; the recording is being saved.';
    case 'disabled':
      return 'Encoders are refused until you enable the stream again.';
    default:
      return undefined;
  }
}

/** A count the server sent, or 0 when it is not a sane one. */
function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** "4.2 Mb/s", "850 kb/s". */
export function formatBitrate(bps: number): string {
  const b = count(bps);
  if (b >= 1_000_000) return `${(b / 1_000_000).toFixed(1)} Mb/s`;
  return `${Math.round(b / 1000)} kb/s`;
}

/** "4.2 Mb/s · 25 fps · 0 dropped", with timestamp gaps added when there were any. */
export function healthLine(h: LiveHealth): string {
  const fps = typeof h.frame_rate === 'number' && Number.isFinite(h.frame_rate) && h.frame_rate > 0 ? h.frame_rate : 0;
  const parts = [formatBitrate(h.bitrate_bps), `${Number(fps.toFixed(1))} fps`, `${count(h.dropped_frames)} dropped`];
  const gaps = count(h.timestamp_gaps);
  if (gaps > 0) parts.push(`${gaps} ${gaps === 1 ? 'gap' : 'gaps'}`);
  return parts.join(' · ');
}

/** How often the card asks for the stream's health while it is live. */
const HEALTH_POLL_MS = 2_000;

/** The stream's health, asked for every few seconds while live; undefined otherwise. */
export function useLiveHealth(id: string, live: boolean): LiveHealth | undefined {
  const [health, setHealth] = useState<LiveHealth>();
  useEffect(() => {
    setHealth(undefined);
    if (!live) return;
    const ctl = new AbortController();
    const load = () =>
      getLiveHealth(id, ctl.signal).then(
        (h) => !ctl.signal.aborted && setHealth(h.live ? h : undefined),
        () => undefined, // a missed poll: the next one tries again
      );
    load();
    const timer = setInterval(load, HEALTH_POLL_MS);
    return () => {
      ctl.abort();
      clearInterval(timer);
    };
  }, [id, live]);
  return health;
}

/** The health line and the preview picture, shown on a live stream's card. */
export function LiveHealthView({ health }: { health: LiveHealth }) {
  return (
    <div class="live-health">
      {health.preview_url && (
        <img class="live-preview" src={health.preview_url} width={320} alt="Preview of the stream (a recent frame)" data-testid="live-preview" />
      )}
      <span class="live-health-line small" data-testid="live-health">
        {healthLine(health)}
      </span>
    </div>
  );
}
