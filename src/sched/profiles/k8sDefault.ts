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
import { nodeResourcesFitFilter, nodeResourcesFitScore, type FitStrategy } from '../plugins/nodeResourcesFit.ts';
import { wholeGpuAllocator } from '../plugins/wholeGpuAllocator.ts';
import { FrameworkScheduler } from '../runner.ts';
import type { ProfileDefinition } from './types.ts';

export interface K8sDefaultOptions {
  /** NodeResourcesFit scoring strategy (default LeastAllocated). */
  strategy: FitStrategy;
  /** Weight of `nvidia.com/gpu` in NodeResourcesFit scoring (0 = not scored, the default). */
  gpuWeight: number;
  /** percentageOfNodesToScore: 0 = adaptive (the default), else 1..100. */
  percentageOfNodesToScore: number;
}

export const k8sDefault: ProfileDefinition<K8sDefaultOptions> = {
  name: 'k8s-default',
  title: 'Kubernetes default + NVIDIA device plugin',
  summary: 'Whole GPUs only; spreads pods by LeastAllocated CPU/memory; no gang scheduling.',
  models: 'kube-scheduler v1.34, k8s-device-plugin (no sharing)',
  knobs: [
    { key: 'strategy', label: 'NodeResourcesFit strategy', kind: 'choice', choices: ['LeastAllocated', 'MostAllocated'], help: 'LeastAllocated spreads pods over nodes; MostAllocated packs them.' },
    { key: 'gpuWeight', label: 'nvidia.com/gpu score weight', kind: 'int', min: 0, max: 100, help: 'Also score GPUs in NodeResourcesFit (0: GPUs are filtered but not scored, the default).' },
    { key: 'percentageOfNodesToScore', label: 'percentageOfNodesToScore', kind: 'int', min: 0, max: 100, help: '0 = adaptive (max(50 − N/125, 5)% of nodes, at least 100).' },
  ],
  defaults: { strategy: 'LeastAllocated', gpuWeight: 0, percentageOfNodesToScore: 0 },
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
