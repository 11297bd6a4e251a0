/**
 * Live charts of every run, overlaid, sharing the time cursor with the cluster views. While playing, the lines
 * are redrawn at most every CHART_REDRAW_MS (ten charts of d3 paths each frame cost more than the cluster view);
 * the cursor follows every frame, and a pause, seek or step redraws at once.
 */
import { createEffect, createMemo, createSignal, on, onCleanup, type JSX } from 'solid-js';
import type { MetricSample } from '../../worker/protocol.ts';
import { RUN_COLOR } from '../lib/palette.ts';
import type { Workbench } from '../stores/workbench.ts';
import { LineChart, type ChartLine } from './LineChart.tsx';

/** Wall time between two redraws of the chart lines while playing, ms. */
const CHART_REDRAW_MS = 250;

/** The workbench's series, passed on at most every CHART_REDRAW_MS while playing (at once otherwise). */
function throttledSeries(wb: Workbench): () => MetricSample[][] {
  const [out, setOut] = createSignal(wb.series(), { equals: false });
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on([wb.series, wb.playing], ([s, playing]) => {
      const now = performance.now();
      if (!playing || now - last >= CHART_REDRAW_MS) {
        clearTimeout(timer);
        timer = undefined;
        last = now;
        setOut(s);
      } else if (!timer) {
        timer = setTimeout(() => {
          timer = undefined;
          last = performance.now();
          setOut(wb.series());
        }, CHART_REDRAW_MS - (now - last));
      }
    }),
  );
  onCleanup(() => clearTimeout(timer));
  return out;
}

/** All metric charts. */
export function ChartsPanel(props: { wb: Workbench }): JSX.Element {
  const wb = props.wb;
  const series = throttledSeries(wb);
  const labels = () => wb.layout()?.runs.map((r) => r.label) ?? [];
  const lines = (f: (s: MetricSample) => number, dash?: string, suffix = ''): ChartLine[] =>
    series().map((ser, i) => ({ label: `${labels()[i] ?? ''}${suffix}`, color: RUN_COLOR[i], dash, points: ser.map((s) => [s.tS, f(s)] as const) }));
  const common = () => ({ xMaxS: wb.layout()?.durationS ?? 1, cursorS: wb.frame()?.tS, onSeek: (t: number) => void wb.seek(t), height: 150 });
  const slo = createMemo(() => {
    const ws = wb.scenario.workloads.filter((w) => w.kind === 'inference');
    return ws.length ? Math.min(...ws.map((w) => (w.kind === 'inference' ? w.sloMs : Infinity))) : 0;
  });
  const hasInference = () => wb.scenario.workloads.some((w) => w.kind === 'inference');
  const hasAgents = () => wb.scenario.workloads.some((w) => w.kind === 'agent');
  const hasTraining = () => wb.scenario.workloads.some((w) => w.kind === 'training');
  const fragComputed = () => series().some((s) => s.some((x) => x.fragmentedGpus >= 0)) || series().every((s) => s.length === 0);
  return (
    <section class="charts" aria-label="Charts">
      <LineChart {...common()} title="GPU allocation (solid) vs utilization (dashed)" unit="%" yMin={100} yMax={100} lines={[...lines((s) => s.allocationPct), ...lines((s) => s.utilizationPct, '4 3', ' util')]} />
      <LineChart {...common()} title="GPU memory booked (solid) vs needed (dashed)" unit="%" yMax={100} lines={[...lines((s) => s.gpuMemBookedPct), ...lines((s) => s.gpuMemUsedPct, '4 3', ' needed')]} />
      <LineChart {...common()} title="Fragmented GPUs (FGD measure)" unit="GPUs" lines={lines((s) => s.fragmentedGpus)} empty={fragComputed() ? undefined : 'Fragmentation is not computed for this run.'} />
      <LineChart {...common()} title="Stranded GPUs (free, but their node is out of CPU or memory)" unit="GPUs" yMin={1} lines={lines((s) => s.strandedGpus)} />
      <LineChart {...common()} title="Pending pods" axisUnit="pods" yMin={1} lines={lines((s) => s.pending)} />
      <LineChart {...common()} title="Mean wait (pods bound, and pods still pending so far)" unit="s" yMin={1} lines={lines((s) => s.meanWaitS)} />
      <LineChart
        {...common()}
        title="Inference p99 latency vs SLO"
        unit="ms"
        lines={lines((s) => s.p99LatencyMs)}
        reference={slo() > 0 ? { value: slo(), label: `SLO ${slo()} ms` } : undefined}
        empty={hasInference() ? undefined : 'No inference service in this scenario.'}
      />
      <LineChart {...common()} title="Agent burst latency" unit="s" lines={lines((s) => s.agentBurstLatencyS)} empty={hasAgents() ? undefined : 'No agents in this scenario.'} />
      <LineChart {...common()} title="Training progress" unit="%" yMax={100} lines={lines((s) => s.trainingProgressPct)} empty={hasTraining() ? undefined : 'No training job in this scenario.'} />
      <LineChart {...common()} title="Cost so far" unit="USD" lines={lines((s) => s.costUsd)} />
    </section>
  );
}
