import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Change } from '../api/changes';
import { ApiError, messageOf } from '../api/client';
import { createLiveStream, listLiveStreams, type LiveStream, type NewLiveStream } from '../api/live';
import { useChanges } from './useChanges';
import { usePoll } from './usePoll';

/** Without pushed changes, how often the page asks: an encoder connecting should show at once. */
export const LIVE_POLL_MS = 2_000;
/** With pushed changes arriving, polling is only a safety net. */
export const LIVE_SAFETY_POLL_MS = 10_000;
const RETRY_MS = 5_000;
/** Live events come in bursts (connected, recording, active): gather them before fetching. */
const CHANGE_BATCH_MS = 250;

export interface LiveStreamList {
  streams: LiveStream[];
  loaded: boolean;
  error: string | null;
  reload: () => void;
  add: (body: NewLiveStream) => Promise<LiveStream>;
  replace: (stream: LiveStream) => void;
  remove: (id: string) => void;
  /**
   * When each open recording started, in this computer's clock, keyed by stream id. Estimated
   * from the server's `recording_seconds`, so a browser whose clock differs from Reelvault's
   * still ticks the right time.
   */
  startedAt: Record<string, RecordingClock>;
}

/**
 * The live streams, newest first, kept fresh by pushed changes (a safety-net poll besides);
 * when nothing is pushed, polled every 2 s so connects and disconnects show quickly.
 */
export function useLiveStreams(): LiveStreamList {
  const [streams, setStreams] = useState<LiveStream[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [startedAt, setStartedAt] = useState<Record<string, RecordingClock>>({});
  const liveRef = useRef(false);

  const take = useCallback((fresh: LiveStream[]) => {
    const received = Date.now();
    setStreams(fresh);
    setStartedAt((previous) => recordingClocks(previous, fresh, received));
  }, []);

  const tick = useCallback(
    async (signal: AbortSignal) => {
      try {
        take(await listLiveStreams(signal));
        setError(null);
        setLoaded(true);
        return liveRef.current ? LIVE_SAFETY_POLL_MS : LIVE_POLL_MS;
      } catch (err) {
        if (signal.aborted) return LIVE_POLL_MS;
        // A 401 swaps the window for the login screen; nothing to show here.
        if (!(err instanceof ApiError && err.status === 401)) setError(messageOf(err));
        setLoaded(true);
        return RETRY_MS;
      }
    },
    [take],
  );
  const pollNow = usePoll(tick, true);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const live = useChanges((change: Change) => {
    if (change.kind !== 'event' || change.object_type !== 'live') return;
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      pollNow();
    }, CHANGE_BATCH_MS);
  });
  liveRef.current = live;

  const add = useCallback(
    async (body: NewLiveStream) => {
      const created = await createLiveStream(body);
      setStreams((all) => [created, ...all.filter((s) => s.id !== created.id)]);
      return created;
    },
    [],
  );
  const replace = useCallback(
    (stream: LiveStream) => {
      setStreams((all) => all.map((s) => (s.id === stream.id ? stream : s)));
      setStartedAt((previous) => recordingClocks(previous, [stream], Date.now(), false));
    },
    [],
  );
  const remove = useCallback((id: string) => setStreams((all) => all.filter((s) => s.id !== id)), []);

  return { streams, loaded, error, reload: pollNow, add, replace, remove, startedAt };
}

/** An open recording's start: the server's (to tell recordings apart) and this computer's (ms). */
export interface RecordingClock {
  serverStart: string;
  localStart: number;
}

/**
 * The local start of each open recording. `recording_seconds` is rounded down and the answer
 * took time to arrive, so every estimate is at or after the true start: keep the earliest seen
 * for the same recording, which stops the clock from jumping back a second on each refresh.
 * `all` says whether `streams` is the whole list (streams missing from it are dropped).
 */
export function recordingClocks(
  previous: Record<string, RecordingClock>,
  streams: LiveStream[],
  receivedMs: number,
  all = true,
): Record<string, RecordingClock> {
  const next: Record<string, RecordingClock> = all ? {} : { ...previous };
  for (const stream of streams) {
    const serverStart = stream.recording_started_at;
    if (!serverStart) {
      delete next[stream.id];
      continue;
    }
    // The server leaves recording_seconds out while it is 0.
    const estimate = receivedMs - (stream.recording_seconds ?? 0) * 1000;
    const known = previous[stream.id];
    const localStart = known?.serverStart === serverStart ? Math.min(known.localStart, estimate) : estimate;
    next[stream.id] = { serverStart, localStart };
  }
  return next;
}
