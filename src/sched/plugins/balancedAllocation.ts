/**
 * kube-scheduler NodeResourcesBalancedAllocation, v1.34 (≤ v1.35) formula: int((1 − std)·100) of the requested
 * fractions (capped at 1) over cpu and memory; for two resources std = |f_cpu − f_mem|/2. Uses the raw
 * requests (no 100 m / 200 MiB defaults); a pod requesting nothing is not scored (Skip → 0 here).
 */
import type { ScorePlugin } from '../framework.ts';
import { skipStatus, type Status } from '../status.ts';
import { resourceUsesOf, nodeRequestedOf, podResourceRequest, type PodRequests, type ResourceList, type ResourceWeight, type FieldError } from './nodeResourcesFit.ts';

/**
 * int((1 − population std of the fractions)·100); fractions already capped at 1. No fraction (no resource the
 * node has) means std 0, so 100, as kube's balancedResourceScorer computes it.
 */
export function balancedAllocationScore(fractions: readonly number[]): number {
  let std: number;
  if (fractions.length < 2) {
    std = 0;
  } else if (fractions.length === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else {
    const mean = fractions.reduce((s, f) => s + f, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) * (f - mean), 0) / fractions.length);
  }
  return Math.trunc((1 - std) * 100);
}

/**
 * The largest variance v ≥ 0 (a double ≤ 1) whose score trunc((1 − √v)·100) is still ≥ k, for k = 1..100 (index
 * k − 1). The score of 3+ fractions is non-increasing in the variance, so it equals the number of k with
 * v ≤ table[k − 1]: how the WGSL kernel scores three fractions without a square root.
 */
export function balancedVarianceThresholds(): number[] {
  const f64 = new Float64Array(1);
  const bits = new BigUint64Array(f64.buffer);
  const at = (b: bigint): number => {
    bits[0] = b;
    return f64[0];
  };
  const score = (v: number): number => Math.trunc((1 - Math.sqrt(v)) * 100);
  f64[0] = 1;
  const oneBits = bits[0];
  const out: number[] = [];
  for (let k = 1; k <= 100; k++) {
    // binary search over the bit patterns of [0, 1] (non-negative doubles order as their bits)
    let lo = 0n;
    let hi = oneBits;
    if (score(at(hi)) >= k) {
      out.push(1);
      continue;
    }
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (score(at(mid)) >= k) lo = mid;
      else hi = mid;
    }
    out.push(at(lo));
  }
  return out;
}

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  score(pod, node) {
    const r = pod.request;
    if (r.cpuMilli === 0 && r.memMiB === 0) return 0;
    const fCpu = node.cpuMilli > 0 ? Math.min(1, (node.usedCpuMilli + r.cpuMilli) / node.cpuMilli) : -1;
    const fMem = node.memMiB > 0 ? Math.min(1, (node.usedMemMiB + r.memMiB) / node.memMiB) : -1;
    // balancedAllocationScore over the fractions the node has, without building the array (hot path): two
    // fractions give std |f_cpu − f_mem|/2, fewer give std 0.
    const std = fCpu >= 0 && fMem >= 0 ? Math.abs((fCpu - fMem) / 2) : 0;
    return Math.trunc((1 - std) * 100);
  },
};

/** BalancedAllocation's result: a score, or the Skip status kube's PreScore gives a pod that requests nothing. */
export type BalancedResult = { score: number } | { status: Status };

/**
 * Validates NodeResourcesBalancedAllocationArgs (validation_pluginargs.go, v1.34): no duplicate resource, every
 * weight exactly 1. Empty when valid.
 */
export function validateBalancedAllocationArgs(resources: readonly ResourceWeight[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  resources.forEach((r, i) => {
    if (seen.has(r.name)) errors.push({ field: `resources[${i}].name`, type: 'FieldValueDuplicate', detail: r.name });
    seen.add(r.name);
    if (r.weight !== 1) errors.push({ field: `resources[${i}].weight`, type: 'FieldValueInvalid', detail: 'must be 1' });
  });
  return errors;
}

/**
 * BalancedAllocation on named resources (balanced_allocation.go, v1.34): raw requests (no non-zero defaults),
 * Skip when the pod requests none of the resources (best-effort pod), resources the node lacks and extended
 * resources the pod does not request left out, fractions capped at 1.
 */
export function balancedAllocationOf(resources: readonly ResourceWeight[], allocatable: ResourceList, existingPods: readonly PodRequests[], pod: PodRequests): BalancedResult {
  const podRequest = podResourceRequest(pod, null);
  if (resources.every((r) => (podRequest[r.name] ?? 0) === 0)) return { status: skipStatus('NodeResourcesBalancedAllocation') };
  const uses = resourceUsesOf(resources, nodeRequestedOf(existingPods, null), podRequest, allocatable);
  return { score: balancedAllocationScore(uses.map((u) => Math.min(1, u.requested / u.allocatable))) };
}
