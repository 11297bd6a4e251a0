/**
 * The replica runner (src/sim/planReplica.ts): a replica's row is the run `slicebench run` makes of the scaled
 * scenario (same traceHash and summary numbers), and the same whatever order the replicas run in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandPlan, replicaScenario } from '../../src/plan/index.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { runPlanReplica, runPlanReplicaAsync } from '../../src/sim/planReplica.ts';
import { simulate } from '../../src/sim/simulation.ts';

function smallMixed(): Scenario {
  const r = parseScenario(JSON.parse(readFileSync(new URL('../../public/scenarios/small-mixed.json', import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return { ...r.scenario, sim: { ...r.scenario.sim, durationS: 4 * 3600 } };
}

describe('plan replica runner', () => {
  const s = smallMixed();
  const g = expandPlan(s, { profiles: [{ profile: 'k8s-default' }, { profile: 'hami-binpack' }], scale: { factors: [0.5, 1] }, demandScale: [1, 2], seeds: [1, 2], targets: { p95WaitS: 60, nothingPending: true } });

  it('a row is the run of its scaled scenario, with its metrics and targets', () => {
    const r = g.replicas.find((x) => x.profile === 'hami-binpack' && g.scales[x.scaleIndex].factor === 1 && x.demandScale === 1 && x.seed === 2)!;
    const row = runPlanReplica(s, g, r, { seriesPoints: 10 });
    const direct = simulate({ ...s, schedulers: [{ profile: 'hami-binpack' }] }, { seed: 2 });
    expect(row.traceHash).toBe(direct.traceHash);
    expect(row.p95WaitS).toBe(direct.summary.p95WaitS);
    expect(row.podsPendingAtEnd).toBe(direct.summary.podsPendingAtEnd);
    expect([row.nodes, row.gpus, row.costPerHour]).toEqual([6, 32, 57.6]);
    expect(row.meets).toBe(direct.summary.p95WaitS <= 60 && direct.summary.podsPendingAtEnd === 0);
    expect(row.series!.tS).toHaveLength(10);
    expect(row.series!.tS[9]).toBe(direct.series[direct.series.length - 1].tS);
  });

  it('demand ×2 runs the doubled workloads (a different run from ×1)', () => {
    const [a, b] = [1, 2].map((d) => g.replicas.find((x) => x.profile === 'k8s-default' && x.scaleIndex === 1 && x.demandScale === d && x.seed === 1)!);
    const rowB = runPlanReplica(s, g, b);
    expect(rowB.traceHash).toBe(simulate(replicaScenario(s, g, b), { seed: 1 }).traceHash);
    expect(rowB.traceHash).not.toBe(runPlanReplica(s, g, a).traceHash);
  });

  it('rows are identical in any order, sync or async', async () => {
    const some = g.replicas.filter((r) => r.demandScale === 1 && r.seed === 1);
    const forward = some.map((r) => runPlanReplica(s, g, r).digest);
    const backward = [...some].reverse().map((r) => runPlanReplica(s, g, r).digest).reverse();
    const asyncRows = await Promise.all(some.map((r) => runPlanReplicaAsync(s, g, r)));
    expect(backward).toEqual(forward);
    expect(asyncRows.map((r) => r.digest)).toEqual(forward);
    expect(new Set(forward).size).toBe(forward.length);
  });
});
