/**
 * "Import the real trace": the user picks the openb node list and a pod list from disk (File API: read in
 * this tab, nothing is uploaded), a mode (the FGD paper's replay, or the trace's own arrival times compressed),
 * optional every-k-th subsampling, a seed and up to four profiles; src/io/openbScenario.ts (loaded on demand,
 * so the first screen does not carry it) builds the scenario. A malformed file shows its error with the line
 * number here and the current scenario stays loaded. In the paper's mode it also offers the exact replay of a
 * published run (OpenbExactReplay.tsx: one policy and seed as the FGD artifact runs them, in a worker).
 * Opened from the toolbar and the Workloads tab through `openOpenbImport()`.
 */
import { createSignal, For, lazy, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { OpenbImportMode } from '../../io/openbScenario.ts';
import type { Workbench } from '../stores/workbench.ts';
import { setPaperImport } from '../plan/paperSource.ts';
import { AlertList } from './AlertList.tsx';
import './OpenbImportDialog.css';

/** The exact replay of a published run (its chart, table and worker are loaded when the dialog shows it). */
const OpenbExactReplay = lazy(() => import('./OpenbExactReplay.tsx'));

/** The FGD paper's policies, preselected (io/openbScenario.ts OPENB_REPLAY_PROFILES; kept here so this
 * component does not pull the converter into the first-screen bundle). */
export const PRESELECTED_PROFILES = ['fgd', 'packing', 'bestfit', 'random'];
const MAX_RUNS = 4;

const [isOpen, setOpen] = createSignal(false);
let opener: HTMLElement | null = null;

/** Opens the import dialog (focus returns to the opener when it closes). */
export function openOpenbImport(): void {
  opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  setOpen(true);
}

/** The button that opens the dialog (the toolbar and the Workloads tab both show one); `short` is the
 * text a narrow toolbar shows (the accessible name stays the label). */
export function OpenbImportButton(props: { label?: string; short?: string }): JSX.Element {
  const label = (): string => props.label ?? 'Import real trace…';
  return (
    <button type="button" class="openb-open" aria-haspopup="dialog" aria-label={label()} title={props.short ? label() : undefined} onClick={() => openOpenbImport()}>
      <span class="openb-open-long">{label()}</span>
      {props.short && (
        <span class="openb-open-short" aria-hidden="true">
          {props.short}
        </span>
      )}
    </button>
  );
}

/** A positive integer from a field, or null. */
function positiveInt(v: string): number | null {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : null;
}

/** The dialog (rendered once by the app; shown while open). */
export function OpenbImportDialog(props: { wb: Workbench }): JSX.Element {
  return (
    <Show when={isOpen()}>
      <DialogBody wb={props.wb} />
    </Show>
  );
}

function DialogBody(props: { wb: Workbench }): JSX.Element {
  const [nodeFile, setNodeFile] = createSignal<File | null>(null);
  const [podFile, setPodFile] = createSignal<File | null>(null);
  const [mode, setMode] = createSignal<OpenbImportMode>('replay');
  const [compression, setCompression] = createSignal('1000');
  const [nodeEvery, setNodeEvery] = createSignal('4');
  const [podEvery, setPodEvery] = createSignal('4');
  const [seed, setSeed] = createSignal('42');
  const [rng, setRng] = createSignal<'slicebench' | 'go'>('slicebench');
  const [chosen, setChosen] = createSignal<string[]>(PRESELECTED_PROFILES.slice());
  const [errors, setErrors] = createSignal<string[]>([]);
  const [busy, setBusy] = createSignal(false);
  let dialog!: HTMLDivElement;

  const close = (): void => {
    setOpen(false);
    queueMicrotask(() => opener?.focus());
  };

  const profiles = () => {
    const known = props.wb.profiles();
    // The preselected ones first, in the paper's order, then the rest as registered.
    return [...known.filter((p) => PRESELECTED_PROFILES.includes(p.name)).sort((a, b) => PRESELECTED_PROFILES.indexOf(a.name) - PRESELECTED_PROFILES.indexOf(b.name)), ...known.filter((p) => !PRESELECTED_PROFILES.includes(p.name))];
  };
  const toggle = (name: string, on: boolean): void => {
    setChosen((c) => (on ? (c.includes(name) ? c : [...c, name]) : c.filter((x) => x !== name)));
  };

  /** Reasons the Import button cannot run yet (shown next to it). */
  const missing = (): string | null => {
    if (!nodeFile()) return 'Choose the node list CSV.';
    if (!podFile()) return 'Choose a pod list CSV.';
    if (chosen().length === 0) return 'Choose at least one scheduler.';
    return null;
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const nf = nodeFile();
    const pf = podFile();
    if (!nf || !pf || busy()) return;
    const fields: [string, string][] = [
      ['Keep every k-th node', nodeEvery()],
      ['Keep every k-th pod', podEvery()],
    ];
    if (mode() === 'arrivals') fields.push(['Compression factor', compression()]);
    const bad = fields.filter(([, v]) => positiveInt(v) === null).map(([k, v]) => `${k}: must be a whole number ≥ 1, got "${v}"`);
    const seedN = Number(seed());
    if (!Number.isInteger(seedN) || seedN < 0) bad.push(`Seed: must be a whole number ≥ 0, got "${seed()}"`);
    if (bad.length) {
      setErrors(bad);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      const [nodeCsv, podCsv, mod] = await Promise.all([nf.text(), pf.text(), import('../../io/openbScenario.ts')]);
      let scenario;
      try {
        scenario = mod.openbImportScenario(nodeCsv, podCsv, {
          mode: mode(),
          seed: seedN,
          rng: rng(),
          profiles: chosen().slice(0, MAX_RUNS),
          nodeEvery: positiveInt(nodeEvery()) ?? 1,
          podEvery: positiveInt(podEvery()) ?? 1,
          compression: positiveInt(compression()) ?? 1,
          nodeFile: nf.name,
          podFile: pf.name,
        }).scenario;
      } catch (err) {
        setErrors([`Not imported — the current scenario is kept. ${(err as Error).message}`]);
        return;
      }
      const ok = await props.wb.open(scenario, `Import of ${pf.name}`);
      if (!ok) {
        setErrors(props.wb.errors()?.items ?? ['The scenario was refused — the current one is kept.']);
        return;
      }
      // The paper grid (Plan mode) replays these files under the six FGD policies × seeds.
      if (mode() === 'replay') setPaperImport(pf.name, nodeCsv, podCsv);
      close();
    } catch (err) {
      setErrors([`Could not read the files — the current scenario is kept. ${(err as Error).message}`]);
    } finally {
      setBusy(false);
    }
  };

  // Keyboard: Escape closes; Tab stays inside the dialog; other keys do not reach the app's shortcuts.
  const onKey = (e: KeyboardEvent): void => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...dialog.querySelectorAll<HTMLElement>('input, button, select, textarea, [tabindex]:not([tabindex="-1"])')].filter((el) => !el.hasAttribute('disabled'));
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
  onMount(() => {
    dialog.addEventListener('keydown', onKey);
    dialog.querySelector<HTMLElement>('input')?.focus();
  });
  onCleanup(() => dialog?.removeEventListener('keydown', onKey));

  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && !busy() && close()}>
      <div ref={dialog} class="dialog openb-dialog" role="dialog" aria-modal="true" aria-labelledby="openb-title" aria-describedby="openb-intro" aria-busy={busy()}>
        <h2 id="openb-title">Import the real trace (openb)</h2>
        <p id="openb-intro" class="hint">
          The Alibaba GPU trace of the FGD paper (cluster-trace-gpu-v2023, research use): the node list{' '}
          <code>openb_node_list_gpu_node.csv</code> and a pod list such as <code>openb_pod_list_default.csv</code>. The files are read in
          this tab; nothing is uploaded.
        </p>
        <form onSubmit={(e) => void submit(e)}>
          <div class="openb-files">
            <label class="field">
              <span class="field-label">Node list CSV</span>
              <input type="file" accept=".csv,text/csv" aria-label="Node list CSV file" onChange={(e) => setNodeFile(e.currentTarget.files?.[0] ?? null)} />
            </label>
            <label class="field">
              <span class="field-label">Pod list CSV</span>
              <input type="file" accept=".csv,text/csv" aria-label="Pod list CSV file" onChange={(e) => setPodFile(e.currentTarget.files?.[0] ?? null)} />
            </label>
          </div>
          <fieldset class="openb-modes">
            <legend>Mode</legend>
            <label class="openb-mode">
              <input type="radio" name="openb-mode" value="replay" checked={mode() === 'replay'} onChange={() => setMode('replay')} aria-describedby="openb-replay-help" />
              <span>
                <strong>Replay as the FGD paper does</strong>
                <span id="openb-replay-help" class="hint">
                  The trace pods shuffled with the seed, then copies until 1.3× the GPU capacity; one pod per second, never leaving. Allocation over
                  time is the paper's allocation-vs-arrived curve.
                </span>
              </span>
            </label>
            <label class="openb-mode">
              <input type="radio" name="openb-mode" value="arrivals" checked={mode() === 'arrivals'} onChange={() => setMode('arrivals')} aria-describedby="openb-arrivals-help" />
              <span>
                <strong>Real arrival times</strong>
                <span id="openb-arrivals-help" class="hint">
                  Pods arrive and leave at the trace's own times (about 149 days), compressed by a factor.
                </span>
              </span>
            </label>
            <Show when={mode() === 'arrivals'}>
              <label class="field">
                <span class="field-label">Compression factor</span>
                <span class="field-input">
                  <input type="number" min="1" step="1" value={compression()} aria-label="Compression factor (trace seconds per simulated second)" onInput={(e) => setCompression(e.currentTarget.value)} />
                  <span class="unit">× (1,000: 149 days in about 3.6 h)</span>
                </span>
              </label>
            </Show>
          </fieldset>
          <fieldset>
            <legend>Size and seed</legend>
            <p class="hint">Keep every k-th node and pod so the browser stays responsive (1 = all: 1,213 nodes and about 11,000 arrivals, several seconds per run).</p>
            <div class="row">
              <label class="field">
                <span class="field-label">Every k-th node</span>
                <input type="number" min="1" step="1" value={nodeEvery()} aria-label="Keep every k-th node" onInput={(e) => setNodeEvery(e.currentTarget.value)} />
              </label>
              <label class="field">
                <span class="field-label">Every k-th pod</span>
                <input type="number" min="1" step="1" value={podEvery()} aria-label="Keep every k-th pod" onInput={(e) => setPodEvery(e.currentTarget.value)} />
              </label>
              <label class="field">
                <span class="field-label">Seed</span>
                <input type="number" min="0" step="1" value={seed()} aria-label="Seed of the replay shuffle and tie-breaks" onInput={(e) => setSeed(e.currentTarget.value)} />
              </label>
              <Show when={mode() === 'replay'}>
                <label class="field">
                  <span class="field-label">Random numbers</span>
                  <select value={rng()} aria-label="Random numbers of the replay" aria-describedby="openb-rng-help" onChange={(e) => setRng(e.currentTarget.value === 'go' ? 'go' : 'slicebench')}>
                    <option value="slicebench">Slicebench's</option>
                    <option value="go">Go's (the artifact's arrival order only)</option>
                  </select>
                </label>
              </Show>
            </div>
            <Show when={mode() === 'replay'}>
              <p id="openb-rng-help" class="hint">
                Go's: the pods arrive in the order the FGD artifact draws for this seed (Go's math/rand: the shuffle and the copies). The
                schedulers' tie-breaks and GPU choices in this simulation still draw Slicebench's numbers, so its runs are not the published
                ones: to replay those exactly, use “Replay as the artifact (exact)” below, the paper grid (Plan mode) with Go's random numbers,
                or <code>slicebench openb --rng go</code>.
              </p>
            </Show>
          </fieldset>
          <Show when={mode() === 'replay'}>
            <OpenbExactReplay nodeFile={nodeFile} podFile={podFile} seed={seed} />
          </Show>
          <fieldset>
            <legend>Schedulers to compare (up to {MAX_RUNS})</legend>
            <div class="openb-profiles">
              <For each={profiles()}>
                {(p) => (
                  <label class="openb-profile" title={p.summary}>
                    <input
                      type="checkbox"
                      checked={chosen().includes(p.name)}
                      disabled={!chosen().includes(p.name) && chosen().length >= MAX_RUNS}
                      aria-label={`Compare ${p.name}`}
                      onChange={(e) => toggle(p.name, e.currentTarget.checked)}
                    />
                    <span>{p.name}</span>
                  </label>
                )}
              </For>
            </div>
          </fieldset>
          <AlertList messages={errors()} />
          <div class="row actions">
            <span class="hint" aria-live="polite">
              {busy() ? 'Reading and converting…' : (missing() ?? '')}
            </span>
            <button type="submit" class="primary" disabled={busy() || missing() !== null}>
              Import and load
            </button>
            <button type="button" disabled={busy()} onClick={() => close()}>
              Cancel
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
