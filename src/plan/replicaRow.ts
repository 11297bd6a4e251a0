/**
 * A replica's row from its run's numbers: the grid's scale point and knob, the targets it missed, the optional
 * downsampled series, and the digest. Pure: the CPU runner (src/sim/planReplica.ts), the lockstep path and a
 * browser worker all build rows here, so their rows are equal field for field.
 */
import type { PlanGrid, PlanReplica } from './grid.ts';
import { missedTargets, PLAN_SERIES_METRICS, rowDigest, type PlanMetrics, type PlanRow, type PlanSeries, type PlanSeriesMetric } from './rows.ts';

/** Points a row's series keeps by default (enough for a chart 1280 px wide, small enough for 10,000 rows). */
export const DEFAULT_SERIES_POINTS = 120;

/** One metric sample as the simulator records it (the fields the band charts read). */
export type SeriesSample = { tS: number } & Record<PlanSeriesMetric, number>;

/**
 * At most `maxPoints` of the samples, evenly spaced by index (first and last kept): sample i·(n−1)/(k−1), rounded
 * down. Every replica of one scenario has the same sample times, so the kept times line up across seeds.
 */
export function downsampleSeries(samples: readonly SeriesSample[], maxPoints = DEFAULT_SERIES_POINTS): PlanSeries {
  const n = samples.length;
  const k = Math.min(n, Math.max(2, maxPoints));
  const picks = n <= k ? samples : Array.from({ length: k }, (_, i) => samples[Math.floor((i * (n - 1)) / (k - 1))]);
  const values = Object.fromEntries(PLAN_SERIES_METRICS.map((m) => [m, picks.map((s) => s[m])])) as Record<PlanSeriesMetric, number[]>;
  return { tS: picks.map((s) => s.tS), values };
}

/** The row of replica `r` of `grid` from its run's metrics and trace hash (and series, when kept). */
export function planRowOf(grid: PlanGrid, r: PlanReplica, metrics: PlanMetrics, traceHash: string, series?: PlanSeries): PlanRow {
  const sc = grid.scales[r.scaleIndex];
  const missed = missedTargets(metrics, sc.costPerHourUsd, grid.targets);
  const row: Omit<PlanRow, 'digest'> = {
    index: r.index,
    id: r.id,
    profile: r.profile,
    knob: r.knob ? `${r.knob.key}=${String(r.knob.value)}` : '',
    scale: sc.scale,
    scaleLabel: sc.label,
    demandScale: r.demandScale,
    seed: r.seed,
    nodes: sc.nodes,
    gpus: sc.gpus,
    costPerHour: sc.costPerHourUsd,
    meets: missed.length === 0,
    missed,
    ...metrics,
    traceHash,
    ...(series ? { series } : {}),
  };
  return { ...row, digest: rowDigest(row) };
}
