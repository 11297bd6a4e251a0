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
import { podTopologySpread, POD_TOPOLOGY_SPREAD_WEIGHT } from '../plugins/podTopologySpread.ts';
import { gpuModelAffinity } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from '../plugins/nodeResourcesFit.ts';
import { timeSlicingAllocator } from '../plugins/timeSlicing.ts';
import { FrameworkScheduler } from '../runner.ts';
import { k8sTimeSlicingInfo, type TimeSlicingOptions } from '../../scenario/profileCatalog.ts';
import type { ProfileDefinition } from './types.ts';
import { k8sFitKernel } from './k8sDefault.ts';

export type { TimeSlicingOptions };

export const k8sTimeSlicing: ProfileDefinition<TimeSlicingOptions> = {
  ...k8sTimeSlicingInfo,
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
        { plugin: podTopologySpread(), weight: POD_TOPOLOGY_SPREAD_WEIGHT },
      ],
      allocator: timeSlicingAllocator(o.replicas),
      tieBreak: { kind: 'reservoir' },
      percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
      clusterOptions: { allowMemOversubscription: true, replicasPerGpu: o.replicas },
      // The allocator reads the pod's shape and the node's replicas only: cached per node version like k8s-default
      // (without it every pod re-ran the allocator on every node, and runs grew with nodes × pods).
      cacheByNodeVersion: true,
    });
  },
};
