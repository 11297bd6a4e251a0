/** The "New (blank)" scenario of the preset picker: a small cluster, no workloads yet, one scheduler. */
import type { Scenario } from '../../scenario/types.ts';

/** Value of the picker's "New (blank)" option (never a preset id: ids are lower-case letters, digits and dashes). */
export const BLANK_OPTION = '+blank';

/** A fresh blank scenario: one pool of two 8-GPU H100 nodes, no workloads, the Kubernetes default scheduler, 24 h. */
export function blankScenario(): Scenario {
  return {
    kind: 'slicebench/scenario',
    version: 1,
    name: 'New scenario',
    description: 'A blank start: add node pools in the Cluster tab and workloads in the Workloads tab, then tick the schedulers to compare.',
    cluster: { pools: [{ name: 'h100', count: 2, gpuModel: 'H100', gpusPerNode: 8, cpuMilli: 128000, memMiB: 1048576, topology: 'nvswitch', numaNodes: 2 }] },
    workloads: [],
    schedulers: [{ profile: 'k8s-default' }],
    sim: { durationS: 86400, seed: 42, metricsStepS: 300 },
  } as Scenario;
}
