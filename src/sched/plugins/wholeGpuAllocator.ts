/**
 * The NVIDIA device plugin without sharing: `nvidia.com/gpu` is an integer resource; the kubelet hands the pod
 * whole, unshared GPUs, the ones the plugin prefers (GetPreferredAllocation with go-gpuallocator's best-effort
 * policy, bestEffortGpuPolicy.ts) among the free healthy cards, over the node's link matrix (our topology mapped
 * to NVML link entries as src/sched/hami/topology.ts linkEntries does). A fractional request rounds up to one
 * whole GPU: the pod books the entire card.
 */
import { gpuIsFree, type NodeState } from '../../model/cluster.ts';
import type { GpuBooking } from '../../model/pod.ts';
import { GPU_CORES, GPU_MILLI } from '../../model/units.ts';
import { linkEntries, linkPairScore } from '../hami/topology.ts';
import type { DeviceAllocator } from '../framework.ts';
import { unschedulable } from '../status.ts';
import { bestEffortAllocate } from './bestEffortGpuPolicy.ts';

/** Preferred sets by (topology, NUMA layout, free cards, size): the policy is pure and nodes repeat. */
const preferredCache = new Map<string, number[]>();

/** The device indices the device plugin prefers for `want` whole GPUs among `free` (indices, ascending). */
export function preferredGpus(node: NodeState, free: readonly number[], want: number): number[] {
  const key = `${node.topology}|${node.gpus.map((g) => g.numa).join(',')}|${free.join(',')}|${want}`;
  let hit = preferredCache.get(key);
  if (!hit) {
    const pair = (a: number, b: number): number => {
      const ga = node.gpus[a];
      const gb = node.gpus[b];
      return linkPairScore(linkEntries(node.topology, ga, gb), linkEntries(node.topology, gb, ga)).score;
    };
    hit = bestEffortAllocate(free, [], want, pair);
    preferredCache.set(key, hit);
  }
  return hit;
}

export const wholeGpuAllocator: DeviceAllocator = {
  name: 'nvidia-device-plugin',
  allocate(pod, node) {
    const want = pod.request.gpuCount;
    if (want === 0) return [];
    const free: number[] = [];
    for (const g of node.gpus) if (g.healthy && gpuIsFree(g)) free.push(g.index);
    if (free.length < want) return unschedulable('nvidia-device-plugin', 'Insufficient nvidia.com/gpu');
    // One card, or every free card: no choice to make (the policy would return the first / all of them).
    const chosen = want === 1 ? [free[0]] : want === free.length ? free : preferredGpus(node, free, want);
    return chosen.map((i) => ({ gpu: i, milli: GPU_MILLI, memMiB: node.gpus[i].memMiB, cores: GPU_CORES, slots: 1 }) as GpuBooking);
  },
};
