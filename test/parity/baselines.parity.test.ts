/**
 * GPU ↔ CPU parity for the FGD-baseline kernels (shaders/filterScoreBaselines.wgsl with its policy switch,
 * shaders/normalizeMinMax.wgsl for bestfit) through Dawn (SwiftShader here), against the TypeScript twin (itself
 * checked against the profiles in test/engine/baselinesTwin.test.ts): identical packed results on random worlds
 * and on rounding-sensitive inputs (dotprod's and bestfit's float64 steps emulated with integers), identical
 * decision records, and openb replays of all five policies in lockstep equal to the sequential CPU replays.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { FGD_BASELINES, kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { replayOpenbLockstep } from '../../src/engine/lockstep/lockstep.ts';
import { INFEASIBLE } from '../../src/engine/kernels/types.ts';
import { parseOpenbNodes, parseOpenbPods } from '../../src/io/openb.ts';
import { replayOpenb } from '../../src/sched/frag/replay.ts';
import { bestFitRawOf, dotProdScoreOf } from '../../src/sched/plugins/fgdBaselines.ts';
import { acquireParityGpu, type ParityGpu } from './setup.ts';
import { podOfTrace, randomTracePod } from './randomFgd.ts';
import { bestfitBoundaryCases, boundaryWorld, dotprodBoundaryCases, randomBaselineWorld } from './randomBaselines.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

const DATA = new URL('../../../shared/data/openb/', import.meta.url);

/** The first differing candidate, as a message, or null. */
function firstDiff(want: Uint32Array, got: Uint32Array, n: number): string | null {
  const i = want.findIndex((v, k) => v !== got[k]);
  return i < 0 ? null : `candidate ${i} (pod ${Math.floor(i / n)}, node ${i % n}): cpu ${want[i]} gpu ${got[i]}`;
}

/** Exact rational truncations (BigInt) of the two float64 formulas, to count the cases float64 rounding decides. */
function exactDot(cl: number, gl: number, pc: number, pg: number): number {
  const D = 16_384_000_000n; // 128000²
  return Number(((2n * D - (BigInt(cl) * BigInt(pc) + 256n * BigInt(gl) * BigInt(pg))) * 50n) / D);
}
function exactBest(a: number, b: number): number {
  return Number((256000n - BigInt(a) - 16n * BigInt(b)) / 2560n);
}

describe('FGD baselines parity (WebGPU engine vs CPU twin)', () => {
  test('packed results identical for every candidate, all five policies (40 random worlds each)', async (t) => {
    if (!gpu) return t.skip();
    const g = gpu!.engine;
    for (const policy of FGD_BASELINES) {
      const spec = kernelSpecFor(policy)!;
      let feasible = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const w = randomBaselineWorld(policy, seed * 17, 1 + (seed % 10 === 0 ? 120 : seed % 30));
        const cpu = new CpuEngine();
        cpu.attach(w.cluster, spec);
        g.attach(w.cluster, spec);
        const rng = new Rng(seed);
        const pods = Array.from({ length: 12 }, (_, i) => podOfTrace(randomTracePod(rng, i), 1_000_000 + i).request);
        const want = cpu.scoreAllSync(pods);
        const diff = firstDiff(want, await g.scoreAll(pods), w.cluster.nodes.length);
        if (diff) expect.fail(`${policy} seed ${seed}: ${diff}`);
        for (const v of want) if (v < INFEASIBLE) feasible++;
      }
      expect(feasible, policy).toBeGreaterThan(2000);
    }
  }, 120_000);

  test('float64 emulation on rounding-sensitive inputs: dotprod and bestfit (exact value an integer)', async (t) => {
    if (!gpu) return t.skip();
    const g = gpu!.engine;
    for (const [policy, cases] of [['dotprod', dotprodBoundaryCases(200)], ['bestfit', bestfitBoundaryCases(200)]] as const) {
      const { cluster, pods } = boundaryWorld(cases);
      const spec = kernelSpecFor(policy)!;
      const cpu = new CpuEngine();
      cpu.attach(cluster, spec);
      g.attach(cluster, spec);
      const reqs = pods.map((p) => p.request);
      const want = cpu.scoreAllSync(reqs);
      const diff = firstDiff(want, await g.scoreAll(reqs), cluster.nodes.length);
      if (diff) expect.fail(`${policy}: ${diff}`);
      // the diagonal holds the boundary cases; float64 lands below the integer in some of them
      const below = cases.filter((c) =>
        policy === 'dotprod' ? dotProdScoreOf(c.cl, c.gl, c.pc, c.pg) !== exactDot(c.cl, c.gl, c.pc, c.pg) : bestFitRawOf(c.cl, c.gl, c.pc, c.pg) !== exactBest(c.cl - c.pc, c.gl - c.pg),
      ).length;
      expect(below, `${policy}: cases where float64 rounding changes the truncation`).toBeGreaterThan(policy === 'dotprod' ? 2 : 5);
      expect(cases.every((_, k) => want[k * cases.length + k] < INFEASIBLE), `${policy}: the diagonal is feasible`).toBe(true);
    }
  }, 120_000);

  test('decision records identical (random start; bestfit normalizes over all nodes, the others random windows)', async (t) => {
    if (!gpu) return t.skip();
    const g = gpu!.engine;
    for (const policy of FGD_BASELINES) {
      const spec = kernelSpecFor(policy)!;
      for (let seed = 1; seed <= 30; seed++) {
        const w = randomBaselineWorld(policy, seed * 7, 1 + (seed % 50));
        const cpu = new CpuEngine();
        cpu.attach(w.cluster, spec);
        g.attach(w.cluster, spec);
        const rng = new Rng(seed);
        const n = w.cluster.nodes.length;
        const pods = Array.from({ length: 6 }, (_, i) => podOfTrace(randomTracePod(rng, i), 2_000_000 + i).request);
        const windows = pods.map(() => ({ start: rng.int(n), want: policy === 'bestfit' ? n : 1 + rng.int(n) }));
        expect(await g.evaluate(pods, windows), `${policy} seed ${seed}`).toEqual(cpu.evaluateSync(pods, windows));
      }
    }
  }, 120_000);

  test('openb replays of the five baselines (2 seeds each) in lockstep on the GPU equal the CPU replays', async (t) => {
    if (!gpu) return t.skip();
    const nodes = parseOpenbNodes(readFileSync(new URL('openb_node_list_gpu_node.csv', DATA), 'utf8')).filter((_, i) => i % 50 === 0);
    const pods = parseOpenbPods(readFileSync(new URL('openb_pod_list_default.csv', DATA), 'utf8')).filter((_, i) => i % 50 === 0);
    const runs = FGD_BASELINES.flatMap((policy) => [1, 2].map((seed) => ({ nodes, pods, policy, seed })));
    const { results, stats } = await replayOpenbLockstep(gpu!.engine, runs);
    expect(stats.batched).toBe(10);
    runs.forEach((o, i) => {
      const want = replayOpenb(o);
      expect(results[i].curve, `${o.policy} seed ${o.seed}`).toEqual(want.curve);
      expect(results[i].stats, `${o.policy} seed ${o.seed}`).toEqual(want.stats);
      expect(want.stats.boundPods).toBeGreaterThan(50);
    });
  }, 300_000);
});
