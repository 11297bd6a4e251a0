/**
 * The FGD artifact's Bellman fragment (pkg/utils/frag.go NodeGpuFragBellman; src/sched/frag/bellman.ts), on cases
 * worked by hand from that function. The upstream vector (frag_test.go TestNodeGpuFragAmountBellman_EightGpu,
 * 160.73) runs through `slicebench conformance` (test/conformance/fgd.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { nodeFragBellmanMilli } from '../../../src/sched/frag/bellman.ts';
import type { TargetClass, TargetWorkload } from '../../../src/sched/frag/target.ts';

const cls = (cpuMilli: number, gpuMilli: number, gpuCount: number, weight: number, models: string[] = []): TargetClass => ({ cpuMilli, gpuMilli, gpuCount, models, weight, count: 0 });
// A: half a GPU, no CPU; B: a CPU-only pod wanting more CPU than the node has.
const target: TargetWorkload = { classes: [cls(0, 500, 1, 0.5), cls(2000, 0, 0, 0.5)], totalPods: 0, coveredPods: 0 };

describe('NodeGpuFragBellman', () => {
  it('recurses over the typical pods until the node is full or no pod fits', () => {
    // V([1000]): B lacks CPU (weight 0.5 < 0.999 not satisfied), so V = 0.5·V([500]) + 0.5·1000 (B cannot be subtracted).
    // V([500]) = 0.5·V([0]) + 0.5·500 = 0 + 250. So V([1000]) = 0.5·250 + 500 = 625.
    expect(nodeFragBellmanMilli({ cpuLeftMilli: 1000, gpuLeftMilli: [1000], model: 'T4' }, target)).toBe(625);
    expect(nodeFragBellmanMilli({ cpuLeftMilli: 1000, gpuLeftMilli: [500], model: 'T4' }, target)).toBe(250);
  });

  it('is the whole free share when the non-satisfied pods weigh 0.999 or more, and 0 below one milli of expectation', () => {
    // A model the node lacks: A is no_access, B lacks CPU → weight 1 ≥ 0.999 → V = Σ free = 1300.
    const t: TargetWorkload = { classes: [cls(0, 500, 1, 0.5, ['A100']), cls(2000, 0, 0, 0.5)], totalPods: 0, coveredPods: 0 };
    expect(nodeFragBellmanMilli({ cpuLeftMilli: 1000, gpuLeftMilli: [1000, 300], model: 'T4' }, t)).toBe(1300);
    // share left × path probability = 1000 × 0.0005 < 1 → 0.
    expect(nodeFragBellmanMilli({ cpuLeftMilli: 1000, gpuLeftMilli: [1000], model: 'T4' }, target, new Map(), 0.0005)).toBe(0);
  });

  it('subtracts a pod from the tightest fitting GPUs whatever its model, as Sub does', () => {
    // A (any model) on [1000, 600]: Sub takes the 600 GPU → [1000, 100]. With a model-restricted copy of A the
    // category is no_access (weight counts as not satisfied) but Sub still subtracts it.
    const t: TargetWorkload = { classes: [cls(0, 500, 1, 0.4, ['A100']), cls(0, 500, 1, 0.4), cls(2000, 0, 0, 0.2)], totalPods: 0, coveredPods: 0 };
    // On T4 the non-satisfied weight is 0.4 (A′: no_access) + 0.2 (B: CPU) = 0.6 < 0.999, so V recurses:
    // V([0,100]): A′ no_access, A lacks a 500 GPU, B lacks CPU → weight 1 ≥ 0.999 → 100.
    // V([500,100]) = 0.4·V([0,100]) + 0.4·V([0,100]) + 0.2·600 = 200 (A′ and A both take the 500 GPU).
    // V([1000,100]) = 0.4·V([500,100]) + 0.4·V([500,100]) + 0.2·1100 = 380.
    const memo = new Map<string, number>();
    const v = nodeFragBellmanMilli({ cpuLeftMilli: 0, gpuLeftMilli: [1000, 100], model: 'T4' }, t, memo);
    expect(v).toBeCloseTo(380, 9);
  });
});
