import { useEffect, useRef, useState } from 'preact/hooks';
import { listenForNativeFileDrops } from '../desktop';

export const BROWSER_DROP_HINT = 'Drop to upload to Reelvault';

/**
 * Desktop: Wails hands over absolute paths of files and folders dropped anywhere on the window.
 * Browser: a dropped file has no path, so catch the drop (instead of the browser opening the
 * file) and hand over its contents to upload. Returns whether a browser drag is over the
 * window, to show a hint.
 */
export function useFileDrop(onPaths: (paths: string[]) => void, onBrowserDrop: (drop: BrowserDrop) => void): boolean {
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
      handlers.current.onBrowserDrop(droppedFiles(e.dataTransfer));
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

export interface BrowserDrop {
  files: File[];
  /** Dropped folders: a browser cannot read them as files. */
  folders: number;
}

/** The files of a browser drop; folders are counted, not read. */
export function droppedFiles(transfer: DataTransfer | null | undefined): BrowserDrop {
  const files = Array.from(transfer?.files ?? []);
  const items = Array.from(transfer?.items ?? []).filter((item) => item.kind === 'file');
  // items and files list the same things in the same order; only items can tell a folder.
  if (items.length !== files.length) return { files, folders: 0 };
  const isFolder = items.map((item) => item.webkitGetAsEntry?.()?.isDirectory === true);
  return { files: files.filter((_, i) => !isFolder[i]), folders: isFolder.filter(Boolean).length };
}

// Video and audio containers a browser may not name a type for (camera and professional formats).
const MEDIA_EXTENSIONS = new Set([
  'mov', 'mp4', 'm4v', 'mkv', 'webm', 'avi', 'mxf', 'mts', 'm2ts', 'ts', 'mpg', 'mpeg', 'vob', 'flv', 'wmv', '3gp',
  'braw', 'r3d', 'dv', 'ogv', 'wav', 'mp3', 'm4a', 'aac', 'flac', 'aif', 'aiff', 'ogg', 'opus',
]);

/** Whether a dropped or chosen file looks like video or audio (by the browser's type, else its extension). */
export function isMediaFile(file: { name: string; type: string }): boolean {
  if (/^(video|audio)\//.test(file.type)) return true;
  const dot = file.name.lastIndexOf('.');
  return dot > 0 && MEDIA_EXTENSIONS.has(file.name.slice(dot + 1).toLowerCase());
}

/** "Not uploaded: notes.txt and 2 more are not video or audio files." */
export function refusedDropMessage(names: string[]): string {
  const shown = names.slice(0, 3).map((n) => `“${n}”`);
  const more = names.length - shown.length;
  const list = more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
  const verb = names.length === 1 ? 'is not a video or audio file' : 'are not video or audio files';
  return `Not uploaded: ${list} ${verb}. Reelvault archives video (MOV, MP4, MXF, MKV…) and audio (WAV…).`;
}
