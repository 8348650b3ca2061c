import { useEffect, useRef, useState } from 'preact/hooks';
import { listenForNativeFileDrops } from '../desktop';

export const BROWSER_DROP_NOTE =
  'Dropping files works in the desktop app. In the browser, paste the file’s full path into “Add by path or URL”.';

/**
 * Desktop: Wails hands over absolute paths of files dropped anywhere on the window.
 * Browser: a dropped file has no path, so catch the drop (instead of the browser opening the
 * file) and explain. Returns whether a browser drag is over the window, to show a hint.
 */
export function useFileDrop(onPaths: (paths: string[]) => void, onBrowserDrop: () => void): boolean {
  const [dragging, setDragging] = useState(false);
  // Wails accepts a single drop callback, so register once and call the latest handlers.
  const handlers = useRef({ onPaths, onBrowserDrop });
  handlers.current = { onPaths, onBrowserDrop };

  useEffect(() => {
    const stopNative = listenForNativeFileDrops((paths) => handlers.current.onPaths(paths));
    if (stopNative) return stopNative;

    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      handlers.current.onBrowserDrop();
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return dragging;
}
