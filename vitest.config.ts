import { defineConfig } from 'vitest/config';

// Three tiers, one run: `npm test` runs them all (the README's command, CI); `npm run test:unit` is the inner loop.
// - unit:    everything that needs neither WebGPU nor a browser (unit, property, conformance, golden, pins)
// - parity:  WGSL on Dawn (the `webgpu` package) against the TypeScript twins and the plugin path
// - browser: the built app in Debian's Chromium (playwright-core)
// The JSON report feeds CI's "N passed, N failed" line.
export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/parity/**', 'test/e2e/**'] } },
      { extends: true, test: { name: 'parity', include: ['test/parity/**/*.test.ts'] } },
      { extends: true, test: { name: 'browser', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
