/**
 * TypeScript twin of `shaders/filterScoreK8s.wgsl`: one packed result per (pod, node) candidate.
 * Feasible → the weighted total (< 2^31); infeasible → INFEASIBLE | reason bits.
 *
 * Filters (kube-scheduler v1.34 NodeResourcesFit fit.go, NodeAffinity on `nvidia.com/gpu.product`, NVIDIA
 * device plugin without sharing, or with time-slicing replicas), in the order FrameworkScheduler runs them:
 * NodeResourcesFit collects all its reasons; NodeAffinity only when it passes; the allocator (whole GPUs: lowest
 * free healthy GPUs; time-slicing: free replicas on healthy GPUs) last. k8s-mig (allocator `mig`): on a MIG node or
 * for a MIG request, NodeResourcesFit's GPU check is the free instances of the pod's resource (kernels/migRows.ts).
 * Scores: NodeResourcesFit least_allocated.go / most_allocated.go (integer division) and BalancedAllocation
 * balanced_allocation.go v1.34 (float64, as kube and src/sched/plugins/balancedAllocation.ts compute it;
 * the WGSL kernel reproduces the float64 rounding with integer arithmetic in shaders/lib/softDouble.wgsl).
 */
import { GPU_WORDS, POD_WORDS } from '../kernels/state.ts';
import { MIG_MAX_PROFILES } from '../kernels/migRows.ts';
import { INFEASIBLE, type K8sKernelSpec } from '../kernels/types.ts';
import { R_GPU, gpuBaseOf, kubeFilter, nodeRowOf } from './filterPrologue.ts';

/** Per-resource LeastAllocated/MostAllocated score (kube integer math): ((alloc − req)·100)/alloc etc. */
function resourceScore(mostAllocated: boolean, requested: number, allocatable: number): number {
  if (mostAllocated) return Math.trunc((Math.min(requested, allocatable) * 100) / allocatable);
  return requested > allocatable ? 0 : Math.trunc(((allocatable - requested) * 100) / allocatable);
}

/** Free instances in a GPU's MIG word for a pod's MIG word: its profile's 4 bits, or every profile's for 0. */
function migFree(word: number, ask: number): number {
  if (ask > MIG_MAX_PROFILES) return 0;
  if (ask !== 0) return (word >>> (4 * (ask - 1))) & 15;
  let n = 0;
  for (let k = 0; k < MIG_MAX_PROFILES; k++) n += (word >>> (4 * k)) & 15;
  return n;
}

/** Packed result of pod `p` (row of `pods`) on node `local` of its cluster (row pods[nodeBase] + local of `nodes`). */
export function filterScoreK8s(spec: K8sKernelSpec, nodes: Uint32Array, gpus: Uint32Array, local: number, pods: Uint32Array, p: number): number {
  const q = p * POD_WORDS;
  const o = nodeRowOf(pods, p, local);
  const cpu = nodes[o];
  const mem = nodes[o + 1];
  const usedCpu = nodes[o + 4];
  const usedMem = nodes[o + 5];
  const gpuOffset = gpuBaseOf(pods, p, nodes, o);
  const gpuCount = nodes[o + 9];
  const reqCpu = pods[q];
  const reqMem = pods[q + 1];
  const want = pods[q + 2];
  const replicas = spec.gpuReplicas;
  let slots = 0;
  let freeWhole = 0;
  let freeReplicas = 0;
  for (let g = 0; g < gpuCount; g++) {
    const b = (gpuOffset + g) * GPU_WORDS;
    slots += gpus[b + 3];
    if (gpus[b + 3] === 0 && gpus[b] === 0 && gpus[b + 7] === 1) freeWhole++;
    if (gpus[b + 7] === 1 && gpus[b + 3] < replicas) freeReplicas += replicas - gpus[b + 3];
  }
  const ask = pods[q + 11];
  const migNode = nodes[o + 11];
  if (spec.allocator === 'mig' && (migNode !== 0 || ask !== 0)) {
    // k8s-mig (src/sched/mig/k8sMig.ts k8sMigFit): cpu, memory and pods as usual, and the pod's resource short
    // when its free instances on the node (GPU word 6, 4 bits per profile; all profiles for a single-strategy
    // whole-GPU pod) are fewer than it asks; none off MIG nodes or on a mixed-strategy MIG node for whole GPUs.
    let free = 0;
    if (migNode !== 0 && (ask !== 0 || migNode === 2)) {
      for (let g = 0; g < gpuCount; g++) free += migFree(gpus[(gpuOffset + g) * GPU_WORDS + 6], ask);
    }
    const short = kubeFilter(nodes, o, pods, q, want > free);
    if (short !== 0) return short;
  } else {
    // NodeResourcesFit (every reason, gpuReplicas slots per GPU), then NodeAffinity on the GPU model (GPU pods only).
    const infeasible = kubeFilter(nodes, o, pods, q, want > 0 && slots + want > gpuCount * replicas);
    if (infeasible !== 0) return infeasible;
    // The allocator: whole GPUs need `want` free healthy GPUs; time-slicing needs `want` free replicas on healthy
    // GPUs (distributeReplicas takes one replica at a time from the least used GPU: possible iff that many exist).
    if (want > 0 && (spec.allocator === 'time-slicing' ? freeReplicas : freeWhole) < want) return (INFEASIBLE | R_GPU) >>> 0;
  }

  // NodeResourcesFit score over cpu, memory (non-zero requests: 100 m / 200 MiB defaults) and optionally GPUs.
  const most = spec.strategy === 'MostAllocated';
  let sum = 0;
  let weights = 0;
  if (cpu > 0) {
    sum += spec.cpuWeight * resourceScore(most, nodes[o + 6] + (reqCpu || 100), cpu);
    weights += spec.cpuWeight;
  }
  if (mem > 0) {
    sum += spec.memWeight * resourceScore(most, nodes[o + 7] + (reqMem || 200), mem);
    weights += spec.memWeight;
  }
  const gpuAlloc = gpuCount * replicas;
  if (spec.gpuWeight > 0 && want > 0 && gpuAlloc > 0) {
    sum += spec.gpuWeight * resourceScore(most, slots + want, gpuAlloc);
    weights += spec.gpuWeight;
  }
  const fit = weights === 0 ? 0 : Math.trunc(sum / weights);

  // BalancedAllocation v1.34: raw requests, fractions capped at 1, resources with capacity 0 skipped.
  let balanced = 0;
  if (reqCpu !== 0 || reqMem !== 0) {
    if (cpu > 0 && mem > 0) {
      const fc = Math.min(1, (usedCpu + reqCpu) / cpu);
      const fm = Math.min(1, (usedMem + reqMem) / mem);
      balanced = Math.trunc((1 - Math.abs((fc - fm) / 2)) * 100);
    } else if (cpu > 0 || mem > 0) {
      balanced = 100; // one fraction: std = 0
    }
  }
  return spec.fitWeight * fit + spec.balancedWeight * balanced;
}
