/**
 * "Why here?" on the engine: FrameworkEvaluator.explain ranks nodes with the reduction's top-k (CPU twin) and must
 * give exactly FrameworkScheduler.explain's Explanation (chosen node and GPUs, rejection counts, message, the top
 * k nodes by total descending then node index, per-plugin detail) for every profile with a kernel, on random
 * worlds, for k = 0..8 and for placed and pending pods. Also unit cases of the twin's top-k order.
 */
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { FGD_BASELINES, kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import type { KernelSpec, RankedNode } from '../../src/engine/kernels/types.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { Pod } from '../../src/model/pod.ts';
import type { Explanation } from '../../src/sched/framework.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';
import { podOf, randomCluster, randomRequest } from '../parity/random.ts';
import { podOfTrace, randomFgdWorld, randomTracePod } from '../parity/randomFgd.ts';
import { randomBaselineWorld } from '../parity/randomBaselines.ts';
import { randomTimeSlicingCluster } from '../parity/randomTimeSlicing.ts';
import { insertRanked, reduceWindow } from '../../src/engine/cpu/selectBest.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';

interface World {
  cluster: ClusterState;
  scheduler: FrameworkScheduler;
  spec: KernelSpec;
  pods: Pod[];
}

/** k8s-style profiles: parity's random clusters (identical nodes per pool, so ties occur) and random pods. */
function k8sWorld(profile: string, options: Record<string, unknown>, seed: number): World {
  const rng = new Rng(seed);
  const n = 1 + rng.int(seed % 5 === 0 ? 200 : 40);
  // k8s-timeslicing: usage booked by its own allocator (replica slots)
  const cluster = profile === 'k8s-timeslicing' ? randomTimeSlicingCluster(rng, n, Number(options.replicas ?? 4)) : randomCluster(rng, n);
  const scheduler = createScheduler(profile, options, { scenario: {} as never, cluster, rng }) as FrameworkScheduler;
  const pods = Array.from({ length: 6 }, () => podOf(randomRequest(rng, cluster.nodes[0].cpuMilli, cluster.nodes[0].memMiB)));
  return { cluster, scheduler, spec: kernelSpecFor(profile, options)!, pods };
}

/** FGD-paper profiles: the parity suites' openb-style worlds, part of a trace placed by the profile itself. */
function fgdWorld(policy: string, seed: number): World {
  const n = 1 + (seed % 4 === 0 ? 90 : seed % 25);
  const w = policy === 'fgd' ? randomFgdWorld(seed, n) : randomBaselineWorld(policy, seed, n);
  const spec = policy === 'fgd' ? kernelSpecFor('fgd', { coveragePct: (w as ReturnType<typeof randomFgdWorld>).coveragePct }, w.scenario)! : kernelSpecFor(policy)!;
  const rng = new Rng(seed * 3);
  const pods = Array.from({ length: 6 }, (_, i) => podOfTrace(randomTracePod(rng, i), 5_000_000 + i));
  return { cluster: w.cluster, scheduler: w.scheduler, spec, pods };
}

const PROFILES: { name: string; world: (seed: number) => World }[] = [
  { name: 'k8s-default', world: (s) => k8sWorld('k8s-default', {}, s) },
  { name: 'k8s-default MostAllocated + gpu', world: (s) => k8sWorld('k8s-default', { strategy: 'MostAllocated', gpuWeight: 3 }, s) },
  { name: 'k8s-timeslicing', world: (s) => k8sWorld('k8s-timeslicing', {}, s) },
  { name: 'k8s-timeslicing ×2 MostAllocated + gpu', world: (s) => k8sWorld('k8s-timeslicing', { replicas: 2, strategy: 'MostAllocated', gpuWeight: 1 }, s) },
  { name: 'fgd', world: (s) => fgdWorld('fgd', s) },
  ...FGD_BASELINES.map((p) => ({ name: p, world: (s: number) => fgdWorld(p, s) })),
];

describe('FrameworkEvaluator.explain (engine top-k) = FrameworkScheduler.explain', () => {
  for (const { name, world } of PROFILES) {
    test(name, () => {
      let compared = 0;
      let tiedRunnersUp = 0;
      for (let seed = 1; seed <= 25; seed++) {
        const w = world(seed);
        const es = useEvaluator(w.scheduler, new FrameworkEvaluator(w.spec, new CpuEngine()));
        // pending pods and (when there are any) pods already placed in the cluster
        const placed = w.cluster.podsOnNode.flat().slice(0, 2);
        for (const pod of [...w.pods, ...placed]) {
          for (const k of [0, 1, 3, 5, 8]) {
            // same explain RNG on both paths (random's GPU and normalize draws)
            const ctx = () => ({ cluster: w.cluster, rng: new Rng(seed * 1000 + k).fork('explain'), nowS: 0 });
            const want: Explanation = w.scheduler.explainOnPlugins(pod, ctx(), k);
            const got = es.explain(pod, ctx(), k);
            expect(got, `${name} seed ${seed} pod ${pod.name} k ${k}`).toEqual(want);
            compared++;
            for (let i = 1; i < want.top.length; i++) if (want.top[i].total === want.top[i - 1].total) tiedRunnersUp++;
          }
        }
      }
      expect(compared).toBeGreaterThan(700);
      // equal totals among the runners-up occur, so the node-index order of ties is exercised
      if (name !== 'random') expect(tiedRunnersUp).toBeGreaterThan(0);
    }, 60_000);
  }

  test('k above 8 takes the plugin path (same result)', () => {
    const w = k8sWorld('k8s-default', {}, 3);
    const es = useEvaluator(w.scheduler, new FrameworkEvaluator(w.spec, new CpuEngine()));
    const ctx = () => ({ cluster: w.cluster, rng: new Rng(1), nowS: 0 });
    expect(es.explain(w.pods[0], ctx(), 12)).toEqual(w.scheduler.explainOnPlugins(w.pods[0], ctx(), 12));
  });
});

describe('top-k order of the twin reduction', () => {
  test.each([
    // totals by node index; k; expected (node, total) pairs. Window start 0, every node wanted.
    // ties: equal totals keep node index order: nodes 1 and 3 both score 7 -> 1 before 3
    { totals: [5, 7, 2, 7, 6], k: 3, want: [[1, 7], [3, 7], [4, 6]] },
    // k larger than the feasible count: every feasible node (-1 = infeasible)
    { totals: [-1, 4, -1, 9], k: 8, want: [[3, 9], [1, 4]] },
    // all tied: the k lowest node indices
    { totals: [1, 1, 1, 1, 1, 1], k: 4, want: [[0, 1], [1, 1], [2, 1], [3, 1]] },
  ])('totals $totals, k $k', ({ totals, k, want }) => {
    const d = reduceWindow(totals.length, { start: 0, want: totals.length }, (i) => (totals[i] < 0 ? 0x80000001 : totals[i]), k);
    expect(d.top).toEqual(want.map(([node, total]) => ({ node, total })));
  });

  test('a rotated window ranks by node index, not scan position', () => {
    // nodes 0..5 all score 3, scan starts at node 4: positions 4,5,0,1,2,3; top-3 by node index = 0, 1, 2
    const d = reduceWindow(6, { start: 4, want: 6 }, () => 3, 3);
    expect(d.top).toEqual([{ node: 0, total: 3 }, { node: 1, total: 3 }, { node: 2, total: 3 }]);
    // a window that stops after 2 feasible nodes (4 and 5) ranks only those
    expect(reduceWindow(6, { start: 4, want: 2 }, () => 3, 3).top).toEqual([{ node: 4, total: 3 }, { node: 5, total: 3 }]);
  });

  test('insertRanked keeps the k best whatever the insertion order (500 random lists)', () => {
    const rng = new Rng(9);
    for (let t = 0; t < 500; t++) {
      const k = 1 + rng.int(8);
      const items = Array.from({ length: rng.int(30) }, (_, node) => ({ node, total: rng.int(5) }));
      const list: RankedNode[] = [];
      for (const it of rng.shuffle([...items])) insertRanked(list, k, it.node, it.total);
      const sorted = [...items].sort((a, b) => b.total - a.total || a.node - b.node).slice(0, k);
      expect(list).toEqual(sorted);
    }
  });
});
