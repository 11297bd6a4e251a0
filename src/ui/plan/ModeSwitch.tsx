/** The Run / Plan switch in the toolbar: two toggle buttons in a labelled group, reachable with Tab. */
import type { JSX } from 'solid-js';
import { mode, setMode } from './planMode.ts';
import './modeSwitch.css';

/** Run / Plan mode switch. */
export function ModeSwitch(props: { onPlan?: () => void }): JSX.Element {
  return (
    <div class="mode-switch" role="group" aria-label="Mode">
      <button type="button" aria-pressed={mode() === 'run'} title="Play the scenario's runs side by side" onClick={() => setMode('run')}>
        Run
      </button>
      <button
        type="button"
        aria-pressed={mode() === 'plan'}
        title="Plan: how large a cluster each scheduler needs to meet the targets, over many seeds"
        onClick={() => {
          props.onPlan?.();
          setMode('plan');
        }}
      >
        Plan
      </button>
    </div>
  );
}
