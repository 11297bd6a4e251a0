/** Keyboard help (`?`): a modal listing the shortcuts. Escape or the button closes it. */
import { For, Show, type JSX } from 'solid-js';

export const SHORTCUTS: [string, string][] = [
  ['Space', 'Play / pause'],
  ['→', 'Step one event'],
  ['←', 'Back one metrics step (replays from the start)'],
  ['↑ / ↓', 'Faster / slower'],
  ['Home / End', 'Restart / run to the end'],
  ['Ctrl+Z', 'Undo the last edit (outside text fields)'],
  ['Ctrl+Shift+Z / Ctrl+Y', 'Redo'],
  ['?', 'This help'],
  ['Esc', 'Close help or the why-here panel'],
  ['← / → on the editor tabs', 'Previous / next tab (Home / End: first / last)'],
  ['Tab to a GPU, then arrows', 'Next GPU (← →) or node (↑ ↓); Enter: why here?'],
  ['Presenting: → ← / PageDown PageUp', 'Next / previous story step'],
  ['Presenting: End', 'Last step, run to the end'],
  ['Presenting: P', 'Play / pause the animation'],
  ['Presenting: Q', 'Share link as a QR code (closing step)'],
];

/** The help dialog. */
export function HelpOverlay(props: { open: boolean; onClose: () => void; engine?: string }): JSX.Element {
  return (
    <Show when={props.open}>
      <div class="overlay" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
        <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title">
          <h2 id="help-title">Keyboard shortcuts</h2>
          <table>
            <tbody>
              <For each={SHORTCUTS}>
                {([k, what]) => (
                  <tr>
                    <th scope="row">
                      <kbd>{k}</kbd>
                    </th>
                    <td>{what}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <p class="hint">Hover a GPU for its memory, cores and tenants; click it (or a pending pod) to see why.</p>
          <Show when={props.engine}>
            <p class="help-engine">
              <strong>Engine:</strong> {props.engine}
            </p>
            <p class="hint">Pick Auto, CPU or GPU (forced) in the engine badge's panel (toolbar); every engine gives the same runs.</p>
          </Show>
          <button type="button" ref={(el) => queueMicrotask(() => el.focus())} onClick={() => props.onClose()}>
            Close help
          </button>
        </div>
      </div>
    </Show>
  );
}
