/**
 * Practical limits per profile (issue 19 item 6): the largest cluster, in nodes, whose day of about four pods per
 * node one run simulates in about a minute on a 2-core machine, measured with scripts/scaleBench.ts
 * (docs/benchmarks.md, "Practical limits"). Above its limit the app asks before running to the end, and shows
 * progress with Cancel while it runs (ui/stores/longRun.ts).
 */
import type { Scenario } from './types.ts';

/** Nodes per profile that run within about a minute (docs/benchmarks.md); a profile not listed uses DEFAULT_LIMIT_NODES. */
export const PRACTICAL_LIMIT_NODES: Readonly<Record<string, number>> = {
  'k8s-default': 16_000,
  'k8s-timeslicing': 16_000,
  'hami-binpack': 12_000,
  'hami-spread': 12_000,
  'hami-topology': 12_000,
  fgd: 8_000,
  random: 8_000,
  dotprod: 8_000,
  clustering: 8_000,
  packing: 8_000,
  bestfit: 8_000,
  volcano: 1_500,
  'volcano-hami': 1_500,
  // Measured on the same scale scenario, whose pools carry no MIG layout (docs/benchmarks.md says what that means).
  'k8s-mig': 4_000,
  'hami-mig': 4_000,
  // The structured allocator's search runs per node and claim (sched/dra/allocator.ts).
  'k8s-dra': 1_500,
  'hami-dra': 1_000,
};

/** The limit of a profile without a measured one (the smallest measured). */
export const DEFAULT_LIMIT_NODES = 1_500;

/**
 * Why a run of this scenario may take minutes, or null when every scheduler is within its limit: names the
 * scenario's node count and each profile over its limit.
 */
export function scaleWarning(s: Pick<Scenario, 'cluster' | 'schedulers'>): string | null {
  const nodes = s.cluster.pools.reduce((n, p) => n + p.count, 0);
  const over = [...new Set(s.schedulers.map((x) => x.profile))].filter((p) => nodes > (PRACTICAL_LIMIT_NODES[p] ?? DEFAULT_LIMIT_NODES));
  if (over.length === 0) return null;
  const list = over.map((p) => `${p} (about ${(PRACTICAL_LIMIT_NODES[p] ?? DEFAULT_LIMIT_NODES).toLocaleString('en-US')} nodes a minute)`).join(', ');
  return `This cluster has ${nodes.toLocaleString('en-US')} nodes, more than ${list} simulates in about a minute on a 2-core machine: the run may take several minutes (you can cancel it). Run it?`;
}
