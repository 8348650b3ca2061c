import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProxyOptions } from 'vite';
import { defineConfig } from 'vitest/config';

// Where `npm run dev` forwards API calls; `reelvault serve` listens here by default.
const backend = process.env.REELVAULT_API ?? 'http://127.0.0.1:8910';

// The Go binary embeds frontend/dist and a fresh clone needs dist/.gitkeep, so Vite must not
// empty the folder; instead, drop the previous build's hashed assets before writing new ones.
const distDir = resolve(__dirname, 'dist');
const cleanOldAssets = {
  name: 'reelvault-clean-old-assets',
  apply: 'build' as const,
  buildStart() {
    rmSync(resolve(distDir, 'assets'), { recursive: true, force: true });
  },
};

const proxyToBackend: ProxyOptions = {
  target: backend,
  changeOrigin: true,
  // The backend refuses other web origins; the dev server is a trusted stand-in for the UI.
  configure: (proxy) => {
    proxy.on('proxyReq', (proxyReq) => proxyReq.removeHeader('origin'));
  },
};

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [cleanOldAssets],
  build: {
    outDir: distDir,
    emptyOutDir: false,
    target: 'es2020',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/video': proxyToBackend,
      '/system': proxyToBackend,
      '/ui/v1': proxyToBackend,
      '/reelvault': proxyToBackend,
      // Direct-upload URLs (the browser's chunked uploads).
      '/upload/': proxyToBackend,
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./tests/setup.ts'],
    include: ['tests/**/*.test.{ts,tsx}'],
    testTimeout: 15_000,
  },
});
