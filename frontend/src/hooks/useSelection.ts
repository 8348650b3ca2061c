import { useCallback, useRef, useState } from 'preact/hooks';
import type { Asset } from '../api/types';

export interface Selection {
  checked: ReadonlySet<string>;
  /** Click or Cmd/Ctrl-click toggles one; Shift extends from the last one picked. */
  pick: (id: string, how: 'toggle' | 'range') => void;
  /** Replaces the selection (select all shown, all matching). */
  set: (ids: Iterable<string>) => void;
  /** A video left the archive: it leaves the selection too. */
  drop: (id: string) => void;
  clear: () => void;
}

/**
 * The checked videos, by id. Ids may be of videos not loaded yet ("select all 10,000
 * matching"), so the selection is not pruned to what is shown; deleted videos are dropped.
 */
export function useSelection(assets: Asset[]): Selection {
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const assetsRef = useRef(assets);
  assetsRef.current = assets;
  const pick = useCallback((id: string, how: 'toggle' | 'range') => {
    setChecked((prev) => {
      const next = new Set(prev);
      const list = assetsRef.current;
      const from = anchor.current ? list.findIndex((a) => a.id === anchor.current) : -1;
      const to = list.findIndex((a) => a.id === id);
      if (how === 'range' && from >= 0 && to >= 0) {
        for (const a of list.slice(Math.min(from, to), Math.max(from, to) + 1)) next.add(a.id);
      } else if (next.has(id)) {
        next.delete(id);
      } else {
        next.add(id);
      }
      return next;
    });
    anchor.current = id;
  }, []);
  const set = useCallback((ids: Iterable<string>) => setChecked(new Set(ids)), []);
  const drop = useCallback(
    (id: string) =>
      setChecked((prev) => {
        if (!prev.has(id)) return prev;
        const next = new Set(prev);
        next.delete(id);
        return next;
      }),
    [],
  );
  const clear = useCallback(() => setChecked((prev) => (prev.size === 0 ? prev : new Set())), []);
  return { checked, pick, set, drop, clear };
}
