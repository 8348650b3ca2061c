import { cleanup, configure } from '@testing-library/preact';
import { afterEach, vi } from 'vitest';

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
