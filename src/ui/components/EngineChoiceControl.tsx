/**
 * The engine choice, in the engine badge's panel: Auto / CPU / GPU (forced) as a group of toggle buttons (Tab
 * reaches each, Enter or Space picks it; arrow keys never switch by accident, since each switch replays the runs).
 * The badge says which engine runs and why; the runs and charts stay the same whichever engine runs them.
 */
import { For, type JSX } from 'solid-js';
import { ENGINE_OPTIONS } from '../lib/engineChoice.ts';
import type { Workbench } from '../stores/workbench.ts';

/** Auto / CPU / GPU (forced) buttons; the pressed one is the current choice. */
export function EngineChoiceControl(props: { wb: Workbench }): JSX.Element {
  return (
    <div class="engine-choice" role="group" aria-label="Engine" aria-busy={props.wb.engineSwitching()}>
      <span class="engine-choice-label" aria-hidden="true">
        Engine
      </span>
      <For each={ENGINE_OPTIONS}>
        {(o) => (
          <button
            type="button"
            aria-pressed={props.wb.engineChoice() === o.value}
            title={`${o.text}: ${o.help}. Every engine gives the same runs.`}
            onClick={() => void props.wb.setEngineChoice(o.value)}
          >
            {o.text}
          </button>
        )}
      </For>
    </div>
  );
}
