/**
 * The planner's worker pool (src/ui/plan/pool.ts) with fake workers whose jobs finish in a scrambled order:
 * results land under their job's index whatever the worker count, Cancel keeps what finished and ends every
 * worker, an error stops the run, and the size follows the reported cores with its cap.
 */
import { describe, expect, it } from 'vitest';
import { MAX_POOL_WORKERS, poolSize, runPool, type PoolWorker } from '../../src/ui/plan/pool.ts';

/** A fake worker: job j answers j² after a delay that scrambles the finishing order. */
function fakeWorker(log: { terminated: number; started: number[] }, delayMs: (j: number) => number = (j) => (j * 7) % 5): PoolWorker<number, number> {
  let dead = false;
  return {
    run(j) {
      log.started.push(j);
      return new Promise((ok, fail) => setTimeout(() => (dead ? undefined : j < 0 ? fail(new Error(`bad job ${j}`)) : ok(j * j)), delayMs(j)));
    },
    terminate() {
      dead = true;
      log.terminated++;
    },
  };
}

async function runAll(jobs: number[], size: number): Promise<(number | undefined)[]> {
  const out: (number | undefined)[] = new Array(jobs.length);
  const log = { terminated: 0, started: [] as number[] };
  const run = runPool(jobs, size, () => fakeWorker(log), (i, r) => (out[i] = r));
  const o = await run.done;
  expect(o).toEqual({ done: jobs.length, cancelled: false, error: null });
  expect(log.terminated).toBe(size);
  return out;
}

describe('plan worker pool', () => {
  it('gives the same rows in grid order for 1, 2, 3 and 8 workers', async () => {
    const jobs = Array.from({ length: 23 }, (_, i) => i);
    const expected = jobs.map((j) => j * j);
    for (const n of [1, 2, 3, 8]) expect(await runAll(jobs, n)).toEqual(expected);
  });

  it('hands jobs out in grid order', async () => {
    const log = { terminated: 0, started: [] as number[] };
    await runPool([0, 1, 2, 3, 4, 5], 2, () => fakeWorker(log), () => undefined).done;
    expect(log.started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('cancel keeps the finished results, ends every worker and reports no more', async () => {
    const log = { terminated: 0, started: [] as number[] };
    const got = new Map<number, number>();
    // Job 0 is fast, every other job slow: cancelling after job 0 keeps exactly it.
    const run = runPool([0, 1, 2, 3], 2, () => fakeWorker(log, (j) => (j === 0 ? 1 : 200)), (i, r) => {
      got.set(i, r);
      if (i === 0) run.cancel();
    });
    const o = await run.done;
    expect(o.cancelled).toBe(true);
    expect(o.done).toBe(1);
    expect([...got]).toEqual([[0, 0]]);
    expect(log.terminated).toBe(2);
    await new Promise((ok) => setTimeout(ok, 250));
    expect(got.size).toBe(1);
  });

  it('stops at the first error and keeps what finished', async () => {
    const log = { terminated: 0, started: [] as number[] };
    const got: number[] = [];
    const o = await runPool([1, -1, 2], 1, () => fakeWorker(log, () => 1), (i) => got.push(i)).done;
    expect(o.error?.message).toBe('bad job -1');
    expect(got).toEqual([0]);
  });

  it('settles at once for an empty grid', async () => {
    expect(await runPool([], 4, () => fakeWorker({ terminated: 0, started: [] }), () => undefined).done).toEqual({ done: 0, cancelled: false, error: null });
  });

  it('sizes the pool by the reported cores, capped, never above the jobs', () => {
    expect(poolSize(2, 200)).toBe(2);
    expect(poolSize(64, 200)).toBe(MAX_POOL_WORKERS);
    expect(poolSize(16, 3)).toBe(3);
    expect(poolSize(undefined, 10)).toBe(1);
    expect(poolSize(0, 10)).toBe(1);
    expect(poolSize(4, 0)).toBe(1);
  });
});
