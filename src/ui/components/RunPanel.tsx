/** One compared run: its name, live headline numbers, pending queue and cluster view. */
import type { JSX } from 'solid-js';
import { fmt } from '../lib/format.ts';
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
  return (
    <section class="run" aria-label={`Run ${L()?.runs[props.run]?.label ?? ''}`} style={{ 'border-top-color': RUN_COLOR[props.run] }}>
      <header class="run-head">
        <h2>{L()?.runs[props.run]?.label}</h2>
        <span class="live">
          allocated <strong>{fmt(last()?.allocationPct ?? 0, 0)}%</strong> · used <strong>{fmt(last()?.utilizationPct ?? 0, 0)}%</strong> · stranded <strong>{last()?.strandedGpus ?? 0}</strong>
        </span>
      </header>
      <PendingQueue wb={props.wb} run={props.run} />
      <ClusterView wb={props.wb} run={props.run} height={props.viewHeight} />
    </section>
  );
}
