/**
 * Bad input for the DRA profiles (src/scenario/draCheck.ts through parseScenario): the message names the field.
 * HAMi-DRA's memory policy maximum is the card's memory (k8s-dra-driver hami_core.go); a pinned MIG profile needs
 * a mig.nvidia.com device with it (a pool layout, or dynamicMig).
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
  it('a HAMi-DRA memory request over the capacity policy maximum names the field and the maximum', () => {
    const r = parseScenario(scenario('hami-dra', { gpuMemMiB: 90000 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(["workloads[0].gpuMemMiB: 90000 MiB is over the maximum of HAMi-DRA's memory capacity policy on every GPU it may use (largest 81920 MiB, H100), so schedulers[0] (hami-dra) can never place it"]);
  });

  it('the same request is fine under HAMi itself (it only waits) and within the maximum', () => {
    expect(parseScenario(scenario('hami-binpack', { gpuMemMiB: 90000 })).ok).toBe(true);
    expect(parseScenario(scenario('hami-dra', { gpuMemMiB: 81920 })).ok).toBe(true);
  });

  it('a pinned MIG profile no device class satisfies names the field', () => {
    const r = parseScenario(scenario('k8s-dra', { gpuRequest: { form: 'mig', migProfile: '3g.40gb' } }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toBe('workloads[0].gpuRequest.migProfile: no device of class mig.nvidia.com has profile 3g.40gb under schedulers[0] (k8s-dra): give a pool a MIG layout with it, or turn on dynamicMig');
  });

  it('dynamic MIG or a layout with the profile satisfies it', () => {
    expect(parseScenario(scenario('k8s-dra', { gpuRequest: { form: 'mig', migProfile: '3g.40gb' } }, { dynamicMig: true })).ok).toBe(true);
    expect(parseScenario(scenario('k8s-dra', { gpuRequest: { form: 'mig', migProfile: '3g.40gb' } }, undefined, 'all-balanced')).ok).toBe(true);
    expect(parseScenario(scenario('k8s-dra', { gpuRequest: { form: 'mig', migProfile: '3g.40gb' } }, undefined, 'all-1g.10gb')).ok).toBe(false);
  });
});
