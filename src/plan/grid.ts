/**
 * A capacity plan's grid: its axes (profiles with one knob each, cluster scales, demand scales, seeds) expanded into
 * replicas in a fixed order with stable ids, and the scenario each replica runs. Pure: no simulator here, so the
 * UI's lazily loaded planner chunk can expand and answer a plan while workers run the replicas.
 */
import { resolveCatalog } from '../scenario/gpuCatalog.ts';
import { DEFAULT_CONFIDENCE_PCT, DEFAULT_PLAN_CAP, planScaleFactors, planSeeds } from '../scenario/planSpec.ts';
import type { PlanSpec, PlanTargets, Scenario, WorkloadSpec } from '../scenario/types.ts';
import { MAX_INFERENCE_REPLICAS, parseScenario } from '../scenario/validate.ts';

/** A plan that cannot run as given: the message names the field (`plan.maxReplicas: …`). */
export class PlanError extends Error {
  override name = 'PlanError';
  /** The JSON path of the field at fault, e.g. `plan.maxReplicas`. */
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** One cluster size of the grid: node counts per pool, and what that cluster is and costs. */
export interface ScalePoint {
  /** Position on the scale axis (as the plan lists it). */
  index: number;
  /** The multiplier on every pool's count, or null when the plan gives explicit pool counts. */
  factor: number | null;
  /** The factor, or (pool counts) total nodes over the scenario's nodes, 4 decimals: the x of metric-vs-scale charts. */
  scale: number;
  /** Short words: `1.25×` or `a100=4 h100=2`. */
  label: string;
  /** Node count per pool, in the scenario's pool order. */
  pools: Record<string, number>;
  nodes: number;
  gpus: number;
  /** Σ pools nodes · GPUs per node · the catalog's price per GPU-hour (CPU-only nodes cost nothing here), USD/h. */
  costPerHourUsd: number;
}

/** A knob value a replica runs with, or null when its profile sweeps none. */
export type KnobSetting = { key: string; value: unknown } | null;

/** One replica of the grid: a (profile, knob value, scale, demand scale, seed) point. */
export interface PlanReplica {
  /** Grid index (the order runners report in and rows are sorted by). */
  index: number;
  /** Stable id from the axes' values, e.g. `hami|splitCount=4|1.25×|d1|s7`; equal plans give equal ids. */
  id: string;
  profile: string;
  /** The profile's fixed options with the knob value applied. */
  options: Record<string, unknown>;
  knob: KnobSetting;
  /** Index into PlanGrid.scales. */
  scaleIndex: number;
  demandScale: number;
  seed: number;
}

/** A plan expanded: its axes' values and every replica, in order (profile → knob value → scale → demand → seed). */
export interface PlanGrid {
  plan: PlanSpec;
  profiles: string[];
  scales: ScalePoint[];
  demandScales: number[];
  seeds: number[];
  targets: PlanTargets;
  confidencePct: number;
  cap: number;
  replicas: PlanReplica[];
}

/** How many replicas a plan has, without expanding it (for "this grid has N replicas; run it?"). */
export function planSize(scenario: Scenario, plan: PlanSpec): number {
  const knobs = plan.profiles.reduce((a, p) => a + (p.knob ? p.knob.values.length : 1), 0);
  return knobs * scalePoints(scenario, plan).length * (plan.demandScale?.length ?? 1) * planSeeds(plan, scenario.sim.seed).length;
}

/**
 * Expands a plan (default: the scenario's own `plan`) into its grid. Throws a PlanError naming the field when the
 * grid is over the plan's cap (`maxReplicas`, default 10,000: the caller asks the user, then raises it), an axis is
 * empty, the cost target is below the cheapest cluster of the grid, or a scaled scenario is invalid. Expects a plan
 * that passed validation (parseScenario).
 */
export function expandPlan(scenario: Scenario, plan: PlanSpec | undefined = scenario.plan): PlanGrid {
  if (!plan) throw new PlanError('plan', 'the scenario has no plan');
  if (plan.profiles.length === 0) throw new PlanError('plan.profiles', 'empty axis: name at least one profile');
  const scales = scalePoints(scenario, plan);
  if (scales.length === 0) throw new PlanError('plan.scale', 'empty axis: no cluster scale to try');
  const demandScales = plan.demandScale ?? [1];
  if (demandScales.length === 0) throw new PlanError('plan.demandScale', 'empty axis: list at least one value');
  const seeds = planSeeds(plan, scenario.sim.seed);
  if (seeds.length === 0) throw new PlanError('plan.seeds', 'empty axis: list at least one seed');
  for (const [i, p] of plan.profiles.entries()) if (p.knob && p.knob.values.length === 0) throw new PlanError(`plan.profiles[${i}].knob.values`, 'empty axis: list at least one value');
  const cap = plan.maxReplicas ?? DEFAULT_PLAN_CAP;
  const size = planSize(scenario, plan);
  if (size > cap) {
    const knobs = plan.profiles.reduce((a, p) => a + (p.knob ? p.knob.values.length : 1), 0);
    throw new PlanError('plan.maxReplicas', `the grid has ${size.toLocaleString('en-US')} replicas (${knobs} profile settings × ${scales.length} scales × ${demandScales.length} demand scales × ${seeds.length} seeds), over the cap of ${cap.toLocaleString('en-US')}; raise maxReplicas to run it`);
  }
  const maxCost = plan.targets.maxCostPerHourUsd;
  if (maxCost !== undefined) {
    const cheapest = scales.reduce((a, s) => (s.costPerHourUsd < a.costPerHourUsd ? s : a));
    if (cheapest.costPerHourUsd > maxCost) {
      throw new PlanError('plan.targets.maxCostPerHourUsd', `impossible: the cheapest cluster of the grid (${cheapest.label}: ${cheapest.nodes} nodes, ${cheapest.gpus} GPUs) costs $${cheapest.costPerHourUsd.toFixed(2)}/h, above $${maxCost}/h`);
    }
  }
  checkScaledScenarios(scenario, plan, scales, demandScales);
  const axes = { plan, profiles: plan.profiles.map((p) => p.profile), scales, demandScales, seeds, targets: plan.targets, confidencePct: plan.confidencePct ?? DEFAULT_CONFIDENCE_PCT, cap };
  return { ...axes, replicas: gridReplicas(axes) };
}

/** A grid without its replicas (what a sharded plan's rows files carry so `merge` can answer without the scenario). */
export type PlanAxes = Omit<PlanGrid, 'replicas'>;

/** The replicas of a grid's axes, in order profile → knob value → scale → demand → seed (expandPlan's). */
export function gridReplicas(axes: PlanAxes): PlanReplica[] {
  const { plan, scales, demandScales, seeds } = axes;
  const replicas: PlanReplica[] = [];
  for (const p of plan.profiles) {
    const settings: KnobSetting[] = p.knob ? p.knob.values.map((value) => ({ key: p.knob!.key, value })) : [null];
    for (const knob of settings) {
      const options = { ...(p.options ?? {}), ...(knob ? { [knob.key]: knob.value } : {}) };
      for (const sc of scales) {
        for (const demandScale of demandScales) {
          for (const seed of seeds) {
            const id = [p.profile, ...(knob ? [`${knob.key}=${String(knob.value)}`] : []), sc.label.replace(/ /g, ','), `d${demandScale}`, `s${seed}`].join('|');
            replicas.push({ index: replicas.length, id, profile: p.profile, options, knob, scaleIndex: sc.index, demandScale, seed });
          }
        }
      }
    }
  }
  return replicas;
}

/** The cluster sizes a plan tries, in the plan's order (factors as listed, or every combination of pool counts). */
export function scalePoints(scenario: Scenario, plan: PlanSpec): ScalePoint[] {
  const base = scenario.cluster.pools;
  const catalog = resolveCatalog(scenario.catalog);
  const baseNodes = base.reduce((a, p) => a + p.count, 0);
  const point = (index: number, factor: number | null, counts: number[], label: string): ScalePoint => {
    const pools: Record<string, number> = {};
    let nodes = 0;
    let gpus = 0;
    let cost = 0;
    base.forEach((p, i) => {
      pools[p.name] = counts[i];
      nodes += counts[i];
      gpus += counts[i] * p.gpusPerNode;
      cost += counts[i] * p.gpusPerNode * (p.gpusPerNode > 0 ? (catalog[p.gpuModel]?.pricePerHourUsd ?? 0) : 0);
    });
    const scale = factor ?? (baseNodes > 0 ? Math.round((nodes / baseNodes) * 1e4) / 1e4 : 0);
    return { index, factor, scale, label, pools, nodes, gpus, costPerHourUsd: Math.round(cost * 1e6) / 1e6 };
  };
  const explicit = plan.scale?.poolCounts;
  if (explicit) {
    // Every combination, the first listed pool varying slowest; pools the plan does not list keep their count.
    let combos: number[][] = [base.map((p) => p.count)];
    base.forEach((p, i) => {
      const list = explicit[p.name];
      if (list) combos = combos.flatMap((c) => list.map((n) => c.map((x, j) => (j === i ? n : x))));
    });
    return combos.map((c, k) => point(k, null, c, base.filter((p) => explicit[p.name]).map((p) => `${p.name}=${c[base.indexOf(p)]}`).join(' ')));
  }
  return planScaleFactors(plan).map((f, k) => point(k, f, base.map((p) => scaledCount(p.count, f)), `${f}×`));
}

/** A pool's node count at a factor: rounded half up, and a pool that had nodes keeps at least one. */
export function scaledCount(count: number, factor: number): number {
  return count === 0 ? 0 : Math.max(1, Math.round(count * factor));
}

/** Every scaled scenario of the grid must validate (existing pods keep their nodes, limits hold); else a PlanError naming the point. */
function checkScaledScenarios(scenario: Scenario, plan: PlanSpec, scales: readonly ScalePoint[], demandScales: readonly number[]): void {
  const profile = plan.profiles[0];
  for (const sc of scales) {
    for (const d of demandScales) {
      const s = scaledScenario(scenario, sc, d, { profile: profile.profile, options: profile.options ?? {} });
      const res = parseScenario(s);
      if (!res.ok) {
        const field = sc.factor === null ? 'plan.scale.poolCounts' : 'plan.scale.factors';
        throw new PlanError(d === 1 ? field : 'plan.demandScale', `at cluster ${sc.label}${d === 1 ? '' : `, demand ×${d}`} the scenario is not valid: ${res.errors.slice(0, 3).join('; ')}`);
      }
    }
  }
}

/** The scenario one replica runs: the grid's scale point and demand scale applied, the replica's profile as its one scheduler, no plan. */
export function replicaScenario(scenario: Scenario, grid: PlanGrid, r: PlanReplica): Scenario {
  return scaledScenario(scenario, grid.scales[r.scaleIndex], r.demandScale, { profile: r.profile, options: r.options });
}

/** A scenario at a cluster size and demand scale, with one scheduler and without its plan. */
export function scaledScenario(scenario: Scenario, sc: ScalePoint, demandScale: number, scheduler: { profile: string; options: Record<string, unknown> }): Scenario {
  const { plan: _plan, ...rest } = scenario;
  const pools = scenario.cluster.pools.map((p) => (sc.pools[p.name] === p.count ? p : { ...p, count: sc.pools[p.name] }));
  return {
    ...rest,
    cluster: { ...scenario.cluster, pools },
    workloads: demandScale === 1 ? scenario.workloads : scenario.workloads.map((w) => scaleDemand(w, demandScale)),
    schedulers: [{ profile: scheduler.profile, options: scheduler.options }],
  };
}

const scaleCount = (n: number, d: number): number => (n === 0 ? 0 : Math.max(1, Math.round(n * d)));

/**
 * One workload at a demand scale d: inference request rates × d (and, above 1, maxReplicas × d so the autoscaler may
 * follow), agent and batch counts × d, training repeats × d, Ray task rates × d (counts rounded half up, at least
 * one). A trace replays as recorded.
 */
export function scaleDemand(w: WorkloadSpec, d: number): WorkloadSpec {
  switch (w.kind) {
    case 'inference': {
      const c = w.demand;
      const demand =
        c.shape === 'flat' ? { ...c, qps: c.qps * d }
        : c.shape === 'diurnal' ? { ...c, peakQps: c.peakQps * d, troughQps: c.troughQps * d }
        : c.shape === 'spiky' ? { ...c, baseQps: c.baseQps * d, spikeQps: c.spikeQps * d }
        : { ...c, points: c.points.map((p) => ({ ...p, qps: p.qps * d })) };
      const maxReplicas = d > 1 ? Math.min(MAX_INFERENCE_REPLICAS, Math.ceil(w.maxReplicas * d)) : w.maxReplicas;
      return { ...w, demand, maxReplicas };
    }
    case 'agent':
      return { ...w, count: scaleCount(w.count, d) };
    case 'batch':
      return { ...w, count: scaleCount(w.count, d) };
    case 'training': {
      const repeat = scaleCount(w.repeat ?? 1, d);
      return { ...w, repeat, everyS: w.everyS ?? 0 };
    }
    case 'raycluster':
      return { ...w, tasksPerHour: w.tasksPerHour * d };
    case 'trace':
      return w;
  }
}
