/**
 * Property tests of the simulator on random scenarios: nothing is ever over-allocated, pods are conserved,
 * time never goes back, and the same (scenario, seed) gives the same traceHash.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Scenario, WorkloadSpec } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { Simulation, simulate } from '../../src/sim/simulate.ts';
import { GPU_MILLI } from '../../src/model/units.ts';
import { listProfiles } from '../../src/sched/profiles/index.ts';
import { poolArb } from './arbitraries.ts';

const GiB = 1024;

const workload: fc.Arbitrary<WorkloadSpec> = fc.oneof(
  fc.record({ workers: fc.integer({ min: 1, max: 3 }), gpusPerWorker: fc.constantFrom(1, 2, 4), arrivalS: fc.integer({ min: 0, max: 3600 }), work: fc.integer({ min: 1, max: 20 }) }).map(
    (x) => ({ kind: 'training', name: '', workers: x.workers, gpusPerWorker: x.gpusPerWorker, gpuMemMiB: 20 * GiB, cpuMilli: 2000, memMiB: 8 * GiB, workGpuHours: x.work, stepComputeS: 1, commGBPerStep: 4, arrivalS: x.arrivalS }) as WorkloadSpec,
  ),
  fc.record({ cores: fc.integer({ min: 10, max: 100 }), qps: fc.integer({ min: 0, max: 80 }), min: fc.integer({ min: 1, max: 3 }) }).map(
    (x) => ({ kind: 'inference', name: '', gpuMemMiB: 8 * GiB, gpuCores: x.cores, cpuMilli: 1000, memMiB: 4 * GiB, qpsPerGpu: 20, demand: { shape: 'diurnal', peakQps: x.qps, troughQps: 0, peakHour: 12 }, targetUtilization: 0.6, minReplicas: x.min, maxReplicas: x.min + 4, startupS: 60, sloMs: 500 }) as WorkloadSpec,
  ),
  fc.record({ count: fc.integer({ min: 1, max: 6 }), elastic: fc.boolean() }).map(
    (x) => ({ kind: 'agent', name: '', count: x.count, gpuMemMiB: 4 * GiB, gpuCores: 20, cpuMilli: 500, memMiB: 2 * GiB, burstsPerHour: 6, burstGpuS: 5, elasticity: x.elastic ? 'scale-to-zero' : 'always-on', idleTimeoutS: 120, coldStartS: 15 }) as WorkloadSpec,
  ),
  fc.record({ count: fc.integer({ min: 1, max: 15 }), gpus: fc.constantFrom(0, 1, 2), milli: fc.integer({ min: 1, max: 1000 }), dur: fc.integer({ min: 60, max: 7200 }), gap: fc.integer({ min: 0, max: 900 }) }).map(
    (x) => ({ kind: 'batch', name: '', count: x.count, cpuMilli: 1000, memMiB: 2 * GiB, gpus: x.gpus, gpuMilli: x.gpus === 0 ? 0 : x.gpus > 1 ? GPU_MILLI : x.milli, durationS: x.dur, arrivalS: 0, interarrivalS: x.gap }) as WorkloadSpec,
  ),
);

const profiles = listProfiles().map((p) => p.name);

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({ pools: fc.array(poolArb, { minLength: 1, maxLength: 3 }), workloads: fc.array(workload, { minLength: 1, maxLength: 4 }), seed: fc.nat(1000), hours: fc.integer({ min: 1, max: 8 }), profile: fc.constantFrom(...profiles) })
  .map((x) => {
    const s = {
      kind: 'slicebench/scenario',
      version: 1,
      name: 'random',
      cluster: { pools: x.pools.map((p, i) => ({ ...p, name: `p${i}`, numaNodes: p.gpusPerNode >= 2 ? 2 : 1 })) },
      workloads: x.workloads.map((w, i) => ({ ...w, name: `w${i}` })),
      schedulers: [{ profile: x.profile }],
      sim: { durationS: x.hours * 3600, seed: x.seed, metricsStepS: 600 },
    };
    const r = parseScenario(s);
    if (!r.ok) throw new Error(`generator made an invalid scenario: ${r.errors.join('; ')}`);
    return r.scenario;
  });

/** Checks the cluster's books against the pods bound to it. */
function checkBooks(sim: Simulation): void {
  const c = sim.cluster;
  for (const node of c.nodes) {
    const pods = c.podsOnNode[node.id];
    expect(node.usedCpuMilli).toBeLessThanOrEqual(node.cpuMilli);
    expect(node.usedMemMiB).toBeLessThanOrEqual(node.memMiB);
    expect(node.podCount).toBe(pods.length);
    expect(node.podCount).toBeLessThanOrEqual(node.maxPods);
    expect(node.usedCpuMilli).toBe(pods.reduce((s, p) => s + p.request.cpuMilli, 0));
    for (const g of node.gpus) {
      const bookings = pods.flatMap((p) => p.binding!.gpus.filter((b) => b.gpu === g.index));
      expect(g.usedMilli).toBe(bookings.reduce((s, b) => s + b.milli, 0));
      expect(g.usedMilli).toBeLessThanOrEqual(GPU_MILLI);
      expect(g.usedCores).toBeLessThanOrEqual(g.cores);
      if (!c.options.allowMemOversubscription) expect(g.usedMemMiB).toBeLessThanOrEqual(g.memMiB);
    }
  }
  // Conservation: every pod is in exactly one state, and bound pods are exactly the ones on nodes.
  const onNodes = new Set(c.podsOnNode.flat());
  for (const p of sim.pods) {
    expect(['pending', 'bound', 'succeeded', 'deleted', 'failed']).toContain(p.phase);
    expect(p.phase === 'bound').toBe(onNodes.has(p));
    expect(p.binding !== null).toBe(p.phase === 'bound');
  }
  expect(sim.pendingPods().every((p) => p.phase === 'pending')).toBe(true);
}

describe('simulator properties on random scenarios', () => {
  it('never over-allocates, conserves pods and keeps time monotone', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const sim = new Simulation(s);
        let last = 0;
        let steps = 0;
        while (sim.stepEvent()) {
          expect(sim.nowS).toBeGreaterThanOrEqual(last);
          last = sim.nowS;
          if (++steps % 97 === 0) checkBooks(sim);
          if (steps > 200_000) throw new Error('runaway simulation');
        }
        checkBooks(sim);
        const r = sim.result();
        expect(r.summary.allocationPct).toBeLessThanOrEqual(100 + 1e-9);
        expect(r.summary.utilizationPct).toBeLessThanOrEqual(100 + 1e-9);
        for (const x of r.series) {
          expect(x.utilizationPct).toBeGreaterThanOrEqual(-1e-9);
          expect(x.pending).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the same scenario and seed give the same traceHash', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a = simulate(s);
        const b = simulate(structuredClone(s));
        expect(b.traceHash).toBe(a.traceHash);
        expect(b.summary).toEqual(a.summary);
      }),
      { numRuns: 40 },
    );
  });
});
