/**
 * The discrete-event simulator. A run is a pure function of (scenario, scheduler, seed): events are ordered by
 * (time, priority, sequence), randomness comes from seeded streams passed in, and wall time is never read.
 *
 * `Simulation` owns the event loop: the queue and dispatch, the pod lifecycle (arrival, the scheduling cycle,
 * bind and unbind bookkeeping, release, OOM restarts) and the public API. Each workload kind is a process in
 * `workloads/` owning its events, state and bound/ready/unbound hooks (training.ts, inference.ts, agents.ts,
 * batch.ts, ray.ts); GPU sharing is `contention.ts`; every metric goes through `recorder.ts`. The scenario is
 * restored first (scenario/restore.ts), so no default lives here. The simulator drives any scheduler through
 * the `Scheduler` interface only.
 */
import { EventQueue } from '../core/eventQueue.ts';
import { TraceHasher } from '../core/hash.ts';
import { invariant } from '../core/invariant.ts';
import type { ClusterState } from '../model/cluster.ts';
import { REFERENCE_TFLOPS } from '../scenario/gpuCatalog.ts';
import type { Pod, PodRequest } from '../model/pod.ts';
import type { CycleResult, Explanation, SchedContext, Scheduler } from '../sched/framework.ts';
import type { RestoredScenario } from '../scenario/restore.ts';
import type { Scenario } from '../scenario/types.ts';
import { Contention, realMemMiB } from './contention.ts';
import { fragmentationMetricFor } from './fragmentationMetric.ts';
import { migAware } from '../sched/mig/state.ts';
import type { MetricSample, Summary } from './metrics.ts';
import { Recorder } from './recorder.ts';
import { buildRun, plannedPods, podRequestOf, type RunSetup } from './setup.ts';
import { AgentProcess } from './workloads/agents.ts';
import { BatchProcess } from './workloads/batch.ts';
import { Prio, type PodRt, type SimEvent, type SimHost, type WorkloadProcess } from './workloads/host.ts';
import { InferenceProcess } from './workloads/inference.ts';
import { RayProcess } from './workloads/ray.ts';
import { TrainingProcess } from './workloads/training.ts';

export { AUTOSCALE_PERIOD_S, HPA_TOLERANCE } from './workloads/inference.ts';
export { RAY_AUTOSCALER_PERIOD_S } from './workloads/ray.ts';

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

/** Speed of a bound pod's first GPU relative to the reference card (1 without GPUs). */
function cardSpeed(cluster: ClusterState, pod: Pod): number {
  const b = pod.binding;
  if (!b || b.gpus.length === 0) return 1;
  const node = cluster.nodes[b.nodeId];
  const model = cluster.catalog[node.gpus[b.gpus[0].gpu].model];
  return (model?.tflops ?? REFERENCE_TFLOPS) / REFERENCE_TFLOPS;
}

/** A steppable simulation (the worker drives it in slices for the animation). */
export class Simulation implements SimHost {
  readonly setup: RunSetup;
  /** The scenario as the simulator reads it: validated, every default filled (scenario/restore.ts). */
  readonly scenario: RestoredScenario;
  readonly cluster: ClusterState;
  readonly scheduler: Scheduler;
  readonly durationS: number;
  nowS = 0;
  /** The trace hash (SimHost; read it through traceHash()). */
  readonly hash = new TraceHasher();
  /** Every pod of the run, by uid. */
  readonly pods: Pod[] = [];
  /** Runtime state of each pod, by uid (SimHost). */
  readonly rt: PodRt[] = [];
  readonly contention: Contention;
  readonly recorder: Recorder;
  readonly checkCaches: boolean;
  readonly decisions: DecisionRecord[] = [];
  private readonly q = new EventQueue<SimEvent>();
  private events = 0;
  private readonly pending = new Set<Pod>();
  private readonly active = new Set<Pod>();
  private cycleAt = -1;
  private lastIntegrateS = 0;
  private readonly training: TrainingProcess;
  private readonly inference: InferenceProcess;
  private readonly agents: AgentProcess;
  private readonly batch: BatchProcess;
  private readonly ray: RayProcess;
  /** The process of each pod kind. */
  private readonly processes: Record<Pod['kind'], WorkloadProcess>;
  private readonly requests: PodRequest[] = [];
  private readonly options: SimOptions;
  private finished = false;

  constructor(scenario: Scenario, options: SimOptions = {}) {
    this.options = options;
    this.checkCaches = options.checkCaches ?? false;
    this.setup = buildRun(scenario, options.schedulerIndex ?? 0, options.seed);
    this.scenario = this.setup.restored;
    this.cluster = this.setup.cluster;
    this.scheduler = options.wrapScheduler ? options.wrapScheduler(this.setup.scheduler, this.setup) : this.setup.scheduler;
    this.durationS = scenario.sim.durationS;
    this.recorder = new Recorder(this.cluster, scenario, options.fragmentation ?? fragmentationMetricFor(scenario));
    // issue 17: MIG profiles count their slices for the MIG metrics (absent for every other profile)
    const mig = migAware(this.setup.scheduler);
    if (mig && mig.migSlices(this.cluster).gpus > 0) this.recorder.migSlices = mig;
    this.contention = new Contention(this);
    this.training = new TrainingProcess(this);
    this.inference = new InferenceProcess(this);
    this.agents = new AgentProcess(this);
    this.batch = new BatchProcess(this);
    this.ray = new RayProcess(this);
    this.contention.connect(this.training, this.inference);
    this.processes = { training: this.training, inference: this.inference, agent: this.agents, batch: this.batch, trace: this.batch, raycluster: this.ray };
    for (const p of this.setup.existingPods) this.track(p, -1);
    for (const p of this.setup.existingPods) this.onBound(p, 0);
    this.plan();
  }

  // ----- set-up -------------------------------------------------------------------------------------------

  private track(pod: Pod, owner: number): void {
    invariant(pod.uid === this.pods.length, () => `pod uid ${pod.uid} out of order`);
    this.pods.push(pod);
    this.rt.push({ token: 0, queuedS: pod.createdS, ready: false, demandPct: 0, availPct: 0, restarts: 0, speed: 1, owner, alone: false, lastGpus: null, lastNode: 0 });
  }

  /** Tracks the planned pods with their owners (in uid order), queues their arrivals and each process's first events. */
  private plan(): void {
    const planned = plannedPods(this.scenario, this.setup.factory, this.setup.workloadRng);
    const byUid = [...planned].sort((a, b) => a.pod.uid - b.pod.uid);
    for (const { pod, atS } of byUid) this.track(pod, this.processes[pod.kind].adopt(pod, atS));
    for (const { pod, atS } of planned) this.q.push(atS, Prio.Arrive, { k: 'arrive', pod });
    this.agents.start();
    this.inference.start();
    this.ray.start();
    this.q.push(Math.min(this.scenario.sim.metricsStepS, this.durationS), Prio.Metrics, { k: 'metrics' });
  }

  // ----- the event loop -----------------------------------------------------------------------------------

  /** Runs until simulated time `untilS` (inclusive) or the end of the run. Returns true when the run is over. */
  runUntil(untilS: number): boolean {
    const limit = Math.min(untilS, this.durationS);
    for (let ev = this.nextEvent(limit); ev; ev = this.nextEvent(limit)) this.handle(ev);
    return this.endAt(limit);
  }

  /** Settles pending recomputation, then takes the next event at or before `limit` (time advanced to it), or null. */
  private nextEvent(limit: number): SimEvent | null {
    this.contention.flush();
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
    this.contention.flush();
    return true;
  }

  /** Time of the next event, or Infinity. */
  nextEventS(): number {
    return this.q.peekTimeS();
  }

  /** True once the run reached its end. */
  get isFinished(): boolean {
    return this.finished;
  }

  private advance(tS: number): void {
    invariant(tS >= this.nowS, () => `time went back: ${tS} < ${this.nowS}`);
    const dt = tS - this.lastIntegrateS;
    if (dt > 0) {
      this.recorder.integrate(dt, this.contention.usedPct());
      this.lastIntegrateS = tS;
    }
    this.nowS = tS;
  }

  /** Runs one event: the pod lifecycle's here, the others by the process that owns them. */
  private handle(ev: SimEvent): void {
    const h = this.hash;
    switch (ev.k) {
      case 'arrive':
        h.add(this.nowS).add('A').add(ev.pod.uid);
        this.enqueue(ev.pod);
        break;
      case 'requeue':
        if (ev.pod.phase !== 'pending' || this.pending.has(ev.pod)) return;
        h.add(this.nowS).add('Q').add(ev.pod.uid);
        this.enqueue(ev.pod);
        break;
      case 'cycle':
        this.cycleAt = -1;
        this.runCycle();
        break;
      case 'ready': {
        const rt = this.rt[ev.pod.uid];
        if (ev.token !== rt.token || ev.pod.phase !== 'bound') return;
        h.add(this.nowS).add('R').add(ev.pod.uid);
        rt.ready = true;
        this.touched(ev.pod);
        this.processes[ev.pod.kind].onReady(ev.pod, rt);
        this.contention.markPod(ev.pod);
        break;
      }
      case 'metrics':
        this.recorder.sample(this.nowS, { pending: this.pending.size, inference: this.inference.gauges(), rayTasksWaiting: this.ray.tasksWaiting(), training: this.training.gauges() });
        if (this.nowS < this.durationS) this.q.push(Math.min(this.nowS + this.scenario.sim.metricsStepS, this.durationS), Prio.Metrics, { k: 'metrics' });
        break;
      case 'finish':
        this.batch.onFinish(ev);
        break;
      case 'trainDone':
        this.training.onDone(ev);
        break;
      case 'autoscale':
        this.inference.onAutoscale();
        break;
      case 'burst':
      case 'burstDone':
      case 'idle':
        this.agents.handle(ev);
        break;
      case 'rayTask':
      case 'rayTaskDone':
      case 'rayScale':
        this.ray.handle(ev);
        break;
    }
  }

  /** Queues an event (SimHost). */
  at(tS: number, prio: number, ev: SimEvent): void {
    this.q.push(tS, prio, ev);
  }

  // ----- queue and scheduling -----------------------------------------------------------------------------

  private enqueue(pod: Pod): void {
    pod.phase = 'pending';
    this.rt[pod.uid].queuedS = this.nowS;
    this.touched(pod);
    this.pending.add(pod);
    this.active.add(pod);
    this.requestCycle();
  }

  private requestCycle(): void {
    if (this.cycleAt === this.nowS) return;
    this.cycleAt = this.nowS;
    this.q.push(this.nowS, Prio.Cycle, { k: 'cycle' });
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
      this.recorder.evictions++;
      if (pod.binding) this.cluster.unbind(pod);
      this.afterUnbind(pod);
      pod.phase = 'pending';
      this.rt[pod.uid].queuedS = this.nowS;
      this.touched(pod);
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
    this.contention.checkOom(result.bound);
  }

  /** Bookkeeping after a pod is bound (by a scheduler or as an existing pod), then its process's hook. */
  private onBound(pod: Pod, tS: number): void {
    const rt = this.rt[pod.uid];
    pod.phase = 'bound';
    pod.boundS = tS;
    rt.token++;
    rt.speed = cardSpeed(this.cluster, pod);
    this.touched(pod);
    this.recorder.podsBound++;
    if (pod.workload >= 0) this.recorder.waits.add(tS - rt.queuedS);
    this.addBookings(pod, +1);
    this.processes[pod.kind].onBound(pod, rt, tS);
    this.contention.markPod(pod);
  }

  /** Unbinds a pod and ends its life ('succeeded', 'deleted' or 'failed'). */
  release(pod: Pod, phase: 'succeeded' | 'deleted' | 'failed'): void {
    if (pod.binding) {
      this.contention.markPod(pod);
      this.cluster.unbind(pod);
      this.afterUnbind(pod);
    }
    this.pending.delete(pod);
    this.active.delete(pod);
    pod.phase = phase;
    this.touched(pod);
    this.wakeAll();
  }

  /** Bookkeeping after a pod lost its binding: its process's hook, then its runtime state and bookings. */
  private afterUnbind(pod: Pod): void {
    const rt = this.rt[pod.uid];
    this.processes[pod.kind].onUnbound(pod, rt);
    rt.token++;
    rt.ready = false;
    rt.demandPct = 0;
    rt.availPct = 0;
    this.touched(pod);
    this.addBookings(pod, -1, true);
  }

  private addBookings(pod: Pod, sign: 1 | -1, fromRemoved = false): void {
    const b = pod.binding;
    if (!b && !fromRemoved) return;
    // On unbind the binding is gone already: recompute from the pod's remembered bookings.
    const rt = this.rt[pod.uid];
    const gpus = b ? b.gpus : (rt.lastGpus ?? []);
    const node = this.cluster.nodes[b ? b.nodeId : rt.lastNode];
    for (const g of gpus) {
      const card = node.gpus[g.gpu];
      this.recorder.book(sign, g.milli, g.memMiB, Math.min(realMemMiB(pod, card), card.memMiB));
      this.contention.markNode(node.id);
    }
    if (b) {
      rt.lastGpus = b.gpus;
      rt.lastNode = b.nodeId;
    }
  }

  /** Unbinds a pod the contention model killed and queues it again at `retryS` (SimHost). */
  kill(victim: Pod, reason: string, retryS: number): void {
    this.hash.add(this.nowS).add('O').add(victim.uid);
    this.recorder.oomKills++;
    this.contention.markPod(victim);
    this.cluster.unbind(victim);
    this.afterUnbind(victim);
    victim.phase = 'pending';
    this.touched(victim);
    victim.lastReason = reason;
    this.q.push(retryS, Prio.Arrive, { k: 'requeue', pod: victim });
    this.wakeAll();
  }

  /** Removes a pod for good (scale-down, agent idle), wherever it is. */
  deletePod(pod: Pod): void {
    this.hash.add(this.nowS).add('X').add(pod.uid);
    this.release(pod, 'deleted');
  }

  /** A pod's phase, readiness, speed, compute or aloneness changed: an inference replica's service rescans. */
  touched(pod: Pod): void {
    if (pod.kind === 'inference') this.inference.touch(pod);
  }

  /** The request of the pods a controller creates for a workload: one shared object (requests never change). */
  requestOf(workload: number): PodRequest {
    return (this.requests[workload] ??= podRequestOf(this.scenario.workloads[workload]));
  }

  /** Creates a pod at the current time for a workload's controller, tracks it and queues it. */
  spawn(name: string, kind: Pod['kind'], workload: number, request: PodRequest, owner: number, gang?: { id: number; min: number }): Pod {
    const w = this.scenario.workloads[workload];
    const pod = this.setup.factory.make({ name, kind, workload, request, createdS: this.nowS, priority: w.priority, queue: w.queue, annotations: w.annotations, gang: gang?.id, gangMin: gang?.min });
    this.track(pod, owner);
    this.hash.add(this.nowS).add('+').add(pod.uid);
    this.enqueue(pod);
    return pod;
  }

  // ----- results ------------------------------------------------------------------------------------------

  /** Metric samples so far. */
  get series(): MetricSample[] {
    return this.recorder.series;
  }

  /** Stranded GPUs (see MetricSample.strandedGpus). */
  strandedGpus(): number {
    return this.recorder.strandedGpus();
  }

  /** The summary of the run so far. */
  summary(): Summary {
    const existing = this.setup.existingPods.length;
    return this.recorder.summary(this.nowS, existing, {
      podsCreated: this.pods.length - existing,
      podsPendingAtEnd: this.pending.size,
      training: this.training.summary(),
      services: this.inference.count,
      rayClusters: this.ray.count,
    });
  }

  /** Hash of the event trace so far. */
  traceHash(): string {
    return this.hash.digest();
  }

  /** The full result (runs to the end first). */
  result(): SimResult {
    if (!this.finished) this.runUntil(this.durationS);
    const spec = this.scenario.schedulers[this.options.schedulerIndex ?? 0];
    const stuck = [...this.pending].slice(0, 50).map((p) => ({ pod: p.name, reason: p.lastReason }));
    return {
      scenario: this.scenario.name,
      profile: spec.profile,
      label: spec.label,
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
    return this.contention.gpuUsedPctAt(nodeId, gpu);
  }
}

/** Runs a scenario to the end under one of its schedulers. */
export function simulate(scenario: Scenario, options: SimOptions = {}): SimResult {
  return new Simulation(scenario, options).result();
}

/** simulate() awaiting an async scheduler's cycles (engine-backed schedulers via `options.wrapScheduler`). */
export function simulateAsync(scenario: Scenario, options: SimOptions = {}): Promise<SimResult> {
  return new Simulation(scenario, options).resultAsync();
}
