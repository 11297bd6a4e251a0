/**
 * Waits count the pods still pending (censored at the current time), so a pod that never starts raises the
 * mean wait instead of vanishing from it, and the summary says how many never started.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/validate.ts';
import { Simulation } from '../../src/sim/simulation.ts';

const GiB = 1024;
// One GPU; three one-GPU batch pods arrive at 100 s and each runs 1000 s: the first starts at once, the second at
// 1100 s, the third at 2100 s — after the 1800 s the run lasts, so it never starts.
const r = parseScenario({
  kind: 'slicebench/scenario', version: 1, name: 'waits',
  cluster: { pools: [{ name: 'a', count: 1, gpuModel: 'A100-80G', gpusPerNode: 1, cpuMilli: 32000, memMiB: 256 * GiB, topology: 'pcie', numaNodes: 1 }] },
  workloads: [{ kind: 'batch', name: 'b', count: 3, cpuMilli: 1000, memMiB: GiB, gpus: 1, gpuMilli: 1000, gpuMemMiB: 10 * GiB, durationS: 1000, arrivalS: 100, gpuUtilization: 0.5 }],
  schedulers: [{ profile: 'k8s-default' }], sim: { durationS: 1800, seed: 1, metricsStepS: 600 },
});
if (!r.ok) throw new Error(r.errors.join('; '));

describe('censored waits', () => {
  it('the summary counts pending pods with their wait so far, and how many never started', () => {
    const sim = new Simulation(r.scenario);
    sim.runUntil(1800);
    const s = sim.summary();
    // Waits: 0 s (bound at 100), 1000 s (bound at 1100), and 1700 s so far for the one still pending at 1800.
    expect(s.podsBound).toBe(2);
    expect(s.podsPendingAtEnd).toBe(1);
    expect(s.podsNeverStarted).toBe(1);
    expect(s.meanWaitS).toBeCloseTo((0 + 1000 + 1700) / 3, 9);
    // Nearest-rank p95 of three values is the largest.
    expect(s.p95WaitS).toBe(1700);
  });

  it('mid-run the summary censors at the current time', () => {
    const sim = new Simulation(r.scenario);
    sim.runUntil(600);
    // At 600 s: one bound after 0 s, two pending for 500 s each.
    const s = sim.summary();
    expect(s.podsNeverStarted).toBe(2);
    expect(s.meanWaitS).toBeCloseTo((0 + 500 + 500) / 3, 9);
  });

  it('a sample averages the binds of its interval and the waits so far of the pods pending at its end', () => {
    const sim = new Simulation(r.scenario);
    sim.runUntil(1800);
    const [s600, s1200, s1800] = sim.series;
    // (0, 600]: the bind at 100 s waited 0 s; two pods pending 500 s at 600 s → (0 + 500 + 500) / 3.
    expect(s600.meanWaitS).toBeCloseTo(1000 / 3, 9);
    // (600, 1200]: the bind at 1100 s waited 1000 s; one pod pending 1100 s at 1200 s → 1050.
    expect(s1200.meanWaitS).toBeCloseTo(1050, 9);
    // (1200, 1800]: no bind; one pod pending 1700 s.
    expect(s1800.meanWaitS).toBeCloseTo(1700, 9);
  });
});
