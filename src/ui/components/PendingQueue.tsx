/** The pending queue of one run: waiting pods as buttons (click: why is it waiting?), coloured by kind. */
import { Index, Show, type JSX } from 'solid-js';
import { KIND_COLOR } from '../lib/palette.ts';
import type { Workbench } from '../stores/workbench.ts';

/** Pending pods of a run. */
export function PendingQueue(props: { wb: Workbench; run: number }): JSX.Element {
  const r = () => props.wb.frame()?.runs[props.run];
  return (
    <div class="queue" role="group" aria-label={`Pending queue of run ${props.run + 1}`}>
      <span class="queue-count">{r()?.pendingCount ?? 0} pending</span>
      {/* The worker sends a new list each frame: Index keeps the chips and updates them in place. */}
      <Index each={r()?.pending ?? []}>
        {(p) => (
          <button
            type="button"
            class="chip"
            classList={{ failing: p().attempts > 0 }}
            style={{ 'border-color': KIND_COLOR[p().kind] }}
            title={p().reason || 'not tried yet'}
            aria-label={`Why is ${p().pod} waiting?`}
            onClick={() => props.wb.select({ type: 'pod', run: props.run, pod: p().pod })}
          >
            <span class="dot" style={{ background: KIND_COLOR[p().kind] }} aria-hidden="true" />
            {p().pod}
          </button>
        )}
      </Index>
      <Show when={(r()?.pendingCount ?? 0) > (r()?.pending.length ?? 0)}>
        <span class="hint">+{(r()?.pendingCount ?? 0) - (r()?.pending.length ?? 0)} more</span>
      </Show>
    </div>
  );
}
