/**
 * The DRA claim form of the demand translation (src/scenario/gpuDemand.ts): HAMi-DRA asks capacity only where the
 * demand states it (the HAMi-DRA webhook, pkg/webhook/dra/mutating.go); the NVIDIA driver asks whole GPUs, or a
 * prioritized list of the MIG profiles that hold the demand, smallest first, then the whole GPU (≤ 8 subrequests,
 * resource/v1 FirstAvailableDeviceRequestMaxSize).
 */
import { describe, expect, it } from 'vitest';
import { chooseForm, describeRequest, HAMI_DRA_FORMS, K8S_DRA_FORMS, translateDemand, type GpuDemand } from '../../src/scenario/gpuDemand.ts';

const demand = (o: Partial<GpuDemand>): GpuDemand => ({ count: 1, memMiB: 0, shareMilli: 1000, computePct: 0, isolation: false, ...o });
const H100 = { modelId: 'H100', cardMemMiB: 81920 };

describe('the dra form', () => {
  it('HAMi-DRA: cores and memory only when stated', () => {
    expect(translateDemand(demand({ memMiB: 8192, computePct: 25 }), 'dra', { ...H100, dra: { driver: 'hami', migDevices: false } })).toEqual({ form: 'dra', count: 1, alternatives: [{ kind: 'hami', cores: 25, memMiB: 8192 }] });
    expect(translateDemand(demand({ memMiB: 8192 }), 'dra', { ...H100, dra: { driver: 'hami', migDevices: false } })).toEqual({ form: 'dra', count: 1, alternatives: [{ kind: 'hami', memMiB: 8192 }] });
  });

  it('NVIDIA without MIG devices: whole GPUs', () => {
    expect(translateDemand(demand({ count: 2, memMiB: 8192, shareMilli: 300 }), 'dra', H100)).toEqual({ form: 'dra', count: 2, alternatives: [{ kind: 'gpu' }] });
  });

  it('NVIDIA with MIG devices: the fitting profiles smallest first, the whole GPU last', () => {
    // 20 GiB: 1g.10gb (10 GiB) is too small; 1g.20gb and 2g.20gb (20 GiB), 3g.40gb, 4g.40gb, 7g.80gb hold it.
    const r = translateDemand(demand({ memMiB: 20480, shareMilli: 300 }), 'dra', { ...H100, dra: { driver: 'nvidia', migDevices: true } });
    expect(r).toEqual({
      form: 'dra',
      count: 1,
      alternatives: [
        { kind: 'mig', profile: '1g.20gb' },
        { kind: 'mig', profile: '2g.20gb' },
        { kind: 'mig', profile: '3g.40gb' },
        { kind: 'mig', profile: '4g.40gb' },
        { kind: 'mig', profile: '7g.80gb' },
        { kind: 'gpu' },
      ],
    });
    expect(describeRequest(r)).toBe('ResourceClaim: mig.nvidia.com profile 1g.20gb | mig.nvidia.com profile 2g.20gb | mig.nvidia.com profile 3g.40gb | mig.nvidia.com profile 4g.40gb | mig.nvidia.com profile 7g.80gb | gpu.nvidia.com');
  });

  it('a whole-card demand stays one whole GPU even with MIG devices', () => {
    expect(translateDemand(demand({}), 'dra', { ...H100, dra: { driver: 'nvidia', migDevices: true } })).toEqual({ form: 'dra', count: 1, alternatives: [{ kind: 'gpu' }] });
  });

  it('the DRA profiles use their claim unless a pin or isolation says otherwise', () => {
    expect(chooseForm(demand({}), K8S_DRA_FORMS)).toBe('dra');
    expect(chooseForm(demand({ isolation: true }), K8S_DRA_FORMS)).toBe('mig');
    expect(chooseForm(demand({ pin: { form: 'whole' } }), HAMI_DRA_FORMS)).toBe('whole');
    expect(chooseForm(demand({ pin: { form: 'mig' } }), HAMI_DRA_FORMS)).toBe('dra');
  });
});
