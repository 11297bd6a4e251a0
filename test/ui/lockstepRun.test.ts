/**
 * The browser planner's GPU run (src/ui/plan/lockstepRun.ts) against a fake planner worker that delivers its
 * messages in the orders a browser may: comlink's row and candidate callbacks travel on their own MessagePorts, so
 * the call's result can arrive before the last rows' callbacks (what hung the first GPU planner e2e at 3 of 4
 * replicas). Every row still lands once under its position and the run never ends "done" short of its total; Cancel
 * keeps the finished rows and ends the worker; late callbacks after either are ignored.
 */
import { describe, expect, it } from 'vitest';
import { lockstepRun, type LockstepWorker } from '../../src/ui/plan/lockstepRun.ts';
import { createPoolRun } from '../../src/ui/plan/poolRun.ts';
import { selectedRun } from '../../src/ui/plan/planStore.ts';
import type { PoolOutcome } from '../../src/ui/plan/pool.ts';
import type { PlanEngineInfo } from '../../src/worker/protocol.ts';
import type { PlanBatchRequest, PlanBatchResult, PlanRow } from '../../src/worker/protocol.ts';

/** A row as the worker would send it: only the fields the run reads are meaningful here. */
const rowOf = (index: number): PlanRow => ({ index, id: `r${index}`, digest: `d${index}` }) as unknown as PlanRow;

const req = (indices: number[]): PlanBatchRequest => ({ scenario: {} as PlanBatchRequest['scenario'], indices, seriesPoints: 8 });

/**
 * A fake worker: `script` gets the callbacks and a function that sends the result; whatever it does not deliver
 * before the result stands for callbacks still in flight on their ports.
 */
function fakeWorker(script: (onRow: (k: number, row: PlanRow) => void, onCandidates: (n: number) => void, reply: (r: PlanBatchResult) => void) => void): LockstepWorker & { ended: number } {
  const w = {
    ended: 0,
    api: {
      runLockstep(_req: PlanBatchRequest, onRow: (k: number, row: PlanRow) => void, onCandidates?: (n: number) => void): Promise<PlanBatchResult> {
        return new Promise((reply) => script(onRow, onCandidates!, reply));
      },
    },
    end() {
      w.ended++;
    },
  };
  return w as unknown as LockstepWorker & { ended: number };
}

describe('the plan in lockstep in one GPU worker', () => {
  it('the result arriving before the last rows’ callbacks: every row once, under its position, and all candidates', async () => {
    let late: (() => void) | null = null;
    const worker = fakeWorker((onRow, onCandidates, reply) => {
      onCandidates(100);
      onRow(7, rowOf(7));
      onRow(3, rowOf(3));
      onRow(5, rowOf(5));
      // replica 9 finished last: its row and its 40 candidates are still on their ports when the result arrives
      reply({ rows: [rowOf(7), rowOf(3), rowOf(5), rowOf(9)], cancelled: false, errors: [], candidateEvaluations: 140 });
      late = () => {
        onCandidates(40);
        onRow(9, rowOf(9));
      };
    });
    const got: [number, number][] = [];
    let candidates = 0;
    const run = lockstepRun(worker, req([3, 5, 7, 9]), (at, row) => got.push([at, row.index]), (n) => (candidates += n));
    const outcome = await run.done;
    late!();
    expect(outcome).toEqual({ done: 4, cancelled: false, error: null });
    expect(got.sort((a, b) => a[0] - b[0])).toEqual([
      [0, 3],
      [1, 5],
      [2, 7],
      [3, 9],
    ]);
    expect(candidates).toBe(140);
    expect(worker.ended).toBe(1);
  });

  it('a result short of rows without an error is a failure naming the missing replicas, not "done"', async () => {
    const worker = fakeWorker((onRow, _c, reply) => {
      onRow(0, rowOf(0));
      reply({ rows: [rowOf(0)], cancelled: false, errors: [] });
    });
    const outcome = await lockstepRun(worker, req([0, 1, 2]), () => {}, () => {}).done;
    expect(outcome.done).toBe(1);
    expect(outcome.error?.message).toBe('lockstep: replicas 1, 2 of the grid came back without a row');
  });

  it('a worker error keeps the rows that finished and says why', async () => {
    const worker = fakeWorker((onRow, _c, reply) => {
      onRow(1, rowOf(1));
      reply({ rows: [rowOf(1)], cancelled: false, errors: ['1 of 2 plan replicas failed (the others finished): replica x: device lost'] });
    });
    const got: number[] = [];
    const outcome = await lockstepRun(worker, req([0, 1]), (at) => got.push(at), () => {}).done;
    expect(got).toEqual([1]);
    expect(outcome).toEqual({ done: 1, cancelled: false, error: new Error('1 of 2 plan replicas failed (the others finished): replica x: device lost') });
  });

  it('Cancel through the planner’s pool run keeps the finished rows, ends the worker and ignores what comes after', async () => {
    let onRowLater!: (k: number, row: PlanRow) => void;
    let replyLater!: (r: PlanBatchResult) => void;
    const worker = fakeWorker((onRow, onCandidates, reply) => {
      onCandidates(10);
      onRow(2, rowOf(2));
      onRow(0, rowOf(0));
      onRowLater = onRow;
      replyLater = reply;
    });
    const pool = createPoolRun<PlanRow>(2);
    const started = pool.startWith(4, 'GPU lockstep, test adapter', (onResult) => lockstepRun(worker, req([0, 1, 2, 3]), onResult, (n) => pool.addCandidates(n)));
    await Promise.resolve();
    expect(pool.progress()).toMatchObject({ done: 2, total: 4, running: true, candidates: 10, engine: 'GPU lockstep, test adapter' });
    pool.cancel();
    await started;
    expect(worker.ended).toBe(1);
    // a row and the result the worker had sent before it was ended change nothing
    onRowLater(1, rowOf(1));
    replyLater({ rows: [rowOf(0), rowOf(1), rowOf(2)], cancelled: false, errors: [], candidateEvaluations: 30 });
    await Promise.resolve();
    expect(pool.rows().map((r) => r?.index)).toEqual([0, undefined, 2]);
    expect(pool.progress()).toMatchObject({ done: 2, total: 4, running: false, ended: 'cancelled', candidates: 10 });
    expect(pool.running()).toBe(false);
  });

  it('engine selection: a GPU runs the grid in lockstep under its name, no GPU starts the pool with why, Cancel while selecting ends the worker', async () => {
    const gpuInfo = { gpu: true, status: { engine: 'gpu', cause: 'requested', adapter: 'SwiftShader Device', software: true } } as unknown as PlanEngineInfo;
    const cpuInfo = { gpu: false, status: { engine: 'cpu', cause: 'no-webgpu' } } as unknown as PlanEngineInfo;
    const makeWorker = (info: Promise<PlanEngineInfo>) => {
      const w = fakeWorker((onRow, _c, reply) => {
        onRow(0, rowOf(0));
        reply({ rows: [rowOf(0)], cancelled: false, errors: [] });
      });
      return Object.assign(w, { api: { ...w.api, openEngine: () => info } });
    };
    const cpuDone = (): { cancel(): void; done: Promise<PoolOutcome> } => ({ cancel() {}, done: Promise.resolve({ done: 1, cancelled: false, error: null }) });

    const onGpu = makeWorker(Promise.resolve(gpuInfo));
    const names: string[] = [];
    const got: number[] = [];
    const a = selectedRun('gpu', req([0]), (e) => names.push(e), () => expect.fail('no CPU pool with a GPU'), (at) => got.push(at), () => {}, () => onGpu as never);
    expect(await a.done).toEqual({ done: 1, cancelled: false, error: null });
    expect(names).toEqual(['GPU lockstep, SwiftShader Device (software adapter, not a GPU)']);
    expect(got).toEqual([0]);

    const noGpu = makeWorker(Promise.resolve(cpuInfo));
    const notes: string[] = [];
    const b = selectedRun('auto', req([0]), () => expect.fail('no GPU run'), (note) => (notes.push(note), cpuDone()), () => {}, () => {}, () => noGpu as never);
    expect(await b.done).toEqual({ done: 1, cancelled: false, error: null });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^\(no GPU: .+\)$/);
    expect(noGpu.ended).toBe(1);

    // the selection never answers (a slow adapter request): Cancel settles at once and ends the worker
    const slow = makeWorker(new Promise<PlanEngineInfo>(() => {}));
    const c = selectedRun('gpu', req([0, 1]), () => expect.fail('cancelled'), () => expect.fail('cancelled'), () => {}, () => {}, () => slow as never);
    c.cancel();
    expect(await c.done).toEqual({ done: 0, cancelled: true, error: null });
    expect(slow.ended).toBe(1);
  });
});
