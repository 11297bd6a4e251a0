/**
 * "Why here?" for HAMi and Volcano through Dawn (SwiftShader here): HamiEvaluator.explainAsync and
 * VolcanoEvaluator.explainAsync on the GPU engine read every node's result back from the kernel (scoreAll,
 * one submit) and must give the plugin path's Explanation (HamiScheduler.explain, VolcanoScheduler.explain) on
 * random worlds for every HAMi profile and both Volcano profiles; and `place --explain` on the GPU engine equals the
 * plugin path on HAMi and Volcano presets. The CPU twin's side is test/engine/explainHamiVolcano.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { placeScenario, placeScenarioAsync } from '../../src/cli/commands/place.ts';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { Rng } from '../../src/core/rng.ts';
import { GpuHamiEngine } from '../../src/engine/gpu/hamiGpu.ts';
import { VolcanoGpuEngine } from '../../src/engine/gpu/volcanoGpuEngine.ts';
import { HamiEvaluator, hasHamiAnnotations } from '../../src/engine/evaluator/hamiEvaluator.ts';
import { HAMI_PROFILES } from '../../src/engine/kernels/hami.ts';
import { volcanoKernelSpecOf } from '../../src/engine/kernels/volcano.ts';
import { VolcanoEvaluator } from '../../src/engine/evaluator/volcanoEvaluator.ts';
import type { Pod } from '../../src/model/pod.ts';
import { VolcanoScheduler } from '../../src/sched/volcano/scheduler.ts';
import { podOf } from './random.ts';
import { randomHamiPods, randomHamiWorld } from './randomHami.ts';
import { acquireParityGpu, type ParityGpu } from './setup.ts';
import { boundaryGroups, boundaryWorld, randomTask, randomVolcanoCluster, volcanoConfigs, vpod } from './volcanoWorlds.ts';
import { hamiKernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';
import { engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());
afterEach(() => vi.restoreAllMocks());

describe('explainAsync on the GPU engine = the plugin path (HAMi, Volcano)', () => {
  test('HAMi: every profile, random worlds up to 300 nodes, k 0..8', async (t) => {
    if (!gpu) return t.skip();
    const reads = vi.spyOn(GpuHamiEngine.prototype, 'scoreAll');
    let ranked = 0;
    for (const profile of HAMI_PROFILES) {
      for (let seed = 1; seed <= 4; seed++) {
        const n = seed === 4 ? 300 : 3 + seed * 11; // 300: more nodes than one workgroup's 256 threads
        const w = randomHamiWorld(seed * 17 + profile.length, n, profile, seed % 2 ? n * 3 : n);
        const es = useEvaluator(w.scheduler, new HamiEvaluator(hamiKernelSpecFor(profile, w.options)!, gpu!.engine));
        const rng = new Rng(seed);
        const maxCpu = Math.max(...w.cluster.nodes.map((x) => x.cpuMilli));
        const maxMem = Math.max(...w.cluster.nodes.map((x) => x.memMiB));
        // pending HAMi pods and a placed one (HAMi pods without annotations: the ones the engine explains)
        const placed = w.cluster.podsOnNode.flat().filter((p) => w.scheduler.request(p) !== null && !hasHamiAnnotations(p));
        const pods: Pod[] = [...randomHamiPods(rng, w, 3, maxCpu, maxMem).map(podOf), ...placed.slice(0, 1)];
        for (const pod of pods) {
          const k = rng.int(9);
          const ctx = () => ({ cluster: w.cluster, rng: new Rng(seed), nowS: 0 });
          const before = reads.mock.calls.length;
          const want = w.scheduler.explainOnPlugins(pod, ctx(), k);
          expect(await es.explainAsync!(pod, ctx(), k), `${profile} seed ${seed} pod ${pod.name} k ${k}`).toEqual(want);
          // the ranking came from the GPU's results (one scoreAll), not the twin or the plugin path
          expect(reads.mock.calls.length).toBe(before + 1);
          if (want.top.length > 1) ranked++;
        }
        expect(engineEvaluatorOf(es)!.activeEngine.kind).toBe('gpu');
      }
    }
    expect(ranked).toBeGreaterThan(5);
  }, 120_000);

  test('Volcano: volcano and volcano-hami, random worlds up to 300 nodes and a float64 boundary group, k 0..8', async (t) => {
    if (!gpu) return t.skip();
    const reads = vi.spyOn(VolcanoGpuEngine.prototype, 'scoreAll');
    let ranked = 0;
    for (const { name, config } of volcanoConfigs().filter((c) => c.name === 'volcano' || c.name === 'volcano-hami')) {
      const inner = new VolcanoScheduler(name, config, undefined);
      const es = useEvaluator(inner, new VolcanoEvaluator(volcanoKernelSpecOf(config)!, new VolcanoGpuEngine(gpu!.engine)));
      const check = async (pod: Pod, cluster: Parameters<typeof inner.explain>[1]['cluster'], k: number, label: string): Promise<void> => {
        const ctx = () => ({ cluster, rng: new Rng(k), nowS: 0 });
        const before = reads.mock.calls.length;
        const want = inner.explainOnPlugins(pod, ctx(), k);
        expect(await es.explainAsync!(pod, ctx(), k), `${label} k ${k}`).toEqual(want);
        expect(reads.mock.calls.length).toBe(before + 1);
        if (want.top.length > 1) ranked++;
      };
      for (let seed = 1; seed <= 4; seed++) {
        const rng = new Rng(seed * 37);
        const cluster = randomVolcanoCluster(rng, seed === 4 ? 300 : 3 + seed * 11);
        const n0 = cluster.nodes[rng.int(cluster.nodes.length)];
        const pods = Array.from({ length: 3 }, () => vpod(randomTask(rng, n0.cpuMilli, n0.memMiB, n0.gpus[0]?.memMiB ?? 0)));
        pods.push(...cluster.podsOnNode.flat().slice(0, 1));
        for (const pod of pods) await check(pod, cluster, rng.int(9), `${name} seed ${seed} pod ${pod.name}`);
      }
      if (name === 'volcano') {
        const group = boundaryGroups(3).reduce((a, b) => (b.length > a.length ? b : a));
        const b = boundaryWorld(group, new Rng(9));
        await check(b.task, b.cluster, 8, `boundary group of ${group.length}`);
      }
      expect(engineEvaluatorOf(es)!.activeEngine.kind).toBe('gpu');
    }
    expect(ranked).toBeGreaterThan(5);
  }, 120_000);

  test('place --explain on the GPU engine = the plugin path (small-mixed: hami-binpack, volcano-hami; gang-deadlock: volcano)', async (t) => {
    if (!gpu) return t.skip();
    const sel = { engine: gpu!.engine, status: { engine: 'gpu' as const, cause: 'requested' as const, adapter: gpu!.adapter, detail: 'parity' }, adapter: gpu!.adapter, software: true };
    const cases: { name: string; profile: string; scheduler: unknown; reads: { mock: { calls: unknown[] } } }[] = [
      { name: 'small-mixed', profile: 'hami-binpack', scheduler: HamiEvaluator, reads: vi.spyOn(GpuHamiEngine.prototype, 'scoreAll') },
      { name: 'small-mixed', profile: 'volcano-hami', scheduler: VolcanoEvaluator, reads: vi.spyOn(VolcanoGpuEngine.prototype, 'scoreAll') },
      { name: 'gang-deadlock', profile: 'volcano', scheduler: VolcanoEvaluator, reads: vi.spyOn(VolcanoGpuEngine.prototype, 'scoreAll') },
    ];
    for (const c of cases) {
      const scenario = loadScenarioFile(fileURLToPath(new URL(`../../public/scenarios/${c.name}.json`, import.meta.url)));
      const before = c.reads.mock.calls.length;
      const onGpu = await placeScenarioAsync(scenario, c.profile, true, sel);
      const plain = placeScenario(scenario, c.profile, true);
      const label = `${c.name} ${c.profile}`;
      expect(engineEvaluatorOf(onGpu.scheduler), label).toBeInstanceOf(c.scheduler);
      expect(onGpu.placements, label).toEqual(plain.placements);
      // what `place --json --explain` prints is the same text (rejection keys in the same order too)
      expect(JSON.stringify(onGpu.placements), label).toBe(JSON.stringify(plain.placements));
      expect(onGpu.evicted, label).toEqual(plain.evicted);
      // explanations came from the GPU's per-node results: one read per explained pod (every pod on Volcano; HAMi
      // pods without HAMi resources are explained by kube on the plugin path)
      const reads = c.reads.mock.calls.length - before;
      if (c.profile === 'hami-binpack') expect(reads, label).toBeGreaterThan(0);
      else expect(reads, label).toBe(onGpu.placements.length);
      expect(onGpu.placements.filter((p) => p.explain && p.explain.top.length > 0).length, label).toBeGreaterThan(3);
    }
  }, 120_000);
});
