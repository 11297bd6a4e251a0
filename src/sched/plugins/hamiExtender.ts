/**
 * Plugins of the kube-scheduler half of a HAMi deployment. HAMi's scheduler config declares its resources
 * (`nvidia.com/gpu`, `nvidia.com/gpumem`, ...) as extender-managed with `ignoredByScheduler: true`, so
 * kube-scheduler's NodeResourcesFit checks cpu, memory and pods only and leaves the GPUs to the extender.
 */
import type { Pod } from '../../model/pod.ts';
import type { DeviceAllocator, FilterPlugin } from '../framework.ts';

/** Runs a filter as if the pod asked for no `nvidia.com/gpu` (the resource is ignored by the scheduler). */
export function ignoringGpuResource(inner: FilterPlugin): FilterPlugin {
  return {
    name: inner.name,
    filter(pod, node, ctx) {
      if (pod.request.gpuCount === 0) return inner.filter(pod, node, ctx);
      const view: Pod = { ...pod, request: { ...pod.request, gpuCount: 0, gpuMilli: 0 } };
      return inner.filter(view, node, ctx);
    },
  };
}

/** kube-scheduler books no devices itself: the extender's allocation is bound later. */
export const noDeviceAllocator: DeviceAllocator = {
  name: 'none',
  allocate() {
    return [];
  },
};
