import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/validate.ts';
import { simulate } from '../../src/sim/simulate.ts';

const GiB = 1024;
function agentScenario(elasticity: 'always-on' | 'scale-to-zero', burstsPerHour: number) {
  const r = parseScenario({
    kind: 'slicebench/scenario', version: 1, name: 'agents',
    cluster: { pools: [{ name: 'a', count: 1, gpuModel: 'A100-80G', gpusPerNode: 1, cpuMilli: 16000, memMiB: 64 * GiB, topology: 'pcie', numaNodes: 1 }] },
    workloads: [{ kind: 'agent', name: 'ag', count: 1, gpuMemMiB: 4 * GiB, gpuCores: 20, cpuMilli: 500, memMiB: GiB, burstsPerHour, burstGpuS: 20, elasticity, idleTimeoutS: 120, coldStartS: 15 }],
    schedulers: [{ profile: 'k8s-default' }], sim: { durationS: 8 * 3600, seed: 5, metricsStepS: 600 },
  });
  if (!r.ok) throw new Error(r.errors.join());
  return r.scenario;
}

describe('agents', () => {
  it('bursts that arrive while the agent is busy queue behind it and all complete', () => {
    // 60 bursts/h of 20 s GPU work on one A100 (speed 1): the agent is busy a third of the time, so bursts
    // often arrive while one runs; every one must still finish, and utilization stays near 20/60 = 33%.
    const r = simulate(agentScenario('always-on', 60));
    expect(r.summary.agents.bursts).toBeGreaterThan(400);
    expect(r.summary.utilizationPct).toBeGreaterThan(25);
    expect(r.summary.utilizationPct).toBeLessThan(45);
    expect(r.summary.agents.meanBurstLatencyS).toBeGreaterThanOrEqual(20);
    expect(r.summary.agents.meanBurstLatencyS).toBeLessThan(60);
  });
  it('scale-to-zero pays a cold start per idle period but frees the GPU in between', () => {
    const on = simulate(agentScenario('always-on', 2));
    const zero = simulate(agentScenario('scale-to-zero', 2));
    // 2 bursts/h with a 120 s idle timeout: the pod is gone most of the time, so allocation drops a lot,
    // and most bursts wait for scheduling + a 15 s cold start.
    expect(zero.summary.allocationPct).toBeLessThan(on.summary.allocationPct / 3);
    expect(zero.summary.agents.meanBurstLatencyS).toBeGreaterThan(on.summary.agents.meanBurstLatencyS + 10);
  });
});
