/**
 * A profile's kernel spec, as the profile declares it beside its defaults (ProfileDefinition.kernel,
 * src/sched/profiles/*.ts; the spec types in sched/profiles/kernelSpecs.ts). A profile without a declaration runs
 * on its scheduler's plugin path only.
 */
import type { Scenario } from '../../scenario/types.ts';
import { getProfile } from '../../sched/profiles/index.ts';
import type { ClusterState } from '../../model/cluster.ts';
import { dotProdScoreOf } from '../../sched/plugins/fgdBaselines.ts';
import { FGD_MAX_GPUS } from './fgdTables.ts';
import type { FgdBaselinePolicy, HamiKernelSpec, KernelSpec, ProfileKernel, VolcanoKernelSpec } from '../../sched/profiles/kernelSpecs.ts';

/** The FGD baselines' profile names. */
export const FGD_BASELINES: readonly FgdBaselinePolicy[] = ['random', 'dotprod', 'clustering', 'packing', 'bestfit'];

/**
 * The kernel a profile declares for options (defaults filled in) and a scenario, or null (no declaration, or one
 * that does not cover them). `scenario` is needed by profiles whose scoring depends on it (fgd's target workload).
 */
export function profileKernelFor(profile: string, options?: Record<string, unknown>, scenario?: Scenario): ProfileKernel | null {
  const def = getProfile(profile);
  if (!def?.kernel) return null;
  return def.kernel({ ...def.defaults, ...(options ?? {}) }, scenario);
}

/** The k8s/FGD/baselines kernel spec (the `Engine` interface's) of a profile, or null. */
export function kernelSpecFor(profile: string, options?: Record<string, unknown>, scenario?: Scenario): KernelSpec | null {
  const k = profileKernelFor(profile, options, scenario);
  return k && k.kind !== 'hami' && k.kind !== 'volcano' ? k : null;
}

/** The HAMi kernel spec of a profile, or null for a profile that is not HAMi. */
export function hamiKernelSpecFor(profile: string, options?: Record<string, unknown>): HamiKernelSpec | null {
  const k = profileKernelFor(profile, options);
  return k?.kind === 'hami' ? k : null;
}

/** The Volcano kernel spec of a profile, or null for other profiles (or a configuration the kernel does not cover). */
export function volcanoKernelSpecFor(profile: string, options?: Record<string, unknown>): VolcanoKernelSpec | null {
  const k = profileKernelFor(profile, options);
  return k?.kind === 'volcano' ? k : null;
}

/**
 * Why the GPU kernel of a spec cannot hold a cluster, or null. The FGD kernels keep ≤ 16 GPUs per node in
 * registers; dotprod's lowest possible score on a node (every free CPU and GPU requested) must stay ≥ −bias.
 * The CPU twin has no such limits (FrameworkEvaluator falls back to it when the GPU engine's attach throws).
 */
export function kernelLimitError(spec: KernelSpec, cluster: ClusterState): string | null {
  if (spec.kind === 'k8s-fit') return null;
  for (const n of cluster.nodes) {
    if (n.gpus.length > FGD_MAX_GPUS) return `the ${spec.kind === 'fgd' ? 'FGD' : spec.policy} kernel handles at most ${FGD_MAX_GPUS} GPUs per node (${n.name} has ${n.gpus.length})`;
    if (spec.kind === 'fgd-baseline' && spec.policy === 'dotprod') {
      const worst = dotProdScoreOf(n.cpuMilli, n.gpus.length * 1000, n.cpuMilli, n.gpus.length * 1000);
      if (worst < -spec.bias) return `the dotprod kernel's totals start at −${spec.bias}; node ${n.name} can score ${worst}`;
    }
  }
  return null;
}
