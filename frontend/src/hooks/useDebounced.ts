import { useEffect, useRef } from 'preact/hooks';

/** Calls `effect(value)` once `value` has stopped changing for `delayMs` (skips the first value). */
export function useDebouncedEffect<T>(value: T, delayMs: number, effect: (value: T) => void): void {
  const effectRef = useRef(effect);
  effectRef.current = effect;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => effectRef.current(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
}
