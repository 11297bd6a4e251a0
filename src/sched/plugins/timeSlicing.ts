/**
 * NVIDIA k8s-device-plugin time-slicing (`sharing.timeSlicing.resources[].replicas: N`): each GPU advertises N
 * `nvidia.com/gpu` replicas, a pod takes replicas, and nothing isolates memory or compute. Which GPU a replica
 * comes from follows the plugin's distributed allocation for replicated resources (internal/rm/allocate.go
 * distributedAlloc): one replica at a time from the GPU with the fewest replicas already allocated, counting the
 * ones just picked for this pod. The plugin sorts with sort.Slice, so its ties are unordered; we take the lowest
 * index. Two replicas of a pod may land on the same GPU when that GPU is still the least used.
 */
import type { GpuBooking } from '../../model/pod.ts';
import { GPU_MILLI } from '../../model/units.ts';
import type { DeviceAllocator } from '../framework.ts';
import { unschedulable } from '../status.ts';

/** Reason when the node has too few free replicas (what kube's NodeResourcesFit says for the resource). */
export const INSUFFICIENT_GPU = 'Insufficient nvidia.com/gpu';

/**
 * Per-GPU replica counts a pod of `want` replicas takes: fewest allocated first, lowest index on ties; null when
 * fewer than `want` replicas are free on healthy GPUs.
 */
export function distributeReplicas(used: readonly number[], healthy: readonly boolean[], replicas: number, want: number): Map<number, number> | null {
  const taken = used.slice();
  const out = new Map<number, number>();
  for (let k = 0; k < want; k++) {
    let best = -1;
    for (let g = 0; g < taken.length; g++) {
      if (!healthy[g] || taken[g] >= replicas) continue;
      if (best < 0 || taken[g] < taken[best]) best = g;
    }
    if (best < 0) return null;
    taken[best]++;
    out.set(best, (out.get(best) ?? 0) + 1);
  }
  return out;
}

/**
 * The time-slicing allocator. Books, per GPU, the replicas taken as slots, milli = floor(1000·slots/N) (the share
 * Kubernetes accounts: N replicas make one GPU, so the shares never sum past 1000), and no memory and no cores:
 * there is no isolation, so the pods' real memory (pod.request.gpuMemMiB) may exceed the card (the simulator
 * reports that as an OOM kill).
 */
export function timeSlicingAllocator(replicas: number): DeviceAllocator {
  const name = `nvidia-device-plugin (time-slicing ×${replicas})`;
  return {
    name,
    allocate(pod, node) {
      const want = pod.request.gpuCount;
      if (want === 0) return [];
      const pick = distributeReplicas(node.gpus.map((g) => g.usedSlots), node.gpus.map((g) => g.healthy), replicas, want);
      if (!pick) return unschedulable(name, INSUFFICIENT_GPU);
      const out: GpuBooking[] = [];
      for (const [gpu, slots] of [...pick.entries()].sort((a, b) => a[0] - b[0])) {
        out.push({ gpu, milli: Math.floor((GPU_MILLI * slots) / replicas), memMiB: 0, cores: 0, slots });
      }
      return out;
    },
  };
}
