/**
 * Which kernel computes a profile's filters and scores, as data. A profile without an entry runs on the
 * plugin path of FrameworkScheduler only (no engine). Mirrors the profile files' own wiring:
 * k8s-default → src/sched/profiles/k8sDefault.ts (NodeResourcesFit cpu:1 memory:1 [+ gpu], weight 1;
 * BalancedAllocation weight 1; NVIDIA device plugin without time-slicing); fgd → src/sched/profiles/fgd.ts
 * (FGD score with the scenario's target workload; filters NodeResourcesFit, GPU model affinity, GPU-share fit).
 */
import type { Scenario } from '../scenario/types.ts';
import { getProfile } from '../sched/profiles/index.ts';
import { targetWorkloadFromScenario } from '../sched/frag/target.ts';
import type { KernelSpec } from './types.ts';

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
  if (profile === 'fgd' && scenario) {
    // src/sched/profiles/fgd.ts: FgdPolicy(targetWorkloadFromScenario(scenario, coveragePct)), weight 1000.
    const target = targetWorkloadFromScenario(scenario, typeof o.coveragePct === 'number' ? o.coveragePct : 95);
    return { kind: 'fgd', classes: target.classes.map((c) => ({ cpuMilli: c.cpuMilli, gpuMilli: c.gpuMilli, gpuCount: c.gpuCount, models: c.models, weight: c.weight })) };
  }
  return null;
}
