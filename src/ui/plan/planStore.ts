/**
 * The planner's state in the app: the pure planner module (src/plan/, loaded on demand), the grid of the plan
 * being run, its rows as replicas finish (stored by grid index: the same rows whatever the worker count or order),
 * progress, Cancel, and the question asked before a grid over the plan's cap. The replicas run on a pool of plan
 * workers (src/worker/planWorker.ts through protocol.ts), one per core the browser reports, capped (pool.ts).
 * A run that cannot start (a bad field, an impossible target) says why and keeps the rows already computed.
 */
import { batch, createSignal, type Accessor } from 'solid-js';
import * as Comlink from 'comlink';
import type { Scenario, PlanSpec } from '../../scenario/types.ts';
import type { PlanRow, PlanWorkerApi } from '../../worker/protocol.ts';
import type { PlanGrid } from '../../plan/index.ts';
import { poolSize, runPool, type PoolWorker } from './pool.ts';
import type { PlanProgressInfo } from './PlanProgress.tsx';

/** The planner module's API (src/plan/index.ts), loaded once on demand. */
export type PlanModule = typeof import('../../plan/index.ts');

let planModule: Promise<PlanModule> | null = null;
/** Loads the pure planner module (its own chunk). */
export function loadPlanModule(): Promise<PlanModule> {
  planModule ??= import('../../plan/index.ts');
  return planModule;
}

/** Points of each row's time series kept for the band charts. */
export const PLAN_SERIES_POINTS = 96;

/** A grid over the plan's cap, waiting for the user's go-ahead. */
export interface CapQuestion {
  replicas: number;
  cap: number;
  message: string;
}

export interface PlanStore {
  mod: Accessor<PlanModule | null>;
  /** The grid of the rows shown (the last run started). */
  grid: Accessor<PlanGrid | null>;
  /** Finished rows, in grid order (holes for replicas not finished). */
  rows: Accessor<PlanRow[]>;
  progress: Accessor<PlanProgressInfo>;
  running: Accessor<boolean>;
  /** Why the last run could not start or stopped (messages naming the field), or null. */
  problems: Accessor<string[] | null>;
  capQuestion: Accessor<CapQuestion | null>;
  /** Starts the scenario's plan (asks first when the grid is over its cap). */
  start(scenario: Scenario): Promise<void>;
  /** Runs the grid over the cap the user agreed to. */
  confirmCap(): Promise<void>;
  dismissCap(): void;
  /** Stops the run; finished rows stay. */
  cancel(): void;
  /** Workers the pool starts for `jobs` replicas. */
  workersFor(jobs: number): number;
}

/** Options for tests and benchmarks: the worker factory and the core count. */
export interface PlanStoreOptions {
  makeWorker?: () => PoolWorker<PlanJob, PlanRow>;
  cores?: number;
}

/** What one pool worker is asked: one replica of the plan. */
export interface PlanJob {
  scenario: Scenario;
  plan: PlanSpec;
  index: number;
}

/** A pool worker over src/worker/planWorker.ts: one replica per call, its row back (errors name the field). */
export function planWorker(): PoolWorker<PlanJob, PlanRow> {
  const w = new Worker(new URL('../../worker/planWorker.ts', import.meta.url), { type: 'module', name: 'slicebench-plan' });
  const api = Comlink.wrap<PlanWorkerApi>(w);
  return {
    async run(job) {
      const r = await api.runReplicas({ scenario: job.scenario, plan: job.plan, indices: [job.index], seriesPoints: PLAN_SERIES_POINTS });
      if (r.errors.length) throw new Error(r.errors.join('; '));
      if (r.rows.length !== 1) throw new Error(`replica ${job.index}: no row came back`);
      return r.rows[0];
    },
    terminate() {
      api[Comlink.releaseProxy]();
      w.terminate();
    },
  };
}

/** Creates the planner store (call inside a Solid root or component). */
export function createPlanStore(options: PlanStoreOptions = {}): PlanStore {
  const [mod, setMod] = createSignal<PlanModule | null>(null);
  const [grid, setGrid] = createSignal<PlanGrid | null>(null);
  const [rows, setRows] = createSignal<PlanRow[]>([]);
  const [running, setRunning] = createSignal(false);
  const [problems, setProblems] = createSignal<string[] | null>(null);
  const [capQuestion, setCapQuestion] = createSignal<CapQuestion | null>(null);
  const [progress, setProgress] = createSignal<PlanProgressInfo>({ done: 0, total: 0, running: false, elapsedS: 0, candidates: null, engine: '', ended: null });
  let current: { cancel(): void } | null = null;
  let pendingCap: { scenario: Scenario; plan: PlanSpec } | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  const cores = (): number => options.cores ?? (typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency);
  const workersFor = (jobs: number): number => poolSize(cores(), jobs);
  void loadPlanModule().then(setMod);

  /** Expands and runs a plan; `plan` may raise the scenario's cap (after the user agreed). */
  const run = async (scenario: Scenario, plan: PlanSpec): Promise<void> => {
    const m = await loadPlanModule();
    setMod(m);
    let g: PlanGrid;
    try {
      g = m.expandPlan(scenario, plan);
    } catch (e) {
      if (e instanceof m.PlanError && e.field === 'plan.maxReplicas') {
        const replicas = m.planSize(scenario, plan);
        pendingCap = { scenario, plan };
        setCapQuestion({ replicas, cap: plan.maxReplicas ?? m.DEFAULT_PLAN_CAP, message: e.message });
        return;
      }
      if (e instanceof m.PlanError) return void setProblems([e.message]);
      throw e;
    }
    current?.cancel();
    const size = workersFor(g.replicas.length);
    const out: PlanRow[] = [];
    const t0 = performance.now();
    const engine = `CPU, ${size} Web Worker${size === 1 ? '' : 's'}`;
    batch(() => {
      setProblems(null);
      setCapQuestion(null);
      setGrid(g);
      setRows([]);
      setRunning(true);
      setProgress({ done: 0, total: g.replicas.length, running: true, elapsedS: 0, candidates: null, engine, ended: null });
    });
    const tick = (): void => void setProgress((p) => ({ ...p, elapsedS: (performance.now() - t0) / 1000 }));
    clearInterval(timer);
    timer = setInterval(tick, 500);
    const handle = runPool(
      g.replicas.map((r) => ({ scenario, plan, index: r.index })),
      size,
      options.makeWorker ?? planWorker,
      (i, row) => {
        out[i] = row;
        batch(() => {
          setRows(out.slice());
          setProgress((p) => ({ ...p, done: p.done + 1, elapsedS: (performance.now() - t0) / 1000 }));
        });
      },
    );
    current = handle;
    const outcome = await handle.done;
    if (current !== handle) return;
    current = null;
    clearInterval(timer);
    batch(() => {
      setRunning(false);
      if (outcome.error) setProblems([outcome.error.message]);
      setProgress((p) => ({ ...p, running: false, elapsedS: (performance.now() - t0) / 1000, ended: outcome.error ? 'failed' : outcome.cancelled ? 'cancelled' : 'done' }));
    });
  };

  return {
    mod,
    grid,
    rows,
    progress,
    running,
    problems,
    capQuestion,
    workersFor,
    async start(scenario) {
      if (!scenario.plan) return void setProblems(['plan: the scenario has no plan yet: pick axes and targets first']);
      await run(scenario, scenario.plan);
    },
    async confirmCap() {
      const p = pendingCap;
      pendingCap = null;
      setCapQuestion(null);
      if (!p) return;
      const m = await loadPlanModule();
      await run(p.scenario, { ...p.plan, maxReplicas: Math.max(m.planSize(p.scenario, p.plan), p.plan.maxReplicas ?? 1) });
    },
    dismissCap() {
      pendingCap = null;
      setCapQuestion(null);
    },
    cancel() {
      current?.cancel();
    },
  };
}
