/** What the colours and bars of the cluster view mean: a small example GPU, the slice colours, the bars. */
import { For, type JSX } from 'solid-js';
import { KIND_COLOR, KIND_LABEL } from '../lib/palette.ts';
import type { WorkloadKind } from '../../worker/protocol.ts';

/** Colour legend of the cluster views and the pending queues. */
export function Legend(): JSX.Element {
  const kinds: WorkloadKind[] = ['training', 'inference', 'agent', 'batch', 'trace', 'raycluster'];
  return (
    <div class="legend-bar" role="note" aria-label="Legend">
      <span class="legend-item" title="Each small cell is one GPU. Pods fill it with slices side by side, as wide as the share of the GPU they booked; an empty cell is a free GPU.">
        <svg class="legend-gpu" width="30" height="16" viewBox="0 0 30 16" aria-hidden="true">
          <rect x="0" y="0" width="30" height="16" rx="2" class="legend-cell" />
          <rect x="0" y="0" width="14" height="12" fill={KIND_COLOR.inference} />
          <rect x="14.5" y="0" width="7" height="12" fill={KIND_COLOR.agent} />
          <rect x="0" y="13.5" width="12" height="2.5" class="legend-util" />
        </svg>
        a GPU: slices as wide as their share, coloured by workload:
      </span>
      <For each={kinds}>
        {(k) => (
          <span class="legend-item">
            <span class="swatch" style={{ background: KIND_COLOR[k] }} aria-hidden="true" />
            {KIND_LABEL[k]}
          </span>
        )}
      </For>
      <span class="legend-item">
        <span class="swatch util" aria-hidden="true" />
        compute really used (bar under a GPU)
      </span>
      <span class="legend-item">
        <span class="swatch cpu" aria-hidden="true" />
        node CPU used
      </span>
      <span class="legend-item">
        <span class="swatch mem" aria-hidden="true" />
        node memory used
      </span>
      <span class="legend-item">
        <span class="swatch cell" aria-hidden="true" />
        free GPU
      </span>
    </div>
  );
}
