/** What the colours and bars of the cluster view mean. */
import { For, type JSX } from 'solid-js';
import { KIND_COLOR, KIND_LABEL } from '../lib/palette.ts';
import type { WorkloadKind } from '../../model/pod.ts';

/** Colour legend. */
export function Legend(): JSX.Element {
  const kinds: WorkloadKind[] = ['training', 'inference', 'agent', 'batch', 'trace', 'raycluster'];
  return (
    <div class="legend-bar" aria-label="Legend">
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
        compute used (bar under a GPU)
      </span>
      <span class="legend-item">
        <span class="swatch cpu" aria-hidden="true" />
        node CPU / <span class="swatch mem" aria-hidden="true" /> memory used
      </span>
    </div>
  );
}
