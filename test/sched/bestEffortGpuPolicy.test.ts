// @vitest-environment node
/**
 * go-gpuallocator's best-effort policy (NVIDIA/go-gpuallocator gpuallocator/besteffort_policy.go), which the
 * NVIDIA device plugin uses to answer kubelet's GetPreferredAllocation for whole GPUs. Each expected set is worked
 * out from the rule: best partition of all available GPUs into sets of `size` by summed set score, then that
 * partition's best set holding every required GPU.
 */
import { describe, expect, it } from 'vitest';
import { bestEffortAllocate } from '../../src/sched/plugins/bestEffortGpuPolicy.ts';
import { wholeGpuAllocator } from '../../src/sched/plugins/wholeGpuAllocator.ts';
import type { GpuBooking } from '../../src/model/pod.ts';
import { cluster, ctx, node, pod } from '../builders/index.ts';

/** A symmetric pair-score table from `[a, b, score]` triples; missing pairs score 0. */
function table(pairs: [number, number, number][]): (a: number, b: number) => number {
  const m = new Map<string, number>();
  for (const [a, b, s] of pairs) {
    m.set(`${a},${b}`, s);
    m.set(`${b},${a}`, s);
  }
  return (a, b) => m.get(`${a},${b}`) ?? 0;
}

describe('bestEffortAllocate', () => {
  // 4 GPUs: NVLINK_4 (400) between 0-1 and 2-3 on top of the host bridge (30); host bridge (30) otherwise.
  const nvlinkPairs = table([[0, 1, 430], [2, 3, 430], [0, 2, 30], [0, 3, 30], [1, 2, 30], [1, 3, 30]]);

  it('prefers the NVLink pair over the lowest free indices', () => {
    // GPU 0 taken: available 1, 2, 3 padded to 4. Partitions {1,2}{3,-} = 30, {1,3}{2,-} = 30, {2,3}{1,-} = 430:
    // the last wins and its best set is {2,3} (the padded set scores 0).
    expect(bestEffortAllocate([1, 2, 3], [], 2, nvlinkPairs)).toEqual([2, 3]);
  });

  it('maximises the whole partition, not the single best set', () => {
    // 0-2 is the best pair (150), but {0,2}{1,3} sums 150 + 10 = 160 while {0,1}{2,3} sums 100 + 100 = 200 and
    // {0,3}{1,2} 10 + 10 = 20. Best partition {0,1}{2,3}; its sets tie at 100, the first one wins: {0,1}.
    const s = table([[0, 1, 100], [2, 3, 100], [0, 2, 150], [0, 3, 10], [1, 2, 10], [1, 3, 10]]);
    expect(bestEffortAllocate([0, 1, 2, 3], [], 2, s)).toEqual([0, 1]);
  });

  it('returns the best partition\'s set that holds the required GPUs', () => {
    // Same table, GPU 2 required: every partition has a set with 2, the best is still {0,1}{2,3}; of its sets
    // only {2,3} holds 2.
    const s = table([[0, 1, 100], [2, 3, 100], [0, 2, 150], [0, 3, 10], [1, 2, 10], [1, 3, 10]]);
    expect(bestEffortAllocate([0, 1, 2, 3], [2], 2, s)).toEqual([2, 3]);
  });

  it('one GPU: every device is its own partition scoring 0, so the first available wins', () => {
    expect(bestEffortAllocate([5, 3, 7], [], 1, nvlinkPairs)).toEqual([5]);
  });

  it('equal links everywhere (NVSwitch): the first partition\'s first set, the lowest positions', () => {
    const all = (a: number, b: number): number => (a === b ? 0 : 100);
    expect(bestEffortAllocate([0, 1, 2, 3, 4, 5, 6, 7], [], 4, all)).toEqual([0, 1, 2, 3]);
  });

  it('refuses what cannot be met', () => {
    expect(bestEffortAllocate([0, 1], [], 3, nvlinkPairs)).toEqual([]);
    expect(bestEffortAllocate([0, 1, 2], [0, 1, 2], 2, nvlinkPairs)).toEqual([]);
    expect(bestEffortAllocate([0, 1], [], 0, nvlinkPairs)).toEqual([]);
  });
});

describe('the device plugin in the simulator (wholeGpuAllocator)', () => {
  /** GPUs the allocator gives a `want`-GPU pod on a node whose cards `taken` are busy. */
  function gpusFor(topology: 'nvlink-pairs' | 'pcie' | 'nvswitch', numa: number, taken: number[], want: number): number[] {
    const c = cluster(node().gpus(8, 'A100-80G').topology(topology, numa));
    for (const g of taken) c.bind(pod().gpus(1).build(), { nodeId: 0, gpus: [{ gpu: g, milli: 1000, memMiB: 1, cores: 100, slots: 1 }] });
    const r = wholeGpuAllocator.allocate(pod().gpus(want).build(), c.nodes[0], ctx(c));
    return (r as GpuBooking[]).map((b) => b.gpu);
  }

  it('an NVLink pair rather than the two lowest free cards', () => {
    // nvlink-pairs, one NUMA node: 0-1, 2-3, 4-5, 6-7 NVLINK_1 (100), other pairs PCIE_HOST_BRIDGE (30). Card 0
    // busy: free 1..7 padded to 8. The best partition pairs 2-3, 4-5, 6-7 (300) and leaves 1 with the padding;
    // its first best set is {2,3}. Lowest free indices would give {1,2} over PCIe.
    expect(gpusFor('nvlink-pairs', 1, [0], 2)).toEqual([2, 3]);
  });

  it('PCIe: a switch pair on one NUMA node', () => {
    // pcie, 2 NUMA nodes (cards 0-3, 4-7): 2k/2k+1 PCIE_SINGLE_SWITCH (50), same NUMA PCIE_HOST_BRIDGE (30),
    // across NUMA PCIE_CROSS_CPU (10). Cards 0 and 2 busy: free 1, 3, 4, 5, 6, 7. Best partition
    // {1,3}{4,5}{6,7} = 30 + 50 + 50; its best set (first on ties) is {4,5}.
    expect(gpusFor('pcie', 2, [0, 2], 2)).toEqual([4, 5]);
  });

  it('one GPU keeps the lowest free index', () => {
    expect(gpusFor('nvlink-pairs', 1, [0], 1)).toEqual([1]);
  });

  it('NVSwitch: every pair has the switch NVLink, so the PCIe level decides (same switch, then same socket)', () => {
    // NVML gives each pair its PCIe level and the switch NVLink (HAMi calculate_score.go / links.go, as
    // go-gpuallocator): 2k/2k+1 50 + 100, same NUMA 30 + 100, across NUMA 10 + 100. One NUMA node, card 0 busy:
    // free 1..7 padded to 8; the best partition pairs 2-3, 4-5, 6-7 (3 × 150) and leaves 1 with the padding; its
    // first best set is {2,3}, not the lowest free {1,2} (130).
    expect(gpusFor('nvswitch', 1, [0], 2)).toEqual([2, 3]);
    // Two NUMA nodes, cards 0 and 2 busy: free 1, 3, 4, 5, 6, 7: {1,3}{4,5}{6,7} = 130 + 150 + 150; first best {4,5}.
    expect(gpusFor('nvswitch', 2, [0, 2], 2)).toEqual([4, 5]);
  });
});
