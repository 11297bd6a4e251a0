/**
 * "Why here?" on the engine for HAMi and Volcano: HamiEvaluator.explain and VolcanoEvaluator.explain on
 * the CPU twin rank nodes from the kernels' per-node results (scoreAll, engineExplain.ts) and must give exactly the
 * plugin path's Explanation (HamiScheduler.explain / VolcanoScheduler.explain: chosen node and cards, rejection
 * counts with their keys in the same order, feasible count, message, the top k by score then node index, per-plugin
 * detail) for every HAMi profile and
 * both Volcano profiles, on random worlds, for k = 0..100, pending and placed pods. The GPU side of the same
 * comparison is test/parity/explainHamiVolcano.parity.test.ts.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { CpuHamiEngine } from '../../src/engine/cpu/filterScoreHami.ts';
import { VolcanoCpuEngine } from '../../src/engine/cpu/volcanoCpuEngine.ts';
import { bestRanked } from '../../src/engine/evaluator/engineExplain.ts';
import { HamiEvaluator } from '../../src/engine/evaluator/hamiEvaluator.ts';
import { HAMI_PROFILES } from '../../src/engine/kernels/hami.ts';
import { volcanoKernelSpecOf } from '../../src/engine/kernels/volcano.ts';
import { VolcanoEvaluator } from '../../src/engine/evaluator/volcanoEvaluator.ts';
import type { Pod } from '../../src/model/pod.ts';
import type { Explanation } from '../../src/sched/framework.ts';
import { VolcanoScheduler } from '../../src/sched/volcano/scheduler.ts';
import { podOf } from '../parity/random.ts';
import { randomHamiAnnotations, randomHamiPods, randomHamiRequest, randomHamiWorld } from '../parity/randomHami.ts';
import { boundaryGroups, boundaryWorld, randomTask, randomVolcanoCluster, volcanoConfigs, vpod } from '../parity/volcanoWorlds.ts';
import { hamiKernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';

const KS = [0, 1, 3, 5, 8, 100];

afterEach(() => vi.restoreAllMocks());

/** Counts of what a suite compared, so a suite that compared nothing interesting fails. */
interface Seen {
  compared: number;
  onEngine: number;
  ranked: number;
  tiedRunnersUp: number;
  unschedulable: number;
}

function tally(seen: Seen, want: Explanation): void {
  seen.compared++;
  if (want.top.length > 1) seen.ranked++;
  if (want.node === null) seen.unschedulable++;
  // ties the bounded insertion orders (k ≤ 8; k = 100 takes bestRanked's full sort)
  if (want.top.length <= 8) for (let i = 1; i < want.top.length; i++) if (want.top[i].total === want.top[i - 1].total) seen.tiedRunnersUp++;
}

describe('bestRanked (the k best by value descending, node id ascending)', () => {
  // values 5, 7, 7, 1, 7 at ids 0..4: 7 (id 1), 7 (id 2), 7 (id 4), 5 (id 0), 1 (id 3)
  const all = [5, 7, 7, 1, 7].map((value, id) => ({ id, value }));
  test.each([
    [1, [1]],
    [2, [1, 2]],
    [4, [1, 2, 4, 0]],
    [5, [1, 2, 4, 0, 3]],
    [9, [1, 2, 4, 0, 3]],
    [64, [1, 2, 4, 0, 3]], // the full-sort branch
  ])('k %i', (k, ids) => {
    expect(bestRanked(all, k).map((r) => r.id)).toEqual(ids);
  });
});

describe('HamiEvaluator.explain (kernel results) = HamiScheduler.explain', () => {
  for (const profile of HAMI_PROFILES) {
    test(profile, () => {
      const scored = vi.spyOn(CpuHamiEngine.prototype, 'scoreAllSync');
      const seen: Seen = { compared: 0, onEngine: 0, ranked: 0, tiedRunnersUp: 0, unschedulable: 0 };
      for (let seed = 1; seed <= 30; seed++) {
        // half the worlds lightly booked (idle nodes tie under every node policy)
        const n = 1 + (seed % 6 === 0 ? 150 : seed % 30);
        const w = randomHamiWorld(seed * 13 + profile.length, n, profile, seed % 2 ? n * 3 : Math.ceil(n / 2));
        const spec = hamiKernelSpecFor(profile, w.options)!;
        const es = useEvaluator(w.scheduler, new HamiEvaluator(spec, new CpuEngine()));
        const rng = new Rng(seed);
        const maxCpu = Math.max(...w.cluster.nodes.map((n) => n.cpuMilli));
        const maxMem = Math.max(...w.cluster.nodes.map((n) => n.memMiB));
        // HAMi pods (the engine's), an annotated one and whatever randomHamiRequest draws (CPU-only pods: kube's
        // explain) take the plugin path, and pods already placed in the world
        const pods: Pod[] = randomHamiPods(rng, w, 5, maxCpu, maxMem).map(podOf);
        pods.push({ ...podOf(randomHamiRequest(rng, maxCpu, maxMem)), annotations: randomHamiAnnotations(rng, w.cluster) });
        pods.push(podOf(randomHamiRequest(rng, maxCpu, maxMem)));
        pods.push(...w.cluster.podsOnNode.flat().slice(0, 2));
        for (const pod of pods) {
          for (const k of KS) {
            const ctx = () => ({ cluster: w.cluster, rng: new Rng(seed * 100 + k), nowS: 0 });
            const want = w.scheduler.explainOnPlugins(pod, ctx(), k);
            const before = scored.mock.calls.length;
            const got = es.explain(pod, ctx(), k);
            expect(got, `${profile} seed ${seed} pod ${pod.name} k ${k}`).toEqual(want);
            // and the same keys in the same order (`place --json` prints the rejections as recorded)
            expect(JSON.stringify(got)).toBe(JSON.stringify(want));
            if (scored.mock.calls.length > before) seen.onEngine++;
            tally(seen, want);
          }
        }
      }
      // most explanations came from the kernel's results, and they ranked nodes, with ties and failures among them
      expect(seen.onEngine).toBeGreaterThan(seen.compared / 2);
      expect(seen.ranked).toBeGreaterThan(100);
      expect(seen.tiedRunnersUp).toBeGreaterThan(20);
      expect(seen.unschedulable).toBeGreaterThan(20);
    }, 60_000);
  }
});

describe('VolcanoEvaluator.explain (kernel results) = VolcanoScheduler.explain', () => {
  for (const { name, config } of volcanoConfigs()) {
    test(name, () => {
      const scored = vi.spyOn(VolcanoCpuEngine.prototype, 'scoreAllSync');
      const seen: Seen = { compared: 0, onEngine: 0, ranked: 0, tiedRunnersUp: 0, unschedulable: 0 };
      const inner = new VolcanoScheduler(name, config, undefined);
      const es = useEvaluator(inner, new VolcanoEvaluator(volcanoKernelSpecOf(config)!, new VolcanoCpuEngine()));
      const check = (pod: Pod, cluster: Parameters<typeof inner.explain>[1]['cluster'], label: string): void => {
        for (const k of KS) {
          const ctx = () => ({ cluster, rng: new Rng(k), nowS: 0 });
          const want = inner.explainOnPlugins(pod, ctx(), k);
          const before = scored.mock.calls.length;
          const got = es.explain(pod, ctx(), k);
          expect(got, `${label} k ${k}`).toEqual(want);
          expect(JSON.stringify(got)).toBe(JSON.stringify(want));
          expect(scored.mock.calls.length).toBe(before + 1);
          seen.onEngine++;
          tally(seen, want);
        }
      };
      for (let seed = 1; seed <= 30; seed++) {
        const rng = new Rng(seed * 31);
        const cluster = randomVolcanoCluster(rng, 1 + (seed % 6 === 0 ? 150 : seed % 30));
        const n0 = cluster.nodes[rng.int(cluster.nodes.length)];
        const pods = Array.from({ length: 5 }, () => vpod(randomTask(rng, n0.cpuMilli, n0.memMiB, n0.gpus[0]?.memMiB ?? 0)));
        // a pod the last session could not place: explain shows its reason when nodes are feasible now
        pods[0].lastReason = 'gang unschedulable';
        pods.push(...cluster.podsOnNode.flat().slice(0, 2));
        for (const pod of pods) check(pod, cluster, `${name} seed ${seed} pod ${pod.name}`);
      }
      // float64 boundary groups: totals equal as rationals, not as doubles (the order must be Volcano's)
      const boundaryRng = new Rng(5);
      if (name === 'volcano') for (const group of boundaryGroups(10)) {
        const b = boundaryWorld(group, boundaryRng);
        check(b.task, b.cluster, `${name} boundary group of ${group.length}`);
      }
      expect(seen.ranked).toBeGreaterThan(100);
      expect(seen.tiedRunnersUp).toBeGreaterThan(20);
      expect(seen.unschedulable).toBeGreaterThan(20);
    }, 60_000);
  }
});
