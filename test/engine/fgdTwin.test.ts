/**
 * The FGD twin (src/engine/cpu/filterScoreFgd.ts) against the fgd profile's plugins: for thousands of random
 * (node, pod) pairs the packed result equals the filters' verdict and FgdPolicy's score; the breakpoint form of
 * the sigmoid equals fgdScoreOfDelta around every breakpoint; scheduling through the engine equals the profile.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { fgdBreakpoints, fromOrderedKey, orderedKey, scoreFromBreakpoints } from '../../src/engine/kernels/fgdTables.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { INFEASIBLE, REASON_TEXT } from '../../src/engine/kernels/types.ts';
import { fgdScoreOfDelta } from '../../src/sched/plugins/fgdScore.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';
import type { openbCluster } from '../../src/model/openbTrace.ts';
import { podOfTrace, randomFgdWorld, randomTracePod } from '../parity/randomFgd.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';

describe('FGD sigmoid breakpoints', () => {
  test('B_50 is just below zero: Δ = −4.5e−13 (float noise) scores 49, Δ = 0 scores 50', () => {
    const b = fgdBreakpoints();
    // sigmoid(0) = 0.5 → 50; exp(4.5e−16) = 1 + 2^−51 → 1/(2 + 2^−51)·100 < 50 → 49
    expect(scoreFromBreakpoints(0, b)).toBe(50);
    expect(fgdScoreOfDelta(-4.547473508864641e-13)).toBe(49);
    expect(scoreFromBreakpoints(-4.547473508864641e-13, b)).toBe(49);
    expect(b[49]).toBeLessThan(0);
    expect(b[49]).toBeGreaterThan(-1e-12);
  });

  test('equal to fgdScoreOfDelta at and around every breakpoint (±2000 doubles) and on random deltas', () => {
    const b = fgdBreakpoints();
    for (let s = 0; s < 100; s++) {
      const k = orderedKey(b[s]);
      for (let d = -2000n; d <= 2000n; d++) {
        const x = fromOrderedKey(k + d);
        if (scoreFromBreakpoints(x, b) !== fgdScoreOfDelta(x)) expect.fail(`score ${s + 1}: Δ = ${x}`);
      }
    }
    fc.assert(fc.property(fc.double({ min: -20000, max: 20000, noNaN: true }), (x) => scoreFromBreakpoints(x, b) === fgdScoreOfDelta(x)), { numRuns: 20000 });
  });
});

/** The packed result the plugin path gives for a pod on a node (filters in order, then FgdPolicy's score). */
function pluginResult(s: FrameworkScheduler, pod: ReturnType<typeof podOfTrace>, nodeIndex: number, ctx: { cluster: ReturnType<typeof openbCluster>; rng: Rng; nowS: number }): number {
  const node = ctx.cluster.nodes[nodeIndex];
  for (const f of s.config.filters) {
    const status = f.filter(pod, node, ctx);
    if (status) {
      let bits = 0;
      for (const r of status.reasons) bits |= 1 << REASON_TEXT.indexOf(r);
      return (INFEASIBLE | bits) >>> 0;
    }
  }
  return s.config.scores[0].plugin.score(pod, node, ctx);
}

describe('FGD twin equals the fgd profile', () => {
  test('packed results for every (pod, node) of 300 random worlds', () => {
    let feasible = 0;
    let total = 0;
    const scores = new Set<number>();
    for (let seed = 1; seed <= 300; seed++) {
      const w = randomFgdWorld(seed, 1 + (seed % 40));
      const engine = new CpuEngine();
      const rng = new Rng(seed * 13);
      const pods = Array.from({ length: 10 }, (_, i) => podOfTrace(randomTracePod(rng, 1000 + i), 500_000 + i));
      const ctx = { cluster: w.cluster, rng: new Rng(1), nowS: 0 };
      engine.attach(w.cluster, kernelSpecFor('fgd', { coveragePct: w.coveragePct }, w.scenario)!);
      const got = engine.scoreAllSync(pods.map((p) => p.request));
      const n = w.cluster.nodes.length;
      for (let p = 0; p < pods.length; p++) {
        for (let i = 0; i < n; i++) {
          const want = pluginResult(w.scheduler, pods[p], i, ctx);
          if (got[p * n + i] !== want) expect.fail(`seed ${seed}, pod ${JSON.stringify(pods[p].request)}, node ${i}: twin ${got[p * n + i].toString(16)} plugin ${want.toString(16)}`);
          total++;
          if (want < INFEASIBLE) {
            feasible++;
            scores.add(want);
          }
        }
      }
    }
    expect(total).toBeGreaterThan(50_000);
    expect(feasible).toBeGreaterThan(10_000);
    expect(scores.size).toBeGreaterThan(30);
  });

  test('scheduling cycles through FrameworkEvaluator (CPU twin) equal the fgd profile (bindings, GPUs, reasons)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const run = (engine: boolean): string[] => {
        const w = randomFgdWorld(seed, 5 + (seed % 50));
        const fw = createScheduler('fgd', { coveragePct: w.coveragePct }, { scenario: w.scenario, cluster: w.cluster, rng: new Rng(seed) }) as FrameworkScheduler;
        const s = engine ? useEvaluator(fw, new FrameworkEvaluator(kernelSpecFor('fgd', { coveragePct: w.coveragePct }, w.scenario)!, new CpuEngine())) : fw;
        const ctx = { cluster: w.cluster, rng: new Rng(seed * 5), nowS: 0 };
        const out: string[] = [];
        for (let k = 0; k < 60; k++) {
          const pod = podOfTrace(randomTracePod(w.rng, k), 900_000 + k);
          const r = s.cycle([pod], ctx);
          out.push(r.bound.length ? `${pod.binding!.nodeId}:${pod.binding!.gpus.map((g) => `${g.gpu}/${g.milli}`).join(',')}` : `!${pod.lastReason}`);
        }
        return out;
      };
      expect(run(true), `seed ${seed}`).toEqual(run(false));
    }
  });
});
