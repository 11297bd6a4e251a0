// @vitest-environment node
/**
 * GPU memory as NVML reports it (issue 13): the catalog's H100 and H200 carry the totals nvidia-smi and the device
 * plugins report, so a slice of the marketing size does not fit, as on a real card.
 */
import { describe, expect, it } from 'vitest';
import { GPU_CATALOG, NVML_TOTAL_MIB, resolveCatalog } from '../../src/scenario/gpuCatalog.ts';
import { HamiScheduler } from '../../src/sched/hami/scheduler.ts';
import { hamiBinpack } from '../../src/sched/profiles/hami.ts';
import type { ProfileEnv } from '../../src/sched/profiles/types.ts';
import { cluster, ctx, node, pod } from '../builders/index.ts';

describe('NVML GPU memory in the catalog', () => {
  it('H100 reports 81,559 MiB and H200 143,771 MiB (issue 13), less than 80 and 141 GiB', () => {
    expect(GPU_CATALOG.H100.memMiB).toBe(81559);
    expect(GPU_CATALOG.H200.memMiB).toBe(143771);
    expect(NVML_TOTAL_MIB).toEqual({ H100: 81559, H200: 143771 });
    expect(GPU_CATALOG.H100.memMiB).toBeLessThan(80 * 1024);
    expect(GPU_CATALOG.H200.memMiB).toBeLessThan(141 * 1024);
    // a scenario may still override it (a user with other NVML figures)
    expect(resolveCatalog({ H100: { memMiB: 81920 } }).H100.memMiB).toBe(81920);
  });

  it('an "80 GiB" HAMi slice does not fit an H100, while the card\'s whole NVML memory does', () => {
    // HAMi registers the NVML total (device-plugin register.go: memory.Total / 1024 / 1024, × scaling 1): a
    // request of 81,920 MiB exceeds 81,559 ⇒ CardInsufficientMemory on the only card.
    const s = hamiBinpack.create(hamiBinpack.defaults, {} as ProfileEnv) as HamiScheduler;
    const c = cluster(node().gpus(1, 'H100'));
    const big = pod().gpus(1).gpuMem(80 * 1024).build();
    s.cycle([big], ctx(c));
    expect(big.binding).toBeNull();
    expect(s.explain(pod().gpus(1).gpuMem(80 * 1024).build(), ctx(c)).rejected).toEqual({ CardInsufficientMemory: 1 });
    const whole = pod().gpus(1).gpuMem(81559).build();
    s.cycle([whole], ctx(c));
    expect(whole.binding?.gpus[0].memMiB).toBe(81559);
  });
});
