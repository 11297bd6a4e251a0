/** Why an edit or import was refused, naming each bad field; the loaded scenario stays as it was. */
import { For, Show, type JSX } from 'solid-js';
import type { Workbench } from '../stores/workbench.ts';

/** Alert banner for validation and import errors. */
export function ErrorBanner(props: { wb: Workbench }): JSX.Element {
  return (
    <Show when={props.wb.errors()}>
      {(e) => (
        <div class="error-banner" role="alert">
          <strong>{e().title}</strong>
          <ul>
            <For each={e().items}>{(m) => <li>{m}</li>}</For>
          </ul>
          <button type="button" aria-label="Dismiss message" onClick={() => props.wb.dismissErrors()}>
            Dismiss
          </button>
        </div>
      )}
    </Show>
  );
}
