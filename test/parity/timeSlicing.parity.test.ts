/**
 * k8s-timeslicing on the WebGPU engine (Dawn, SwiftShader here): filterScoreK8s with the time-slicing allocator
 * check gives the CPU twin's packed results (itself = the plugin path: test/engine/timeSlicingTwin.test.ts); whole
 * cycles on the GPU equal FrameworkScheduler's (the replicas are picked on the CPU by the profile's allocator);
 * and whole simulations of presets switched to the profile give the CPU run's traceHash (CPU sync vs GPU async).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';
import { acquireParityGpu, type ParityGpu, expectSimulationParity } from './setup.ts';
import { podOf, randomRequest } from './random.ts';
import { randomTimeSlicingCluster } from './randomTimeSlicing.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';
import { engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

describe('k8s-timeslicing parity (WebGPU engine vs CPU twin and FrameworkScheduler)', () => {
  test('packed results and decision records (150 clusters, replicas 1..6)', async (t) => {
    if (!gpu) return t.skip();
    const g = gpu!.engine;
    let gpuRejects = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const rng = new Rng(seed * 13);
      const replicas = 1 + rng.int(6);
      const spec = kernelSpecFor('k8s-timeslicing', { replicas, strategy: seed % 2 ? 'LeastAllocated' : 'MostAllocated', gpuWeight: seed % 3 })!;
      const n = 1 + rng.int(seed % 10 === 0 ? 300 : 40);
      const c = randomTimeSlicingCluster(rng, n, replicas);
      const cpu = new CpuEngine();
      cpu.attach(c, spec);
      g.attach(c, spec);
      const pods = Array.from({ length: 10 }, () => randomRequest(rng, c.nodes[0].cpuMilli, c.nodes[0].memMiB));
      const want = cpu.scoreAllSync(pods);
      expect([...(await g.scoreAll(pods))], `seed ${seed}`).toEqual([...want]);
      gpuRejects += want.filter((v) => v >= 0x80000000 && (v & 8) !== 0).length;
      const windows = pods.map(() => ({ start: rng.int(n), want: 1 + rng.int(n) }));
      expect(await g.evaluate(pods, windows), `seed ${seed}`).toEqual(cpu.evaluateSync(pods, windows));
    }
    expect(gpuRejects).toBeGreaterThan(200);
  }, 120_000);

  test('whole scheduling cycles on the GPU engine equal FrameworkScheduler (bindings with replicas, reasons, RNG)', async (t) => {
    if (!gpu) return t.skip();
    for (let seed = 1; seed <= 8; seed++) {
      const options = { replicas: 1 + (seed % 5), strategy: seed % 2 ? 'LeastAllocated' : 'MostAllocated', gpuWeight: seed % 3 };
      const run = async (mode: 'plugins' | 'gpu') => {
        const rng = new Rng(seed);
        const c = randomTimeSlicingCluster(rng, 20 + rng.int(150), options.replicas);
        const pods = Array.from({ length: 30 }, (_, i) => podOf(randomRequest(rng, 8000, 30000), i % 4));
        const fw = createScheduler('k8s-timeslicing', options, { scenario: {} as never, cluster: c, rng }) as FrameworkScheduler;
        const ctx = { cluster: c, rng: new Rng(seed * 31), nowS: 0 };
        const s = mode === 'gpu' ? useEvaluator(fw, new FrameworkEvaluator(kernelSpecFor('k8s-timeslicing', options)!, gpu!.engine)) : fw;
        const out: string[] = [];
        for (let cycle = 0; cycle < 2; cycle++) {
          const queue = pods.filter((p) => p.binding === null);
          const r = mode === 'gpu' ? await s.cycleAsync!(queue, ctx) : fw.cycle(queue, ctx);
          out.push(...r.bound.map((p) => `${pods.indexOf(p)}@${p.binding!.nodeId}:${p.binding!.gpus.map((g) => `${g.gpu}x${g.slots}`).join(',')}`));
          out.push(...r.failed.map((p) => `${pods.indexOf(p)}!${p.lastReason}`));
          for (const p of r.bound.filter((_, i) => i % 3 === 0)) c.unbind(p);
        }
        out.push(`rng:${ctx.rng.nextU32()}`);
        return out;
      };
      expect(await run('gpu'), `seed ${seed}`).toEqual(await run('plugins'));
    }
  }, 120_000);

  // presets switched to the profile: default replicas, and 2 replicas with MostAllocated
  for (const [file, options] of [['small-mixed.json', {}], ['whole-gpu-waste.json', { replicas: 2, strategy: 'MostAllocated' }]] as const) {
    test(`simulation ${file} ${JSON.stringify(options)}: GPU async traceHash = CPU sync`, async (t) => {
      if (!gpu) return t.skip();
      const base = loadScenarioFile(fileURLToPath(new URL(`../../public/scenarios/${file}`, import.meta.url)));
      const scenario: Scenario = { ...base, schedulers: [{ profile: 'k8s-timeslicing', options }] };
      const { used } = await expectSimulationParity(gpu!, scenario);
      expect(engineEvaluatorOf(used!)).toBeInstanceOf(FrameworkEvaluator);
      expect(engineEvaluatorOf(used!)!.activeEngine.kind).toBe('gpu');
    }, 180_000);
  }
});
