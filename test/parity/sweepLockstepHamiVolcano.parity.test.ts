/**
 * HAMi and Volcano replicas in the lockstep sweep on the GPU engine (Dawn/SwiftShader): `slicebench sweep
 * <scenario> --engine gpu` prints the same rows (every traceHash) and summary as `--engine cpu`, and the replicas
 * really share dispatches: GpuHamiEngine and VolcanoGpuEngine hold the replicas' clusters side by side
 * (attachReplicas), one dispatch per (engine, kernel spec) and round.
 *
 * Scenario small-mixed (6 nodes; HAMi, whole-GPU and vGPU pods). Grids:
 * - HAMi: hami-binpack, hami-spread × `--set splitCount=4,10` × seeds 1, 2 = 8 replicas, 4 kernel specs;
 * - Volcano: volcano, volcano-hami × seeds 1, 2 = 4 replicas, 2 kernel specs.
 * The dispatch and decision counts must equal those of the same lockstep sweep on the CPU twins (cpuTwinWrap):
 * decisions are identical, so rounds and groups are too (test/engine/lockstepSim.test.ts derives those counts by
 * hand). SwiftShader compiles filterScoreHami/selectHami and filterScoreVolcano/selectMaxKey once per CLI call.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { cpuLockstepEngines, cpuTwinWrap, sweepLockstep } from '../../src/engine/lockstep/lockstep.ts';
import { expandGrid, type SweepGrid } from '../../src/sim/sweep.ts';
import { acquireParityGpu } from './setup.ts';

let hasGpu = false;
beforeAll(async () => {
  // the CLI selects its own engine; this fails in CI when there is no adapter, and sets the SwiftShader ICD
  const gpu = await acquireParityGpu();
  hasGpu = gpu !== null;
  gpu?.engine.destroy();
});

const preset = fileURLToPath(new URL('../../public/scenarios/small-mixed.json', import.meta.url));

/** `sweep` through the CLI on one engine: its JSON and stderr. */
async function sweep(args: string[], engine: string): Promise<{ json: { engine: { name: string; reason: string }; replicas: { traceHash: string }[]; summary: unknown }; stderr: string }> {
  const io = { stdout: '', stderr: '', out(x: string) { io.stdout += x + '\n'; }, err(x: string) { io.stderr += x + '\n'; } };
  expect(await main(['sweep', preset, ...args, '--json', '--engine', engine], io)).toBe(0);
  return { json: JSON.parse(io.stdout), stderr: io.stderr };
}

/** The same grid's lockstep sweep on the CPU twins: its dispatch and decision counts. */
async function twinCounts(grid: SweepGrid): Promise<{ dispatches: number; decisions: number }> {
  const engines = cpuLockstepEngines();
  const out = await sweepLockstep(engines.kernel, loadScenarioFile(preset), expandGrid(grid), cpuTwinWrap(engines));
  expect(out.failures).toEqual([]);
  return out.stats;
}

const cases: { name: string; args: string[]; grid: SweepGrid; replicas: number; distinct: number }[] = [
  {
    name: 'HAMi: hami-binpack, hami-spread × splitCount 4, 10 × 2 seeds',
    args: ['--profiles', 'hami-binpack,hami-spread', '--set', 'splitCount=4,10', '--seeds', '1,2'],
    grid: { profiles: ['hami-binpack', 'hami-spread'], seeds: [1, 2], knobs: { splitCount: [4, 10] } },
    replicas: 8,
    // With NVML's H100 memory (81,559 MiB), memory rather than the split count bounds most cards here: hami-spread
    // places the same way under split 4 and 10 for both seeds, and so does hami-binpack for seed 2 (5 distinct)
    distinct: 5,
  },
  {
    name: 'Volcano: volcano, volcano-hami × 2 seeds',
    args: ['--profiles', 'volcano,volcano-hami', '--seeds', '1,2'],
    grid: { profiles: ['volcano', 'volcano-hami'], seeds: [1, 2], knobs: {} },
    replicas: 4,
    distinct: 4,
  },
];

describe('HAMi and Volcano replicas in lockstep on the GPU engine', () => {
  for (const c of cases) {
    test(`${c.name}: --engine gpu equals --engine cpu row for row; dispatches < decisions`, async (t) => {
      if (!hasGpu) return t.skip();
      const cpu = await sweep(c.args, 'cpu');
      const g = await sweep(c.args, 'gpu');
      expect(cpu.json.replicas).toHaveLength(c.replicas);
      expect(g.json.replicas).toEqual(cpu.json.replicas);
      expect(g.json.summary).toEqual(cpu.json.summary);
      expect(new Set(cpu.json.replicas.map((r) => r.traceHash)).size).toBe(c.distinct);
      expect(g.json.engine.name).toBe('gpu');
      const m = new RegExp(`lockstep: ${c.replicas} of ${c.replicas} replicas scored together, (\\d+) dispatches for (\\d+) decisions$`).exec(g.json.engine.reason);
      expect(m, g.json.engine.reason).not.toBeNull();
      const got = { dispatches: Number(m![1]), decisions: Number(m![2]) };
      const twin = await twinCounts(c.grid);
      expect(got).toEqual({ dispatches: twin.dispatches, decisions: twin.decisions });
      expect(got.dispatches).toBeGreaterThan(0);
      expect(got.dispatches).toBeLessThan(got.decisions);
      // no replica fell back to the CPU twin (the engine line would say "failed")
      expect(g.json.engine.reason).not.toMatch(/failed/);
      expect(g.stderr).toMatch(new RegExp(`^engine: gpu — .*lockstep: ${c.replicas} of ${c.replicas}`, 'm'));
    }, 300_000);
  }
});
