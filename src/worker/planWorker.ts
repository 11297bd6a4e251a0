/**
 * The planner's worker (one per core in the UI's pool): runs a batch of a plan's replicas and posts each row as it
 * finishes, the paper grid's openb replays and the trace import's exact replay (planRun.ts). On a WebGPU device (the user's engine choice, as the
 * workbench selects it) one such worker runs the whole plan, or the whole paper grid, in lockstep instead (runLockstep, runPaperLockstep). No session, no frames: the main thread keeps the rows,
 * answers and draws them with src/plan/ (loaded lazily).
 */
import * as Comlink from 'comlink';
import { GpuEngine } from '../engine/gpu/gpuEngine.ts';
import { browserGpuProvider, chooseWorkbenchEngine, ENGINE_CHOICES, type WorkbenchEngine } from './engineInfo.ts';
import { runOpenbReplay, runPaperBatch, runPaperLockstep, runPlanBatch, runPlanLockstep, type PlanBatchHooks } from './planRun.ts';
import type { PaperBatchRequest, PaperBatchResult, PaperRow, PlanBatchRequest, PlanBatchResult, PlanRow, PlanWorkerApi } from './protocol.ts';

let cancelRequested = false;
/** The engine openEngine selected (a GPU is held until the worker ends: the UI starts one worker per plan run). */
let engine: WorkbenchEngine | null = null;

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
  async openEngine(choice) {
    if (!ENGINE_CHOICES.includes(choice)) throw new Error(`unknown engine choice: ${String(choice)}`);
    engine?.destroy();
    engine = await chooseWorkbenchEngine(choice, browserGpuProvider());
    return { gpu: engine.selection?.engine instanceof GpuEngine, status: engine.status() };
  },
  runLockstep(req, onRow, onCandidates) {
    const sel = engine?.selection;
    if (!sel || !(sel.engine instanceof GpuEngine)) return Promise.resolve({ rows: [], cancelled: false, errors: ['engine: no WebGPU engine in this planner worker (openEngine first)'] });
    return runPlanLockstep(req, sel, sel.engine, (i, row) => void onRow(i, row), onCandidates ? (n) => void onCandidates(n) : undefined);
  },
  runPaperLockstep(req, onRow, onCandidates) {
    const sel = engine?.selection;
    if (!sel || !(sel.engine instanceof GpuEngine)) return Promise.resolve({ rows: [], cancelled: false, errors: ['engine: no WebGPU engine in this planner worker (openEngine first)'] });
    return runPaperLockstep(req, sel.engine, (i, row) => void onRow(i, row), onCandidates ? (n) => void onCandidates(n) : undefined);
  },
  runReplicas(req: PlanBatchRequest, onRow?: (row: PlanRow) => void): Promise<PlanBatchResult> {
    return runPlanBatch(req, batchHooks(onRow));
  },
  runPaperReplays(req: PaperBatchRequest, onRow?: (row: PaperRow) => void): Promise<PaperBatchResult> {
    return runPaperBatch(req, batchHooks(onRow));
  },
  runOpenbReplay(req) {
    return Promise.resolve(runOpenbReplay(req));
  },
  cancel(): void {
    cancelRequested = true;
  },
};

Comlink.expose(api);
