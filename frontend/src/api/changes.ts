// The server's change feed: one object per change, pushed as server-sent events in a browser
// (GET /ui/v1/stream) and as the Wails event "reelvault:change" in the desktop window, where
// the asset server cannot stream.
import type { LiveHealth } from './live';
import type { Rebuild, Speed } from './types';

export interface ProgressEntry {
  id: string;
  state: string;
  progress: number;
  /** While the build waits in the queue: how many come before it. */
  queue_ahead?: number;
  /** A ready video's change of master size underway (or failed), as the asset's own field says. */
  rebuild?: Rebuild;
  /** How fast the running work goes, as the asset's `speed`. */
  speed?: Speed;
}

export type Change =
  | { kind: 'event'; type: string; object_type: string; object_id: string }
  | { kind: 'progress'; progress: ProgressEntry[] }
  /** A live stream's health, about once a second while an encoder publishes; a last one, not live, when it leaves. */
  | { kind: 'health'; type: string; object_type: string; object_id: string; health: LiveHealth };

/** Whether pushed changes are arriving; while they are not, callers fall back to polling. */
export type FeedState = 'connecting' | 'live' | 'down';

export const STREAM_PATH = '/ui/v1/stream';
export const WAILS_CHANGE_EVENT = 'reelvault:change';
/** After the browser gives up on the stream (an error answer, not a dropped line), try again this late. */
export const STREAM_RETRY_MS = 30_000;

type ChangeListener = (change: Change) => void;
type StateListener = (state: FeedState) => void;

// One connection for the whole window, opened by the first listener and closed by the last.
const changeListeners = new Set<ChangeListener>();
const stateListeners = new Set<StateListener>();
let state: FeedState = 'down';
let disconnect: (() => void) | undefined;

export function currentFeedState(): FeedState {
  return state;
}

/** Calls `onChange` for every change and `onState` when the feed goes live or down. */
export function subscribeToChanges(onChange: ChangeListener, onState: StateListener): () => void {
  changeListeners.add(onChange);
  stateListeners.add(onState);
  if (!disconnect) disconnect = connect();
  return () => {
    changeListeners.delete(onChange);
    stateListeners.delete(onState);
    if (changeListeners.size === 0 && disconnect) {
      disconnect();
      disconnect = undefined;
      state = 'down';
    }
  };
}

function setState(next: FeedState) {
  if (next === state) return;
  state = next;
  stateListeners.forEach((listener) => listener(next));
}

function deliver(raw: unknown) {
  const change = parseChange(raw);
  if (change) changeListeners.forEach((listener) => listener(change));
}

function connect(): () => void {
  const runtime = window.runtime;
  if (typeof runtime?.EventsOn === 'function') return connectWails(runtime.EventsOn, runtime.EventsOff);
  if (typeof window.EventSource === 'function') return connectEventSource();
  setState('down');
  return () => {};
}

function connectWails(
  eventsOn: (name: string, callback: (data: unknown) => void) => (() => void) | void,
  eventsOff: ((name: string) => void) | undefined,
): () => void {
  const off = eventsOn(WAILS_CHANGE_EVENT, deliver);
  // The Go side emits for as long as the window lives: nothing to detect, it is live.
  setState('live');
  return () => (typeof off === 'function' ? off() : eventsOff?.(WAILS_CHANGE_EVENT));
}

function connectEventSource(): () => void {
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    setState('connecting');
    const es = new EventSource(STREAM_PATH);
    source = es;
    es.onopen = () => setState('live');
    const onMessage = (message: MessageEvent) => {
      try {
        deliver(JSON.parse(String(message.data)));
      } catch {
        // A line that is not JSON is not a change; the safety-net poll covers anything missed.
      }
    };
    es.addEventListener('event', onMessage as EventListener);
    es.addEventListener('progress', onMessage as EventListener);
    es.addEventListener('health', onMessage as EventListener);
    es.onerror = () => {
      setState('down');
      // A dropped connection is retried by the browser itself (readyState CONNECTING); an error
      // answer (401, 501) closes it for good, so try again later while polling carries on.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        retry = setTimeout(open, STREAM_RETRY_MS);
      }
    };
  };

  open();
  return () => {
    clearTimeout(retry);
    source?.close();
  };
}

function parseChange(raw: unknown): Change | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  if (c.kind === 'progress' && Array.isArray(c.progress)) {
    const progress = c.progress.filter(
      (p): p is ProgressEntry => !!p && typeof p === 'object' && typeof (p as ProgressEntry).id === 'string',
    );
    return { kind: 'progress', progress };
  }
  if (c.kind === 'health' && typeof c.object_id === 'string' && c.health && typeof c.health === 'object') {
    const health = c.health as LiveHealth;
    if (typeof health.live !== 'boolean') return undefined;
    // The picture is the server's own: anything but its preview path is not shown.
    const preview = typeof health.preview_url === 'string' && health.preview_url.startsWith('/ui/v1/live-streams/') ? health.preview_url : undefined;
    return {
      kind: 'health',
      type: String(c.type ?? ''),
      object_type: String(c.object_type ?? ''),
      object_id: c.object_id,
      health: { ...health, preview_url: preview },
    };
  }
  if (c.kind === 'event' && typeof c.type === 'string') {
    return { kind: 'event', type: c.type, object_type: String(c.object_type ?? ''), object_id: String(c.object_id ?? '') };
  }
  return undefined;
}
