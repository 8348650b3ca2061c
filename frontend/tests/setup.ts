import { cleanup, configure } from '@testing-library/preact';
import { afterEach, vi } from 'vitest';

// jsdom has no CSS.escape (every browser has it): focus going back to a card after a dialog uses it.
if (typeof globalThis.CSS === 'undefined') (globalThis as { CSS?: unknown }).CSS = {};
CSS.escape ??= (value: string) => value.replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c}`);

// The build machine is shared: give findBy/waitFor room before calling a slow render a failure.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  delete window.go;
  delete window.runtime;
  window.location.hash = '';
  localStorage.clear();
});
