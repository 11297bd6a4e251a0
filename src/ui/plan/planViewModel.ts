/**
 * What the planner's components draw, from the planner module's answers (src/plan/: answer, cells, bands; never
 * recomputed here): answer lines, metric-vs-scale curves, heatmap cells and time-series bands, filtered to the
 * demand scale on screen, one colour per profile; and the plan a scenario starts with when it has none.
 * Pure and unit-tested (test/ui/planViewModel.test.ts).
 */
import type { PlanSpec, Scenario } from '../../scenario/types.ts';
import type { PlanAnswer, PlanCell, PlanGrid, ScaleBand, SeriesBand } from '../../plan/index.ts';
import type { AnswerLine } from './AnswerCard.tsx';
import type { BandSeries } from './BandChart.tsx';
import type { HeatCell } from './PlanHeatmap.tsx';
import { planColor } from './planColors.ts';

/** Short words for the targets (the heatmap's cell labels and the answer's binding target). */
export const TARGET_WORDS: Readonly<Record<string, string>> = {
  sloAttainmentPct: 'SLO',
  p95WaitS: 'p95 wait',
  trainingSlowdown: 'slowdown',
  nothingPending: 'pending',
  maxCostPerHourUsd: 'cost',
};

/** A curve's label: the profile, and its knob value when it sweeps one. */
export function groupLabel(profile: string, knob: string): string {
  return knob ? `${profile} ${knob}` : profile;
}

/** The answer card's lines at one demand scale (all demand scales when `demand` is null). */
export function answerLines(answers: readonly PlanAnswer[], demand: number | null, multiDemand: boolean): AnswerLine[] {
  return answers
    .filter((a) => demand === null || a.demandScale === demand)
    .map((a) => ({
      profile: a.profile,
      scaleLabel: a.meets ? a.scaleLabel : null,
      nodes: a.nodes,
      gpus: a.gpus,
      costPerHourUsd: a.costPerHour,
      savingText: a.savingText,
      knob: a.knob ?? '',
      demand: multiDemand ? `${a.demandScale}×` : null,
      final: a.final,
      seeds: a.seedsRun,
      binding: a.bindingTarget ? (TARGET_WORDS[a.bindingTarget] ?? a.bindingTarget) : null,
    }));
}

/** Metric-vs-scale curves with bands: one per (profile, knob) at the demand scale on screen. */
export function scaleCurves(bands: readonly ScaleBand[], demand: number): BandSeries[] {
  const out = new Map<string, BandSeries & { points: { x: number; mean: number; lo: number; hi: number }[] }>();
  for (const b of bands) {
    if (b.demandScale !== demand) continue;
    const label = groupLabel(b.profile, b.knob);
    const s = out.get(label) ?? { label, color: planColor(b.profile), points: [] };
    s.points.push({ x: b.scale, mean: b.mean, lo: b.lo, hi: b.hi });
    out.set(label, s);
  }
  for (const s of out.values()) s.points.sort((a, b) => a.x - b.x);
  return [...out.values()];
}

/** Heatmap rows (one per profile and knob value, plan order) and cells at the demand scale on screen (cells with finished seeds only). */
export function heatmap(cells: readonly PlanCell[], demand: number): { rows: string[]; cells: HeatCell[] } {
  const rows: string[] = [];
  const out: HeatCell[] = [];
  for (const c of cells) {
    if (c.demandScale !== demand) continue;
    const row = groupLabel(c.profile, c.knob);
    if (!rows.includes(row)) rows.push(row);
    if (c.seedsRun === 0) continue;
    out.push({ row, col: c.scaleIndex, seeds: c.seedsRun, metPct: (c.seedsMeeting / c.seedsRun) * 100, binding: c.bindingTarget ? (TARGET_WORDS[c.bindingTarget] ?? c.bindingTarget) : null });
  }
  return { rows, cells: out };
}

/** Time-series bands of the scale and demand on screen, x in hours. */
export function timeCurves(bands: readonly SeriesBand[], scaleLabel: string, demand: number): BandSeries[] {
  return bands
    .filter((b) => b.scaleLabel === scaleLabel && b.demandScale === demand)
    .map((b) => ({ label: `${groupLabel(b.profile, b.knob)} (${b.n} seeds)`, color: planColor(b.profile), points: b.tS.map((t, i) => ({ x: t / 3600, mean: b.mean[i], lo: b.lo[i], hi: b.hi[i] })) }));
}

/** The scale label of a heatmap column. */
export function scaleLabelOf(grid: PlanGrid, index: number): string {
  return grid.scales[index]?.label ?? String(index);
}

/**
 * The plan a scenario without one starts from: its schedulers, the cluster from half to twice its size in quarter
 * steps, five seeds, nothing pending at the end and, with inference, 99 % SLO attainment. Only the user's first
 * edit or Run makes it the scenario's plan.
 */
export function defaultPlan(s: Scenario): PlanSpec {
  const seen = new Set<string>();
  const profiles = s.schedulers
    .filter((x) => !seen.has(x.profile) && seen.add(x.profile))
    .map((x) => (x.options && Object.keys(x.options).length ? { profile: x.profile, options: { ...x.options } } : { profile: x.profile }));
  const inference = s.workloads.some((w) => w.kind === 'inference');
  return {
    profiles,
    scale: { factors: { from: 0.5, to: 2, step: 0.25 } },
    seeds: { from: 1, to: 5 },
    targets: { ...(inference ? { sloAttainmentPct: 99 } : {}), nothingPending: true },
  };
}
