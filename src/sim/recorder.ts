/**
 * The one recorder of a run's metrics (formulas: src/sim/metrics.ts): it integrates booked and used GPU over
 * time, tallies waits and latencies as the processes report them, and turns them into the metric samples and
 * the summary with the same formulas (a sample covers its interval, the summary the whole run).
 */
import type { ClusterState } from '../model/cluster.ts';
import { GPU_CORES, GPU_MILLI } from '../model/units.ts';
import type { Scenario } from '../scenario/types.ts';
import type { MigAware } from '../sched/mig/state.ts';
import { LatencyHistogram, quantileSorted, type MetricSample, type Summary } from './metrics.ts';

/** part / whole in percent; 0 when there is no whole. */
function pct(part: number, whole: number): number {
  return whole ? (part / whole) * 100 : 0;
}

/** Share of requests answered within their SLO, percent; 100 when there were none. */
function attainmentPct(ok: number, requests: number): number {
  return requests > 0 ? (ok / requests) * 100 : 100;
}

/** A latency in seconds as milliseconds; −1 for Infinity (saturated). */
function latencyMs(s: number): number {
  return Number.isFinite(s) ? s * 1000 : -1;
}

/** ∫ value dt over the run and over the current metrics interval. */
class Integral {
  run = 0;
  step = 0;

  add(value: number, dtS: number): void {
    this.run += value * dtS;
    this.step += value * dtS;
  }
}

/** Values of one kind (waits, latencies): every value for the run's percentiles, and the current interval's sum. */
class Tally {
  readonly values: number[] = [];
  private stepSum = 0;
  private stepN = 0;

  add(x: number): void {
    this.values.push(x);
    this.stepN++;
    this.stepSum += x;
  }

  /** Mean over the current interval (0 if none), and starts the next one. */
  takeStepMean(): number {
    const mean = this.stepN ? this.stepSum / this.stepN : 0;
    this.stepN = 0;
    this.stepSum = 0;
    return mean;
  }

  /** Mean and 95th percentile over the run; the mean sums in ascending order, or in arrival order if `arrivalOrderMean`. */
  run(arrivalOrderMean = false): { n: number; mean: number; p95: number } {
    const sorted = [...this.values].sort((a, b) => a - b);
    const summed = arrivalOrderMean ? this.values : sorted;
    const n = sorted.length;
    return { n, mean: n ? summed.reduce((a, b) => a + b, 0) / n : 0, p95: quantileSorted(sorted, 0.95) };
  }
}

/** What the workload processes and the cluster show at a sample's instant (the recorder integrates the rest). */
export interface Gauges {
  pending: number;
  inference: { qps: number; replicas: number; p50S: number; p99S: number };
  rayTasksWaiting: number;
  training: { running: number; completed: number; progressPct: number };
}

/** What the summary takes from the processes. */
export interface SummaryParts {
  podsCreated: number;
  podsPendingAtEnd: number;
  training: Summary['training'];
  services: number;
  rayClusters: number;
}

/** Collects a run's metrics; the simulation and its processes report to it. */
export class Recorder {
  /** Booked milli-GPU, booked and really used GPU memory, right now. */
  private readonly booked = { milli: 0, memMiB: 0, usedMemMiB: 0 };
  /** Integrals of the booked milli-GPU, the used compute (percent of a GPU), the booked and used GPU memory. */
  private readonly alloc = new Integral();
  private readonly util = new Integral();
  private readonly memBooked = new Integral();
  private readonly memUsed = new Integral();
  /** Wait of every bind of a workload pod (time in the queue), seconds. */
  readonly waits = new Tally();
  /** Latency of every agent burst, seconds. */
  readonly bursts = new Tally();
  /** Wait of every started Ray task, seconds. */
  readonly rayWaits = new Tally();
  rayTasksDone = 0;
  /** Inference requests (and those within their SLO) in the interval and in the run. */
  private stepRequests = 0;
  private stepRequestsOk = 0;
  private totalRequests = 0;
  private totalRequestsOk = 0;
  /** Latency of every inference request of the run. */
  readonly latencyHist = new LatencyHistogram();
  oomKills = 0;
  evictions = 0;
  /** Binds, the existing pods' included. */
  podsBound = 0;
  readonly series: MetricSample[] = [];
  private readonly totalGpuMemMiB: number;
  private readonly pricePerSecondUsd: number;
  /** issue 17: the MIG scheduler's slice counter (sched/mig/state.ts), or null for runs without MIG. */
  migSlices: MigAware | null = null;
  /** Distinct GPU pod shapes of the scenario, for the stranded-GPU metric. */
  private readonly gpuShapes: { cpu: number; mem: number }[];

  constructor(
    private readonly cluster: ClusterState,
    scenario: Scenario,
    private readonly fragmentation: (cluster: ClusterState) => number,
  ) {
    const c = cluster;
    this.totalGpuMemMiB = c.nodes.reduce((s, n) => s + n.gpus.reduce((t, g) => t + g.memMiB, 0), 0);
    this.pricePerSecondUsd = c.nodes.reduce((s, n) => s + n.gpus.reduce((t, g) => t + (c.catalog[g.model]?.pricePerHourUsd ?? 0), 0), 0) / 3600;
    this.gpuShapes = shapesOf(scenario);
  }

  /** Integrates the current bookings and the used compute (percent of one GPU) over dtS seconds. */
  integrate(dtS: number, usedPct: number): void {
    const b = this.booked;
    this.alloc.add(b.milli, dtS);
    this.util.add(usedPct, dtS);
    this.memBooked.add(b.memMiB, dtS);
    this.memUsed.add(b.usedMemMiB, dtS);
  }

  /** A booking on one card was added (sign 1) or removed (−1): milli-GPU, booked and really used memory. */
  book(sign: 1 | -1, milli: number, memMiB: number, usedMemMiB: number): void {
    const b = this.booked;
    b.milli += sign * milli;
    b.memMiB += sign * memMiB;
    b.usedMemMiB += sign * usedMemMiB;
  }

  /** Inference requests of one autoscaler period: how many, and how many within the SLO. */
  addRequests(requests: number, ok: number): void {
    this.stepRequests += requests;
    this.stepRequestsOk += ok;
    this.totalRequests += requests;
    this.totalRequestsOk += ok;
  }

  /** Stranded GPUs (see MetricSample.strandedGpus). */
  strandedGpus(): number {
    if (this.gpuShapes.length === 0) return 0;
    let stranded = 0;
    for (const node of this.cluster.nodes) {
      if (node.freeWholeGpus === 0) continue;
      const cpu = node.cpuMilli - node.usedCpuMilli;
      const mem = node.memMiB - node.usedMemMiB;
      if (this.gpuShapes.every((s) => cpu < s.cpu || mem < s.mem)) stranded += node.freeWholeGpus;
    }
    return stranded;
  }

  /** Appends the sample of the interval ending at nowS and starts the next interval. */
  sample(nowS: number, g: Gauges): void {
    const prev = this.series.length ? this.series[this.series.length - 1].tS : 0;
    const dt = Math.max(nowS - prev, 1e-9);
    const gpus = Math.max(this.cluster.totalGpus, 1);
    const frag = this.fragmentation(this.cluster) / GPU_MILLI;
    this.series.push({
      tS: nowS,
      allocationPct: pct(this.alloc.step / dt, gpus * GPU_MILLI),
      utilizationPct: pct(this.util.step / dt, gpus * GPU_CORES),
      gpusInUse: this.cluster.totalGpus - this.cluster.nodes.reduce((a, n) => a + n.freeWholeGpus, 0),
      gpuMemBookedPct: pct(this.booked.memMiB, this.totalGpuMemMiB),
      gpuMemUsedPct: pct(this.booked.usedMemMiB, this.totalGpuMemMiB),
      strandedGpus: this.strandedGpus(),
      fragmentedGpus: frag,
      pending: g.pending,
      meanWaitS: this.waits.takeStepMean(),
      inferenceQps: g.inference.qps,
      inferenceReplicas: g.inference.replicas,
      sloAttainmentPct: attainmentPct(this.stepRequestsOk, this.stepRequests),
      p50LatencyMs: latencyMs(g.inference.p50S),
      p99LatencyMs: latencyMs(g.inference.p99S),
      agentBurstLatencyS: this.bursts.takeStepMean(),
      rayTaskWaitS: this.rayWaits.takeStepMean(),
      rayTasksWaiting: g.rayTasksWaiting,
      trainingRunning: g.training.running,
      trainingCompleted: g.training.completed,
      trainingProgressPct: g.training.progressPct,
      costUsd: this.costUsd(nowS),
      oomKills: this.oomKills,
    });
    if (this.migSlices) {
      const m = this.migSlices.migSlices(this.cluster);
      const last = this.series[this.series.length - 1];
      last.migUsedSlices = m.used;
      last.migIdleSlices = m.idle;
      last.migStrandedSlices = m.stranded;
    }
    this.alloc.step = 0;
    this.util.step = 0;
    this.stepRequests = 0;
    this.stepRequestsOk = 0;
  }

  /** The summary of the run up to nowS. */
  summary(nowS: number, existingPods: number, p: SummaryParts): Summary {
    const T = Math.max(nowS, 1e-9);
    const gpus = Math.max(this.cluster.totalGpus, 1);
    const waits = this.waits.run();
    const bursts = this.bursts.run();
    const rayWaits = this.rayWaits.run(true);
    const usefulGpuHours = this.util.run / GPU_CORES / 3600;
    const totalUsd = this.costUsd(nowS);
    const s = this.series;
    const mean = (f: (x: MetricSample) => number): number => (s.length ? s.reduce((a, x) => a + f(x), 0) / s.length : 0);
    const summary: Summary = {
      durationS: nowS,
      gpus: this.cluster.totalGpus,
      nodes: this.cluster.nodes.length,
      allocationPct: pct(this.alloc.run / T, gpus * GPU_MILLI),
      utilizationPct: pct(this.util.run / T, gpus * GPU_CORES),
      gpuMemBookedPct: pct(this.memBooked.run / T, this.totalGpuMemMiB),
      gpuMemUsedPct: pct(this.memUsed.run / T, this.totalGpuMemMiB),
      gpusInUseAvg: mean((x) => x.gpusInUse),
      strandedGpusAvg: mean((x) => x.strandedGpus),
      fragmentedGpusAvg: mean((x) => x.fragmentedGpus),
      pendingAvg: mean((x) => x.pending),
      pendingMax: s.reduce((m, x) => Math.max(m, x.pending), 0),
      podsCreated: p.podsCreated,
      podsBound: this.podsBound - existingPods,
      podsPendingAtEnd: p.podsPendingAtEnd,
      meanWaitS: waits.mean,
      p95WaitS: waits.p95,
      training: p.training,
      inference: {
        services: p.services,
        requests: this.totalRequests,
        sloAttainmentPct: attainmentPct(this.totalRequestsOk, this.totalRequests),
        p50LatencyMs: latencyMs(this.latencyHist.quantile(0.5)),
        p99LatencyMs: latencyMs(this.latencyHist.quantile(0.99)),
      },
      agents: { bursts: bursts.n, meanBurstLatencyS: bursts.mean, p95BurstLatencyS: bursts.p95 },
      ray: { clusters: p.rayClusters, tasksDone: this.rayTasksDone, meanTaskWaitS: rayWaits.mean, p95TaskWaitS: rayWaits.p95 },
      cost: {
        totalUsd,
        usefulGpuHours,
        costPerUsefulGpuHourUsd: usefulGpuHours > 0 ? totalUsd / usefulGpuHours : -1,
      },
      oomKills: this.oomKills,
      evictions: this.evictions,
    };
    if (this.migSlices) {
      const m = this.migSlices.migSlices(this.cluster);
      const all = Math.max(m.gpus * 7, 1);
      summary.mig = { gpus: m.gpus, usedSlicesPct: pct(mean((x) => x.migUsedSlices ?? 0), all), idleSlicesPct: pct(mean((x) => x.migIdleSlices ?? 0), all), strandedSlicesPct: pct(mean((x) => x.migStrandedSlices ?? 0), all) };
    }
    return summary;
  }

  /** Cumulative cost of every GPU of the cluster up to tS, USD. */
  private costUsd(tS: number): number {
    return this.pricePerSecondUsd * tS;
  }
}

/** Distinct (cpu, memory) shapes of the scenario's GPU pods, for the stranded-GPU metric. */
function shapesOf(s: Scenario): { cpu: number; mem: number }[] {
  const seen = new Map<string, { cpu: number; mem: number }>();
  const add = (cpu: number, mem: number): void => {
    seen.set(`${cpu}/${mem}`, { cpu, mem });
  };
  for (const w of s.workloads) {
    if (w.kind === 'trace') {
      for (const p of w.pods) if (p.numGpu > 0) add(p.cpuMilli, p.memMiB);
    } else if (w.kind === 'raycluster') {
      for (const g of w.workerGroups) if (g.gpusPerWorker > 0) add(g.cpuMilli, g.memMiB);
    } else if (w.kind !== 'batch' || w.gpus > 0) add(w.cpuMilli, w.memMiB);
  }
  // Keep only shapes not dominated by another (a node that fits the smaller one matters).
  const all = [...seen.values()];
  return all.filter((a) => !all.some((b) => b !== a && b.cpu <= a.cpu && b.mem <= a.mem && (b.cpu < a.cpu || b.mem < a.mem)));
}
