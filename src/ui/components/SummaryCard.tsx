/** The summary of one run so far: the headline numbers, and the trace hash (same as `slicebench run --json`). */
import type { JSX } from 'solid-js';
import { fmt, formatDuration } from '../lib/format.ts';
import { avgGpusBooked } from '../lib/compare.ts';
import { RUN_COLOR } from '../lib/palette.ts';
import type { Workbench } from '../stores/workbench.ts';

/** What each summary row averages or counts (shown on hover). */
const TITLES: Record<string, string> = {
  alloc: 'Time-average share of GPU capacity booked by pods',
  util: 'Time-average share of GPU compute really used',
  booked: 'Average GPUs booked = allocation × GPUs',
  stranded: 'Average free GPUs on nodes whose CPU or memory can no longer host any GPU pod',
  frag: "Average fragmented GPUs (FGD's measure)",
  cost: 'Cost of every GPU of the cluster / GPU-hours of compute really used',
};

/** Summary card of run `run`. */
export function SummaryCard(props: { wb: Workbench; run: number }): JSX.Element {
  const r = () => props.wb.frame()?.runs[props.run];
  const s = () => r()?.summary;
  const label = () => props.wb.layout()?.runs[props.run]?.label ?? '';
  const rows = (): [string, string, string][] => {
    const x = s();
    if (!x) return [];
    return [
      ['alloc', 'Allocation', `${fmt(x.allocationPct)}%`],
      ['util', 'Utilization', `${fmt(x.utilizationPct)}%`],
      ['booked', 'GPUs booked', `${avgGpusBooked(x).toFixed(1)} of ${x.gpus}`],
      ['mem', 'GPU mem booked/needed', `${fmt(x.gpuMemBookedPct)}% / ${fmt(x.gpuMemUsedPct)}%`],
      ['stranded', 'Stranded GPUs', fmt(x.strandedGpusAvg)],
      ['frag', 'Fragmented GPUs', fmt(x.fragmentedGpusAvg)],
      ['pods', 'Pods bound/created', `${x.podsBound} / ${x.podsCreated}`],
      ['pending', 'Pending now', String(r()?.pendingCount ?? 0)],
      ['wait', 'Wait mean/p95', `${formatDuration(x.meanWaitS)} / ${formatDuration(x.p95WaitS)}`],
      ['training', 'Training done/jobs', `${x.training.completed} / ${x.training.jobs}`],
      ['slo', 'Inference in SLO', x.inference.services ? `${fmt(x.inference.sloAttainmentPct)}%` : '—'],
      ['bursts', 'Agent burst', x.agents.bursts ? `${fmt(x.agents.meanBurstLatencyS)} s` : '—'],
      ['cost', '$ / useful GPU-h', x.cost.costPerUsefulGpuHourUsd > 0 ? `$${x.cost.costPerUsefulGpuHourUsd.toFixed(2)}` : '—'],
      ['oom', 'OOM kills/evictions', `${x.oomKills} / ${x.evictions}`],
    ];
  };
  return (
    <article class="card summary" style={{ 'border-top-color': RUN_COLOR[props.run] }} aria-label={`Summary of ${label()}`}>
      <h3>{label()}</h3>
      <dl>
        {rows().map(([key, name, value]) => (
          <>
            <dt title={TITLES[key]}>{name}</dt>
            <dd data-metric={key}>{value}</dd>
          </>
        ))}
        <dt>Trace hash</dt>
        <dd data-metric="traceHash" class="mono">
          {r()?.traceHash}
        </dd>
      </dl>
    </article>
  );
}
