/** The summary of one run so far: the headline numbers, and the trace hash (same as `slicebench run --json`). */
import { Index, type JSX } from 'solid-js';
import { fmt, formatDuration } from '../lib/format.ts';
import { avgGpusBooked } from '../lib/compare.ts';
import { RUN_COLOR } from '../lib/palette.ts';
import type { Workbench } from '../stores/workbench.ts';

/** What each summary row means (hover or focus; from the doc comments of src/sim/metrics.ts). */
export const SUMMARY_HELP: Readonly<Record<string, string>> = {
  alloc: 'GPU allocation: time-average of the milli-GPU booked by pods / (GPUs × 1000), over the run so far',
  util: 'GPU utilization: time-average of the GPU compute really used / all GPU compute, over the run so far',
  booked: 'GPUs booked: average allocation × GPUs of the cluster, i.e. how many whole GPUs the bookings add up to',
  mem: 'GPU memory: time-average of the memory booked by pods, and of the memory they really use, as % of all GPU memory. Time-slicing books none and does not isolate it: when the tenants of a card need more than it has, the newest is OOM-killed',
  stranded: 'Stranded GPUs: average free GPUs on nodes whose free CPU or memory can no longer host any GPU pod of the scenario',
  frag: "Fragmented GPUs: average cluster fragment in GPUs (FGD's measure: free GPU capacity the typical pods cannot use)",
  pods: 'Pods bound / created: pods ever placed on a node / pods the workloads have created so far',
  pending: 'Pods waiting in the scheduling queue right now',
  wait: 'Wait: time in the queue before each bind, and for pods still pending their wait so far (censored at now), mean and 95th percentile; how many pending pods never started',
  training: 'Training jobs completed / training jobs that have arrived',
  slo: 'Inference requests answered within their latency SLO, weighted by requests (M/M/1 per replica)',
  bursts: 'Agent burst latency: mean time from a burst of agent work arriving to it finishing',
  cost: 'Cost per useful GPU-hour: price of every GPU of the cluster for the run / GPU-hours of compute really used',
  oom: 'OOM kills (time-slicing without memory isolation, or a MIG instance too small for its pod) / pods evicted by preemption',
  mig: 'MIG compute slices (7 per MIG GPU), averaged over the run: held by pods / idle in instances a static layout created / stranded (no instance can use them)',
  traceHash: 'Trace hash: fingerprint of every scheduling decision; equal to `slicebench run --json` for the same scenario and seed',
};

/** Summary card of run `run`. */
export function SummaryCard(props: { wb: Workbench; run: number }): JSX.Element {
  const r = () => props.wb.frame()?.runs[props.run];
  const s = () => r()?.summary;
  const label = () => props.wb.layout()?.runs[props.run]?.label ?? '';
  // Time-slicing books no GPU memory: say next to the memory numbers that nothing stops a tenant overrunning a card.
  const isolation = (): string => (props.wb.layout()?.runs[props.run]?.profile === 'k8s-timeslicing' ? ' (not isolated: OOM risk)' : '');
  const rows = (): [string, string, string][] => {
    const x = s();
    if (!x) return [];
    return [
      ['alloc', 'GPU allocation', `${fmt(x.allocationPct)}%`],
      ['util', 'GPU utilization', `${fmt(x.utilizationPct)}%`],
      ['booked', 'GPUs booked', `${avgGpusBooked(x).toFixed(1)} of ${x.gpus}`],
      ['mem', 'GPU memory booked / needed', `${fmt(x.gpuMemBookedPct)}% / ${fmt(x.gpuMemUsedPct)}%${isolation()}`],
      ['stranded', 'Stranded GPUs', fmt(x.strandedGpusAvg)],
      ['frag', 'Fragmented GPUs', fmt(x.fragmentedGpusAvg)],
      ...(x.mig ? ([['mig', 'MIG slices used / idle / stranded', `${fmt(x.mig.usedSlicesPct)}% / ${fmt(x.mig.idleSlicesPct)}% / ${fmt(x.mig.strandedSlicesPct)}%`]] as [string, string, string][]) : []),
      ['pods', 'Pods bound / created', `${x.podsBound} / ${x.podsCreated}`],
      ['pending', 'Pending now', String(r()?.pendingCount ?? 0)],
      ['wait', 'Wait: mean / p95', `${formatDuration(x.meanWaitS)} / ${formatDuration(x.p95WaitS)}${x.podsNeverStarted > 0 ? ` (${x.podsNeverStarted} never started)` : ''}`],
      ['training', 'Training jobs done', `${x.training.completed} / ${x.training.jobs}`],
      ['slo', 'Inference within SLO', x.inference.services ? `${fmt(x.inference.sloAttainmentPct)}%` : '—'],
      ['bursts', 'Agent burst latency', x.agents.bursts ? `${fmt(x.agents.meanBurstLatencyS)} s` : '—'],
      ['cost', '$ per useful GPU-hour', x.cost.costPerUsefulGpuHourUsd > 0 ? `$${x.cost.costPerUsefulGpuHourUsd.toFixed(2)}` : '—'],
      ['oom', 'OOM kills / evictions', `${x.oomKills} / ${x.evictions}`],
    ];
  };
  return (
    <article class="card summary" style={{ 'border-top-color': RUN_COLOR[props.run] }} aria-label={`Summary of ${label()}`}>
      <h3>{label()}</h3>
      <dl>
        {/* Index keeps each row's elements from frame to frame and updates their text (a new array of rows
            every frame would otherwise rebuild the list each time). */}
        <Index each={rows()}>
          {(row) => (
            <>
              <dt title={SUMMARY_HELP[row()[0]]}>{row()[1]}</dt>
              <dd data-metric={row()[0]}>{row()[2]}</dd>
            </>
          )}
        </Index>
        <dt title={SUMMARY_HELP.traceHash}>Trace hash</dt>
        <dd data-metric="traceHash" class="mono">
          {r()?.traceHash}
        </dd>
      </dl>
    </article>
  );
}
