/**
 * The CPU twin against hand-computed kube numbers and against FrameworkScheduler's plugin path.
 * (The GPU engine is checked against this twin in test/parity.)
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { chooseNode } from '../../src/engine/evaluator/choose.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { INFEASIBLE, REASON_TEXT } from '../../src/engine/kernels/types.ts';
import { NODE_AFFINITY_REASON } from '../../src/sched/plugins/nodeAffinity.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';
import { cluster, node, pod } from '../builders/index.ts';
import { randomCluster, randomRequest, replicaOf } from '../parity/random.ts';
import { reduceWindow } from '../../src/engine/cpu/selectBest.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';

const spec = kernelSpecFor('k8s-default')!;

function packed(c: ReturnType<typeof cluster>, req: ReturnType<typeof pod>): number[] {
  const e = new CpuEngine();
  e.attach(c, spec);
  return [...e.scoreAllSync([req.build().request])];
}

describe('filterScoreK8s (CPU twin)', () => {
  test.each([
    {
      name: 'LeastAllocated + BalancedAllocation on an empty node',
      // fit: cpu ((4000 - 1000) * 100) / 4000 = 75, mem ((16384 - 4096) * 100) / 16384 = 75 → (75 + 75) / 2 = 75
      // balanced: fc = 0.25, fm = 0.25 → trunc((1 - 0) * 100) = 100 → total 175
      n: node().cpu(4000).mem(16384), p: pod().cpu(1000).mem(4096), want: 175,
    },
    {
      name: 'float64 boundary: fractions 0.6 and 0.8',
      // fit: cpu ((5 - 3) * 100) / 5 = 40, mem ((5 - 4) * 100) / 5 = 20 → 30
      // balanced: exact (1 - 0.2 / 2) * 100 = 90, but in float64 (1 - |0.6 - 0.8| / 2) * 100 = 89.99999999999999 → 89 (kube too)
      n: node().cpu(5).mem(5), p: pod().cpu(3).mem(4), want: 30 + 89,
    },
    {
      name: 'zero requests count 100 m / 200 MiB in NodeResourcesFit, BalancedAllocation skips',
      // fit: cpu ((1000 - 100) * 100) / 1000 = 90, mem ((1000 - 200) * 100) / 1000 = 80 → 85; balanced 0
      n: node().cpu(1000).mem(1000), p: pod(), want: 85,
    },
    { name: 'insufficient cpu and memory: both reasons', n: node().cpu(1000).mem(1000), p: pod().cpu(2000).mem(2000), want: (INFEASIBLE | 2 | 4) >>> 0 },
    { name: 'GPU count over capacity', n: node().gpus(2), p: pod().gpus(4), want: (INFEASIBLE | 8) >>> 0 },
    { name: 'GPU model not allowed', n: node().gpus(2, 'T4'), p: pod().gpus(1).models('H100'), want: (INFEASIBLE | 16) >>> 0 },
    { name: 'too many pods', n: node().maxPods(0), p: pod().cpu(1), want: (INFEASIBLE | 1) >>> 0 },
  ])('$name', ({ n, p, want }) => {
    expect(packed(cluster(n), p)).toEqual([want]);
  });

  test('reason texts match the plugins', () => {
    expect(REASON_TEXT[4]).toBe(NODE_AFFINITY_REASON);
  });
});

describe('reduceWindow + chooseNode', () => {
  test('plateaus of the running maximum and the final tie set', () => {
    // scan order from node 1: totals 5, 5, x, 7, 7, 3 → plateaus [2 (the 5s), 2 (the 7s)], tied nodes 4 and 5
    const totals = [3, 5, 5, INFEASIBLE | 2, 7, 7];
    const d = reduceWindow(6, { start: 1, want: 6 }, (i) => totals[i] >>> 0);
    expect(d).toEqual({ processed: 6, feasible: 5, rejected: [0, 1, 0, 0, 0], maxTotal: 7, plateaus: [2, 2], tied: [4, 5] });
  });
  test('the window stops after want feasible nodes', () => {
    // from node 4: 7, 7 (2 feasible) → processed 2
    const totals = [3, 5, 5, 9, 7, 7];
    expect(reduceWindow(6, { start: 4, want: 2 }, (i) => totals[i]).processed).toBe(2);
  });
  test('reservoir replay draws rng.int(2..c) per plateau, like selectHost', () => {
    const d = { processed: 6, feasible: 5, rejected: [0, 0, 0, 0, 0], maxTotal: 7, plateaus: [2, 3], tied: [10, 11, 12] };
    const a = new Rng(9);
    const b = new Rng(9);
    // the runner: i=1 ties (draw int(2)); new max; two ties (int(2), int(3)); last zero draw picks
    b.int(2);
    const r2 = b.int(2);
    const r3 = b.int(3);
    const expected = r3 === 0 ? 12 : r2 === 0 ? 11 : 10;
    expect(chooseNode(d, { kind: 'reservoir' }, a)).toBe(expected);
    expect(a.nextU32()).toBe(b.nextU32());
  });
});

describe('FrameworkEvaluator on the CPU engine = FrameworkScheduler', () => {
  test('identical bindings, reasons and RNG use over random clusters (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 260 }), fc.constantFrom('LeastAllocated', 'MostAllocated'), fc.integer({ min: 0, max: 3 }), (seed, nodes, strategy, gpuWeight) => {
        const options = { strategy, gpuWeight, percentageOfNodesToScore: seed % 3 === 0 ? 30 : 0 };
        const run = (useEngine: boolean) => {
          const rng = new Rng(seed);
          const c = randomCluster(rng, nodes);
          // every third pod a replica of one of two services: the evaluator runs those with the spread pass (twin)
          const pods = Array.from({ length: 30 }, (_, i) => replicaOf(randomRequest(rng, 6000, 20000), i % 3, i % 3 === 0 ? i % 2 : -1));
          const fw = createScheduler('k8s-default', options, { scenario: {} as never, cluster: c, rng }) as FrameworkScheduler;
          const s = useEngine ? useEvaluator(fw, new FrameworkEvaluator(kernelSpecFor('k8s-default', options)!, new CpuEngine())) : fw;
          const ctx = { cluster: c, rng: new Rng(seed + 1), nowS: 0 };
          const out: string[] = [];
          for (let cycle = 0; cycle < 3; cycle++) {
            const r = s.cycle(pods.filter((p) => p.binding === null), ctx);
            out.push(...r.bound.map((p) => `${pods.indexOf(p)}@${p.binding!.nodeId}:${p.binding!.gpus.map((g) => g.gpu).join(',')}`));
            out.push(...r.failed.map((p) => `${pods.indexOf(p)}!${p.lastReason}`));
            for (const p of r.bound.filter((_, i) => i % 2 === 0)) c.unbind(p);
          }
          out.push(`rng:${ctx.rng.nextU32()}`);
          return out;
        };
        expect(run(true)).toEqual(run(false));
      }),
      { numRuns: 60 },
    );
  });
});
