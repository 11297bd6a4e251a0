/**
 * Profiles `k8s-mig` (static MIG: mig-parted layouts, the device plugin's mixed or single strategy, kube-scheduler
 * fitting MIG resources as scalars; src/sched/mig/k8sMig.ts) and `hami-mig` (HAMi v2.10.0 dynamic MIG;
 * src/sched/mig/hamiMigScheduler.ts). Neither declares a kernel: their per-node step reads MIG placements the
 * engine's kernels do not pack, so both run on the CPU plugin path (docs/engine.md).
 */
import { prioritySort } from '../framework.ts';
import { balancedAllocation } from '../plugins/balancedAllocation.ts';
import { gpuModelAffinity } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitScore } from '../plugins/nodeResourcesFit.ts';
import { hamiMigInfo, k8sMigInfo, type HamiOptions, type K8sMigOptions } from '../../scenario/profileCatalog.ts';
import { HamiMigScheduler } from '../mig/hamiMigScheduler.ts';
import { K8sMigCluster, K8sMigScheduler, k8sMigAllocator, k8sMigFit } from '../mig/k8sMig.ts';
import { migPools } from '../mig/state.ts';
import type { ProfileDefinition } from './types.ts';

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
      ],
      allocator: k8sMigAllocator(mc),
      tieBreak: { kind: 'reservoir' },
      percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
    }, mc);
  },
};

export const hamiMig: ProfileDefinition<HamiOptions> = {
  ...hamiMigInfo,
  create(o, env) {
    return new HamiMigScheduler(
      {
        name: 'hami-mig',
        nodePolicy: o.nodePolicy,
        gpuPolicy: o.gpuPolicy,
        splitCount: o.splitCount,
        memoryScaling: o.memoryScaling,
        request: { memoryFactor: 1, defaultMemMiB: o.defaultMemMiB, defaultCores: o.defaultCores },
        weights: { slot: o.slotWeight, core: o.coreWeight, memory: o.memoryWeight },
        scoreRequestTerms: o.scoreRequestTerms,
        percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
      },
      migPools(env.scenario.cluster),
    );
  },
};

/** The MIG profiles, in display order. */
export const MIG_PROFILES = [k8sMig, hamiMig] as const;
