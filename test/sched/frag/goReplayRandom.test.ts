/**
 * Random under Go-mode replays (`rng: 'go'`) against the authors' published Random runs (../shared/data/openb-expected,
 * their experiments/analysis/expected_results @ hkust-adsl/kubernetes-scheduler-simulator 8f3d641). Random cannot
 * match per seed: the artifact's PreScore (pkg/simulator/plugin/random_score.go) draws rand.Intn over the feasible
 * nodes in the order the parallel filter found them (vendor/k8s.io/kubernetes/pkg/scheduler/core/
 * generic_scheduler.go findNodesThatPassFilters), so the same draw names a different node from run to run. What must
 * hold is the distribution: a node uniform among the feasible ones and a shared GPU uniform among those with room
 * (open_gpu_share.go allocateGpuIdBasedOnRandomFit). So the ten seeds' mean curve is compared with theirs, row by
 * row, in units of the difference's standard error (Welch, from both sides' seed-to-seed spread).
 */
import { describe, expect, it } from 'vitest';
import { replayOpenb } from '../../../src/sched/frag/replay.ts';
import { loadExpected, loadTrace } from '../../../scripts/openbExpectedLib.ts';

const SEEDS = [42, 43, 44, 45, 46, 47, 48, 49, 50, 51];
/** Standard errors a row's mean may differ by: with about 18 degrees of freedom, a correct model passes 4 at a row with 99.9 %. */
const MAX_STANDARD_ERRORS = 4;

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function sampleVariance(xs: readonly number[]): number {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
}

describe('Random under Go replays, in distribution', () => {
  // gpushare100: every GPU pod shares a GPU, so both of Random's draws (the node and the GPU in it) decide placements.
  it('gpushare100: the mean allocation over seeds 42–51 is within 4 standard errors of the published mean at every arrived %', { timeout: 120_000 }, () => {
    const expected = loadExpected();
    const { nodes, pods } = loadTrace('gpushare100');
    const ours = SEEDS.map((seed) => replayOpenb({ nodes, pods, policy: 'random', seed, rng: 'go' }).curve.map((row) => row.allocatedPct));
    const theirs = SEEDS.map((seed) => expected.alloc.get(`gpushare100/random/${seed}`)!.values);
    const outliers: string[] = [];
    for (let pct = 0; pct <= 130; pct++) {
      const o = ours.map((curve) => curve[pct]);
      const t = theirs.map((values) => values[pct]);
      expect(t.every((x) => x !== null)).toBe(true);
      const gap = Math.abs(mean(o) - mean(t as number[]));
      const standardError = Math.sqrt(sampleVariance(o) / o.length + sampleVariance(t as number[]) / t.length);
      if (gap > MAX_STANDARD_ERRORS * standardError) outliers.push(`${pct} %: gap ${gap.toFixed(3)}, s.e. ${standardError.toFixed(3)}`);
    }
    expect(outliers).toEqual([]);
  });
});
