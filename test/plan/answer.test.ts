/**
 * The plan's answer, cells, bands, rows and CSV (src/plan/) on small grids whose answers are worked out by hand in
 * the comments: which scale is the smallest meeting the targets in enough seeds, its price, the saving.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { band, csvCell, downsampleSeries, expandPlan, planAnswer, planCells, planCsv, planRowOf, rowDigest, savingWords, scaleBands, seriesBands, type PlanGrid, type PlanMetrics, type PlanRow } from '../../src/plan/index.ts';
import type { PlanSpec, Scenario } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';

function smallMixed(): Scenario {
  const r = parseScenario(JSON.parse(readFileSync(new URL('../../public/scenarios/small-mixed.json', import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

const metrics = (p95WaitS: number, extra: Partial<PlanMetrics> = {}): PlanMetrics => ({
  sloAttainmentPct: 100, p95WaitS, meanWaitS: p95WaitS / 2, trainingSlowdown: 1.2, trainingJobs: 1, trainingCompleted: 1, podsPendingAtEnd: 0,
  allocationPct: 50, utilizationPct: 40, gpusInUseAvg: 10, costPerUsefulGpuHourUsd: 3, ...extra,
});

/** Rows of `grid` whose p95 wait is waits[profile][scale label][seed index]. */
function rowsFrom(grid: PlanGrid, waits: Record<string, Record<string, number[]>>): PlanRow[] {
  return grid.replicas.flatMap((r) => {
    const w = waits[r.profile]?.[grid.scales[r.scaleIndex].label]?.[grid.seeds.indexOf(r.seed)];
    return w === undefined ? [] : [planRowOf(grid, r, metrics(w), `hash${r.index}`)];
  });
}

// Scale points of small-mixed at 0.5, 1, 1.5: $28.80, $57.60, $86.40 per hour (test/plan/grid.test.ts works them out).
const plan = (confidencePct?: number): PlanSpec => ({
  profiles: [{ profile: 'k8s-default' }, { profile: 'hami-binpack' }],
  scale: { factors: [1.5, 0.5, 1] }, // listed out of order: the answer orders by size, not by the list
  seeds: { from: 1, to: 4 },
  targets: { p95WaitS: 10 },
  ...(confidencePct ? { confidencePct } : {}),
});
const waits = {
  'k8s-default': { '0.5×': [20, 20, 20, 20], '1×': [5, 5, 5, 20], '1.5×': [5, 5, 5, 5] },
  'hami-binpack': { '0.5×': [5, 5, 5, 5], '1×': [5, 5, 5, 5], '1.5×': [1, 1, 1, 1] },
};

describe('plan answer', () => {
  it('at 95 %: every one of 4 seeds must meet (⌈3.8⌉ = 4)', () => {
    const g = expandPlan(smallMixed(), plan());
    const a = planAnswer(g, rowsFrom(g, waits));
    // k8s-default: 0.5× all miss, 1× only 3 of 4 meet, 1.5× all 4 → 1.5×: 9 nodes, 48 GPUs, $86.40.
    // hami-binpack: 0.5× all 4 → 3 nodes, 16 GPUs, $28.80; saving (28.8 − 86.4) / 86.4 = −66.7 % → "−67 %".
    expect(a.map((x) => [x.profile, x.meets, x.scaleLabel, x.nodes, x.gpus, x.costPerHour, x.savingText, x.final])).toEqual([
      ['k8s-default', true, '1.5×', 9, 48, 86.4, 'baseline', true],
      ['hami-binpack', true, '0.5×', 3, 16, 28.8, '−67 %', true],
    ]);
    expect(a[1].savingPct).toBeCloseTo(-66.667, 3);
  });

  it('at 75 %: 3 of 4 seeds are enough', () => {
    const g = expandPlan(smallMixed(), plan(75));
    const a = planAnswer(g, rowsFrom(g, waits));
    // k8s-default now meets at 1× ($57.60); hami-binpack at 0.5×: (28.8 − 57.6) / 57.6 = −50 %.
    expect(a.map((x) => [x.profile, x.scaleLabel, x.costPerHour, x.seedsMeeting, x.seedsRun, x.savingText])).toEqual([
      ['k8s-default', '1×', 57.6, 3, 4, 'baseline'],
      ['hami-binpack', '0.5×', 28.8, 4, 4, '−50 %'],
    ]);
  });

  it('meets: false when no scale does, with the binding target of the largest cluster; no saving against it', () => {
    const g = expandPlan(smallMixed(), plan());
    const a = planAnswer(g, rowsFrom(g, { 'k8s-default': { '0.5×': [20, 20, 20, 20], '1×': [20, 20, 20, 20], '1.5×': [5, 5, 5, 20] }, 'hami-binpack': waits['hami-binpack'] }));
    expect(a[0]).toMatchObject({ profile: 'k8s-default', meets: false, scale: null, nodes: null, gpus: null, costPerHour: null, bindingTarget: 'p95WaitS', final: true });
    expect(a[1]).toMatchObject({ meets: true, savingPct: null, savingText: 'k8s-default meets no scale' });
  });

  it('answers from partial rows, marked not final while a cheaper cell is open', () => {
    const g = expandPlan(smallMixed(), plan());
    // Only seeds 1–2 of k8s-default at 0.5× ran, both meeting: 2 of 4 is open, and 2/2 ≥ 95 % so far.
    const rows = rowsFrom(g, { 'k8s-default': { '0.5×': [5, 5] } });
    const a = planAnswer(g, rows);
    expect(a[0]).toMatchObject({ meets: true, scaleLabel: '0.5×', final: false, seedsRun: 2 });
    expect(a[1]).toMatchObject({ meets: false, final: false });
    const cells = planCells(g, rows);
    expect(cells).toHaveLength(6);
    expect(cells.filter((c) => c.status === 'open')).toHaveLength(6);
    // One seed missing at 0.5× settles it as failing (at most 3 of 4 can meet now).
    const failed = planCells(g, rowsFrom(g, { 'k8s-default': { '0.5×': [20] } }));
    expect(failed.find((c) => c.profile === 'k8s-default' && c.scaleIndex === 1)).toMatchObject({ status: 'fails', bindingTarget: 'p95WaitS', seedsRun: 1 });
  });

  it('with a knob, the smallest cluster over all knob values, reported with its value', () => {
    const s = smallMixed();
    const g = expandPlan(s, { profiles: [{ profile: 'hami-binpack', knob: { key: 'splitCount', values: [2, 8] } }], scale: { factors: [0.5, 1] }, seeds: [1], targets: { p95WaitS: 10 } });
    const rows = g.replicas.map((r) => planRowOf(g, r, metrics(r.knob!.value === 8 && r.scaleIndex === 0 ? 5 : r.scaleIndex === 1 ? 5 : 50), 'h'));
    expect(planAnswer(g, rows)[0]).toMatchObject({ meets: true, scaleLabel: '0.5×', knob: 'splitCount=8' });
  });

  it('says the saving in whole percent with a true minus sign', () => {
    expect([savingWords(-36.4), savingWords(12.5), savingWords(0.2), savingWords(-0.4)]).toEqual(['−36 %', '+13 %', '±0 %', '±0 %']);
  });

  it('a row misses each target by its own rule', () => {
    const g = expandPlan(smallMixed(), { profiles: [{ profile: 'k8s-default' }], seeds: [1], targets: { sloAttainmentPct: 99, p95WaitS: 10, trainingSlowdown: 1.5, nothingPending: true, maxCostPerHourUsd: 60 } });
    const r = g.replicas[0];
    expect(planRowOf(g, r, metrics(5), 'h').missed).toEqual([]);
    expect(planRowOf(g, r, metrics(11, { sloAttainmentPct: 98.9, trainingSlowdown: 1.6, podsPendingAtEnd: 1 }), 'h').missed).toEqual(['sloAttainmentPct', 'p95WaitS', 'trainingSlowdown', 'nothingPending']);
    // A job arrived and none finished: no slowdown to average, so the target is missed.
    expect(planRowOf(g, r, metrics(5, { trainingCompleted: 0, trainingSlowdown: 0 }), 'h').missed).toEqual(['trainingSlowdown']);
    // No training at all: nothing to miss.
    expect(planRowOf(g, r, metrics(5, { trainingJobs: 0, trainingCompleted: 0, trainingSlowdown: 0 }), 'h').missed).toEqual([]);
    const g2 = expandPlan(smallMixed(), { profiles: [{ profile: 'k8s-default' }], seeds: [1], targets: { maxCostPerHourUsd: 57.5 }, scale: { factors: [0.5, 1] } });
    expect(planRowOf(g2, g2.replicas[1], metrics(5), 'h').missed).toEqual(['maxCostPerHourUsd']); // $57.60 > $57.50
  });
});

describe('plan bands', () => {
  it('mean and Student-t 95 % interval of the mean', () => {
    // [1, 2, 3]: mean 2, sd 1, t(2) = 4.303 → half-width 4.303 / √3 = 2.48434.
    const b = band([1, 2, 3]);
    expect(b.mean).toBe(2);
    expect(b.hi - b.mean).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect(b.mean - b.lo).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect(band([7])).toEqual({ n: 1, mean: 7, lo: 7, hi: 7 });
    expect(band([4, 4, 4, 4])).toEqual({ n: 4, mean: 4, lo: 4, hi: 4 });
  });

  it('per (profile, scale) in grid order, and per time sample', () => {
    const g = expandPlan(smallMixed(), { profiles: [{ profile: 'k8s-default' }], scale: { factors: [0.5, 1] }, seeds: [1, 2], targets: { p95WaitS: 10 } });
    const samples = (k: number) => Array.from({ length: 5 }, (_, i) => ({ tS: i * 60, allocationPct: 10 * i + k, utilizationPct: 0, pending: k, sloAttainmentPct: 100, gpusInUse: i }));
    const rows = g.replicas.map((r) => planRowOf(g, r, metrics(r.seed * 2 + r.scaleIndex), 'h', downsampleSeries(samples(r.seed), 3)));
    // waits: 0.5× seeds 1, 2 → 2, 4 (mean 3, sd √2, t(1) = 12.706 → half 12.706·√2/√2 = 12.706); 1× → 3, 5.
    const bands = scaleBands([...rows].reverse(), 'p95WaitS');
    expect(bands.map((b) => [b.scaleLabel, b.n, b.mean])).toEqual([['0.5×', 2, 3], ['1×', 2, 4]]);
    expect(bands[0].hi - bands[0].mean).toBeCloseTo(12.706, 10);
    // Series downsampled to 3 of 5 samples: indices 0, 2, 4 → tS 0, 120, 240; allocation 10·i + seed, mean over seeds 1, 2.
    const sb = seriesBands(rows, 'allocationPct');
    expect(sb[0]).toMatchObject({ scaleLabel: '0.5×', n: 2, tS: [0, 120, 240], mean: [1.5, 21.5, 41.5] });
  });
});

describe('plan rows', () => {
  it('digests are equal for equal rows and differ on any field', () => {
    const g = expandPlan(smallMixed(), { profiles: [{ profile: 'k8s-default' }], seeds: [1], targets: { p95WaitS: 10 } });
    const a = planRowOf(g, g.replicas[0], metrics(5), 'abc');
    const b = planRowOf(g, g.replicas[0], metrics(5), 'abc');
    expect(a.digest).toMatch(/^[0-9a-f]{16}$/);
    expect(b.digest).toBe(a.digest);
    expect(rowDigest(a)).toBe(a.digest);
    expect(planRowOf(g, g.replicas[0], metrics(5.000001), 'abc').digest).not.toBe(a.digest);
    expect(planRowOf(g, g.replicas[0], metrics(5), 'abd').digest).not.toBe(a.digest);
  });

  it('CSV cells defuse formulas and quote separators; numbers stay numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe(`'+1`);
    expect(csvCell('-1')).toBe(`'-1`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('\tx')).toBe(`'\tx`);
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(['p95WaitS', 'nothingPending'])).toBe('p95WaitS nothingPending');
    expect(csvCell(Infinity)).toBe('');
  });

  it('the CSV has a header and one line per row', () => {
    const g = expandPlan(smallMixed(), { profiles: [{ profile: 'hami-binpack', knob: { key: 'gpuPolicy', values: ['binpack', 'binpack,numa'] } }], seeds: [3], targets: { p95WaitS: 10 } });
    const csv = planCsv(g.replicas.map((r) => planRowOf(g, r, metrics(12), 'h')));
    const lines = csv.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0].split(',').slice(0, 4)).toEqual(['index', 'id', 'profile', 'knob']);
    expect(lines[2].startsWith('1,"hami-binpack|gpuPolicy=binpack,numa|1×|d1|s3",hami-binpack,"gpuPolicy=binpack,numa",1,1×,1,3,6,32,57.6,false,p95WaitS,100,12,6,')).toBe(true);
  });
});
