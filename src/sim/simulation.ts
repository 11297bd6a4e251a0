/**
 * The discrete-event simulator. A run is a pure function of (scenario, scheduler, seed): events are ordered by
 * (time, priority, sequence), randomness comes from seeded streams passed in, and wall time is never read.
 *
 * Processes: pod arrivals, scheduling cycles (after arrivals, and for waiting pods after anything is released),
 * completions and departures, training progress whose speed depends on placement and contention (domain.md §4),
 * the inference autoscaler on the demand curve, agent bursts, OOM kills where memory is not isolated, and the
 * metric samples. The simulator drives any scheduler through the `Scheduler` interface only.
 */
import { EventQueue } from '../core/eventQueue.ts';
import { TraceHasher } from '../core/hash.ts';
import { invariant } from '../core/invariant.ts';
import type { Rng } from '../core/rng.ts';
import type { ClusterState, GpuState, NodeState } from '../model/cluster.ts';
import { REFERENCE_TFLOPS } from '../model/gpuCatalog.ts';
import type { GpuBooking, Pod, PodRequest } from '../model/pod.ts';
import { GPU_CORES, GPU_MILLI } from '../model/units.ts';

// Hot-path copies of the unit constants.
const CORES = 100;
import type { CycleResult, Explanation, SchedContext, Scheduler } from '../sched/framework.ts';
import type { AgentWorkload, InferenceWorkload, RayClusterWorkload, Scenario, TrainingWorkload } from '../scenario/types.ts';
import { demandAt } from './demand.ts';
import { LatencyHistogram, quantileSorted, type MetricSample, type Summary } from './metrics.ts';
import { mixtureQuantile, mm1Attainment, type ReplicaQueue } from './queueing.ts';
import { buildRun, plannedPods, podRequestOf, rayGangMin, rayPodRequest, type RunSetup } from './setup.ts';
import { fragmentationMetricFor } from './fragmentationMetric.ts';

/** Autoscaler and inference bookkeeping period, seconds (HPA syncs every 15 s; 30 s keeps long runs light). */
export const AUTOSCALE_PERIOD_S = 30;
/** HPA tolerance: no scaling while |desired/current − 1| ≤ 0.1. */
export const HPA_TOLERANCE = 0.1;
/** CrashLoopBackOff after an OOM kill: 10 s doubling up to 300 s. */
const BACKOFF_BASE_S = 10;
const BACKOFF_MAX_S = 300;

/** Event kinds, in the order equal-time events run (lower first). */
const enum P {
  Release = 0,
  Ready = 1,
  Arrive = 2,
  Burst = 3,
  Autoscale = 4,
  Cycle = 8,
  Metrics = 9,
}

type Ev =
  | { k: 'arrive'; pod: Pod }
  | { k: 'finish'; pod: Pod; token: number }
  | { k: 'trainDone'; job: number; token: number }
  | { k: 'ready'; pod: Pod; token: number }
  | { k: 'cycle' }
  | { k: 'metrics' }
  | { k: 'autoscale' }
  | { k: 'burst'; agent: number }
  | { k: 'burstDone'; agent: number; token: number }
  | { k: 'idle'; agent: number; token: number }
  | { k: 'requeue'; pod: Pod }
  | { k: 'rayTask'; rc: number }
  | { k: 'rayTaskDone'; pod: Pod; token: number }
  | { k: 'rayScale' };

interface PodRt {
  /** Bumped when the pod is bound/unbound, to drop stale finish/ready events. */
  token: number;
  /** When the pod (re-)entered the queue. */
  queuedS: number;
  ready: boolean;
  /** Compute the pod would like, percent of one GPU (per GPU). */
  demandPct: number;
  /** Compute available to it under current contention, percent of one GPU (min over its GPUs). */
  availPct: number;
  restarts: number;
  /** Speed of the pod's first GPU relative to the reference card (set at bind). */
  speed: number;
  /** Agent index for agent pods, job index for training pods, service index for inference pods. */
  owner: number;
  /**
   * A ready inference replica alone on its cards: its used compute (min(demand, 100) per card) is kept in its
   * service's `aloneUsed` rather than in the per-GPU rows, so the autoscaler updates it without touching cards.
   */
  alone: boolean;
  /** The bookings and node of the pod's last binding (read after unbind, when the binding is gone). */
  lastGpus: GpuBooking[] | null;
  lastNode: number;
}

interface Job {
  spec: TrainingWorkload;
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

interface Service {
  spec: InferenceWorkload;
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

interface Agent {
  spec: AgentWorkload;
  workload: number;
  index: number;
  pod: Pod | null;
  /** Arrival times of bursts waiting to run, FIFO. */
  waiting: number[];
  busy: boolean;
  burstStartS: number;
  /** Identifies the running burst's completion event. */
  token: number;
  /** Identifies the pending idle timeout (scale-to-zero). */
  idleToken: number;
  rng: Rng;
  seq: number;
}

/** A RayCluster and its Ray autoscaler state. */
interface RayCluster {
  spec: RayClusterWorkload;
  workload: number;
  gang: number;
  gangMin: number;
  head: Pod | null;
  /** Worker pods alive (pending or bound), per group. */
  groups: { pods: Pod[]; seq: number }[];
  taskGroup: number;
  /** Arrival times of tasks waiting for a worker, FIFO. */
  queue: number[];
  /** Task arrival time per busy worker uid. */
  busy: Map<number, number>;
  /** When each idle ready worker became idle. */
  idleSince: Map<number, number>;
  rng: Rng;
}

/** Ray autoscaler update interval, seconds. */
export const RAY_AUTOSCALER_PERIOD_S = 10;

export interface SimOptions {
  /** Which of the scenario's schedulers runs (default 0). */
  schedulerIndex?: number;
  /** Overrides scenario.sim.seed. */
  seed?: number;
  /** Computes the cluster fragment (milli-GPU) at each sample; default: FGD's measure for the scenario's own pod shapes. */
  fragmentation?: (cluster: ClusterState) => number;
  /** Keep the scheduler's explanation of each failed first attempt and each bind (for "why here?"). */
  keepDecisions?: boolean;
  /** Tests: recompute cached simulator state (the autoscaler's replica scans) at each use; throw if it differs. */
  checkCaches?: boolean;
  /** Replaces the run's scheduler, e.g. by an engine-backed one (src/engine/wiring/wire.ts); same decisions required. */
  wrapScheduler?: (scheduler: Scheduler, setup: RunSetup) => Scheduler;
}

/** A scheduler whose cycle can also run asynchronously (the WebGPU engine awaits its readback). */
export interface AsyncCycleScheduler extends Scheduler {
  cycleAsync(queue: readonly Pod[], ctx: SchedContext): Promise<CycleResult>;
}

/** A scheduling decision as the UI and CLI show it. */
export interface DecisionRecord {
  tS: number;
  pod: string;
  node: string | null;
  gpus: number[];
  reason: string;
}

/** What a finished run returns. */
export interface SimResult {
  scenario: string;
  profile: string;
  label: string;
  seed: number;
  summary: Summary;
  series: MetricSample[];
  /** Hash of the full event trace: same scenario and seed → same hash, on every run and engine. */
  traceHash: string;
  events: number;
  /** Pods still pending at the end, with the scheduler's last reason (first 50). */
  unschedulable: { pod: string; reason: string }[];
}

/** A steppable simulation (the worker drives it in slices for the animation). */
export class Simulation {
  readonly setup: RunSetup;
  readonly scenario: Scenario;
  readonly cluster: ClusterState;
  readonly scheduler: Scheduler;
  readonly durationS: number;
  nowS = 0;
  private readonly q = new EventQueue<Ev>();
  private readonly hash = new TraceHasher();
  private events = 0;
  readonly pods: Pod[] = [];
  private readonly rt: PodRt[] = [];
  private readonly pending = new Set<Pod>();
  private readonly active = new Set<Pod>();
  private cycleAt = -1;
  private readonly jobs: Job[] = [];
  private readonly services: Service[] = [];
  private readonly agents: Agent[] = [];
  private readonly rays: RayCluster[] = [];
  /** Worker group of each RayCluster pod (−1 = head), by uid. */
  private readonly rayGroupOf = new Map<number, number>();
  private readonly rayWaits: number[] = [];
  private rayTasksDone = 0;
  private stepRayWaitSum = 0;
  private stepRayWaits = 0;
  /** Nodes whose cards must be recomputed (flush), without duplicates; order does not matter (sorted on flush). */
  private dirtyNodes: number[] = [];
  private readonly dirtyMark: Uint8Array;
  private readonly gpuUsedPct: Float64Array[];
  private usedPctTotal = 0;
  /** Σ over services of aloneUsed: compute used by replicas alone on their cards. */
  private aloneUsedTotal = 0;
  private allocMilliTotal = 0;
  private lastIntegrateS = 0;
  // Integrals over the whole run and over the current metrics step.
  private allocInt = 0;
  private utilInt = 0;
  private memBookedInt = 0;
  private memUsedInt = 0;
  private stepAllocInt = 0;
  private stepUtilInt = 0;
  private memBookedMiB = 0;
  private memUsedMiB = 0;
  private readonly totalGpuMemMiB: number;
  private readonly pricePerSecondUsd: number;
  private readonly gpuShapes: { cpu: number; mem: number }[];
  private readonly waits: number[] = [];
  private stepWaits = 0;
  private stepWaitSum = 0;
  private readonly burstLatencies: number[] = [];
  private stepBurstSum = 0;
  private stepBursts = 0;
  private stepRequests = 0;
  private stepRequestsOk = 0;
  private totalRequests = 0;
  private totalRequestsOk = 0;
  private readonly latencyHist = new LatencyHistogram();
  private oomKills = 0;
  private evictions = 0;
  private podsBound = 0;
  readonly series: MetricSample[] = [];
  readonly decisions: DecisionRecord[] = [];
  private readonly options: SimOptions;
  private readonly fragmentation: (cluster: ClusterState) => number;
  private finished = false;

  constructor(scenario: Scenario, options: SimOptions = {}) {
    this.options = options;
    this.fragmentation = options.fragmentation ?? fragmentationMetricFor(scenario);
    this.setup = buildRun(scenario, options.schedulerIndex ?? 0, options.seed);
    this.scenario = scenario;
    this.cluster = this.setup.cluster;
    this.scheduler = options.wrapScheduler ? options.wrapScheduler(this.setup.scheduler, this.setup) : this.setup.scheduler;
    this.durationS = scenario.sim.durationS;
    const c = this.cluster;
    this.gpuUsedPct = c.nodes.map((n) => new Float64Array(n.gpus.length));
    this.dirtyMark = new Uint8Array(c.nodes.length);
    this.totalGpuMemMiB = c.nodes.reduce((s, n) => s + n.gpus.reduce((t, g) => t + g.memMiB, 0), 0);
    this.pricePerSecondUsd = c.nodes.reduce((s, n) => s + n.gpus.reduce((t, g) => t + (c.catalog[g.model]?.pricePerHourUsd ?? 0), 0), 0) / 3600;
    for (const p of this.setup.existingPods) this.track(p, -1);
    for (const p of this.setup.existingPods) this.onBound(p, 0);
    this.gpuShapes = shapesOf(scenario);
    this.plan();
  }

  // ----- set-up -------------------------------------------------------------------------------------------

  private track(pod: Pod, owner: number): void {
    invariant(pod.uid === this.pods.length, () => `pod uid ${pod.uid} out of order`);
    this.pods.push(pod);
    this.rt.push({ token: 0, queuedS: pod.createdS, ready: false, demandPct: 0, availPct: 0, restarts: 0, speed: 1, owner, alone: false, lastGpus: null, lastNode: 0 });
  }

  private plan(): void {
    const s = this.scenario;
    const factory = this.setup.factory;
    const planned = plannedPods(s, factory, this.setup.workloadRng);
    // Owners: training jobs by gang, services and agents by workload.
    const serviceOf = new Map<number, number>();
    const rayOf = new Map<number, number>();
    const jobOfGang = new Map<number, number>();
    s.workloads.forEach((w, wi) => {
      if (w.kind === 'inference') {
        serviceOf.set(wi, this.services.length);
        this.services.push({ spec: w, workload: wi, pods: [], seq: w.replicas ?? w.minReplicas, recs: [], recsHead: 0, lambda: 0, aloneUsed: 0, scan: emptyScan(), scanDirty: true });
      } else if (w.kind === 'raycluster') {
        const taskGroup = Math.max(0, w.taskGroup ? w.workerGroups.findIndex((g) => g.name === w.taskGroup) : w.workerGroups.findIndex((g) => g.gpusPerWorker > 0));
        rayOf.set(wi, this.rays.length);
        this.rays.push({ spec: w, workload: wi, gang: -1, gangMin: rayGangMin(w), head: null, groups: w.workerGroups.map((g) => ({ pods: [], seq: g.replicas ?? g.minReplicas })), taskGroup, queue: [], busy: new Map(), idleSince: new Map(), rng: this.setup.workloadRng.fork(`ray:${wi}`) });
      } else if (w.kind === 'agent') {
        const r = this.setup.workloadRng.fork(`agents:${wi}`);
        for (let i = 0; i < w.count; i++) {
          this.agents.push({ spec: w, workload: wi, index: i, pod: null, waiting: [], busy: false, burstStartS: 0, token: 0, idleToken: 0, rng: r.fork(`a${i}`), seq: 0 });
        }
      }
    });
    const agentBase = new Map<number, number>();
    this.agents.forEach((a, i) => {
      if (!agentBase.has(a.workload)) agentBase.set(a.workload, i);
    });
    // Track in uid (creation) order; arrivals are queued at their own times.
    const byUid = [...planned].sort((a, b) => a.pod.uid - b.pod.uid);
    for (const { pod, atS } of byUid) {
      let owner = -1;
      const w = s.workloads[pod.workload];
      if (pod.kind === 'training') {
        let j = jobOfGang.get(pod.gang);
        if (j === undefined) {
          const spec = w as TrainingWorkload;
          j = this.jobs.length;
          jobOfGang.set(pod.gang, j);
          this.jobs.push({ spec, pods: [], arrivalS: atS, workS: spec.workGpuHours * 3600, doneS: 0, rate: 0, lastS: atS, running: false, startS: -1, endS: -1, token: 0, speed: 1 });
        }
        this.jobs[j].pods.push(pod);
        owner = j;
      } else if (pod.kind === 'inference') {
        owner = serviceOf.get(pod.workload)!;
        this.services[owner].pods.push(pod);
      } else if (pod.kind === 'agent') {
        owner = agentBase.get(pod.workload)! + Number(pod.name.slice(pod.name.lastIndexOf('-a') + 2));
        this.agents[owner].pod = pod;
      } else if (pod.kind === 'raycluster') {
        owner = rayOf.get(pod.workload)!;
        const rc = this.rays[owner];
        rc.gang = pod.gang;
        if (pod.name === `${rc.spec.name}-head`) {
          rc.head = pod;
          this.rayGroupOf.set(pod.uid, -1);
        } else {
          const gi = rc.spec.workerGroups.findIndex((g) => pod.name.startsWith(`${rc.spec.name}-${g.name}-`));
          rc.groups[gi].pods.push(pod);
          this.rayGroupOf.set(pod.uid, gi);
        }
      }
      this.track(pod, owner);
    }
    for (const { pod, atS } of planned) this.q.push(atS, P.Arrive, { k: 'arrive', pod });
    for (let i = 0; i < this.agents.length; i++) this.scheduleBurst(i, this.agents[i].spec.arrivalS ?? 0);
    if (this.services.length) this.q.push(0, P.Autoscale, { k: 'autoscale' });
    this.rays.forEach((rc, i) => this.scheduleRayTask(i, rc.spec.arrivalS ?? 0));
    if (this.rays.length) this.q.push(0, P.Autoscale, { k: 'rayScale' });
    this.q.push(Math.min(this.scenario.sim.metricsStepS, this.durationS), P.Metrics, { k: 'metrics' });
  }

  // ----- the event loop -----------------------------------------------------------------------------------

  /** Runs until simulated time `untilS` (inclusive) or the end of the run. Returns true when the run is over. */
  runUntil(untilS: number): boolean {
    const limit = Math.min(untilS, this.durationS);
    for (let ev = this.nextEvent(limit); ev; ev = this.nextEvent(limit)) this.handle(ev);
    return this.endAt(limit);
  }

  /** Settles pending recomputation, then takes the next event at or before `limit` (time advanced to it), or null. */
  private nextEvent(limit: number): Ev | null {
    this.flush();
    const timeS = this.q.peekTimeS();
    if (timeS > limit) return null;
    const ev = this.q.popPayload();
    this.advance(timeS);
    this.events++;
    return ev;
  }

  /** Advances the clock to `limit` after its events ran (to the end when nothing is left). */
  private endAt(limit: number): boolean {
    if (limit >= this.durationS || this.q.size === 0) {
      this.advance(this.durationS);
      this.finished = true;
    } else {
      this.advance(limit);
    }
    return this.finished;
  }

  /** Runs one event (for step-by-step playback). Returns false when nothing is left before the end. */
  stepEvent(): boolean {
    const ev = this.nextEvent(this.durationS);
    if (!ev) {
      this.runUntil(this.durationS);
      return false;
    }
    this.handle(ev);
    this.flush();
    return true;
  }

  /** Time of the next event, or Infinity. */
  nextEventS(): number {
    return this.q.peekTimeS();
  }

  get isFinished(): boolean {
    return this.finished;
  }

  private advance(tS: number): void {
    invariant(tS >= this.nowS, () => `time went back: ${tS} < ${this.nowS}`);
    const dt = tS - this.lastIntegrateS;
    if (dt > 0) {
      const cap = this.cluster.totalGpus;
      this.allocInt += this.allocMilliTotal * dt;
      this.stepAllocInt += this.allocMilliTotal * dt;
      const used = this.usedPctTotal + this.aloneUsedTotal;
      this.utilInt += used * dt;
      this.stepUtilInt += used * dt;
      this.memBookedInt += this.memBookedMiB * dt;
      this.memUsedInt += this.memUsedMiB * dt;
      this.lastIntegrateS = tS;
      void cap;
    }
    this.nowS = tS;
  }

  private handle(ev: Ev): void {
    const h = this.hash;
    switch (ev.k) {
      case 'arrive': {
        h.add(this.nowS).add('A').add(ev.pod.uid);
        this.enqueue(ev.pod);
        break;
      }
      case 'requeue': {
        if (ev.pod.phase !== 'pending' || this.pending.has(ev.pod)) return;
        h.add(this.nowS).add('Q').add(ev.pod.uid);
        this.enqueue(ev.pod);
        break;
      }
      case 'cycle':
        this.cycleAt = -1;
        this.runCycle();
        break;
      case 'finish': {
        if (ev.token !== this.rt[ev.pod.uid].token || ev.pod.phase !== 'bound') return;
        h.add(this.nowS).add('F').add(ev.pod.uid);
        this.release(ev.pod, 'succeeded');
        break;
      }
      case 'trainDone': {
        const job = this.jobs[ev.job];
        if (ev.token !== job.token || !job.running) return;
        this.updateProgress(job);
        h.add(this.nowS).add('T').add(ev.job);
        job.doneS = job.workS;
        job.running = false;
        job.endS = this.nowS;
        for (const p of job.pods) if (p.phase === 'bound') this.release(p, 'succeeded');
        break;
      }
      case 'ready': {
        const rt = this.rt[ev.pod.uid];
        if (ev.token !== rt.token || ev.pod.phase !== 'bound') return;
        h.add(this.nowS).add('R').add(ev.pod.uid);
        rt.ready = true;
        this.touchReplica(ev.pod);
        if (ev.pod.kind === 'agent') this.startNextBurst(rt.owner);
        if (ev.pod.kind === 'raycluster') {
          const rc = this.rays[rt.owner];
          if (this.rayGroupOf.get(ev.pod.uid)! >= 0) rc.idleSince.set(ev.pod.uid, this.nowS);
          this.dispatchRay(rt.owner);
        }
        this.markPod(ev.pod);
        break;
      }
      case 'autoscale':
        this.autoscale();
        if (this.nowS + AUTOSCALE_PERIOD_S <= this.durationS) this.q.push(this.nowS + AUTOSCALE_PERIOD_S, P.Autoscale, { k: 'autoscale' });
        break;
      case 'burst': {
        const a = this.agents[ev.agent];
        h.add(this.nowS).add('B').add(ev.agent);
        a.waiting.push(this.nowS);
        this.scheduleBurst(ev.agent, this.nowS);
        if (!a.pod) this.createAgentPod(ev.agent);
        else {
          a.idleToken++; // cancels a pending idle timeout (not the running burst)
          this.startNextBurst(ev.agent);
        }
        break;
      }
      case 'burstDone': {
        const a = this.agents[ev.agent];
        if (ev.token !== a.token || !a.busy) return;
        h.add(this.nowS).add('D').add(ev.agent);
        a.busy = false;
        if (a.pod) {
          this.rt[a.pod.uid].demandPct = 0;
          this.markPod(a.pod);
        }
        this.startNextBurst(ev.agent);
        if (!a.busy && a.waiting.length === 0 && a.spec.elasticity === 'scale-to-zero' && a.pod) {
          this.q.push(this.nowS + (a.spec.idleTimeoutS ?? 300), P.Release, { k: 'idle', agent: ev.agent, token: a.idleToken });
        }
        break;
      }
      case 'idle': {
        const a = this.agents[ev.agent];
        if (ev.token !== a.idleToken || a.busy || a.waiting.length > 0 || !a.pod) return;
        h.add(this.nowS).add('I').add(ev.agent);
        const pod = a.pod;
        a.pod = null;
        this.deletePod(pod);
        break;
      }
      case 'rayTask': {
        const rc = this.rays[ev.rc];
        h.add(this.nowS).add('Y').add(ev.rc);
        rc.queue.push(this.nowS);
        this.scheduleRayTask(ev.rc, this.nowS);
        this.dispatchRay(ev.rc);
        break;
      }
      case 'rayTaskDone': {
        const rt = this.rt[ev.pod.uid];
        if (ev.token !== rt.token || ev.pod.phase !== 'bound') return;
        const rc = this.rays[rt.owner];
        if (!rc.busy.has(ev.pod.uid)) return;
        h.add(this.nowS).add('y').add(ev.pod.uid);
        rc.busy.delete(ev.pod.uid);
        rc.idleSince.set(ev.pod.uid, this.nowS);
        this.rayTasksDone++;
        rt.demandPct = 0;
        this.markPod(ev.pod);
        this.dispatchRay(rt.owner);
        break;
      }
      case 'rayScale':
        this.rays.forEach((_, i) => this.rayAutoscale(i));
        if (this.nowS + RAY_AUTOSCALER_PERIOD_S <= this.durationS) this.q.push(this.nowS + RAY_AUTOSCALER_PERIOD_S, P.Autoscale, { k: 'rayScale' });
        break;
      case 'metrics':
        this.sample();
        if (this.nowS < this.durationS) this.q.push(Math.min(this.nowS + this.scenario.sim.metricsStepS, this.durationS), P.Metrics, { k: 'metrics' });
        break;
    }
  }

  // ----- queue and scheduling -----------------------------------------------------------------------------

  private enqueue(pod: Pod): void {
    pod.phase = 'pending';
    this.rt[pod.uid].queuedS = this.nowS;
    this.touchReplica(pod);
    this.pending.add(pod);
    this.active.add(pod);
    this.requestCycle();
  }

  private requestCycle(): void {
    if (this.cycleAt === this.nowS) return;
    this.cycleAt = this.nowS;
    this.q.push(this.nowS, P.Cycle, { k: 'cycle' });
  }

  /** Something was released: every waiting pod may fit now (kube's queueing hints move them to active). */
  private wakeAll(): void {
    if (this.pending.size === 0) return;
    for (const p of this.pending) this.active.add(p);
    this.requestCycle();
  }

  private runCycle(): void {
    const queue = this.takeCycleQueue();
    if (queue) this.applyCycle(this.scheduler.cycle(queue, this.schedContext()));
  }

  /** The queue a cycle works on (null when nothing is active): all pending pods for a gang-aware scheduler. */
  private takeCycleQueue(): Pod[] | null {
    if (this.active.size === 0) return null;
    const queue = this.scheduler.gangAware ? [...this.pending] : [...this.active];
    this.active.clear();
    return queue;
  }

  private schedContext(): SchedContext {
    return { cluster: this.cluster, rng: this.setup.schedulerRng, nowS: this.nowS };
  }

  /** Records a cycle's outcome: evictions, bindings, decisions, OOM checks (shared by the sync and async paths). */
  private applyCycle(result: CycleResult): void {
    const h = this.hash;
    for (const pod of result.evicted) {
      h.add(this.nowS).add('E').add(pod.uid);
      this.evictions++;
      if (pod.binding) this.cluster.unbind(pod);
      this.afterUnbind(pod);
      pod.phase = 'pending';
      this.rt[pod.uid].queuedS = this.nowS;
      this.touchReplica(pod);
      this.pending.add(pod);
    }
    for (const pod of result.bound) {
      invariant(pod.binding !== null, () => `scheduler ${this.scheduler.name} reported ${pod.name} bound without a binding`);
      h.add(this.nowS).add('S').add(pod.uid).add(pod.binding.nodeId);
      for (const g of pod.binding.gpus) h.add(g.gpu);
      this.pending.delete(pod);
      this.onBound(pod, this.nowS);
    }
    if (this.options.keepDecisions) {
      for (const pod of result.bound) this.decisions.push({ tS: this.nowS, pod: pod.name, node: this.cluster.nodes[pod.binding!.nodeId].name, gpus: pod.binding!.gpus.map((g) => g.gpu), reason: '' });
      for (const pod of result.failed) if (pod.attempts === 1) this.decisions.push({ tS: this.nowS, pod: pod.name, node: null, gpus: [], reason: pod.lastReason });
    }
    if (result.evicted.length) this.wakeAll();
    this.checkOom(result.bound);
  }

  /** Bookkeeping after a pod is bound (by a scheduler or as an existing pod). */
  private onBound(pod: Pod, tS: number): void {
    const rt = this.rt[pod.uid];
    pod.phase = 'bound';
    pod.boundS = tS;
    rt.token++;
    rt.speed = this.computeSpeed(pod);
    this.touchReplica(pod);
    this.podsBound++;
    const wait = tS - rt.queuedS;
    if (pod.workload >= 0) {
      this.waits.push(wait);
      this.stepWaits++;
      this.stepWaitSum += wait;
    }
    this.addBookings(pod, +1);
    switch (pod.kind) {
      case 'training': {
        rt.ready = true;
        const job = this.jobs[rt.owner];
        if (job.pods.every((p) => p.phase === 'bound')) this.startJob(job);
        break;
      }
      case 'inference': {
        const w = this.scenario.workloads[pod.workload] as InferenceWorkload;
        rt.ready = false;
        this.q.push(tS + (w.startupS ?? 60), P.Ready, { k: 'ready', pod, token: rt.token });
        break;
      }
      case 'agent': {
        const w = this.scenario.workloads[pod.workload] as AgentWorkload;
        rt.ready = false;
        this.q.push(tS + (w.elasticity === 'scale-to-zero' ? (w.coldStartS ?? 10) : 0), P.Ready, { k: 'ready', pod, token: rt.token });
        break;
      }
      case 'raycluster': {
        const w = this.scenario.workloads[pod.workload] as RayClusterWorkload;
        rt.ready = false;
        const head = this.rayGroupOf.get(pod.uid) === -1;
        this.q.push(tS + (head ? 0 : (w.workerStartupS ?? 30)), P.Ready, { k: 'ready', pod, token: rt.token });
        break;
      }
      case 'batch':
      case 'trace': {
        rt.ready = true;
        const w = this.scenario.workloads[pod.workload];
        let duration = Infinity;
        if (w?.kind === 'batch') duration = w.durationS;
        else if (w?.kind === 'trace') {
          const tp = w.pods.find((p) => p.name === pod.name);
          if (tp && tp.deletionS !== undefined) duration = Math.max(1, tp.deletionS - tp.creationS);
        }
        const util = w && (w.kind === 'batch' || w.kind === 'trace') ? (w.gpuUtilization ?? 1) : 1;
        rt.demandPct = pod.request.gpuCount > 0 ? (pod.request.gpuMilli / 10) * util : 0;
        if (Number.isFinite(duration)) this.q.push(tS + duration, P.Release, { k: 'finish', pod, token: rt.token });
        break;
      }
    }
    this.markPod(pod);
  }

  /** Unbinds a pod and ends its life ('succeeded', 'deleted' or 'failed'). */
  private release(pod: Pod, phase: 'succeeded' | 'deleted' | 'failed'): void {
    if (pod.binding) {
      this.markPod(pod);
      this.cluster.unbind(pod);
      this.afterUnbind(pod);
    }
    this.pending.delete(pod);
    this.active.delete(pod);
    pod.phase = phase;
    this.touchReplica(pod);
    this.wakeAll();
  }

  private afterUnbind(pod: Pod): void {
    const rt = this.rt[pod.uid];
    if (rt.alone) this.setAlone(pod, false);
    rt.token++;
    rt.ready = false;
    rt.demandPct = 0;
    rt.availPct = 0;
    this.touchReplica(pod);
    this.addBookings(pod, -1, true);
    if (pod.kind === 'training') {
      const job = this.jobs[rt.owner];
      if (job.running) this.stopJob(job);
    }
    if (pod.kind === 'raycluster') {
      const rc = this.rays[rt.owner];
      const task = rc.busy.get(pod.uid);
      if (task !== undefined) {
        // The task was running on a worker that went away: Ray retries it.
        rc.busy.delete(pod.uid);
        rc.queue.unshift(task);
      }
      rc.idleSince.delete(pod.uid);
    }
  }

  private addBookings(pod: Pod, sign: 1 | -1, fromRemoved = false): void {
    const b = pod.binding;
    if (!b && !fromRemoved) return;
    // On unbind the binding is gone already: recompute from the pod's remembered bookings.
    const rt = this.rt[pod.uid];
    const gpus = b ? b.gpus : (rt.lastGpus ?? []);
    const node = this.cluster.nodes[b ? b.nodeId : rt.lastNode];
    for (const g of gpus) {
      this.allocMilliTotal += sign * g.milli;
      this.memBookedMiB += sign * g.memMiB;
      this.memUsedMiB += sign * Math.min(this.realMemMiB(pod, node.gpus[g.gpu]), node.gpus[g.gpu].memMiB);
      this.markNode(node.id);
    }
    if (b) {
      rt.lastGpus = b.gpus;
      rt.lastNode = b.nodeId;
    }
  }


  /** GPU memory the pod really uses on a card: its gpumem, else its share of the card. */
  private realMemMiB(pod: Pod, g: GpuState): number {
    if (pod.request.gpuMemMiB > 0) return pod.request.gpuMemMiB;
    return Math.floor((g.memMiB * pod.request.gpuMilli) / GPU_MILLI);
  }

  /** Time-slicing has no memory isolation: when a card's tenants need more than it has, the newest is OOM-killed. */
  private checkOom(bound: readonly Pod[]): void {
    if (!this.cluster.options.allowMemOversubscription || bound.length === 0) return;
    const seen = new Set<number>();
    for (const pod of bound) {
      if (!pod.binding) continue;
      const node = this.cluster.nodes[pod.binding.nodeId];
      for (const b of pod.binding.gpus) {
        const key = node.id * 64 + b.gpu;
        if (seen.has(key)) continue;
        seen.add(key);
        this.oomCard(node, b.gpu);
      }
    }
  }

  private oomCard(node: NodeState, gpu: number): void {
    const card = node.gpus[gpu];
    for (;;) {
      const tenants = this.cluster.podsOnNode[node.id].filter((p) => p.binding!.gpus.some((b) => b.gpu === gpu));
      const need = tenants.reduce((s, p) => s + this.realMemMiB(p, card), 0);
      if (need <= card.memMiB || tenants.length <= 1) return;
      // The newest tenant allocates last and hits the out-of-memory error.
      const victim = tenants.reduce((a, b) => (b.boundS > a.boundS || (b.boundS === a.boundS && b.uid > a.uid) ? b : a));
      this.hash.add(this.nowS).add('O').add(victim.uid);
      this.oomKills++;
      this.markPod(victim);
      this.cluster.unbind(victim);
      this.afterUnbind(victim);
      victim.phase = 'pending';
      this.touchReplica(victim);
      victim.lastReason = `OOMKilled on ${node.name} GPU ${gpu}: tenants need ${need} MiB of ${card.memMiB} MiB`;
      const rt = this.rt[victim.uid];
      const backoff = Math.min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** rt.restarts);
      rt.restarts++;
      this.q.push(this.nowS + backoff, P.Arrive, { k: 'requeue', pod: victim });
      this.wakeAll();
    }
  }

  /** Removes a pod for good (scale-down, agent idle), wherever it is. */
  private deletePod(pod: Pod): void {
    this.hash.add(this.nowS).add('X').add(pod.uid);
    this.release(pod, 'deleted');
  }

  // ----- contention and utilization -----------------------------------------------------------------------

  private markNode(nodeId: number): void {
    if (this.dirtyMark[nodeId]) return;
    this.dirtyMark[nodeId] = 1;
    this.dirtyNodes.push(nodeId);
  }

  private markPod(pod: Pod): void {
    const b = pod.binding;
    if (!b) return;
    if (b.gpus.length) this.markNode(b.nodeId);
  }

  /**
   * A ready replica's demand changes with its load, but it stays an active tenant, so the cards' sharing
   * scales do not change: update the used compute in place instead of recomputing the cards.
   */
  private setServingDemand(pod: Pod, demandPct: number): void {
    const rt = this.rt[pod.uid];
    if (demandPct === rt.demandPct) return;
    rt.demandPct = demandPct;
    this.markPod(pod);
  }

  /** Moves a replica's used compute between its cards' rows and its service's aloneUsed. */
  private setAlone(pod: Pod, alone: boolean): void {
    const rt = this.rt[pod.uid];
    if (rt.alone === alone) return;
    const svc = this.services[rt.owner];
    // On unbind the binding is already gone: the bookings it had are remembered.
    const cards = (pod.binding?.gpus ?? rt.lastGpus ?? []).length;
    const u = Math.min(rt.demandPct, CORES) * cards;
    const sign = alone ? 1 : -1;
    svc.aloneUsed += sign * u;
    this.aloneUsedTotal += sign * u;
    rt.alone = alone;
    svc.scanDirty = true;
  }

  /** Compute cap of a tenant on a card: its gpucores limit where one is booked, else the whole card. */
  private capPct(booking: GpuBooking): number {
    return booking.cores > 0 ? Math.min(booking.cores, CORES) : CORES;
  }

  /**
   * Recomputes the nodes of dirty GPUs. The GPU is processor-shared, and `gpucores` is a soft limit (HAMi's
   * default token bucket): a tenant is guaranteed its weighted share 100·cap/Σcap of the active tenants, and
   * gets whatever its neighbours leave idle on average, avail = max(share, 100 − Σ others' demand) ≤ 100
   * (a mean-field approximation of sharing over time); used = Σ min(demand, avail) ≤ 100. A pod's
   * availability is its least available GPU. Training jobs on changed nodes get their progress rate recomputed.
   */
  private flush(): void {
    if (this.dirtyNodes.length === 0) return;
    // Swap the marked list with the spare one (nothing is marked while flushing, but the list stays fresh).
    const nodes = this.dirtyNodes;
    this.dirtyNodes = this.flushingNodes;
    this.flushingNodes = nodes;
    if (nodes.length > 1) nodes.sort((a, b) => a - b);
    for (const id of nodes) this.dirtyMark[id] = 0;
    // Training jobs on the flushed nodes, as a marked list (ascending order restored below).
    if (this.flushJobMark.length < this.jobs.length) this.flushJobMark = new Uint8Array(this.jobs.length);
    const jobs = this.flushJobs;
    const jobMark = this.flushJobMark;
    const capSum = this.scratchCap;
    const demandSum = this.scratchDemand;
    const used = this.scratchUsed;
    const tenants = this.scratchTenants;
    for (const nodeId of nodes) {
      const node = this.cluster.nodes[nodeId];
      const pods = this.cluster.podsOnNode[nodeId];
      const n = node.gpus.length;
      for (let g = 0; g < n; g++) {
        capSum[g] = 0;
        demandSum[g] = 0;
        used[g] = 0;
        tenants[g] = 0;
      }
      for (const p of pods) {
        const rt = this.rt[p.uid];
        const active = rt.demandPct > 0 || (p.kind === 'inference' && rt.ready);
        const d = Math.min(rt.demandPct, CORES);
        for (const b of p.binding!.gpus) {
          if (active) capSum[b.gpu] += this.capPct(b);
          demandSum[b.gpu] += d;
          tenants[b.gpu]++;
        }
      }
      for (const p of pods) {
        const rt = this.rt[p.uid];
        const d = Math.min(rt.demandPct, CORES);
        const active = rt.demandPct > 0 || (p.kind === 'inference' && rt.ready);
        let avail = CORES;
        let alone = p.kind === 'inference' && rt.ready && p.binding!.gpus.length > 0;
        for (const b of p.binding!.gpus) if (tenants[b.gpu] !== 1) alone = false;
        this.setAlone(p, alone);
        for (const b of p.binding!.gpus) {
          const cap = this.capPct(b);
          const weights = capSum[b.gpu] + (active ? 0 : cap);
          const share = weights > 0 ? (CORES * cap) / weights : CORES;
          const a = Math.min(CORES, Math.max(share, CORES - (demandSum[b.gpu] - d)));
          if (!alone) used[b.gpu] += Math.min(d, a);
          if (a < avail) avail = a;
        }
        const availPct = p.binding!.gpus.length ? avail : 0;
        if (availPct !== rt.availPct) {
          rt.availPct = availPct;
          this.touchReplica(p);
        }
        if (p.kind === 'training' && jobMark[rt.owner] === 0) {
          jobMark[rt.owner] = 1;
          jobs.push(rt.owner);
        }
      }
      const row = this.gpuUsedPct[nodeId];
      for (let g = 0; g < n; g++) {
        const u = Math.min(used[g], CORES);
        this.usedPctTotal += u - row[g];
        row[g] = u;
      }
    }
    nodes.length = 0;
    if (jobs.length === 0) return;
    if (jobs.length > 1) jobs.sort((a, b) => a - b);
    for (const j of jobs) jobMark[j] = 0;
    for (const j of jobs) {
      const job = this.jobs[j];
      if (job.running) this.rescheduleJob(job, j);
    }
    jobs.length = 0;
  }

  /** The node list being flushed (swapped with dirtyNodes), the jobs seen on it and their marks. */
  private flushingNodes: number[] = [];
  private readonly flushJobs: number[] = [];
  private flushJobMark = new Uint8Array(0);

  private readonly scratchCap = new Float64Array(64);
  private readonly scratchDemand = new Float64Array(64);
  private readonly scratchUsed = new Float64Array(64);
  private readonly scratchTenants = new Int32Array(64);

  // ----- training -------------------------------------------------------------------------------------------

  private startJob(job: Job): void {
    job.running = true;
    if (job.startS < 0) job.startS = this.nowS;
    job.lastS = this.nowS;
    for (const p of job.pods) {
      this.rt[p.uid].demandPct = GPU_CORES;
      this.markPod(p);
    }
    this.hash.add(this.nowS).add('J').add(this.jobs.indexOf(job));
    // The rate is set in flush() once contention is known.
  }

  private stopJob(job: Job): void {
    this.updateProgress(job);
    job.running = false;
    job.rate = 0;
    job.token++;
    for (const p of job.pods) {
      this.rt[p.uid].demandPct = 0;
      this.markPod(p);
    }
  }

  private updateProgress(job: Job): void {
    if (job.running) job.doneS = Math.min(job.workS, job.doneS + job.rate * (this.nowS - job.lastS));
    job.lastS = this.nowS;
  }

  private rescheduleJob(job: Job, j: number): void {
    this.updateProgress(job);
    const { rate, speed } = this.trainingRate(job);
    job.rate = rate;
    job.speed = speed;
    job.token++;
    const left = job.workS - job.doneS;
    const eta = rate > 0 ? this.nowS + Math.max(0, Math.ceil(left / rate - 1e-9)) : Infinity;
    if (Number.isFinite(eta)) this.q.push(eta, P.Release, { k: 'trainDone', job: j, token: job.token });
  }

  /**
   * Progress rate in reference-GPU seconds per second:
   * n · speed · e(placement)/e(ideal) · min contention share, where e = c/(c + comm), comm = 2(n−1)/n · S / bw
   * (ring all-reduce over the slowest link the gang spans), speed = slowest card's TFLOPS / A100's.
   */
  trainingRate(job: Job): { rate: number; speed: number } {
    const spec = job.spec;
    // Whether the gang spans several nodes / racks (the first pod's node and rack against the others').
    const first = this.cluster.nodes[job.pods[0].binding!.nodeId];
    let manyNodes = false;
    let manyRacks = false;
    let minSpeed = Infinity;
    let share = 1;
    let n = 0;
    for (const p of job.pods) {
      const b = p.binding!;
      const node = this.cluster.nodes[b.nodeId];
      if (node.id !== first.id) manyNodes = true;
      if (node.rack !== first.rack) manyRacks = true;
      for (const g of b.gpus) {
        n++;
        const model = this.cluster.catalog[node.gpus[g.gpu].model];
        minSpeed = Math.min(minSpeed, (model?.tflops ?? REFERENCE_TFLOPS) / REFERENCE_TFLOPS);
      }
      share = Math.min(share, this.rt[p.uid].availPct / GPU_CORES);
    }
    const bw = this.linkBandwidth(job, manyNodes, manyRacks, first);
    const c = spec.stepComputeS;
    const comm = (n: number, bwGBs: number): number => (n <= 1 || spec.commGBPerStep === 0 ? 0 : ((2 * (n - 1)) / n) * (spec.commGBPerStep / bwGBs));
    const eActual = c / (c + comm(n, bw));
    const eIdeal = c / (c + comm(n, this.idealBandwidth(n)));
    return { rate: n * minSpeed * (eActual / eIdeal) * share, speed: minSpeed };
  }

  private network(): { intra: number; inter: number; pcie: number } {
    if (this.net) return this.net;
    const net = this.scenario.cluster.network ?? {};
    this.net = { intra: net.intraRackGBs ?? 50, inter: net.interRackGBs ?? 12.5, pcie: net.pcieGBs ?? 32 };
    return this.net;
  }

  private net: { intra: number; inter: number; pcie: number } | null = null;

  /** Slowest link a gang spans: across racks, across nodes, or inside one node by its topology. */
  private linkBandwidth(job: Job, manyNodes: boolean, manyRacks: boolean, node: NodeState): number {
    const net = this.network();
    if (manyRacks) return net.inter;
    if (manyNodes) return net.intra;
    const model = this.cluster.catalog[node.gpuModel];
    const nvlink = model?.nvlinkGBs ?? 0;
    if (node.topology === 'nvswitch' && nvlink > 0) return nvlink;
    if (node.topology === 'nvlink-pairs' && nvlink > 0) {
      const idx = job.pods.flatMap((p) => p.binding!.gpus.map((g) => g.gpu)).sort((a, b) => a - b);
      if (idx.length === 2 && idx[0] % 2 === 0 && idx[1] === idx[0] + 1) return nvlink;
    }
    return net.pcie;
  }

  /** Bandwidth of the best placement the cluster could offer n GPUs: one NVSwitch node if one is big enough. */
  private idealBandwidth(n: number): number {
    const net = this.network();
    let best = 0;
    for (const pool of this.scenario.cluster.pools) {
      if (pool.gpusPerNode < n || pool.count === 0) continue;
      const nvlink = this.cluster.catalog[pool.gpuModel]?.nvlinkGBs ?? 0;
      const bw = pool.topology === 'nvswitch' && nvlink > 0 ? nvlink : pool.topology === 'nvlink-pairs' && nvlink > 0 && n === 2 ? nvlink : net.pcie;
      best = Math.max(best, bw);
    }
    return best > 0 ? best : net.intra;
  }

  // ----- inference ------------------------------------------------------------------------------------------

  private speedOf(pod: Pod): number {
    return this.rt[pod.uid].speed;
  }

  private computeSpeed(pod: Pod): number {
    const b = pod.binding;
    if (!b || b.gpus.length === 0) return 1;
    const node = this.cluster.nodes[b.nodeId];
    const model = this.cluster.catalog[node.gpus[b.gpus[0].gpu].model];
    return (model?.tflops ?? REFERENCE_TFLOPS) / REFERENCE_TFLOPS;
  }

  /** Service rate of a ready replica, requests/s: qpsPerGpu · speed · available compute share. */
  private muOf(svc: Service, pod: Pod): number {
    return svc.spec.qpsPerGpu * this.speedOf(pod) * (this.rt[pod.uid].availPct / CORES);
  }

  /**
   * Every AUTOSCALE_PERIOD_S: account the requests of the elapsed period (M/M/1 per ready replica, the load
   * split evenly), set each replica's compute demand from its load, and run the HPA: desired = ⌈current ·
   * utilization / target⌉ with a 10% tolerance, scale-down limited by the max recommendation in the window.
   */
  private autoscale(): void {
    for (const svc of this.services) {
      const spec = svc.spec;
      const qps = demandAt(spec.demand, this.nowS);
      if (svc.scanDirty) {
        this.scanReplicas(svc, svc.scan);
        svc.scanDirty = false;
      } else if (this.options.checkCaches) {
        const fresh = this.scanReplicas(svc, emptyScan());
        invariant(sameScan(fresh, svc.scan), () => `${spec.name}: cached replica scan is stale at ${this.nowS} s`);
      }
      const scan = svc.scan;
      const alive = scan.alive;
      const readyCount = scan.readyCount;
      const lambda = readyCount ? qps / readyCount : 0;
      svc.lambda = lambda;
      // Requests of the coming period are served at the current state; replicas with the same service rate
      // are one component of the latency mixture (a handful of distinct rates: card models × sharing).
      const reqs = qps * AUTOSCALE_PERIOD_S;
      if (readyCount === 0) this.latencyHist.addSaturated(reqs);
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
        } else {
          this.setServingDemand(scan.ready[i], demand);
        }
      }
      this.aloneUsedTotal += aloneUsed - svc.aloneUsed;
      svc.aloneUsed = aloneUsed;
      const mus = scan.mus;
      const counts = scan.muCounts;
      let ok = 0;
      for (let k = 0; k < mus.length; k++) {
        const w = lambda * AUTOSCALE_PERIOD_S * counts[k];
        ok += w * mm1Attainment({ lambda, mu: mus[k] }, spec.sloMs / 1000);
        if (lambda < mus[k]) this.latencyHist.addExponential(mus[k] - lambda, w);
        else this.latencyHist.addSaturated(w);
      }
      this.stepRequests += reqs;
      this.stepRequestsOk += ok;
      this.totalRequests += reqs;
      this.totalRequestsOk += ok;
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
      const window = spec.stabilizationS ?? 300;
      const recs = svc.recs;
      recs.push({ tS: this.nowS, n: desired });
      while (svc.recsHead < recs.length && recs[svc.recsHead].tS < this.nowS - window) svc.recsHead++;
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
        for (const p of this.scaleDownOrder(svc).slice(0, current - target)) this.deletePod(p);
      }
      // Drop replicas that are gone (only a scale-down, or a pod gone since the scan, leaves any).
      const added = target > current ? target - current : 0;
      if (target < current || svc.pods.length !== alive + added) svc.pods = svc.pods.filter((p) => p.phase === 'bound' || p.phase === 'pending');
    }
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
      const rt = this.rt[p.uid];
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
      const speed = this.speedOf(p);
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

  /** An inference replica's phase, readiness, speed, compute or aloneness changed: its service rescans. */
  private touchReplica(pod: Pod): void {
    if (pod.kind !== 'inference') return;
    const owner = this.rt[pod.uid].owner;
    if (owner >= 0) this.services[owner].scanDirty = true;
  }

  private readonly scratchDemands: number[] = [];

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
      p.phase === 'bound' && this.rt[p.uid].ready ? 1 : 0,
      -(p.binding ? perNode.get(p.binding.nodeId)! : 0),
      -p.boundS,
    ];
    return alive
      .map((p) => ({ p, r: rank(p) }))
      .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2] - b.r[2] || a.r[3] - b.r[3] || b.p.uid - a.p.uid)
      .map((x) => x.p);
  }

  private addReplica(svc: Service): void {
    svc.pods.push(this.spawn(`${svc.spec.name}-${svc.seq++}`, 'inference', svc.workload, this.requestOf(svc.workload), this.services.indexOf(svc)));
  }

  /** The request of the pods a controller creates for a workload: one shared object (requests never change). */
  private requestOf(workload: number): PodRequest {
    return (this.requests[workload] ??= podRequestOf(this.scenario.workloads[workload]));
  }

  private readonly requests: PodRequest[] = [];

  /** Creates a pod at the current time for a workload's controller, tracks it and queues it. */
  private spawn(name: string, kind: Pod['kind'], workload: number, request: PodRequest, owner: number, gang?: { id: number; min: number }): Pod {
    const w = this.scenario.workloads[workload];
    const pod = this.setup.factory.make({
      name,
      kind,
      workload,
      request,
      createdS: this.nowS,
      priority: w.priority ?? 0,
      queue: w.queue ?? 'default',
      annotations: w.annotations ?? {},
      gang: gang?.id,
      gangMin: gang?.min,
    });
    this.track(pod, owner);
    this.hash.add(this.nowS).add('+').add(pod.uid);
    this.enqueue(pod);
    return pod;
  }

  // ----- agents ---------------------------------------------------------------------------------------------

  /** Time of the next arrival of a Poisson stream of `perHour` after `fromS` (whole seconds, ≥ 1 s later), or −1. */
  private nextPoisson(rng: Rng, perHour: number, fromS: number): number {
    if (perHour <= 0) return -1;
    const t = fromS + Math.max(1, Math.round(rng.exp(perHour / 3600)));
    return t <= this.durationS ? t : -1;
  }

  private scheduleBurst(i: number, fromS: number): void {
    const a = this.agents[i];
    const t = this.nextPoisson(a.rng, a.spec.burstsPerHour, fromS);
    if (t >= 0) this.q.push(t, P.Burst, { k: 'burst', agent: i });
  }

  private createAgentPod(i: number): void {
    const a = this.agents[i];
    a.pod = this.spawn(`${a.spec.name}-a${a.index}-${a.seq++}`, 'agent', a.workload, this.requestOf(a.workload), i);
  }

  /** Starts the agent's next waiting burst if its pod is ready: service time = work / (speed · share). */
  private startNextBurst(i: number): void {
    const a = this.agents[i];
    const pod = a.pod;
    if (a.busy || a.waiting.length === 0 || !pod || !this.rt[pod.uid].ready) return;
    const arrivedS = a.waiting.shift()!;
    a.busy = true;
    a.token++;
    const rt = this.rt[pod.uid];
    rt.demandPct = GPU_CORES;
    this.markPod(pod);
    this.flush();
    const share = Math.max(rt.availPct, 1e-6) / GPU_CORES;
    const serviceS = a.spec.burstGpuS / (this.speedOf(pod) * share);
    const doneS = this.nowS + Math.max(1, Math.ceil(serviceS));
    const latency = doneS - arrivedS;
    this.burstLatencies.push(latency);
    this.stepBursts++;
    this.stepBurstSum += latency;
    this.q.push(doneS, P.Release, { k: 'burstDone', agent: i, token: a.token });
  }

  // ----- KubeRay ---------------------------------------------------------------------------------------------

  private scheduleRayTask(i: number, fromS: number): void {
    const rc = this.rays[i];
    const t = this.nextPoisson(rc.rng, rc.spec.tasksPerHour, fromS);
    if (t >= 0) this.q.push(t, P.Burst, { k: 'rayTask', rc: i });
  }

  /** Runs waiting tasks on idle ready workers of the task group (lowest uid first); needs the head running. */
  private dispatchRay(i: number): void {
    const rc = this.rays[i];
    if (!rc.head || rc.head.phase !== 'bound' || !this.rt[rc.head.uid].ready) return;
    const workers = rc.groups[rc.taskGroup].pods;
    for (const w of workers) {
      if (rc.queue.length === 0) return;
      const rt = this.rt[w.uid];
      if (w.phase !== 'bound' || !rt.ready || rc.busy.has(w.uid)) continue;
      const arrived = rc.queue.shift()!;
      rc.busy.set(w.uid, arrived);
      rc.idleSince.delete(w.uid);
      const wait = this.nowS - arrived;
      this.rayWaits.push(wait);
      this.stepRayWaitSum += wait;
      this.stepRayWaits++;
      rt.demandPct = w.request.gpuCount > 0 ? CORES : 0;
      this.markPod(w);
      this.q.push(this.nowS + rc.spec.taskDurationS, P.Release, { k: 'rayTaskDone', pod: w, token: rt.token });
    }
  }

  /**
   * The Ray autoscaler: launch workers for tasks no idle or starting worker will take (up to maxReplicas);
   * remove workers idle for idleTimeoutSeconds (newest first, down to minReplicas).
   */
  private rayAutoscale(i: number): void {
    const rc = this.rays[i];
    rc.spec.workerGroups.forEach((g, gi) => {
      const grp = rc.groups[gi];
      grp.pods = grp.pods.filter((p) => p.phase === 'bound' || p.phase === 'pending');
      const alive = grp.pods.length;
      if (gi === rc.taskGroup) {
        const coming = grp.pods.filter((p) => !rc.busy.has(p.uid) && (p.phase === 'pending' || !this.rt[p.uid].ready || rc.idleSince.has(p.uid))).length;
        const add = Math.min(rc.queue.length - coming, g.maxReplicas - alive);
        for (let k = 0; k < add; k++) this.addRayWorker(rc, gi);
      }
      const timeout = rc.spec.idleTimeoutS ?? 60;
      const idle = grp.pods.filter((p) => rc.idleSince.has(p.uid) && this.nowS - rc.idleSince.get(p.uid)! >= timeout).sort((a, b) => b.uid - a.uid);
      let n = grp.pods.length;
      for (const p of idle) {
        if (n <= g.minReplicas) break;
        this.deletePod(p);
        n--;
      }
      grp.pods = grp.pods.filter((p) => p.phase === 'bound' || p.phase === 'pending');
    });
  }

  private addRayWorker(rc: RayCluster, gi: number): void {
    const grp = rc.groups[gi];
    const name = `${rc.spec.name}-${rc.spec.workerGroups[gi].name}-${grp.seq++}`;
    // The group is registered before the pod is queued: a same-instant cycle may bind it.
    const uid = this.pods.length;
    this.rayGroupOf.set(uid, gi);
    const pod = this.spawn(name, 'raycluster', rc.workload, rayPodRequest(rc.spec, gi), this.rays.indexOf(rc), { id: rc.gang, min: rc.gangMin });
    grp.pods.push(pod);
  }

  // ----- metrics ----------------------------------------------------------------------------------------------

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

  private sample(): void {
    const step = this.scenario.sim.metricsStepS;
    const prev = this.series.length ? this.series[this.series.length - 1].tS : 0;
    const dt = Math.max(this.nowS - prev, 1e-9);
    const gpus = Math.max(this.cluster.totalGpus, 1);
    const queues: ReplicaQueue[] = [];
    let qps = 0;
    let replicas = 0;
    for (const svc of this.services) {
      qps += demandAt(svc.spec.demand, this.nowS);
      for (const p of svc.pods) {
        if (p.phase === 'bound' && this.rt[p.uid].ready) {
          replicas++;
          queues.push({ lambda: svc.lambda, mu: this.muOf(svc, p) });
        }
      }
    }
    const p50 = mixtureQuantile(queues, 0.5);
    const p99 = mixtureQuantile(queues, 0.99);
    let arrived = 0;
    let progress = 0;
    let running = 0;
    let completed = 0;
    for (const job of this.jobs) {
      if (job.arrivalS > this.nowS) continue;
      arrived++;
      const done = job.running ? Math.min(job.workS, job.doneS + job.rate * (this.nowS - job.lastS)) : job.doneS;
      progress += done / job.workS;
      if (job.running) running++;
      if (job.endS >= 0) completed++;
    }
    const frag = this.fragmentation(this.cluster) / GPU_MILLI;
    this.series.push({
      tS: this.nowS,
      allocationPct: (this.stepAllocInt / dt / (gpus * GPU_MILLI)) * 100,
      utilizationPct: (this.stepUtilInt / dt / (gpus * GPU_CORES)) * 100,
      gpusInUse: this.cluster.totalGpus - this.cluster.nodes.reduce((a, n) => a + n.freeWholeGpus, 0),
      gpuMemBookedPct: this.totalGpuMemMiB ? (this.memBookedMiB / this.totalGpuMemMiB) * 100 : 0,
      gpuMemUsedPct: this.totalGpuMemMiB ? (this.memUsedMiB / this.totalGpuMemMiB) * 100 : 0,
      strandedGpus: this.strandedGpus(),
      fragmentedGpus: frag,
      pending: this.pending.size,
      meanWaitS: this.stepWaits ? this.stepWaitSum / this.stepWaits : 0,
      inferenceQps: qps,
      inferenceReplicas: replicas,
      sloAttainmentPct: this.stepRequests > 0 ? (this.stepRequestsOk / this.stepRequests) * 100 : 100,
      p50LatencyMs: Number.isFinite(p50) ? p50 * 1000 : -1,
      p99LatencyMs: Number.isFinite(p99) ? p99 * 1000 : -1,
      agentBurstLatencyS: this.stepBursts ? this.stepBurstSum / this.stepBursts : 0,
      rayTaskWaitS: this.stepRayWaits ? this.stepRayWaitSum / this.stepRayWaits : 0,
      rayTasksWaiting: this.rays.reduce((a, rc) => a + rc.queue.length, 0),
      trainingRunning: running,
      trainingCompleted: completed,
      trainingProgressPct: arrived ? (progress / arrived) * 100 : 0,
      costUsd: this.pricePerSecondUsd * this.nowS,
      oomKills: this.oomKills,
    });
    void step;
    this.stepAllocInt = 0;
    this.stepUtilInt = 0;
    this.stepWaits = 0;
    this.stepWaitSum = 0;
    this.stepBursts = 0;
    this.stepBurstSum = 0;
    this.stepRayWaits = 0;
    this.stepRayWaitSum = 0;
    this.stepRequests = 0;
    this.stepRequestsOk = 0;
  }

  /** The summary of the run so far. */
  summary(): Summary {
    const T = Math.max(this.nowS, 1e-9);
    const gpus = Math.max(this.cluster.totalGpus, 1);
    const waits = [...this.waits].sort((a, b) => a - b);
    const bursts = [...this.burstLatencies].sort((a, b) => a - b);
    const done = this.jobs.filter((j) => j.endS >= 0);
    const usefulGpuHours = this.utilInt / GPU_CORES / 3600;
    const totalUsd = this.pricePerSecondUsd * this.nowS;
    const s = this.series;
    const mean = (f: (x: MetricSample) => number): number => (s.length ? s.reduce((a, x) => a + f(x), 0) / s.length : 0);
    const p50 = this.latencyHist.quantile(0.5);
    const p99 = this.latencyHist.quantile(0.99);
    return {
      durationS: this.nowS,
      gpus: this.cluster.totalGpus,
      nodes: this.cluster.nodes.length,
      allocationPct: (this.allocInt / T / (gpus * GPU_MILLI)) * 100,
      utilizationPct: (this.utilInt / T / (gpus * GPU_CORES)) * 100,
      gpuMemBookedPct: this.totalGpuMemMiB ? (this.memBookedInt / T / this.totalGpuMemMiB) * 100 : 0,
      gpuMemUsedPct: this.totalGpuMemMiB ? (this.memUsedInt / T / this.totalGpuMemMiB) * 100 : 0,
      gpusInUseAvg: mean((x) => x.gpusInUse),
      strandedGpusAvg: mean((x) => x.strandedGpus),
      fragmentedGpusAvg: mean((x) => x.fragmentedGpus),
      pendingAvg: mean((x) => x.pending),
      pendingMax: s.reduce((m, x) => Math.max(m, x.pending), 0),
      podsCreated: this.pods.length - this.setup.existingPods.length,
      podsBound: this.podsBound - this.setup.existingPods.length,
      podsPendingAtEnd: this.pending.size,
      meanWaitS: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0,
      p95WaitS: quantileSorted(waits, 0.95),
      training: {
        jobs: this.jobs.filter((j) => j.arrivalS <= this.nowS).length,
        completed: done.length,
        meanJctS: done.length ? done.reduce((a, j) => a + (j.endS - j.arrivalS), 0) / done.length : 0,
        meanSlowdown: done.length ? done.reduce((a, j) => a + (j.endS - j.arrivalS) / (j.workS / (j.pods.length * j.spec.gpusPerWorker * j.speed)), 0) / done.length : 0,
      },
      inference: {
        services: this.services.length,
        requests: this.totalRequests,
        sloAttainmentPct: this.totalRequests > 0 ? (this.totalRequestsOk / this.totalRequests) * 100 : 100,
        p50LatencyMs: Number.isFinite(p50) ? p50 * 1000 : -1,
        p99LatencyMs: Number.isFinite(p99) ? p99 * 1000 : -1,
      },
      agents: {
        bursts: bursts.length,
        meanBurstLatencyS: bursts.length ? bursts.reduce((a, b) => a + b, 0) / bursts.length : 0,
        p95BurstLatencyS: quantileSorted(bursts, 0.95),
      },
      ray: {
        clusters: this.rays.length,
        tasksDone: this.rayTasksDone,
        meanTaskWaitS: this.rayWaits.length ? this.rayWaits.reduce((a, b) => a + b, 0) / this.rayWaits.length : 0,
        p95TaskWaitS: quantileSorted([...this.rayWaits].sort((a, b) => a - b), 0.95),
      },
      cost: {
        totalUsd,
        usefulGpuHours,
        costPerUsefulGpuHourUsd: usefulGpuHours > 0 ? totalUsd / usefulGpuHours : -1,
      },
      oomKills: this.oomKills,
      evictions: this.evictions,
    };
  }

  /** Hash of the event trace so far. */
  traceHash(): string {
    return this.hash.digest();
  }

  /** The full result (runs to the end first). */
  result(): SimResult {
    if (!this.finished) this.runUntil(this.durationS);
    const spec = this.setup.schedulerSpec;
    const stuck = [...this.pending].slice(0, 50).map((p) => ({ pod: p.name, reason: p.lastReason }));
    return {
      scenario: this.scenario.name,
      profile: spec.profile,
      label: spec.label ?? spec.profile,
      seed: this.setup.seed,
      summary: this.summary(),
      series: this.series,
      traceHash: this.traceHash(),
      events: this.events,
      unschedulable: stuck,
    };
  }

  // ----- async path (engine schedulers): identical events; only the cycle event awaits cycleAsync -----------

  /** runUntil for a scheduler with `cycleAsync` (awaited at each cycle event); plain runUntil otherwise. */
  async runUntilAsync(untilS: number): Promise<boolean> {
    const s = this.scheduler as Partial<AsyncCycleScheduler>;
    if (typeof s.cycleAsync !== 'function') return this.runUntil(untilS);
    const limit = Math.min(untilS, this.durationS);
    for (let ev = this.nextEvent(limit); ev; ev = this.nextEvent(limit)) {
      if (ev.k !== 'cycle') {
        this.handle(ev);
        continue;
      }
      this.cycleAt = -1;
      const queue = this.takeCycleQueue();
      if (queue) this.applyCycle(await s.cycleAsync(queue, this.schedContext()));
    }
    return this.endAt(limit);
  }

  /** result() for a scheduler with `cycleAsync`. */
  async resultAsync(): Promise<SimResult> {
    if (!this.finished) await this.runUntilAsync(this.durationS);
    return this.result();
  }

  /** Explains a pod's placement (or why it waits) against the current state. */
  explain(podName: string): Explanation | null {
    const pod = this.pods.find((p) => p.name === podName);
    if (!pod) return null;
    return this.scheduler.explain(pod, { cluster: this.cluster, rng: this.setup.schedulerRng.fork('explain'), nowS: this.nowS });
  }

  /** explain() through the scheduler's engine when it has an async path (the GPU's top-k ranking); same result. */
  async explainAsync(podName: string): Promise<Explanation | null> {
    const pod = this.pods.find((p) => p.name === podName);
    if (!pod) return null;
    const onEngine = (this.scheduler as Partial<{ explainAsync(p: Pod, c: SchedContext): Promise<Explanation> }>).explainAsync;
    const ctx = { cluster: this.cluster, rng: this.setup.schedulerRng.fork('explain'), nowS: this.nowS };
    return onEngine ? onEngine.call(this.scheduler, pod, ctx) : this.scheduler.explain(pod, ctx);
  }

  /** Pods waiting right now. */
  pendingPods(): Pod[] {
    return [...this.pending];
  }

  /** Compute used on a GPU right now, percent. */
  gpuUsedPctAt(nodeId: number, gpu: number): number {
    let u = this.gpuUsedPct[nodeId][gpu];
    for (const p of this.cluster.podsOnNode[nodeId]) {
      const rt = this.rt[p.uid];
      if (rt.alone && p.binding!.gpus.some((b) => b.gpu === gpu)) u += Math.min(rt.demandPct, CORES);
    }
    return u;
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

/** Runs a scenario to the end under one of its schedulers. */
export function simulate(scenario: Scenario, options: SimOptions = {}): SimResult {
  return new Simulation(scenario, options).result();
}

/** simulate() awaiting an async scheduler's cycles (engine-backed schedulers via `options.wrapScheduler`). */
export function simulateAsync(scenario: Scenario, options: SimOptions = {}): Promise<SimResult> {
  return new Simulation(scenario, options).resultAsync();
}
