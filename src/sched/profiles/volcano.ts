/**
 * Profiles `volcano` and `volcano-hami`: the Volcano batch scheduler, v1.15 (src/sched/volcano/). Actions
 * enqueue → allocate → backfill, with preempt and reclaim as switches; plugin tiers [priority, gang, conformance],
 * [overcommit, drf, predicates, proportion, nodeorder] plus binpack as the Helm chart adds it; the victim
 * functions of those tiers as the Helm chart or the scheduler's built-in configuration sets them (victimTiers). `volcano` hands
 * out whole GPUs through the NVIDIA device plugin; `volcano-hami` lets Volcano's deviceshare plugin place
 * HAMi-core vGPU slices (memory + cores per card) itself.
 */
import { VolcanoScheduler } from '../volcano/scheduler.ts';
import type { ActionName, SessionConfig } from '../volcano/session.ts';
import { volcanoHamiInfo, volcanoInfo, type VolcanoHamiOptions, type VolcanoOptions } from '../../scenario/profileCatalog.ts';
import type { ProfileDefinition } from './types.ts';
import { volcanoKernelSpecOf } from './kernelSpecs.ts';
import { VICTIM_TIER_PRESETS } from '../volcano/victims.ts';

export type { VolcanoHamiOptions, VolcanoOptions };

/** The session configuration a profile's options describe. */
export function volcanoSessionConfig(o: VolcanoOptions, devices: SessionConfig['devices']): SessionConfig {
  const actions: ActionName[] = ['enqueue', 'allocate'];
  if (o.preempt) actions.push('preempt');
  if (o.reclaim) actions.push('reclaim');
  actions.push('backfill');
  const resources: Record<string, number> = { cpu: o.binpackCpu, memory: o.binpackMemory };
  if (o.binpackGpu > 0) resources['nvidia.com/gpu'] = o.binpackGpu;
  return {
    actions,
    enqueueConfigured: true,
    proportion: { allocatable: true, overused: true, jobEnqueue: true, queueOrder: true, reclaimable: true },
    overcommitFactor: o.overcommitFactor,
    priority: true,
    gang: true,
    drf: true,
    binpack: o.binpackWeight > 0 ? { weight: o.binpackWeight, resources } : null,
    nodeorder: { leastRequested: 1, balancedResource: 1 },
    devices,
    victimTiers: VICTIM_TIER_PRESETS[o.victimTiers],
  };
}

/** Profile `volcano`: Volcano v1.15 with whole GPUs from the NVIDIA device plugin. */
export const volcano: ProfileDefinition<VolcanoOptions> = {
  ...volcanoInfo,
  // kernels shaders/filterScoreVolcano.wgsl + selectMaxKey.wgsl, from the session configuration
  kernel: (o) => volcanoKernelSpecOf(volcanoSessionConfig(o, { kind: 'whole' })),
  create(o, env) {
    return new VolcanoScheduler('volcano', volcanoSessionConfig(o, { kind: 'whole' }), env.scenario.queues);
  },
};

/** Profile `volcano-hami`: Volcano v1.15 placing vGPU slices with its deviceshare plugin. */
export const volcanoHami: ProfileDefinition<VolcanoHamiOptions> = {
  ...volcanoHamiInfo,
  kernel: (o) => volcanoKernelSpecOf(volcanoHamiSessionConfig(o)),
  create(o, env) {
    return new VolcanoScheduler('volcano-hami', volcanoHamiSessionConfig(o), env.scenario.queues);
  },
};

/** volcano-hami's session: the common one with deviceshare vGPU slices. */
function volcanoHamiSessionConfig(o: VolcanoHamiOptions): SessionConfig {
  return volcanoSessionConfig(o, { kind: 'vgpu', cfg: { policy: o.deviceSharePolicy, weight: o.deviceShareWeight, splitCount: o.splitCount } });
}
