/**
 * A pool of Web Workers that runs a plan's replicas on the CPU: one worker per core the browser reports
 * (`navigator.hardwareConcurrency`), capped. Jobs are handed out in grid order to whichever worker is free; each
 * result is stored under its job's index, so the rows are the same whatever the worker count or finishing order.
 * Cancel stops handing out jobs and ends the workers: what finished is kept, what was running is dropped.
 * Plain TypeScript over a tiny worker interface, so the scheduling is unit-tested in Node (test/ui/planPool.test.ts).
 */

/** One worker of the pool: runs one job at a time. */
export interface PoolWorker<J, R> {
  run(job: J): Promise<R>;
  /** Ends the worker (a job in flight never answers). */
  terminate(): void;
}

/** Most workers a plan starts, whatever the browser reports (each holds a copy of the simulator and scenario). */
export const MAX_POOL_WORKERS = 8;

/** Workers for a plan: one per reported core, at least 1, at most `cap` and never more than there are jobs. */
export function poolSize(hardwareConcurrency: number | undefined, jobs: number, cap = MAX_POOL_WORKERS): number {
  const cores = Number.isInteger(hardwareConcurrency) && (hardwareConcurrency as number) > 0 ? (hardwareConcurrency as number) : 1;
  return Math.max(1, Math.min(cores, cap, Math.max(1, jobs)));
}

/** How a pool run ended. */
export interface PoolOutcome {
  /** Jobs that finished (their results were reported). */
  done: number;
  cancelled: boolean;
  /** The first job error, if any (the run stops at it, keeping what finished). */
  error: Error | null;
}

/**
 * Runs `jobs` (indices into the caller's list) on `size` workers made by `make`, reporting each result with its
 * index as it arrives. Returns a handle whose `cancel()` stops the run and whose `done` settles with the outcome.
 */
export function runPool<J, R>(jobs: readonly J[], size: number, make: () => PoolWorker<J, R>, onResult: (index: number, result: R) => void): { cancel(): void; done: Promise<PoolOutcome> } {
  const workers: PoolWorker<J, R>[] = [];
  let next = 0;
  let finished = 0;
  let stopped = false;
  let settle!: (o: PoolOutcome) => void;
  const done = new Promise<PoolOutcome>((ok) => (settle = ok));
  let active = 0;
  let error: Error | null = null;

  const end = (cancelled: boolean): void => {
    if (stopped) return;
    stopped = true;
    for (const w of workers) w.terminate();
    settle({ done: finished, cancelled, error });
  };
  const feed = (w: PoolWorker<J, R>): void => {
    if (stopped) return;
    if (next >= jobs.length) {
      if (active === 0) end(false);
      return;
    }
    const index = next++;
    active++;
    w.run(jobs[index]).then(
      (r) => {
        active--;
        if (stopped) return;
        finished++;
        onResult(index, r);
        feed(w);
      },
      (e: unknown) => {
        active--;
        if (stopped) return;
        error = e instanceof Error ? e : new Error(String(e));
        end(false);
      },
    );
  };
  if (jobs.length === 0) settle({ done: 0, cancelled: false, error: null });
  else {
    for (let i = 0; i < Math.max(1, size); i++) workers.push(make());
    for (const w of workers) feed(w);
  }
  return { cancel: () => end(true), done };
}
