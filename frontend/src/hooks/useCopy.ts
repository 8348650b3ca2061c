import { useCallback, useEffect, useState } from 'preact/hooks';
import { copyText } from '../desktop';

export type CopyState = 'idle' | 'copied' | 'failed';

/** How long "Copied" / "Copy failed" stays before the button says Copy again. */
const FEEDBACK_MS = 2_000;

/** Copies `value` to the clipboard and keeps the outcome for a moment, so the button can say how it went. */
export function useCopy(value: string): [CopyState, () => Promise<void>] {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = useCallback(async () => {
    try {
      await copyText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  }, [value]);

  return [state, copy];
}
