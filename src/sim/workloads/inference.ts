/**
 * The simulator's inference process: each service's replicas serve a request rate set by its demand curve.
 * Every AUTOSCALE_PERIOD_S the requests of the period are served by M/M/1 queues, one per ready replica (load
 * split evenly), which gives SLO attainment and latency; each replica's compute demand follows its load; and an
 * HPA adds and removes replicas (ReplicaSet deletion order). Replicas serve after their start-up time.
 */
import { invariant } from '../../core/invariant.ts';
import type { Pod } from '../../model/pod.ts';
import type { RestoredInference } from '../../scenario/restore.ts';
import { demandAt } from '../../scenario/demand.ts';
import { mixtureQuantile, mm1Attainment, type ReplicaQueue } from '../queueing.ts';
import { Prio, type PodRt, type SimHost, type WorkloadProcess } from './host.ts';

/** Autoscaler and inference bookkeeping period, seconds (HPA syncs every 15 s; 30 s keeps long runs light). */
export const AUTOSCALE_PERIOD_S = 30;
/** HPA tolerance: no scaling while |desired/current − 1| ≤ 0.1. */
export const HPA_TOLERANCE = 0.1;
/** Percent of one GPU (GPU_CORES), as a hot-path constant. */
const CORES = 100;

/** The autoscaler's tick (all services). */
export type InferenceEvent = { k: 'autoscale' };

/** One inference service and its HPA state. */
interface Service {
  spec: RestoredInference;
  workload: number;
  pods: Pod[];
  seq: number;
  /** (time, desired) recommendations inside the stabilization window. */
  recs: { tS: number; n: number }[];
  /** Index of the oldest recommendation still in the window (older ones are dropped in batches). */
  recsHead: number;
  /** λ per ready replica at the last tick. */
  lambda: number;
  /** Σ over its replicas alone on their cards of min(demand, 100) × cards (see PodRt.alone). */
  aloneUsed: number;
  /** The autoscaler's scan of its replicas, valid until `scanDirty` (see ReplicaScan). */
  scan: ReplicaScan;
  /** Set when any replica's phase, readiness, speed, available compute, aloneness or the pod list changed. */
  scanDirty: boolean;
}

/**
 * What the autoscaler reads from a service's replicas that only changes with their state, not with the request
 * rate: alive and ready counts, the ready replicas in pod order with their speed class, and the service rates
 * grouped as the latency mixture needs them (same values, same order as a fresh scan).
 */
interface ReplicaScan {
  alive: number;
  readyCount: number;
  /** Ready replicas, in svc.pods order. */
  ready: Pod[];
  readyRt: PodRt[];
  /** Index into `speeds` of each ready replica. */
  speedClass: number[];
  /** Cards each ready replica is bound to. */
  cards: number[];
  /** Distinct speeds of the ready replicas, in first-seen order. */
  speeds: number[];
  /** Distinct service rates (first-seen order) and how many ready replicas have each. */
  mus: number[];
  muCounts: number[];
  /** Σ μ over the ready replicas, in pod order. */
  muSum: number;
}

/** The inference services of a run. */
export class InferenceProcess implements WorkloadProcess {
  private readonly services: Service[] = [];
  /** Service index of each inference workload. */
  private readonly serviceOf = new Map<number, number>();
  private readonly scratchDemands: number[] = [];

  constructor(private readonly host: SimHost) {
    host.scenario.workloads.forEach((w, wi) => {
      if (w.kind !== 'inference') return;
      this.serviceOf.set(wi, this.services.length);
      this.services.push({ spec: w, workload: wi, pods: [], seq: w.replicas, recs: [], recsHead: 0, lambda: 0, aloneUsed: 0, scan: emptyScan(), scanDirty: true });
    });
  }

  /** Number of services. */
  get count(): number {
    return this.services.length;
  }

  /** Takes a planned replica into its service; returns the service index. */
  adopt(pod: Pod): number {
    const owner = this.serviceOf.get(pod.workload)!;
    this.services[owner].pods.push(pod);
    return owner;
  }

  /** Queues the first autoscaler tick (at 0) when there are services. */
  start(): void {
    if (this.services.length) this.host.at(0, Prio.Autoscale, { k: 'autoscale' });
  }

  onBound(pod: Pod, rt: PodRt, tS: number): void {
    const w = this.host.scenario.workloads[pod.workload] as RestoredInference;
    rt.ready = false;
    this.host.at(tS + w.startupS, Prio.Ready, { k: 'ready', pod, token: rt.token });
  }

  onReady(): void {}

  onUnbound(pod: Pod, rt: PodRt): void {
    if (rt.alone) this.setAlone(pod, false);
  }

  /** An inference replica's phase, readiness, speed, compute or aloneness changed: its service rescans. */
  touch(pod: Pod): void {
    const owner = this.host.rt[pod.uid].owner;
    if (owner >= 0) this.services[owner].scanDirty = true;
  }

  /** Moves a replica's used compute between its cards' rows and its service's aloneUsed (see PodRt.alone). */
  setAlone(pod: Pod, alone: boolean): void {
    const rt = this.host.rt[pod.uid];
    if (rt.alone === alone) return;
    const svc = this.services[rt.owner];
    // On unbind the binding is already gone: the bookings it had are remembered.
    const cards = (pod.binding?.gpus ?? rt.lastGpus ?? []).length;
    const u = Math.min(rt.demandPct, CORES) * cards;
    const sign = alone ? 1 : -1;
    svc.aloneUsed += sign * u;
    this.host.contention.aloneUsedTotal += sign * u;
    rt.alone = alone;
    svc.scanDirty = true;
  }

  /** Service rate of a ready replica, requests/s: qpsPerGpu · speed · available compute share. */
  private muOf(svc: Service, pod: Pod): number {
    const rt = this.host.rt[pod.uid];
    return svc.spec.qpsPerGpu * rt.speed * (rt.availPct / CORES);
  }

  /**
   * Every AUTOSCALE_PERIOD_S: account the requests of the elapsed period (M/M/1 per ready replica, the load
   * split evenly), set each replica's compute demand from its load, and run the HPA: desired = ⌈current ·
   * utilization / target⌉ with a 10% tolerance, scale-down limited by the max recommendation in the window.
   */
  onAutoscale(): void {
    const h = this.host;
    const now = h.nowS;
    const rec = h.recorder;
    for (const svc of this.services) {
      const spec = svc.spec;
      const qps = demandAt(spec.demand, now);
      if (svc.scanDirty) {
        this.scanReplicas(svc, svc.scan);
        svc.scanDirty = false;
      } else if (h.checkCaches) {
        const fresh = this.scanReplicas(svc, emptyScan());
        invariant(sameScan(fresh, svc.scan), () => `${spec.name}: cached replica scan is stale at ${now} s`);
      }
      const scan = svc.scan;
      const alive = scan.alive;
      const readyCount = scan.readyCount;
      const lambda = readyCount ? qps / readyCount : 0;
      svc.lambda = lambda;
      // Requests of the coming period are served at the current state; replicas with the same service rate
      // are one component of the latency mixture (a handful of distinct rates: card models × sharing).
      const reqs = qps * AUTOSCALE_PERIOD_S;
      if (readyCount === 0) rec.latencyHist.addSaturated(reqs);
      // Each ready replica's demand is a function of λ and its speed alone: computed once per distinct speed.
      const demands = this.scratchDemands;
      for (let c = 0; c < scan.speeds.length; c++) {
        const speed = scan.speeds[c];
        demands[c] = spec.qpsPerGpu * speed > 0 ? (lambda / (spec.qpsPerGpu * speed)) * CORES : 0;
      }
      let aloneUsed = 0;
      for (let i = 0; i < readyCount; i++) {
        const demand = demands[scan.speedClass[i]];
        const rt = scan.readyRt[i];
        if (rt.alone) {
          rt.demandPct = demand;
          aloneUsed += Math.min(demand, CORES) * scan.cards[i];
        } else if (demand !== rt.demandPct) {
          // Still an active tenant, so the cards' sharing scales stay: only the used compute is recomputed.
          rt.demandPct = demand;
          h.contention.markPod(scan.ready[i]);
        }
      }
      h.contention.aloneUsedTotal += aloneUsed - svc.aloneUsed;
      svc.aloneUsed = aloneUsed;
      const mus = scan.mus;
      const counts = scan.muCounts;
      let ok = 0;
      for (let k = 0; k < mus.length; k++) {
        const w = lambda * AUTOSCALE_PERIOD_S * counts[k];
        ok += w * mm1Attainment({ lambda, mu: mus[k] }, spec.sloMs / 1000);
        if (lambda < mus[k]) rec.latencyHist.addExponential(mus[k] - lambda, w);
        else rec.latencyHist.addSaturated(w);
      }
      rec.addRequests(reqs, ok);
      // HPA on the utilization of the ready replicas.
      const current = alive;
      let desired = current;
      if (readyCount > 0) {
        const util = scan.muSum > 0 ? qps / scan.muSum : Infinity;
        const ratio = util / spec.targetUtilization;
        if (Math.abs(ratio - 1) > HPA_TOLERANCE) desired = Number.isFinite(ratio) ? Math.ceil(readyCount * ratio) : spec.maxReplicas;
        if (desired < current && readyCount < current) desired = current; // still starting: don't scale down yet
      } else if (qps > 0) {
        desired = Math.max(current, spec.minReplicas);
      }
      desired = Math.max(spec.minReplicas, Math.min(spec.maxReplicas, desired));
      // Scale up at once; scale down only to the highest recommendation of the stabilization window.
      const window = spec.stabilizationS;
      const recs = svc.recs;
      recs.push({ tS: now, n: desired });
      while (svc.recsHead < recs.length && recs[svc.recsHead].tS < now - window) svc.recsHead++;
      if (svc.recsHead >= 64) {
        recs.splice(0, svc.recsHead);
        svc.recsHead = 0;
      }
      let highest = 0;
      for (let i = svc.recsHead; i < recs.length; i++) if (recs[i].n > highest) highest = recs[i].n;
      const target = desired >= current ? desired : Math.min(current, highest);
      if (target > current) {
        for (let i = current; i < target; i++) this.addReplica(svc);
      } else if (target < current) {
        for (const p of this.scaleDownOrder(svc).slice(0, current - target)) h.deletePod(p);
      }
      // Drop replicas that are gone (only a scale-down, or a pod gone since the scan, leaves any).
      const added = target > current ? target - current : 0;
      if (target < current || svc.pods.length !== alive + added) svc.pods = svc.pods.filter((p) => p.phase === 'bound' || p.phase === 'pending');
    }
    if (now + AUTOSCALE_PERIOD_S <= h.durationS) h.at(now + AUTOSCALE_PERIOD_S, Prio.Autoscale, { k: 'autoscale' });
  }

  /** Scans a service's replicas (see ReplicaScan) into `scan` from their current state; returns it. */
  private scanReplicas(svc: Service, scan: ReplicaScan): ReplicaScan {
    scan.alive = 0;
    scan.readyCount = 0;
    scan.ready.length = 0;
    scan.readyRt.length = 0;
    scan.speedClass.length = 0;
    scan.cards.length = 0;
    scan.speeds.length = 0;
    scan.mus.length = 0;
    scan.muCounts.length = 0;
    let muSum = 0;
    for (const p of svc.pods) {
      if (p.phase === 'bound' || p.phase === 'pending') scan.alive++;
      const rt = this.host.rt[p.uid];
      if (p.phase !== 'bound' || !rt.ready) continue;
      scan.readyCount++;
      scan.ready.push(p);
      scan.readyRt.push(rt);
      const mu = this.muOf(svc, p);
      muSum += mu;
      let k = scan.mus.indexOf(mu);
      if (k < 0) {
        k = scan.mus.length;
        scan.mus.push(mu);
        scan.muCounts.push(0);
      }
      scan.muCounts[k]++;
      const speed = rt.speed;
      let c = scan.speeds.indexOf(speed);
      if (c < 0) {
        c = scan.speeds.length;
        scan.speeds.push(speed);
      }
      scan.speedClass.push(c);
      scan.cards.push(p.binding!.gpus.length);
    }
    scan.muSum = muSum;
    return scan;
  }

  /**
   * ReplicaSet scale-down order (kube controller ActivePodsWithRanks): unscheduled pods first, then not-ready
   * ones, then pods on nodes holding more replicas of the same set, then the newest.
   */
  private scaleDownOrder(svc: Service): Pod[] {
    const alive = svc.pods.filter((p) => p.phase === 'bound' || p.phase === 'pending');
    const perNode = new Map<number, number>();
    for (const p of alive) if (p.binding) perNode.set(p.binding.nodeId, (perNode.get(p.binding.nodeId) ?? 0) + 1);
    const rank = (p: Pod): [number, number, number, number] => [
      p.phase === 'pending' ? 0 : 1,
      p.phase === 'bound' && this.host.rt[p.uid].ready ? 1 : 0,
      -(p.binding ? perNode.get(p.binding.nodeId)! : 0),
      -p.boundS,
    ];
    return alive
      .map((p) => ({ p, r: rank(p) }))
      .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2] - b.r[2] || a.r[3] - b.r[3] || b.p.uid - a.p.uid)
      .map((x) => x.p);
  }

  private addReplica(svc: Service): void {
    const h = this.host;
    svc.pods.push(h.spawn(`${svc.spec.name}-${svc.seq++}`, 'inference', svc.workload, h.requestOf(svc.workload), this.services.indexOf(svc)));
  }

  /** Request rate, ready replicas and latency percentiles (seconds) over all services at nowS. */
  gauges(): { qps: number; replicas: number; p50S: number; p99S: number } {
    const now = this.host.nowS;
    const queues: ReplicaQueue[] = [];
    let qps = 0;
    let replicas = 0;
    for (const svc of this.services) {
      qps += demandAt(svc.spec.demand, now);
      for (const p of svc.pods) {
        if (p.phase === 'bound' && this.host.rt[p.uid].ready) {
          replicas++;
          queues.push({ lambda: svc.lambda, mu: this.muOf(svc, p) });
        }
      }
    }
    return { qps, replicas, p50S: mixtureQuantile(queues, 0.5), p99S: mixtureQuantile(queues, 0.99) };
  }
}

/** A replica scan that must be rebuilt before use. */
function emptyScan(): ReplicaScan {
  return { alive: 0, readyCount: 0, ready: [], readyRt: [], speedClass: [], cards: [], speeds: [], mus: [], muCounts: [], muSum: 0 };
}

/** True when two replica scans hold the same values (Object.is: the same float bits up to NaN). */
function sameScan(a: ReplicaScan, b: ReplicaScan): boolean {
  const same = (x: readonly unknown[], y: readonly unknown[]): boolean => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
  return a.alive === b.alive && a.readyCount === b.readyCount && Object.is(a.muSum, b.muSum) && same(a.ready, b.ready) && same(a.readyRt, b.readyRt) && same(a.speedClass, b.speedClass) && same(a.cards, b.cards) && same(a.speeds, b.speeds) && same(a.mus, b.mus) && same(a.muCounts, b.muCounts);
}
