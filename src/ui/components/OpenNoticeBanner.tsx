/**
 * What an open left out although it opened: a share link whose view had a malformed field (dropped, named here)
 * still opens its scenario, and the user learns which part was ignored. Polite (a status, not an alert: nothing
 * was lost), dismissed by its button or by Escape while the focus is in it.
 */
import { For, Show, type JSX } from 'solid-js';
import type { Workbench } from '../stores/workbench.ts';

/** The notice region: always in the page (so screen readers announce what appears in it), empty until needed. */
export function OpenNoticeBanner(props: { wb: Workbench }): JSX.Element {
  const wb = props.wb;
  const dismiss = (): void => {
    const inside = document.activeElement?.closest('.notice-banner');
    wb.dismissOpenNotice();
    // The focused button goes with the notice: the focus moves to the run controls, not to the page's start.
    if (inside) document.getElementById('run-controls')?.focus();
  };
  return (
    <div role="status" aria-label="Notice about what was opened">
      <Show when={wb.openNotice()}>
        {(n) => (
          <div
            class="notice-banner"
            onKeyDown={(e) => {
              if (e.key !== 'Escape') return;
              // Escape here answers the notice only (the app's Escape also clears the selection).
              e.stopPropagation();
              dismiss();
            }}
          >
            <strong>{n().title}</strong>
            <ul>
              <For each={n().items}>{(m) => <li>{m}</li>}</For>
            </ul>
            <button type="button" aria-label="Dismiss notice" onClick={dismiss}>
              Dismiss
            </button>
          </div>
        )}
      </Show>
    </div>
  );
}
