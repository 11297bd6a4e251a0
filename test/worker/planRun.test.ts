/**
 * The planner worker's batches (src/worker/planRun.ts): a grid split over workers in any order gives the rows one
 * worker gives (row digests), a cancel keeps the finished rows, bad input answers with messages naming the field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PlanRow } from '../../src/plan/rows.ts';
import { runPlanBatch, type PlanBatchHooks } from '../../src/worker/planRun.ts';

const json = JSON.parse(readFileSync(new URL('../../public/scenarios/small-mixed.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const scenario = {
  ...json,
  sim: { durationS: 3 * 3600, seed: 42, metricsStepS: 600 },
  plan: { profiles: [{ profile: 'k8s-default' }, { profile: 'hami-binpack', knob: { key: 'splitCount', values: [2, 10] } }], scale: { factors: [0.5, 1] }, seeds: [1, 2], targets: { p95WaitS: 120 } },
};
const hooks = (onRow?: (r: PlanRow) => void, cancelAfter = Infinity): PlanBatchHooks => {
  let n = 0;
  return { yieldToEvents: () => Promise.resolve(), cancelled: () => n >= cancelAfter, onRow: (r) => { n++; onRow?.(r); } };
};

describe('plan worker batches', () => {
  it('rows are identical whatever the worker count or order', async () => {
    const all = Array.from({ length: 12 }, (_, i) => i);
    const one = await runPlanBatch({ scenario, indices: all, seriesPoints: 8 }, hooks());
    expect(one.errors).toEqual([]);
    expect(one.rows.map((r) => r.index)).toEqual(all);
    // Three workers, each with an interleaved share, each running it backwards.
    const parts = await Promise.all([0, 1, 2].map((w) => runPlanBatch({ scenario, indices: all.filter((k) => k % 3 === w).reverse(), seriesPoints: 8 }, hooks())));
    const merged = parts.flatMap((p) => p.rows).sort((a, b) => a.index - b.index);
    expect(merged.map((r) => r.digest)).toEqual(one.rows.map((r) => r.digest));
    expect(merged).toEqual(one.rows);
  });

  it('a cancel keeps the rows finished so far', async () => {
    const seen: number[] = [];
    const res = await runPlanBatch({ scenario, indices: [3, 4, 5, 6] }, hooks((r) => seen.push(r.index), 2));
    expect(res.cancelled).toBe(true);
    expect(res.rows.map((r) => r.index)).toEqual([3, 4]);
    expect(seen).toEqual([3, 4]);
  });

  it('bad input answers with messages naming the field', async () => {
    const r1 = await runPlanBatch({ scenario: { ...scenario, plan: { ...scenario.plan, seeds: [] } }, indices: [0] }, hooks());
    expect(r1.errors).toEqual(['plan.seeds: empty axis: list at least one seed']);
    const r2 = await runPlanBatch({ scenario: { ...scenario, plan: { ...scenario.plan, seeds: { from: 1, to: 2000 } } }, indices: [0] }, hooks());
    expect(r2.errors[0]).toMatch(/^plan\.maxReplicas: the grid has 12,000 replicas .* over the cap of 10,000/);
    const r3 = await runPlanBatch({ scenario, indices: [12] }, hooks());
    expect(r3.errors).toEqual(['indices: 12 is not a replica of this 12-replica grid']);
  });
});
