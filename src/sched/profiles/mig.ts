/**
 * Profiles `k8s-mig` (static MIG: mig-parted layouts, the device plugin's mixed or single strategy, kube-scheduler
 * fitting MIG resources as scalars; src/sched/mig/k8sMig.ts) and `hami-mig` (HAMi v2.10.0 dynamic MIG;
 * src/sched/mig/hamiMigScheduler.ts). `k8s-mig` declares the k8s-fit kernel with the `mig` allocator (free
 * instances per profile packed per GPU, src/engine/kernels/migRows.ts); `hami-mig` declares none: its Fit is a
 * greedy placement search per card that stays on the CPU plugin path (docs/engine.md).
 */
import { prioritySort } from '../framework.ts';
import { balancedAllocation } from '../plugins/balancedAllocation.ts';
import { podTopologySpread, POD_TOPOLOGY_SPREAD_WEIGHT } from '../plugins/podTopologySpread.ts';
import { gpuModelAffinity } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitScore } from '../plugins/nodeResourcesFit.ts';
import { hamiMigInfo, k8sMigInfo, type HamiMigOptions, type K8sMigOptions } from '../../scenario/profileCatalog.ts';
import { HamiMigScheduler } from '../mig/hamiMigScheduler.ts';
import { K8sMigCluster, K8sMigScheduler, k8sMigAllocator, k8sMigFit } from '../mig/k8sMig.ts';
import { migPools } from '../mig/state.ts';
import type { ProfileDefinition } from './types.ts';
import { hamiConfigOf } from './hami.ts';
import { k8sFitKernel } from './k8sDefault.ts';
import { MIG_KERNEL_PROFILES, type K8sKernelSpec } from './kernelSpecs.ts';
import type { Scenario } from '../../scenario/types.ts';


export type { K8sMigOptions };

export const k8sMig: ProfileDefinition<K8sMigOptions> = {
  ...k8sMigInfo,
  create(o, env) {
    const mc = new K8sMigCluster(env.scenario.cluster, (m) => env.cluster.catalog[m]?.memMiB ?? 0, o.migStrategy);
    return new K8sMigScheduler({
      name: 'k8s-mig',
      queueSort: prioritySort,
      filters: [k8sMigFit(mc), gpuModelAffinity],
      scores: [
        { plugin: nodeResourcesFitScore({ strategy: o.strategy, resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] }), weight: 1 },
        { plugin: balancedAllocation, weight: 1 },
        { plugin: podTopologySpread(), weight: POD_TOPOLOGY_SPREAD_WEIGHT },
      ],
      allocator: k8sMigAllocator(mc),
      tieBreak: { kind: 'reservoir' },
      percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
    }, mc);
  },
  // kernel shaders/filterScoreK8s.wgsl: NodeResourcesFit cpu:1 memory:1 weight 1, BalancedAllocation weight 1, the
  // MIG resources counted from the layouts' free instances; the kubelet's pick of instances stays on the CPU
  kernel: (o, scenario) => (scenario ? k8sMigKernel(o, scenario) : null),
};

/**
 * k8s-mig's kernel spec for a scenario's MIG pools, or null when their layouts create more profiles than the
 * kernel counts (then the plugin path runs it).
 */
export function k8sMigKernel(o: K8sMigOptions, scenario: Scenario): K8sKernelSpec | null {
  const pools = migPools(scenario.cluster);
  const profiles = [...new Set([...pools.values()].flatMap((p) => p.instances.map((i) => i.profile)))];
  if (profiles.length > MIG_KERNEL_PROFILES) return null;
  const spec = k8sFitKernel({ strategy: o.strategy }, 1, 'mig');
  spec.mig = { strategy: o.migStrategy, pools: [...pools.values()], poolNames: [...pools.keys()], profiles };
  return spec;
}

export const hamiMig: ProfileDefinition<HamiMigOptions> = {
  ...hamiMigInfo,
  create(o, env) {
    return new HamiMigScheduler(hamiConfigOf('hami-mig', o), migPools(env.scenario.cluster), o.migCreateDelayS);
  },
};

/** The MIG profiles, in display order. */
export const MIG_PROFILES = [k8sMig, hamiMig] as const;
