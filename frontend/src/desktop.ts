// Native extras offered by the Wails window. Every helper feature-detects, so the same build
// runs in a plain browser where none of this exists.

interface WailsAppBindings {
  PickFiles?: () => Promise<string[]>;
  RevealInFolder?: (assetId: string) => Promise<void>;
}

interface WailsRuntime {
  OnFileDrop?: (callback: (x: number, y: number, paths: string[]) => void, useDropTarget: boolean) => void;
  OnFileDropOff?: () => void;
  ClipboardSetText?: (text: string) => Promise<boolean>;
  /** Returns a function that removes this listener (Wails v2.4+). */
  EventsOn?: (name: string, callback: (data: unknown) => void) => (() => void) | void;
  EventsOff?: (name: string) => void;
}

declare global {
  interface Window {
    go?: { main?: { App?: WailsAppBindings } };
    runtime?: WailsRuntime;
  }
}

const app = (): WailsAppBindings | undefined => window.go?.main?.App;

export const canPickFiles = (): boolean => typeof app()?.PickFiles === 'function';
export const canRevealInFolder = (): boolean => typeof app()?.RevealInFolder === 'function';
export const hasNativeFileDrop = (): boolean => typeof window.runtime?.OnFileDrop === 'function';

/** Opens the native file dialog; resolves to absolute paths (empty when cancelled). */
export async function pickFiles(): Promise<string[]> {
  const pick = app()?.PickFiles;
  if (!pick) return [];
  return (await pick()) ?? [];
}

export async function revealInFolder(assetId: string): Promise<void> {
  await app()?.RevealInFolder?.(assetId);
}

/**
 * Calls `onPaths` with absolute paths of files dropped on an element marked with
 * `--wails-drop-target: drop`. Returns an unsubscribe function, or undefined outside the window.
 */
export function listenForNativeFileDrops(onPaths: (paths: string[]) => void): (() => void) | undefined {
  const runtime = window.runtime;
  if (!runtime?.OnFileDrop) return undefined;
  runtime.OnFileDrop((_x, _y, paths) => {
    if (paths.length > 0) onPaths(paths);
  }, true);
  return () => runtime.OnFileDropOff?.();
}

/** Copies text with the web clipboard, falling back to the Wails runtime, then to execCommand. */
export async function copyText(text: string): Promise<void> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return;
    }
  } catch {
    // webkit2gtk may refuse the web clipboard for a custom scheme; try the native one.
  }
  if (window.runtime?.ClipboardSetText && (await window.runtime.ClipboardSetText(text))) return;
  if (!copyWithSelection(text)) throw new Error('Could not copy. Select the text and copy it by hand.');
}

function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
