/**
 * One run of jobs on the worker pool as the planner shows it: rows stored by job index as they finish, progress
 * (done, total, elapsed wall time, engine in words), the outcome, and Cancel keeping what finished. The plan
 * (planStore.ts) and the paper grid (PaperGridPanel.tsx) both run through it.
 */
import { batch, createSignal, type Accessor } from 'solid-js';
import { poolSize, runPool, type PoolOutcome, type PoolWorker } from './pool.ts';
import type { PlanProgressInfo } from './PlanProgress.tsx';

export interface PoolRun<R> {
  /** Finished rows by job index (holes for jobs not finished). */
  rows: Accessor<R[]>;
  progress: Accessor<PlanProgressInfo>;
  running: Accessor<boolean>;
  /** Why the last run stopped early (an error from a worker), or null. */
  error: Accessor<string | null>;
  /** Workers a run of `jobs` jobs starts (one per reported core, capped). */
  workersFor(jobs: number): number;
  /** Starts a run (cancelling one in progress); resolves when it ends. `engineNote` follows the engine in words. */
  start<J>(jobs: readonly J[], make: () => PoolWorker<J, R>, engineNote?: string): Promise<void>;
  /**
   * Starts a run of `total` jobs that `launch` drives itself (the plan in lockstep in one GPU worker), shown as
   * `engine`; `launch` reports each result with its job index and returns the pool's handle shape.
   */
  startWith(total: number, engine: string, launch: (onResult: (index: number, result: R) => void) => { cancel(): void; done: Promise<PoolOutcome> }): Promise<void>;
  /** Names the engine of the run in progress (once a run started as "selecting…" knows it). */
  setEngine(engine: string): void;
  /** Stops the run; finished rows stay. */
  cancel(): void;
  /** Adds candidate evaluations the workers counted (the progress line then shows their rate). */
  addCandidates(n: number): void;
}

/** The progress line's engine for a CPU pool of `size` workers, e.g. "CPU, 2 Web Workers (no GPU: why)". */
export function cpuPoolLabel(size: number, note?: string): string {
  return `CPU, ${size} Web Worker${size === 1 ? '' : 's'}${note ? ` ${note}` : ''}`;
}

/** Creates a pool run (call inside a Solid root or component); `cores` overrides navigator.hardwareConcurrency. */
export function createPoolRun<R>(cores?: number): PoolRun<R> {
  const [rows, setRows] = createSignal<R[]>([]);
  const [running, setRunning] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [progress, setProgress] = createSignal<PlanProgressInfo>({ done: 0, total: 0, running: false, elapsedS: 0, candidates: null, engine: '', ended: null });
  let current: { cancel(): void } | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  const workersFor = (jobs: number): number => poolSize(cores ?? (typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency), jobs);
  const run: PoolRun<R> = {
    rows,
    progress,
    running,
    error,
    workersFor,
    async start(jobs, make, engineNote) {
      const size = workersFor(jobs.length);
      await run.startWith(jobs.length, cpuPoolLabel(size, engineNote), (onResult) => runPool(jobs, size, make, onResult));
    },
    async startWith(total, engine, launch) {
      current?.cancel();
      const out: R[] = [];
      const t0 = performance.now();
      const elapsed = (): number => (performance.now() - t0) / 1000;
      batch(() => {
        setError(null);
        setRows([]);
        setRunning(true);
        setProgress({ done: 0, total, running: true, elapsedS: 0, candidates: null, engine, ended: null });
      });
      clearInterval(timer);
      timer = setInterval(() => setProgress((p) => ({ ...p, elapsedS: elapsed() })), 500);
      const handle = launch((i, row) => {
        out[i] = row;
        batch(() => {
          setRows(out.slice());
          setProgress((p) => ({ ...p, done: p.done + 1, elapsedS: elapsed() }));
        });
      });
      current = handle;
      const outcome = await handle.done;
      if (current !== handle) return;
      current = null;
      clearInterval(timer);
      batch(() => {
        setRunning(false);
        if (outcome.error) setError(outcome.error.message);
        setProgress((p) => ({ ...p, running: false, elapsedS: elapsed(), ended: outcome.error ? 'failed' : outcome.cancelled ? 'cancelled' : 'done' }));
      });
    },
    setEngine(engine) {
      setProgress((p) => ({ ...p, engine }));
    },
    cancel() {
      current?.cancel();
    },
    addCandidates(n) {
      setProgress((p) => ({ ...p, candidates: (p.candidates ?? 0) + n }));
    },
  };
  return run;
}
