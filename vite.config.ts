import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Relative base: the built dist/ works from any sub-path of a static host.
export default defineConfig({
  base: './',
  plugins: [solid()],
  worker: { format: 'es' },
  // parity.html: the browser engine-parity page (src/engine/parityPage.ts; test/e2e/parity.test.ts).
  build: { target: 'es2022', outDir: 'dist', sourcemap: true, rollupOptions: { input: { main: 'index.html', parity: 'parity.html' } } },
});
