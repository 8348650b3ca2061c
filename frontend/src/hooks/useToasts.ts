import { createContext } from 'preact';
import { useCallback, useContext, useRef, useState } from 'preact/hooks';

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
  /** A message that replaces the shown one with the same key instead of stacking under it. */
  key?: string;
}

export type Notify = (kind: Toast['kind'], text: string, key?: string) => void;

export const INFO_TOAST_MS = 6_000;

/** Short messages in a corner; errors stay until dismissed, information fades on its own. */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (kind, text, key) => {
      const id = nextId.current++;
      setToasts((all) => [...all.filter((t) => key === undefined || t.key !== key).slice(-3), { id, kind, text, key }]);
      if (kind === 'info') setTimeout(() => dismiss(id), INFO_TOAST_MS);
    },
    [dismiss],
  );
  return { toasts, notify, dismiss };
}

export const NotifyContext = createContext<Notify>(() => {});
export const useNotify = () => useContext(NotifyContext);
