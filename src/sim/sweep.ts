/**
 * Sweeps: many independent runs of one scenario (seeds × profiles × knob values), each a replica with its own
 * seed, summarized per group with mean and spread. The app uses the same grid for confidence bands.
 */
import { getProfile } from '../sched/profiles/index.ts';
import type { Scenario } from '../scenario/types.ts';
import { simulate, type SimResult } from './simulation.ts';

/** One point of the grid. */
export interface Replica {
  profile: string;
  options: Record<string, unknown>;
  seed: number;
  /** Group key: profile plus knob values (seeds of one group are averaged). */
  group: string;
}

export interface SweepGrid {
  profiles: string[];
  seeds: number[];
  /** Knob name → values; applied to the profiles that have that knob. */
  knobs: Record<string, unknown[]>;
}

/** Every (profile, knob combination, seed), in a fixed order. */
export function expandGrid(grid: SweepGrid): Replica[] {
  const out: Replica[] = [];
  for (const profile of grid.profiles) {
    const def = getProfile(profile);
    if (!def) throw new Error(`unknown scheduler profile: ${profile}`);
    const keys = Object.keys(grid.knobs).filter((k) => def.knobs.some((x) => x.key === k)).sort();
    let combos: Record<string, unknown>[] = [{}];
    for (const k of keys) combos = combos.flatMap((c) => grid.knobs[k].map((v) => ({ ...c, [k]: v })));
    for (const options of combos) {
      const group = keys.length ? `${profile} ${keys.map((k) => `${k}=${String(options[k])}`).join(' ')}` : profile;
      for (const seed of grid.seeds) out.push({ profile, options, seed, group });
    }
  }
  return out;
}

/** The numbers a sweep reports per replica. */
export interface ReplicaRow {
  group: string;
  profile: string;
  options: Record<string, unknown>;
  seed: number;
  allocationPct: number;
  utilizationPct: number;
  gpusInUseAvg: number;
  fragmentedGpusAvg: number;
  meanWaitS: number;
  sloAttainmentPct: number;
  trainingCompleted: number;
  costPerUsefulGpuHourUsd: number;
  traceHash: string;
}

/** Mean and sample standard deviation, min and max. */
export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

/** Spread of a list of numbers (sd = 0 for one value). */
export function spread(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) return { mean: 0, sd: 0, min: 0, max: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

/** Runs one replica of a scenario on the CPU engine. */
export function runReplica(scenario: Scenario, r: Replica): ReplicaRow {
  return replicaRow(r, simulate(replicaScenario(scenario, r), { seed: r.seed }));
}

/** The scenario a replica runs: the base scenario with the replica's profile and options as its one scheduler. */
export function replicaScenario(scenario: Scenario, r: Replica): Scenario {
  return { ...scenario, schedulers: [{ profile: r.profile, options: r.options }] };
}

/** A replica's row from its run's result (also used by the engine-backed sweep, which runs it asynchronously). */
export function replicaRow(r: Replica, res: SimResult): ReplicaRow {
  const s = res.summary;
  return {
    group: r.group,
    profile: r.profile,
    options: r.options,
    seed: r.seed,
    allocationPct: s.allocationPct,
    utilizationPct: s.utilizationPct,
    gpusInUseAvg: s.gpusInUseAvg,
    fragmentedGpusAvg: s.fragmentedGpusAvg,
    meanWaitS: s.meanWaitS,
    sloAttainmentPct: s.inference.sloAttainmentPct,
    trainingCompleted: s.training.completed,
    costPerUsefulGpuHourUsd: s.cost.costPerUsefulGpuHourUsd,
    traceHash: res.traceHash,
  };
}

/** Per-group spreads of the numeric columns, in first-seen group order. */
export function summarize<T extends { group: string }>(rows: readonly T[], columns: readonly (keyof T)[]): { group: string; n: number; stats: Record<string, Spread> }[] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const list = groups.get(r.group) ?? [];
    list.push(r);
    groups.set(r.group, list);
  }
  return [...groups].map(([group, list]) => ({
    group,
    n: list.length,
    stats: Object.fromEntries(columns.map((c) => [String(c), spread(list.map((r) => Number(r[c])))])),
  }));
}

/** Parses `42..51` or `1,2,3` or `7` into seeds. */
export function parseSeeds(text: string): number[] | null {
  const range = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a || b - a > 10_000) return null;
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) return null;
  return parts.map(Number);
}
