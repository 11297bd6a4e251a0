/**
 * The plan's answer and its statistics, from the rows finished so far: per (profile, knob, scale, demand) cell the
 * seeds that met every target; per profile the smallest cluster meeting them in ≥ confidencePct % of seeds, its
 * price and the saving against k8s-default; bands (mean and a 95 % confidence interval over seeds) per cell and per
 * time sample. Pure, and cheap enough to recompute after every finished replica.
 */
import type { PlanGrid, ScalePoint } from './grid.ts';
import { TARGET_KEYS, type PlanRow, type PlanSeriesMetric, type TargetKey } from './rows.ts';

/** The profile every saving is measured against. */
export const BASELINE_PROFILE = 'k8s-default';

/**
 * Whether a cell meets the targets: `meets` when enough of its seeds met every target that the rest cannot undo it,
 * `fails` when too many missed for the rest to save it, `open` while neither is settled (replicas still running).
 */
export type CellStatus = 'meets' | 'fails' | 'open';

/** One (profile, knob value, scale, demand scale) cell: its seeds' outcome. */
export interface PlanCell {
  profile: string;
  knob: string;
  scaleIndex: number;
  demandScale: number;
  /** Seeds in the grid, seeds finished, and those of them meeting every target. */
  seedsTotal: number;
  seedsRun: number;
  seedsMeeting: number;
  status: CellStatus;
  /** Per target, the finished seeds that missed it. */
  missedBy: Record<TargetKey, number>;
  /** The target missed by the most finished seeds (the heatmap's colour), or null when none was missed. */
  bindingTarget: TargetKey | null;
}

/** One entry of the answer: a profile at a demand scale (`slicebench plan --json`'s `answer[]`). */
export interface PlanAnswer {
  profile: string;
  demandScale: number;
  /** True when some scale of the grid meets every target in ≥ confidencePct % of seeds. */
  meets: boolean;
  /** The smallest such cluster (null when none): its scale x, label, nodes, GPUs, USD per hour and knob value. */
  scale: number | null;
  scaleLabel: string | null;
  nodes: number | null;
  gpus: number | null;
  costPerHour: number | null;
  knob: string | null;
  /** Seeds of that cell meeting the targets, and seeds run in it. */
  seedsMeeting: number;
  seedsRun: number;
  /** Price change against k8s-default's answer, %: negative is cheaper; null when either meets nothing or k8s-default is not in the plan. */
  savingPct: number | null;
  /** The saving in words: `−36 %`, `+12 %`, `baseline`, `k8s-default meets no scale`, or ''. */
  savingText: string;
  /** False while a cheaper cell, or the chosen one, is still open: the answer may change as replicas finish. */
  final: boolean;
  /** When nothing meets: the target the largest cluster missed most (null otherwise). */
  bindingTarget: TargetKey | null;
}

const cellKey = (profile: string, knob: string, scaleIndex: number, demandScale: number): string => `${profile}\u0000${knob}\u0000${scaleIndex}\u0000${demandScale}`;

/** Every cell of the grid (grid order), with the outcome of the rows given (any subset, any order). */
export function planCells(grid: PlanGrid, rows: readonly PlanRow[]): PlanCell[] {
  const cells = new Map<string, PlanCell>();
  const need = Math.ceil((grid.confidencePct / 100) * grid.seeds.length - 1e-9);
  for (const r of grid.replicas) {
    const knob = r.knob ? `${r.knob.key}=${String(r.knob.value)}` : '';
    const key = cellKey(r.profile, knob, r.scaleIndex, r.demandScale);
    if (!cells.has(key)) {
      const missedBy = Object.fromEntries(TARGET_KEYS.map((k) => [k, 0])) as Record<TargetKey, number>;
      cells.set(key, { profile: r.profile, knob, scaleIndex: r.scaleIndex, demandScale: r.demandScale, seedsTotal: 0, seedsRun: 0, seedsMeeting: 0, status: 'open', missedBy, bindingTarget: null });
    }
    cells.get(key)!.seedsTotal++;
  }
  const byLabel = new Map(grid.scales.map((s) => [s.label, s.index]));
  for (const row of rows) {
    const cell = cells.get(cellKey(row.profile, row.knob, byLabel.get(row.scaleLabel) ?? -1, row.demandScale));
    if (!cell) continue;
    cell.seedsRun++;
    if (row.meets) cell.seedsMeeting++;
    for (const t of row.missed) if (t in cell.missedBy) cell.missedBy[t as TargetKey]++;
  }
  for (const c of cells.values()) {
    const missing = c.seedsRun - c.seedsMeeting;
    c.status = c.seedsMeeting >= need ? 'meets' : missing > c.seedsTotal - need ? 'fails' : 'open';
    let best: TargetKey | null = null;
    for (const t of TARGET_KEYS) if (c.missedBy[t] > 0 && (best === null || c.missedBy[t] > c.missedBy[best])) best = t;
    c.bindingTarget = best;
  }
  return [...cells.values()];
}

/** Scale points from the smallest cluster up: by price, then GPUs, then nodes, then the plan's order. */
export function scalesSmallestFirst(scales: readonly ScalePoint[]): ScalePoint[] {
  return [...scales].sort((a, b) => a.costPerHourUsd - b.costPerHourUsd || a.gpus - b.gpus || a.nodes - b.nodes || a.index - b.index);
}

/**
 * The answer: for each profile (plan order) and demand scale, the smallest cluster whose cell meets every target in
 * ≥ confidencePct % of seeds (over all knob values: the first in the plan's order at equal size), and the saving
 * against k8s-default at the same demand. Works on partial rows: an open cell is taken as meeting when the seeds
 * run so far do, and the entry says `final: false`.
 */
export function planAnswer(grid: PlanGrid, rows: readonly PlanRow[]): PlanAnswer[] {
  const cells = planCells(grid, rows);
  const order = scalesSmallestFirst(grid.scales);
  const out: PlanAnswer[] = [];
  for (const profile of grid.profiles) {
    for (const demandScale of grid.demandScales) {
      const mine = cells.filter((c) => c.profile === profile && c.demandScale === demandScale);
      let chosen: PlanCell | null = null;
      let final = true;
      for (const sc of order) {
        for (const c of mine.filter((x) => x.scaleIndex === sc.index)) {
          const soFar = c.status === 'meets' || (c.status === 'open' && c.seedsRun > 0 && (c.seedsMeeting / c.seedsRun) * 100 >= grid.confidencePct);
          if (c.status === 'open') final = false;
          if (soFar) {
            chosen = c;
            break;
          }
        }
        if (chosen) break;
      }
      const sc = chosen ? grid.scales[chosen.scaleIndex] : null;
      const largest = order[order.length - 1];
      const binding = chosen ? null : (mine.find((c) => c.scaleIndex === largest.index)?.bindingTarget ?? null);
      out.push({
        profile,
        demandScale,
        meets: chosen !== null,
        scale: sc?.scale ?? null,
        scaleLabel: sc?.label ?? null,
        nodes: sc?.nodes ?? null,
        gpus: sc?.gpus ?? null,
        costPerHour: sc?.costPerHourUsd ?? null,
        knob: chosen ? chosen.knob : null,
        seedsMeeting: chosen?.seedsMeeting ?? 0,
        seedsRun: chosen?.seedsRun ?? 0,
        savingPct: null,
        savingText: '',
        final,
        bindingTarget: binding,
      });
    }
  }
  for (const a of out) {
    const base = out.find((b) => b.profile === BASELINE_PROFILE && b.demandScale === a.demandScale);
    if (!base) continue;
    if (a === base) a.savingText = 'baseline';
    else if (!base.meets) a.savingText = `${BASELINE_PROFILE} meets no scale`;
    else if (a.meets && base.costPerHour! > 0) {
      a.savingPct = ((a.costPerHour! - base.costPerHour!) / base.costPerHour!) * 100;
      a.savingText = savingWords(a.savingPct);
    }
  }
  return out;
}

/** A saving in words, whole percent with a true minus sign: `−36 %`, `+12 %`, `±0 %`. */
export function savingWords(pct: number): string {
  const n = Math.round(pct);
  return n === 0 ? '±0 %' : `${n < 0 ? '\u2212' : '+'}${Math.abs(n)} %`;
}

/** Student's t for a two-sided 95 % interval, by degrees of freedom 1..30. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t(0.975, df), the table value at the next lower tabulated df beyond 30 (a slightly wider, safe interval). */
export function t95(df: number): number {
  if (df <= 30) return T95[df - 1];
  if (df < 40) return 2.042;
  if (df < 60) return 2.021;
  if (df < 120) return 2.0;
  return 1.98;
}

/** Mean and 95 % confidence interval of the mean (Student's t, sample sd); one value gives lo = hi = mean. */
export interface Band {
  n: number;
  mean: number;
  lo: number;
  hi: number;
}

/** The band of a list of numbers (NaN-free input expected; an empty list gives n = 0 and NaNs). */
export function band(values: readonly number[]): Band {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, lo: NaN, hi: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, lo: mean, hi: mean };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1));
  const half = (t95(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, lo: mean - half, hi: mean + half };
}

/** A numeric column of PlanRow a band can be drawn of. */
export type BandMetric = 'sloAttainmentPct' | 'p95WaitS' | 'meanWaitS' | 'trainingSlowdown' | 'podsPendingAtEnd' | 'allocationPct' | 'utilizationPct' | 'gpusInUseAvg' | 'costPerUsefulGpuHourUsd';

/** Rows grouped by (profile, knob, demand, scale), the groups in grid order of their first row. */
function bandGroups(rows: readonly PlanRow[]): PlanRow[][] {
  const groups = new Map<string, { first: number; rows: PlanRow[] }>();
  for (const r of rows) {
    const k = `${r.profile}\u0000${r.knob}\u0000${r.demandScale}\u0000${r.scaleLabel}`;
    const g = groups.get(k) ?? { first: r.index, rows: [] };
    g.first = Math.min(g.first, r.index);
    g.rows.push(r);
    groups.set(k, g);
  }
  return [...groups.values()].sort((a, b) => a.first - b.first).map((g) => g.rows);
}

/** A metric-vs-scale point of one (profile, knob, demand) curve. */
export interface ScaleBand extends Band {
  profile: string;
  knob: string;
  demandScale: number;
  scale: number;
  scaleLabel: string;
}

/** Bands of a metric over seeds, one per (profile, knob, demand, scale), in grid order of their first row. */
export function scaleBands(rows: readonly PlanRow[], metric: BandMetric): ScaleBand[] {
  return bandGroups(rows).map((list) => {
    const r = list[0];
    return { profile: r.profile, knob: r.knob, demandScale: r.demandScale, scale: r.scale, scaleLabel: r.scaleLabel, ...band(list.map((x) => x[metric])) };
  });
}

/** A time-series band of one (profile, knob, demand, scale) group: per sample time, mean and interval over seeds. */
export interface SeriesBand {
  profile: string;
  knob: string;
  demandScale: number;
  scaleLabel: string;
  n: number;
  tS: number[];
  mean: number[];
  lo: number[];
  hi: number[];
}

/** Time-series bands of a metric over the rows that carry series (same sample times within a group), grid order. */
export function seriesBands(rows: readonly PlanRow[], metric: PlanSeriesMetric): SeriesBand[] {
  return bandGroups(rows.filter((r) => r.series)).map((list) => {
    const r = list[0];
    const len = Math.min(...list.map((x) => x.series!.tS.length));
    const mean: number[] = [];
    const lo: number[] = [];
    const hi: number[] = [];
    for (let i = 0; i < len; i++) {
      const b = band(list.map((x) => x.series!.values[metric][i]));
      mean.push(b.mean);
      lo.push(b.lo);
      hi.push(b.hi);
    }
    return { profile: r.profile, knob: r.knob, demandScale: r.demandScale, scaleLabel: r.scaleLabel, n: list.length, tS: r.series!.tS.slice(0, len), mean, lo, hi };
  });
}
