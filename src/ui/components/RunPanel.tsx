/**
 * One compared run: its name, live headline numbers, pending queue and cluster view; when the simulation stopped
 * with an error, a line saying the numbers stop there (they are not a finished run). The headline numbers are
 * read from the same frame the cluster view draws (the state at the clock's time), not from the last metric
 * sample, which averages the interval before it and can be up to a metrics step behind the drawing.
 */
import { createMemo, Show, type JSX } from 'solid-js';
import { fmt, formatSimTime } from '../lib/format.ts';
import { frameHeadline } from '../lib/headline.ts';
import { RUN_COLOR } from '../lib/palette.ts';
import type { Workbench } from '../stores/workbench.ts';
import { ClusterView } from './ClusterView.tsx';
import { PendingQueue } from './PendingQueue.tsx';

/** Panel of run `run`. */
export function RunPanel(props: { wb: Workbench; run: number; viewHeight: number }): JSX.Element {
  const L = () => props.wb.layout();
  const last = () => {
    const s = props.wb.series()[props.run];
    return s?.[s.length - 1];
  };
  // Once per frame (a pass over every GPU), not once per number the header shows.
  const now = createMemo(() => {
    const r = props.wb.frame()?.runs[props.run];
    return r ? frameHeadline(r.gpuMilli, r.gpuUsedPct) : { holding: 0, gpus: 0, allocationPct: 0, utilizationPct: 0 };
  });
  return (
    <section class="run" aria-label={`Run ${L()?.runs[props.run]?.label ?? ''}`} style={{ 'border-top-color': RUN_COLOR[props.run] }}>
      <header class="run-head">
        <h2>{L()?.runs[props.run]?.label}</h2>
        <span class="live">
          <strong>{now().holding}</strong> of {now().gpus} GPUs hold pods · allocated <strong>{fmt(now().allocationPct, 0)}%</strong> · used <strong>{fmt(now().utilizationPct, 0)}%</strong> · stranded <strong>{last()?.strandedGpus ?? 0}</strong>
        </span>
      </header>
      <Show when={props.wb.failure()}>
        {(f) => (
          <p class="run-failed" role="status">
            Stopped by an error at {formatSimTime(f().atS)}: these numbers are not a finished run.
          </p>
        )}
      </Show>
      <PendingQueue wb={props.wb} run={props.run} />
      <ClusterView wb={props.wb} run={props.run} height={props.viewHeight} />
    </section>
  );
}
