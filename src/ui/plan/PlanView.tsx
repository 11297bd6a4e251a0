/**
 * Plan mode: the scenario's plan (axes and targets, PlanEditor) on the left; on the right, as replicas finish,
 * the progress with Cancel, the answer card ("Plan answer"), metric-vs-scale curves with 95 % bands, the
 * scheduler × scale heatmap of the binding target, time-series bands, and exports (CSV of every replica row,
 * PNG/SVG of each chart). The answer, cells and bands come from the planner module (src/plan/, loaded with this
 * chunk's first use); the rows from a pool of plan workers (planStore.ts). The toolbar's share link carries the plan.
 * After an openb replay import, the paper grid (PaperGridPanel) sits above the plan.
 */
import { createEffect, createMemo, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import type { PlanSpec } from '../../scenario/types.ts';
import { checkPlanSpec } from '../../scenario/planSpec.ts';
import type { BandMetric, PlanSeriesMetric } from '../../plan/index.ts';
import type { Workbench } from '../stores/workbench.ts';
import { downloadText } from '../share/exportDom.ts';
import { scenarioFileName } from '../share/scenarioFile.ts';
import { AnswerCard } from './AnswerCard.tsx';
import { BandChart } from './BandChart.tsx';
import { ChartExport } from './ChartExport.tsx';
import { PlanEditor } from './PlanEditor.tsx';
import { PlanHeatmap } from './PlanHeatmap.tsx';
import { PlanProgress } from './PlanProgress.tsx';
import { PaperGridPanel } from './PaperGridPanel.tsx';
import { paperTraces } from './paperSource.ts';
import { createPlanStore } from './planStore.ts';
import { answerLines, defaultPlan, heatmap, scaleCurves, scaleLabelOf, timeCurves } from './planViewModel.ts';
import './plan.css';

/** Metrics the metric-vs-scale chart offers: label, unit, y floor. */
const CURVE_METRICS: { key: BandMetric; label: string; unit: string; yMin?: number }[] = [
  { key: 'sloAttainmentPct', label: 'Inference SLO attainment', unit: '%', yMin: 100 },
  { key: 'p95WaitS', label: 'p95 pod wait', unit: 's' },
  { key: 'podsPendingAtEnd', label: 'Pods pending at the end', unit: 'pods', yMin: 1 },
  { key: 'allocationPct', label: 'GPU allocation', unit: '%', yMin: 100 },
  { key: 'utilizationPct', label: 'GPU utilization', unit: '%', yMin: 100 },
  { key: 'trainingSlowdown', label: 'Training slowdown', unit: '×', yMin: 1 },
  { key: 'costPerUsefulGpuHourUsd', label: 'Cost per useful GPU-hour', unit: 'USD' },
];

/** Series the time-series chart offers. */
const SERIES_METRICS: { key: PlanSeriesMetric; label: string; unit: string; yMin?: number }[] = [
  { key: 'allocationPct', label: 'GPU allocation', unit: '%', yMin: 100 },
  { key: 'utilizationPct', label: 'GPU utilization', unit: '%', yMin: 100 },
  { key: 'pending', label: 'Pending pods', unit: 'pods', yMin: 1 },
  { key: 'sloAttainmentPct', label: 'Inference SLO attainment', unit: '%', yMin: 100 },
  { key: 'gpusInUse', label: 'GPUs in use', unit: 'GPUs', yMin: 1 },
];

/** The planner. */
export function PlanView(props: { wb: Workbench }): JSX.Element {
  const wb = props.wb;
  const store = createPlanStore();
  onCleanup(() => store.cancel());
  // No playback behind the planner: the workers need the cores.
  createEffect(() => {
    if (wb.playing()) wb.pause();
  });
  // A plain copy of the store's plan (a store proxy cannot be structured-cloned); reading it all tracks every field.
  const plan = createMemo<PlanSpec>(() => (wb.scenario.plan ? (JSON.parse(JSON.stringify(wb.scenario.plan)) as PlanSpec) : defaultPlan(wb.scenario)));
  const pools = () => wb.scenario.cluster.pools.map((p) => ({ name: p.name, count: p.count }));
  const check = (p: PlanSpec): string[] => {
    const errors: string[] = [];
    checkPlanSpec(p, new Set(pools().map((x) => x.name)), errors);
    return errors;
  };
  const commit = (p: PlanSpec): void => wb.edit((s) => void (s.plan = p));
  const size = createMemo(() => {
    const m = store.mod();
    if (!m || check(plan()).length) return null;
    try {
      return m.planSize(wb.ws.scenario.plan ? wb.ws.scenario : { ...wb.ws.scenario, plan: plan() }, plan());
    } catch {
      return null;
    }
  });
  const run = (): void => {
    // The plan on screen becomes the scenario's (the share link and the saved work carry it), then runs.
    if (!wb.ws.scenario.plan) commit(plan());
    void store.start(wb.ws.scenario, wb.engineChoice());
  };
  const [message, setMessage] = createSignal<string | null>(null);

  const [metricChoice, setMetric] = createSignal<BandMetric | null>(null);
  /** The metric-vs-scale chart shows the user's choice, else the plan's first target with a curve. */
  const metric = (): BandMetric => {
    const chosen = metricChoice();
    if (chosen) return chosen;
    const t = plan().targets;
    return t.sloAttainmentPct !== undefined ? 'sloAttainmentPct' : t.p95WaitS !== undefined ? 'p95WaitS' : t.trainingSlowdown !== undefined ? 'trainingSlowdown' : 'podsPendingAtEnd';
  };
  const [seriesMetric, setSeriesMetric] = createSignal<PlanSeriesMetric>('allocationPct');
  const [demand, setDemand] = createSignal<number>(1);
  const [scaleIndex, setScaleIndex] = createSignal<number | null>(null);
  const grid = store.grid;
  const demandOnScreen = () => {
    const g = grid();
    if (!g) return 1;
    return g.demandScales.includes(demand()) ? demand() : g.demandScales[0];
  };
  const finished = createMemo(() => store.rows().filter((r) => r !== undefined));
  const answers = createMemo(() => {
    const m = store.mod();
    const g = grid();
    return m && g ? m.planAnswer(g, finished()) : [];
  });
  const cells = createMemo(() => {
    const m = store.mod();
    const g = grid();
    return m && g ? m.planCells(g, finished()) : [];
  });
  const heat = createMemo(() => heatmap(cells(), demandOnScreen()));
  const curves = createMemo(() => {
    const m = store.mod();
    return m ? scaleCurves(m.scaleBands(finished(), metric()), demandOnScreen()) : [];
  });
  /** The time-series chart's cluster: chosen, else the smallest answer, else the plan's first scale. */
  const seriesScale = (): number => {
    const g = grid();
    if (!g) return 0;
    const chosen = scaleIndex();
    if (chosen !== null && chosen < g.scales.length) return chosen;
    const a = answers().find((x) => x.meets && x.scaleLabel);
    const hit = a ? g.scales.find((s) => s.label === a.scaleLabel) : undefined;
    return hit?.index ?? 0;
  };
  const series = createMemo(() => {
    const m = store.mod();
    const g = grid();
    return m && g ? timeCurves(m.seriesBands(finished(), seriesMetric()), scaleLabelOf(g, seriesScale()), demandOnScreen()) : [];
  });
  const curveInfo = () => CURVE_METRICS.find((c) => c.key === metric())!;
  const seriesInfo = () => SERIES_METRICS.find((c) => c.key === seriesMetric())!;
  const target = () => {
    const t = grid()?.targets;
    if (!t) return undefined;
    if (metric() === 'sloAttainmentPct' && t.sloAttainmentPct !== undefined) return { value: t.sloAttainmentPct, label: `target ≥ ${t.sloAttainmentPct} %` };
    if (metric() === 'p95WaitS' && t.p95WaitS !== undefined) return { value: t.p95WaitS, label: `target ≤ ${t.p95WaitS} s` };
    if (metric() === 'trainingSlowdown' && t.trainingSlowdown !== undefined) return { value: t.trainingSlowdown, label: `target ≤ ${t.trainingSlowdown}×` };
    return undefined;
  };
  const base = () => scenarioFileName(wb.ws.scenario, '').replace(/\.$/, '');
  const exportCsv = (): void => {
    const m = store.mod();
    if (!m || finished().length === 0) return void setMessage('Export CSV: no replica has finished yet.');
    downloadText(`${base()}-plan.csv`, m.planCsv(finished()), 'text/csv');
  };

  return (
    <div class="plan-body">
      <aside class="plan-side" aria-label="Plan">
        <div class="plan-actions">
          <button type="button" class="primary" disabled={store.running()} aria-keyshortcuts="Control+Enter" onClick={run}>
            Run plan
          </button>
          <Show when={size() !== null}>
            <span class="plan-grid-size" data-testid="plan-size">
              {size()} replicas on {store.workersFor(size()!)} Web Worker{store.workersFor(size()!) === 1 ? '' : 's'}
            </span>
          </Show>
        </div>
        <Show when={store.capQuestion()}>
          {(q) => (
            <div class="plan-confirm" role="alertdialog" aria-label="Grid over the cap">
              <p>
                This grid has {q().replicas.toLocaleString('en-US')} replicas, over the cap of {q().cap.toLocaleString('en-US')}. Run all of them?
              </p>
              <div class="plan-actions">
                <button type="button" onClick={() => void store.confirmCap()}>
                  Run {q().replicas.toLocaleString('en-US')} replicas
                </button>
                <button type="button" onClick={() => store.dismissCap()}>
                  Not now
                </button>
              </div>
            </div>
          )}
        </Show>
        <Show when={store.problems()}>
          {(ps) => (
            <ul class="field-error plan-messages" role="alert" aria-label="Why the plan did not run">
              <For each={ps()}>{(p) => <li>{p}</li>}</For>
            </ul>
          )}
        </Show>
        <PlanEditor plan={plan()} pools={pools()} scenarioSeed={wb.scenario.sim.seed} check={check} onCommit={commit} disabled={store.running()} />
      </aside>
      <main class="plan-main">
        <div class="scenario-title">
          <h2>Plan: {wb.scenario.name}</h2>
          <p class="hint">{wb.scenario.description}</p>
        </div>
        <Show when={paperTraces().length > 0}>
          <PaperGridPanel ws={wb.ws} onError={setMessage} choice={wb.engineChoice()} />
        </Show>
        <PlanProgress info={store.progress()} onCancel={() => store.cancel()} />
        <AnswerCard lines={answerLines(answers(), (grid()?.demandScales.length ?? 1) > 1 ? null : demandOnScreen(), (grid()?.demandScales.length ?? 1) > 1)} confidencePct={grid()?.confidencePct ?? plan().confidencePct ?? 95} complete={!store.running() && store.progress().ended === 'done'} />
        <div class="plan-controls">
          <button type="button" onClick={exportCsv} disabled={finished().length === 0}>
            Export CSV ({finished().length} rows)
          </button>
          <Show when={(grid()?.demandScales.length ?? 0) > 1}>
            <label class="field inline">
              <span class="field-label">Demand</span>
              <select aria-label="Demand scale shown" onChange={(e) => setDemand(Number(e.currentTarget.value))}>
                <For each={grid()!.demandScales}>{(d) => <option value={d} selected={d === demandOnScreen()}>{d}×</option>}</For>
              </select>
            </label>
          </Show>
          <Show when={message()}>
            <span class="field-error" role="status">
              {message()}
            </span>
          </Show>
        </div>
        <div class="plan-charts" aria-label="Plan charts" role="region">
          <ChartExport name={`${base()}-plan-${metric()}`} title={`${curveInfo().label} vs cluster scale`} onError={setMessage}>
            <label class="field inline">
              <span class="field-label">Metric</span>
              <select aria-label="Metric against cluster scale" onChange={(e) => setMetric(e.currentTarget.value as BandMetric)}>
                <For each={CURVE_METRICS}>{(c) => <option value={c.key} selected={c.key === metric()}>{c.label}</option>}</For>
              </select>
            </label>
            <BandChart id="scale" title={`${curveInfo().label} vs cluster scale`} unit={curveInfo().unit} xLabel="cluster scale (× the scenario's nodes)" xTick={(x) => `${+x.toFixed(2)}×`} series={curves()} yMin={curveInfo().yMin} reference={target()} />
          </ChartExport>
          <ChartExport name={`${base()}-plan-series-${seriesMetric()}`} title={`${seriesInfo().label} over time`} onError={setMessage}>
            <div class="plan-controls">
              <label class="field inline">
                <span class="field-label">Series</span>
                <select aria-label="Metric over time" onChange={(e) => setSeriesMetric(e.currentTarget.value as PlanSeriesMetric)}>
                  <For each={SERIES_METRICS}>{(c) => <option value={c.key} selected={c.key === seriesMetric()}>{c.label}</option>}</For>
                </select>
              </label>
              <Show when={grid()}>
                {(g) => (
                  <label class="field inline">
                    <span class="field-label">at</span>
                    <select aria-label="Cluster scale over time" onChange={(e) => setScaleIndex(Number(e.currentTarget.value))}>
                      <For each={g().scales}>{(s) => <option value={s.index} selected={s.index === seriesScale()}>{s.label} ({s.nodes} nodes, {s.gpus} GPUs)</option>}</For>
                    </select>
                  </label>
                )}
              </Show>
            </div>
            <BandChart id="series" title={`${seriesInfo().label} over time at ${grid() ? scaleLabelOf(grid()!, seriesScale()) : '—'}`} unit={seriesInfo().unit} xLabel="simulated hours" xTick={(x) => `${+x.toFixed(1)}h`} series={series()} yMin={seriesInfo().yMin} />
          </ChartExport>
          <ChartExport name={`${base()}-plan-heatmap`} title="Binding target heatmap" onError={setMessage}>
            <PlanHeatmap rows={heat().rows} cols={grid()?.scales.map((s) => s.index) ?? []} colLabel={(c) => (grid() ? scaleLabelOf(grid()!, c) : String(c))} cells={heat().cells} />
          </ChartExport>
        </div>
      </main>
    </div>
  );
}
