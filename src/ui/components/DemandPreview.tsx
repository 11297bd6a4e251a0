/** Live preview of what the workloads ask for over the run, against the cluster's GPUs. */
import { createMemo, type JSX } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { clusterGpus, demandSeries } from '../lib/demandPreview.ts';
import type { Workbench } from '../stores/workbench.ts';
import { LineChart } from './LineChart.tsx';

/** GPU demand (compute share) and request rate over the run. */
export function DemandPreview(props: { wb: Workbench }): JSX.Element {
  const data = createMemo(() => {
    // Track the whole scenario (any edit changes the preview), then compute on the plain object.
    JSON.stringify(props.wb.scenario.workloads);
    JSON.stringify(props.wb.scenario.sim);
    JSON.stringify(props.wb.scenario.cluster);
    const s = unwrap(props.wb.scenario);
    try {
      return { points: demandSeries(s, 120), gpus: clusterGpus(s) };
    } catch {
      return { points: [], gpus: 0 };
    }
  });
  return (
    <div class="demand-preview" aria-label="Demand preview">
      <LineChart
        title="Demand preview: GPUs asked for (compute share, ideal packing)"
        lines={[{ label: 'GPU demand', color: 'var(--accent)', points: data().points.map((p) => [p.tS, p.gpus] as const) }]}
        reference={{ value: data().gpus, label: `${data().gpus} GPUs in the cluster` }}
        xMaxS={props.wb.scenario.sim.durationS}
        width={330}
        height={110}
      />
      <LineChart
        title="Inference requests"
        unit="req/s"
        lines={[{ label: '', color: 'var(--kind-inference)', points: data().points.map((p) => [p.tS, p.qps] as const) }]}
        xMaxS={props.wb.scenario.sim.durationS}
        width={330}
        height={90}
      />
    </div>
  );
}
