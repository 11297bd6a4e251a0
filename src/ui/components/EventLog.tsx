/** Recent failures worth seeing: OOM kills and evictions, per run. */
import { For, Show, type JSX } from 'solid-js';
import { formatSimTime } from '../lib/format.ts';
import type { Workbench } from '../stores/workbench.ts';

/** The last few OOM kills and evictions. */
export function EventLog(props: { wb: Workbench }): JSX.Element {
  return (
    <Show when={props.wb.notices().length > 0}>
      <section class="card events" aria-label="Failures and preemptions">
        <ul>
          <For each={props.wb.notices()}>
            {(n) => (
              <li classList={{ oom: n.kind === 'oom', evict: n.kind === 'evict' }}>
                {formatSimTime(n.tS)} [{props.wb.layout()?.runs[n.run]?.label}] {n.text}
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
