/** Messages that need the user (bad input, a failed run) as one alert list; nothing is rendered while there are none. */
import { For, Show, type JSX } from 'solid-js';

/** The list of `messages` in a `role="alert"` box (class `openb-errors` unless `class` says otherwise). */
export function AlertList(props: { messages: readonly string[]; class?: string }): JSX.Element {
  return (
    <Show when={props.messages.length > 0}>
      <div class={props.class ?? 'openb-errors'} role="alert">
        <ul>
          <For each={props.messages}>{(m) => <li>{m}</li>}</For>
        </ul>
      </div>
    </Show>
  );
}
