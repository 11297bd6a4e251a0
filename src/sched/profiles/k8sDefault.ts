/**
 * Profile `k8s-default`: kube-scheduler v1.34 default plugins with the NVIDIA device plugin (whole GPUs, no
 * sharing, no gang). Scores: NodeResourcesFit LeastAllocated over cpu:1, memory:1 (weight 1) and
 * BalancedAllocation (weight 1); the other default score plugins (TaintToleration, NodeAffinity, ImageLocality,
 * PodTopologySpread, InterPodAffinity) give every node the same score in our model and are left out.
 * Ties: uniform at random from the seeded RNG (reservoir sampling). percentageOfNodesToScore: adaptive.
 */
import { prioritySort } from '../framework.ts';
import { balancedAllocation } from '../plugins/balancedAllocation.ts';
import { gpuModelAffinity } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from '../plugins/nodeResourcesFit.ts';
import { wholeGpuAllocator } from '../plugins/wholeGpuAllocator.ts';
import { FrameworkScheduler } from '../runner.ts';
import { k8sDefaultInfo, type K8sDefaultOptions } from '../../scenario/profileCatalog.ts';
import type { ProfileDefinition } from './types.ts';

export type { K8sDefaultOptions };

export const k8sDefault: ProfileDefinition<K8sDefaultOptions> = {
  ...k8sDefaultInfo,
  create(o) {
    const resources: { name: 'cpu' | 'memory' | 'nvidia.com/gpu'; weight: number }[] = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ];
    if (o.gpuWeight > 0) resources.push({ name: 'nvidia.com/gpu', weight: o.gpuWeight });
    return new FrameworkScheduler({
      name: 'k8s-default',
      queueSort: prioritySort,
      filters: [nodeResourcesFitFilter(1), gpuModelAffinity],
      scores: [
        { plugin: nodeResourcesFitScore({ strategy: o.strategy, resources }), weight: 1 },
        { plugin: balancedAllocation, weight: 1 },
      ],
      allocator: wholeGpuAllocator,
      tieBreak: { kind: 'reservoir' },
      percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
      cacheByNodeVersion: true,
    });
  },
};
