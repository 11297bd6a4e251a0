/**
 * Scenario sweeps in lockstep on the GPU engine (engine/lockstep/lockstep.ts, Dawn/SwiftShader): `slicebench sweep
 * <scenario> --engine gpu` prints the same replica rows (every traceHash included) and summary as `--engine cpu`,
 * while the replicas with a kernel really share dispatches.
 *
 * Grid: whole-gpu-waste × profiles k8s-default (kernel k8s-fit), fgd (kernel fgd), k8s-timeslicing (the k8s-fit
 * kernel with `gpuReplicas` and the time-slicing allocator check, since commit 47f7c20) × seeds 1..3 ×
 * `--set strategy=LeastAllocated,MostAllocated` (a knob of k8s-default and k8s-timeslicing, so each has two kernel
 * specs: two dispatch groups). Replicas: 2·3 + 3 + 2·3 = 15, all with a kernel, so all 15 are batched; the expected
 * count is still computed from kernels/specs.ts (a profile that lost its kernel would run on the CPU plugin path alongside,
 * and the engine line would say so). The kernel-less path next to lanes is covered without a GPU in
 * test/engine/lockstepSim.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { expandGrid } from '../../src/sim/sweep.ts';
import { acquireParityGpu, type ParityGpu } from './setup.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  // the CLI selects its own engine; this fails in CI when there is no adapter, and sets the SwiftShader ICD
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

const preset = fileURLToPath(new URL('../../public/scenarios/whole-gpu-waste.json', import.meta.url));

describe('scenario sweeps in lockstep on the GPU engine', () => {
  test('sweep --engine gpu (lockstep) equals --engine cpu row for row, with fewer dispatches than decisions', async (t) => {
    if (!gpu) return t.skip();
    const args = ['sweep', preset, '--profiles', 'k8s-default,fgd,k8s-timeslicing', '--seeds', '1..3', '--set', 'strategy=LeastAllocated,MostAllocated', '--json'];
    const run = async (engine: string) => {
      const io = { stdout: '', stderr: '', out(x: string) { io.stdout += x + '\n'; }, err(x: string) { io.stderr += x + '\n'; } };
      expect(await main([...args, '--engine', engine], io)).toBe(0);
      return { json: JSON.parse(io.stdout), stderr: io.stderr };
    };
    const cpu = await run('cpu');
    const g = await run('gpu');
    expect(cpu.json.replicas).toHaveLength(15);
    expect(g.json.replicas).toEqual(cpu.json.replicas);
    expect(g.json.summary).toEqual(cpu.json.summary);
    // the seeds and strategies really differ (otherwise equality would prove little)
    expect(new Set(cpu.json.replicas.map((r: { traceHash: string }) => r.traceHash)).size).toBe(15);
    expect(g.json.engine.name).toBe('gpu');
    const grid = expandGrid({ profiles: ['k8s-default', 'fgd', 'k8s-timeslicing'], seeds: [1, 2, 3], knobs: { strategy: ['LeastAllocated', 'MostAllocated'] } });
    const scenario = loadScenarioFile(preset);
    const batched = grid.filter((r) => kernelSpecFor(r.profile, r.options, scenario) !== null).length;
    expect(batched).toBeGreaterThanOrEqual(9);
    const m = new RegExp(`lockstep: ${batched} of 15 replicas scored together, (\\d+) dispatches for (\\d+) decisions$`).exec(g.json.engine.reason);
    expect(m, g.json.engine.reason).not.toBeNull();
    const [dispatches, decisions] = [Number(m![1]), Number(m![2])];
    // kernel-spec groups of 3 replicas each: at most one dispatch per group per round, so well under half
    expect(dispatches).toBeGreaterThan(0);
    expect(dispatches * 2).toBeLessThan(decisions);
    // every profile of this grid has a kernel today (batched = 15); were one without, its replicas' report says so
    if (batched < 15) expect(g.json.engine.reason).toMatch(/profile k8s-timeslicing has no GPU kernel yet, so it ran on the CPU/);
    expect(g.stderr).toMatch(new RegExp(`^engine: gpu — .*lockstep: ${batched} of 15`, 'm'));
  }, 300_000);
});
