// The agent web app: `vite build --config web/vite.config.ts` -> web/dist (served by the backend at `/`).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webDir = dirname(fileURLToPath(import.meta.url));
const backend = process.env.HUB_DEV_BACKEND ?? 'http://localhost:3000';

export default defineConfig({
  root: webDir,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(webDir, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: resolve(webDir, 'index.html') },
  },
  server: {
    // `vite --config web/vite.config.ts` during development: the backend runs on its own port.
    proxy: {
      '/api': backend,
      '/socket.io': { target: backend, ws: true },
      '/widget.js': backend,
    },
  },
});
