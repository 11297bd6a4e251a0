/**
 * `npm run fuzz` (scripts/fuzz.ts): a failing input is saved as a case file that replays on its own, and an
 * error met many times is saved only a few times.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzOne, replayCase } from '../../scripts/fuzz.ts';
import { FUZZ_TARGETS } from './fuzzTargets.ts';

describe('npm run fuzz', () => {
  it('saves failing inputs as case files (3 per distinct error) and counts every failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
    try {
      // Inputs 0..99; the rule "below 90" fails for 90..99: ten failures, one error shape, three files.
      const t = { name: 'below-90', rule: 'n < 90', arb: fc.integer({ min: 0, max: 99 }), unitRuns: 1, check: (n: unknown) => { if ((n as number) >= 90) throw new Error(`${n} is not below 90`); } };
      const r = fuzzOne(t, 2000, 5, dir);
      expect(r.inputs).toBe(2000);
      expect(r.failures).toBeGreaterThan(3);
      expect(r.saved).toHaveLength(3);
      const c = JSON.parse(readFileSync(r.saved[0], 'utf8'));
      expect(c).toMatchObject({ target: 'below-90', seed: 5 });
      expect(c.input).toBeGreaterThanOrEqual(90);
      expect(c.error).toBe(`Error: ${c.input} is not below 90`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replays a saved case of a real target: the error while it fails, null once it passes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
    try {
      const csv = FUZZ_TARGETS.find((t) => t.name === 'csv-cell')!;
      // A target whose check is broken for one input stands in for a bug: the saved input replays against the
      // real check, which it passes.
      const broken = { ...csv, check: (s: unknown) => { if (typeof s === 'string' && s.startsWith('=')) throw new Error('formula'); csv.check(s); } };
      const r = fuzzOne({ ...broken, arb: fc.constant('=HYPERLINK("http://x","y")') }, 5, 1, dir);
      expect(r.saved).toHaveLength(3);
      expect(replayCase(r.saved[0])).toBeNull();
      // A case the real check fails: a 'run' input that is not a valid scenario.
      const bad = join(dir, 'run-bad.json');
      writeFileSync(bad, JSON.stringify({ target: 'run', seed: 0, batch: 0, index: 0, error: '', input: { kind: 'slicebench/scenario' } }));
      expect(replayCase(bad)).toMatch(/^Error: the saved scenario no longer validates/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
