/**
 * Live charts of every run, overlaid, sharing the time cursor with the cluster views. While playing, each chart's
 * lines are redrawn at most every CHART_REDRAW_MS, and the charts take turns (each its own phase of that period:
 * ten charts redrawn in one animation frame made that frame the longest of playback); the cursor follows every
 * frame, and a pause, seek or step redraws at once. Only the cursor depends on the frame: the other props shared
 * by the charts are getters of their own, so a new frame does not redraw the lines.
 */
import { createEffect, createMemo, createSignal, on, onCleanup, type JSX } from 'solid-js';
import type { MetricSample } from '../../worker/protocol.ts';
import { RUN_COLOR } from '../lib/palette.ts';
import type { Workbench } from '../stores/workbench.ts';
import { LineChart, type ChartLine } from './LineChart.tsx';

/** Wall time between two redraws of the chart lines while playing, ms. */
const CHART_REDRAW_MS = 250;

/** Number of metric charts: their redraws are spread over CHART_REDRAW_MS in this many phases. */
const CHART_COUNT = 10;

/**
 * The workbench's series, passed on while playing at most once per CHART_REDRAW_MS period, the periods of chart
 * `phase` starting phase/CHART_COUNT of a period after those of chart 0 (at once when not playing).
 */
function throttledSeries(wb: Workbench, phase: number): () => MetricSample[][] {
  const [out, setOut] = createSignal(wb.series(), { equals: false });
  const offsetMs = (phase * CHART_REDRAW_MS) / CHART_COUNT;
  const period = (ms: number): number => Math.floor((ms - offsetMs) / CHART_REDRAW_MS);
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on([wb.series, wb.playing], ([s, playing]) => {
      const now = performance.now();
      if (!playing || period(now) !== last) {
        clearTimeout(timer);
        timer = undefined;
        last = period(now);
        setOut(s);
      } else if (!timer) {
        const nextMs = (last + 1) * CHART_REDRAW_MS + offsetMs;
        timer = setTimeout(() => {
          timer = undefined;
          last = period(performance.now());
          setOut(wb.series());
        }, Math.max(0, nextMs - now));
      }
    }),
  );
  onCleanup(() => clearTimeout(timer));
  return out;
}

/** All metric charts. */
export function ChartsPanel(props: { wb: Workbench }): JSX.Element {
  const wb = props.wb;
  const series = Array.from({ length: CHART_COUNT }, (_, i) => throttledSeries(wb, i));
  const labels = () => wb.layout()?.runs.map((r) => r.label) ?? [];
  /** Chart `chart`'s lines of the value f, one per run. */
  const lines = (chart: number, value: (s: MetricSample) => number, dash?: string, suffix = ''): ChartLine[] =>
    series[chart]().map((samples, i) => ({ label: `${labels()[i] ?? ''}${suffix}`, color: RUN_COLOR[i], dash, samples, value }));
  // Getters, not a function returning an object: spread into a chart, each prop then tracks only what it reads.
  const common = {
    get xMaxS() {
      return wb.layout()?.durationS ?? 1;
    },
    get cursorS() {
      return wb.frame()?.tS;
    },
    onSeek: (t: number) => void wb.seek(t),
    height: 150,
  };
  const slo = createMemo(() => {
    const ws = wb.scenario.workloads.filter((w) => w.kind === 'inference');
    return ws.length ? Math.min(...ws.map((w) => (w.kind === 'inference' ? w.sloMs : Infinity))) : 0;
  });
  const hasInference = () => wb.scenario.workloads.some((w) => w.kind === 'inference');
  const hasAgents = () => wb.scenario.workloads.some((w) => w.kind === 'agent');
  const hasTraining = () => wb.scenario.workloads.some((w) => w.kind === 'training');
  const fragComputed = () => series[2]().some((s) => s.some((x) => x.fragmentedGpus >= 0)) || series[2]().every((s) => s.length === 0);
  return (
    <section class="charts" aria-label="Charts">
      <LineChart {...common} title="GPU allocation (solid) vs utilization (dashed)" unit="%" yMin={100} yMax={100} lines={[...lines(0, (s) => s.allocationPct), ...lines(0, (s) => s.utilizationPct, '4 3', ' util')]} />
      <LineChart {...common} title="GPU memory booked (solid) vs needed (dashed)" unit="%" yMax={100} lines={[...lines(1, (s) => s.gpuMemBookedPct), ...lines(1, (s) => s.gpuMemUsedPct, '4 3', ' needed')]} />
      <LineChart {...common} title="Fragmented GPUs (FGD measure)" unit="GPUs" lines={lines(2, (s) => s.fragmentedGpus)} empty={fragComputed() ? undefined : 'Fragmentation is not computed for this run.'} />
      <LineChart {...common} title="Stranded GPUs (free, but their node is out of CPU or memory)" unit="GPUs" yMin={1} lines={lines(3, (s) => s.strandedGpus)} />
      <LineChart {...common} title="Pending pods" axisUnit="pods" yMin={1} lines={lines(4, (s) => s.pending)} />
      <LineChart {...common} title="Mean wait (pods bound, and pods still pending so far)" unit="s" yMin={1} lines={lines(5, (s) => s.meanWaitS)} />
      <LineChart
        {...common}
        title="Inference p99 latency vs SLO"
        unit="ms"
        lines={lines(6, (s) => s.p99LatencyMs)}
        reference={slo() > 0 ? { value: slo(), label: `SLO ${slo()} ms` } : undefined}
        empty={hasInference() ? undefined : 'No inference service in this scenario.'}
      />
      <LineChart {...common} title="Agent burst latency" unit="s" lines={lines(7, (s) => s.agentBurstLatencyS)} empty={hasAgents() ? undefined : 'No agents in this scenario.'} />
      <LineChart {...common} title="Training progress" unit="%" yMax={100} lines={lines(8, (s) => s.trainingProgressPct)} empty={hasTraining() ? undefined : 'No training job in this scenario.'} />
      <LineChart {...common} title="Cost so far" unit="USD" lines={lines(9, (s) => s.costUsd)} />
    </section>
  );
}
