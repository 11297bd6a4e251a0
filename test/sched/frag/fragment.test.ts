/** FGD's fragmentation measure (domain.md §6.4): per-class fragment, node and cluster fragment, typical pods. */
import { describe, expect, it } from 'vitest';
import { ClusterState } from '../../../src/model/cluster.ts';
import { GPU_CATALOG } from '../../../src/scenario/gpuCatalog.ts';
import { classFragmentMilli, clusterFragmentMilli, fragCategory, fragRatePct, fragView, idleGpuMilli, nodeFragmentMilli, type FragNodeView } from '../../../src/sched/frag/fragment.ts';
import { scenarioPodShapes, typicalPods, type PodShape, type TargetClass, type TargetWorkload } from '../../../src/sched/frag/target.ts';
import { node, pod } from '../../builders/index.ts';

// A 4-GPU node with GPUs 200, 1000, 1000, 500 milli free (Σ = 2700) and 1000 milli-CPU free.
const N: FragNodeView = { cpuLeftMilli: 1000, gpuLeftMilli: [200, 1000, 1000, 500], model: 'T4' };
const cls = (cpuMilli: number, gpuMilli: number, gpuCount: number, models: string[] = [], weight = 1): TargetClass => ({ cpuMilli, gpuMilli, gpuCount, models, weight, count: 0 });

describe('F_n(m): fragment of one class', () => {
  it.each([
    // cpu ok, 2 GPUs ≥ 600 → satisfied: only GPUs < 600 count: 200 + 500 = 700
    ['q3_satisfied', cls(500, 600, 1), 700],
    // 2 whole GPUs fit, cpu ok → satisfied: GPUs < 1000 → 200 + 500 = 700
    ['q3_satisfied', cls(100, 1000, 2), 700],
    // 3 whole GPUs wanted, 2 free → lacks GPU: all 2700
    ['q2_lack_gpu', cls(100, 1000, 3), 2700],
    // GPU fits but 2000 > 1000 milli-CPU free → lacks CPU: all 2700
    ['q4_lack_cpu', cls(2000, 100, 1), 2700],
    // lacks both → all 2700
    ['q1_lack_both', cls(2000, 1000, 3), 2700],
    // CPU-only, cpu fits → its category is "satisfied" but it still counts every idle GPU: 2700
    ['xl_satisfied', cls(100, 0, 0), 2700],
    ['xr_lack_cpu', cls(5000, 0, 0), 2700],
    // model not allowed → all 2700
    ['no_access', cls(100, 100, 1, ['G2']), 2700],
    // allowed model among alternatives → satisfied: GPUs < 100 → none: 0
    ['q3_satisfied', cls(100, 100, 1, ['G2', 'T4']), 0],
  ])('%s: %j → %i milli', (category, m, fragment) => {
    expect(fragCategory(N, m)).toBe(category);
    expect(classFragmentMilli(N, m)).toBe(fragment);
  });
});

describe('F_n = Σ p_m·F_n(m)', () => {
  it('weights the classes by popularity', () => {
    const target: TargetWorkload = { classes: [cls(500, 600, 1, [], 0.5), cls(100, 0, 0, [], 0.25), cls(100, 1000, 2, [], 0.25)], totalPods: 0, coveredPods: 0 };
    // 0.5·700 + 0.25·2700 + 0.25·700 = 350 + 675 + 175 = 1200
    expect(nodeFragmentMilli(N, target)).toBe(1200);
  });

  it('is 0 on a node with no free GPU share, whatever the classes', () => {
    const target: TargetWorkload = { classes: [cls(100, 0, 0)], totalPods: 0, coveredPods: 0 };
    expect(nodeFragmentMilli({ cpuLeftMilli: 0, gpuLeftMilli: [0, 0], model: 'T4' }, target)).toBe(0);
  });
});

describe('cluster fragmentation (live metric)', () => {
  it('sums node fragments, follows binds, and gives the rate against idle share', () => {
    const c = new ClusterState([node().gpus(2, 'T4').cpu(8000).build(0), node().gpus(1, 'T4').cpu(8000).build(1)], { ...GPU_CATALOG });
    // Target: 1-GPU pods of 600 milli, 1000 milli-CPU.
    const target: TargetWorkload = { classes: [cls(1000, 600, 1)], totalPods: 0, coveredPods: 0 };
    // Empty: every GPU has 1000 ≥ 600 free → nothing is fragment.
    expect(clusterFragmentMilli(c, target)).toBe(0);
    // Put 500 milli on node 1's only GPU: 500 < 600 left → node 1 is all fragment (500), node 0 still 0.
    const p = pod().cpu(1000).gpus(1, 500).build();
    c.bind(p, { nodeId: 1, gpus: [{ gpu: 0, milli: 500, memMiB: 0, cores: 0, slots: 1 }] });
    expect(clusterFragmentMilli(c, target)).toBe(500);
    expect(nodeFragmentMilli(fragView(c.nodes[1]), target)).toBe(500);
    // Idle = 2000 + 500 = 2500 → rate = 500 / 2500 · 100 = 20 %
    expect(idleGpuMilli(c)).toBe(2500);
    expect(fragRatePct(500, idleGpuMilli(c))).toBe(20);
    c.unbind(p);
    expect(clusterFragmentMilli(c, target)).toBe(0);
  });

  it('rate is 0 when nothing is idle', () => {
    expect(fragRatePct(0, 0)).toBe(0);
  });
});

describe('typicalPods', () => {
  const s = (cpuMilli: number, gpuMilli = 0, gpuCount = 0, models: string[] = []): PodShape => ({ cpuMilli, gpuMilli, gpuCount, models });
  // 10 pods: X ×5, Y ×2, Z ×2 (Z has more CPU than Y), W ×1 (CPU-only).
  const X = s(4000, 500, 1);
  const Y = s(2000, 1000, 1);
  const Z = s(8000, 1000, 1);
  const W = s(1000);
  const pods = [X, X, X, X, X, Y, Y, Z, Z, W];

  it('takes shapes by frequency, equal frequencies larger first, until ≥ 80 % coverage; renormalizes', () => {
    // X: 5/10 = 50 % < 80 → Z (tie with Y, more CPU): 7/10 = 70 % < 80 → Y: 9/10 = 90 % ≥ 80, stop.
    const t = typicalPods(pods, 80);
    expect(t.classes.map((c) => [c.cpuMilli, c.count])).toEqual([[4000, 5], [8000, 2], [2000, 2]]);
    expect(t.coveredPods).toBe(9);
    // Weights 5/9, 2/9, 2/9 (sum 1).
    expect(t.classes.map((c) => c.weight)).toEqual([5 / 10 / (9 / 10), 2 / 10 / (9 / 10), 2 / 10 / (9 / 10)]);
  });

  it('includes CPU-only pods: at 95 % all four shapes are needed', () => {
    // 90 % after X, Z, Y < 95 → W (CPU-only) joins: 100 %.
    const t = typicalPods(pods, 95);
    expect(t.classes).toHaveLength(4);
    expect(t.classes[3]).toMatchObject({ cpuMilli: 1000, gpuMilli: 0, gpuCount: 0, weight: 0.1 });
  });

  it('treats model lists as part of the shape', () => {
    const t = typicalPods([s(1000, 500, 1, ['T4']), s(1000, 500, 1), s(1000, 500, 1)], 100);
    expect(t.classes.map((c) => [c.models.join('|'), c.count])).toEqual([['', 2], ['T4', 1]]);
  });

  it('reads pod shapes from any scenario (training gangs count every worker)', () => {
    const shapes = scenarioPodShapes({
      kind: 'slicebench/scenario',
      version: 1,
      name: 't',
      cluster: { pools: [] },
      schedulers: [{ profile: 'fgd' }],
      sim: { durationS: 1, seed: 1, metricsStepS: 1 },
      workloads: [
        { kind: 'training', name: 'tr', workers: 2, gpusPerWorker: 4, gpuMemMiB: 0, cpuMilli: 8000, memMiB: 1, workGpuHours: 1, stepComputeS: 1, commGBPerStep: 0, arrivalS: 0 },
        { kind: 'batch', name: 'b', count: 3, cpuMilli: 1000, memMiB: 1, gpus: 1, gpuMilli: 250, durationS: 1, arrivalS: 0 },
      ],
    });
    expect(shapes).toEqual([s(8000, 1000, 4), s(8000, 1000, 4), s(1000, 250, 1), s(1000, 250, 1), s(1000, 250, 1)]);
  });
});
