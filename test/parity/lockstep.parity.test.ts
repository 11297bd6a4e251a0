/**
 * Replicas in lockstep on the GPU engine (engine/lockstep/lockstep.ts): openb replays of several seeds under fgd scored
 * together, one dispatch per step, plus replicas without a kernel on the CPU; every replica's result equals the
 * sequential CPU replay (replayOpenb), and the GPU replicas really shared dispatches.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { replayOpenbLockstep } from '../../src/engine/lockstep/lockstep.ts';
import { parseOpenbNodes, parseOpenbPods } from '../../src/io/openb.ts';
import { replayOpenb } from '../../src/sched/frag/replay.ts';
import { acquireParityGpu, type ParityGpu } from './setup.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

const DATA = new URL('../../../shared/data/openb/', import.meta.url);

/** Writes every `every`-th line of a ../shared openb file into `dir`; returns its path. */
const cutter = (dir: string) => (file: string, every: number): string => {
  const lines = readFileSync(new URL(file, DATA), 'utf8').trimEnd().split('\n');
  const out = join(dir, file);
  writeFileSync(out, [lines[0], ...lines.slice(1).filter((_, i) => i % every === 0)].join('\n') + '\n');
  return out;
};

describe('lockstep openb replays on the GPU engine', () => {
  test('6 fgd seeds in lockstep + 2 baselines (their own kernels) equal the sequential CPU replays', async (t) => {
    if (!gpu) return t.skip();
    const nodes = parseOpenbNodes(readFileSync(new URL('openb_node_list_gpu_node.csv', DATA), 'utf8')).filter((_, i) => i % 45 === 0);
    const pods = parseOpenbPods(readFileSync(new URL('openb_pod_list_default.csv', DATA), 'utf8')).filter((_, i) => i % 45 === 0);
    const runs = [1, 2, 3, 4, 5, 6].map((seed) => ({ nodes, pods, policy: 'fgd', seed })).concat([{ nodes, pods, policy: 'random', seed: 1 }, { nodes, pods, policy: 'bestfit', seed: 2 }]);
    const { results, stats } = await replayOpenbLockstep(gpu!.engine, runs);
    expect(stats.batched).toBe(8);
    // one dispatch per step for all six fgd replicas (about as many dispatches as one replica has pods), then the
    // random and bestfit replicas (one kernel each, so one group each)
    const perReplica = Math.max(...results.slice(0, 6).map((r) => r.stats.arrivedPods));
    const others = results[6].stats.arrivedPods + results[7].stats.arrivedPods;
    expect(stats.dispatches).toBeLessThanOrEqual(perReplica + others);
    expect(stats.dispatches).toBeGreaterThan(perReplica / 2 + others / 2);
    runs.forEach((o, i) => {
      const want = replayOpenb(o);
      expect(results[i].curve, `${o.policy} seed ${o.seed}`).toEqual(want.curve);
      expect(results[i].stats, `${o.policy} seed ${o.seed}`).toEqual(want.stats);
    });
    // the seeds differ (otherwise lockstep would prove little)
    expect(new Set(results.slice(0, 6).map((r) => JSON.stringify(r.curve))).size).toBe(6);
  }, 600_000);

  test('slicebench sweep --openb: --engine gpu (lockstep) prints the same replicas and summary as --engine cpu', async (t) => {
    if (!gpu) return t.skip();
    const cut = cutter(mkdtempSync(join(tmpdir(), 'sb-lockstep-')));
    const args = ['sweep', '--openb', '--nodes', cut('openb_node_list_gpu_node.csv', 60), '--pods', cut('openb_pod_list_default.csv', 60), '--policies', 'fgd,random', '--seeds', '1..2', '--json'];
    const run = async (engine: string) => {
      const io = { stdout: '', stderr: '', out(x: string) { io.stdout += x + '\n'; }, err(x: string) { io.stderr += x + '\n'; } };
      expect(await main([...args, '--engine', engine], io)).toBe(0);
      return { json: JSON.parse(io.stdout), stderr: io.stderr };
    };
    const cpu = await run('cpu');
    const g = await run('gpu');
    expect(g.json.replicas).toEqual(cpu.json.replicas);
    expect(g.json.summary).toEqual(cpu.json.summary);
    expect(g.json.engine.name).toBe('gpu');
    expect(g.json.engine.reason).toMatch(/lockstep: 4 of 4 replicas scored together \(\d+ dispatches\)$/);
    expect(g.stderr).toMatch(/^engine: gpu — /m);
  }, 600_000);

  test("slicebench plan --paper-grid --rng go: --engine gpu (lockstep) prints the same rows as --engine cpu (Go's tie-break ranks on the GPU)", async (t) => {
    if (!gpu) return t.skip();
    const cut = cutter(mkdtempSync(join(tmpdir(), 'sb-lockstep-go-')));
    const args = ['plan', '--paper-grid', '--rng', 'go', '--nodes', cut('openb_node_list_gpu_node.csv', 80), cut('openb_pod_list_default.csv', 80), '--policies', 'fgd,bestfit', '--seeds', '1', '--workers', '1', '--json'];
    const run = async (engine: string) => {
      const io = { stdout: '', stderr: '', out(x: string) { io.stdout += x + '\n'; }, err(x: string) { io.stderr += x + '\n'; } };
      expect(await main([...args, '--engine', engine], io)).toBe(0);
      return io;
    };
    const cpu = await run('cpu');
    const g = await run('gpu');
    expect(g.stdout).toBe(cpu.stdout);
    expect(g.stderr).toMatch(/^engine: gpu — .*lockstep: 2 of 2 replays scored together \(\d+ dispatches\); Go's random numbers/m);
  }, 600_000);
});
