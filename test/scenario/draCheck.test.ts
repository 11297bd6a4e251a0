/**
 * Bad input for the DRA profiles (src/scenario/draCheck.ts through parseScenario): the message names the field.
 * A pinned MIG profile needs a mig.nvidia.com device with it wherever MIG devices are published (a pool layout, or
 * dynamicMig); the HAMi-DRA capacity maximum is a pending reason (test/sched/dra/draProfiles.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/validate.ts';

function scenario(profile: string, workload: Record<string, unknown>, options?: Record<string, unknown>, mig?: unknown): unknown {
  return {
    kind: 'slicebench/scenario',
    version: 1,
    name: 'dra bad input',
    cluster: { pools: [{ name: 'h100', count: 1, gpuModel: 'H100', gpusPerNode: 2, cpuMilli: 64000, memMiB: 262144, topology: 'pcie', numaNodes: 1, ...(mig ? { mig } : {}) }] },
    workloads: [{ kind: 'batch', name: 'nb', count: 1, cpuMilli: 1000, memMiB: 1024, gpus: 1, gpuMilli: 300, durationS: 60, arrivalS: 0, interarrivalS: 60, ...workload }],
    schedulers: [{ profile, ...(options ? { options } : {}) }],
    sim: { durationS: 600, seed: 1, metricsStepS: 60 },
  };
}

describe('DRA bad input', () => {
  const pin = { gpuRequest: { form: 'mig', migProfile: '3g.40gb' } };

  it('a pinned MIG profile no mig.nvidia.com device offers names the field', () => {
    // Every H100 of the pool carries all-1g.10gb: MIG devices are published, none of them 3g.40gb.
    const r = parseScenario(scenario('k8s-dra', pin, undefined, 'all-1g.10gb'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(['workloads[0].gpuRequest.migProfile: no device of class mig.nvidia.com has profile 3g.40gb under schedulers[0] (k8s-dra): every pool the workload may use publishes MIG devices, none of this profile']);
  });

  it('a layout with the profile, dynamic MIG, or a pool without MIG (whole GPUs) satisfies it', () => {
    expect(parseScenario(scenario('k8s-dra', pin, undefined, 'all-balanced')).ok).toBe(true);
    expect(parseScenario(scenario('k8s-dra', pin, { dynamicMig: true }, 'all-1g.10gb')).ok).toBe(true);
    expect(parseScenario(scenario('k8s-dra', pin)).ok).toBe(true);
  });

  it('a HAMi-DRA memory request over the policy maximum is valid (its pods wait, as under HAMi) ', () => {
    expect(parseScenario(scenario('hami-dra', { gpuMemMiB: 90000 })).ok).toBe(true);
  });
});
