import { defineConfig } from 'vitest/config';

// One run covers every suite: unit and property tests, parity (WebGPU through Dawn), and browser e2e
// (Chromium through playwright-core, against the built app). The JSON report feeds CI's "N passed, N failed" line.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
