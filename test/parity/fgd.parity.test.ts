/**
 * GPU ↔ CPU parity for the FGD kernel (shaders/filterScoreFgd.wgsl, emulated binary64) through Dawn (SwiftShader
 * here): identical packed candidate results and decision records against the TypeScript twin (itself checked
 * against the fgd profile's plugins in test/engine/fgdTwin.test.ts), and the openb replay under `fgd` on the GPU
 * engine equal to the CPU replay.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { INFEASIBLE } from '../../src/engine/kernels/types.ts';
import { replayOpenbOn } from '../../src/engine/wiring/wire.ts';
import { parseOpenbNodes, parseOpenbPods } from '../../src/io/openb.ts';
import { replayOpenb } from '../../src/sched/frag/replay.ts';
import { acquireParityGpu, type ParityGpu } from './setup.ts';
import { podOfTrace, randomFgdWorld, randomTracePod } from './randomFgd.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

const DATA = new URL('../../../shared/data/openb/', import.meta.url);

describe('FGD parity (WebGPU engine vs CPU twin and the fgd profile)', () => {
  test('packed filter+score results are identical for every candidate (400 random worlds)', async (t) => {
    if (!gpu) return t.skip();
    const g = gpu!.engine;
    let candidates = 0;
    let feasible = 0;
    const seen = new Set<number>();
    for (let seed = 1; seed <= 400; seed++) {
      const w = randomFgdWorld(seed * 31, 1 + (seed % 10 === 0 ? 150 : seed % 40));
      const spec = kernelSpecFor('fgd', { coveragePct: w.coveragePct }, w.scenario)!;
      const cpu = new CpuEngine();
      cpu.attach(w.cluster, spec);
      g.attach(w.cluster, spec);
      const rng = new Rng(seed);
      const pods = Array.from({ length: 12 }, (_, i) => podOfTrace(randomTracePod(rng, i), 1_000_000 + i).request);
      const want = cpu.scoreAllSync(pods);
      const got = await g.scoreAll(pods);
      if (!want.every((v, i) => v === got[i])) {
        const i = want.findIndex((v, k) => v !== got[k]);
        expect.fail(`seed ${seed}: candidate ${i} (pod ${JSON.stringify(pods[Math.floor(i / w.cluster.nodes.length)])}, node ${i % w.cluster.nodes.length}): cpu ${want[i].toString(16)} gpu ${got[i].toString(16)}`);
      }
      candidates += want.length;
      for (const v of want) {
        if (v < INFEASIBLE) {
          feasible++;
          seen.add(v);
        }
      }
    }
    expect(candidates).toBeGreaterThan(100_000);
    expect(feasible).toBeGreaterThan(20_000);
    expect(seen.size).toBeGreaterThan(30);
  }, 300_000);

  test('decision records are identical (200 worlds, random windows)', async (t) => {
    if (!gpu) return t.skip();
    const g = gpu!.engine;
    for (let seed = 1; seed <= 200; seed++) {
      const w = randomFgdWorld(seed * 7, 1 + (seed % 60));
      const spec = kernelSpecFor('fgd', { coveragePct: w.coveragePct }, w.scenario)!;
      const cpu = new CpuEngine();
      cpu.attach(w.cluster, spec);
      g.attach(w.cluster, spec);
      const rng = new Rng(seed);
      const n = w.cluster.nodes.length;
      const pods = Array.from({ length: 6 }, (_, i) => podOfTrace(randomTracePod(rng, i), 2_000_000 + i).request);
      const windows = pods.map(() => ({ start: rng.int(n), want: 1 + rng.int(n) }));
      expect(await g.evaluate(pods, windows), `seed ${seed}`).toEqual(cpu.evaluateSync(pods, windows));
    }
  }, 300_000);

  test('openb replay under fgd on the GPU engine equals the CPU replay (every 25th node and pod)', async (t) => {
    if (!gpu) return t.skip();
    const nodes = parseOpenbNodes(readFileSync(new URL('openb_node_list_gpu_node.csv', DATA), 'utf8')).filter((_, i) => i % 25 === 0);
    const pods = parseOpenbPods(readFileSync(new URL('openb_pod_list_default.csv', DATA), 'utf8')).filter((_, i) => i % 25 === 0);
    const o = { nodes, pods, policy: 'fgd', seed: 3 };
    const want = replayOpenb(o);
    const sel = { engine: gpu!.engine, status: { engine: 'gpu' as const, cause: 'requested' as const, adapter: gpu!.adapter, detail: 'parity' }, adapter: gpu!.adapter, software: true };
    const { result: got, engine } = await replayOpenbOn(sel, o);
    expect(engine).toEqual(sel.status);
    expect(got.curve).toEqual(want.curve);
    expect(got.stats).toEqual(want.stats);
    expect(want.stats.boundPods).toBeGreaterThan(100);
  }, 300_000);
});
