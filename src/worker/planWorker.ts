/**
 * The planner's worker (one per core in the UI's pool): runs a batch of a plan's replicas and posts each row as it
 * finishes (planRun.ts).
 * No session, no frames: the main thread keeps the rows, answers and draws them with src/plan/ (loaded lazily).
 */
import * as Comlink from 'comlink';
import { runPlanBatch } from './planRun.ts';
import type { PlanBatchRequest, PlanBatchResult, PlanRow, PlanWorkerApi } from './protocol.ts';

let cancelRequested = false;

const api: PlanWorkerApi = {
  async runReplicas(req: PlanBatchRequest, onRow?: (row: PlanRow) => void): Promise<PlanBatchResult> {
    cancelRequested = false;
    return runPlanBatch(req, {
      // A macrotask turn, so a cancel() message queued behind this batch is handled between replicas.
      yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)),
      cancelled: () => cancelRequested,
      onRow: onRow ? (row) => void onRow(row) : undefined,
    });
  },
  cancel(): void {
    cancelRequested = true;
  },
};

Comlink.expose(api);
