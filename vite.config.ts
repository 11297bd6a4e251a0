import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Relative base: the built dist/ works from any sub-path of a static host.
// `--mode test` (test/e2e/harness.ts ensureBuilt) also builds the browser engine-parity page,
// test/e2e/parity.html (test/e2e/parityPage.ts; test/e2e/parity.test.ts): test code, so `npm run build` leaves it out of dist/.
/** The build's HTML entry points: the app, and in `--mode test` the parity page. */
function inputs(mode: string): Record<string, string> {
  return mode === 'test' ? { main: 'index.html', parity: 'test/e2e/parity.html' } : { main: 'index.html' };
}

export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [solid()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    sourcemap: true,
    rollupOptions: { input: inputs(mode) },
  },
}));
