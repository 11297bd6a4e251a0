/**
 * The PodTopologySpread pass (shaders/spreadPass.wgsl) on Dawn (SwiftShader here) against its TypeScript twin
 * (src/engine/cpu/spreadPass.ts) and the plugin path: on random worlds whose owned replicas are placed by
 * FrameworkScheduler.attempt, each attempt's filterScoreK8s row plus the pass is word-for-word the twin's on the
 * GPU, and the reduction of the GPU row picks the plugin path's node (same nodes processed, same RNG draws): this
 * pins the kernel's arithmetic. Then the dispatch: GpuEngine runs the pass for the pods FrameworkEvaluator packs
 * inputs for, and whole preset simulations on it give the plugin path's trace with no owned pod on the plugin path.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { addSpreadScores } from '../../src/engine/cpu/spreadPass.ts';
import { reduceWindow } from '../../src/engine/cpu/selectBest.ts';
import { chooseNode } from '../../src/engine/evaluator/choose.ts';
import { COPY_DST, COPY_SRC, MAP_READ, STORAGE, UNIFORM, encodePass } from '../../src/engine/gpu/hostCommon.ts';
import { packDouble } from '../../src/engine/kernels/fgdTables.ts';
import { ZONE_ID_MASK, packSpreadInputs, spreadLogTable, zoneWordsOf, type SpreadInputs } from '../../src/engine/kernels/spread.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import type { EvalWindow, K8sKernelSpec } from '../../src/engine/kernels/types.ts';
import { POD_TOPOLOGY_SPREAD_WEIGHT } from '../../src/sched/plugins/podTopologySpread.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import { numFeasibleNodesToFind, type FrameworkScheduler } from '../../src/sched/runner.ts';
import { acquireParityGpu, type ParityGpu } from './setup.ts';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { simulate, simulateAsync } from '../../src/sim/simulation.ts';
import { evaluatorFor, engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';
import { profileKernelFor } from '../../src/engine/kernels/specs.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { randomCluster, randomRequest, replicaOf } from './random.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

// Worlds and owned replicas per world: one dispatch per attempt (about 0.1 s each on SwiftShader), kept small for CI.
const SEEDS = 6;
const PODS = 20;

/** One pod's row through spreadPass.wgsl: the pass's bindings packed as its header comment lays them out. */
async function passOnGpu(g: ParityGpu, row: Uint32Array, window: EvalWindow, inputs: SpreadInputs, table: Float64Array): Promise<Uint32Array> {
  const device = g.engine.device;
  const n = row.length;
  const words = new Uint32Array(2 * n + inputs.zoneTotals.length);
  words.set(inputs.counts, 0);
  words.set(inputs.zones, n);
  words.set(inputs.zoneTotals, 2 * n);
  const tableWords = new Uint32Array(table.length * 4);
  table.forEach((x, k) => packDouble(x, tableWords, 4 * k));
  const buffer = (data: Uint32Array, usage: number): GPUBuffer => {
    const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: usage | COPY_DST });
    device.queue.writeBuffer(b, 0, data);
    return b;
  };
  const bufs = [
    buffer(new Uint32Array([1, n, POD_TOPOLOGY_SPREAD_WEIGHT, 0]), UNIFORM),
    buffer(row, STORAGE | COPY_SRC),
    buffer(new Uint32Array([window.start, window.want, 0, 2 * n]), STORAGE),
    buffer(words, STORAGE),
    buffer(tableWords, STORAGE),
  ];
  const read = device.createBuffer({ size: row.byteLength, usage: MAP_READ | COPY_DST });
  const enc = device.createCommandEncoder();
  encodePass(device, enc, await g.engine.owner.pipeline('spreadPass'), bufs, 1, g.engine.workgroupsPerDim);
  enc.copyBufferToBuffer(bufs[1], 0, read, 0, row.byteLength);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(1, 0, row.byteLength);
  const out = new Uint32Array(read.getMappedRange(0, row.byteLength).slice(0));
  read.unmap();
  for (const b of [...bufs, read]) b.destroy();
  return out;
}

describe('PodTopologySpread pass parity (WGSL vs twin vs plugin path)', () => {
  test('rows equal the twin word for word; decisions equal FrameworkScheduler.attempt (random worlds with replicas)', async (t) => {
    if (!gpu) return t.skip();
    const spec = kernelSpecFor('k8s-default') as K8sKernelSpec;
    let compared = 0;
    let spreadDecides = 0;
    let cut = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rng = new Rng(seed * 104729);
      const c = randomCluster(rng, 2 + rng.int(seed % 3 === 0 ? 300 : 40));
      const n = c.nodes.length;
      const fw = createScheduler('k8s-default', {}, { scenario: {} as never, cluster: c, rng }) as FrameworkScheduler;
      const want = numFeasibleNodesToFind(n, fw.config.percentageOfNodesToScore);
      const plugin = new Rng(seed);
      const engine = new Rng(seed);
      const table = spreadLogTable(n);
      const zones = zoneWordsOf(c);
      expect(Math.max(...[...zones].map((z) => z & ZONE_ID_MASK))).toBeLessThan(256);
      const cpu = new CpuEngine();
      for (let k = 0; k < PODS; k++) {
        const pod = replicaOf(randomRequest(rng, c.nodes[0].cpuMilli, c.nodes[0].memMiB), 0, rng.int(3));
        const window = { start: fw.nextStartNodeIndex, want };
        cpu.attach(c, spec);
        const row = cpu.scoreAllSync([pod.request]);
        const inputs = packSpreadInputs(c, pod, zones)!;
        const twin = Float64Array.from(row);
        addSpreadScores(twin, window, inputs, table, POD_TOPOLOGY_SPREAD_WEIGHT);
        const got = await passOnGpu(gpu!, row, window, inputs, table);
        const where = `seed ${seed}, pod ${k}`;
        const bad = [...got].findIndex((v, i) => v !== twin[i]);
        if (bad >= 0) expect.fail(`${where}: node ${bad}: twin ${twin[bad]} gpu ${got[bad]} (filterScoreK8s ${row[bad]})`);
        const d = reduceWindow(n, window, (i) => got[i]);
        const node = chooseNode(d, fw.config.tieBreak, engine);
        const a = fw.attempt(pod, { cluster: c, rng: plugin, nowS: 0 });
        expect(node, where).toBe(a.nodeIndex);
        expect((window.start + d.processed) % n, where).toBe(fw.nextStartNodeIndex);
        compared++;
        if (d.feasible > 1 && reduceWindow(n, window, (i) => row[i]).tied.join() !== d.tied.join()) spreadDecides++;
        if (d.processed < n && d.feasible === want) cut++;
        if (a.nodeIndex >= 0) c.bind(pod, { nodeId: a.nodeIndex, gpus: a.gpus });
      }
      expect(engine.nextU32(), `seed ${seed}: RNG state`).toBe(plugin.nextU32());
    }
    expect(compared).toBe(SEEDS * PODS);
    expect(spreadDecides).toBeGreaterThan(10);
    expect(cut).toBeGreaterThan(5);
  }, 300_000);

  test('GpuEngine refuses the pass where it cannot run it (the evaluator then takes the plugin path)', (t) => {
    if (!gpu) return t.skip();
    const g = gpu!.engine;
    const spec = kernelSpecFor('k8s-default') as K8sKernelSpec;
    expect(g.spreadRefusal(spec, 500, 256)).toBeNull();
    expect(g.spreadRefusal(spec, 500, 257)).toMatch(/at most 256 zone values/);
    // a row of 4-byte results past one binding would need node tiles
    expect(g.spreadRefusal(spec, Math.floor(g.resultLimitBytes / 4) + 1, 1)).toMatch(/whole row in one binding/);
    // totals 100·(fit + balanced + 2) must stay within the reduction's histogram (1,023)
    expect(g.spreadRefusal({ ...spec, fitWeight: 4, balancedWeight: 5 }, 500, 1)).toMatch(/above the reduction's 1023/);
    expect(g.spreadRefusal(kernelSpecFor('packing')!, 500, 1)).toMatch(/k8s kernel/);
  });

  // agents-elastic: the pass decides placements (test/engine/k8sSpreadTwin.test.ts); small-mixed: k8s-default
  for (const [preset, profile] of [['agents-elastic', 'k8s-timeslicing'], ['small-mixed', 'k8s-default']] as const) {
    test(`${preset} under ${profile} on the GPU engine: owned pods on the spread pass, trace = plugin path's`, async (t) => {
      if (!gpu) return t.skip();
      const base = loadScenarioFile(fileURLToPath(new URL(`../../public/scenarios/${preset}.json`, import.meta.url)));
      const scenario = { ...base, schedulers: [{ profile }] };
      const plugin = simulate(scenario, { seed: 3 });
      let ev: FrameworkEvaluator | null = null;
      const before = gpu!.engine.spreadPods;
      const engine = await simulateAsync(scenario, {
        seed: 3,
        wrapScheduler: (x, setup) => {
          const wrapped = evaluatorFor(x, profileKernelFor(profile, setup.schedulerSpec.options, setup.scenario)!, gpu!.engine);
          ev = engineEvaluatorOf(wrapped) as FrameworkEvaluator;
          return wrapped;
        },
      });
      expect(ev!.status.engine, ev!.status.detail).toBe('gpu');
      expect(ev!.spreadAttempts.pluginPath, ev!.spreadAttempts.reason).toBe(0);
      expect(ev!.spreadAttempts.engine).toBeGreaterThan(5);
      expect(gpu!.engine.spreadPods - before).toBe(ev!.spreadAttempts.engine);
      expect(engine.traceHash).toBe(plugin.traceHash);
    }, 300_000);
  }
});
