/**
 * The paper grid in lockstep (src/worker/planRun.ts runPaperLockstep, engine/lockstep/planLockstep.ts
 * paperLockstep) on the CPU twin of the GPU engine (CpuReplicaEngine: the batcher without a GPU): rows equal the CPU
 * workers' (runPaperBatch), digest for digest, with either random numbers, and so do the candidate counts; and the
 * browser's dispatch (src/ui/plan/planStore.ts runOnSelectedEngine, as PaperGridPanel calls it): CPU goes to the
 * pool without asking for an engine, a GPU runs the grid in lockstep under the adapter's name, no GPU falls back to
 * the pool with why, and the rows shown are the pool's either way. The real GPU in Chromium: test/e2e/planGpu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CpuReplicaEngine } from '../../src/engine/lockstep/lockstep.ts';
import { runPaperBatch, runPaperLockstep } from '../../src/worker/planRun.ts';
import { paperLockstep } from '../../src/engine/lockstep/planLockstep.ts';
import { expandPaperGrid } from '../../src/plan/paperGrid.ts';
import { parseOpenbNodes, parseOpenbPods } from '../../src/io/openb.ts';
import { paperLockstepRun } from '../../src/ui/plan/lockstepRun.ts';
import { runOnSelectedEngine, type SelectingWorker } from '../../src/ui/plan/planStore.ts';
import { createPoolRun } from '../../src/ui/plan/poolRun.ts';
import type { PoolWorker } from '../../src/ui/plan/pool.ts';
import type { EngineChoice } from '../../src/worker/engineInfo.ts';
import type { PaperBatchRequest, PaperRow, PlanEngineInfo } from '../../src/worker/protocol.ts';
import { smallOpenbCsv } from '../e2e/openbImport.ts';

/** plan.test.ts's small openb-shaped trace: 8-, 4- and 2-GPU nodes; sharing, whole and multi-GPU pods. */
const { nodes: nodesCsv, pods: podsCsv } = smallOpenbCsv(12, 60);
const policies = ['fgd', 'random', 'dotprod', 'clustering', 'packing', 'bestfit'];

/** The grid: two traces (the same pods under two names) × six policies × two seeds, all indices, a shuffled order. */
const request = (rng: 'slicebench' | 'go'): PaperBatchRequest => ({
  traces: [
    { name: 'a.csv', nodesCsv, podsCsv },
    { name: 'b.csv', nodesCsv, podsCsv: podsCsv.split('\n').slice(0, 41).join('\n') },
  ],
  policies,
  seeds: [3, 7],
  rng,
  indices: Array.from({ length: 24 }, (_, i) => (i * 7) % 24),
});
const cpuHooks = { yieldToEvents: () => Promise.resolve(), cancelled: () => false };

describe('the paper grid in lockstep on the CPU twin', () => {
  for (const rng of ['slicebench', 'go'] as const) {
    it(`rows and candidate counts equal the CPU workers', ${rng} random numbers, each row streamed once under its index`, async () => {
      const req = request(rng);
      const cpu = await runPaperBatch(req, cpuHooks);
      expect(cpu.errors).toEqual([]);
      const streamed: number[] = [];
      let heard = 0;
      const lock = await runPaperLockstep(req, new CpuReplicaEngine(), (k, row) => {
        expect(row.index).toBe(k);
        streamed.push(k);
      }, (n) => (heard += n));
      expect(lock.errors).toEqual([]);
      expect(lock.rows.map((r) => r.digest).length).toBe(24);
      const byIndex = (rows: PaperRow[]): PaperRow[] => [...rows].sort((a, b) => a.index - b.index);
      expect(byIndex(lock.rows)).toEqual(byIndex(cpu.rows));
      expect(streamed.sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
      expect(lock.candidateEvaluations).toBe(cpu.candidateEvaluations);
      expect(heard).toBe(cpu.candidateEvaluations);
    });
  }

  it('replays with a kernel are scored together (one dispatch for several replays’ pending pods)', async () => {
    const traces = [{ name: 'a.csv', nodes: parseOpenbNodes(nodesCsv), pods: parseOpenbPods(podsCsv) }];
    const out = await paperLockstep(new CpuReplicaEngine(), traces, expandPaperGrid(['a.csv'], ['fgd', 'bestfit'], [1, 2]));
    expect(out.failures).toEqual([]);
    expect(out.stats.batched).toBe(4);
    expect(out.stats.dispatches).toBeLessThan(out.stats.decisions);
  });

  it('bad input answers as the CPU batch does, naming the field', async () => {
    const bad = await runPaperLockstep({ ...request('go'), indices: [24] }, new CpuReplicaEngine(), () => expect.fail('no row'));
    expect(bad).toEqual({ rows: [], cancelled: false, errors: ['indices: 24 is not a replay of this 24-replay grid'] });
  });
});

describe('the paper grid panel’s engine dispatch', () => {
  const gpuInfo = { gpu: true, status: { engine: 'gpu', cause: 'requested', adapter: 'Test Adapter', software: false } } as unknown as PlanEngineInfo;
  const cpuInfo = { gpu: false, status: { engine: 'cpu', cause: 'no-webgpu' } } as unknown as PlanEngineInfo;

  /** A planner worker whose GPU is the CPU twin: runPaperLockstep is the worker's code on CpuReplicaEngine. */
  function twinWorker(info: PlanEngineInfo, log: string[]): SelectingWorker<'runPaperLockstep'> {
    return {
      api: {
        openEngine: (choice: EngineChoice) => (log.push(`openEngine ${choice}`), Promise.resolve(info)),
        runPaperLockstep: (req: PaperBatchRequest, onRow: (k: number, row: PaperRow) => void, onCandidates?: (n: number) => void) => (log.push('lockstep'), runPaperLockstep(req, new CpuReplicaEngine(), onRow, onCandidates)),
      } as unknown as SelectingWorker<'runPaperLockstep'>['api'],
      end: () => void log.push('end'),
    };
  }

  /** Runs the grid as PaperGridPanel does with `choice` and the worker `info` describes; the rows, engine line and log. */
  async function dispatch(choice: EngineChoice, info: PlanEngineInfo, req: PaperBatchRequest) {
    const log: string[] = [];
    const pool = createPoolRun<PaperRow>(2);
    const jobs = req.indices.map((index) => index);
    const make = (): PoolWorker<number, PaperRow> => ({
      async run(k) {
        log.push('pool');
        const r = await runPaperBatch({ ...req, indices: [k] }, cpuHooks);
        pool.addCandidates(r.candidateEvaluations!);
        return r.rows[0];
      },
      terminate() {},
    });
    await runOnSelectedEngine(pool, choice, jobs, make, (w, onResult, onCandidates) => paperLockstepRun(w, req, onResult, onCandidates), () => twinWorker(info, log));
    return { rows: pool.rows(), progress: pool.progress(), log: [...new Set(log)] };
  }

  it('GPU: the whole grid in lockstep in one worker, named; no GPU or CPU: the pool, with why; the same rows', async () => {
    const req = { ...request('go'), indices: Array.from({ length: 12 }, (_, i) => i) };
    const gpu = await dispatch('gpu', gpuInfo, req);
    expect(gpu.log).toEqual(['openEngine gpu', 'lockstep', 'end']);
    expect(gpu.progress).toMatchObject({ done: 12, total: 12, ended: 'done', engine: 'GPU lockstep, Test Adapter' });

    const auto = await dispatch('auto', cpuInfo, req);
    expect(auto.log).toEqual(['openEngine auto', 'end', 'pool']);
    expect(auto.progress).toMatchObject({ done: 12, ended: 'done' });
    expect(auto.progress.engine).toMatch(/^CPU, 2 Web Workers \(no GPU: .+\)$/);

    const cpu = await dispatch('cpu', gpuInfo, req);
    expect(cpu.log).toEqual(['pool']);
    expect(cpu.progress.engine).toBe('CPU, 2 Web Workers');

    expect(gpu.rows).toEqual(cpu.rows);
    expect(auto.rows).toEqual(cpu.rows);
    expect(gpu.progress.candidates).toBe(cpu.progress.candidates);
  });
});
