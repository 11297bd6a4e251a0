/**
 * A plan's replicas in lockstep (src/engine/lockstep/planLockstep.ts) on the CPU twins of every engine interface
 * (the batcher's behaviour without a GPU): rows equal runPlanReplica's, digest for digest. The same driver on a
 * real GPU is checked by the parity tier (test/parity/planLockstep.parity.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planLockstep } from '../../src/engine/lockstep/planLockstep.ts';
import { cpuLockstepEngines, cpuTwinWrap } from '../../src/engine/lockstep/lockstep.ts';
import { expandPlan } from '../../src/plan/index.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { runPlanReplica } from '../../src/sim/planReplica.ts';
import { countCandidates } from '../../src/sim/candidateCount.ts';

function smallMixed(): Scenario {
  const r = parseScenario(JSON.parse(readFileSync(new URL('../../public/scenarios/small-mixed.json', import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return { ...r.scenario, sim: { ...r.scenario.sim, durationS: 3 * 3600 } };
}

describe('plan in lockstep', () => {
  it('rows equal the sequential runner, for kernel, HAMi and Volcano profiles', async () => {
    const s = smallMixed();
    const g = expandPlan(s, { profiles: [{ profile: 'k8s-default' }, { profile: 'hami-binpack' }, { profile: 'volcano-hami' }], scale: { factors: [0.5, 1] }, seeds: [1, 2], targets: { p95WaitS: 60 } });
    const engines = cpuLockstepEngines();
    const out = await planLockstep(engines.kernel, s, g, g.replicas, cpuTwinWrap(engines), { seriesPoints: 6 });
    expect(out.failures).toEqual([]);
    const expected = g.replicas.map((r) => runPlanReplica(s, g, r, { seriesPoints: 6 }).digest);
    expect(out.results.map((r) => r!.row.digest)).toEqual(expected);
    expect(out.stats.batched).toBeGreaterThan(0);
  });

  it('counted as the browser planner does (countCandidates around each lane, cycleAsync kept): same rows, each reported once as it finishes, the CPU runs’ candidate count, for kernel, HAMi and Volcano lanes', async () => {
    const s = smallMixed();
    const g = expandPlan(s, { profiles: [{ profile: 'k8s-default' }, { profile: 'hami-binpack' }, { profile: 'volcano-hami' }], scale: { factors: [0.5, 1] }, seeds: [1], targets: { p95WaitS: 60 } });
    const engines = cpuLockstepEngines();
    const twin = cpuTwinWrap(engines);
    let lockstepCandidates = 0;
    const heard: number[] = [];
    const out = await planLockstep(engines.kernel, s, g, g.replicas, (lane, x, profile, options, sc) => countCandidates(twin(lane, x, profile, options, sc), (n) => void (lockstepCandidates += n)), {
      seriesPoints: 6,
      onRow: (r, row) => {
        expect(row.index).toBe(r.index);
        heard.push(r.index);
      },
    });
    expect(out.failures).toEqual([]);
    let cpuCandidates = 0;
    const expected = g.replicas.map((r) => runPlanReplica(s, g, r, { seriesPoints: 6, wrapScheduler: (x) => countCandidates(x, (n) => void (cpuCandidates += n)) }).digest);
    expect(out.results.map((r) => r!.row.digest)).toEqual(expected);
    expect(heard.sort((a, b) => a - b)).toEqual(g.replicas.map((r) => r.index));
    expect(cpuCandidates).toBeGreaterThan(0);
    expect(lockstepCandidates).toBe(cpuCandidates);
    // every replica (all three profiles have a kernel) asked its lane: the counting wrapper kept cycleAsync
    expect(out.stats.batched).toBe(g.replicas.length);
  });
});
