/**
 * A plan's replica rows: the numbers one replica reports, which targets it meets, its digest, and the CSV of all
 * rows. Pure (the replica runner, src/sim/planReplica.ts, fills the metrics from a run's summary).
 */
import { TraceHasher } from '../core/hash.ts';
import type { PlanTargets } from '../scenario/types.ts';

/** The run's numbers the targets and charts read (from the run's Summary; formulas in src/sim/metrics.ts). */
export interface PlanMetrics {
  /** Inference SLO attainment over the run, % (100 without inference). */
  sloAttainmentPct: number;
  /** 95th-percentile wait of every bind, seconds. */
  p95WaitS: number;
  meanWaitS: number;
  /** Mean slowdown of completed training jobs (0 when none completed). */
  trainingSlowdown: number;
  trainingJobs: number;
  trainingCompleted: number;
  podsPendingAtEnd: number;
  /** Time-average GPU allocation and utilization, %. */
  allocationPct: number;
  utilizationPct: number;
  gpusInUseAvg: number;
  /** Cost per useful GPU-hour, USD (−1 when nothing useful ran). */
  costPerUsefulGpuHourUsd: number;
}

/** The series a row may carry for the band charts (downsampled metric samples). */
export const PLAN_SERIES_METRICS = ['allocationPct', 'utilizationPct', 'pending', 'sloAttainmentPct', 'gpusInUse'] as const;
export type PlanSeriesMetric = (typeof PLAN_SERIES_METRICS)[number];

/** A replica's time series: sample times and one array per metric, all the same length. */
export interface PlanSeries {
  tS: number[];
  values: Record<PlanSeriesMetric, number[]>;
}

/** One replica's row (the CLI's `rows[]`, the CSV's lines, what a worker posts back). */
export interface PlanRow extends PlanMetrics {
  /** Grid index and stable id (PlanReplica). */
  index: number;
  id: string;
  profile: string;
  /** The swept knob `key=value`, or '' when the profile sweeps none. */
  knob: string;
  /** The scale point's x (factor, or nodes over the scenario's nodes) and its label. */
  scale: number;
  scaleLabel: string;
  demandScale: number;
  seed: number;
  nodes: number;
  gpus: number;
  /** The cluster's price, USD per hour. */
  costPerHour: number;
  /** Every target met. */
  meets: boolean;
  /** The targets this replica missed, by name (PlanTargets keys), in a fixed order. */
  missed: string[];
  traceHash: string;
  /** Hash of every other field (series included): equal rows, equal digests, whatever engine or worker ran them. */
  digest: string;
  series?: PlanSeries;
}

/** The target names, in the order `missed` lists them. */
export const TARGET_KEYS = ['sloAttainmentPct', 'p95WaitS', 'trainingSlowdown', 'nothingPending', 'maxCostPerHourUsd'] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];

/** The targets a replica misses (empty: it meets them all); an absent target is never missed. */
export function missedTargets(m: PlanMetrics, costPerHour: number, t: PlanTargets): TargetKey[] {
  const out: TargetKey[] = [];
  if (t.sloAttainmentPct !== undefined && !(m.sloAttainmentPct >= t.sloAttainmentPct)) out.push('sloAttainmentPct');
  if (t.p95WaitS !== undefined && !(m.p95WaitS <= t.p95WaitS)) out.push('p95WaitS');
  // Jobs that arrived and never finished have no slowdown to average: unmet rather than vacuously met.
  if (t.trainingSlowdown !== undefined && m.trainingJobs > 0 && (m.trainingCompleted === 0 || !(m.trainingSlowdown <= t.trainingSlowdown))) out.push('trainingSlowdown');
  if (t.nothingPending === true && m.podsPendingAtEnd > 0) out.push('nothingPending');
  if (t.maxCostPerHourUsd !== undefined && !(costPerHour <= t.maxCostPerHourUsd)) out.push('maxCostPerHourUsd');
  return out;
}

/** JSON with object keys sorted at every level (undefined fields left out), so equal values print equally. */
export function canonicalText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalText(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A row's digest: 16 hex digits over the canonical text of every field but `digest`. */
export function rowDigest(row: Omit<PlanRow, 'digest'> & { digest?: string }): string {
  const { digest: _d, ...rest } = row;
  return new TraceHasher().add(canonicalText(rest)).digest();
}

/** The CSV columns, in order (a row's series stays out of the CSV). */
export const CSV_COLUMNS = [
  'index', 'id', 'profile', 'knob', 'scale', 'scaleLabel', 'demandScale', 'seed', 'nodes', 'gpus', 'costPerHour', 'meets', 'missed',
  'sloAttainmentPct', 'p95WaitS', 'meanWaitS', 'trainingSlowdown', 'trainingJobs', 'trainingCompleted', 'podsPendingAtEnd',
  'allocationPct', 'utilizationPct', 'gpusInUseAvg', 'costPerUsefulGpuHourUsd', 'traceHash', 'digest',
] as const;

/**
 * One CSV cell (RFC 4180 quoting). A text cell that a spreadsheet would read as a formula (starting with = + - @,
 * tab or carriage return) gets a leading apostrophe (OWASP's CSV-injection advice); numbers stay numbers.
 */
export function csvCell(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = Array.isArray(v) ? v.join(' ') : v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every row as CSV: a header line, then one line per row in the given order, each line ended by \n. */
export function planCsv(rows: readonly PlanRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return lines.join('\n') + '\n';
}
