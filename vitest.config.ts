import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

// One run covers every suite: unit and property tests, parity (WebGPU through Dawn), and browser e2e
// (Chromium through playwright-core). The JSON report feeds CI's "N passed, N failed" line.
export default defineConfig({
  plugins: [solid()],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
