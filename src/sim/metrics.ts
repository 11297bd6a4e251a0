/**
 * The metrics of a run (domain.md §5), over time and as a summary. Each field's doc comment gives its formula.
 * Time-averaged quantities are integrals over simulated time divided by the elapsed time.
 */
import { exp, pow10 } from '../core/detMath.ts';

/** One sample of the metric time series, covering (tS − stepS, tS]. */
export interface MetricSample {
  /** End of the interval, seconds. */
  tS: number;
  /** GPU allocation % = time-average over the interval of Σ booked milli-GPU / (GPUs · 1000) · 100. */
  allocationPct: number;
  /** GPU utilization % = time-average of Σ compute actually used (percent of a GPU) / (GPUs · 100) · 100. */
  utilizationPct: number;
  /** GPUs in use at tS = GPUs with anything booked on them (whole or a slice). */
  gpusInUse: number;
  /** GPU memory booked % = Σ booked GPU MiB / Σ GPU MiB · 100, at tS. */
  gpuMemBookedPct: number;
  /** GPU memory needed % = Σ memory the bound pods really use / Σ GPU MiB · 100, at tS. */
  gpuMemUsedPct: number;
  /**
   * Stranded GPUs at tS = Σ over nodes of their fully free GPUs, for nodes whose free CPU or memory can no
   * longer host any GPU pod shape of the scenario (free cpu < shape cpu or free memory < shape memory, for all shapes).
   */
  strandedGpus: number;
  /**
   * Fragmented GPUs at tS = cluster fragment Σ_n F_n (FGD's measure, domain.md §6.4) in milli-GPU / 1000, for the
   * scenario's own typical pods as the target workload.
   */
  fragmentedGpus: number;
  /** Pods waiting to be scheduled at tS. */
  pending: number;
  // --- issue 17: MIG, only in runs of a MIG profile on a cluster with MIG pools (sched/mig/state.ts) ---
  /** Compute slices (of 7 per MIG GPU) held by pods' MIG instances at tS. */
  migUsedSlices?: number;
  /** Compute slices in created but unused instances at tS (static layouts: the layout/demand mismatch). */
  migIdleSlices?: number;
  /** Compute slices no instance can use at tS (outside the layout, or every memory slice taken). */
  migStrandedSlices?: number;
  /**
   * Mean wait, seconds, over the pods bound in the interval (bind time − time the pod entered the queue) and the
   * pods still pending at tS (censored: tS − time they entered the queue); 0 if none. A pod that never starts
   * keeps raising it, so a deadlock shows as a climbing wait, not as no wait at all.
   */
  meanWaitS: number;
  /** Inference requests per second at tS, all services. */
  inferenceQps: number;
  /** Ready inference replicas at tS. */
  inferenceReplicas: number;
  /** Share of the interval's requests answered within their SLO (M/M/1 per replica), %; 100 when no requests. */
  sloAttainmentPct: number;
  /** Median and 99th-percentile inference latency at tS over all ready replicas (mixture of M/M/1), ms; Infinity → −1 (saturated). */
  p50LatencyMs: number;
  p99LatencyMs: number;
  /** Mean latency of agent bursts finished in the interval (arrival → done), seconds; 0 if none. */
  agentBurstLatencyS: number;
  /** Mean wait of Ray tasks started in the interval (arrival → start on a worker), seconds; 0 if none. */
  rayTaskWaitS: number;
  /** Ray tasks waiting for a worker at tS. */
  rayTasksWaiting: number;
  /** Training jobs running at tS, and completed so far. */
  trainingRunning: number;
  trainingCompleted: number;
  /** Mean progress of the training jobs that have arrived, % of their work. */
  trainingProgressPct: number;
  /** Cumulative cluster cost so far = Σ_GPUs price/h · elapsed hours, USD. */
  costUsd: number;
  /** Pods OOM-killed so far (time-slicing without memory isolation). */
  oomKills: number;
}

/** The whole run in a few numbers. */
export interface Summary {
  durationS: number;
  gpus: number;
  nodes: number;
  /** Time-average GPU allocation %, over the run. */
  allocationPct: number;
  /** Time-average GPU utilization %, over the run. */
  utilizationPct: number;
  /** Time-average of the booked and the really used GPU memory, % of all GPU memory. */
  gpuMemBookedPct: number;
  gpuMemUsedPct: number;
  /** Mean GPUs in use (anything booked) over the samples: the GPUs the load really occupies. */
  gpusInUseAvg: number;
  /** Mean stranded GPUs over the samples. */
  strandedGpusAvg: number;
  /** Mean fragmented GPUs over the samples. */
  fragmentedGpusAvg: number;
  pendingAvg: number;
  pendingMax: number;
  /** Pods that were created / ever bound / still pending at the end. */
  podsCreated: number;
  podsBound: number;
  podsPendingAtEnd: number;
  /**
   * Wait (time in the queue), seconds, mean and 95th percentile, over every bind and every pod still pending
   * (censored at the summary's time: its wait so far), so pods that never start count instead of vanishing.
   */
  meanWaitS: number;
  p95WaitS: number;
  /** Pods still pending that were never bound (never started); their censored waits are in meanWaitS / p95WaitS. */
  podsNeverStarted: number;
  training: {
    jobs: number;
    completed: number;
    /** Mean job completion time (end − arrival) of completed jobs, seconds. */
    meanJctS: number;
    /** Mean slowdown = JCT / (work / (GPUs · speed)), the ideal run time with no wait at ideal placement. */
    meanSlowdown: number;
  };
  inference: {
    services: number;
    /** Requests served over the run (∫ qps dt). */
    requests: number;
    /** Request-weighted share answered within the SLO, %. */
    sloAttainmentPct: number;
    /** Latency percentiles over all requests of the run, ms (−1: more than that share was saturated). */
    p50LatencyMs: number;
    p99LatencyMs: number;
  };
  agents: {
    bursts: number;
    meanBurstLatencyS: number;
    p95BurstLatencyS: number;
  };
  ray: {
    clusters: number;
    /** Ray tasks finished. */
    tasksDone: number;
    /** Wait of started tasks (arrival → start on a worker), seconds: mean and 95th percentile. */
    meanTaskWaitS: number;
    p95TaskWaitS: number;
  };
  cost: {
    /** Σ_GPUs price/h · run hours (every GPU of the cluster is paid for), USD. */
    totalUsd: number;
    /** ∫ utilization dt in GPU-hours (compute really used). */
    usefulGpuHours: number;
    /** totalUsd / usefulGpuHours (Infinity → −1 when nothing useful ran). */
    costPerUsefulGpuHourUsd: number;
  };
  oomKills: number;
  evictions: number;
  /** issue 17: MIG slices, averaged over the samples (present only for MIG runs); % of all MIG compute slices. */
  mig?: { gpus: number; usedSlicesPct: number; idleSlicesPct: number; strandedSlicesPct: number };
}

/** Quantile of a sorted array (nearest-rank). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** A log-spaced histogram of latencies (seconds) with fractional weights, for run-level percentiles. */
export class LatencyHistogram {
  static readonly MIN_S = 1e-4;
  static readonly BINS_PER_DECADE = 24;
  static readonly DECADES = 10;
  readonly mass = new Float64Array(LatencyHistogram.BINS_PER_DECADE * LatencyHistogram.DECADES);
  /** Weight of requests that never finish within any bound (saturated queues). */
  saturated = 0;
  total = 0;

  /** Upper edges of the bins, seconds (computed once). */
  static readonly EDGES: Float64Array = Float64Array.from(
    { length: LatencyHistogram.BINS_PER_DECADE * LatencyHistogram.DECADES },
    (_, i) => LatencyHistogram.MIN_S * pow10((i + 1) / LatencyHistogram.BINS_PER_DECADE),
  );

  /** Upper edge of bin i, seconds. */
  static edge(i: number): number {
    return LatencyHistogram.EDGES[i];
  }

  /** Adds `weight` requests whose latency is exponential with the given rate (1/s). */
  addExponential(rate: number, weight: number): void {
    if (weight <= 0) return;
    this.total += weight;
    const edges = LatencyHistogram.EDGES;
    const mass = this.mass;
    let prev = 0;
    for (let i = 0; i < mass.length; i++) {
      const cdf = 1 - exp(-rate * edges[i]);
      mass[i] += weight * (cdf - prev);
      prev = cdf;
      if (cdf > 1 - 1e-12) return;
    }
    this.saturated += weight * (1 - prev);
  }

  /** Adds `weight` requests that cannot be served (saturated replica or no replica). */
  addSaturated(weight: number): void {
    if (weight <= 0) return;
    this.total += weight;
    this.saturated += weight;
  }

  /** The q-quantile in seconds (Infinity when it falls in the saturated mass; 0 when empty). */
  quantile(q: number): number {
    if (this.total <= 0) return 0;
    let acc = 0;
    for (let i = 0; i < this.mass.length; i++) {
      acc += this.mass[i];
      if (acc / this.total >= q) return LatencyHistogram.edge(i);
    }
    return Infinity;
  }
}
