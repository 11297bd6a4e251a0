/**
 * Plans in lockstep on the GPU engine (engine/lockstep/planLockstep.ts, Dawn; SwiftShader here, a real GPU where
 * there is one): `slicebench plan --engine gpu` prints the same answer and rows (every digest) as `--engine cpu`
 * on worker threads, and the replicas with a kernel really share dispatches. Grid: small-mixed (1 h) × k8s-default
 * (k8s-fit kernel), hami-binpack (HAMi evaluator), volcano-hami (Volcano evaluator) × scale 1 × seeds 1, 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { acquireParityGpu, type ParityGpu } from './setup.ts';

let gpu: ParityGpu | null = null;
const scenario = join(mkdtempSync(join(tmpdir(), 'slicebench-plan-parity-')), 'small.json');
beforeAll(async () => {
  gpu = await acquireParityGpu();
  const s = JSON.parse(readFileSync('public/scenarios/small-mixed.json', 'utf8')) as { sim: { durationS: number } };
  s.sim.durationS = 3600;
  writeFileSync(scenario, JSON.stringify(s));
});
afterAll(() => gpu?.engine.destroy());

describe('plans in lockstep on the GPU engine', () => {
  test('plan --engine gpu equals --engine cpu row for row, with fewer dispatches than decisions', async (t) => {
    if (!gpu) return t.skip();
    const args = ['plan', scenario, '--profiles', 'k8s-default,hami-binpack,volcano-hami', '--scale', '1', '--seeds', '1..2', '--target', 'wait<=600', '--series', '8', '--json', '--workers', '2'];
    const run = async (engine: string) => {
      const io = { stdout: '', stderr: '', out(x: string) { io.stdout += x + '\n'; }, err(x: string) { io.stderr += x + '\n'; } };
      expect(await main([...args, '--engine', engine], io)).toBe(0);
      return { stdout: io.stdout, stderr: io.stderr };
    };
    const cpu = await run('cpu');
    const g = await run('gpu');
    expect(g.stdout).toBe(cpu.stdout);
    const rows = (JSON.parse(cpu.stdout) as { rows: { traceHash: string }[] }).rows;
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.traceHash)).size).toBe(6);
    const m = /lockstep: (\d+) of 6 replicas scored together, (\d+) dispatches for (\d+) decisions/.exec(g.stderr);
    expect(m, g.stderr).not.toBeNull();
    expect(Number(m![1])).toBe(6);
    // two seeds per kernel spec share each dispatch: fewer dispatches than decisions (SwiftShader here: 39 for 75)
    expect(Number(m![2])).toBeLessThan(Number(m![3]));
  }, 600_000);
});
