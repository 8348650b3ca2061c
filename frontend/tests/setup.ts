import { cleanup, configure } from '@testing-library/preact';
import { options } from 'preact';
import { afterEach, vi } from 'vitest';

// jsdom has no CSS.escape (every browser has it): focus going back to a card after a dialog uses it.
if (typeof globalThis.CSS === 'undefined') (globalThis as { CSS?: unknown }).CSS = {};
CSS.escape ??= (value: string) => value.replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c}`);

// Preact runs effects after the next paint: a requestAnimationFrame raced by a 100 ms timer whose
// callback calls cancelAnimationFrame. Where jsdom's frames do not come (its frame loop runs on a
// setInterval a test faked), that timer fires instead, and when it fires after the file's jsdom
// globals are gone it throws "cancelAnimationFrame is not defined" (seen in CI after
// liveHealth.test.tsx). Effects run on the next task instead: no race and no frame loop to wait on.
options.requestAnimationFrame = (callback) => {
  setTimeout(callback, 0);
};

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
