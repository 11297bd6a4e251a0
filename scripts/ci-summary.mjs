// Prints vitest's totals from its JSON report as one line: "N passed, N failed" (", N skipped" if any).
import { readFileSync, existsSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error(`ci-summary: no vitest report at ${file}`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const failedSuites = (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
const passed = r.numPassedTests ?? 0;
const failed = (r.numFailedTests ?? 0) + failedSuites;
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
// Per tier (the vitest projects of vitest.config.ts), then the closing line CI reads.
const tierOf = (name) => (/[\\/]test[\\/]parity[\\/]/.test(name) ? 'parity' : /[\\/]test[\\/]e2e[\\/]/.test(name) ? 'browser' : 'unit');
const tiers = new Map();
for (const s of r.testResults ?? []) {
  const t = tiers.get(tierOf(s.name ?? '')) ?? { passed: 0, failed: 0 };
  for (const a of s.assertionResults ?? []) if (a.status === 'passed') t.passed++; else if (a.status === 'failed') t.failed++;
  tiers.set(tierOf(s.name ?? ''), t);
}
for (const [t, c] of [...tiers].sort()) console.log(`${t} tier: ${c.passed} passed / ${c.failed} failed`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
