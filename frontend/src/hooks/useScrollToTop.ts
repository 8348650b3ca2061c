import { type RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

/**
 * Scrolls the pane around `ref` (the nearest `selector`) back to the top when the component
 * mounts or `key` changes: the panes outlive pages, and a new page should not open half-way down.
 */
export function useScrollToTop(ref: RefObject<HTMLElement>, selector: string, key?: unknown): void {
  useEffect(() => {
    const pane = ref.current?.closest<HTMLElement>(selector);
    if (pane) pane.scrollTop = 0;
  }, [key]);
}
