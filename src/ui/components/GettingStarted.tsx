/**
 * First-visit hint strip: the path through the workbench in five steps (sketch a cluster, add workloads, pick
 * schedulers, play, ask why). Steps 1–3 open their editor tab. Dismissing it is remembered in localStorage.
 */
import { createSignal, Show, type JSX } from 'solid-js';

/** localStorage key remembering that the strip was dismissed. */
export const HINTS_KEY = 'slicebench.hints-dismissed';

/** True when the strip was dismissed before (false when storage is unavailable). */
export function hintsDismissed(): boolean {
  try {
    return localStorage.getItem(HINTS_KEY) === '1';
  } catch {
    return false;
  }
}

/** The editor tabs a step can open. */
export type EditorTab = 'cluster' | 'workloads' | 'schedulers';

/** The getting-started strip; `onTab` opens an editor tab. */
export function GettingStarted(props: { onTab: (tab: EditorTab) => void }): JSX.Element {
  const [shown, setShown] = createSignal(!hintsDismissed());
  const close = (): void => {
    setShown(false);
    try {
      localStorage.setItem(HINTS_KEY, '1');
    } catch {
      // Storage refused (private mode, policy): the strip stays hidden for this visit only.
    }
  };
  const step = (n: number, tab: EditorTab, text: string): JSX.Element => (
    <li>
      <button type="button" class="gs-step" onClick={() => props.onTab(tab)}>
        <span class="gs-num" aria-hidden="true">
          {n}
        </span>
        {text}
      </button>
    </li>
  );
  return (
    <Show when={shown()}>
      <section class="getting-started" aria-label="Getting started">
        <strong class="gs-title">New here?</strong>
        <ol class="gs-steps">
          {step(1, 'cluster', 'Sketch a cluster')}
          {step(2, 'workloads', 'Add workloads')}
          {step(3, 'schedulers', 'Tick two or more schedulers')}
          <li>
            <span class="gs-num" aria-hidden="true">
              4
            </span>
            Press <kbd>▶ Play</kbd> or <kbd>Space</kbd>: the same load runs under each scheduler
          </li>
          <li>
            <span class="gs-num" aria-hidden="true">
              5
            </span>
            Read “What differs”; click a pending pod or a GPU to ask why
          </li>
        </ol>
        <button type="button" class="gs-close" aria-label="Hide the getting-started steps" title="Hide these steps (remembered)" onClick={close}>
          ✕
        </button>
      </section>
    </Show>
  );
}
