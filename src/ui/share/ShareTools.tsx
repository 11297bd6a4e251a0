/** Toolbar items of the share features: undo/redo, Share (copy link), Export menu, gallery link, claim chip, and the embed's link out. */
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import type { Scenario } from '../../scenario/types.ts';
import type { Workbench } from '../stores/workbench.ts';
import { CLAIMS, checkExpectations, describeCheck, type CheckResult, type PresetEntry } from './presetManifest.ts';
import { shareCtx, shareReady, type ShareCtx } from './controller.ts';
import { exportCharts, exportCluster, exportData } from './exports.ts';

/** Undo and Redo buttons (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y outside text fields). */
export function UndoRedo(props: { wb: Workbench }): JSX.Element {
  return (
    <span class="sb-group" role="group" aria-label="History">
      <button type="button" aria-label="Undo" aria-keyshortcuts="Control+Z" disabled={!props.wb.canUndo()} onClick={() => void props.wb.undo()}>
        ↶ Undo
      </button>
      <button type="button" aria-label="Redo" aria-keyshortcuts="Control+Shift+Z Control+Y" disabled={!props.wb.canRedo()} onClick={() => void props.wb.redo()}>
        ↷ Redo
      </button>
    </span>
  );
}

/** The link to the presets gallery (`#/gallery`). */
export function GalleryLink(): JSX.Element {
  return (
    <a class="button" href="#/gallery">
      Gallery
    </a>
  );
}

/** In an embed (`?embed=1`): a link that opens the same scenario in the full app. */
export function EmbedLink(): JSX.Element {
  const href = (): string => {
    const q = new URLSearchParams(location.search);
    q.delete('embed');
    const qs = q.toString();
    return `${location.pathname}${qs ? `?${qs}` : ''}${shareCtx()?.wb.ws.shareHash() ?? location.hash}`;
  };
  return (
    <Show when={shareCtx()?.embed}>
      <Portal>
        <a class="sb-embed-link" href={href()} target="_blank" rel="noopener">
          Open in Slicebench ↗
        </a>
      </Portal>
    </Show>
  );
}

/** The Share button: puts the link in the address bar and the clipboard, and shows it. */
export function ShareButton(): JSX.Element {
  const [link, setLink] = createSignal<string | null>(null);
  const [note, setNote] = createSignal('');
  const share = async (): Promise<void> => {
    const c = shareCtx();
    if (!c) return;
    const url = c.shareUrl();
    history.replaceState(null, '', url);
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      setNote(`Link copied (${url.length} characters).`);
    } catch {
      setNote('Copy the link below (the clipboard is not available here).');
    }
  };
  let input!: HTMLInputElement;
  return (
    <span class="sb-share">
      <button type="button" onClick={() => void share()}>
        Share link
      </button>
      <Show when={link()}>
        <span class="sb-popover" role="dialog" aria-label="Share link">
          <span role="status">{note()}</span>
          <input ref={input} readonly aria-label="Share link URL" value={link()!} onFocus={() => input.select()} />
          <button type="button" onClick={() => setLink(null)}>
            Close
          </button>
        </span>
      </Show>
    </span>
  );
}

/** The Export menu: images, data, the scenario, a report. */
export function ExportMenu(): JSX.Element {
  const [msg, setMsg] = createSignal('');
  const act = (fn: () => Promise<void> | void) => async () => {
    try {
      await fn();
      setMsg('');
    } catch (e) {
      setMsg(`Export failed: ${(e as Error).message}`);
    }
  };
  return (
    <details class="sb-menu">
      <summary>Export</summary>
      <div class="sb-menu-items" role="group" aria-label="Export">
        <button type="button" onClick={act(() => exportCharts('svg'))}>Charts as SVG</button>
        <button type="button" onClick={act(() => exportCharts('png'))}>Charts as PNG</button>
        <button type="button" onClick={act(() => exportCluster('svg'))}>Cluster view as SVG</button>
        <button type="button" onClick={act(() => exportCluster('png'))}>Cluster view as PNG</button>
        <button type="button" onClick={act(() => exportData('series-csv'))}>Metric series (CSV)</button>
        <button type="button" onClick={act(() => exportData('summary-csv'))}>Summary (CSV)</button>
        <button type="button" onClick={act(() => exportData('results-json'))}>Series and summary (JSON)</button>
        <button type="button" onClick={act(() => exportData('scenario-json'))}>Scenario (JSON)</button>
        <button type="button" onClick={act(() => exportData('report-html'))}>Comparison report (HTML)</button>
        <Show when={(shareCtx()?.version(), shareCtx()?.wb.ws.presetId)}>
          <button type="button" onClick={() => void shareCtx()?.wb.resetToPreset()}>Reset to preset</button>
        </Show>
        <Show when={msg()}>
          <span role="alert">{msg()}</span>
        </Show>
      </div>
    </details>
  );
}

/** The app's current runs as the stated-number checks read them (undefined when a run is missing). */
export function appChecks(c: ShareCtx, entry: PresetEntry, variant: string | null): { results: CheckResult[]; finished: boolean } {
  const L = c.wb.layout();
  const f = c.wb.frame();
  const finished = !!f && f.runs.length > 0 && f.runs.every((r) => r.finished);
  const results = checkExpectations(entry, (k) => {
    if (!L || !f || !finished || k.variant !== variant) return undefined;
    const i = L.runs.findIndex((r) => r.label === k.profile);
    const j = i >= 0 ? i : L.runs.findIndex((r) => r.profile === k.profile);
    return j < 0 ? undefined : { summary: f.runs[j].summary, series: c.wb.series()[j] ?? [] };
  });
  return { results, finished };
}

/** The claim this preset makes visible, and its stated numbers checked against the runs on screen. */
export function StatedNumbers(props: { compact?: boolean }): JSX.Element {
  return (
    <Show when={shareReady() && shareCtx()?.current()}>
      {(cur) => {
        const c = shareCtx()!;
        const checks = createMemo(() => (c.wb.frame(), appChecks(c, cur().entry, cur().variant)));
        const variantOf = (e: CheckResult['expect']) => e.variant ?? null;
        return (
          <section class="sb-stated" aria-label="Stated numbers">
            <h3>
              Claim {cur().entry.claim}: {CLAIMS[cur().entry.claim]}
              <Show when={cur().variant}> — {cur().entry.variants?.[cur().variant!]?.title}</Show>
            </h3>
            <Show when={!props.compact}>
              <p class="hint">{cur().entry.explanation}</p>
            </Show>
            <Show when={!checks().finished}>
              <p class="hint">Run to the end (End key) to check the numbers.</p>
            </Show>
            <ul>
              <For each={checks().results}>
                {(r) => {
                  const here = () => variantOf(r.expect) === cur().variant || r.actual !== undefined;
                  const state = () => (r.actual === undefined || r.target === undefined ? 'pending' : r.pass ? 'pass' : 'fail');
                  return (
                    <li data-state={state()} data-variant={r.expect.variant ?? ''}>
                      <span class="sb-mark" aria-hidden="true">{state() === 'pass' ? '✓' : state() === 'fail' ? '✗' : '…'}</span>
                      <span class="sb-text">{r.expect.text}</span>
                      <Show
                        when={here()}
                        fallback={
                          <button type="button" class="sb-link" onClick={() => void c.openPreset(cur().entry.id, r.expect.variant ?? null)}>
                            open {r.expect.variant ? cur().entry.variants?.[r.expect.variant]?.title : 'the preset as shipped'}
                          </button>
                        }
                      >
                        <span class="sb-line">{state() === 'pending' ? '' : describeCheck(r)}</span>
                      </Show>
                    </li>
                  );
                }}
              </For>
            </ul>
          </section>
        );
      }}
    </Show>
  );
}

/** A chip naming the claim of the current preset; opens the stated numbers. */
export function ClaimChip(): JSX.Element {
  const [open, setOpen] = createSignal(false);
  return (
    <Show when={shareReady() && shareCtx()?.current()}>
      {(cur) => (
        <span class="sb-share">
          <button type="button" aria-expanded={open()} aria-label="Stated numbers" onClick={() => setOpen(!open())}>
            Claim {cur().entry.claim} ▾
          </button>
          <Show when={open()}>
            <div class="sb-popover sb-wide">
              <StatedNumbers />
            </div>
          </Show>
        </span>
      )}
    </Show>
  );
}

/** The current scenario (the workspace's snapshot). */
export function currentScenario(): Scenario | null {
  return shareCtx()?.wb.ws.scenario ?? null;
}
