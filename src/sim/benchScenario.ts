/**
 * The simulator benchmark's scenario: 1,000 nodes, 8,000 GPUs, 7 days, thousands of pods of every kind.
 * Generated (not shipped as a preset) so the benchmark and its test share one definition.
 */
import type { Scenario, WorkloadSpec } from '../scenario/types.ts';

const GiB = 1024;

/** A 1,000-node, 8,000-GPU, 7-day scenario under the given profile. */
export function benchScenario(profile = 'k8s-default'): Scenario {
  const workloads: WorkloadSpec[] = [];
  for (let i = 0; i < 4; i++) {
    workloads.push({ kind: 'training', name: `train-${i}`, workers: 2 + i * 2, gpusPerWorker: 8, gpuMemMiB: 70 * GiB, cpuMilli: 32000, memMiB: 256 * GiB, workGpuHours: 200 * (i + 1), stepComputeS: 1.5, commGBPerStep: 14, arrivalS: i * 1800, repeat: 60, everyS: 9000 });
  }
  for (let i = 0; i < 24; i++) {
    workloads.push({ kind: 'inference', name: `svc-${i}`, gpuMemMiB: (10 + (i % 4) * 10) * GiB, gpuCores: 20 + (i % 4) * 20, cpuMilli: 4000, memMiB: 16 * GiB, qpsPerGpu: 30, demand: { shape: 'diurnal', peakQps: 400 + i * 40, troughQps: 40, peakHour: 10 + (i % 8) }, targetUtilization: 0.6, minReplicas: 2, maxReplicas: 120, startupS: 90, sloMs: 400 });
  }
  workloads.push({ kind: 'batch', name: 'notebooks', count: 3000, cpuMilli: 4000, memMiB: 16 * GiB, gpus: 1, gpuMilli: 500, gpuMemMiB: 20 * GiB, durationS: 14400, arrivalS: 0, interarrivalS: 200, gpuUtilization: 0.4 });
  workloads.push({ kind: 'batch', name: 'eval', count: 2000, cpuMilli: 8000, memMiB: 64 * GiB, gpus: 2, gpuMilli: 1000, gpuMemMiB: 40 * GiB, durationS: 7200, arrivalS: 600, interarrivalS: 300 });
  workloads.push({ kind: 'agent', name: 'agents', count: 400, gpuMemMiB: 8 * GiB, gpuCores: 20, cpuMilli: 1000, memMiB: 4 * GiB, burstsPerHour: 3, burstGpuS: 10, elasticity: 'scale-to-zero', idleTimeoutS: 600, coldStartS: 20 });
  return {
    kind: 'slicebench/scenario',
    version: 1,
    name: 'Benchmark: 1,000 nodes, 8,000 GPUs, 7 days',
    cluster: {
      pools: [
        { name: 'h100', count: 500, gpuModel: 'H100', gpusPerNode: 8, cpuMilli: 192000, memMiB: 2048 * GiB, topology: 'nvswitch', numaNodes: 2, racks: 25 },
        { name: 'a100', count: 500, gpuModel: 'A100-80G', gpusPerNode: 8, cpuMilli: 128000, memMiB: 1024 * GiB, topology: 'nvswitch', numaNodes: 2, racks: 25 },
      ],
    },
    workloads,
    schedulers: [{ profile }],
    sim: { durationS: 7 * 86400, seed: 1, metricsStepS: 3600 },
  };
}

/**
 * A cluster of `nodes` 8-GPU nodes (half H100, half A100) with about four pods per node over one day: notebooks
 * (half a GPU, 20 GiB), evaluation pods (2 whole GPUs), inference services and training gangs, all arriving over
 * the day. The scale benchmark (`npm run bench -- --only scale`) runs it at growing sizes under every profile.
 */
export function scaleScenario(nodes: number, profile = 'k8s-default'): Scenario {
  const half = Math.max(1, Math.floor(nodes / 2));
  const perNode = (k: number) => Math.max(1, Math.round(nodes * k));
  const workloads: WorkloadSpec[] = [
    { kind: 'batch', name: 'notebooks', count: perNode(2), cpuMilli: 4000, memMiB: 16 * GiB, gpus: 1, gpuMilli: 500, gpuMemMiB: 20 * GiB, durationS: 14400, arrivalS: 0, interarrivalS: Math.max(1, Math.round(86400 / perNode(2))), gpuUtilization: 0.4 },
    { kind: 'batch', name: 'eval', count: perNode(1.5), cpuMilli: 8000, memMiB: 64 * GiB, gpus: 2, gpuMilli: 1000, gpuMemMiB: 40 * GiB, durationS: 7200, arrivalS: 600, interarrivalS: Math.max(1, Math.round(86400 / perNode(1.5))) },
    { kind: 'training', name: 'train', workers: 4, gpusPerWorker: 8, gpuMemMiB: 70 * GiB, cpuMilli: 32000, memMiB: 256 * GiB, workGpuHours: 100, stepComputeS: 1.5, commGBPerStep: 14, arrivalS: 0, repeat: Math.max(1, Math.round(nodes / 40)), everyS: 1800 },
  ];
  return {
    kind: 'slicebench/scenario',
    version: 1,
    name: `Scale: ${nodes} nodes`,
    cluster: {
      pools: [
        { name: 'h100', count: half, gpuModel: 'H100', gpusPerNode: 8, cpuMilli: 192000, memMiB: 2048 * GiB, topology: 'nvswitch', numaNodes: 2, racks: Math.max(1, Math.ceil(half / 20)) },
        { name: 'a100', count: Math.max(1, nodes - half), gpuModel: 'A100-80G', gpusPerNode: 8, cpuMilli: 128000, memMiB: 1024 * GiB, topology: 'nvswitch', numaNodes: 2, racks: Math.max(1, Math.ceil((nodes - half) / 20)) },
      ],
    },
    workloads,
    schedulers: [{ profile }],
    sim: { durationS: 86400, seed: 1, metricsStepS: 3600 },
  };
}
