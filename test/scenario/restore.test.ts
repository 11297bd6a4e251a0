import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { restoreScenario, SCENARIO_DEFAULTS } from '../../src/scenario/restore.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate } from '../../src/sim/simulation.ts';

const presetDir = new URL('../../public/scenarios/', import.meta.url);
const preset = (f: string): Scenario => {
  const r = parseScenario(JSON.parse(readFileSync(new URL(f, presetDir), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
};
const presets = readdirSync(presetDir).filter((f) => f.endsWith('.json') && f !== 'index.json');

describe('restoreScenario', () => {
  it.each(presets)('%s: fills defaults without touching its input, and is idempotent', (f) => {
    const s = preset(f);
    const copy = structuredClone(s);
    const r = restoreScenario(s);
    expect(s).toEqual(copy);
    expect(restoreScenario(r)).toBe(r);
    // A restored scenario restored from a plain copy holds the same values.
    expect(restoreScenario(structuredClone(r))).toEqual(r);
    expect(r.existingPods).toBeInstanceOf(Array);
    expect(r.cluster.network.pcieGBs).toBeGreaterThan(0);
    for (const w of r.workloads) {
      expect(w.priority).toBeTypeOf('number');
      expect(w.queue).toBeTypeOf('string');
    }
  });

  it('fills each default with its documented value', () => {
    const s = preset('small-mixed.json');
    const r = restoreScenario({
      ...s,
      workloads: [
        { kind: 'inference', name: 'i', gpuMemMiB: 1, gpuCores: 10, cpuMilli: 1, memMiB: 1, qpsPerGpu: 1, demand: { shape: 'flat', qps: 1 }, targetUtilization: 0.5, minReplicas: 2, maxReplicas: 4, sloMs: 100 },
        { kind: 'agent', name: 'a', count: 1, gpuMemMiB: 1, gpuCores: 10, cpuMilli: 1, memMiB: 1, burstsPerHour: 1, burstGpuS: 1, elasticity: 'scale-to-zero' },
        {
          kind: 'raycluster',
          name: 'r',
          head: { cpuMilli: 1, memMiB: 1 },
          workerGroups: [
            { name: 'cpu', gpusPerWorker: 0, gpuMemMiB: 0, cpuMilli: 1, memMiB: 1, minReplicas: 1, maxReplicas: 2 },
            { name: 'gpu', gpusPerWorker: 1, gpuMemMiB: 1, cpuMilli: 1, memMiB: 1, minReplicas: 0, maxReplicas: 2 },
          ],
          tasksPerHour: 1,
          taskDurationS: 10,
        },
      ],
    });
    const [inf, agent, ray] = r.workloads;
    expect(inf).toMatchObject({ priority: 0, queue: 'default', annotations: {}, replicas: 2, startupS: SCENARIO_DEFAULTS.inferenceStartupS, stabilizationS: 300 });
    expect(agent).toMatchObject({ idleTimeoutS: 300, coldStartS: 10, arrivalS: 0 });
    // Ray tasks go to the first group with GPUs by default.
    expect(ray).toMatchObject({ taskGroup: 'gpu', idleTimeoutS: 60, workerStartupS: 30, arrivalS: 0 });
    expect(r.schedulers[0].label).toBe(s.schedulers[0].label ?? s.schedulers[0].profile);
    expect(r.cluster.network).toEqual({ intraRackGBs: 50, interRackGBs: 12.5, pcieGBs: 32 });
  });

  it('a restored scenario simulates exactly as the scenario it came from', () => {
    const s = preset('trio.json');
    const restored = structuredClone(restoreScenario(s));
    expect(simulate(restored).traceHash).toBe(simulate(s).traceHash);
  });
});
