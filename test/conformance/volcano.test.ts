// @vitest-environment node
/**
 * Volcano v1.15 vectors (../shared/conformance/volcano.json) through our binpack plugin and real scheduling
 * sessions: one test per case; any failing supported case fails the suite. Unsupported (allowed by the
 * issue): gang_should_skip_unschedulable_for_releasing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CaseOutcome, ConformanceCase } from '../../src/conformance/types.ts';
import { volcanoAdapter } from '../../src/conformance/volcano.ts';

const FILE = fileURLToPath(new URL('../../../shared/conformance/volcano.json', import.meta.url));
const CASES = JSON.parse(readFileSync(FILE, 'utf8')) as ConformanceCase[];
const ALLOWED_UNSUPPORTED = new Set(['gang_should_skip_unschedulable_for_releasing', 'binpack_parse_arguments']);

describe('volcano.json', () => {
  it('holds the 18 vectors the README lists', () => {
    expect(CASES).toHaveLength(18);
  });

  for (const c of CASES) {
    it(`${c.id}: ${c.description ?? ''}`, () => {
      const fn = String(c.input.function);
      if (!volcanoAdapter.supports(c)) {
        expect(ALLOWED_UNSUPPORTED.has(fn)).toBe(true);
        expect(volcanoAdapter.run(c).status).toBe('unsupported');
        return;
      }
      const o = volcanoAdapter.run(c);
      expect(o.detail).toBe('');
      expect(o.status).toBe('pass');
    });
  }
});

describe('the adapter can fail', () => {
  const byId = (id: string): ConformanceCase => structuredClone(CASES.find((c) => c.id === id)!);

  it('reports a wrong binpack score', () => {
    // args1-p1 n1: cpu (1000 + 1000)/2000·1 = 1, memory (1 + 1)/4 GiB·1 = 0.5 → 1.5/2·100·1 = 75, not 76.
    const c = byId('binpack-node-score-args1-p1');
    (c.expected.scores as Record<string, number>).n1 = 76;
    const o = volcanoAdapter.run(c);
    expect(o.status).toBe('fail');
    expect(o.detail).toContain('"n1":75');
  });

  it('refuses a non-numeric queue weight instead of looping (issue 19)', () => {
    // Before the fix proportion's water-filling divided by NaN and never settled, a synchronous loop no vitest
    // timeout can stop, so the case runs in a child process with a wall-clock bound: a hang fails, not blocks.
    const c = byId('proportion-enqueue-allocable-case0');
    (c.input.queues as { weight?: unknown }[])[0].weight = 'heavy';
    const adapter = fileURLToPath(new URL('../../src/conformance/volcano.ts', import.meta.url));
    const script = `import { volcanoAdapter } from ${JSON.stringify(adapter)}; process.stdout.write(JSON.stringify(volcanoAdapter.run(${JSON.stringify(c)})));`;
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const r = spawnSync(tsx, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal, 'the case hung').toBeNull();
    const o = JSON.parse(r.stdout) as CaseOutcome;
    expect(o.status).toBe('fail');
    expect(o.detail).toContain('proportion-enqueue-allocable-case0');
    expect(o.detail).toContain('input.queues[0].weight');
  }, 40_000);

  it('reports a wrong bind', () => {
    // case0: pod3 only fits n1 (n2's 2000 m CPU are all taken by pod2).
    const c = byId('proportion-enqueue-allocable-case0');
    c.expected.binds = { 'ns1/pod3': 'n2' };
    const o = volcanoAdapter.run(c);
    expect(o.status).toBe('fail');
    expect(o.detail).toContain('"ns1/pod3":"n1"');
  });

  it('a closed queue really blocks: opening it lets pod6 bind', () => {
    // case4 with q3 Open: pg6 (1 CPU / 1 GB) fits q3's capability and n1 → one bind, so the expectation of 0 fails.
    const c = byId('proportion-enqueue-allocable-case4');
    (c.input.queues as { state: string }[])[0].state = 'Open';
    expect(volcanoAdapter.run(c).status).toBe('fail');
  });
});
