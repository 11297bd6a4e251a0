/**
 * The trace import's exact replay (issue 13, "Exact replay of the published runs"): the chosen node and pod CSVs
 * replayed under one FGD policy and the dialog's seed as the FGD artifact runs them (Go's math/rand draws in its
 * call order, its analysis script's binning and rounding), in a planner worker (worker/planRun.ts runOpenbReplay:
 * the paper grid's path, the curve `slicebench openb --rng go` prints). Shows allocation and fragmented GPUs vs
 * arrived demand (0..130 %) as a chart, a table and a CSV; with the authors' expected CSVs loaded
 * (analysis_allo_discrete.csv, analysis_frag_discrete.csv) it says at how many of the 131 rows the run equals the
 * published one. Loaded lazily by OpenbImportDialog; a malformed file names its line and nothing else is lost.
 */
import { createMemo, createResource, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import type { OpenbReplayResult } from '../../worker/protocol.ts';
import type { CurveComparison, ExpectedRun } from '../../io/openbExpected.ts';
import { startPlanWorker } from '../plan/planStore.ts';
import { BandChart } from '../plan/BandChart.tsx';
import { ChartExport } from '../plan/ChartExport.tsx';
import { planColor } from '../plan/planColors.ts';
import { downloadText } from '../share/exportDom.ts';
import { AlertList } from './AlertList.tsx';
import '../plan/plan.css';

type Replay = NonNullable<OpenbReplayResult['replay']>;
type ExpectedKind = 'alloc' | 'frag';

/** A loaded expected CSV: its file name and runs. */
interface ExpectedFile {
  name: string;
  runs: Map<string, ExpectedRun>;
}

const KIND_TEXT: Record<ExpectedKind, { what: string; key: 'allocatedPct' | 'fragmentedGpuPct' }> = {
  alloc: { what: 'Allocation', key: 'allocatedPct' },
  frag: { what: 'Fragmented GPUs', key: 'fragmentedGpuPct' },
};

/** The exact-replay fieldset of the import dialog. */
export default function OpenbExactReplay(props: { nodeFile: () => File | null; podFile: () => File | null; seed: () => string }): JSX.Element {
  const [paper] = createResource(() => import('../../plan/paperGrid.ts'));
  const [io] = createResource(() => import('../../io/openbExpected.ts'));
  const [policy, setPolicy] = createSignal('fgd');
  const [running, setRunning] = createSignal(false);
  const [errors, setErrors] = createSignal<string[]>([]);
  const [replay, setReplay] = createSignal<{ podsName: string; nodesName: string; r: Replay } | null>(null);
  const [expected, setExpected] = createSignal<Partial<Record<ExpectedKind, ExpectedFile>>>({});
  let worker: ReturnType<typeof startPlanWorker> | null = null;
  onCleanup(() => worker?.end());

  const run = async (): Promise<void> => {
    const nf = props.nodeFile();
    const pf = props.podFile();
    if (!nf || !pf) return void setErrors(['Exact replay: choose the node list and the pod list CSVs first.']);
    const seed = Number(props.seed());
    if (props.seed().trim() === '' || !Number.isInteger(seed) || seed < 0) return void setErrors([`Seed: must be a whole number ≥ 0, got "${props.seed()}"`]);
    setErrors([]);
    setRunning(true);
    const w = startPlanWorker();
    worker = w;
    try {
      const [nodesCsv, podsCsv] = await Promise.all([nf.text(), pf.text()]);
      const res = await w.api.runOpenbReplay({ nodesName: nf.name, podsName: pf.name, nodesCsv, podsCsv, policy: policy(), seed, rng: 'go' });
      if (worker !== w) return;
      if (res.errors.length || !res.replay) setErrors(res.errors.map((m) => `Not replayed — ${m}`));
      else setReplay({ podsName: pf.name, nodesName: nf.name, r: res.replay });
    } catch (e) {
      if (worker === w) setErrors([`Exact replay failed: ${(e as Error).message}`]);
    } finally {
      if (worker === w) {
        w.end();
        worker = null;
        setRunning(false);
      }
    }
  };
  const cancel = (): void => {
    worker?.end();
    worker = null;
    setRunning(false);
  };

  const loadExpected = async (kind: ExpectedKind, file: File | undefined): Promise<void> => {
    if (!file) return;
    try {
      const [text, m] = await Promise.all([file.text(), import('../../io/openbExpected.ts')]);
      const runs = m.parseExpected(text);
      setExpected((e) => ({ ...e, [kind]: { name: file.name, runs } }));
      setErrors([]);
    } catch (e) {
      setErrors([`${file.name}: ${(e as Error).message} — not loaded; everything else is kept.`]);
    }
  };

  /** The published run matching the replay (trace from the pod list's name, policy, seed), or why there is none. */
  const published = (kind: ExpectedKind): { file: string; run: ExpectedRun | null; why: string } | null => {
    const f = expected()[kind];
    const rp = replay();
    const m = io();
    if (!f || !rp || !m) return null;
    const trace = m.traceOfPodFile(rp.podsName);
    if (!trace) return { file: f.name, run: null, why: `the pod list's name (${rp.podsName}) does not say which trace: the artifact's are named openb_pod_list_<trace>.csv` };
    const run = f.runs.get(m.expectedKey(trace, rp.r.policy, rp.r.seed)) ?? null;
    return { file: f.name, run, why: run ? '' : `no published run of ${trace} under ${rp.r.policy} with seed ${rp.r.seed} in ${f.name} (the authors published seeds 42–51)` };
  };
  const comparison = (kind: ExpectedKind): CurveComparison | null => {
    const p = published(kind);
    const rp = replay();
    const m = io();
    return p?.run && rp && m ? m.compareCurve(rp.r.curve, p.run, KIND_TEXT[kind].key) : null;
  };
  const compareText = (kind: ExpectedKind): string | null => {
    const p = published(kind);
    if (!p) return null;
    const what = KIND_TEXT[kind].what;
    const c = comparison(kind);
    if (!c) return `${what}: ${p.why}.`;
    if (!c.firstDiff) return `${what}: equal at ${c.equal} of ${c.rows} rows (${p.file}, two decimals).`;
    const d = c.firstDiff;
    return `${what}: equal at ${c.equal} of ${c.rows} rows (${p.file}, two decimals); first differing row: ${d.pct} % arrived, ours ${d.ours.toFixed(2)}, published ${d.theirs === null ? 'empty' : d.theirs.toFixed(2)}.`;
  };

  const series = createMemo(() => {
    const rp = replay();
    if (!rp) return [];
    const pts = (key: 'allocatedPct' | 'fragmentedGpuPct') => rp.r.curve.map((c) => ({ x: c.arrivedPct, mean: c[key], lo: c[key], hi: c[key] }));
    return [
      { label: `allocation (${rp.r.policy})`, color: planColor(rp.r.policy), points: pts('allocatedPct') },
      { label: 'fragmented GPUs', color: 'var(--danger)', points: pts('fragmentedGpuPct') },
    ];
  });
  const baseName = (): string => {
    const rp = replay();
    return rp ? `openb-exact-${rp.podsName.replace(/\.csv$/i, '')}-${rp.r.policy}-s${rp.r.seed}` : 'openb-exact';
  };
  const downloadCsv = (): void => {
    const rp = replay();
    const m = io();
    if (!rp || !m) return;
    downloadText(`${baseName()}.csv`, m.replayCurveCsv(rp.r.curve, { alloc: published('alloc')?.run ?? undefined, frag: published('frag')?.run ?? undefined }), 'text/csv');
  };
  const two = (v: number | null | undefined): string => io()?.twoDecimals(v) ?? '';

  return (
    <fieldset class="openb-exact" aria-describedby="openb-exact-help">
      <legend>Exact replay of a published run</legend>
      <p id="openb-exact-help" class="hint">
        Replays the whole files (every node and pod) under one policy with the seed above as the FGD artifact does: Go's random numbers in
        its call order and its analysis script's rounding, so for the authors' node list and pod lists the curve is their published run (
        <code>slicebench openb --rng go</code>). Runs in the background; the current scenario is not changed.
      </p>
      <div class="row">
        <label class="field">
          <span class="field-label">Policy</span>
          <select value={policy()} aria-label="Policy of the exact replay" disabled={running()} onChange={(e) => setPolicy(e.currentTarget.value)}>
            <For each={paper()?.PAPER_POLICIES.slice() ?? ['fgd']}>{(p) => <option value={p}>{p}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="field-label">Expected allocation CSV (optional)</span>
          <input type="file" accept=".csv,text/csv" aria-label="Authors' expected allocation CSV (analysis_allo_discrete.csv)" onChange={(e) => void loadExpected('alloc', e.currentTarget.files?.[0])} />
        </label>
        <label class="field">
          <span class="field-label">Expected fragmented-GPU CSV (optional)</span>
          <input type="file" accept=".csv,text/csv" aria-label="Authors' expected fragmented-GPU CSV (analysis_frag_discrete.csv)" onChange={(e) => void loadExpected('frag', e.currentTarget.files?.[0])} />
        </label>
      </div>
      <div class="row actions">
        <span class="hint" aria-live="polite">
          {running() ? 'Replaying…' : !props.nodeFile() || !props.podFile() ? 'Choose the node list and a pod list CSV.' : ''}
        </span>
        <button type="button" disabled={running() || !props.nodeFile() || !props.podFile()} onClick={() => void run()}>
          Replay as the artifact (exact)
        </button>
        <Show when={running()}>
          <button type="button" onClick={cancel}>
            Cancel the exact replay
          </button>
        </Show>
      </div>
      <AlertList messages={errors()} />
      <Show when={replay()}>
        {(rp) => (
          <section class="openb-exact-result" aria-label="Exact replay result">
            <p class="openb-exact-summary">
              {rp().podsName}: {rp().r.policy}, seed {rp().r.seed}, Go's random numbers — {rp().r.nodes.toLocaleString('en-US')} nodes, {rp().r.capacityGpus.toLocaleString('en-US')} GPUs,{' '}
              {rp().r.arrivals.toLocaleString('en-US')} arrivals, {rp().r.failedPods.toLocaleString('en-US')} failed.
            </p>
            <Show when={compareText('alloc') ?? compareText('frag')}>
              <ul class="openb-exact-compare" aria-label="Comparison with the published run">
                <Show when={compareText('alloc')}>{(t) => <li>{t()}</li>}</Show>
                <Show when={compareText('frag')}>{(t) => <li>{t()}</li>}</Show>
              </ul>
            </Show>
            <ChartExport name={baseName()} title="Exact replay chart" onError={(m) => setErrors([m])}>
              <BandChart id="openb-exact" title={`${rp().r.policy}, seed ${rp().r.seed}: allocation and fragmented GPUs`} unit="% of GPU capacity" xLabel="arrived GPU demand, % of capacity" xTick={(x) => `${x}%`} series={series()} yMin={100} plain />
            </ChartExport>
            <div class="row">
              <button type="button" onClick={downloadCsv}>
                Download the exact replay CSV
              </button>
            </div>
            <div class="openb-exact-table" role="region" aria-label="Exact replay table" tabindex="0">
              <table>
                <caption class="visually-hidden">Allocation and fragmented GPUs (% of GPU capacity) at each arrived % of capacity, two decimals</caption>
                <thead>
                  <tr>
                    <th scope="col">Arrived %</th>
                    <th scope="col">Allocation %</th>
                    <th scope="col">Fragmented GPU %</th>
                    <Show when={published('alloc')?.run}>
                      <th scope="col">Published allocation %</th>
                    </Show>
                    <Show when={published('frag')?.run}>
                      <th scope="col">Published fragmented GPU %</th>
                    </Show>
                  </tr>
                </thead>
                <tbody>
                  <For each={rp().r.curve}>
                    {(c) => (
                      <tr>
                        <th scope="row">{c.arrivedPct}</th>
                        <td>{two(c.allocatedPct)}</td>
                        <td>{two(c.fragmentedGpuPct)}</td>
                        <Show when={published('alloc')?.run}>{(run) => <td>{two(run().values[c.arrivedPct])}</td>}</Show>
                        <Show when={published('frag')?.run}>{(run) => <td>{two(run().values[c.arrivedPct])}</td>}</Show>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </section>
        )}
      </Show>
    </fieldset>
  );
}
