import { useEffect, useRef, useState } from 'preact/hooks';
import { getLiveHealth, type LiveHealth, type LiveStream } from '../api/live';
import { formatCountdown } from '../format';
import { useChanges } from '../hooks/useChanges';
import { useNow } from '../hooks/useNow';
import { healthLine, windowWords } from '../liveFormat';

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
  return <ClockLine verb="Recording" seconds={Math.max(0, (now - startedAt) / 1000)} />;
}

/** "Recorded 0:40": an open recording whose encoder is away, its time standing still. */
export function RecordedFor({ seconds }: { seconds: number }) {
  return <ClockLine verb="Recorded" seconds={seconds} />;
}

/** "<verb> 0:40", the time machine-readable too. */
function ClockLine({ verb, seconds }: { verb: string; seconds: number }) {
  return (
    <span class="recording-clock">
      {verb}{' '}
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

/** Without pushed changes, how often the card asks for the stream's health while it is live. */
const HEALTH_POLL_MS = 2_000;

/**
 * The stream's health while it is live; undefined otherwise. Asked for once when the stream goes
 * live (the first paint), then pushed about once a second on the change feed; while the feed is
 * down, asked for every 2 s instead.
 */
export function useLiveHealth(id: string, live: boolean): LiveHealth | undefined {
  const [health, setHealth] = useState<LiveHealth>();
  // Counts pushed readings, so an answer asked for before the newest push does not replace it.
  const pushes = useRef(0);
  const feedLive = useChanges((change) => {
    if (change.kind !== 'health' || change.object_id !== id) return;
    pushes.current++;
    setHealth(change.health.live ? change.health : undefined);
  }, live);

  useEffect(() => {
    setHealth(undefined);
    pushes.current = 0;
  }, [id, live]);

  useEffect(() => {
    if (!live) return;
    const ctl = new AbortController();
    const load = () => {
      const seen = pushes.current;
      getLiveHealth(id, ctl.signal).then(
        (h) => !ctl.signal.aborted && pushes.current === seen && setHealth(h.live ? h : undefined),
        () => undefined, // a missed answer: the next push or poll brings the news
      );
    };
    load();
    const timer = feedLive ? undefined : setInterval(load, HEALTH_POLL_MS);
    return () => {
      ctl.abort();
      clearInterval(timer);
    };
  }, [id, live, feedLive]);
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
