/**
 * The talk's claims (domain.md §1) as differences between schedulers on the shipped scenarios. If a model
 * change breaks one of these, the product no longer tells the story it exists to tell.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate, type SimResult } from '../../src/sim/simulate.ts';
import { listProfiles } from '../../src/sched/profiles/index.ts';

const dir = new URL('../../public/scenarios/', import.meta.url);
function preset(name: string): Scenario {
  const r = parseScenario(JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}
const run = (s: Scenario, profile: string): SimResult => simulate({ ...s, schedulers: [{ profile }] });

describe('claim 2: the stock device plugin wastes GPUs by handing out whole cards', () => {
  const s = preset('whole-gpu-waste');
  const k8s = run(s, 'k8s-default');
  const hami = run(s, 'hami-binpack');
  it('HAMi slices serve the same services on a fraction of the GPUs, at the same SLO', () => {
    expect(k8s.summary.allocationPct).toBeGreaterThan(90);
    expect(hami.summary.allocationPct).toBeLessThan(k8s.summary.allocationPct / 3);
    expect(hami.summary.inference.sloAttainmentPct).toBeGreaterThan(95);
    expect(k8s.summary.inference.sloAttainmentPct).toBeGreaterThan(95);
  });
  it('whole cards book GPU memory nobody uses; slices book what pods need', () => {
    expect(k8s.summary.gpuMemBookedPct).toBeGreaterThan(5 * k8s.summary.gpuMemUsedPct);
    expect(hami.summary.gpuMemBookedPct).toBeCloseTo(hami.summary.gpuMemUsedPct, 0);
  });
  it('notebooks wait behind whole-GPU replicas under the default scheduler, not under HAMi', () => {
    expect(k8s.summary.meanWaitS).toBeGreaterThan(600);
    expect(hami.summary.meanWaitS).toBeLessThan(60);
  });
});

describe('claim 4: GPU virtualization recovers capacity, most of all for inference', () => {
  it('the tidal day needs less than half the GPU allocation under HAMi', () => {
    const s = preset('tidal-day');
    const k8s = run(s, 'k8s-default');
    const hami = run(s, 'hami-topology');
    expect(hami.summary.allocationPct).toBeLessThan(k8s.summary.allocationPct / 2);
    expect(hami.summary.cost.costPerUsefulGpuHourUsd).toBeLessThan(k8s.summary.cost.costPerUsefulGpuHourUsd * 1.5);
    expect(hami.summary.inference.sloAttainmentPct).toBeGreaterThan(85);
  });
});

describe('claim 5: training needs gang scheduling and good placement', () => {
  it('two gangs deadlock under the default scheduler and both finish under Volcano', () => {
    const s = preset('gang-deadlock');
    expect(run(s, 'k8s-default').summary.training.completed).toBe(0);
    for (const p of ['volcano', 'volcano-hami']) expect(run(s, p).summary.training.completed).toBe(2);
  });
  it('NVLink-aware placement keeps a 2-GPU job on an NVLink pair', () => {
    const GiB = 1024;
    const r = parseScenario({
      kind: 'slicebench/scenario', version: 1, name: 'nvlink',
      cluster: { pools: [{ name: 'v100', count: 1, gpuModel: 'V100-32G', gpusPerNode: 8, cpuMilli: 96000, memMiB: 512 * GiB, topology: 'nvlink-pairs', numaNodes: 2 }] },
      existingPods: [{ name: 'notebook', node: 'v100-0', cpuMilli: 2000, memMiB: 8 * GiB, gpus: [{ index: 7, gpuMilli: 300, gpuMemMiB: 8 * GiB, gpuCores: 30 }] }],
      workloads: [{ kind: 'training', name: 'ft', workers: 1, gpusPerWorker: 2, gpuMemMiB: 20 * GiB, cpuMilli: 8000, memMiB: 64 * GiB, workGpuHours: 8, stepComputeS: 0.5, commGBPerStep: 6, arrivalS: 0 }],
      schedulers: [{ profile: 'hami-spread' }], sim: { durationS: 86400, seed: 1, metricsStepS: 600 },
    });
    if (!r.ok) throw new Error(r.errors.join());
    // GPU 7 is partly used. spread takes the two least-used cards, 6 and 5: not a pair, so the all-reduce
    // crosses PCIe (32 GB/s) instead of NVLink (300 GB/s); topology-aware picks an NVLink pair.
    const spread = run(r.scenario, 'hami-spread');
    const topo = run(r.scenario, 'hami-topology');
    expect(topo.summary.training.meanSlowdown).toBeCloseTo(1, 2);
    expect(spread.summary.training.meanSlowdown).toBeGreaterThan(1.2);
  });
});

describe('claim 3: CPUs matter', () => {
  it('GPUs are stranded on CPU-starved nodes under every profile', () => {
    const s = preset('cpu-starved');
    for (const p of ['k8s-default', 'hami-binpack', 'volcano']) expect(run(s, p).summary.strandedGpusAvg).toBeGreaterThan(4);
  });
});

describe('every profile runs every shipped scenario', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.replace(/\.json$/, ''));
  it.each(files)('%s', (name) => {
    const s = preset(name);
    for (const p of listProfiles()) {
      const r = run(s, p.name);
      expect(r.profile).toBe(p.name);
      expect(r.summary.allocationPct).toBeGreaterThanOrEqual(0);
      expect(r.summary.allocationPct).toBeLessThanOrEqual(100 + 1e-9);
      expect(r.summary.podsBound + r.summary.podsPendingAtEnd).toBeGreaterThan(0);
    }
  });
});
