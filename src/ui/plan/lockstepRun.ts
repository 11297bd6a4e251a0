/**
 * The plan (or the paper grid) in lockstep in one planner worker whose engine is a GPU (planWorker.ts runLockstep,
 * runPaperLockstep), driven with the pool's handle shape (pool.ts: `cancel()` and `done`), so poolRun.ts shows it
 * as it shows the CPU pool.
 *
 * Rows and candidate counts stream back through comlink proxies, each its own MessagePort, while the call's result
 * comes back on the worker's port: nothing orders the two, and the last rows' callbacks can arrive after the result
 * (the first browser GPU planner lost its last replica this way and its progress stopped at 3 of 4). The result
 * carries every finished row and the whole candidate count, so the rows and evaluations the callbacks have not
 * delivered yet are reported from it before the run ends; callbacks that arrive later are ignored.
 */
import * as Comlink from 'comlink';
import type { PaperBatchRequest, PaperRow, PlanBatchRequest, PlanRow, PlanWorkerApi } from '../../worker/protocol.ts';
import type { PoolOutcome } from './pool.ts';

/** The part of a planner worker this run uses (a comlink handle in the app, a fake in tests). */
export interface LockstepWorker {
  api: Pick<Comlink.Remote<PlanWorkerApi>, 'runLockstep'>;
  /** Ends the worker (the GPU device it holds goes with it). */
  end(): void;
}

/**
 * Runs the replicas `req.indices` in lockstep on `worker`: each row goes to `onResult` once, under its position in
 * `req.indices`, as it finishes; `onCandidates` hears candidate evaluations as they are counted. Cancel ends the
 * worker: finished rows stay, the replicas in flight are dropped. A run that ends with replicas missing and no
 * error says which (it never reports "done" short of its total).
 */
export function lockstepRun(worker: LockstepWorker, req: PlanBatchRequest, onResult: (position: number, row: PlanRow) => void, onCandidates: (n: number) => void): { cancel(): void; done: Promise<PoolOutcome> } {
  return lockstepCall(() => worker.end(), req.indices, (onRow, heard) => worker.api.runLockstep(req, Comlink.proxy(onRow), Comlink.proxy(heard)), onResult, onCandidates);
}

/** The paper grid's replays `req.indices` in lockstep on `worker` (runPaperLockstep), as lockstepRun runs a plan. */
export function paperLockstepRun(worker: { api: Pick<Comlink.Remote<PlanWorkerApi>, 'runPaperLockstep'>; end(): void }, req: PaperBatchRequest, onResult: (position: number, row: PaperRow) => void, onCandidates: (n: number) => void): { cancel(): void; done: Promise<PoolOutcome> } {
  return lockstepCall(() => worker.end(), req.indices, (onRow, heard) => worker.api.runPaperLockstep(req, Comlink.proxy(onRow), Comlink.proxy(heard)), onResult, onCandidates);
}

/** What a lockstep call in a planner worker answers (PlanBatchResult, PaperBatchResult). */
export interface LockstepAnswer<R> {
  rows: R[];
  cancelled: boolean;
  errors: string[];
  candidateEvaluations?: number;
}

/**
 * The run behind lockstepRun for any lockstep call of a planner worker (the plan's runLockstep, the paper grid's
 * runPaperLockstep): `call` starts it with the row and candidate callbacks (wrap them as comlink proxies), `end`
 * ends the worker; rows are keyed by their grid `index`, reported under their position in `indices`.
 */
export function lockstepCall<R extends { index: number }>(end: () => void, indices: readonly number[], call: (onRow: (k: number, row: R) => void, onCandidates: (n: number) => void) => Promise<LockstepAnswer<R>>, onResult: (position: number, row: R) => void, onCandidates: (n: number) => void): { cancel(): void; done: Promise<PoolOutcome> } {
  const position = new Map(indices.map((k, i) => [k, i]));
  const reported = new Set<number>();
  let candidatesHeard = 0;
  let stopped = false;
  let settle!: (o: PoolOutcome) => void;
  const done = new Promise<PoolOutcome>((ok) => (settle = ok));
  const finish = (cancelled: boolean, error: Error | null): void => {
    if (stopped) return;
    stopped = true;
    end();
    settle({ done: reported.size, cancelled, error });
  };
  const report = (k: number, row: R): void => {
    const at = position.get(k);
    if (stopped || at === undefined || reported.has(k)) return;
    reported.add(k);
    onResult(at, row);
  };
  const heard = (n: number): void => {
    if (stopped) return;
    candidatesHeard += n;
    onCandidates(n);
  };
  call(report, heard).then(
    (r) => {
      if (stopped) return;
      for (const row of r.rows) report(row.index, row);
      const unheard = (r.candidateEvaluations ?? candidatesHeard) - candidatesHeard;
      if (unheard > 0) heard(unheard);
      const missing = indices.filter((k) => !reported.has(k));
      const errors = r.errors.length ? r.errors : missing.length && !r.cancelled ? [`lockstep: replicas ${missing.join(', ')} of the grid came back without a row`] : [];
      finish(r.cancelled, errors.length ? new Error(errors.join('; ')) : null);
    },
    (e: unknown) => finish(false, e instanceof Error ? e : new Error(String(e))),
  );
  return { cancel: () => finish(true, null), done };
}
