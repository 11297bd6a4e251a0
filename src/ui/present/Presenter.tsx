/**
 * Presenter mode: large type, editors hidden, the current story step of the preset as a caption, and keys that
 * advance it (→, PageDown, Space: next; ←, PageUp: back; Home/End: first/last; Escape: leave). A step may change
 * the scenario (its JSON patch on top of the previous steps'), pause at a time, and highlight a chart.
 */
import { createSignal, Show, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import { jsonEqual } from '../share/history.ts';
import { scenarioAsEntry, storyScenario, storyStepOf, type Highlight, type PresetEntry, type StoryStep } from '../share/presetManifest.ts';
import { shareCtx } from '../share/controller.ts';
import { StatedNumbers } from '../share/ShareTools.tsx';

const [presenting, setPresenting] = createSignal(false);
const [step, setStep] = createSignal(0);
const [entry, setEntry] = createSignal<PresetEntry | null>(null);
const [busy, setBusy] = createSignal(false);
/** A step asked for while another was being applied (keys are never dropped: the last one wins). */
let queued: number | null = null;

/** True while presenter mode is on. */
export const isPresenting = presenting;

/** Where each highlight points: a chart title prefix, or a CSS selector. */
const TARGETS: Record<Highlight, string> = {
  cluster: '.runs',
  allocation: 'chart:GPU allocation',
  utilization: 'chart:GPU allocation',
  memory: 'chart:GPU memory',
  stranded: 'chart:Stranded GPUs',
  fragmentation: 'chart:Fragmented GPUs',
  pending: 'chart:Pending pods',
  latency: 'chart:Inference p99',
  agents: 'chart:Agent burst',
  training: 'chart:Training progress',
  cost: 'chart:Cost so far',
  summary: '.summaries',
};

function target(h: Highlight): Element | null {
  const t = TARGETS[h];
  if (!t.startsWith('chart:')) return document.querySelector(t);
  const prefix = t.slice(6);
  return [...document.querySelectorAll('.charts figure.chart')].find((f) => (f.querySelector('figcaption')?.textContent ?? '').startsWith(prefix)) ?? null;
}

function highlight(h: Highlight | undefined): void {
  for (const el of document.querySelectorAll('.sb-highlight')) el.classList.remove('sb-highlight');
  if (!h) return;
  const el = target(h);
  el?.classList.add('sb-highlight');
  el?.scrollIntoView({ block: 'center', behavior: 'instant' as ScrollBehavior });
}

/** The steps of a preset's story (the title and explanation when it has none). */
export function storyOf(e: PresetEntry): StoryStep[] {
  return e.story?.length ? e.story : [{ caption: `${e.title}. ${e.explanation}` }];
}

/** Shows step k: applies its scenario, pauses at its time, highlights its chart. */
export async function goTo(k: number): Promise<void> {
  const c = shareCtx();
  const e = entry();
  if (!c || !e) return;
  const steps = storyOf(e);
  const i = Math.max(0, Math.min(steps.length - 1, k));
  // A custom scenario (scenarioAsEntry) is its own base: presenting it never opens anything over it.
  const base = e.file === '' ? c.wb.ws.scenario : c.presetScenario(e.id);
  if (!base) return;
  setBusy(true);
  try {
    const r = storyScenario(base, steps, i);
    if (!r.ok) {
      c.wb.showError('This story step could not be applied.', [r.error]);
      return;
    }
    setStep(i);
    if (!jsonEqual(r.value, c.wb.ws.scenario)) await c.wb.openPreset(e.id, r.value, { ...c.wb.ws.view, step: i }, base);
    c.wb.ws.setView({ step: i });
    c.wb.pause();
    const at = steps[i].atS;
    if (at !== undefined) await c.wb.seek(at);
    highlight(steps[i].highlight);
  } finally {
    setBusy(false);
    if (queued !== null) {
      const next = queued;
      queued = null;
      void goTo(next);
    }
  }
}

function onKey(e: KeyboardEvent): void {
  if (!presenting() || e.ctrlKey || e.metaKey || e.altKey) return;
  const k = e.key;
  let to: number | null = null;
  if (k === 'ArrowRight' || k === 'PageDown' || k === ' ') to = step() + 1;
  else if (k === 'ArrowLeft' || k === 'PageUp') to = step() - 1;
  else if (k === 'Home') to = 0;
  else if (k === 'End') to = Number.MAX_SAFE_INTEGER;
  else if (k === 'Escape') {
    stopPresenting();
  } else return;
  e.preventDefault();
  e.stopImmediatePropagation();
  if (to === null) return;
  if (busy()) {
    // Relative moves count from the step already asked for.
    const from = queued ?? step();
    queued = k === 'Home' || k === 'End' ? to : from + (to - step());
  } else void goTo(to);
}

/** Enters presenter mode on the current preset (or the first preset of the gallery). */
export async function startPresenting(): Promise<void> {
  const c = shareCtx();
  if (!c) return;
  await c.ready;
  let e = c.current()?.entry ?? null;
  if (!e) {
    // The preset the work came from, if the scenario is one of its story steps; else the work itself as it is.
    const named = c.manifest().find((m) => m.id === c.wb.ws.presetId);
    const base = named ? c.presetScenario(named.id) : undefined;
    e = named && base && storyStepOf(base, storyOf(named), c.wb.ws.scenario) !== null ? named : scenarioAsEntry(c.wb.ws.scenario);
  }
  setEntry(e);
  setPresenting(true);
  document.documentElement.classList.add('sb-present');
  window.addEventListener('keydown', onKey, true);
  const q = new URLSearchParams(location.search);
  q.set('present', '1');
  history.replaceState(null, '', `${location.pathname}?${q}${location.hash}`);
  await goTo(c.wb.ws.view.step ?? 0);
}

/** Leaves presenter mode. */
export function stopPresenting(): void {
  setPresenting(false);
  document.documentElement.classList.remove('sb-present');
  window.removeEventListener('keydown', onKey, true);
  highlight(undefined);
  const q = new URLSearchParams(location.search);
  q.delete('present');
  const qs = q.toString();
  history.replaceState(null, '', `${location.pathname}${qs ? `?${qs}` : ''}${location.hash}`);
}

/** The Present button (toolbar). */
export function PresentButton(): JSX.Element {
  return (
    <button type="button" aria-pressed={presenting()} onClick={() => void (presenting() ? stopPresenting() : startPresenting())}>
      {presenting() ? 'Stop presenting' : '▶ Present'}
    </button>
  );
}

/** The caption bar shown while presenting. */
export function PresenterBar(): JSX.Element {
  return (
    <Show when={presenting() && entry()}>
      {(e) => {
        const steps = () => storyOf(e());
        return (
          <Portal>
            <section class="sb-presenter" aria-label="Presenter" aria-live="polite">
              <p class="sb-step-count">
                {e().title} — step {step() + 1} of {steps().length}
              </p>
              <p class="sb-caption" role="status" aria-label="Story step">
                {steps()[step()]?.caption}
              </p>
              <div class="row">
                <button type="button" aria-label="Previous step" aria-keyshortcuts="ArrowLeft PageUp" disabled={step() === 0 || busy()} onClick={() => void goTo(step() - 1)}>
                  ←
                </button>
                <button type="button" aria-label="Next step" aria-keyshortcuts="ArrowRight PageDown" disabled={step() >= steps().length - 1 || busy()} onClick={() => void goTo(step() + 1)}>
                  →
                </button>
                <button type="button" onClick={() => stopPresenting()}>
                  Exit (Esc)
                </button>
              </div>
              <Show when={step() === steps().length - 1}>
                <StatedNumbers compact />
              </Show>
            </section>
          </Portal>
        );
      }}
    </Show>
  );
}
