/**
 * kube-scheduler NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources, model v1.34): the filter
 * (cpu, memory, pods, `nvidia.com/gpu` as an integer extended resource) and the scoring strategies, in integer
 * math exactly as fit.go / least_allocated.go / most_allocated.go / requested_to_capacity_ratio.go compute them.
 */
import type { NodeState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import type { FilterPlugin, ScorePlugin } from '../framework.ts';

export const MAX_NODE_SCORE = 100;

/** One resource's numbers for scoring. */
export interface ResourceUse {
  /** Requested on the node including the incoming pod. */
  requested: number;
  allocatable: number;
  weight: number;
}

/**
 * LeastAllocated: per resource s = (alloc − req)·100/alloc (integer division), 0 when req > alloc;
 * node = Σ w·s / Σ w (integer division) over resources with alloc > 0.
 */
export function leastAllocatedScore(resources: readonly ResourceUse[]): number {
  let sum = 0;
  let weights = 0;
  for (const r of resources) {
    if (r.allocatable === 0) continue;
    const s = r.requested > r.allocatable ? 0 : Math.trunc(((r.allocatable - r.requested) * MAX_NODE_SCORE) / r.allocatable);
    sum += s * r.weight;
    weights += r.weight;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

/** MostAllocated: per resource s = min(req, alloc)·100/alloc (integer division); node as LeastAllocated. */
export function mostAllocatedScore(resources: readonly ResourceUse[]): number {
  let sum = 0;
  let weights = 0;
  for (const r of resources) {
    if (r.allocatable === 0) continue;
    const s = Math.trunc((Math.min(r.requested, r.allocatable) * MAX_NODE_SCORE) / r.allocatable);
    sum += s * r.weight;
    weights += r.weight;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

/** A point of the RequestedToCapacityRatio shape: utilization 0..100 → score 0..10 (scaled ×10 inside). */
export interface ShapePoint {
  utilization: number;
  score: number;
}

/** kube's helper.BuildBrokenLinearFunction on integer points (the shape's scores already scaled). */
export function brokenLinear(points: readonly ShapePoint[], p: number): number {
  for (let i = 0; i < points.length; i++) {
    if (p <= points[i].utilization) {
      if (i === 0) return points[0].score;
      const a = points[i - 1];
      const b = points[i];
      return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
    }
  }
  return points[points.length - 1].score;
}

/**
 * RequestedToCapacityRatio: shape scores ×10; per resource utilization = req·100/alloc (100 when req > alloc),
 * interpolated; resources scoring 0 leave the weight sum; node = round-half-away(Σ w·s / Σ w).
 */
export function requestedToCapacityRatioScore(resources: readonly ResourceUse[], shape: readonly ShapePoint[]): number {
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * 10 }));
  let sum = 0;
  let weights = 0;
  for (const r of resources) {
    if (r.allocatable === 0) continue;
    const util = r.requested > r.allocatable ? 100 : Math.trunc((r.requested * 100) / r.allocatable);
    const s = brokenLinear(scaled, util);
    if (s > 0) {
      sum += s * r.weight;
      weights += r.weight;
    }
  }
  return weights === 0 ? 0 : Math.round(sum / weights);
}

export type FitStrategy = 'LeastAllocated' | 'MostAllocated';

export interface FitScoreOptions {
  strategy: FitStrategy;
  /** Resource weights; `nvidia.com/gpu` is scored only when listed here and requested by the pod. */
  resources: { name: 'cpu' | 'memory' | 'nvidia.com/gpu'; weight: number }[];
  /** How many `nvidia.com/gpu` a node advertises per physical GPU (time-slicing replicas; 1 otherwise). */
  gpuReplicas?: number;
}

/** `nvidia.com/gpu` a pod requests: whole GPUs, a fractional need rounds up to one per GPU. */
export function gpuResourceRequest(pod: Pod): number {
  return pod.request.gpuCount;
}

/** `nvidia.com/gpu` requested on a node by the pods bound there (slots taken). */
export function gpuResourceUsed(node: NodeState): number {
  let used = 0;
  for (const g of node.gpus) used += g.usedSlots;
  return used;
}

/** The NodeResourcesFit filter: reasons as kube words them (`Insufficient cpu`, `Too many pods`...). */
export function nodeResourcesFitFilter(gpuReplicas = 1): FilterPlugin {
  return {
    name: 'NodeResourcesFit',
    filter(pod, node) {
      const r = pod.request;
      let reasons: string[] | null = null;
      if (node.podCount + 1 > node.maxPods) (reasons ??= []).push('Too many pods');
      if (r.cpuMilli > 0 && node.usedCpuMilli + r.cpuMilli > node.cpuMilli) (reasons ??= []).push('Insufficient cpu');
      if (r.memMiB > 0 && node.usedMemMiB + r.memMiB > node.memMiB) (reasons ??= []).push('Insufficient memory');
      const gpus = gpuResourceRequest(pod);
      if (gpus > 0 && gpuResourceUsed(node) + gpus > node.gpus.length * gpuReplicas) (reasons ??= []).push('Insufficient nvidia.com/gpu');
      return reasons;
    },
  };
}

/** The NodeResourcesFit score plugin with the configured strategy (non-zero request accounting for cpu/memory). */
export function nodeResourcesFitScore(options: FitScoreOptions): ScorePlugin {
  const fn = options.strategy === 'LeastAllocated' ? leastAllocatedScore : mostAllocatedScore;
  const replicas = options.gpuReplicas ?? 1;
  return {
    name: 'NodeResourcesFit',
    score(pod, node) {
      const r = pod.request;
      const use: ResourceUse[] = [];
      for (const res of options.resources) {
        if (res.name === 'cpu') use.push({ requested: node.nonZeroCpuMilli + (r.cpuMilli || 100), allocatable: node.cpuMilli, weight: res.weight });
        else if (res.name === 'memory') use.push({ requested: node.nonZeroMemMiB + (r.memMiB || 200), allocatable: node.memMiB, weight: res.weight });
        else {
          const want = gpuResourceRequest(pod);
          if (want === 0) continue; // an extended resource the pod does not request is skipped
          use.push({ requested: gpuResourceUsed(node) + want, allocatable: node.gpus.length * replicas, weight: res.weight });
        }
      }
      return fn(use);
    },
  };
}
