// @vitest-environment node
/**
 * The three-fraction BalancedAllocation of the Volcano kernel (shaders/lib/balancedThree.wgsl) scores by a table
 * of variance thresholds instead of a square root. The file must hold exactly the generated table, and the table
 * must reproduce kube's float64 formula trunc((1 − √v)·100).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balancedVarianceThresholdsWgsl } from '../../src/engine/cpu/filterScoreVolcano.ts';
import { balancedAllocationScore, balancedVarianceThresholds } from '../../src/sched/plugins/balancedAllocation.ts';

const FILE = fileURLToPath(new URL('../../shaders/lib/balancedThree.wgsl', import.meta.url));

describe('balancedThree.wgsl', () => {
  it('holds the generated table (regenerate with balancedVarianceThresholdsWgsl)', () => {
    expect(readFileSync(FILE, 'utf8')).toContain(balancedVarianceThresholdsWgsl());
  });

  it('the score of a variance is the number of thresholds it does not exceed', () => {
    const t = balancedVarianceThresholds();
    const byTable = (v: number): number => t.filter((x) => v <= x).length;
    // v = 0.04: √v = 0.2, (1 − 0.2)·100 = 80 (float64: 0.8 · 100 = 80 exactly) → 80
    expect(byTable(0.04)).toBe(80);
    expect(byTable(0)).toBe(100);
    fc.assert(
      fc.property(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), ([a, b, c]) => {
        const mean = (a + b + c) / 3;
        const v = ((a - mean) * (a - mean) + (b - mean) * (b - mean) + (c - mean) * (c - mean)) / 3;
        expect(byTable(v)).toBe(balancedAllocationScore([a, b, c]));
      }),
      { numRuns: 2000 },
    );
  });
});
