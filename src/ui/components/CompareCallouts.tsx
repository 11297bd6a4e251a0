/** The differences between the compared runs, in plain words (from their summaries so far). */
import { For, Show, type JSX } from 'solid-js';
import { compareRuns } from '../lib/compare.ts';
import type { Workbench } from '../stores/workbench.ts';
import { shareCtx } from '../share/controller.ts';

/**
 * Plain-language comparison of runs 2–4 against run 1; before there is one, a line saying how to get one. On a
 * preset (or one of its variants) as shipped, its claim orders the sentences and no sentence reverses it.
 */
export function CompareCallouts(props: { wb: Workbench }): JSX.Element {
  const lines = () => {
    const f = props.wb.frame();
    const L = props.wb.layout();
    // A load sets the new layout just before its first frame: skip the moment they disagree on the runs.
    if (!f || !L || f.runs.length < 2 || f.runs.length !== L.runs.length || f.tS <= 0) return [];
    const cur = shareCtx()?.current() ?? null;
    return compareRuns(
      f.runs.map((r, i) => ({ label: L.runs[i].label, profile: L.runs[i].profile, summary: r.summary })),
      f.runs.every((r) => r.finished),
      cur?.entry.expect ?? [],
      cur?.variant ?? null,
    );
  };
  const empty = (): string => {
    const runs = props.wb.layout()?.runs.length ?? 0;
    if (runs === 0) return '';
    if (runs === 1) return 'One scheduler runs. Tick a second one in the Schedulers tab to compare them side by side.';
    if ((props.wb.frame()?.tS ?? 0) <= 0) return 'Press Play (or Space): the differences between the schedulers are written here as the runs go.';
    return 'No difference worth a sentence yet.';
  };
  return (
    <Show
      when={lines().length > 0}
      fallback={
        <Show when={empty()}>
          <p class="compare-empty hint">{empty()}</p>
        </Show>
      }
    >
      <section class="card compare" aria-label="Differences">
        <h3>What differs {props.wb.frame()?.runs.every((r) => r.finished) ? '' : '(so far)'}</h3>
        <ul>
          <For each={lines()}>{(l) => <li>{l}</li>}</For>
        </ul>
      </section>
    </Show>
  );
}
