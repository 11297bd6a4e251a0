/** The differences between the compared runs, in plain words (from their summaries so far). */
import { createMemo, For, Show, type JSX } from 'solid-js';
import { compareRuns } from '../lib/compare.ts';
import { claimStillApplies } from '../lib/claimScope.ts';
import type { Workbench } from '../stores/workbench.ts';
import { shareCtx } from '../share/controller.ts';
import { variantScenario, type Expectation } from '../share/presetManifest.ts';

/** The claim that orders the sentences, and a note when an edited preset's claim no longer applies. */
interface ClaimInUse {
  expect: readonly Expectation[];
  variant: string | null;
  note: string | null;
}

/**
 * Plain-language comparison of runs 2–4 against run 1; before there is one, a line saying how to get one. On a
 * preset (or one of its variants), its claim orders the sentences and no sentence reverses it; an edited preset
 * keeps its claim while the claim still applies (lib/claimScope.ts), else a note says the claim is set aside.
 */
export function CompareCallouts(props: { wb: Workbench }): JSX.Element {
  const claim = createMemo((): ClaimInUse => {
    const c = shareCtx();
    const cur = c?.current() ?? null;
    if (cur) return { expect: cur.entry.expect, variant: cur.variant, note: null };
    c?.version(); // the preset the work came from is no signal: the workspace's version is
    const id = c?.wb.ws.presetId ?? null;
    const entry = id === null ? undefined : c?.manifest().find((e) => e.id === id);
    const base = id === null ? undefined : c?.presetScenario(id);
    if (!entry || !base) return { expect: [], variant: null, note: null };
    const now = props.wb.scenario;
    for (const variant of [null, ...Object.keys(entry.variants ?? {})]) {
      const shipped = variantScenario(base, entry, variant);
      if (shipped.ok && claimStillApplies(now, shipped.value, entry.expect, variant)) return { expect: entry.expect, variant, note: null };
    }
    // Work that no longer carries the preset's name (a blank scenario, an import) is not that preset: no note.
    if (now.name !== base.name) return { expect: [], variant: null, note: null };
    return { expect: [], variant: null, note: `The claim of "${entry.title}" is set aside: this scenario's cluster, workloads, settings or claimed schedulers differ from the preset's, so the sentences below follow the numbers alone.` };
  });
  const lines = () => {
    const f = props.wb.frame();
    const L = props.wb.layout();
    // A load sets the new layout just before its first frame: skip the moment they disagree on the runs.
    if (!f || !L || f.runs.length < 2 || f.runs.length !== L.runs.length || f.tS <= 0) return [];
    const c = claim();
    return compareRuns(
      f.runs.map((r, i) => ({ label: L.runs[i].label, profile: L.runs[i].profile, summary: r.summary })),
      f.runs.every((r) => r.finished),
      c.expect,
      c.variant,
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
        <Show when={claim().note}>
          <p class="hint claim-note">{claim().note}</p>
        </Show>
        <ul>
          <For each={lines()}>{(l) => <li>{l}</li>}</For>
        </ul>
      </section>
    </Show>
  );
}
