/**
 * The CLI's worker-thread pool for plans and the paper grid (`--workers N`, default: the cores Node reports). Each
 * thread (planThread.ts, loaded through planThread.mjs, which registers tsx) gets an interleaved share of the grid
 * indices and posts rows as they finish; rows come back in the order of the indices given. A row depends only on
 * (scenario, plan, index), so any thread count gives the same rows (test/cli/plan.test.ts compares digests).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runPaperBatch, runPlanBatch } from '../worker/planRun.ts';
import type { PaperBatchRequest, PlanBatchRequest } from '../worker/protocol.ts';
import { InputError } from './io.ts';

/** What one thread runs: a batch request of the planner worker's kind. */
export type ThreadJob = { kind: 'plan'; request: PlanBatchRequest } | { kind: 'paper'; request: PaperBatchRequest };

/** A thread's messages: a finished row, the end, or bad input (messages naming the field). */
export type ThreadMessage = { type: 'row'; row: unknown } | { type: 'done' } | { type: 'error'; errors: string[] };

const THREAD_ENTRY = new URL('./planThread.mjs', import.meta.url);

/** The default `--workers`: the cores Node reports. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Whether threads can start here (the entry file exists: not so inside a single-file bundle such as the GPU kit). */
export function threadsAvailable(): boolean {
  return THREAD_ENTRY.protocol === 'file:' && existsSync(fileURLToPath(THREAD_ENTRY));
}

/**
 * Runs `job` (its request's indices) on `workers` threads, or in this thread when one is enough or threads cannot
 * start; rows in the order of the job's indices. `onRow` hears each row as it arrives (any order). Bad input in a
 * thread is an InputError with its messages.
 */
export async function runOnThreads<R extends { index: number }>(job: ThreadJob, workers: number, onRow?: (row: R) => void): Promise<R[]> {
  const indices = job.request.indices;
  const n = Math.max(1, Math.min(workers, indices.length));
  let rows: R[];
  if (n === 1 || !threadsAvailable()) {
    const hooks = { yieldToEvents: () => Promise.resolve(), cancelled: () => false, onRow: (r: unknown) => onRow?.(r as R) };
    const res = job.kind === 'plan' ? await runPlanBatch(job.request, hooks) : await runPaperBatch(job.request, hooks);
    if (res.errors.length) throw new InputError(res.errors.join('\n'));
    rows = res.rows as unknown as R[];
  } else {
    const shares = Array.from({ length: n }, (_, t) => indices.filter((_, i) => i % n === t));
    const parts = await Promise.all(shares.map((share) => runThread<R>({ ...job, request: { ...job.request, indices: share } } as ThreadJob, onRow)));
    rows = parts.flat();
  }
  const order = new Map(indices.map((k, i) => [k, i]));
  return rows.sort((a, b) => order.get(a.index)! - order.get(b.index)!);
}

/** One thread running one share; resolves with its rows when it says `done`. */
function runThread<R>(job: ThreadJob, onRow?: (row: R) => void): Promise<R[]> {
  return new Promise((resolve, reject) => {
    const rows: R[] = [];
    let settled = false;
    const w = new Worker(THREAD_ENTRY, { workerData: job });
    w.on('message', (m: ThreadMessage) => {
      if (m.type === 'row') {
        rows.push(m.row as R);
        onRow?.(m.row as R);
      } else {
        settled = true;
        if (m.type === 'done') resolve(rows);
        else reject(new InputError(m.errors.join('\n')));
        void w.terminate();
      }
    });
    w.on('error', (e) => {
      settled = true;
      reject(e);
    });
    w.on('exit', (code) => {
      if (!settled) reject(new Error(`a plan worker thread exited with ${code} before finishing its share`));
    });
  });
}
