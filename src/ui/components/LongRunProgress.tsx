/**
 * Progress of a run or seek that takes longer than about 300 ms (stores/longRun.ts), with Cancel: a run
 * forwards stops where it got to; a jump back keeps the previous state.
 */
import { Show, type JSX } from 'solid-js';
import type { Workbench } from '../stores/workbench.ts';
import './LongRunProgress.css';

/** The long-run indicator (absent while nothing long is running). */
export function LongRunProgress(props: { wb: Workbench }): JSX.Element {
  return (
    <Show when={props.wb.longRun.progress()}>
      {(p) => (
        <div class="long-run" role="region" aria-label="Long run in progress">
          <span id="long-run-label">{p().label}</span>
          <progress max="100" value={p().pct} aria-labelledby="long-run-label" aria-valuetext={`${p().pct}%`} />
          <span class="long-run-pct" aria-hidden="true">
            {p().pct}%
          </span>
          <button type="button" aria-label="Cancel the long run" onClick={() => props.wb.longRun.cancel()}>
            Cancel
          </button>
        </div>
      )}
    </Show>
  );
}
