import { useCallback, useEffect, useRef } from 'preact/hooks';

/**
 * Runs `tick` now and again after the delay (ms) it resolves to, never two at once.
 * Returns `pollNow`, which runs a tick right away (or right after the one in flight).
 */
export function usePoll(tick: (signal: AbortSignal) => Promise<number>, active: boolean): () => void {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  const wakeRef = useRef<() => void>(() => {});

  useEffect(() => {
    if (!active) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let again = false;

    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      clearTimeout(timer);
      let delay = 10_000;
      try {
        delay = await tickRef.current(controller.signal);
      } catch {
        // Ticks report their own errors; a throw only means "try again later".
      }
      running = false;
      if (controller.signal.aborted) return;
      if (again) {
        again = false;
        void run();
        return;
      }
      timer = setTimeout(run, delay);
    };

    wakeRef.current = () => void run();
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
      wakeRef.current = () => {};
    };
  }, [active]);

  return useCallback(() => wakeRef.current(), []);
}
