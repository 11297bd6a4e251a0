/**
 * Profile `k8s-timeslicing`: kube-scheduler v1.34 default plugins with the NVIDIA device plugin's time-slicing
 * (`replicas: N`, default 4). Every GPU advertises N `nvidia.com/gpu`; NodeResourcesFit filters on
 * Σ replicas ≤ GPUs × N; the device plugin hands out replicas by its distributed allocation
 * (src/sched/plugins/timeSlicing.ts). No memory isolation: the cluster books no GPU memory
 * (allowMemOversubscription), so placements succeed where the tenants' real memory overflows the card, which is
 * the risk users meet (the simulator marks such pods OOM-killed). Ties: uniform from the seeded RNG.
 */
import { prioritySort } from '../framework.ts';
import { balancedAllocation } from '../plugins/balancedAllocation.ts';
import { gpuModelAffinity } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitFilter, nodeResourcesFitScore, type FitStrategy } from '../plugins/nodeResourcesFit.ts';
import { timeSlicingAllocator } from '../plugins/timeSlicing.ts';
import { FrameworkScheduler } from '../runner.ts';
import type { ProfileDefinition } from './types.ts';
import { k8sFitKernel } from './k8sDefault.ts';

export interface TimeSlicingOptions {
  /** Replicas each GPU advertises (the device plugin's `replicas`, default 4). */
  replicas: number;
  /** NodeResourcesFit scoring strategy (default LeastAllocated). */
  strategy: FitStrategy;
  /** Weight of `nvidia.com/gpu` (replicas) in NodeResourcesFit scoring (0 = not scored, the default). */
  gpuWeight: number;
  /** percentageOfNodesToScore: 0 = adaptive. */
  percentageOfNodesToScore: number;
}

export const k8sTimeSlicing: ProfileDefinition<TimeSlicingOptions> = {
  name: 'k8s-timeslicing',
  title: 'Kubernetes default + NVIDIA time-slicing',
  summary: 'Each GPU advertised as N replicas; pods share GPUs by time with no memory isolation (OOM risk).',
  models: 'kube-scheduler v1.34, k8s-device-plugin time-slicing (distributed replica allocation)',
  knobs: [
    { key: 'replicas', label: 'replicas per GPU', kind: 'int', min: 1, max: 64, help: 'How many nvidia.com/gpu each physical GPU advertises (default 4).' },
    { key: 'strategy', label: 'NodeResourcesFit strategy', kind: 'choice', choices: ['LeastAllocated', 'MostAllocated'], help: 'LeastAllocated spreads pods over nodes; MostAllocated packs them.' },
    { key: 'gpuWeight', label: 'nvidia.com/gpu score weight', kind: 'int', min: 0, max: 100, help: 'Also score GPU replicas in NodeResourcesFit (0: filtered but not scored, the default).' },
    { key: 'percentageOfNodesToScore', label: 'percentageOfNodesToScore', kind: 'int', min: 0, max: 100, help: '0 = adaptive (max(50 − N/125, 5)% of nodes, at least 100).' },
  ],
  defaults: { replicas: 4, strategy: 'LeastAllocated', gpuWeight: 0, percentageOfNodesToScore: 0 },
  // kernel shaders/filterScoreK8s.wgsl with `replicas` per GPU and the time-slicing allocator's filter
  kernel: (o) => k8sFitKernel(o, typeof o.replicas === 'number' ? o.replicas : 4, 'time-slicing'),
  create(o) {
    const resources: { name: 'cpu' | 'memory' | 'nvidia.com/gpu'; weight: number }[] = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ];
    if (o.gpuWeight > 0) resources.push({ name: 'nvidia.com/gpu', weight: o.gpuWeight });
    return new FrameworkScheduler({
      name: 'k8s-timeslicing',
      queueSort: prioritySort,
      filters: [nodeResourcesFitFilter(o.replicas), gpuModelAffinity],
      scores: [
        { plugin: nodeResourcesFitScore({ strategy: o.strategy, resources, gpuReplicas: o.replicas }), weight: 1 },
        { plugin: balancedAllocation, weight: 1 },
      ],
      allocator: timeSlicingAllocator(o.replicas),
      tieBreak: { kind: 'reservoir' },
      percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
      clusterOptions: { allowMemOversubscription: true },
    });
  },
};
