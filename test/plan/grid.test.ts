/**
 * The plan's grid (src/plan/grid.ts) and its spec's validation (src/scenario/planSpec.ts): axes expanded in a fixed
 * order with stable ids, scale points priced by hand from the catalog, scaled scenarios, and every bad input refused
 * with a message naming the field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandPlan, planSize, PlanError, replicaScenario, scaleDemand, scalePoints } from '../../src/plan/index.ts';
import { rangeValues } from '../../src/scenario/planSpec.ts';
import type { PlanSpec, Scenario } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { decodeShareHash, encodeShareHash } from '../../src/scenario/urlCodec.ts';

/** small-mixed: pools h100 (2 nodes × 8 H100 at $2.90) and l4 (4 nodes × 4 L4 at $0.70). */
function smallMixed(plan?: unknown): Scenario {
  const json = JSON.parse(readFileSync(new URL('../../public/scenarios/small-mixed.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const r = parseScenario(plan === undefined ? json : { ...json, plan });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

const errorsOf = (plan: unknown): string[] => {
  const json = JSON.parse(readFileSync(new URL('../../public/scenarios/small-mixed.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const r = parseScenario({ ...json, plan });
  return r.ok ? [] : r.errors;
};

const base: PlanSpec = { profiles: [{ profile: 'k8s-default' }], targets: { sloAttainmentPct: 99 } };

describe('plan grid', () => {
  it('ranges include both ends without float drift', () => {
    expect(rangeValues({ from: 0.5, to: 2, step: 0.25 })).toEqual([0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(rangeValues({ from: 0.5, to: 1, step: 0.1 })).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(rangeValues({ from: 2, to: 1, step: 0.5 })).toEqual([]);
  });

  it('prices each scale point from the pools: nodes × GPUs per node × $/GPU-h', () => {
    const s = smallMixed();
    const pts = scalePoints(s, { ...base, scale: { factors: [0.25, 0.5, 1, 1.5] } });
    // 0.25: h100 round(0.5) = 1, l4 round(1) = 1 → 1·8·2.9 + 1·4·0.7 = 26.0; 0.5: 1 and 2 → 23.2 + 5.6 = 28.8;
    // 1: 2 and 4 → 46.4 + 11.2 = 57.6; 1.5: 3 and 6 → 69.6 + 16.8 = 86.4.
    expect(pts.map((p) => [p.label, p.pools, p.nodes, p.gpus, p.costPerHourUsd])).toEqual([
      ['0.25×', { h100: 1, l4: 1 }, 2, 12, 26],
      ['0.5×', { h100: 1, l4: 2 }, 3, 16, 28.8],
      ['1×', { h100: 2, l4: 4 }, 6, 32, 57.6],
      ['1.5×', { h100: 3, l4: 6 }, 9, 48, 86.4],
    ]);
  });

  it('pool counts take every combination, the first pool varying slowest', () => {
    const s = smallMixed();
    const pts = scalePoints(s, { ...base, scale: { poolCounts: { h100: [1, 2], l4: [2, 8] } } });
    expect(pts.map((p) => [p.label, p.nodes, p.gpus, p.scale])).toEqual([
      ['h100=1 l4=2', 3, 16, 0.5],
      ['h100=1 l4=8', 9, 40, 1.5],
      ['h100=2 l4=2', 4, 24, 0.6667],
      ['h100=2 l4=8', 10, 48, 1.6667],
    ]);
  });

  it('expands profiles → knob values → scales → demand → seeds with stable ids', () => {
    const s = smallMixed();
    const plan: PlanSpec = {
      profiles: [{ profile: 'k8s-default' }, { profile: 'hami-binpack', knob: { key: 'splitCount', values: [4, 8] } }],
      scale: { factors: [1, 2] },
      seeds: { from: 1, to: 2 },
      targets: { p95WaitS: 60 },
    };
    const g = expandPlan(s, plan);
    expect(g.replicas).toHaveLength(planSize(s, plan));
    expect(g.replicas.map((r) => r.id)).toEqual([
      'k8s-default|1×|d1|s1', 'k8s-default|1×|d1|s2', 'k8s-default|2×|d1|s1', 'k8s-default|2×|d1|s2',
      'hami-binpack|splitCount=4|1×|d1|s1', 'hami-binpack|splitCount=4|1×|d1|s2', 'hami-binpack|splitCount=4|2×|d1|s1', 'hami-binpack|splitCount=4|2×|d1|s2',
      'hami-binpack|splitCount=8|1×|d1|s1', 'hami-binpack|splitCount=8|1×|d1|s2', 'hami-binpack|splitCount=8|2×|d1|s1', 'hami-binpack|splitCount=8|2×|d1|s2',
    ]);
    expect(g.replicas.map((r) => r.index)).toEqual(g.replicas.map((_, i) => i));
    expect(g.replicas[5].options).toEqual({ splitCount: 4 });
    expect(expandPlan(s, plan).replicas).toEqual(g.replicas);
    const rs = replicaScenario(s, g, g.replicas[6]);
    expect(rs.schedulers).toEqual([{ profile: 'hami-binpack', options: { splitCount: 4 } }]);
    expect(rs.cluster.pools.map((p) => p.count)).toEqual([4, 8]);
    expect(rs.plan).toBeUndefined();
    expect(parseScenario(rs).ok).toBe(true);
  });

  it('demand scale multiplies rates and counts; a trace replays as recorded', () => {
    const s = smallMixed();
    const scaled = s.workloads.map((w) => scaleDemand(w, 2));
    const inf = scaled.find((w) => w.kind === 'inference')!;
    const orig = s.workloads.find((w) => w.kind === 'inference')!;
    if (inf.kind !== 'inference' || orig.kind !== 'inference' || inf.demand.shape !== 'diurnal' || orig.demand.shape !== 'diurnal') throw new Error('fixture');
    expect([inf.demand.peakQps, inf.demand.troughQps, inf.maxReplicas]).toEqual([120, 12, orig.maxReplicas * 2]);
    const batch = scaled.find((w) => w.kind === 'batch')!;
    expect(batch.kind === 'batch' && batch.count).toBe(24);
    const agents = scaled.find((w) => w.kind === 'agent')!;
    expect(agents.kind === 'agent' && agents.count).toBe(12);
    const train = scaled.find((w) => w.kind === 'training')!;
    expect(train.kind === 'training' && [train.repeat, train.everyS]).toEqual([2, 0]);
    const trace = { kind: 'trace' as const, name: 't', pods: [] };
    expect(scaleDemand(trace, 3)).toBe(trace);
  });

  it('refuses a grid over its cap, naming the cap and how to raise it', () => {
    const s = smallMixed();
    const plan: PlanSpec = { ...base, scale: { factors: { from: 0.5, to: 2, step: 0.5 } }, seeds: { from: 1, to: 3000 } };
    expect(() => expandPlan(s, plan)).toThrow(PlanError);
    expect(() => expandPlan(s, plan)).toThrow('plan.maxReplicas: the grid has 12,000 replicas (1 profile settings × 4 scales × 1 demand scales × 3000 seeds), over the cap of 10,000; raise maxReplicas to run it');
    expect(expandPlan(s, { ...plan, maxReplicas: 12_000 }).replicas).toHaveLength(12_000);
  });

  it('refuses a cost target below the cheapest cluster of the grid', () => {
    const s = smallMixed();
    expect(() => expandPlan(s, { ...base, scale: { factors: [0.5, 1] }, targets: { maxCostPerHourUsd: 20 } })).toThrow(
      'plan.targets.maxCostPerHourUsd: impossible: the cheapest cluster of the grid (0.5×: 3 nodes, 16 GPUs) costs $28.80/h, above $20/h',
    );
  });

  it('refuses a scale at which the scaled scenario is invalid, naming the scale', () => {
    const s = smallMixed();
    const withPod: Scenario = { ...s, existingPods: [{ name: 'x', node: 'l4-3', cpuMilli: 1000, memMiB: 1024 }] };
    expect(() => expandPlan(withPod, { ...base, scale: { factors: [0.5, 1] } })).toThrow(/^plan\.scale\.factors: at cluster 0\.5× the scenario is not valid: existingPods\[0\]\.node: no node named "l4-3"/);
  });
});

describe('plan spec validation names the field', () => {
  it('accepts a full plan and carries it on the scenario', () => {
    const plan = { profiles: [{ profile: 'hami-binpack', options: { gpuPolicy: 'binpack' }, knob: { key: 'splitCount', values: [2, 4] } }], scale: { factors: { from: 0.5, to: 2, step: 0.25 } }, demandScale: [1, 1.5], seeds: [1, 2, 3], targets: { sloAttainmentPct: 99, p95WaitS: 30, trainingSlowdown: 2, nothingPending: true, maxCostPerHourUsd: 100 }, confidencePct: 90, maxReplicas: 500 };
    expect(smallMixed(plan).plan).toEqual(plan);
  });

  it('a share link carries the plan, and a link with a bad plan is refused naming the field', () => {
    const plan = { profiles: [{ profile: 'k8s-default' }], scale: { factors: { from: 0.5, to: 2, step: 0.25 } }, seeds: { from: 1, to: 20 }, targets: { sloAttainmentPct: 99 } };
    const s = smallMixed(plan);
    const back = decodeShareHash(encodeShareHash(s));
    expect(back.ok && back.state.scenario.plan).toEqual(plan);
    const bad = decodeShareHash(encodeShareHash({ ...s, plan: { ...plan, targets: { sloAttainmentPct: 120 } } }));
    expect(!bad.ok && bad.details.some((d) => d.startsWith('plan.targets.sloAttainmentPct: impossible'))).toBe(true);
  });

  it.each([
    [{ profiles: [], targets: { p95WaitS: 1 } }, 'plan.profiles: empty axis: name at least one profile'],
    [{ profiles: [{ profile: 'nope' }], targets: { p95WaitS: 1 } }, 'plan.profiles[0].profile: unknown profile "nope"'],
    [{ profiles: [{ profile: 'hami-binpack' }, { profile: 'hami-binpack' }], targets: { p95WaitS: 1 } }, 'plan.profiles[1].profile: hami-binpack is listed twice'],
    [{ profiles: [{ profile: 'hami-binpack', knob: { key: 'splitCount', values: [] } }], targets: { p95WaitS: 1 } }, 'plan.profiles[0].knob.values: empty axis'],
    [{ profiles: [{ profile: 'hami-binpack', knob: { key: 'splitCount', values: [4, 0] } }], targets: { p95WaitS: 1 } }, 'plan.profiles[0].knob.values[1]: must be between 1 and 100'],
    [{ profiles: [{ profile: 'k8s-default', knob: { key: 'splitCount', values: [4] } }], targets: { p95WaitS: 1 } }, 'plan.profiles[0].knob.key: k8s-default has no knob "splitCount"'],
    [{ profiles: [{ profile: 'k8s-default' }], scale: { factors: [] }, targets: { p95WaitS: 1 } }, 'plan.scale.factors: empty axis'],
    [{ profiles: [{ profile: 'k8s-default' }], scale: { factors: { from: 2, to: 1, step: 0.5 } }, targets: { p95WaitS: 1 } }, 'plan.scale.factors: empty axis: to (1) is below from (2)'],
    [{ profiles: [{ profile: 'k8s-default' }], scale: { poolCounts: { gpu: [1] } }, targets: { p95WaitS: 1 } }, 'plan.scale.poolCounts.gpu: no pool named "gpu" (pools: h100, l4)'],
    [{ profiles: [{ profile: 'k8s-default' }], demandScale: [], targets: { p95WaitS: 1 } }, 'plan.demandScale: empty axis'],
    [{ profiles: [{ profile: 'k8s-default' }], seeds: { from: 5, to: 1 }, targets: { p95WaitS: 1 } }, 'plan.seeds: empty axis: to (1) is below from (5)'],
    [{ profiles: [{ profile: 'k8s-default' }], targets: { sloAttainmentPct: 101 } }, 'plan.targets.sloAttainmentPct: impossible: attainment is a share between 0 and 100 %, got 101'],
    [{ profiles: [{ profile: 'k8s-default' }], targets: { trainingSlowdown: 0.5 } }, 'plan.targets.trainingSlowdown: impossible'],
    [{ profiles: [{ profile: 'k8s-default' }], targets: { p95WaitS: -1 } }, 'plan.targets.p95WaitS: impossible: a wait cannot be negative'],
    [{ profiles: [{ profile: 'k8s-default' }], targets: {} }, 'plan.targets: set at least one target'],
    [{ profiles: [{ profile: 'k8s-default' }], targets: { p95WaitS: 1 }, maxReplicas: 0 }, 'plan.maxReplicas: must be an integer between 1 and 1,000,000'],
    [{ profiles: [{ profile: 'k8s-default' }], targets: { p95WaitS: 1 }, extra: 1 }, 'plan.extra: unknown field'],
  ])('%j → %s', (plan, message) => {
    const errors = errorsOf(plan);
    expect(errors.some((e) => e.startsWith(message)), errors.join('\n')).toBe(true);
  });
});
