import { useEffect, useRef, useState } from 'preact/hooks';
import { type Change, currentFeedState, subscribeToChanges } from '../api/changes';

/**
 * Calls `onChange` for every change the server pushes (Wails events in the desktop window,
 * server-sent events in a browser). Returns whether the push channel is live: while it is not,
 * the caller keeps polling as before.
 */
export function useChanges(onChange: (change: Change) => void, active = true): boolean {
  const handler = useRef(onChange);
  handler.current = onChange;
  const [live, setLive] = useState(() => active && currentFeedState() === 'live');

  useEffect(() => {
    if (!active) {
      setLive(false);
      return;
    }
    const unsubscribe = subscribeToChanges(
      (change) => handler.current(change),
      (state) => setLive(state === 'live'),
    );
    setLive(currentFeedState() === 'live');
    return unsubscribe;
  }, [active]);

  return live;
}
