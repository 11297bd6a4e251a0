/**
 * The NVIDIA device plugin without sharing: `nvidia.com/gpu` is an integer resource; the kubelet hands the pod
 * whole, unshared GPUs. We take the lowest-indexed free GPUs (the device plugin's order when no preferred
 * allocation applies). A fractional request rounds up to one whole GPU: the pod books the entire card.
 */
import { gpuIsFree } from '../../model/cluster.ts';
import type { GpuBooking } from '../../model/pod.ts';
import { GPU_CORES, GPU_MILLI } from '../../model/units.ts';
import type { DeviceAllocator } from '../framework.ts';
import { unschedulable } from '../status.ts';

export const wholeGpuAllocator: DeviceAllocator = {
  name: 'nvidia-device-plugin',
  allocate(pod, node) {
    const want = pod.request.gpuCount;
    if (want === 0) return [];
    const out: GpuBooking[] = [];
    for (const g of node.gpus) {
      if (!g.healthy || !gpuIsFree(g)) continue;
      out.push({ gpu: g.index, milli: GPU_MILLI, memMiB: g.memMiB, cores: GPU_CORES, slots: 1 });
      if (out.length === want) return out;
    }
    return unschedulable('nvidia-device-plugin', 'Insufficient nvidia.com/gpu');
  },
};
