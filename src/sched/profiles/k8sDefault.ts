/**
 * Profile `k8s-default`: kube-scheduler v1.34 default plugins with the NVIDIA device plugin (whole GPUs, no
 * sharing, no gang). Scores: NodeResourcesFit LeastAllocated over cpu:1, memory:1 (weight 1) and
 * BalancedAllocation (weight 1), and PodTopologySpread's system-default constraints (weight 2) for the pods a
 * ReplicaSet owns (plugins/podTopologySpread.ts); the other default score plugins (TaintToleration, NodeAffinity,
 * ImageLocality, InterPodAffinity) give every node the same score in our model and are left out.
 * Ties: uniform at random from the seeded RNG (reservoir sampling). percentageOfNodesToScore: adaptive.
 */
import { prioritySort } from '../framework.ts';
import { balancedAllocation } from '../plugins/balancedAllocation.ts';
import { podTopologySpread, POD_TOPOLOGY_SPREAD_WEIGHT } from '../plugins/podTopologySpread.ts';
import { gpuModelAffinity } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from '../plugins/nodeResourcesFit.ts';
import { wholeGpuAllocator } from '../plugins/wholeGpuAllocator.ts';
import { FrameworkScheduler } from '../runner.ts';
import { k8sDefaultInfo, type K8sDefaultOptions } from '../../scenario/profileCatalog.ts';
import type { ProfileDefinition } from './types.ts';
import type { K8sKernelSpec } from './kernelSpecs.ts';

export type { K8sDefaultOptions };

export const k8sDefault: ProfileDefinition<K8sDefaultOptions> = {
  ...k8sDefaultInfo,
  // kernel shaders/filterScoreK8s.wgsl: NodeResourcesFit cpu:1 memory:1 [+ gpu] weight 1, BalancedAllocation weight 1, whole GPUs
  kernel: (o) => k8sFitKernel(o, 1),
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
        { plugin: podTopologySpread(), weight: POD_TOPOLOGY_SPREAD_WEIGHT },
      ],
      allocator: wholeGpuAllocator,
      tieBreak: { kind: 'reservoir' },
      percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
      cacheByNodeVersion: true,
    });
  },
};

/**
 * The k8s-fit kernel spec of k8s-default's options (and k8s-timeslicing's: `replicas` nvidia.com/gpu per GPU and
 * the time-slicing allocator; the replicas a pod gets on the chosen node are picked on the CPU by the allocator).
 */
export function k8sFitKernel(o: Partial<Pick<K8sDefaultOptions, 'strategy' | 'gpuWeight'>>, replicas: number, allocator?: 'time-slicing' | 'mig'): K8sKernelSpec {
  const spec: K8sKernelSpec = {
    kind: 'k8s-fit',
    strategy: o.strategy === 'MostAllocated' ? 'MostAllocated' : 'LeastAllocated',
    cpuWeight: 1,
    memWeight: 1,
    gpuWeight: typeof o.gpuWeight === 'number' ? o.gpuWeight : 0,
    gpuReplicas: replicas,
    fitWeight: 1,
    balancedWeight: 1,
  };
  if (allocator) spec.allocator = allocator;
  return spec;
}
