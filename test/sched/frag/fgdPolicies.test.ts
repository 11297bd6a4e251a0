/** FGD and its five baselines: score formulas by hand, GPU choice inside a node, and the profiles end to end. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { ClusterState } from '../../../src/model/cluster.ts';
import { GPU_CATALOG } from '../../../src/scenario/gpuCatalog.ts';
import type { Pod } from '../../../src/model/pod.ts';
import type { Scenario } from '../../../src/scenario/types.ts';
import { fragEvaluator } from '../../../src/sched/frag/fragment.ts';
import type { TargetWorkload } from '../../../src/sched/frag/target.ts';
import { bestFitRawOf, clusteringScoreOf, dotProdScoreOf, minMaxNormalize, packingScoreOf } from '../../../src/sched/plugins/fgdBaselines.ts';
import { fgdChoose, fgdScoreOfDelta } from '../../../src/sched/plugins/fgdScore.ts';
import { FGD_PROFILES, nodeRanking } from '../../../src/sched/profiles/fgd.ts';
import { createScheduler, getProfile } from '../../../src/sched/profiles/index.ts';
import { FrameworkScheduler } from '../../../src/sched/runner.ts';
import { node, pod } from '../../builders/index.ts';

describe('FGD score', () => {
  it.each([
    [0, 50], // sigmoid(0) = 0.5 → 50
    [1000, 73], // sigmoid(1) = 0.7311 → 73
    [-1000, 26], // sigmoid(−1) = 0.2689 → 26 (truncated)
    [3000, 95], // sigmoid(3) = 0.9526 → 95
    [300, 57], // sigmoid(0.3) = 0.5744 → 57
  ])('Δ = %i milli → %i', (delta, score) => {
    expect(fgdScoreOfDelta(delta)).toBe(score);
  });

  // Target: one class, 1 GPU × 500 milli, 1000 milli-CPU.
  const target: TargetWorkload = { classes: [{ cpuMilli: 1000, gpuMilli: 500, gpuCount: 1, models: [], weight: 1, count: 1 }], totalPods: 1, coveredPods: 1 };
  const ev = fragEvaluator(target);

  it('tries every fitting GPU of a shared pod and keeps the best (not the tightest)', () => {
    // GPUs 1000 and 600 free: both ≥ 500 → F = 0.
    // 300 milli on GPU 0 → [700, 600]: both still ≥ 500 → F′ = 0 → Δ = 0 → 50.
    // 300 milli on GPU 1 → [1000, 300]: 300 < 500 → F′ = 300 → Δ = −300 → sigmoid(−0.3) = 0.4256 → 42.
    expect(fgdChoose(ev, 'T4', 8000, [1000, 600], 1000, 300, 1)).toEqual({ score: 50, gpu: 0 });
  });

  it('prefers the GPU whose remainder is already a fragment', () => {
    // GPUs 1000 and 400 free: F = 400 (only GPU 1 is too small).
    // On GPU 0 → [700, 400]: F′ = 400 → 50. On GPU 1 → [1000, 100]: F′ = 100 → Δ = 300 → 57.
    expect(fgdChoose(ev, 'T4', 8000, [1000, 400], 1000, 300, 1)).toEqual({ score: 57, gpu: 1 });
  });

  it('counts the pod\u2019s CPU: a whole-GPU pod that leaves too little CPU makes the node all fragment', () => {
    // Before: [1000, 1000], 1500 milli-CPU free → class fits → F = 0.
    // After 1 whole GPU + 1000 milli-CPU: [0, 1000], 500 milli-CPU < 1000 → F′ = 1000 → Δ = −1000 → 26.
    expect(fgdChoose(ev, 'T4', 1500, [1000, 1000], 1000, 1000, 1)).toEqual({ score: 26, gpu: -1 });
  });
});

describe('baseline scores', () => {
  it.each([
    // dot = (64000/128000)(8000/128000) + (8000/8000)(1000/8000) = 0.03125 + 0.125 = 0.15625 → 100·(1 − 0.078125) = 92.19 → 92
    [64000, 8000, 8000, 1000, 92],
    // dot = 1·1 + 1·1 = 2 → 100·(1 − 1) = 0
    [128000, 8000, 128000, 8000, 0],
  ])('DotProd(cpuLeft %i, gpuLeft %i, pod %i/%i) = %i', (cl, gl, c, g, s) => {
    expect(dotProdScoreOf(cl, gl, c, g)).toBe(s);
  });

  it.each([
    // 0.5·56000/128000 + 0.5·7000/8000 = 0.21875 + 0.4375 = 0.65625 → 100·0.34375 = 34.375 → 34
    [64000, 8000, 8000, 1000, 34],
    // exact fit: 0 + 0 → 100
    [8000, 1000, 8000, 1000, 100],
  ])('BestFit raw(cpuLeft %i, gpuLeft %i, pod %i/%i) = %i', (cl, gl, c, g, s) => {
    expect(bestFitRawOf(cl, gl, c, g)).toBe(s);
  });

  it('BestFit normalizes over the feasible nodes: (s − min)·100/(max − min), integers; all 0 when equal', () => {
    const a = [34, 50, 90];
    minMaxNormalize(a);
    // (50 − 34)·100/56 = 28.57 → 28
    expect(a).toEqual([0, 28, 100]);
    const b = [7, 7];
    minMaxNormalize(b);
    expect(b).toEqual([0, 0]);
  });

  it.each([
    // share pod on a node holding only share pods, 4000 free: 75 + floor(25·4000/8000) = 75 + 12 = 87
    [0, [0], 4000, 87],
    // mixed classes including share: 50 + 12 = 62
    [0, [0, 1], 4000, 62],
    // empty node (8 GPUs free): 25 + 0 = 25
    [0, [], 8000, 25],
    // other classes only, 2000 free: 0 + floor(25·6000/8000) = 18
    [0, [2], 2000, 18],
    // 2-GPU pod on a node of 2-GPU pods: 75 + floor(25·7000/8000) = 75 + 21 = 96
    [2, [2], 1000, 96],
    // CPU-only pod: 0
    [-1, [0], 1000, 0],
  ])('GpuClustering(class %i, node classes %j, gpuLeft %i) = %i', (podClass, classes, gl, s) => {
    expect(clusteringScoreOf(podClass, new Set(classes), gl)).toBe(s);
  });

  it.each([
    // idle node of 2: max(33 − 2, 2) = 31
    [[1000, 1000], 300, 1, 31],
    // idle node of 8: max(33 − 8, 8) = 25 (conformance case-3)
    [[1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], 1000, 2, 25],
    // fits the partly used GPU (400 left): 100 − floor(400·100/1000)/10 = 100 − 4 = 96
    [[1000, 400], 300, 1, 96],
    // needs 2 fully free GPUs on a partly used node: max(50 − 2, 33) = 48
    [[200, 1000, 1000, 500], 1000, 2, 48],
    // tightest two that fit 150: 200 and 500 → 100 − (20 + 50)/10 = 93
    [[200, 1000, 1000, 500], 150, 2, 93],
    // CPU-only pod: 0
    [[1000], 0, 0, 0],
  ])('GpuPacking(%j, pod %i × %i) = %i', (left, milli, count, s) => {
    expect(packingScoreOf(left, milli, count)).toBe(s);
  });
});

/** A scenario with a batch of shared pods (for the fgd target). */
function scenario(): Scenario {
  return {
    kind: 'slicebench/scenario',
    version: 1,
    name: 't',
    cluster: { pools: [] },
    schedulers: [{ profile: 'fgd' }],
    sim: { durationS: 1, seed: 1, metricsStepS: 1 },
    workloads: [
      { kind: 'batch', name: 'half', count: 6, cpuMilli: 1000, memMiB: 1, gpus: 1, gpuMilli: 500, durationS: 1, arrivalS: 0 },
      { kind: 'batch', name: 'whole', count: 4, cpuMilli: 2000, memMiB: 1, gpus: 1, gpuMilli: 1000, durationS: 1, arrivalS: 0 },
    ],
  };
}

function twoNodeCluster(): ClusterState {
  return new ClusterState([node().gpus(2, 'T4').cpu(16000).mem(65536).build(0), node().gpus(2, 'T4').cpu(16000).mem(65536).build(1)], { ...GPU_CATALOG });
}

describe('profiles', () => {
  it('registers the six policies', () => {
    expect(FGD_PROFILES.map((p) => p.name)).toEqual(['fgd', 'random', 'dotprod', 'clustering', 'packing', 'bestfit']);
    for (const p of FGD_PROFILES) expect(getProfile(p.name)).toBe(p);
  });

  it('nodeRanking is a permutation', () => {
    const r = nodeRanking(50, new Rng(3));
    expect([...r].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('whole-GPU pods take the lowest-indexed free GPUs under every policy; shared pods the policy\u2019s GPU', () => {
    for (const name of ['fgd', 'random', 'dotprod', 'clustering', 'packing', 'bestfit']) {
      const c = twoNodeCluster();
      const s = createScheduler(name, undefined, { scenario: scenario(), cluster: c, rng: new Rng(7) });
      const ctx = { cluster: c, rng: new Rng(8), nowS: 0 };
      const a = pod().cpu(1000).mem(1).gpus(1, 600).build();
      expect(s.cycle([a], ctx).bound).toHaveLength(1);
      const whole = pod().cpu(1000).mem(1).gpus(1, 1000).build();
      s.cycle([whole], ctx);
      // On whichever node it landed, a whole GPU is the lowest free index there.
      const n = c.nodes[whole.binding!.nodeId];
      const taken = new Set(c.podsOnNode[n.id].filter((p) => p !== whole).flatMap((p) => p.binding!.gpus.map((g) => g.gpu)));
      const lowestFree = [0, 1].find((g) => !taken.has(g));
      expect(whole.binding!.gpus.map((g) => [g.gpu, g.milli])).toEqual([[lowestFree, 1000]]);
    }
  });

  it('packing puts a second shared pod on the partly used GPU; random may not, but always fits', () => {
    const c = twoNodeCluster();
    const s = createScheduler('packing', undefined, { scenario: scenario(), cluster: c, rng: new Rng(1) });
    const ctx = { cluster: c, rng: new Rng(2), nowS: 0 };
    const a = pod().cpu(1000).mem(1).gpus(1, 300).build();
    const b = pod().cpu(1000).mem(1).gpus(1, 300).build();
    s.cycle([a], ctx);
    s.cycle([b], ctx);
    // Case 1 of packing (a partly used GPU fits): 100 − floor(700·100/1000)/10 = 93 beats every other node/GPU.
    expect(b.binding!.nodeId).toBe(a.binding!.nodeId);
    expect(b.binding!.gpus[0].gpu).toBe(a.binding!.gpus[0].gpu);
  });

  it('fails a pod no node can hold, with kube-style reasons', () => {
    const c = twoNodeCluster();
    const s = createScheduler('fgd', undefined, { scenario: scenario(), cluster: c, rng: new Rng(1) });
    const p = pod().cpu(1000).mem(1).gpus(4, 1000).build();
    const r = s.cycle([p], { cluster: c, rng: new Rng(2), nowS: 0 });
    expect(r.failed).toEqual([p]);
    expect(p.lastReason).toBe('0/2 nodes are available: 2 Insufficient nvidia.com/gpu.');
  });

  // The shape cache must decide exactly as the plain FrameworkScheduler with the same plugins (Random excepted:
  // its allocator draws a different number of times by design).
  it.each(['fgd', 'dotprod', 'clustering', 'packing', 'bestfit'])('%s: cached runner = plain runner on random clusters and pods', (name) => {
    const podArb = fc.record({ cpu: fc.integer({ min: 0, max: 20 }), gpus: fc.constantFrom(0, 1, 1, 1, 2, 4), milli: fc.constantFrom(100, 250, 500, 700, 1000), mem: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(fc.array(fc.record({ gpus: fc.constantFrom(1, 2, 4, 8), cpu: fc.integer({ min: 4, max: 64 }), model: fc.constantFrom('T4', 'G2') }), { minLength: 1, maxLength: 6 }), fc.array(podArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 1000 }), (nodes, pods, seed) => {
        const build = (): ClusterState => new ClusterState(nodes.map((n, i) => node().gpus(n.gpus, n.model).cpu(n.cpu * 1000).mem(65536).build(i)), { ...GPU_CATALOG });
        const c1 = build();
        const c2 = build();
        const cached = createScheduler(name, undefined, { scenario: scenario(), cluster: c1, rng: new Rng(seed) });
        const twin = createScheduler(name, undefined, { scenario: scenario(), cluster: c2, rng: new Rng(seed) }) as FrameworkScheduler;
        const plain = new FrameworkScheduler(twin.config);
        const ctx1 = { cluster: c1, rng: new Rng(seed + 1), nowS: 0 };
        const ctx2 = { cluster: c2, rng: new Rng(seed + 1), nowS: 0 };
        for (const spec of pods) {
          const mk = (): Pod => pod().cpu(spec.cpu * 1000).mem(spec.mem * 1024).gpus(spec.gpus, spec.gpus === 1 ? spec.milli : 1000).build();
          const p1 = mk();
          const p2 = mk();
          cached.cycle([p1], ctx1);
          plain.cycle([p2], ctx2);
          expect(p1.binding).toEqual(p2.binding);
          expect(p1.lastReason).toBe(p2.lastReason);
        }
      }),
      { numRuns: 40, seed: 20261128 },
    );
  });
});
