/**
 * The FGD-baseline twin (src/engine/cpu/filterScoreBaselines.ts) against the five baseline profiles' plugins
 * (src/sched/plugins/fgdBaselines.ts via src/sched/profiles/fgd.ts): packed results equal the filters' verdict and
 * the plugin's raw score + bias for every (pod, node) of random worlds; bestfit's normalize twin equals
 * minMaxNormalize; scheduling through FrameworkEvaluator on the CPU twin equals each profile (bindings, GPUs,
 * reasons, RNG state), which covers bestfit's normalize step and random's draw over the feasible set.
 */
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';

import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { FGD_BASELINES, kernelLimitError, kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { INFEASIBLE, RAW_SCORE_BIAS, REASON_TEXT, maxTotalOf, type FgdBaselineKernelSpec } from '../../src/engine/kernels/types.ts';
import { minMaxNormalize } from '../../src/sched/plugins/fgdBaselines.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';
import type { SchedContext } from '../../src/sched/framework.ts';
import type { Pod } from '../../src/model/pod.ts';
import { podOfTrace, randomTracePod } from '../parity/randomFgd.ts';
import { randomBaselineWorld } from '../parity/randomBaselines.ts';
import { normalizeMinMaxRow } from '../../src/engine/cpu/normalizeMinMax.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';

/** The packed result the plugin path gives (filters in order, then the plugin's raw score + the spec's offset). */
function pluginResult(s: FrameworkScheduler, spec: FgdBaselineKernelSpec, pod: Pod, nodeIndex: number, ctx: SchedContext): number {
  const node = ctx.cluster.nodes[nodeIndex];
  for (const f of s.config.filters) {
    const status = f.filter(pod, node, ctx);
    if (status) {
      let bits = 0;
      for (const r of status.reasons) bits |= 1 << REASON_TEXT.indexOf(r);
      return (INFEASIBLE | bits) >>> 0;
    }
  }
  const raw = s.config.scores[0].plugin.score(pod, node, ctx);
  return raw + (spec.policy === 'bestfit' ? RAW_SCORE_BIAS : spec.bias);
}

describe('FGD baseline kernel specs', () => {
  test('every baseline profile has a spec; totals fit the reduction; bias per policy', () => {
    const biases = FGD_BASELINES.map((p) => (kernelSpecFor(p) as FgdBaselineKernelSpec).bias);
    // dotprod ≥ −200 (dot ≤ 6), clustering ≥ −25 (16 free GPUs: trunc(25·(8000 − 16000)/8000) = −25)
    expect(biases).toEqual([0, 200, 25, 0, 0]);
    expect(FGD_BASELINES.map((p) => maxTotalOf(kernelSpecFor(p)!))).toEqual([0, 300, 125, 100, 100]);
  });

  test('kernelLimitError: > 16 GPUs per node, or a dotprod node that can score below −bias', () => {
    const w = randomBaselineWorld('dotprod', 1, 4);
    expect(kernelLimitError(kernelSpecFor('dotprod')!, w.cluster)).toBeNull();
    // 256 cores, 16 GPUs: dot = 2² + 2² = 8 → 100·(1 − 4) = −300 < −200
    w.cluster.nodes[0].cpuMilli = 256000;
    w.cluster.nodes[0].gpus.length = Math.min(w.cluster.nodes[0].gpus.length, 16);
    while (w.cluster.nodes[0].gpus.length < 16) w.cluster.nodes[0].gpus.push({ ...w.cluster.nodes[1].gpus[0] ?? w.cluster.nodes[2].gpus[0] });
    expect(kernelLimitError(kernelSpecFor('dotprod')!, w.cluster)).toMatch(/can score -300/);
    expect(kernelLimitError(kernelSpecFor('packing')!, w.cluster)).toBeNull();
  });
});

describe('baseline twin equals the profiles', () => {
  test.each(FGD_BASELINES.map((p) => [p]))('%s: packed results for every (pod, node) of 120 random worlds', (policy) => {
    const spec = kernelSpecFor(policy) as FgdBaselineKernelSpec;
    let feasible = 0;
    let total = 0;
    const scores = new Set<number>();
    for (let seed = 1; seed <= 120; seed++) {
      const w = randomBaselineWorld(policy, seed, 1 + (seed % 30));
      const engine = new CpuEngine();
      const rng = new Rng(seed * 13);
      const pods = Array.from({ length: 10 }, (_, i) => podOfTrace(randomTracePod(rng, 1000 + i), 500_000 + i));
      const ctx = { cluster: w.cluster, rng: new Rng(1), nowS: 0 };
      engine.attach(w.cluster, spec);
      const got = engine.scoreAllSync(pods.map((p) => p.request));
      const n = w.cluster.nodes.length;
      for (let p = 0; p < pods.length; p++) {
        for (let i = 0; i < n; i++) {
          const want = pluginResult(w.scheduler, spec, pods[p], i, ctx);
          if (got[p * n + i] !== want >>> 0) expect.fail(`seed ${seed}, pod ${JSON.stringify(pods[p].request)}, node ${i}: twin ${got[p * n + i]} plugin ${want}`);
          total++;
          if (want < INFEASIBLE) {
            feasible++;
            scores.add(want);
          }
        }
      }
    }
    expect(total).toBeGreaterThan(15_000);
    expect(feasible).toBeGreaterThan(3_000);
    // random scores 0 everywhere; the others spread over many values
    expect(scores.size).toBeGreaterThan(policy === 'random' ? 0 : policy === 'clustering' ? 20 : 25);
    if (policy === 'dotprod' || policy === 'clustering') expect([...scores].some((s) => s < spec.bias), 'negative scores occur').toBe(true);
  });

  test('normalizeMinMaxRow equals minMaxNormalize on the feasible entries; infeasible entries untouched', () => {
    const rng = new Rng(5);
    for (let t = 0; t < 2000; t++) {
      const n = 1 + rng.int(12);
      const raw = Array.from({ length: n }, () => rng.int(400) - 200);
      const infeasible = raw.map(() => rng.int(4) === 0);
      const row = raw.map((r, i) => (infeasible[i] ? (INFEASIBLE | 2) >>> 0 : r + RAW_SCORE_BIAS));
      const want = raw.filter((_, i) => !infeasible[i]);
      minMaxNormalize(want);
      normalizeMinMaxRow(row, 0, n);
      expect(row.filter((_, i) => !infeasible[i])).toEqual(want);
      expect(row.filter((_, i) => infeasible[i]).every((v) => v === (INFEASIBLE | 2) >>> 0)).toBe(true);
    }
    // (raw − lo)·100/range: raws 7, 10, 13 → 0, 50, 100
    const r = [7, 10, 13].map((x) => x + RAW_SCORE_BIAS);
    normalizeMinMaxRow(r, 0, 3);
    expect(r).toEqual([0, 50, 100]);
  });

  test('bestfit decisions: plateaus, max and tied set of the plugin-normalized totals (minMaxNormalize over the feasible set)', () => {
    const spec = kernelSpecFor('bestfit')!;
    let compared = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const w = randomBaselineWorld('bestfit', seed, 2 + (seed % 30));
      const engine = new CpuEngine();
      engine.attach(w.cluster, spec);
      const n = w.cluster.nodes.length;
      const rng = new Rng(seed);
      const ctx = { cluster: w.cluster, rng: new Rng(1), nowS: 0 };
      for (let k = 0; k < 5; k++) {
        const pod = podOfTrace(randomTracePod(rng, k), 700_000 + k);
        const start = rng.int(n);
        const d = engine.evaluateSync([pod.request], [{ start, want: n }])[0];
        // the plugin path: raw scores of the feasible nodes in scan order, normalized, running-maximum plateaus
        const order = Array.from({ length: n }, (_, i) => (start + i) % n);
        const feas = order.filter((i) => pluginResult(w.scheduler, spec as FgdBaselineKernelSpec, pod, i, ctx) < INFEASIBLE);
        const totals = feas.map((i) => w.scheduler.config.scores[0].plugin.score(pod, w.cluster.nodes[i], ctx));
        minMaxNormalize(totals);
        const max = totals.length ? Math.max(...totals) : -1;
        const plateaus: number[] = [];
        let cur = -1;
        for (const t of totals) {
          if (t > cur) {
            plateaus.push(1);
            cur = t;
          } else if (t === cur) plateaus[plateaus.length - 1]++;
        }
        expect(d.maxTotal).toBe(max);
        expect(d.plateaus).toEqual(plateaus);
        expect(d.tied).toEqual(feas.filter((_, j) => totals[j] === max));
        if (feas.length > 1 && max === 100) compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  test.each(FGD_BASELINES.map((p) => [p]))('%s: cycles through FrameworkEvaluator (CPU twin) equal the profile (bindings, GPUs, reasons, RNG)', (policy) => {
    for (let seed = 1; seed <= 25; seed++) {
      const run = (engine: boolean): string[] => {
        const w = randomBaselineWorld(policy, seed, 3 + (seed % 40));
        const fw = createScheduler(policy, {}, { scenario: w.scenario, cluster: w.cluster, rng: new Rng(seed) }) as FrameworkScheduler;
        const s = engine ? useEvaluator(fw, new FrameworkEvaluator(kernelSpecFor(policy)!, new CpuEngine())) : fw;
        const ctx = { cluster: w.cluster, rng: new Rng(seed * 5), nowS: 0 };
        const out: string[] = [];
        for (let k = 0; k < 60; k++) {
          const pod = podOfTrace(randomTracePod(w.rng, k), 900_000 + k);
          const r = s.cycle([pod], ctx);
          out.push(r.bound.length ? `${pod.binding!.nodeId}:${pod.binding!.gpus.map((g) => `${g.gpu}/${g.milli}`).join(',')}` : `!${pod.lastReason}`);
        }
        out.push(`rng ${ctx.rng.int(1_000_000)}`);
        return out;
      };
      expect(run(true), `seed ${seed}`).toEqual(run(false));
    }
  });
});
