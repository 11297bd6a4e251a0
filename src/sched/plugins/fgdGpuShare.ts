/**
 * GPU sharing as the FGD artifact models it (hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641,
 * pkg/simulator/plugin/open_gpu_share.go; domain.md §6.4): a pod asks `gpuCount` GPUs with `gpuMilli` of each;
 * a GPU fits when its free share is at least `gpuMilli`. The filter checks that enough GPUs fit; allocators pick
 * which ones. Whole-GPU pods (gpuMilli = 1000) always take the lowest-indexed fully free GPUs, under every
 * policy; a shared pod's GPU is the policy's choice.
 */
import type { GpuState, NodeState } from '../../model/cluster.ts';
import type { GpuBooking, Pod } from '../../model/pod.ts';
import { GPU_CORES, GPU_MILLI } from '../../model/units.ts';
import type { DeviceAllocator, FilterPlugin, SchedContext } from '../framework.ts';
import { unschedulable } from '../status.ts';

// Local copies: imported bindings are getters under some loaders (tsx), too slow in these hot loops.
const MILLI: number = GPU_MILLI;
const CORES: number = GPU_CORES;

export const INSUFFICIENT_GPU_SHARE = 'Insufficient nvidia.com/gpu';

/** Free milli of a GPU. */
export function gpuLeftMilli(g: GpuState): number {
  return g.healthy ? MILLI - g.usedMilli : 0;
}

/** True for a pod that shares one GPU (1 GPU, less than 1000 milli). */
export function isSharedPod(pod: Pod): boolean {
  return pod.request.gpuCount === 1 && pod.request.gpuMilli > 0 && pod.request.gpuMilli < MILLI;
}

/** GPU share a pod asks in total (num_gpu × gpu_milli), milli. */
export function podGpuMilli(pod: Pod): number {
  return pod.request.gpuMilli > 0 ? pod.request.gpuCount * pod.request.gpuMilli : 0;
}

/** Number of GPUs on a node with at least `milli` free. */
export function fittingGpuCount(node: NodeState, milli: number): number {
  let n = 0;
  for (const g of node.gpus) if (gpuLeftMilli(g) >= milli) n++;
  return n;
}

/** The one rejection of the GPU-share filter, shared (a Status is never mutated): the replay rejects ~10⁵ times. */
const GPU_SHARE_REJECTED = Object.freeze(unschedulable('OpenGpuShare', INSUFFICIENT_GPU_SHARE));

/** The Open-Gpu-Share filter: at least `gpuCount` GPUs with `gpuMilli` free each. */
export const gpuShareFilter: FilterPlugin = {
  name: 'OpenGpuShare',
  filter(pod, node) {
    const r = pod.request;
    if (r.gpuCount === 0 || r.gpuMilli === 0) return null;
    return fittingGpuCount(node, r.gpuMilli) >= r.gpuCount ? null : GPU_SHARE_REJECTED;
  },
};

/**
 * What a booking of `milli` of a GPU holds: that share, the same share of its memory and compute (floored, so
 * shares of one GPU never add up past the card), one sharing slot.
 */
export function shareBooking(g: GpuState, milli: number): GpuBooking {
  return { gpu: g.index, milli, memMiB: Math.floor((g.memMiB * milli) / MILLI), cores: Math.floor((CORES * milli) / MILLI), slots: 1 };
}

/** The lowest-indexed `count` fully free GPUs, or null. */
export function lowestFreeGpus(node: NodeState, count: number): GpuState[] | null {
  const out: GpuState[] = [];
  for (const g of node.gpus) {
    if (gpuLeftMilli(g) === MILLI) {
      out.push(g);
      if (out.length === count) return out;
    }
  }
  return null;
}

/** `count` fitting GPUs, the least free first (lowest index on ties), or null. */
export function tightestGpus(node: NodeState, milli: number, count: number): GpuState[] | null {
  const fit = node.gpus.filter((g) => gpuLeftMilli(g) >= milli);
  if (fit.length < count) return null;
  fit.sort((a, b) => gpuLeftMilli(a) - gpuLeftMilli(b) || a.index - b.index);
  return fit.slice(0, count);
}

/** Picks the GPU of a shared pod on a node (only called when at least one GPU fits). */
export type SharedGpuChoice = (pod: Pod, node: NodeState, ctx: SchedContext) => number;

/**
 * An allocator following the artifact's rules: CPU-only pods get no GPU; whole-GPU pods the lowest-indexed fully
 * free GPUs; a shared pod the GPU `choose` returns; other fractional multi-GPU pods the tightest fitting GPUs.
 */
export function gpuShareAllocator(name: string, choose: SharedGpuChoice): DeviceAllocator {
  return {
    name,
    allocate(pod, node, ctx) {
      const r = pod.request;
      if (r.gpuCount === 0 || r.gpuMilli === 0) return [];
      if (r.gpuMilli >= MILLI) {
        const gpus = lowestFreeGpus(node, r.gpuCount);
        return gpus ? gpus.map((g) => shareBooking(g, MILLI)) : unschedulable(name, INSUFFICIENT_GPU_SHARE);
      }
      if (r.gpuCount === 1) {
        if (fittingGpuCount(node, r.gpuMilli) === 0) return unschedulable(name, INSUFFICIENT_GPU_SHARE);
        return [shareBooking(node.gpus[choose(pod, node, ctx)], r.gpuMilli)];
      }
      const gpus = tightestGpus(node, r.gpuMilli, r.gpuCount);
      return gpus ? gpus.map((g) => shareBooking(g, r.gpuMilli)) : unschedulable(name, INSUFFICIENT_GPU_SHARE);
    },
  };
}

/** The fitting GPU with the least free share, lowest index on ties (DotProd, Clustering, Packing, BestFit). */
export const tightestGpu: SharedGpuChoice = (pod, node) => {
  let best = -1;
  let bestLeft = Infinity;
  for (const g of node.gpus) {
    const left = gpuLeftMilli(g);
    if (left >= pod.request.gpuMilli && left < bestLeft) {
      best = g.index;
      bestLeft = left;
    }
  }
  return best;
};

/** A uniformly random fitting GPU, drawn from the scheduler's seeded stream (Random). */
export const randomGpu: SharedGpuChoice = (pod, node, ctx) => {
  const fit: number[] = [];
  for (const g of node.gpus) if (gpuLeftMilli(g) >= pod.request.gpuMilli) fit.push(g.index);
  return fit[ctx.rng.int(fit.length)];
};
