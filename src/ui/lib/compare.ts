/**
 * Differences between compared runs, in plain words, computed from their summaries only. Every sentence
 * compares one run with the first (the baseline) and states the numbers it rests on; small differences
 * (under the thresholds below) are not called out.
 */
import type { Summary } from '../../worker/protocol.ts';
import { formatDuration } from './format.ts';

export interface RunSummary {
  label: string;
  summary: Summary;
}

/** Relative change below which two numbers count as the same. */
const REL = 0.05;

const pct = (a: number, b: number): number => Math.round((Math.abs(a - b) / Math.max(Math.abs(a), 1e-9)) * 100);

/** Average GPUs booked over the run = allocation % × GPUs / 100. */
export function avgGpusBooked(s: Summary): number {
  return (s.allocationPct * s.gpus) / 100;
}

/** Sentences describing how each run differs from the first one. */
export function compareRuns(runs: readonly RunSummary[], atEnd = true): string[] {
  if (runs.length < 2) return [];
  const base = runs[0];
  const a = base.summary;
  const out: string[] = [];
  for (const other of runs.slice(1)) {
    const b = other.summary;
    const B = other.label;
    const A = base.label;
    const before = out.length;
    // Same load served = every created pod bound as often and the same number still waiting at the end.
    const sameLoad = a.podsPendingAtEnd === b.podsPendingAtEnd && a.podsCreated === b.podsCreated;
    const ga = avgGpusBooked(a);
    const gb = avgGpusBooked(b);
    if (Math.abs(ga - gb) > REL * Math.max(ga, gb) && Math.max(ga, gb) > 0) {
      const fewer = gb < ga;
      const nums = `${gb.toFixed(1)} GPUs booked on average vs ${ga.toFixed(1)}`;
      if (sameLoad) out.push(`${B} fits the same load on ${pct(ga, gb)}% ${fewer ? 'fewer' : 'more'} GPUs than ${A} (${nums}).`);
      else out.push(`${B} books ${pct(ga, gb)}% ${fewer ? 'fewer' : 'more'} GPUs than ${A} (${nums}).`);
    }
    if (a.podsPendingAtEnd !== b.podsPendingAtEnd) {
      const when = atEnd ? 'at the end' : 'now';
      out.push(`${B} has ${b.podsPendingAtEnd} pod${b.podsPendingAtEnd === 1 ? '' : 's'} waiting ${when}; ${A} has ${a.podsPendingAtEnd}.`);
    }
    if (Math.abs(a.meanWaitS - b.meanWaitS) > Math.max(5, REL * Math.max(a.meanWaitS, b.meanWaitS))) {
      const less = b.meanWaitS < a.meanWaitS;
      out.push(`Pods wait ${formatDuration(Math.abs(a.meanWaitS - b.meanWaitS))} ${less ? 'less' : 'longer'} on average under ${B} (${formatDuration(b.meanWaitS)} vs ${formatDuration(a.meanWaitS)}).`);
    }
    if (Math.abs(a.strandedGpusAvg - b.strandedGpusAvg) >= 0.5) {
      out.push(`${B} strands ${b.strandedGpusAvg.toFixed(1)} GPUs on average (free GPUs on nodes out of CPU or memory); ${A} strands ${a.strandedGpusAvg.toFixed(1)}.`);
    }
    if (a.training.jobs > 0 && a.training.completed !== b.training.completed) {
      out.push(`${B} completes ${b.training.completed} of ${b.training.jobs} training jobs; ${A} completes ${a.training.completed} of ${a.training.jobs}.`);
    }
    if (a.inference.services > 0 && Math.abs(a.inference.sloAttainmentPct - b.inference.sloAttainmentPct) >= 1) {
      out.push(`${B} answers ${b.inference.sloAttainmentPct.toFixed(1)}% of inference requests within their SLO; ${A} ${a.inference.sloAttainmentPct.toFixed(1)}%.`);
    }
    if (a.agents.bursts > 0 && b.agents.bursts > 0 && Math.abs(a.agents.meanBurstLatencyS - b.agents.meanBurstLatencyS) > REL * Math.max(a.agents.meanBurstLatencyS, b.agents.meanBurstLatencyS)) {
      out.push(`Agent bursts take ${b.agents.meanBurstLatencyS.toFixed(1)} s on average under ${B} vs ${a.agents.meanBurstLatencyS.toFixed(1)} s under ${A}.`);
    }
    if (Math.abs(a.utilizationPct - b.utilizationPct) >= Math.max(1, REL * Math.max(a.utilizationPct, b.utilizationPct))) {
      out.push(`${B} keeps the GPUs ${b.utilizationPct.toFixed(1)}% busy with real work; ${A} ${a.utilizationPct.toFixed(1)}% (compute used, not just allocated).`);
    }
    const ua = a.cost.usefulGpuHours;
    const ub = b.cost.usefulGpuHours;
    if ((ua === 0) !== (ub === 0)) {
      const [idle, busy, hours] = ua === 0 ? [A, B, ub] : [B, A, ua];
      out.push(`${idle} has done no useful GPU work so far; ${busy} has done ${hours.toFixed(1)} GPU-hours of it.`);
    }
    const ca = a.cost.costPerUsefulGpuHourUsd;
    const cb = b.cost.costPerUsefulGpuHourUsd;
    if (ca > 0 && cb > 0 && Math.abs(ca - cb) > REL * Math.max(ca, cb)) {
      out.push(`A useful GPU-hour costs $${cb.toFixed(2)} under ${B} vs $${ca.toFixed(2)} under ${A}.`);
    }
    for (const [label, s] of [[A, a], [B, b]] as const) {
      if (s.oomKills > 0 && !out.some((line) => line.startsWith(`${label} OOM-killed`))) {
        out.push(`${label} OOM-killed ${s.oomKills} pod${s.oomKills === 1 ? '' : 's'}: GPU memory is not isolated, tenants overran a card.`);
      }
    }
    if (out.length === before) out.push(`${B} and ${A} give the same results on this scenario (within ${REL * 100}%).`);
  }
  return out;
}
