/**
 * kube-scheduler NodeResourcesBalancedAllocation, v1.34 (≤ v1.35) formula: int((1 − std)·100) of the requested
 * fractions (capped at 1) over cpu and memory; for two resources std = |f_cpu − f_mem|/2. Uses the raw
 * requests (no 100 m / 200 MiB defaults); a pod requesting nothing is not scored (Skip → 0 here).
 */
import type { ScorePlugin } from '../framework.ts';

/** int((1 − population std of the fractions)·100); fractions already capped at 1. */
export function balancedAllocationScore(fractions: readonly number[]): number {
  if (fractions.length === 0) return 0;
  let std: number;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else {
    const mean = fractions.reduce((s, f) => s + f, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) * (f - mean), 0) / fractions.length);
  }
  return Math.trunc((1 - std) * 100);
}

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  score(pod, node) {
    const r = pod.request;
    if (r.cpuMilli === 0 && r.memMiB === 0) return 0;
    const fCpu = node.cpuMilli > 0 ? Math.min(1, (node.usedCpuMilli + r.cpuMilli) / node.cpuMilli) : -1;
    const fMem = node.memMiB > 0 ? Math.min(1, (node.usedMemMiB + r.memMiB) / node.memMiB) : -1;
    return balancedAllocationScore([fCpu, fMem].filter((f) => f >= 0));
  },
};
