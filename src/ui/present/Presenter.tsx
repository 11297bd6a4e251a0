/**
 * Presenter mode: large type, editors hidden, the current story step of the preset as a caption, and keys that
 * advance it (→, PageDown, Space: next; ←, PageUp: back; Home: first; End: the last step, run to the end as it
 * asks; P: play/pause; Escape: leave). Presenting always starts at step 1. A step may change the scenario (its
 * JSON patch on top of the previous steps'), pause at a time (played forward from the previous step's time when
 * the scenario is the same, unless the system asks for reduced motion), and highlight a chart, which is scrolled
 * clear of the caption panel. The closing step shows the checks and the share link as a QR code.
 */
import { setMode } from '../plan/planMode.ts';
import { createSignal, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import { encodeQr } from './qr.ts';
import { setChartTextScale } from '../lib/chartText.ts';
import './present.css';
import { jsonEqual } from '../share/history.ts';
import { scenarioAsEntry, storyScenario, storyStepOf, type Highlight, type PresetEntry, type StoryStep } from '../share/presetManifest.ts';
import { shareCtx } from '../share/controller.ts';
import { StatedNumbers } from '../share/ShareTools.tsx';

const [presenting, setPresenting] = createSignal(false);
const [step, setStep] = createSignal(0);
const [entry, setEntry] = createSignal<PresetEntry | null>(null);
const [busy, setBusy] = createSignal(false);
/** The share link shown as a QR code on the closing step (read when that step is shown). */
const [closingLink, setClosingLink] = createSignal<string | null>(null);
/** Whether the closing step's QR code is shown (large, so a phone reads it from the back of the room). */
const [qrOpen, setQrOpen] = createSignal(false);
/** Bumped by every move: a step still playing forward stops when the presenter moved on. */
let generation = 0;
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
  // html's scroll-padding (present.css) keeps the caption panel out of the area this centres in.
  el?.scrollIntoView({ block: 'center', behavior: 'instant' as ScrollBehavior });
}

/** Wall time a step takes to play forward from the previous step's time, ms. */
const PLAY_FORWARD_MS = 2500;

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Plays from the current time to `toS` in about PLAY_FORWARD_MS of wall time; stops early when `gen` is stale. */
async function playForward(toS: number, gen: number): Promise<void> {
  const c = shareCtx();
  const f = c?.wb.frame();
  if (!c || !f || f.tS >= toS) return;
  const fromS = f.tS;
  const t0 = performance.now();
  for (;;) {
    await new Promise((ok) => requestAnimationFrame(ok));
    if (gen !== generation) return;
    const k = Math.min(1, (performance.now() - t0) / PLAY_FORWARD_MS);
    // Each seek waits for the previous one: under load the animation takes longer, never skips its end.
    await c.wb.seek(fromS + (toS - fromS) * k);
    if (k >= 1) return;
  }
}

/** The share link of what is on screen, without `present=1` (whoever scans it explores rather than presents). */
function audienceLink(): string | null {
  const c = shareCtx();
  if (!c) return null;
  const u = new URL(c.shareUrl());
  u.searchParams.delete('present');
  return u.toString();
}

/** The steps of a preset's story (the title and explanation when it has none). */
export function storyOf(e: PresetEntry): StoryStep[] {
  return e.story?.length ? e.story : [{ caption: `${e.title}. ${e.explanation}` }];
}

/** Shows step k: applies its scenario, pauses at its time (or runs to the end when `runToEnd`), highlights its chart. */
export async function goTo(k: number, runToEnd = false): Promise<void> {
  const c = shareCtx();
  const e = entry();
  if (!c || !e) return;
  const steps = storyOf(e);
  const i = Math.max(0, Math.min(steps.length - 1, k));
  // A custom scenario (scenarioAsEntry) is its own base: presenting it never opens anything over it.
  const base = e.file === '' ? c.wb.ws.scenario : c.presetScenario(e.id);
  if (!base) return;
  const gen = ++generation;
  const from = step();
  setBusy(true);
  try {
    const r = storyScenario(base, steps, i);
    if (!r.ok) {
      c.wb.showError('This story step could not be applied.', [r.error]);
      return;
    }
    setStep(i);
    const same = jsonEqual(r.value, c.wb.ws.scenario);
    if (!same) await c.wb.openPreset(e.id, r.value, { ...c.wb.ws.view, step: i }, base);
    c.wb.ws.setView({ step: i });
    c.wb.pause();
    highlight(steps[i].highlight);
    const at = steps[i].atS;
    if (at !== undefined) {
      // One step forward on the same scenario plays the time between the two steps; anything else jumps.
      if (same && i === from + 1 && !reducedMotion()) await playForward(at, gen);
      if (gen === generation) await c.wb.seek(at);
    }
    if (runToEnd && gen === generation) await c.wb.runToEnd();
    // Again once the charts have their data (their layout may have moved while the step played).
    if (gen === generation) highlight(steps[i].highlight);
    if (gen === generation) setClosingLink(i === steps.length - 1 ? audienceLink() : null);
    if (i !== steps.length - 1) setQrOpen(false);
  } finally {
    setBusy(false);
    if (queued !== null) {
      const next = queued;
      queued = null;
      void goTo(next === END ? Number.MAX_SAFE_INTEGER : next, next === END);
    }
  }
}

/** Chart tick labels in presenter mode: 9 px becomes 13 px, readable on a projector at 1280×720. */
const PRESENT_CHART_TEXT = 1.45;

/** A queued End: the last step, run to the end. */
const END = -1;

/** Plays or pauses the animation (P); a step still playing forward stops where it is. */
function togglePlay(): void {
  const c = shareCtx();
  if (!c) return;
  generation++;
  c.wb.toggle();
}

function onKey(e: KeyboardEvent): void {
  if (!presenting() || e.ctrlKey || e.metaKey || e.altKey) return;
  const k = e.key;
  let to: number | null = null;
  if (k === 'ArrowRight' || k === 'PageDown' || k === ' ') to = step() + 1;
  else if (k === 'ArrowLeft' || k === 'PageUp') to = step() - 1;
  else if (k === 'Home') to = 0;
  else if (k === 'End') to = END;
  else if (k === 'p' || k === 'P') togglePlay();
  else if ((k === 'q' || k === 'Q') && closingLink()) setQrOpen(!qrOpen());
  else if (k === 'Escape') {
    if (qrOpen()) setQrOpen(false);
    else stopPresenting();
  } else return;
  e.preventDefault();
  e.stopImmediatePropagation();
  if (to === null) return;
  if (busy()) {
    // Relative moves count from the step already asked for; a move cancels a step still playing forward.
    generation++;
    const from = queued === END ? storyOf(entry()!).length - 1 : (queued ?? step());
    queued = k === 'Home' || k === 'End' ? to : Math.max(0, from + (to - step()));
  } else if (to === END) void goTo(Number.MAX_SAFE_INTEGER, true);
  else void goTo(to);
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
  queued = null;
  setClosingLink(null);
  // A talk plays runs: a preset that opened in Plan mode is presented in Run mode.
  setMode('run');
  setPresenting(true);
  setChartTextScale(PRESENT_CHART_TEXT);
  document.documentElement.classList.add('sb-present');
  window.addEventListener('keydown', onKey, true);
  const q = new URLSearchParams(location.search);
  q.set('present', '1');
  history.replaceState(null, '', `${location.pathname}?${q}${location.hash}`);
  // Always step 1: a talk starts at its beginning, whatever step an earlier presentation or link stopped at.
  setStep(0);
  await goTo(0);
}

/** Leaves presenter mode. */
export function stopPresenting(): void {
  generation++;
  queued = null;
  setQrOpen(false);
  setPresenting(false);
  setChartTextScale(1);
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

/** The share link as a QR code (SVG, 4-module quiet zone, dark on white whatever the theme); nothing when too long. */
function LinkQr(props: { link: string }): JSX.Element {
  const code = () => encodeQr(props.link, 'L');
  return (
    <Show when={code()} fallback={<p class="sb-qr-none">The share link is too long for a QR code; use Share in the toolbar.</p>}>
      {(q) => {
        const path = (): string => {
          let d = '';
          for (let y = 0; y < q().size; y++) for (let x = 0; x < q().size; x++) if (q().dark[y * q().size + x]) d += `M${x + 4} ${y + 4}h1v1h-1z`;
          return d;
        };
        const n = q().size + 8;
        return (
          <figure class="sb-qr">
            <svg viewBox={`0 0 ${n} ${n}`} role="img" aria-label="QR code of the share link" shape-rendering="crispEdges">
              <rect width={n} height={n} fill="#fff" />
              <path d={path()} fill="#000" />
            </svg>
            <figcaption>Scan to open this scenario (Q or Esc closes)</figcaption>
          </figure>
        );
      }}
    </Show>
  );
}

/** The caption panel shown while presenting (docked right on landscape screens, at the bottom otherwise). */
export function PresenterBar(): JSX.Element {
  return (
    <Show when={presenting() && entry()}>
      {(e) => {
        const steps = () => storyOf(e());
        const last = () => step() === steps().length - 1;
        const c = shareCtx();
        let panel: HTMLElement | undefined;
        onMount(() => {
          // The panel's size, for present.css: the page is padded and scrolled so the panel never covers what a step shows.
          const root = document.documentElement;
          const measure = (): void => {
            if (!panel) return;
            const r = panel.getBoundingClientRect();
            const docked = r.top <= 1 && r.height >= innerHeight - 2;
            root.style.setProperty('--sb-panel-w', docked ? `${Math.ceil(r.width)}px` : '0px');
            root.style.setProperty('--sb-panel-h', docked ? '0px' : `${Math.ceil(r.height)}px`);
          };
          const ro = new ResizeObserver(measure);
          if (panel) ro.observe(panel);
          addEventListener('resize', measure);
          measure();
          onCleanup(() => {
            ro.disconnect();
            removeEventListener('resize', measure);
            root.style.removeProperty('--sb-panel-w');
            root.style.removeProperty('--sb-panel-h');
          });
        });
        return (
          <Portal>
            <section class="sb-presenter" classList={{ closing: last() }} aria-label="Presenter" ref={panel}>
              <p class="sb-step-count">
                {e().title} — step {step() + 1} of {steps().length}
              </p>
              <p class="sb-caption" role="status" aria-label="Story step" aria-live="polite">
                {steps()[step()]?.caption}
              </p>
              <div class="row">
                <button type="button" aria-label="Previous step" aria-keyshortcuts="ArrowLeft PageUp" disabled={step() === 0 || busy()} onClick={() => void goTo(step() - 1)}>
                  ←
                </button>
                <button type="button" aria-label="Next step" aria-keyshortcuts="ArrowRight PageDown" disabled={step() >= steps().length - 1 || busy()} onClick={() => void goTo(step() + 1)}>
                  →
                </button>
                <button type="button" aria-keyshortcuts="P" aria-pressed={c?.wb.playing() ?? false} onClick={() => togglePlay()}>
                  Animate (P)
                </button>
                <Show when={last() && closingLink()}>
                  <button type="button" aria-keyshortcuts="Q" aria-pressed={qrOpen()} onClick={() => setQrOpen(!qrOpen())}>
                    QR code (Q)
                  </button>
                </Show>
                <button type="button" onClick={() => stopPresenting()}>
                  Exit (Esc)
                </button>
              </div>
              <Show when={last()}>
                <StatedNumbers compact />
              </Show>
              <Show when={qrOpen() && closingLink()}>
                {(link) => (
                  <div class="sb-qr-overlay" role="dialog" aria-label="Share link as a QR code">
                    <LinkQr link={link()} />
                  </div>
                )}
              </Show>
            </section>
          </Portal>
        );
      }}
    </Show>
  );
}
