/**
 * The FGD paper's grid in the browser (issue 14 item 2): after an openb import "as the FGD paper does", the trace
 * (and any more pod lists the user adds: all 17 when they load them) replayed under the six FGD policies × N seeds,
 * drawn as allocation vs arrived demand with 95 % bands over seeds, the figure ATC'23 shows. Rows and bands come
 * from src/plan/paperGrid.ts (loaded lazily); the replays from planner workers: with the engine choice (Auto / GPU)
 * giving a WebGPU device, all of them in lockstep in one worker (runPaperLockstep), else on the worker pool with
 * why no GPU in the progress line, as the plan runs (planStore.ts runOnSelectedEngine). The rows are the same.
 */
import { createMemo, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import type { PaperBatchRequest, PaperRow } from '../../worker/protocol.ts';
import type { EngineChoice } from '../../worker/engineInfo.ts';
import type { PoolWorker } from './pool.ts';
import { createPoolRun } from './poolRun.ts';
import { runOnSelectedEngine, startPlanWorker } from './planStore.ts';
import { paperLockstepRun } from './lockstepRun.ts';
import { addPaperPodLists, paperTraces, type PaperTraceSource } from './paperSource.ts';
import { paperSettingsOf, paperViewOf, parsePaperSeeds, type PaperRngChoice } from './paperSettings.ts';
import type { Workspace } from '../stores/workspace.ts';
import { BandChart } from './BandChart.tsx';
import { ChartExport } from './ChartExport.tsx';
import { PlanProgress } from './PlanProgress.tsx';
import { planColor } from './planColors.ts';
import { downloadText } from '../share/exportDom.ts';

type PaperModule = typeof import('../../plan/paperGrid.ts');

/** One replay of the grid for a pool worker. */
interface PaperJob {
  traces: PaperTraceSource[];
  policies: string[];
  seeds: number[];
  rng: PaperRngChoice;
  index: number;
}

/** A pool worker that runs one paper replay per call; `onCandidates` hears its candidate evaluations. */
function paperWorker(onCandidates: (n: number) => void): PoolWorker<PaperJob, PaperRow> {
  const { api, end } = startPlanWorker();
  return {
    async run(job) {
      const r = await api.runPaperReplays({ traces: job.traces, policies: job.policies, seeds: job.seeds, rng: job.rng, indices: [job.index] });
      if (r.errors.length) throw new Error(r.errors.join('; '));
      if (r.rows.length !== 1) throw new Error(`replay ${job.index}: no row came back`);
      if (r.candidateEvaluations !== undefined) onCandidates(r.candidateEvaluations);
      return r.rows[0];
    },
    terminate: end,
  };
}

/**
 * The paper grid panel (shown in Plan mode once an openb replay was imported). Its seeds and random numbers live in
 * the view state (`ws.view.paper`), so the share link and the saved work carry them (paperSettings.ts). `choice` is
 * the workbench's engine choice (default Auto).
 */
export function PaperGridPanel(props: { ws: Workspace; onError: (msg: string) => void; choice?: EngineChoice }): JSX.Element {
  const [mod, setMod] = createSignal<PaperModule | null>(null);
  void import('../../plan/paperGrid.ts').then(setMod);
  const pool = createPoolRun<PaperRow>();
  const initial = paperSettingsOf(props.ws.view.paper);
  const [seedsText, setSeedsTextSignal] = createSignal(initial.settings.seedsText);
  const [seedsError, setSeedsError] = createSignal<string | null>(initial.error);
  const [trace, setTrace] = createSignal<string | null>(null);
  const [ran, setRan] = createSignal<string[]>([]);
  const [rng, setRngSignal] = createSignal<PaperRngChoice>(initial.settings.rng);
  const save = (): void => props.ws.setView({ paper: paperViewOf({ seedsText: seedsText(), rng: rng() }) });
  const setSeedsText = (t: string): void => {
    setSeedsTextSignal(t);
    save();
  };
  const setRng = (r: PaperRngChoice): void => {
    setRngSignal(r);
    save();
  };
  // A link opened while the panel shows brings its own settings (and says when its seeds are not a seed list).
  let seen = props.ws.scenario;
  onCleanup(
    props.ws.subscribe(() => {
      if (props.ws.scenario === seen) return;
      seen = props.ws.scenario;
      if (props.ws.origin !== 'link') return;
      const next = paperSettingsOf(props.ws.view.paper);
      setSeedsTextSignal(next.settings.seedsText);
      setRngSignal(next.settings.rng);
      setSeedsError(next.error);
    }),
  );
  const [ranRng, setRanRng] = createSignal<PaperRngChoice>('slicebench');
  const policies = () => mod()?.PAPER_POLICIES.slice() ?? [];
  const run = async (): Promise<void> => {
    const m = mod() ?? (await import('../../plan/paperGrid.ts'));
    const s = parsePaperSeeds(seedsText());
    if (!s.ok) return void setSeedsError(`Seeds: ${s.error}`);
    setSeedsError(null);
    const traces = paperTraces();
    let replays;
    try {
      replays = m.expandPaperGrid(traces.map((t) => t.name), policies(), s.values);
    } catch (e) {
      return void setSeedsError((e as Error).message);
    }
    setRan(traces.map((t) => t.name));
    const r0 = rng();
    setRanRng(r0);
    const jobs = replays.map((r): PaperJob => ({ traces, policies: policies(), seeds: s.values, rng: r0, index: r.index }));
    const req: PaperBatchRequest = { traces, policies: policies(), seeds: s.values, rng: r0, indices: jobs.map((j) => j.index) };
    await runOnSelectedEngine(pool, props.choice ?? 'auto', jobs, () => paperWorker((n) => pool.addCandidates(n)), (w, onResult, onCandidates) => paperLockstepRun(w, req, onResult, onCandidates), startPlanWorker);
  };
  const finished = () => pool.rows().filter((r): r is PaperRow => r !== undefined);
  const exportCsv = (): void => {
    const m = mod();
    if (!m || finished().length === 0) return void props.onError('Export CSV: no replay has finished yet.');
    const name = ran().length === 1 ? ran()[0].replace(/\.csv$/, '') : `${ran().length}-traces`;
    downloadText(`paper-grid-${name}${ranRng() === 'go' ? '-go' : ''}.csv`, m.paperCsv(finished()), 'text/csv');
  };
  const shownTrace = () => trace() ?? ran()[0] ?? paperTraces()[0]?.name ?? '';
  const bands = createMemo(() => {
    const m = mod();
    const rows = pool.rows().filter((r) => r !== undefined && r.trace === shownTrace());
    return m ? m.paperBands(rows) : [];
  });
  const series = () => bands().map((b) => ({ label: `${b.policy} (${b.n} seeds)`, color: planColor(b.policy), points: b.arrivedPct.map((x, i) => ({ x, mean: b.mean[i], lo: b.lo[i], hi: b.hi[i] })) }));
  let files!: HTMLInputElement;
  return (
    <section class="card paper-grid" aria-label="Paper grid">
      <h3>FGD paper grid: {paperTraces().length === 1 ? paperTraces()[0].name : `${paperTraces().length} traces`} × six policies × seeds</h3>
      <p class="hint">Replays the imported openb trace as the FGD paper does (each seed shuffles the pods; copies until 1.3× capacity arrives) under fgd, random, dotprod, clustering, packing and bestfit, on the whole files: in lockstep on the GPU when the engine choice gives one (the progress line names the engine), else on the CPU workers, with the same rows. With Go's random numbers each replay draws what the artifact draws for its seed (Go's math/rand) and rounds as its analysis does, so its curve is the authors' published run (<code>slicebench openb --rng go</code>).</p>
      <div class="plan-controls">
        <label class="field inline">
          <span class="field-label">Seeds</span>
          <input type="text" value={seedsText()} aria-label="Paper grid seeds" aria-invalid={seedsError() ? 'true' : undefined} disabled={pool.running()} onChange={(e) => setSeedsText(e.currentTarget.value)} />
        </label>
        <label class="field inline">
          <span class="field-label">Random numbers</span>
          <select aria-label="Paper grid random numbers" disabled={pool.running()} onChange={(e) => setRng(e.currentTarget.value === 'go' ? 'go' : 'slicebench')}>
            <option value="slicebench" selected={rng() === 'slicebench'}>
              Slicebench's
            </option>
            <option value="go" selected={rng() === 'go'}>
              Go's (replays the paper's published runs)
            </option>
          </select>
        </label>
        <button type="button" disabled={pool.running()} onClick={() => void run()}>
          Run all policies × seeds
        </button>
        <button type="button" disabled={pool.running()} onClick={() => files.click()}>
          Add pod lists…
        </button>
        <button type="button" disabled={finished().length === 0} onClick={exportCsv}>
          Export paper grid CSV ({finished().length} rows)
        </button>
        <input
          ref={files}
          type="file"
          multiple
          accept=".csv,text/csv"
          class="visually-hidden"
          tabindex="-1"
          aria-label="More openb pod lists"
          onChange={(e) => {
            const list = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void Promise.all(list.map(async (f) => ({ name: f.name, podsCsv: await f.text() }))).then(addPaperPodLists, (err: Error) => props.onError(`Add pod lists: ${err.message}`));
          }}
        />
        <Show when={paperTraces().length > 1}>
          <label class="field inline">
            <span class="field-label">Trace</span>
            <select aria-label="Trace shown" onChange={(e) => setTrace(e.currentTarget.value)}>
              <For each={paperTraces()}>{(t) => <option value={t.name} selected={t.name === shownTrace()}>{t.name}</option>}</For>
            </select>
          </label>
        </Show>
      </div>
      <Show when={seedsError() ?? pool.error()}>
        <p class="field-error" role="alert">
          {seedsError() ?? pool.error()}
        </p>
      </Show>
      <Show when={pool.progress().total > 0}>
        <PlanProgress info={pool.progress()} onCancel={() => pool.cancel()} label="Paper grid progress" unit="replays" />
      </Show>
      <ChartExport name={`paper-grid-${shownTrace().replace(/\.csv$/, '')}`} title="Allocation vs arrived demand" onError={props.onError}>
        <BandChart id="paper" title={`GPU allocation vs arrived demand, ${shownTrace()}`} unit="% of capacity" xLabel="arrived GPU demand (% of capacity)" xTick={(x) => `${x}%`} series={series()} yMin={100} />
      </ChartExport>
    </section>
  );
}
