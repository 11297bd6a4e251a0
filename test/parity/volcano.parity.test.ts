/**
 * GPU ↔ CPU parity for the Volcano kernel (shaders/filterScoreVolcano.wgsl + shaders/selectMaxKey.wgsl) through
 * Dawn (SwiftShader here), against the TypeScript twin (itself checked against the plugin path in
 * test/engine/volcanoTwin.test.ts): identical result words (float64 totals bit for bit) and decision records on
 * random worlds of every covered configuration and on boundary worlds where float64 rounding picks the node; a
 * discarded gang leaves the GPU-resident state equal to the cluster's; above 100 nodes the host's reduction of
 * the GPU's result words over Volcano's feasible-node search gives the plugin path's choices; whole simulations of the Volcano presets
 * under `volcano` and `volcano-hami` on the GPU (async) give the CPU run's traceHash.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { VolcanoCpuEngine } from '../../src/engine/cpu/volcanoCpuEngine.ts';
import { VolcanoGpuEngine } from '../../src/engine/gpu/volcanoGpuEngine.ts';
import { VolcanoEvaluator } from '../../src/engine/evaluator/volcanoEvaluator.ts';
import { INFEASIBLE } from '../../src/engine/kernels/types.ts';
import { volcanoKernelSpecOf } from '../../src/engine/kernels/volcano.ts';
import { engineStatusOf, engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { ClusterState, buildNodes } from '../../src/model/cluster.ts';
import { GPU_CATALOG, resolveCatalog } from '../../src/scenario/gpuCatalog.ts';
import type { Pod } from '../../src/model/pod.ts';
import { volcano, volcanoSessionConfig } from '../../src/sched/profiles/volcano.ts';
import { VolcanoScheduler } from '../../src/sched/volcano/scheduler.ts';
import { acquireParityGpu, type ParityGpu, expectSimulationParity } from './setup.ts';
import { boundaryGroups, boundaryWorld, randomTask, randomVolcanoCluster, volcanoConfigs, vpod } from './volcanoWorlds.ts';
import { volcanoKernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

/** The first differing word, as a message, or null. */
function firstDiff(want: Uint32Array, got: Uint32Array, n: number): string | null {
  if (want.length !== got.length) return `lengths ${want.length} vs ${got.length}`;
  const i = want.findIndex((v, k) => v !== got[k]);
  return i < 0 ? null : `candidate ${i >> 1} (pod ${Math.floor(i / 2 / n)}, node ${(i >> 1) % n}), word ${i & 1}: cpu ${want[i].toString(16)} gpu ${got[i].toString(16)}`;
}

describe('Volcano kernel parity (WebGPU engine vs CPU twin)', () => {
  test('result words and decisions identical: 6 configurations × 8 random worlds × 12 tasks', async (t) => {
    if (!gpu) return t.skip();
    let feasible = 0;
    let ties = 0;
    for (const { name, config } of volcanoConfigs()) {
      const spec = volcanoKernelSpecOf(config)!;
      for (let seed = 1; seed <= 8; seed++) {
        const rng = new Rng(seed * 6007 + name.length);
        const cluster = randomVolcanoCluster(rng, 1 + rng.int(seed === 8 ? 300 : 40));
        const cpu = new VolcanoCpuEngine();
        cpu.attach(cluster, spec);
        const g = new VolcanoGpuEngine(gpu!.engine);
        g.attach(cluster, spec);
        const maxCpu = Math.max(...cluster.nodes.map((n) => n.cpuMilli));
        const maxMem = Math.max(...cluster.nodes.map((n) => n.memMiB));
        const pods = Array.from({ length: 12 }, () => randomTask(rng, maxCpu, maxMem, 15360));
        const want = cpu.scoreAllSync(pods);
        const diff = firstDiff(want, await g.scoreAll(pods), cluster.nodes.length);
        if (diff) expect.fail(`${name} seed ${seed}: ${diff}`);
        for (let k = 0; k < want.length; k += 2) if (want[k] < INFEASIBLE) feasible++;
        const dw = cpu.evaluateSync(pods);
        expect(await g.evaluate(pods), `${name} seed ${seed}`).toEqual(dw);
        ties += dw.filter((d) => d.tied.length > 1).length;
        g.destroy();
      }
    }
    expect(feasible).toBeGreaterThan(1000);
    expect(ties).toBeGreaterThan(10);
  }, 180_000);

  test('boundary worlds: the GPU picks the nodes float64 picks (exact totals tie the whole group)', async (t) => {
    if (!gpu) return t.skip();
    const spec = volcanoKernelSpecFor('volcano')!;
    const g = new VolcanoGpuEngine(gpu!.engine);
    const groups = boundaryGroups(40);
    expect(groups.length).toBe(40);
    for (let k = 0; k < groups.length; k++) {
      const { cluster, task } = boundaryWorld(groups[k], new Rng(k + 1));
      const cpu = new VolcanoCpuEngine();
      cpu.attach(cluster, spec);
      g.attach(cluster, spec);
      const diff = firstDiff(cpu.scoreAllSync([task.request]), await g.scoreAll([task.request]), cluster.nodes.length);
      if (diff) expect.fail(`group ${k}: ${diff}`);
      const d = (await g.evaluate([task.request]))[0];
      expect(d).toEqual(cpu.evaluateSync([task.request])[0]);
      expect(d.tied.length).toBeLessThan(groups[k].length); // float64 separates what the exact value ties
    }
    g.destroy();
  }, 120_000);

  test('a discarded gang: its tentative binds were sent to the GPU, and the unbinds restore the resident state', async (t) => {
    if (!gpu) return t.skip();
    // Two nodes with 2 GPUs each but room for one pod each (maxPods 1): a gang of 3 one-GPU workers gets two
    // tentative binds, the third task finds no node, and the session discards the statement.
    const world = (): { cluster: ClusterState; queue: Pod[] } => {
      const cluster = new ClusterState(buildNodes({ pools: [{ name: 'n', count: 2, gpuModel: 'T4', gpusPerNode: 2, cpuMilli: 8000, memMiB: 32768, topology: 'pcie', numaNodes: 1, maxPods: 1 }] }, resolveCatalog(undefined)), { ...GPU_CATALOG });
      const queue = [0, 1, 2].map((i) => {
        const p = vpod({ cpuMilli: 1000, memMiB: 1024, gpuCount: 1, gpuMilli: 1000, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] });
        p.gang = 7;
        p.gangMin = 3;
        p.createdS = i;
        return p;
      });
      return { cluster, queue };
    };
    const config = volcanoSessionConfig(volcano.defaults, { kind: 'whole' });
    const ref = world();
    const want = new VolcanoScheduler('volcano', config, undefined).cycle(ref.queue, { cluster: ref.cluster, rng: new Rng(3), nowS: 0 });
    const w = world();
    const vg = new VolcanoGpuEngine(gpu!.engine);
    const s = useEvaluator(new VolcanoScheduler('volcano', config, undefined), new VolcanoEvaluator(volcanoKernelSpecOf(config)!, vg));
    const before = w.cluster.version;
    const got = await s.cycleAsync!(w.queue, { cluster: w.cluster, rng: new Rng(3), nowS: 0 });
    expect(engineEvaluatorOf(s)!.activeEngine.kind).toBe('gpu');
    expect(got.bound.length).toBe(0);
    expect(want.bound.length).toBe(0);
    expect(got.failed.map((p) => p.lastReason)).toEqual(want.failed.map((p) => p.lastReason));
    expect(got.failed[0].lastReason).toContain('pod group is not ready: 2 of minAvailable 3');
    expect(w.cluster.version).toBe(before + 4); // two tentative binds, two unbinds
    // the resident state equals the cluster's again: probe every node with tasks the binds would have changed
    const probes = [randomTask(new Rng(1), 8000, 32768, 15360), { ...w.queue[0].request }, { ...w.queue[0].request, gpuCount: 2 }];
    const cpu = new VolcanoCpuEngine();
    cpu.attach(w.cluster, (s.evaluator as VolcanoEvaluator).spec);
    expect(firstDiff(cpu.scoreAllSync(probes), await vg.scoreAll(probes), 2)).toBeNull();
    expect((await vg.evaluate([probes[2]]))[0].tied).toEqual([0, 1]); // both nodes empty again
    vg.destroy();
  }, 120_000);
});

describe('Volcano above 100 nodes on the GPU engine (feasible-node search on the host, sched/volcano/feasibleNodes.ts)', () => {
  test('the result words reduced over the rotating search give the plugin path\'s bindings and search start (2 configurations × 3 sessions)', async (t) => {
    if (!gpu) return t.skip();
    for (const { name, config } of volcanoConfigs().filter((c) => c.name === 'volcano' || c.name === 'volcano-hami')) {
      const build = () => {
        // 150 empty H100 nodes and 40 T4 nodes: most tasks fit more than the 100 nodes the search keeps
        const pools = [
          { name: 'h', count: 150, gpuModel: 'H100', gpusPerNode: 8, cpuMilli: 64000, memMiB: 262144, topology: 'pcie' as const, numaNodes: 1, maxPods: 110 },
          { name: 't', count: 40, gpuModel: 'T4', gpusPerNode: 4, cpuMilli: 32000, memMiB: 131072, topology: 'pcie' as const, numaNodes: 1, maxPods: 110 },
        ];
        const cluster = new ClusterState(buildNodes({ pools }, resolveCatalog(undefined)), { ...GPU_CATALOG });
        const rng = new Rng(4099 + name.length);
        const sessions = Array.from({ length: 3 }, () => Array.from({ length: 6 }, () => vpod(randomTask(rng, 32000, 131072, 15360))));
        return { cluster, sessions };
      };
      const ref = build();
      const plugin = new VolcanoScheduler(name, config, undefined);
      const w = build();
      const vg = new VolcanoGpuEngine(gpu!.engine);
      const s = useEvaluator(new VolcanoScheduler(name, config, undefined), new VolcanoEvaluator(volcanoKernelSpecOf(config)!, vg));
      for (let k = 0; k < 3; k++) {
        plugin.cycle(ref.sessions[k], { cluster: ref.cluster, rng: new Rng(k + 1), nowS: 0 });
        await s.cycleAsync!(w.sessions[k], { cluster: w.cluster, rng: new Rng(k + 1), nowS: 0 });
        const where = (pods: Pod[]) => pods.map((p) => p.binding?.nodeId ?? p.lastReason);
        expect(where(w.sessions[k]), `${name} session ${k}`).toEqual(where(ref.sessions[k]));
        expect(s.search.startNodeIndex).toBe(plugin.search.startNodeIndex);
      }
      expect(plugin.search.startNodeIndex).not.toBe(0); // the search rotated
      expect(engineEvaluatorOf(s)!.activeEngine.kind).toBe('gpu');
      vg.destroy();
    }
  }, 300_000);
});

describe('Volcano simulations on the GPU engine equal the CPU run (Volcano presets)', () => {
  const dir = new URL('../../public/scenarios/', import.meta.url);
  for (const file of ['gang-deadlock.json', 'small-mixed.json', 'trio.json']) {
    for (const profile of ['volcano', 'volcano-hami']) {
      test(`${file} under ${profile}`, async (t) => {
        if (!gpu) return t.skip();
        const base = loadScenarioFile(fileURLToPath(new URL(file, dir)));
        const scenario = { ...base, schedulers: [{ profile }] };
        const { used, sel } = await expectSimulationParity(gpu!, scenario);
        expect(engineEvaluatorOf(used!)).toBeInstanceOf(VolcanoEvaluator);
        expect(engineStatusOf(sel, used)).toEqual(sel.status);
      }, 300_000);
    }
  }
});
