// The embeddable live-chat widget: `vite build --config web/vite.widget.config.ts`
// -> web/dist-widget/widget.js, one self-contained IIFE (served by the backend at `/widget.js`).
// socket.io-client is NOT bundled: the widget loads `/socket.io/socket.io.min.js` from the hub at run time.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webDir = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: webDir,
  publicDir: false,
  build: {
    outDir: resolve(webDir, 'dist-widget'),
    emptyOutDir: true,
    minify: true,
    sourcemap: false,
    target: 'es2019',
    lib: {
      entry: resolve(webDir, 'widget/widget.ts'),
      formats: ['iife'],
      name: 'HubChatWidget',
      fileName: () => 'widget.js',
    },
  },
});
