/**
 * What went wrong, and what the user can do: why an edit, import or link was refused (naming each bad field; the
 * loaded scenario stays as it was), a simulation that stopped with an error, work that is not being saved (a full
 * storage), and another tab that saved its work over this tab's (asking whose work to keep).
 */
import { For, Show, type JSX } from 'solid-js';
import type { Workbench } from '../stores/workbench.ts';

/** Alert banners for errors, failed saves and a save conflict between tabs. */
export function ErrorBanner(props: { wb: Workbench }): JSX.Element {
  const wb = props.wb;
  return (
    <>
      <Show when={wb.errors()}>
        {(e) => (
          <div class="error-banner" role="alert">
            <strong>{e().title}</strong>
            <ul>
              <For each={e().items}>{(m) => <li>{m}</li>}</For>
            </ul>
            <Show when={e().question}>
              <p>{e().question}</p>
            </Show>
            <For each={e().actions ?? []}>
              {(a) => (
                <button
                  type="button"
                  onClick={() => {
                    const { title, items } = e();
                    // The question is answered; the message itself stays until dismissed.
                    wb.showError(title, items, { sticky: true });
                    void a.run();
                  }}
                >
                  {a.label}
                </button>
              )}
            </For>
            <button type="button" aria-label="Dismiss message" onClick={() => wb.dismissErrors()}>
              Dismiss
            </button>
          </div>
        )}
      </Show>
      <Show when={wb.conflict()}>
        {(c) => (
          <div class="error-banner" role="alert" aria-label="Saved in another tab">
            <strong>Your saved work was changed in another tab{c().theirs ? ` (now "${c().theirs!.scenario.name}")` : ''}.</strong>
            <ul>
              <li>This tab is not saving until you choose, so neither tab's work is overwritten.</li>
            </ul>
            <button type="button" onClick={() => wb.keepMine()}>
              Keep this tab's work
            </button>
            <Show when={c().theirs}>
              <button type="button" onClick={() => void wb.takeTheirs()}>
                Open the other tab's work
              </button>
            </Show>
          </div>
        )}
      </Show>
      <Show when={wb.saveError()}>
        {(m) => (
          <div class="error-banner" role="alert" aria-label="Not saved">
            <strong>{m()}</strong>
          </div>
        )}
      </Show>
    </>
  );
}
