/**
 * The planner's state in the app: the pure planner module (src/plan/, loaded on demand), the grid of the plan
 * being run, its rows as replicas finish (stored by grid index: the same rows whatever the worker count or order),
 * progress, Cancel, and the question asked before a grid over the plan's cap. With the workbench's engine choice
 * (Auto / GPU) giving a WebGPU device, the replicas run in lockstep in one plan worker (planWorker.ts runLockstep:
 * one dispatch per step for every live replica); otherwise, and for CPU, on a pool of plan workers
 * (src/worker/planWorker.ts through protocol.ts), one per core the browser reports, capped (pool.ts), and the
 * progress line says why no GPU. The rows are the same either way (row digests, test/e2e/planGpu.test.ts).
 * A run that cannot start (a bad field, an impossible target) says why and keeps the rows already computed.
 */
import { batch, createSignal, type Accessor } from 'solid-js';
import * as Comlink from 'comlink';
import type { Scenario, PlanSpec } from '../../scenario/types.ts';
import type { PlanBatchRequest, PlanEngineInfo, PlanRow, PlanWorkerApi } from '../../worker/protocol.ts';
import type { EngineChoice } from '../../worker/engineInfo.ts';
import { engineLine } from '../lib/engineLine.ts';
import type { PlanGrid } from '../../plan/index.ts';
import { runPool, type PoolOutcome, type PoolWorker } from './pool.ts';
import { lockstepRun, type LockstepWorker } from './lockstepRun.ts';
import { cpuPoolLabel, createPoolRun, type PoolRun } from './poolRun.ts';
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
  /** Starts the scenario's plan on the engine `choice` gives (default Auto); asks first when the grid is over its cap. */
  start(scenario: Scenario, choice?: EngineChoice): Promise<void>;
  /** Runs the grid over the cap the user agreed to. */
  confirmCap(): Promise<void>;
  dismissCap(): void;
  /** Stops the run; finished rows stay. */
  cancel(): void;
  /** Workers the pool starts for `jobs` replicas. */
  workersFor(jobs: number): number;
}

/** A run's handle (pool.ts runPool's shape): stop it, and how it ended. */
type RunHandle = { cancel(): void; done: Promise<PoolOutcome> };

/** What one pool worker is asked: one replica of the plan. */
export interface PlanJob {
  scenario: Scenario;
  plan: PlanSpec;
  index: number;
}

/** A comlink handle on a new planner worker (src/worker/planWorker.ts) and the function that ends it. */
export function startPlanWorker(): { api: Comlink.Remote<PlanWorkerApi>; end(): void } {
  const w = new Worker(new URL('../../worker/planWorker.ts', import.meta.url), { type: 'module', name: 'slicebench-plan' });
  const api = Comlink.wrap<PlanWorkerApi>(w);
  return {
    api,
    end() {
      api[Comlink.releaseProxy]();
      w.terminate();
    },
  };
}

/** A pool worker that runs one plan replica per call and returns its row (errors name the field); `onCandidates` hears its candidate evaluations. */
export function planWorker(onCandidates: (n: number) => void): PoolWorker<PlanJob, PlanRow> {
  const { api, end } = startPlanWorker();
  return {
    async run(job) {
      const r = await api.runReplicas({ scenario: job.scenario, plan: job.plan, indices: [job.index], seriesPoints: PLAN_SERIES_POINTS });
      if (r.errors.length) throw new Error(r.errors.join('; '));
      if (r.rows.length !== 1) throw new Error(`replica ${job.index}: no row came back`);
      if (r.candidateEvaluations !== undefined) onCandidates(r.candidateEvaluations);
      return r.rows[0];
    },
    terminate: end,
  };
}

/**
 * A plan run on the engine `choice` selects, as one pool-shaped handle: a planner worker selects it as the workbench
 * does (openEngine); with a WebGPU device the grid runs there in lockstep (lockstepRun.ts, `onGpu` hears the engine
 * in words), otherwise the worker ends and `onCpu` starts the CPU pool with why there is no GPU. Cancel while the
 * engine is being selected ends that worker: nothing ran, nothing is lost. `start` makes the worker (tests: a fake).
 */
export function selectedRun(choice: EngineChoice, req: PlanBatchRequest, onGpu: (engine: string) => void, onCpu: (note: string) => RunHandle, onResult: (position: number, row: PlanRow) => void, onCandidates: (n: number) => void, start: () => LockstepWorker & { api: Pick<Comlink.Remote<PlanWorkerApi>, 'openEngine'> } = startPlanWorker): RunHandle {
  return selectedEngineRun(choice, onGpu, onCpu, (w) => lockstepRun(w, req, onResult, onCandidates), start);
}

/** A planner worker as an engine selection holds it: its engine check, the rest of its API, and its end. */
export type SelectingWorker<K extends keyof PlanWorkerApi = 'openEngine'> = { api: Pick<Comlink.Remote<PlanWorkerApi>, 'openEngine' | K>; end(): void };

/**
 * selectedRun for any grid: `gpuRun` runs it in lockstep on the worker `start` made once its engine is a GPU (the
 * plan's runLockstep, the paper grid's runPaperLockstep); otherwise the worker ends and `onCpu` starts the pool.
 */
export function selectedEngineRun<W extends SelectingWorker>(choice: EngineChoice, onGpu: (engine: string) => void, onCpu: (note: string) => RunHandle, gpuRun: (w: W) => RunHandle, start: () => W): RunHandle {
  const w = start();
  let inner: RunHandle | null = null;
  let stopped = false;
  let settle!: (o: PoolOutcome | Promise<PoolOutcome>) => void;
  const done = new Promise<PoolOutcome>((ok) => (settle = ok));
  void (async () => {
    let info: PlanEngineInfo | null = null;
    let note = '';
    try {
      info = await w.api.openEngine(choice);
    } catch (e) {
      note = `(no GPU: engine selection failed: ${e instanceof Error ? e.message : String(e)})`;
    }
    if (stopped) return;
    if (info?.gpu) {
      onGpu(`GPU lockstep, ${info.status.adapter ?? 'unknown adapter'}${info.status.software ? ' (software adapter, not a GPU)' : ''}`);
      inner = gpuRun(w);
    } else {
      w.end();
      inner = onCpu(info ? `(no GPU: ${engineLine(info.status).short})` : note);
    }
    settle(inner.done);
  })();
  return {
    cancel() {
      if (stopped) return;
      stopped = true;
      if (inner) return inner.cancel();
      w.end();
      settle({ done: 0, cancelled: true, error: null });
    },
    done,
  };
}

/**
 * Runs `jobs` on the engine `choice` gives, shown in `pool`: CPU goes straight to the worker pool; Auto / GPU
 * start at once (progress reset, Cancel shown, "selecting the engine…") while a worker selects the engine, then run
 * in lockstep there through `gpuRun` (given where rows and candidate counts go) on a WebGPU device, else on the
 * pool with why there is no GPU in the engine line. The plan and the paper grid both dispatch here.
 */
export function runOnSelectedEngine<J, R, W extends SelectingWorker>(pool: PoolRun<R>, choice: EngineChoice, jobs: readonly J[], make: () => PoolWorker<J, R>, gpuRun: (w: W, onResult: (position: number, row: R) => void, onCandidates: (n: number) => void) => RunHandle, start: () => W): Promise<void> {
  if (choice === 'cpu') return pool.start(jobs, make);
  return pool.startWith(jobs.length, 'selecting the engine…', (onResult) =>
    selectedEngineRun(
      choice,
      (label) => pool.setEngine(label),
      (note) => {
        const size = pool.workersFor(jobs.length);
        pool.setEngine(cpuPoolLabel(size, note));
        return runPool(jobs, size, make, onResult);
      },
      (w) => gpuRun(w, onResult, (n) => pool.addCandidates(n)),
      start,
    ),
  );
}

/** Creates the planner store (call inside a Solid root or component). */
export function createPlanStore(): PlanStore {
  const [mod, setMod] = createSignal<PlanModule | null>(null);
  const [grid, setGrid] = createSignal<PlanGrid | null>(null);
  const [problems, setProblems] = createSignal<string[] | null>(null);
  const [capQuestion, setCapQuestion] = createSignal<CapQuestion | null>(null);
  const pool = createPoolRun<PlanRow>();
  let pendingCap: { scenario: Scenario; plan: PlanSpec; choice: EngineChoice } | null = null;
  void loadPlanModule().then(setMod);

  /** Expands and runs a plan; `plan` may raise the scenario's cap (after the user agreed). */
  const run = async (scenario: Scenario, plan: PlanSpec, choice: EngineChoice): Promise<void> => {
    const m = await loadPlanModule();
    setMod(m);
    let g: PlanGrid;
    try {
      g = m.expandPlan(scenario, plan);
    } catch (e) {
      if (e instanceof m.PlanError && e.field === 'plan.maxReplicas') {
        pendingCap = { scenario, plan, choice };
        setCapQuestion({ replicas: m.planSize(scenario, plan), cap: plan.maxReplicas ?? m.DEFAULT_PLAN_CAP, message: e.message });
        return;
      }
      if (e instanceof m.PlanError) return void setProblems([e.message]);
      throw e;
    }
    batch(() => {
      setProblems(null);
      setCapQuestion(null);
      setGrid(g);
    });
    const jobs = g.replicas.map((r): PlanJob => ({ scenario, plan, index: r.index }));
    const make = (): PoolWorker<PlanJob, PlanRow> => planWorker((n) => pool.addCandidates(n));
    const req: PlanBatchRequest = { scenario, plan, indices: jobs.map((j) => j.index), seriesPoints: PLAN_SERIES_POINTS };
    await runOnSelectedEngine(pool, choice, jobs, make, (w, onResult, onCandidates) => lockstepRun(w, req, onResult, onCandidates), startPlanWorker);
  };

  return {
    mod,
    grid,
    rows: pool.rows,
    progress: pool.progress,
    running: pool.running,
    problems: () => problems() ?? (pool.error() ? [pool.error()!] : null),
    capQuestion,
    workersFor: pool.workersFor,
    async start(scenario, choice = 'auto') {
      if (!scenario.plan) return void setProblems(['plan: the scenario has no plan yet: pick axes and targets first']);
      await run(scenario, scenario.plan, choice);
    },
    async confirmCap() {
      const p = pendingCap;
      pendingCap = null;
      setCapQuestion(null);
      if (!p) return;
      const m = await loadPlanModule();
      await run(p.scenario, { ...p.plan, maxReplicas: Math.max(m.planSize(p.scenario, p.plan), p.plan.maxReplicas ?? 1) }, p.choice);
    },
    dismissCap() {
      pendingCap = null;
      setCapQuestion(null);
    },
    cancel: pool.cancel,
  };
}
