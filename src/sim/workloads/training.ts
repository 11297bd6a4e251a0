/**
 * The simulator's training process (domain.md §4): a job is a gang of worker pods that runs only while every
 * worker is bound; its progress rate depends on the GPUs' speed, the slowest link the gang spans and the
 * compute share contention leaves it. The job ends when its work is done (a `trainDone` event).
 */
import type { NodeState } from '../../model/cluster.ts';
import { REFERENCE_TFLOPS } from '../../scenario/gpuCatalog.ts';
import type { Pod } from '../../model/pod.ts';
import { GPU_CORES } from '../../model/units.ts';
import type { RestoredTraining } from '../../scenario/restore.ts';
import type { Summary } from '../metrics.ts';
import { Prio, type PodRt, type SimHost, type WorkloadProcess } from './host.ts';

/** A job's work is done (stale when its token moved on). */
export type TrainingEvent = { k: 'trainDone'; job: number; token: number };

/** One training job (one copy of a training workload). */
export interface Job {
  spec: RestoredTraining;
  pods: Pod[];
  arrivalS: number;
  /** Work in reference-GPU seconds. */
  workS: number;
  doneS: number;
  /** Reference-GPU seconds per second while running. */
  rate: number;
  lastS: number;
  running: boolean;
  startS: number;
  endS: number;
  token: number;
  /** Speed of the GPUs it ran on (min TFLOPS ratio), for the slowdown. */
  speed: number;
}

/** The training jobs of a run. */
export class TrainingProcess implements WorkloadProcess {
  readonly jobs: Job[] = [];
  private readonly jobOfGang = new Map<number, number>();

  constructor(private readonly host: SimHost) {}

  /** Takes a planned worker pod into its job (jobs by gang, created at their first worker); returns the job index. */
  adopt(pod: Pod, atS: number): number {
    let j = this.jobOfGang.get(pod.gang);
    if (j === undefined) {
      const spec = this.host.scenario.workloads[pod.workload] as RestoredTraining;
      j = this.jobs.length;
      this.jobOfGang.set(pod.gang, j);
      this.jobs.push({ spec, pods: [], arrivalS: atS, workS: spec.workGpuHours * 3600, doneS: 0, rate: 0, lastS: atS, running: false, startS: -1, endS: -1, token: 0, speed: 1 });
    }
    this.jobs[j].pods.push(pod);
    return j;
  }

  onBound(_pod: Pod, rt: PodRt): void {
    rt.ready = true;
    const job = this.jobs[rt.owner];
    if (job.pods.every((p) => p.phase === 'bound')) this.start(job);
  }

  onReady(): void {}

  onUnbound(_pod: Pod, rt: PodRt): void {
    const job = this.jobs[rt.owner];
    if (job.running) this.stop(job);
  }

  /** A job's work is done: its workers succeed. */
  onDone(ev: TrainingEvent): void {
    const h = this.host;
    const job = this.jobs[ev.job];
    if (ev.token !== job.token || !job.running) return;
    this.updateProgress(job);
    h.hash.add(h.nowS).add('T').add(ev.job);
    job.doneS = job.workS;
    job.running = false;
    job.endS = h.nowS;
    for (const p of job.pods) if (p.phase === 'bound') h.release(p, 'succeeded');
  }

  private start(job: Job): void {
    const h = this.host;
    job.running = true;
    if (job.startS < 0) job.startS = h.nowS;
    job.lastS = h.nowS;
    for (const p of job.pods) {
      h.rt[p.uid].demandPct = GPU_CORES;
      h.contention.markPod(p);
    }
    h.hash.add(h.nowS).add('J').add(this.jobs.indexOf(job));
    // The rate is set in Contention.flush() once contention is known.
  }

  private stop(job: Job): void {
    this.updateProgress(job);
    job.running = false;
    job.rate = 0;
    job.token++;
    for (const p of job.pods) {
      this.host.rt[p.uid].demandPct = 0;
      this.host.contention.markPod(p);
    }
  }

  private updateProgress(job: Job): void {
    if (job.running) job.doneS = Math.min(job.workS, job.doneS + job.rate * (this.host.nowS - job.lastS));
    job.lastS = this.host.nowS;
  }

  /** Contention on job j's cards changed: a running job gets its rate and its end event recomputed. */
  reschedule(j: number): void {
    const job = this.jobs[j];
    if (!job.running) return;
    const now = this.host.nowS;
    this.updateProgress(job);
    const { rate, speed } = this.trainingRate(job);
    job.rate = rate;
    job.speed = speed;
    job.token++;
    const left = job.workS - job.doneS;
    const eta = rate > 0 ? now + Math.max(0, Math.ceil(left / rate - 1e-9)) : Infinity;
    if (Number.isFinite(eta)) this.host.at(eta, Prio.Release, { k: 'trainDone', job: j, token: job.token });
  }

  /**
   * Progress rate in reference-GPU seconds per second:
   * n · speed · e(placement)/e(ideal) · min contention share, where e = c/(c + comm), comm = 2(n−1)/n · S / bw
   * (ring all-reduce over the slowest link the gang spans), speed = slowest card's TFLOPS / A100's.
   */
  trainingRate(job: Job): { rate: number; speed: number } {
    const spec = job.spec;
    const cluster = this.host.cluster;
    // Whether the gang spans several nodes / racks (the first pod's node and rack against the others').
    const first = cluster.nodes[job.pods[0].binding!.nodeId];
    let manyNodes = false;
    let manyRacks = false;
    let minSpeed = Infinity;
    let share = 1;
    let n = 0;
    for (const p of job.pods) {
      const b = p.binding!;
      const node = cluster.nodes[b.nodeId];
      if (node.id !== first.id) manyNodes = true;
      if (node.rack !== first.rack) manyRacks = true;
      for (const g of b.gpus) {
        n++;
        const model = cluster.catalog[node.gpus[g.gpu].model];
        minSpeed = Math.min(minSpeed, (model?.tflops ?? REFERENCE_TFLOPS) / REFERENCE_TFLOPS);
      }
      share = Math.min(share, this.host.rt[p.uid].availPct / GPU_CORES);
    }
    const bw = this.linkBandwidth(job, manyNodes, manyRacks, first);
    const c = spec.stepComputeS;
    const comm = (n: number, bwGBs: number): number => (n <= 1 || spec.commGBPerStep === 0 ? 0 : ((2 * (n - 1)) / n) * (spec.commGBPerStep / bwGBs));
    const eActual = c / (c + comm(n, bw));
    const eIdeal = c / (c + comm(n, this.idealBandwidth(n)));
    return { rate: n * minSpeed * (eActual / eIdeal) * share, speed: minSpeed };
  }

  /** Slowest link a gang spans: across racks, across nodes, or inside one node by its topology. */
  private linkBandwidth(job: Job, manyNodes: boolean, manyRacks: boolean, node: NodeState): number {
    const net = this.host.scenario.cluster.network;
    if (manyRacks) return net.interRackGBs;
    if (manyNodes) return net.intraRackGBs;
    const model = this.host.cluster.catalog[node.gpuModel];
    const nvlink = model?.nvlinkGBs ?? 0;
    if (node.topology === 'nvswitch' && nvlink > 0) return nvlink;
    if (node.topology === 'nvlink-pairs' && nvlink > 0) {
      const idx = job.pods.flatMap((p) => p.binding!.gpus.map((g) => g.gpu)).sort((a, b) => a - b);
      if (idx.length === 2 && idx[0] % 2 === 0 && idx[1] === idx[0] + 1) return nvlink;
    }
    return net.pcieGBs;
  }

  /** Bandwidth of the best placement the cluster could offer n GPUs: one NVSwitch node if one is big enough. */
  private idealBandwidth(n: number): number {
    const { scenario, cluster } = this.host;
    const net = scenario.cluster.network;
    let best = 0;
    for (const pool of scenario.cluster.pools) {
      if (pool.gpusPerNode < n || pool.count === 0) continue;
      const nvlink = cluster.catalog[pool.gpuModel]?.nvlinkGBs ?? 0;
      const bw = pool.topology === 'nvswitch' && nvlink > 0 ? nvlink : pool.topology === 'nvlink-pairs' && nvlink > 0 && n === 2 ? nvlink : net.pcieGBs;
      best = Math.max(best, bw);
    }
    return best > 0 ? best : net.intraRackGBs;
  }

  /** Running and completed jobs and the mean progress of the arrived ones, at nowS. */
  gauges(): { running: number; completed: number; progressPct: number } {
    const now = this.host.nowS;
    let arrived = 0;
    let progress = 0;
    let running = 0;
    let completed = 0;
    for (const job of this.jobs) {
      if (job.arrivalS > now) continue;
      arrived++;
      const done = job.running ? Math.min(job.workS, job.doneS + job.rate * (now - job.lastS)) : job.doneS;
      progress += done / job.workS;
      if (job.running) running++;
      if (job.endS >= 0) completed++;
    }
    return { running, completed, progressPct: arrived ? (progress / arrived) * 100 : 0 };
  }

  /** The training part of the summary. */
  summary(): Summary['training'] {
    const now = this.host.nowS;
    const done = this.jobs.filter((j) => j.endS >= 0);
    return {
      jobs: this.jobs.filter((j) => j.arrivalS <= now).length,
      completed: done.length,
      meanJctS: done.length ? done.reduce((a, j) => a + (j.endS - j.arrivalS), 0) / done.length : 0,
      meanSlowdown: done.length ? done.reduce((a, j) => a + (j.endS - j.arrivalS) / (j.workS / (j.pods.length * j.spec.gpusPerWorker * j.speed)), 0) / done.length : 0,
    };
  }
}
