/**
 * "What differs" (src/ui/lib/compare.ts) against the presets' claims: for every preset and variant of
 * public/scenarios/index.json, its shipped schedulers are run and compared at ten instants and at the end, and no
 * sentence may state the reverse of an ordering the preset's `expect` lines claim. The sentences are read back
 * with their own patterns here (not with the code under test), so a sentence that says the opposite is caught
 * whatever the filter in compare.ts believes.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Summary } from '../../src/sim/metrics.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { summaryOf } from '../builders/index.ts';
import { claimOrders, compareRuns, type RunSummary } from '../../src/ui/lib/compare.ts';
import { claimedRuns, claimStillApplies } from '../../src/ui/lib/claimScope.ts';
import { parseManifest, variantScenario, type Expectation, type PresetEntry } from '../../src/ui/share/presetManifest.ts';

const dir = new URL('../../public/scenarios/', import.meta.url);
const parsed = parseManifest(JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')));
const presets: PresetEntry[] = parsed.ok ? parsed.manifest.presets : [];
const load = (file: string): Scenario => {
  const r = parseScenario(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
  if (!r.ok) throw new Error(`${file}: ${r.errors.join('; ')}`);
  return r.scenario;
};

/**
 * What a sentence states about two runs, read from its words: [metric, label with more of it, label with less].
 * One pattern per kind of sentence compare.ts writes about an ordered metric.
 */
function stated(line: string): [string, string, string] | null {
  let m: RegExpExecArray | null;
  const num = (s: string): number => Number(s.replace(/[$,]/g, ''));
  const order = (metric: string, x: string, vx: number, y: string, vy: number): [string, string, string] | null => (vx > vy ? [metric, x, y] : vy > vx ? [metric, y, x] : null);
  if ((m = /^(\S+) fits the same load on \d+% (fewer|more) GPUs than (\S+)/.exec(line))) return m[2] === 'fewer' ? ['summary.allocationPct', m[3], m[1]] : ['summary.allocationPct', m[1], m[3]];
  if ((m = /^(\S+) completes (\d+) of \d+ training jobs; (\S+) completes (\d+)/.exec(line))) return order('summary.training.completed', m[1], num(m[2]), m[3], num(m[4]));
  if ((m = /^Training jobs take ([\d.]+)× their ideal time under (\S+) vs ([\d.]+)× under (\S+) /.exec(line))) return order('summary.training.meanSlowdown', m[2], num(m[1]), m[4], num(m[3]));
  if ((m = /^(\S+) has (\d+) pods? waiting \S+( \S+)?; (\S+) has (\d+)/.exec(line))) return order('summary.podsPendingAtEnd', m[1], num(m[2]), m[4], num(m[5]));
  if ((m = /^Pods wait .* (less|longer) on average under (\S+) \(/.exec(line))) return null; // checked with the runs below
  if ((m = /^(\S+) strands ([\d.]+) GPUs on average .*; (\S+) strands ([\d.]+)/.exec(line))) return order('summary.strandedGpusAvg', m[1], num(m[2]), m[3], num(m[4]));
  if ((m = /^(\S+) leaves ([\d.]+) GPUs fragmented on average .*; (\S+) ([\d.]+)\.$/.exec(line))) return order('summary.fragmentedGpusAvg', m[1], num(m[2]), m[3], num(m[4]));
  if ((m = /^(\S+) answers ([\d.]+)% of inference requests within their SLO; (\S+) ([\d.]+)%/.exec(line))) return order('summary.inference.sloAttainmentPct', m[1], num(m[2]), m[3], num(m[4]));
  if ((m = /^Agent bursts take ([\d.]+) s on average under (\S+) vs ([\d.]+) s under (\S+)\.$/.exec(line))) return order('summary.agents.meanBurstLatencyS', m[2], num(m[1]), m[4], num(m[3]));
  if ((m = /^(\S+) keeps the GPUs ([\d.]+)% busy with real work; (\S+) ([\d.]+)%/.exec(line))) return order('summary.utilizationPct', m[1], num(m[2]), m[3], num(m[4]));
  if ((m = /^A useful GPU-hour costs (\$[\d.,]+) under (\S+) vs (\$[\d.,]+) under (\S+)\.$/.exec(line))) return order('summary.cost.costPerUsefulGpuHourUsd', m[2], num(m[1]), m[4], num(m[3]));
  return null;
}

/** "Pods wait … less/longer under B": B's wait against the baseline's, as stated. */
function statedWait(line: string, base: string): [string, string, string] | null {
  const m = /^Pods wait .* (less|longer) on average under (\S+) \(/.exec(line);
  if (!m) return null;
  return m[1] === 'less' ? ['summary.meanWaitS', base, m[2]] : ['summary.meanWaitS', m[2], base];
}

/** The runs of one preset variant, compared at `checkpoints` instants and at the end. */
function comparisons(scenario: Scenario, claims: readonly Expectation[], variant: string | null, checkpoints = 10): { tS: number; atEnd: boolean; lines: string[] }[] {
  const sims = scenario.schedulers.map((_, i) => new Simulation(scenario, { schedulerIndex: i }));
  const labels = scenario.schedulers.map((s) => s.label ?? s.profile);
  const out: { tS: number; atEnd: boolean; lines: string[] }[] = [];
  const D = scenario.sim.durationS;
  for (let k = 1; k <= checkpoints; k++) {
    const tS = Math.round((D * k) / checkpoints);
    for (const s of sims) s.runUntil(tS);
    const atEnd = k === checkpoints;
    const runs: RunSummary[] = sims.map((s, i) => ({ label: labels[i], profile: scenario.schedulers[i].profile, summary: s.summary() }));
    out.push({ tS, atEnd, lines: compareRuns(runs, atEnd, claims, variant) });
  }
  return out;
}

const cases = presets.flatMap((p) => [null, ...Object.keys(p.variants ?? {})].map((v) => [`${p.id}${v ? ` (${v})` : ''}`, p, v] as const));

describe.each(cases)('"What differs" on %s never reverses the claim', (_name, p, variant) => {
  const base = load(p.file);
  const v = variantScenario(base, p, variant);
  if (!v.ok) throw new Error(v.error);
  const orders = claimOrders(p.expect, variant);
  const seen = comparisons(v.value, p.expect, variant);
  const baseLabel = v.value.schedulers[0].label ?? v.value.schedulers[0].profile;
  it.each(seen.map((c) => [c.tS, c] as const))('at %i s', (_t, c) => {
    if (process.env.SHOW_COMPARE) console.log(_name, c.tS, c.lines);
    for (const line of c.lines) {
      const s = stated(line) ?? statedWait(line, baseLabel);
      if (!s) continue;
      const [metric, hi, lo] = s;
      const reversed = orders.find((o) => o.metric === metric && o.hi === lo && o.lo === hi);
      expect(reversed, `"${line}" reverses the claim that ${metric} of ${hi} is below that of ${lo}`).toBeUndefined();
    }
    if (c.atEnd && v.value.schedulers.length > 1) expect(c.lines.length).toBeGreaterThan(0);
  });
});

describe('the claim orders the sentences', () => {
  it('nvlink-placement leads with training slowdown, and never praises spreading for busier or cheaper GPUs', () => {
    const p = presets.find((x) => x.id === 'nvlink-placement')!;
    const runs = comparisons(load(p.file), p.expect, null);
    const end = runs.at(-1)!.lines;
    expect(end[0]).toMatch(/^Training jobs take [\d.]+× their ideal time under hami-spread vs [\d.]+× under hami-topology \(slower/);
    for (const { lines } of runs) {
      for (const l of lines) {
        const busier = /^hami-spread keeps the GPUs ([\d.]+)% busy with real work; hami-topology ([\d.]+)%/.exec(l);
        if (busier) expect(Number(busier[1])).toBeLessThan(Number(busier[2]));
        const cheaper = /^A useful GPU-hour costs \$([\d.,]+) under hami-spread vs \$([\d.,]+)/.exec(l);
        if (cheaper) expect(Number(cheaper[1])).toBeGreaterThan(Number(cheaper[2]));
        // Mid-run, before any job finished, the runs are not "the same".
        expect(l).not.toMatch(/give the same results/);
      }
    }
  });

  it('gang-deadlock: the default scheduler\'s workers that never start make its wait the longer one', () => {
    const p = presets.find((x) => x.id === 'gang-deadlock')!;
    const end = comparisons(load(p.file), p.expect, null).at(-1)!.lines;
    expect(end[0]).toBe('volcano completes 2 of 2 training jobs; k8s-default completes 0 of 2.');
    const wait = end.find((l) => l.startsWith('Pods wait'));
    expect(wait).toMatch(/^Pods wait [\d.]+ h less on average under volcano \([\d.]+ min vs [\d.]+ h; counting 0 and 4 pods that never started, with their wait so far\)\.$/);
  });
});

describe('claimOrders', () => {
  const e = (over: Partial<Expectation>): Expectation => ({ metric: 'summary.allocationPct', profile: 'a', op: '>', text: 't', ...over });
  it('reads direct comparisons, with factors that keep the order', () => {
    expect(claimOrders([e({ than: { profile: 'b' }, factor: 1.3 })])).toEqual([{ metric: 'summary.allocationPct', hi: 'a', lo: 'b' }]);
    expect(claimOrders([e({ op: '<', than: { profile: 'b' }, factor: 0.5 })])).toEqual([{ metric: 'summary.allocationPct', hi: 'b', lo: 'a' }]);
    // a > 0.5 × b does not order a and b; nor does a comparison with another metric or another variant.
    expect(claimOrders([e({ than: { profile: 'b' }, factor: 0.5 }), e({ than: { profile: 'b', metric: 'summary.utilizationPct' } }), e({ variant: 'v', than: { profile: 'b' } })])).toEqual([]);
  });
  it('reads bounds that cannot overlap', () => {
    const lines = [e({ metric: 'summary.training.completed', op: '==', value: 0 }), e({ metric: 'summary.training.completed', profile: 'b', op: '==', value: 2 })];
    expect(claimOrders(lines)).toEqual([{ metric: 'summary.training.completed', hi: 'b', lo: 'a' }]);
    // > 90 and < 95 overlap: no order.
    expect(claimOrders([e({ value: 90 }), e({ profile: 'b', op: '<', value: 95 })])).toEqual([]);
    // >= 5 and <= 5 touch at 5 only when both are 5: no order; > 5 and <= 5 do not overlap.
    expect(claimOrders([e({ op: '>=', value: 5 }), e({ profile: 'b', op: '<=', value: 5 })])).toEqual([]);
    expect(claimOrders([e({ value: 5 }), e({ profile: 'b', op: '<=', value: 5 })])).toEqual([{ metric: 'summary.allocationPct', hi: 'a', lo: 'b' }]);
  });
});

describe('compareRuns with a claim', () => {
  // 16 GPUs, six training jobs all done at ideal speed: the nvlink-placement shape.
  const summary = (over: Partial<Summary>): Summary => summaryOf({ gpus: 16, nodes: 2, utilizationPct: 50, fragmentedGpusAvg: 0, podsCreated: 6, podsBound: 6, training: { jobs: 6, completed: 6, meanJctS: 0, meanSlowdown: 1 }, ...over });
  const claim: Expectation[] = [{ metric: 'summary.training.meanSlowdown', profile: 'spread', op: '>', than: { profile: 'topo' }, factor: 1.3, text: 'spread is slower' }];
  const topo = summary({ training: { jobs: 6, completed: 6, meanJctS: 0, meanSlowdown: 1.1 }, utilizationPct: 40, cost: { totalUsd: 100, usefulGpuHours: 8, costPerUsefulGpuHourUsd: 12.5 } });
  const spread = summary({ training: { jobs: 6, completed: 6, meanJctS: 0, meanSlowdown: 1.69 }, utilizationPct: 60, cost: { totalUsd: 100, usefulGpuHours: 12, costPerUsefulGpuHourUsd: 8.33 } });

  it('puts the claimed metric first and leaves out busier/cheaper for the slower trainer', () => {
    const runs = [{ label: 'topo', summary: topo }, { label: 'spread', summary: spread }];
    // Without the claim: slowdown, then utilization (60 vs 40) and cost ($8.33 vs $12.50) in spread's favour.
    expect(compareRuns(runs)).toEqual([
      'Training jobs take 1.69× their ideal time under spread vs 1.10× under topo (slower: placement and sharing).',
      'spread keeps the GPUs 60.0% busy with real work; topo 40.0% (compute used, not just allocated).',
      'A useful GPU-hour costs $8.33 under spread vs $12.50 under topo.',
    ]);
    expect(compareRuns(runs, true, claim)).toEqual(['Training jobs take 1.69× their ideal time under spread vs 1.10× under topo (slower: placement and sharing).']);
  });

  it('leaves out a sentence that reverses the claim (mid-run), and says "so far" when nothing is left', () => {
    const early = [{ label: 'topo', summary: summary({ training: { jobs: 6, completed: 1, meanJctS: 0, meanSlowdown: 1.6 } }) }, { label: 'spread', summary: summary({ training: { jobs: 6, completed: 1, meanJctS: 0, meanSlowdown: 1.2 } }) }];
    expect(compareRuns(early, false)[0]).toMatch(/^Training jobs take 1.20× .* under spread vs 1.60× under topo \(faster/);
    expect(compareRuns(early, false, claim)).toEqual(['No difference worth a sentence between spread and topo so far.']);
  });

  it("names time-slicing's missing memory isolation where it runs", () => {
    const lines = compareRuns([{ label: 'k8s-default', profile: 'k8s-default', summary: summary({ allocationPct: 40 }) }, { label: 'k8s-timeslicing', profile: 'k8s-timeslicing', summary: summary({ allocationPct: 10, gpuMemBookedPct: 0 }) }]);
    // 6.4 → 1.6 GPUs booked: 75% fewer.
    expect(lines[0]).toBe('k8s-timeslicing fits the same load on 75% fewer GPUs than k8s-default (1.6 GPUs booked on average vs 6.4).');
    expect(lines[1]).toBe('k8s-timeslicing shares GPUs without memory isolation (it books no GPU memory): no OOM kill in this run, but when the tenants of a card need more memory than it has, the newest is killed and restarted.');
  });
});

/*
 * An edited preset keeps its claim in "What differs" while the claim still applies (issue 18, lib/claimScope.ts):
 * unclaimed schedulers added, name changed; not after the workloads, the cluster, the seed or a claimed scheduler
 * changed. And with the claim kept, a run added beside the claimed ones does not make the sentences reverse it.
 */
const edited = (s: Scenario, fn: (x: Scenario) => void): Scenario => {
  const x = structuredClone(s);
  fn(x);
  return x;
};
describe.each(cases)('claimStillApplies on %s', (_name, p, variant) => {
  const v = variantScenario(load(p.file), p, variant);
  if (!v.ok) throw new Error(v.error);
  const shipped = v.value;
  const names = claimedRuns(p.expect, variant);
  it('holds as shipped, renamed, and with an unclaimed scheduler added', () => {
    expect(claimStillApplies(shipped, shipped, p.expect, variant)).toBe(true);
    expect(claimStillApplies(edited(shipped, (x) => void (x.name = 'Mine')), shipped, p.expect, variant)).toBe(true);
    const extra = edited(shipped, (x) => void x.schedulers.push({ profile: 'random', label: 'extra-random' }));
    expect(claimStillApplies(extra, shipped, p.expect, variant)).toBe(true);
  });
  it('is set aside when the workloads, the cluster, the seed or a claimed scheduler change', () => {
    if (shipped.workloads.length) expect(claimStillApplies(edited(shipped, (x) => void x.workloads.pop()), shipped, p.expect, variant)).toBe(false);
    expect(claimStillApplies(edited(shipped, (x) => void (x.cluster.pools[0].count += 1)), shipped, p.expect, variant)).toBe(false);
    expect(claimStillApplies(edited(shipped, (x) => void (x.sim.seed += 1)), shipped, p.expect, variant)).toBe(false);
    const claimed = shipped.schedulers.findIndex((s) => names.includes(s.label ?? s.profile));
    expect(claimed).toBeGreaterThanOrEqual(0);
    expect(claimStillApplies(edited(shipped, (x) => void x.schedulers.splice(claimed, 1)), shipped, p.expect, variant)).toBe(false);
  });
});

describe('the kept claim with a scheduler added', () => {
  it('nvlink-placement + an unclaimed run: still leads with training slowdown and never reverses the claim', () => {
    const p = presets.find((x) => x.id === 'nvlink-placement')!;
    const shipped = load(p.file);
    const s = edited(shipped, (x) => void x.schedulers.push({ profile: 'hami-binpack' }));
    expect(claimStillApplies(s, shipped, p.expect, null)).toBe(true);
    const lines = comparisons(s, p.expect, null, 1).at(-1)!.lines;
    expect(lines[0]).toMatch(/^Training jobs take [\d.]+× their ideal time under hami-spread vs [\d.]+× under hami-topology \(slower/);
    // Each slowdown sentence against the baseline (hami-topology) agrees with the claim's orderings.
    const orders = claimOrders(p.expect, null);
    for (const l of lines) {
      const m = /^Training jobs take ([\d.]+)× their ideal time under (\S+) vs ([\d.]+)× under (\S+) /.exec(l);
      if (!m) continue;
      const [hi, lo] = Number(m[1]) > Number(m[3]) ? [m[2], m[4]] : [m[4], m[2]];
      expect(orders.find((o) => o.metric === 'summary.training.meanSlowdown' && o.hi === lo && o.lo === hi), l).toBeUndefined();
    }
  });
});
