/**
 * GPU ↔ CPU parity for the HAMi kernels (shaders/filterScoreHami.wgsl, lib/softFloat32.wgsl, selectHami.wgsl)
 * through Dawn (SwiftShader here): identical packed results and decision records to the TypeScript twin on random
 * worlds with HAMi slices booked, whole cycles identical to HamiScheduler, and whole simulations of every shipped
 * preset with a HAMi scheduler (CPU plugin path, synchronous, vs HamiEvaluator on the GPU, async): same
 * traceHash, summary and event count.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { CpuHamiEngine } from '../../src/engine/cpu/filterScoreHami.ts';
import { hamiGpuFor } from '../../src/engine/gpu/hamiGpu.ts';
import { HamiEvaluator } from '../../src/engine/evaluator/hamiEvaluator.ts';
import { HAMI_PROFILES, HAMI_UNFIT } from '../../src/engine/kernels/hami.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import type { HamiScheduler } from '../../src/sched/hami/scheduler.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import { podOf } from './random.ts';
import { randomHamiAnnotations, randomHamiRequest, randomHamiWorld } from './randomHami.ts';
import { acquireParityGpu, type ParityGpu, expectSimulationParity } from './setup.ts';
import { hamiKernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';
import { engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';
import { engineReason } from '../../src/cli/engine.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

const dir = new URL('../../public/scenarios/', import.meta.url);
/** Every preset scheduler entry with a HAMi profile. */
const hamiRuns = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .sort()
  .flatMap((file) => {
    const scenario = loadScenarioFile(fileURLToPath(new URL(file, dir)));
    const runs = scenario.schedulers.filter((s) => HAMI_PROFILES.includes(s.profile)).map((s) => ({ file, scenario, spec: s }));
    // the presets run binpack and topology; spread (inverted keys) with a split count of 4 on one of them too
    if (file === 'small-mixed.json') runs.push({ file, scenario, spec: { profile: 'hami-spread', options: { splitCount: 4 } } });
    return runs;
  });

describe('HAMi parity (WebGPU engine vs CPU twin and HamiScheduler)', () => {
  test('packed results are identical for every candidate (120 worlds)', async (t) => {
    if (!gpu) return t.skip();
    const g = hamiGpuFor(gpu.engine);
    let candidates = 0;
    let fits = 0;
    let unfit = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const n = 1 + (seed % 10 === 0 ? 300 : seed % 30);
      const w = randomHamiWorld(seed, n, undefined, n > 100 ? n : undefined);
      const spec = hamiKernelSpecFor(w.profile, w.options)!;
      const rng = new Rng(seed * 5);
      const pods = Array.from({ length: 10 }, () => podOf(randomHamiRequest(rng, 96000, 786432))).filter((p) => w.scheduler.request(p) !== null).map((p) => p.request);
      const cpu = new CpuHamiEngine();
      cpu.attach(w.cluster, spec);
      g.attach(w.cluster, spec);
      const want = cpu.scoreAllSync(pods);
      const got = await g.scoreAll(pods);
      const i = want.findIndex((v, k) => v !== got[k]);
      if (i >= 0) expect.fail(`seed ${seed}: candidate ${i} (pod ${JSON.stringify(pods[Math.floor(i / w.cluster.nodes.length)])}, node ${i % w.cluster.nodes.length}): cpu ${want[i].toString(16)} gpu ${got[i].toString(16)}`);
      candidates += want.length;
      fits += want.filter((v) => v < HAMI_UNFIT).length;
      unfit += want.filter((v) => v >= HAMI_UNFIT && v < 0x80000000).length;
    }
    expect(candidates).toBeGreaterThan(10_000);
    expect(fits).toBeGreaterThan(1_000);
    expect(unfit).toBeGreaterThan(1_000);
  }, 120_000);

  test('decision records are identical (80 worlds, random windows, up to 400 nodes)', async (t) => {
    if (!gpu) return t.skip();
    const g = hamiGpuFor(gpu.engine);
    let ties = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const n = 1 + (seed % 20 === 0 ? 400 : seed % 60);
      const w = randomHamiWorld(seed + 1000, n, undefined, n > 100 ? n : undefined);
      const spec = hamiKernelSpecFor(w.profile, w.options)!;
      const rng = new Rng(seed * 11);
      const pods = Array.from({ length: 6 }, () => podOf(randomHamiRequest(rng, 96000, 786432))).filter((p) => w.scheduler.request(p) !== null).map((p) => p.request);
      const windows = pods.map(() => ({ start: rng.int(n), want: 1 + rng.int(n) }));
      const cpu = new CpuHamiEngine();
      cpu.attach(w.cluster, spec);
      g.attach(w.cluster, spec);
      const want = cpu.evaluateSync(pods, windows);
      expect(await g.evaluate(pods, windows), `seed ${seed}`).toEqual(want);
      ties += want.filter((d) => d.tied.length > 1).length;
    }
    expect(ties).toBeGreaterThan(10);
  }, 120_000);

  test('whole scheduling cycles on the GPU equal HamiScheduler (bindings, cards, reasons, RNG)', async (t) => {
    if (!gpu) return t.skip();
    for (let seed = 1; seed <= 12; seed++) {
      const run = async (mode: 'plugins' | 'gpu') => {
        const w = randomHamiWorld(seed + 2000, 20 + seed * 13);
        const rng = new Rng(seed * 31);
        const pods = Array.from({ length: 30 }, (_, i) => {
          const p = podOf(randomHamiRequest(rng, 64000, 400000), i % 3);
          if (rng.int(8) === 0) p.annotations = randomHamiAnnotations(rng, w.cluster);
          return p;
        });
        const ctx = { cluster: w.cluster, rng: new Rng(seed * 17), nowS: 0 };
        const fresh = createScheduler(w.profile, w.options, { scenario: {} as never, cluster: w.cluster, rng }) as HamiScheduler;
        const s = mode === 'gpu' ? useEvaluator(fresh, new HamiEvaluator(hamiKernelSpecFor(w.profile, w.options)!, gpu!.engine)) : fresh;
        const out: string[] = [];
        for (let cycle = 0; cycle < 3; cycle++) {
          const queue = pods.filter((p) => p.binding === null);
          const r = mode === 'gpu' ? await s.cycleAsync!(queue, ctx) : fresh.cycle(queue, ctx);
          out.push(...r.bound.map((p) => `${pods.indexOf(p)}@${p.binding!.nodeId}:${p.binding!.gpus.map((b) => `${b.gpu}/${b.memMiB}/${b.cores}`).join(',')}`));
          out.push(...r.failed.map((p) => `${pods.indexOf(p)}!${p.lastReason}`));
          for (const p of r.bound.filter((_, i) => i % 3 === 0)) w.cluster.unbind(p);
        }
        if (mode === 'gpu') {
          expect(engineEvaluatorOf(s)!.activeEngine.kind, engineReason(engineEvaluatorOf(s)!.status)).toBe('gpu');
          expect((s.evaluator as HamiEvaluator).engineDecisions).toBeGreaterThan(10);
        }
        out.push(`rng:${ctx.rng.nextU32()}`);
        return out;
      };
      expect(await run('gpu'), `seed ${seed}`).toEqual(await run('plugins'));
    }
  }, 120_000);

  test('there are HAMi presets to check', () => {
    expect(hamiRuns.length).toBeGreaterThanOrEqual(6);
  });
  for (const { file, scenario: base, spec } of hamiRuns) {
    test(`simulation: ${file} (${spec.profile})`, async (t) => {
      if (!gpu) return t.skip();
      const scenario: Scenario = { ...base, schedulers: [spec] };
      const { used } = await expectSimulationParity(gpu!, scenario);
      expect(engineEvaluatorOf(used!)).toBeInstanceOf(HamiEvaluator);
      const h = (used as HamiScheduler).evaluator as HamiEvaluator;
      expect(h.activeEngine.kind, engineReason(h.status)).toBe('gpu');
      expect(h.engineDecisions).toBeGreaterThan(10);
    }, 300_000);
  }
});
