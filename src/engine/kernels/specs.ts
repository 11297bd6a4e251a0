/**
 * Which kernel computes a profile's filters and scores, as data. A profile without an entry runs on the
 * plugin path of FrameworkScheduler only (no engine). Mirrors the profile files' own wiring:
 * k8s-default → src/sched/profiles/k8sDefault.ts (NodeResourcesFit cpu:1 memory:1 [+ gpu], weight 1;
 * BalancedAllocation weight 1; NVIDIA device plugin without time-slicing); k8s-timeslicing →
 * src/sched/profiles/timeSlicing.ts (the same with `replicas` per GPU and the time-slicing allocator); fgd → src/sched/profiles/fgd.ts
 * (FGD score with the scenario's target workload; filters NodeResourcesFit, GPU model affinity, GPU-share fit);
 * random, dotprod, clustering, packing, bestfit → the same file's baselines (one score plugin at weight 1000).
 */
import type { Scenario } from '../../scenario/types.ts';
import { getProfile } from '../../sched/profiles/index.ts';
import { targetWorkloadFromScenario } from '../../sched/frag/target.ts';
import type { ClusterState } from '../../model/cluster.ts';
import { dotProdScoreOf } from '../../sched/plugins/fgdBaselines.ts';
import { FGD_MAX_GPUS } from './fgdTables.ts';
import type { FgdBaselinePolicy, KernelSpec } from './types.ts';

/**
 * Bias of each baseline's packed total (score + bias ≥ 0): dotprod scores 100·(1 − dot/2) with dot up to
 * (cpu/128000)² + (gpu/8000)², below 0 on nodes above 128 cores or 8 GPUs (≥ −200 covers dot ≤ 6: 16 GPUs and
 * 1.41×128 cores); clustering's in-band term trunc(25·(8000 − gpu_left)/8000) reaches −25 on 16 free GPUs.
 */
const BASELINE_BIAS: Record<FgdBaselinePolicy, number> = { random: 0, dotprod: 200, clustering: 25, packing: 0, bestfit: 0 };

/** The FGD baselines' profile names. */
export const FGD_BASELINES: readonly FgdBaselinePolicy[] = ['random', 'dotprod', 'clustering', 'packing', 'bestfit'];

/**
 * The kernel spec of a profile with options (defaults filled in), or null when no kernel covers it. `scenario`
 * is needed by profiles whose scoring depends on it (fgd's target workload); without it they get no kernel.
 */
export function kernelSpecFor(profile: string, options?: Record<string, unknown>, scenario?: Scenario): KernelSpec | null {
  const def = getProfile(profile);
  if (!def) return null;
  const o = { ...def.defaults, ...(options ?? {}) } as Record<string, unknown>;
  if (profile === 'k8s-default') {
    return {
      kind: 'k8s-fit',
      strategy: o.strategy === 'MostAllocated' ? 'MostAllocated' : 'LeastAllocated',
      cpuWeight: 1,
      memWeight: 1,
      gpuWeight: typeof o.gpuWeight === 'number' ? o.gpuWeight : 0,
      gpuReplicas: 1,
      fitWeight: 1,
      balancedWeight: 1,
    };
  }
  if (profile === 'k8s-timeslicing') {
    // src/sched/profiles/timeSlicing.ts: the same plugins as k8s-default with `replicas` nvidia.com/gpu per GPU
    // (NodeResourcesFit filter and score) and the time-slicing allocator. The replicas a pod gets on the chosen
    // node are picked on the CPU by the profile's allocator (EngineScheduler), as for every kernel.
    const replicas = typeof o.replicas === 'number' ? o.replicas : 4;
    return {
      kind: 'k8s-fit',
      strategy: o.strategy === 'MostAllocated' ? 'MostAllocated' : 'LeastAllocated',
      cpuWeight: 1,
      memWeight: 1,
      gpuWeight: typeof o.gpuWeight === 'number' ? o.gpuWeight : 0,
      gpuReplicas: replicas,
      fitWeight: 1,
      balancedWeight: 1,
      allocator: 'time-slicing',
    };
  }
  if (profile === 'fgd' && scenario) {
    // src/sched/profiles/fgd.ts: FgdPolicy(targetWorkloadFromScenario(scenario, coveragePct)), weight 1000.
    const target = targetWorkloadFromScenario(scenario, typeof o.coveragePct === 'number' ? o.coveragePct : 95);
    return { kind: 'fgd', classes: target.classes.map((c) => ({ cpuMilli: c.cpuMilli, gpuMilli: c.gpuMilli, gpuCount: c.gpuCount, models: c.models, weight: c.weight })) };
  }
  if ((FGD_BASELINES as readonly string[]).includes(profile)) {
    const policy = profile as FgdBaselinePolicy;
    return { kind: 'fgd-baseline', policy, bias: BASELINE_BIAS[policy] };
  }
  return null;
}

/**
 * Why the GPU kernel of a spec cannot hold a cluster, or null. The FGD kernels keep ≤ 16 GPUs per node in
 * registers; dotprod's lowest possible score on a node (every free CPU and GPU requested) must stay ≥ −bias.
 * The CPU twin has no such limits (EngineScheduler falls back to it when the GPU engine's attach throws).
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
