// @vitest-environment node
/**
 * Kubernetes structured-allocator vectors (`dra_allocate` in ../shared/conformance/dra_mig.json, from
 * kubernetes/dynamic-resource-allocation @ v0.34.0 allocator_testing.go) through src/sched/dra/allocator.ts:
 * one test per case.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { draAdapter } from '../../src/conformance/dra.ts';
import { runCases } from '../../src/conformance/runner.ts';
import type { ConformanceCase } from '../../src/conformance/types.ts';

const FILE = fileURLToPath(new URL('../../../shared/conformance/dra_mig.json', import.meta.url));
const ALL = JSON.parse(readFileSync(FILE, 'utf8')) as ConformanceCase[];
const CASES = ALL.filter((c) => c.input.function === 'dra_allocate');

describe('dra_mig.json: dra_allocate', () => {
  it('holds the 12 allocator vectors the README lists', () => {
    expect(CASES).toHaveLength(12);
  });

  for (const c of CASES) {
    it(`${c.id}: ${c.description ?? ''}`, () => {
      expect(draAdapter.supports(c)).toBe(true);
      const o = draAdapter.run(c);
      expect(o.detail).toBe('');
      expect(o.status).toBe('pass');
    });
  }

  it('the runner dispatches the allocator cases to the dra adapter and passes them all', () => {
    const r = runCases(CASES, FILE);
    expect({ passed: r.passed, failed: r.failed, unsupported: r.unsupported }).toEqual({ passed: 12, failed: 0, unsupported: 0 });
  });
});

describe('the adapter can fail', () => {
  const byId = (id: string): ConformanceCase => structuredClone(CASES.find((c) => c.id === id)!);

  it('fails when the expected device differs', () => {
    // dra-part-multiple-devices: device-2 (6Gi) would take the 8Gi counter to 10Gi, so req-1 gets device-3.
    const c = byId('dra-part-multiple-devices');
    (c.expected.allocations as { device: string }[])[1].device = 'device-2';
    const o = draAdapter.run(c);
    expect(o.status).toBe('fail');
    expect(o.detail).toContain('device-3');
  });

  it('fails when the expected claim assignment differs and is asserted', () => {
    const c = byId('dra-small-and-large-backtrack-claims');
    c.expected.claim_assignment_asserted = true;
    const allocs = c.expected.allocations as { claim: string }[];
    [allocs[0].claim, allocs[1].claim] = [allocs[1].claim, allocs[0].claim];
    expect(draAdapter.run(c).status).toBe('fail');
  });

  it('fails when the partitionable-devices gate is switched off (counters are then refused)', () => {
    const c = byId('dra-part-multiple-devices');
    (c.input.features as Record<string, boolean>).partitionable_devices = false;
    expect(draAdapter.run(c).status).toBe('fail');
  });
});
