/**
 * The planner's worker (one per core in the UI's pool): runs a batch of a plan's replicas and posts each row as it
 * finishes, and the paper grid's openb replays (planRun.ts). No session, no frames: the main thread keeps the rows,
 * answers and draws them with src/plan/ (loaded lazily).
 */
import * as Comlink from 'comlink';
import { runPaperBatch, runPlanBatch, type PlanBatchHooks } from './planRun.ts';
import type { PaperBatchRequest, PaperBatchResult, PaperRow, PlanBatchRequest, PlanBatchResult, PlanRow, PlanWorkerApi } from './protocol.ts';

let cancelRequested = false;

/** A fresh batch's hooks: a macrotask turn between replicas (so a queued cancel() is handled), the flag, the rows. */
function batchHooks<R>(onRow?: (row: R) => void): PlanBatchHooks<R> {
  cancelRequested = false;
  return {
    yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)),
    cancelled: () => cancelRequested,
    onRow: onRow ? (row) => void onRow(row) : undefined,
  };
}

const api: PlanWorkerApi = {
  runReplicas(req: PlanBatchRequest, onRow?: (row: PlanRow) => void): Promise<PlanBatchResult> {
    return runPlanBatch(req, batchHooks(onRow));
  },
  runPaperReplays(req: PaperBatchRequest, onRow?: (row: PaperRow) => void): Promise<PaperBatchResult> {
    return runPaperBatch(req, batchHooks(onRow));
  },
  cancel(): void {
    cancelRequested = true;
  },
};

Comlink.expose(api);
