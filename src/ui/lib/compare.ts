/**
 * Differences between compared runs, in plain words, computed from their summaries only. Every sentence
 * compares one run with the first (the baseline) and states the numbers it rests on; small differences
 * (under the thresholds below) are not called out.
 *
 * When the scenario is a preset, its claim (the `expect` lines of public/scenarios/index.json) sets the order
 * and guards the words: sentences about the claim's metrics come first, in the order the claim states them; a
 * sentence that states the reverse of a claimed ordering (mid-run, before the numbers settle) is left out; and
 * where the claim says one run trains faster or finishes more, "busier GPUs" and "cheaper useful GPU-hour"
 * sentences in favour of the other are left out, because slower training keeps GPUs busy without more work done.
 */
import type { Summary } from '../../worker/protocol.ts';
import type { Expectation } from '../share/presetManifest.ts';
import { formatDuration } from './format.ts';

export interface RunSummary {
  label: string;
  /** Profile name, when known (time-slicing's missing memory isolation is said where it runs). */
  profile?: string;
  summary: Summary;
}

/** A claimed ordering the comparison must respect: `metric` of `hi` is above that of `lo`. */
export interface ClaimOrder {
  metric: string;
  hi: string;
  lo: string;
}

/** Relative change below which two numbers count as the same. */
const REL = 0.05;

/** Profiles that share GPUs without memory isolation (a tenant that outgrows its card gets OOM-killed). */
const NO_MEMORY_ISOLATION = new Set(['k8s-timeslicing']);

/**
 * Which way is better for the metrics the sentences and the claims speak of: +1 higher is better, −1 lower is
 * better. Allocation counts as lower-is-better (the claims compare it for the same load).
 */
const BETTER: Readonly<Record<string, 1 | -1>> = {
  'summary.allocationPct': -1,
  'summary.gpuMemBookedPct': -1,
  'summary.podsPendingAtEnd': -1,
  'summary.podsBound': 1,
  'summary.meanWaitS': -1,
  'summary.strandedGpusAvg': -1,
  'summary.fragmentedGpusAvg': -1,
  'summary.training.completed': 1,
  'summary.training.meanSlowdown': -1,
  'summary.inference.sloAttainmentPct': 1,
  'summary.agents.meanBurstLatencyS': -1,
  'summary.utilizationPct': 1,
  'summary.cost.usefulGpuHours': 1,
  'summary.cost.costPerUsefulGpuHourUsd': -1,
  'summary.oomKills': -1,
};

/** Metrics measuring compute time spent; a run whose training runs slower looks better on them without doing more. */
const COMPUTE_TIME = new Set(['summary.utilizationPct', 'summary.cost.usefulGpuHours', 'summary.cost.costPerUsefulGpuHourUsd']);
const TRAINING = new Set(['summary.training.meanSlowdown', 'summary.training.completed']);

const pct = (a: number, b: number): number => Math.round((Math.abs(a - b) / Math.max(Math.abs(a), 1e-9)) * 100);

/** Average GPUs booked over the run = allocation % × GPUs / 100. */
export function avgGpusBooked(s: Summary): number {
  return (s.allocationPct * s.gpus) / 100;
}

/** The range a value-bounded claim line allows: [lo, hi], each bound strict or not. */
function range(e: Expectation): { lo: number; hi: number; loStrict: boolean; hiStrict: boolean } | null {
  if (e.value === undefined) return null;
  const v = e.value;
  switch (e.op) {
    case '>':
      return { lo: v, hi: Infinity, loStrict: true, hiStrict: false };
    case '>=':
      return { lo: v, hi: Infinity, loStrict: false, hiStrict: false };
    case '<':
      return { lo: -Infinity, hi: v, loStrict: false, hiStrict: true };
    case '<=':
      return { lo: -Infinity, hi: v, loStrict: false, hiStrict: false };
    case '==':
      return { lo: v, hi: v, loStrict: false, hiStrict: false };
  }
}

/**
 * The orderings between runs that a preset's claim states, for the runs of one variant (null: as shipped):
 * direct comparisons ("spread's slowdown > 1.3 × topology's") and pairs of bounds on the same metric that
 * cannot overlap ("k8s-default completes 0", "volcano completes 2").
 */
export function claimOrders(claims: readonly Expectation[], variant: string | null = null): ClaimOrder[] {
  const here = claims.filter((e) => (e.variant ?? null) === variant);
  const out: ClaimOrder[] = [];
  for (const e of here) {
    if (!e.than || e.than.profile === undefined || e.than.profile === e.profile) continue;
    if (e.than.variant !== undefined && e.than.variant !== variant) continue;
    if (e.than.metric !== undefined && e.than.metric !== e.metric) continue;
    // "a > f × b" with f ≥ 1 (or "a < f × b" with f ≤ 1) orders a and b whatever their sign-free magnitudes.
    const f = e.factor ?? 1;
    if ((e.op === '>' || e.op === '>=') && f >= 1) out.push({ metric: e.metric, hi: e.profile, lo: e.than.profile });
    if ((e.op === '<' || e.op === '<=') && f <= 1) out.push({ metric: e.metric, hi: e.than.profile, lo: e.profile });
  }
  for (const a of here) {
    const ra = range(a);
    if (!ra) continue;
    for (const b of here) {
      const rb = range(b);
      if (!rb || a === b || a.metric !== b.metric || a.profile === b.profile) continue;
      if (ra.lo > rb.hi || (ra.lo === rb.hi && (ra.loStrict || rb.hiStrict))) out.push({ metric: a.metric, hi: a.profile, lo: b.profile });
    }
  }
  return out;
}

/** One sentence and what it states: `hi` shows more of `metric` than `lo` (absent: states no ordering). */
interface Line {
  text: string;
  metric?: string;
  hi?: string;
  lo?: string;
}

/** The run of a pair that the claim says is better on every metric it orders them by, or null (mixed, or none). */
function claimWinner(orders: readonly ClaimOrder[], x: string, y: string): { winner: string; training: boolean } | null {
  let winner: string | null = null;
  let training = false;
  for (const o of orders) {
    if (!((o.hi === x && o.lo === y) || (o.hi === y && o.lo === x))) continue;
    const dir = BETTER[o.metric];
    if (!dir) continue;
    const w = dir > 0 ? o.hi : o.lo;
    if (winner !== null && winner !== w) return null;
    winner = w;
    if (TRAINING.has(o.metric)) training = true;
  }
  return winner === null ? null : { winner, training };
}

/** The sentences comparing run `other` with the baseline `base`, each tagged with what it states. */
function pairLines(base: RunSummary, other: RunSummary, atEnd: boolean): Line[] {
  const a = base.summary;
  const b = other.summary;
  const A = base.label;
  const B = other.label;
  const out: Line[] = [];
  const ordered = (metric: string, va: number, vb: number, text: string): void => {
    out.push(vb > va ? { text, metric, hi: B, lo: A } : vb < va ? { text, metric, hi: A, lo: B } : { text, metric });
  };
  // Same load served = every created pod bound as often and the same number still waiting at the end.
  const sameLoad = a.podsPendingAtEnd === b.podsPendingAtEnd && a.podsCreated === b.podsCreated;
  const ga = avgGpusBooked(a);
  const gb = avgGpusBooked(b);
  if (Math.abs(ga - gb) > REL * Math.max(ga, gb) && Math.max(ga, gb) > 0) {
    const fewer = gb < ga;
    const nums = `${gb.toFixed(1)} GPUs booked on average vs ${ga.toFixed(1)}`;
    if (sameLoad) ordered('summary.allocationPct', ga, gb, `${B} fits the same load on ${pct(ga, gb)}% ${fewer ? 'fewer' : 'more'} GPUs than ${A} (${nums}).`);
    // With different loads served, more GPUs booked is neither better nor worse: state it, order nothing.
    else out.push({ text: `${B} books ${pct(ga, gb)}% ${fewer ? 'fewer' : 'more'} GPUs than ${A} (${nums}).` });
  }
  for (const [label, profile] of [[A, base.profile], [B, other.profile]] as const) {
    const s = label === A ? a : b;
    if (profile && NO_MEMORY_ISOLATION.has(profile) && s.oomKills === 0) {
      out.push({ text: `${label} shares GPUs without memory isolation (it books no GPU memory): no OOM kill ${atEnd ? 'in this run' : 'so far'}, but when the tenants of a card need more memory than it has, the newest is killed and restarted.` });
    }
  }
  if (a.training.jobs > 0 && a.training.completed !== b.training.completed) {
    ordered('summary.training.completed', a.training.completed, b.training.completed, `${B} completes ${b.training.completed} of ${b.training.jobs} training jobs; ${A} completes ${a.training.completed} of ${a.training.jobs}.`);
  }
  const sa = a.training.meanSlowdown;
  const sb = b.training.meanSlowdown;
  if (a.training.completed > 0 && b.training.completed > 0 && Math.abs(sa - sb) > REL * Math.max(sa, sb)) {
    ordered('summary.training.meanSlowdown', sa, sb, `Training jobs take ${sb.toFixed(2)}× their ideal time under ${B} vs ${sa.toFixed(2)}× under ${A} (${sb > sa ? 'slower' : 'faster'}: placement and sharing).`);
  }
  if (a.podsPendingAtEnd !== b.podsPendingAtEnd) {
    const when = atEnd ? 'at the end' : 'now';
    ordered('summary.podsPendingAtEnd', a.podsPendingAtEnd, b.podsPendingAtEnd, `${B} has ${b.podsPendingAtEnd} pod${b.podsPendingAtEnd === 1 ? '' : 's'} waiting ${when}; ${A} has ${a.podsPendingAtEnd}.`);
  }
  if (Math.abs(a.meanWaitS - b.meanWaitS) > Math.max(5, REL * Math.max(a.meanWaitS, b.meanWaitS))) {
    const less = b.meanWaitS < a.meanWaitS;
    const nb = b.podsNeverStarted;
    const na = a.podsNeverStarted;
    const never = nb + na > 0 ? `; counting ${nb} and ${na} pods that never started, with their wait so far` : '';
    ordered('summary.meanWaitS', a.meanWaitS, b.meanWaitS, `Pods wait ${formatDuration(Math.abs(a.meanWaitS - b.meanWaitS))} ${less ? 'less' : 'longer'} on average under ${B} (${formatDuration(b.meanWaitS)} vs ${formatDuration(a.meanWaitS)}${never}).`);
  }
  if (Math.abs(a.strandedGpusAvg - b.strandedGpusAvg) >= 0.5) {
    ordered('summary.strandedGpusAvg', a.strandedGpusAvg, b.strandedGpusAvg, `${B} strands ${b.strandedGpusAvg.toFixed(1)} GPUs on average (free GPUs on nodes out of CPU or memory); ${A} strands ${a.strandedGpusAvg.toFixed(1)}.`);
  }
  if (Math.abs(a.fragmentedGpusAvg - b.fragmentedGpusAvg) >= 0.5 && Math.abs(a.fragmentedGpusAvg - b.fragmentedGpusAvg) > REL * Math.max(a.fragmentedGpusAvg, b.fragmentedGpusAvg)) {
    ordered('summary.fragmentedGpusAvg', a.fragmentedGpusAvg, b.fragmentedGpusAvg, `${B} leaves ${b.fragmentedGpusAvg.toFixed(1)} GPUs fragmented on average (free pieces the typical pods cannot use); ${A} ${a.fragmentedGpusAvg.toFixed(1)}.`);
  }
  if (a.inference.services > 0 && Math.abs(a.inference.sloAttainmentPct - b.inference.sloAttainmentPct) >= 1) {
    ordered('summary.inference.sloAttainmentPct', a.inference.sloAttainmentPct, b.inference.sloAttainmentPct, `${B} answers ${b.inference.sloAttainmentPct.toFixed(1)}% of inference requests within their SLO; ${A} ${a.inference.sloAttainmentPct.toFixed(1)}%.`);
  }
  if (a.agents.bursts > 0 && b.agents.bursts > 0 && Math.abs(a.agents.meanBurstLatencyS - b.agents.meanBurstLatencyS) > REL * Math.max(a.agents.meanBurstLatencyS, b.agents.meanBurstLatencyS)) {
    ordered('summary.agents.meanBurstLatencyS', a.agents.meanBurstLatencyS, b.agents.meanBurstLatencyS, `Agent bursts take ${b.agents.meanBurstLatencyS.toFixed(1)} s on average under ${B} vs ${a.agents.meanBurstLatencyS.toFixed(1)} s under ${A}.`);
  }
  if (Math.abs(a.utilizationPct - b.utilizationPct) >= Math.max(1, REL * Math.max(a.utilizationPct, b.utilizationPct))) {
    ordered('summary.utilizationPct', a.utilizationPct, b.utilizationPct, `${B} keeps the GPUs ${b.utilizationPct.toFixed(1)}% busy with real work; ${A} ${a.utilizationPct.toFixed(1)}% (compute used, not just allocated).`);
  }
  const ua = a.cost.usefulGpuHours;
  const ub = b.cost.usefulGpuHours;
  if ((ua === 0) !== (ub === 0)) {
    const [idle, busy, hours] = ua === 0 ? [A, B, ub] : [B, A, ua];
    out.push({ text: `${idle} has done no useful GPU work so far; ${busy} has done ${hours.toFixed(1)} GPU-hours of it.`, metric: 'summary.cost.usefulGpuHours', hi: busy, lo: idle });
  }
  const ca = a.cost.costPerUsefulGpuHourUsd;
  const cb = b.cost.costPerUsefulGpuHourUsd;
  if (ca > 0 && cb > 0 && Math.abs(ca - cb) > REL * Math.max(ca, cb)) {
    ordered('summary.cost.costPerUsefulGpuHourUsd', ca, cb, `A useful GPU-hour costs $${cb.toFixed(2)} under ${B} vs $${ca.toFixed(2)} under ${A}.`);
  }
  return out;
}

/** True when the line states the reverse of a claimed ordering, or praises the claim's slower trainer for compute time. */
function contradicts(l: Line, orders: readonly ClaimOrder[]): boolean {
  if (!l.metric || !l.hi || !l.lo) return false;
  if (orders.some((o) => o.metric === l.metric && o.hi === l.lo && o.lo === l.hi)) return true;
  if (!COMPUTE_TIME.has(l.metric)) return false;
  const w = claimWinner(orders, l.hi, l.lo);
  const favoured = BETTER[l.metric] > 0 ? l.hi : l.lo;
  return !!w && w.training && w.winner !== favoured;
}

/**
 * Sentences describing how each run differs from the first one. `claims` are the preset's `expect` lines (empty
 * when the scenario is not a preset) and `variant` the preset variant on screen: see the module comment.
 */
export function compareRuns(runs: readonly RunSummary[], atEnd = true, claims: readonly Expectation[] = [], variant: string | null = null): string[] {
  if (runs.length < 2) return [];
  const base = runs[0];
  const orders = claimOrders(claims, variant);
  // Rank of a metric in the claim: the first claim line (of this variant) naming it; others after all of them.
  const here = claims.filter((e) => (e.variant ?? null) === variant);
  const rank = (m: string | undefined): number => {
    const i = m === undefined ? -1 : here.findIndex((e) => e.metric === m);
    return i < 0 ? here.length : i;
  };
  const out: string[] = [];
  const oomSaid = new Set<string>();
  for (const other of runs.slice(1)) {
    const lines = pairLines(base, other, atEnd)
      .filter((l) => !contradicts(l, orders))
      .map((l, i) => ({ l, i, r: rank(l.metric) }))
      .sort((x, y) => x.r - y.r || x.i - y.i)
      .map((x) => x.l.text);
    for (const run of [base, other]) {
      if (run.summary.oomKills > 0 && !oomSaid.has(run.label)) {
        oomSaid.add(run.label);
        lines.push(`${run.label} OOM-killed ${run.summary.oomKills} pod${run.summary.oomKills === 1 ? '' : 's'}: GPU memory is not isolated, tenants overran a card.`);
      }
    }
    if (lines.length === 0) lines.push(atEnd ? `${other.label} and ${base.label} give the same results on this scenario (within ${REL * 100}%).` : `No difference worth a sentence between ${other.label} and ${base.label} so far.`);
    out.push(...lines);
  }
  return out;
}
