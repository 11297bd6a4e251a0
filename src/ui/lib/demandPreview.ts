/**
 * The live preview of what a scenario's workloads ask for over the run: total inference requests per second
 * and an approximate GPU demand in whole-GPU equivalents of compute share (ideal packing, no scheduler).
 * It is a sketch aid, not a simulation: training jobs are assumed to run at ideal speed right at arrival.
 */
import type { Scenario, WorkloadSpec } from '../../scenario/types.ts';
import { demandAt } from '../../scenario/demand.ts';

export interface DemandPoint {
  tS: number;
  /** Σ inference requests per second. */
  qps: number;
  /** Σ GPU compute share demanded, in GPUs. */
  gpus: number;
}

/** Replicas an HPA would run for a service at a request rate: ceil(qps / (qpsPerGpu · cores/100 · target)), clamped. */
export function replicasFor(w: Extract<WorkloadSpec, { kind: 'inference' }>, qps: number): number {
  const perReplica = w.qpsPerGpu * (w.gpuCores / 100) * w.targetUtilization;
  const want = perReplica > 0 ? Math.ceil(qps / perReplica) : w.maxReplicas;
  return Math.min(w.maxReplicas, Math.max(w.minReplicas, want));
}

/** GPU share one workload demands at time tS (GPUs). */
export function workloadGpusAt(w: WorkloadSpec, tS: number): number {
  switch (w.kind) {
    case 'inference':
      return replicasFor(w, demandAt(w.demand, tS)) * (w.gpuCores / 100);
    case 'training': {
      const gpus = w.workers * w.gpusPerWorker;
      const runS = (w.workGpuHours * 3600) / Math.max(gpus, 1);
      let sum = 0;
      const copies = Math.max(1, w.repeat ?? 1);
      for (let k = 0; k < copies; k++) {
        const start = w.arrivalS + k * (w.everyS ?? 0);
        if (tS >= start && tS < start + runS) sum += gpus;
      }
      return sum;
    }
    case 'batch': {
      const per = (w.gpus * w.gpuMilli) / 1000;
      const gap = w.interarrivalS ?? 0;
      let live = 0;
      for (let i = 0; i < w.count; i++) {
        const start = w.arrivalS + i * gap;
        if (tS >= start && tS < start + w.durationS) live++;
      }
      return live * per;
    }
    case 'agent': {
      if (tS < (w.arrivalS ?? 0)) return 0;
      if (w.elasticity === 'always-on') return (w.count * w.gpuCores) / 100;
      // Scale-to-zero: expected busy share = bursts/h · burst GPU-seconds / 3600 per agent.
      return Math.min(w.count, (w.count * w.burstsPerHour * w.burstGpuS) / 3600);
    }
    case 'trace':
      return w.pods.reduce((s, p) => (tS >= p.creationS && (p.deletionS === undefined || tS < p.deletionS) ? s + (p.numGpu * p.gpuMilli) / 1000 : s), 0);
    case 'raycluster': {
      // The workers the autoscaler keeps at least (minReplicas) plus the expected busy ones (tasks/h · duration).
      if (tS < (w.arrivalS ?? 0)) return 0;
      const g = w.workerGroups.find((x) => x.name === w.taskGroup) ?? w.workerGroups[0];
      const busy = g ? Math.min(g.maxReplicas, (w.tasksPerHour * w.taskDurationS) / 3600) * g.gpusPerWorker : 0;
      return w.workerGroups.reduce((s, x) => s + x.minReplicas * x.gpusPerWorker, 0) + busy;
    }
  }
}

/** The preview curve at `points` evenly spaced times over the run. */
export function demandSeries(s: Scenario, points = 160): DemandPoint[] {
  const out: DemandPoint[] = [];
  const n = Math.max(2, points);
  for (let i = 0; i < n; i++) {
    const tS = (s.sim.durationS * i) / (n - 1);
    let qps = 0;
    let gpus = 0;
    for (const w of s.workloads) {
      if (w.kind === 'inference') qps += demandAt(w.demand, tS);
      gpus += workloadGpusAt(w, tS);
    }
    out.push({ tS, qps, gpus });
  }
  return out;
}

/** Total GPUs of the scenario's cluster. */
export function clusterGpus(s: Scenario): number {
  return s.cluster.pools.reduce((t, p) => t + p.count * p.gpusPerNode, 0);
}
