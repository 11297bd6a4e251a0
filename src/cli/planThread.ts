/**
 * One worker thread of the CLI's pool (threadPool.ts): runs its share of a plan's replicas or of the paper grid
 * through the planner worker's batch functions (src/worker/planRun.ts, the same ones the browser pool runs) and
 * posts each row as it finishes, then `done` (or `error` with the bad-input messages).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runPaperBatch, runPlanBatch } from '../worker/planRun.ts';
import type { ThreadJob, ThreadMessage } from './threadPool.ts';

const job = workerData as ThreadJob;
const post = (m: ThreadMessage): void => parentPort!.postMessage(m);
const hooks = { yieldToEvents: () => Promise.resolve(), cancelled: () => false, onRow: (row: unknown) => post({ type: 'row', row }) };

const res = job.kind === 'plan' ? await runPlanBatch(job.request, hooks) : await runPaperBatch(job.request, hooks);
post(res.errors.length ? { type: 'error', errors: res.errors } : { type: 'done' });
