/**
 * Profiles `volcano` and `volcano-hami`: the Volcano batch scheduler, v1.15 (src/sched/volcano/). Actions
 * enqueue → allocate → backfill, with preempt and reclaim as switches; plugin tiers [priority, gang],
 * [overcommit, drf, predicates, proportion, nodeorder] plus binpack as the Helm chart adds it. `volcano` hands
 * out whole GPUs through the NVIDIA device plugin; `volcano-hami` lets Volcano's deviceshare plugin place
 * HAMi-core vGPU slices (memory + cores per card) itself.
 */
import { DEVICESHARE_SPREAD_NOTE, type DeviceSharePolicy } from '../volcano/deviceshare.ts';
import { VolcanoScheduler } from '../volcano/scheduler.ts';
import type { ActionName, SessionConfig } from '../volcano/session.ts';
import type { Knob, ProfileDefinition } from './types.ts';

export interface VolcanoOptions {
  /** Add the preempt action (lower-priority jobs of the same queue give way). */
  preempt: boolean;
  /** Add the reclaim action (overused reclaimable queues give back to others). */
  reclaim: boolean;
  /** overcommit plugin factor for enqueue admission (idle = total × factor − used). */
  overcommitFactor: number;
  /** binpack.weight (0 = binpack off). */
  binpackWeight: number;
  binpackCpu: number;
  binpackMemory: number;
  /** binpack.resources weight of nvidia.com/gpu (0 = not listed, the chart's default). */
  binpackGpu: number;
}

export interface VolcanoHamiOptions extends VolcanoOptions {
  /** deviceshare.SchedulePolicy: GPU order and score inside a node. */
  deviceSharePolicy: DeviceSharePolicy;
  /** deviceshare.ScheduleWeight (0 = device score off). */
  deviceShareWeight: number;
  /** Sharers per GPU (device plugin deviceSplitCount). */
  splitCount: number;
}

const COMMON_KNOBS: Knob[] = [
  { key: 'preempt', label: 'preempt action', kind: 'bool', help: 'Let starving jobs evict lower-priority jobs of the same queue, trying nodes in score order. Our model never takes a gang below minAvailable (a plain pod is a gang of 1, so it is never evicted); Volcano v1.15\'s tiered victim selection can.' },
  { key: 'reclaim', label: 'reclaim action', kind: 'bool', help: 'Let jobs of a queue below its deserved share evict from reclaimable queues above theirs. Our model respects gang minAvailable and deserved shares; Volcano v1.15\'s tiered victim selection does neither reliably.' },
  { key: 'overcommitFactor', label: 'overcommit factor', kind: 'number', min: 1, max: 10, help: 'enqueue admits a PodGroup while inqueue + minResources ≤ total × factor − used (Volcano default 1.2).' },
  { key: 'binpackWeight', label: 'binpack.weight', kind: 'int', min: 0, max: 100, help: 'Weight of the binpack score (100 · weight · Σ w_r·(used_r + req_r)/alloc_r ÷ Σ w_r); 0 turns binpack off.' },
  { key: 'binpackCpu', label: 'binpack.cpu', kind: 'int', min: 0, max: 100, help: 'binpack weight of CPU.' },
  { key: 'binpackMemory', label: 'binpack.memory', kind: 'int', min: 0, max: 100, help: 'binpack weight of memory.' },
  { key: 'binpackGpu', label: 'binpack.resources nvidia.com/gpu', kind: 'int', min: 0, max: 100, help: 'binpack weight of GPUs (0: GPUs not listed in binpack.resources, the Helm chart default).' },
];

const COMMON_DEFAULTS: VolcanoOptions = { preempt: false, reclaim: false, overcommitFactor: 1.2, binpackWeight: 1, binpackCpu: 1, binpackMemory: 1, binpackGpu: 0 };

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
  };
}

/** Profile `volcano`: Volcano v1.15 with whole GPUs from the NVIDIA device plugin. */
export const volcano: ProfileDefinition<VolcanoOptions> = {
  name: 'volcano',
  title: 'Volcano (gang, queues, binpack)',
  summary: 'Gang scheduling all-or-nothing, fair-share queues (proportion), drf job order, binpack; whole GPUs.',
  models: 'Volcano v1.15 scheduler (enqueue, allocate, backfill; optional preempt, reclaim), NVIDIA device plugin',
  knobs: COMMON_KNOBS,
  defaults: COMMON_DEFAULTS,
  create(o, env) {
    return new VolcanoScheduler('volcano', volcanoSessionConfig(o, { kind: 'whole' }), env.scenario.queues);
  },
};

/** Profile `volcano-hami`: Volcano v1.15 placing vGPU slices with its deviceshare plugin. */
export const volcanoHami: ProfileDefinition<VolcanoHamiOptions> = {
  name: 'volcano-hami',
  title: 'Volcano + vGPU (deviceshare)',
  summary: 'Volcano gangs and queues, with GPU slices (memory + cores) placed by the deviceshare plugin.',
  models: 'Volcano v1.15 scheduler with deviceshare vGPU (HAMi-core), split count 10',
  knobs: [
    ...COMMON_KNOBS,
    { key: 'deviceSharePolicy', label: 'deviceshare.SchedulePolicy', kind: 'choice', choices: ['binpack', 'spread'], help: `binpack: cards with the most used memory first, score 100·usedMem/memory. spread: cards with the fewest sharers first. ${DEVICESHARE_SPREAD_NOTE}` },
    { key: 'deviceShareWeight', label: 'deviceshare.ScheduleWeight', kind: 'int', min: 0, max: 100, help: 'Multiplies the device score in the node score (the vGPU user guide uses 10; 0 = no device score).' },
    { key: 'splitCount', label: 'deviceSplitCount', kind: 'int', min: 1, max: 64, help: 'How many pods may share one GPU.' },
  ],
  defaults: { ...COMMON_DEFAULTS, deviceSharePolicy: 'binpack', deviceShareWeight: 10, splitCount: 10 },
  create(o, env) {
    const cfg = volcanoSessionConfig(o, { kind: 'vgpu', cfg: { policy: o.deviceSharePolicy, weight: o.deviceShareWeight, splitCount: o.splitCount } });
    return new VolcanoScheduler('volcano-hami', cfg, env.scenario.queues);
  },
};
