import type { LiveStream } from '../api/live';
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
