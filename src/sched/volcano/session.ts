/**
 * One Volcano scheduling session (pkg/scheduler/framework + actions, Volcano v1.15), run over Slicebench's
 * ClusterState. Jobs are PodGroups; the session opens the plugins (priority, gang, drf, proportion,
 * overcommit, predicates, nodeorder, binpack, deviceshare), runs the configured actions in order and reports
 * what it bound and evicted. Placements are tentative through a Statement: `cluster.bind` books them at once
 * and Discard unbinds them (and re-binds evicted pods), so a gang is committed all-or-nothing.
 *
 * Modelling choices (ours, stated where they differ from upstream):
 * - No Releasing/Pipelined states: an evicted pod's resources are free at once (we unbind it), so preempt and
 *   reclaim bind the preemptor in the same session instead of pipelining it; the job is committed only when
 *   ready (gang), else the whole statement, evictions included, is discarded.
 * - Only the score plugins that can tell our nodes apart are evaluated: nodeorder's leastrequested and
 *   balancedresource, binpack and deviceshare (taints, affinities, image locality give every node the same score).
 * - Victims are pods bound before the session (Volcano's Running tasks): preempt offers the tasks of other jobs of
 *   the preemptor's queue (and, in its second phase, the starving job's own tasks), reclaim those of other,
 *   reclaimable queues, and the configured plugin tiers decide which may go (victims.ts: the first tier with a
 *   list wins, so gang's minAvailable and proportion's deserved share are each enforced only when their tier
 *   decides).
 */
import type { Rng } from '../../core/rng.ts';
import type { ClusterState, NodeState } from '../../model/cluster.ts';
import type { Binding, GpuBooking, Pod } from '../../model/pod.ts';
import type { PluginScore, SchedContext } from '../framework.ts';
import { balancedAllocationScore } from '../plugins/balancedAllocation.ts';
import { NODE_AFFINITY_REASON } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitScore } from '../plugins/nodeResourcesFit.ts';
import { wholeGpuAllocator } from '../plugins/wholeGpuAllocator.ts';
import { formatUnschedulable } from '../reasons.ts';
import { isStatus, unresolvable, unschedulable, type Status } from '../status.ts';
import { shapeKey } from '../runner.ts';
import { binpackScore, type BinpackArgs } from './binpack.ts';
import { PluginNodeScorer, type NodeScorer, type TaskPlacement } from './nodeScorer.ts';
import { fitVgpu, type DeviceShareConfig } from './deviceshare.ts';
import {
  allocatable as queueAllocatable,
  jobEnqueueable as proportionEnqueueable,
  newQueueAttr,
  overused as queueOverused,
  realCapability,
  updateShare,
  waterFill,
  type QueueAttr,
  type QueueSpec,
} from './proportion.ts';
import { drfJobShare } from './drf.ts';
import { FeasibleNodeSearch, searchFeasibleNodes } from './feasibleNodes.ts';
import { shouldSkipUnschedulableForReleasing } from './gang.ts';
import { tieredVictims, type VictimFn, type VictimPlugin, type VictimTiers } from './victims.ts';
import { addTo, clone, exceededPart, isEmpty, leq, leqWithDimension, podResreq, subFrom, zero, type Res } from './resource.ts';

export type ActionName = 'enqueue' | 'allocate' | 'backfill' | 'preempt' | 'reclaim';
export type PodGroupPhase = 'Pending' | 'Inqueue' | 'Running' | 'Unknown' | 'Completed';

/** A PodGroup and its pods (bound ones are its allocated tasks, unbound ones its pending tasks). */
export interface SessionJob {
  key: string;
  name: string;
  queue: string;
  priority: number;
  minAvailable: number;
  /** PodGroup minResources; null = not set (admitted without a quota check). */
  minResources: Res | null;
  phase: PodGroupPhase;
  createdS: number;
  /** UID order, the last tie-break. */
  uid: number;
  pods: Pod[];
  /**
   * Tasks of the PodGroup that finished successfully / failed (Succeeded, Failed: on no node, requesting nothing).
   * Succeeded tasks count as ready and valid for gang (api/job_info.go ReadyTaskNum, ValidTaskNum); both count as
   * scheduled and completed for the phase (framework/session.go getPodGroupPhase). Absent = 0: in our simulator a
   * PodGroup's pods finish together (a training job's workers succeed at once; a batch pod is a PodGroup of its
   * own), so only the conformance adapter passes them.
   */
  succeeded?: number;
  failed?: number;
}

export interface ProportionSwitches {
  /** Skip tasks whose queue would go over deserved (AllocatableFn). */
  allocatable: boolean;
  /** Skip overused queues in allocate (OverusedFn). */
  overused: boolean;
  /** Queue capability admission in enqueue (JobEnqueueableFn). */
  jobEnqueue: boolean;
  /** Queue order by priority, then share (QueueOrderFn). */
  queueOrder: boolean;
  /** Victims for reclaim (ReclaimableFn). */
  reclaimable: boolean;
}

export interface SessionConfig {
  actions: readonly ActionName[];
  /** Whether `enqueue` is among the scheduler's actions (if not, allocate promotes Pending jobs itself). */
  enqueueConfigured: boolean;
  proportion: ProportionSwitches;
  /** overcommit plugin factor (1.2 by default); null = plugin off. */
  overcommitFactor: number | null;
  priority: boolean;
  gang: boolean;
  drf: boolean;
  /** binpack plugin arguments; null = plugin off. */
  binpack: BinpackArgs | null;
  /** nodeorder weights (0 = off). */
  nodeorder: { leastRequested: number; balancedResource: number };
  /** Whole GPUs through the device plugin, or deviceshare vGPU slices. */
  devices: { kind: 'whole' } | { kind: 'vgpu'; cfg: DeviceShareConfig };
  /** Plugin tiers asked for preempt's and reclaim's victims (victims.ts); a plugin switched off above is skipped. */
  victimTiers: VictimTiers;
  /** Test hook: another enqueue plugin of the same tier that rejects these jobs (conformance). */
  extraEnqueueVeto?: (job: SessionJob) => boolean;
}

export interface SessionInput {
  cluster: ClusterState;
  rng: Rng;
  nowS: number;
  queues: readonly QueueSpec[];
  jobs: readonly SessionJob[];
  config: SessionConfig;
  /** The scheduler's feasible-node search (its start persists across sessions); a fresh one if absent. */
  search?: FeasibleNodeSearch;
}

export interface SessionResult {
  /** Pods bound by this session (committed). */
  bound: Pod[];
  /** Pods evicted by preempt/reclaim: already unbound, `binding` null. */
  evicted: Pod[];
  /** PodGroup phase of every job at session close (Volcano's jobStatus). */
  phases: Map<string, PodGroupPhase>;
  /** Why each still-pending pod did not get placed. */
  reasons: Map<Pod, string>;
  /** Queue attributes after the session (deserved, allocated, share...), for the UI and tests. */
  queues: Map<string, QueueAttr>;
}

interface JobState {
  spec: SessionJob;
  /** spec.succeeded (0 when absent). */
  succeeded: number;
  /** Tasks evicted by a committed statement in this session (Releasing upstream). */
  releasing: number;
  attr: QueueAttr;
  phase: PodGroupPhase;
  allocated: Res;
  readyNum: number;
  pendingBestEffort: number;
  /** drf dominant share against the cluster total. */
  share: number;
  /** Pending tasks for allocate (built on first pop). */
  tasks: Pod[] | null;
  reason: string;
}

/** A node's idle resources (Volcano's NodeInfo.Idle; FutureIdle too, as evictions free at once in our model). */
function nodeIdle(node: NodeState): Res {
  return [node.cpuMilli - node.usedCpuMilli, node.memMiB - node.usedMemMiB, node.freeGpuMilli, node.maxPods - node.podCount];
}

/** drf's shareDelta (plugins/drf/drf.go): shares this close count as equal. */
const DRF_SHARE_DELTA = 0.000001;

type StatementOp = { kind: 'allocate'; pod: Pod; job: JobState } | { kind: 'evict'; pod: Pod; job: JobState; binding: Binding };

/** Outcome of the predicates for one node: the GPUs and device score, or the Status of the plugin that refuses it. */
export type NodeFit = { gpus: GpuBooking[]; deviceScore: number } | { status: Status };

/** The node-side plugins (predicates, nodeorder, binpack, deviceshare), shared by the session and explain(). */
export class NodePlugins {
  private readonly leastRequested = nodeResourcesFitScore({ strategy: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] });

  constructor(readonly config: SessionConfig) {}

  /** predicates + the device allocator: the GPUs the pod would get, or the Status saying why it does not fit. */
  fit(pod: Pod, node: NodeState): NodeFit {
    const r = pod.request;
    let reasons: string[] | null = null;
    if (node.podCount + 1 > node.maxPods) (reasons ??= []).push('Too many pods');
    if (r.cpuMilli > 0 && node.usedCpuMilli + r.cpuMilli > node.cpuMilli) (reasons ??= []).push('Insufficient cpu');
    if (r.memMiB > 0 && node.usedMemMiB + r.memMiB > node.memMiB) (reasons ??= []).push('Insufficient memory');
    if (reasons) return { status: unschedulable('predicates', ...reasons) };
    if (r.gpuCount === 0) return { gpus: [], deviceScore: 0 };
    const dev = this.config.devices;
    if (dev.kind === 'whole') {
      if (r.gpuModels.length > 0 && !r.gpuModels.includes(node.gpuModel)) return { status: unresolvable('predicates', NODE_AFFINITY_REASON) };
      const alloc = wholeGpuAllocator.allocate(pod, node, undefined as unknown as SchedContext);
      return isStatus(alloc) ? { status: alloc } : { gpus: alloc, deviceScore: 0 };
    }
    const f = fitVgpu(pod, node, dev.cfg);
    return 'status' in f ? f : { gpus: f.gpus, deviceScore: f.score };
  }

  /**
   * framework/session.go PredicateForPreemptAction: a node is a preempt/reclaim candidate unless a predicate fails
   * UnschedulableAndUnresolvable; of ours only the GPU model's node affinity does (resources can be freed).
   */
  preemptCandidate(pod: Pod, node: NodeState): boolean {
    const r = pod.request;
    return this.config.devices.kind !== 'whole' || r.gpuCount === 0 || r.gpuModels.length === 0 || r.gpuModels.includes(node.gpuModel);
  }

  /**
   * nodeorder's balancedresource: kube's BalancedAllocation configured with cpu, memory and nvidia.com/gpu
   * (plugins/nodeorder/nodeorder.go). Raw requests; an extended resource the pod does not ask for is left out,
   * so the GPU counts only for a whole-GPU pod (a vGPU pod asks volcano.sh/vgpu-number instead); 0 for a pod that
   * asks for none of them (PreScore Skip).
   */
  balancedResource(pod: Pod, node: NodeState): number {
    const r = pod.request;
    const gpus = this.config.devices.kind === 'whole' ? r.gpuCount : 0;
    if (r.cpuMilli === 0 && r.memMiB === 0 && gpus === 0) return 0;
    const fractions: number[] = [];
    if (node.cpuMilli > 0) fractions.push(Math.min(1, (node.usedCpuMilli + r.cpuMilli) / node.cpuMilli));
    if (node.memMiB > 0) fractions.push(Math.min(1, (node.usedMemMiB + r.memMiB) / node.memMiB));
    if (gpus > 0 && node.gpus.length > 0) fractions.push(Math.min(1, (node.usedGpuSlots + gpus) / node.gpus.length));
    return balancedAllocationScore(fractions);
  }

  /** Per-plugin scores of a feasible node (raw = normalized; Volcano sums weight × score). */
  scores(pod: Pod, node: NodeState, deviceScore: number, ctx: SchedContext): PluginScore[] {
    const out: PluginScore[] = [];
    const no = this.config.nodeorder;
    if (no.leastRequested > 0) {
      const s = this.leastRequested.score(pod, node, ctx);
      out.push({ plugin: 'nodeorder.leastrequested', raw: s, normalized: s, weight: no.leastRequested });
    }
    if (no.balancedResource > 0) {
      const s = this.balancedResource(pod, node);
      out.push({ plugin: 'nodeorder.balancedresource', raw: s, normalized: s, weight: no.balancedResource });
    }
    if (this.config.binpack) {
      const r = pod.request;
      const resources = [
        { name: 'cpu', request: r.cpuMilli, used: node.usedCpuMilli, allocatable: node.cpuMilli },
        { name: 'memory', request: r.memMiB, used: node.usedMemMiB, allocatable: node.memMiB },
      ];
      if (this.config.devices.kind === 'whole' && r.gpuCount > 0) {
        resources.push({ name: 'nvidia.com/gpu', request: r.gpuCount * 1000, used: node.gpus.length * 1000 - node.freeGpuMilli, allocatable: node.gpus.length * 1000 });
      }
      const s = binpackScore(this.config.binpack, resources);
      out.push({ plugin: 'binpack', raw: s, normalized: s, weight: 1 });
    }
    const dev = this.config.devices;
    if (dev.kind === 'vgpu' && dev.cfg.weight > 0) out.push({ plugin: 'deviceshare', raw: deviceScore, normalized: deviceScore, weight: dev.cfg.weight });
    return out;
  }
}

/**
 * Runs one session. Mutates the cluster (bindings) and the pods' bindings; returns what happened. Task placement
 * goes through `scorer` (default: the plugin path).
 */
export function runSession(input: SessionInput, scorer?: NodeScorer): SessionResult {
  const session = new Session(input);
  const place = scorer ?? new PluginNodeScorer(session.nodes, session.search);
  const ctx: SchedContext = { cluster: input.cluster, rng: input.rng, nowS: input.nowS };
  const it = session.steps();
  let r = it.next();
  while (!r.done) r = it.next(place.place(r.value, ctx));
  return r.value;
}

/**
 * One session as a generator: it yields each task that allocate or backfill places and expects the task's
 * placement against the cluster as it is at that moment (NodeScorer.place), so a driver can answer from an
 * engine, asynchronously. Same effects and result as runSession with a scorer giving the same answers.
 */
export function sessionSteps(input: SessionInput): Generator<Pod, SessionResult, TaskPlacement> {
  return new Session(input).steps();
}

class Session {
  private readonly cluster: ClusterState;
  private readonly cfg: SessionConfig;
  readonly nodes: NodePlugins;
  /** The feasible-node search every action's predicates share (feasibleNodes.ts). */
  readonly search: FeasibleNodeSearch;
  private readonly total: Res = zero();
  private readonly attrs = new Map<string, QueueAttr>();
  private readonly jobs: JobState[] = [];
  private readonly jobOf = new Map<Pod, JobState>();
  private readonly resreq = new Map<Pod, Res>();
  /** Pods bound when the session opened (Volcano's Running tasks: the only possible victims). */
  private readonly running = new Set<Pod>();
  private readonly bound: Pod[] = [];
  private readonly evicted: Pod[] = [];
  private readonly reasons = new Map<Pod, string>();
  /** Backfilled BestEffort tasks of jobs that are not ready: allocated in the session, never dispatched. */
  private readonly undispatched: StatementOp[] = [];
  /** overcommit: idle = total·factor − used, and the resources reserved by inqueue jobs. */
  private ocIdle: Res = zero();
  private readonly ocInqueue: Res = zero();
  /** Predicate failures by pod shape, valid while the cluster version is unchanged (with the unresolvable nodes). */
  private readonly fitCache = new Map<string, { version: number; message: string; unresolvable: number[] }>();
  /**
   * job.NodesFitErrors as preempt and reclaim read them (framework/session.go
   * FilterOutUnschedulableAndUnresolvableNodesForTask): per task that allocate or backfill found no node for in this
   * session, the nodes whose fit error is UnschedulableAndUnresolvable; those nodes are left out of the task's
   * preempt/reclaim search. Absent: no fit error (or none unresolvable), every node is searched.
   */
  private readonly unresolvable = new Map<Pod, number[]>();
  /** Pods evicted by a committed statement of this session: Releasing upstream (on their node, not Pending). */
  private readonly releasing = new Set<Pod>();
  /** Pods placed by preempt or reclaim in this session: Pipelined upstream (they wait for their victims to leave). */
  private readonly pipelined = new Set<Pod>();
  /** Whether preempt or reclaim runs (only they read the unresolvable nodes). */
  private readonly evicts: boolean;

  constructor(private readonly input: SessionInput) {
    this.cluster = input.cluster;
    this.cfg = input.config;
    this.nodes = new NodePlugins(input.config);
    this.search = input.search ?? new FeasibleNodeSearch();
    this.evicts = this.cfg.actions.includes('preempt') || this.cfg.actions.includes('reclaim');
    this.open();
  }

  // ---- session open: plugins' OnSessionOpen -------------------------------------------------------------

  private open(): void {
    const used = zero();
    for (const n of this.cluster.nodes) {
      // ssn.TotalResource: every node's allocatable, its pod capacity included (api/node_info.go).
      addTo(this.total, [n.cpuMilli, n.memMiB, n.gpus.length * 1000, n.maxPods]);
      addTo(used, [n.usedCpuMilli, n.usedMemMiB, n.gpus.length * 1000 - n.freeGpuMilli, n.podCount]);
    }
    const specs = new Map<string, QueueSpec>();
    for (const q of this.input.queues) specs.set(q.name, q);
    const totalGuarantee = zero();
    for (const q of specs.values()) addTo(totalGuarantee, q.guarantee);
    const whole = this.cfg.devices.kind === 'whole';
    for (const job of this.input.jobs) {
      const spec = specs.get(job.queue);
      if (!spec) {
        for (const p of job.pods) if (!p.binding) this.reasons.set(p, `queue ${job.queue} is not found`);
        continue;
      }
      let attr = this.attrs.get(spec.name);
      if (!attr) {
        attr = newQueueAttr(spec);
        attr.realCapability = realCapability(this.total, totalGuarantee, spec);
        this.attrs.set(spec.name, attr);
      }
      const st: JobState = { spec: job, succeeded: job.succeeded ?? 0, releasing: 0, attr, phase: job.phase, allocated: zero(), readyNum: 0, pendingBestEffort: 0, share: 0, tasks: null, reason: '' };
      for (const p of job.pods) {
        const req = podResreq(p, whole);
        this.resreq.set(p, req);
        this.jobOf.set(p, st);
        addTo(attr.request, req);
        if (p.binding) {
          addTo(attr.allocated, req);
          addTo(st.allocated, req);
          st.readyNum++;
          this.running.add(p);
        } else if (isEmpty(req)) st.pendingBestEffort++;
      }
      // Inqueue reservation: what the job still needs of its minResources (max(min − allocated, 0)), so tasks
      // already allocated are not counted twice (TestNoDoubleCountingForInqueueJobWithBindingTasks).
      if (job.minResources) {
        const stillNeeded = exceededPart(job.minResources, st.allocated);
        if (st.phase === 'Inqueue' || (st.phase === 'Running' && st.readyNum >= job.minAvailable)) addTo(attr.inqueue, stillNeeded);
        addTo(attr.elastic, exceededPart(st.allocated, job.minResources));
        if (st.phase === 'Inqueue') addTo(this.ocInqueue, job.minResources);
        else if (st.phase === 'Running' && st.readyNum >= job.minAvailable) addTo(this.ocInqueue, stillNeeded);
      }
      st.share = drfJobShare(st.allocated, this.total);
      this.jobs.push(st);
    }
    waterFill(this.total, [...this.attrs.values()]);
    for (const a of this.attrs.values()) updateShare(a);
    if (this.cfg.overcommitFactor !== null) {
      const f = this.cfg.overcommitFactor;
      this.ocIdle = subFrom([this.total[0] * f, this.total[1] * f, this.total[2] * f, this.total[3] * f], used);
    }
  }

  /** The configured actions in order; yields the tasks to place (see sessionSteps). */
  *steps(): Generator<Pod, SessionResult, TaskPlacement> {
    for (const action of this.cfg.actions) {
      if (action === 'enqueue') this.enqueue();
      else if (action === 'allocate') yield* this.allocate();
      else if (action === 'backfill') yield* this.backfill();
      else if (action === 'preempt') this.evictAction('preempt');
      else this.evictAction('reclaim');
    }
    this.dropUndispatched();
    const phases = new Map<string, PodGroupPhase>();
    for (const j of this.jobs) {
      // jobStatus at session close (framework/session.go getPodGroupPhase): Running once minMember tasks are
      // scheduled (api/helpers.go ScheduledStatus: Running, Bound; the tasks this session dispatched are still
      // Binding and do not count, those it evicted are Releasing on their node and still do), otherwise Pending
      // unless Inqueue. So a job bound by this session stays Inqueue until the next session closes. First, though:
      // a job that gang marked unschedulable in this session (plugins/gang OnSessionClose: not ready) while some
      // of its tasks are Running (bound before the session and not evicted) is Unknown; not being Pending, it is
      // allocated and preempted for next session without a new enqueue.
      // gang's OnSessionClose leaves the job unmarked when its only missing members are still being released
      // (gang.ts); Succeeded and Failed tasks count as scheduled, and a job whose scheduled tasks all completed is
      // Completed.
      const running = j.spec.pods.reduce((n, p) => n + (this.running.has(p) && p.binding ? 1 : 0), 0);
      const completed = j.succeeded + (j.spec.failed ?? 0);
      const scheduled = running + j.releasing + completed;
      const unschedulable =
        this.cfg.gang &&
        !this.ready(j) &&
        !shouldSkipUnschedulableForReleasing({
          minAvailable: j.spec.minAvailable,
          scheduled: running + completed,
          releasingOnNode: j.releasing,
          pending: this.pendingTasks(j).length,
          pipelined: j.spec.pods.reduce((n, p) => n + (this.pipelined.has(p) ? 1 : 0), 0),
        });
      if (unschedulable && running > 0) j.phase = 'Unknown';
      else if (scheduled >= j.spec.minAvailable) j.phase = scheduled === completed ? 'Completed' : 'Running';
      else if (j.phase !== 'Inqueue') j.phase = 'Pending';
      phases.set(j.spec.key, j.phase);
      for (const p of j.spec.pods) if (!p.binding && !this.reasons.has(p)) this.reasons.set(p, j.reason || 'not scheduled in this session');
    }
    return { bound: this.bound, evicted: this.evicted, phases, reasons: this.reasons, queues: this.attrs };
  }

  // ---- orders ---------------------------------------------------------------------------------------------

  /** gang's JobReady (api/job_info.go IsReady): ReadyTaskNum (allocated and Succeeded tasks) + pending BestEffort ≥ minAvailable. */
  private ready(j: JobState): boolean {
    return !this.cfg.gang || j.readyNum + j.succeeded + j.pendingBestEffort >= j.spec.minAvailable;
  }

  /**
   * gang's JobValid (api/job_info.go ValidTaskNum): tasks allocated, Succeeded, Pipelined or Pending count; those
   * being released do not.
   */
  private valid(j: JobState): boolean {
    return !this.cfg.gang || j.spec.pods.length - j.releasing + j.succeeded >= j.spec.minAvailable;
  }

  /** The job's Pending tasks: not placed and not being released (an evicted pod is Releasing, not Pending). */
  private pendingTasks(j: JobState): Pod[] {
    return j.spec.pods.filter((p) => !p.binding && !this.releasing.has(p));
  }

  /** JobOrderFn: priority (higher first), gang (not ready first), drf share (lower first), creation, UID. */
  private jobCmp = (a: JobState, b: JobState): number => {
    if (this.cfg.priority && a.spec.priority !== b.spec.priority) return b.spec.priority - a.spec.priority;
    if (this.cfg.gang) {
      const ra = this.ready(a);
      const rb = this.ready(b);
      if (ra !== rb) return ra ? 1 : -1;
    }
    if (this.cfg.drf && a.share !== b.share) return a.share < b.share ? -1 : 1;
    return a.spec.createdS - b.spec.createdS || a.spec.uid - b.spec.uid;
  };

  /** QueueOrderFn: proportion's priority (higher first) then share (lower first); then creation, then name. */
  private queueCmp = (a: QueueAttr, b: QueueAttr): number => {
    if (this.cfg.proportion.queueOrder) {
      if (a.spec.priority !== b.spec.priority) return b.spec.priority - a.spec.priority;
      if (a.share !== b.share) return a.share < b.share ? -1 : 1;
    }
    return a.spec.order - b.spec.order || (a.spec.name < b.spec.name ? -1 : a.spec.name > b.spec.name ? 1 : 0);
  };

  /** TaskOrderFn: pod priority (higher first), then creation order. */
  private taskCmp = (a: Pod, b: Pod): number => b.priority - a.priority || a.createdS - b.createdS || a.uid - b.uid;

  private popBest<T>(list: T[], cmp: (a: T, b: T) => number): T | undefined {
    if (list.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < list.length; i++) if (cmp(list[i], list[best]) < 0) best = i;
    return list.splice(best, 1)[0];
  }

  // ---- enqueue ----------------------------------------------------------------------------------------------

  /** enqueue: per queue (in queue order, one job at a time), admit Pending jobs the plugins all permit. */
  private enqueue(): void {
    const byQueue = new Map<QueueAttr, JobState[]>();
    for (const j of this.jobs) {
      if (!byQueue.has(j.attr)) byQueue.set(j.attr, []);
      if (j.phase === 'Pending') byQueue.get(j.attr)!.push(j);
    }
    const queues = [...byQueue.keys()];
    for (;;) {
      const q = this.popBest(queues, this.queueCmp);
      if (!q) break;
      const job = this.popBest(byQueue.get(q)!, this.jobCmp);
      if (!job) continue;
      if (this.enqueueable(job)) {
        const min = job.spec.minResources;
        if (min) {
          addTo(q.inqueue, min);
          addTo(this.ocInqueue, min);
        }
        job.phase = 'Inqueue';
      }
      queues.push(q);
    }
  }

  private enqueueable(job: JobState): boolean {
    const min = job.spec.minResources;
    if (min === null) return true;
    let ok = true;
    if (this.cfg.extraEnqueueVeto?.(job.spec)) ok = false;
    if (this.cfg.proportion.jobEnqueue && !proportionEnqueueable(job.attr, min)) {
      job.reason = job.attr.spec.open ? `queue ${job.attr.spec.name} resource quota insufficient` : `queue ${job.attr.spec.name} is not open`;
      ok = false;
    }
    if (this.cfg.overcommitFactor !== null && !leqWithDimension(addTo(clone(this.ocInqueue), min), this.ocIdle, min)) {
      job.reason ||= 'cluster resources (with overcommit) insufficient to enqueue the pod group';
      ok = false;
    }
    return ok;
  }

  // ---- allocate ---------------------------------------------------------------------------------------------

  /** allocate: pick a queue (skip overused), its best job, place its tasks; commit when the job is ready. */
  private *allocate(): Generator<Pod, void, TaskPlacement> {
    const byQueue = new Map<QueueAttr, JobState[]>();
    for (const j of this.jobs) {
      if (j.phase === 'Pending') {
        if (this.cfg.enqueueConfigured) {
          j.reason ||= 'pod group is pending (not admitted by enqueue)';
          continue;
        }
        j.phase = 'Inqueue';
      }
      if (!this.valid(j)) {
        j.reason = `pod group has ${j.spec.pods.length - j.releasing + j.succeeded} valid pods, fewer than minAvailable ${j.spec.minAvailable}`;
        continue;
      }
      if (this.pendingTasks(j).length === 0) continue;
      if (!byQueue.has(j.attr)) byQueue.set(j.attr, []);
      byQueue.get(j.attr)!.push(j);
    }
    const queues = [...byQueue.keys()];
    for (;;) {
      const q = this.popBest(queues, this.queueCmp);
      if (!q) break;
      if (this.cfg.proportion.overused && queueOverused(q)) {
        for (const j of byQueue.get(q)!) j.reason = `queue ${q.spec.name} is overused (deserved ≤ allocated)`;
        continue;
      }
      const jobs = byQueue.get(q)!;
      const job = this.popBest(jobs, this.jobCmp);
      if (!job) continue;
      if (job.tasks === null) job.tasks = this.pendingTasks(job).filter((p) => !isEmpty(this.resreq.get(p)!)).sort(this.taskCmp);
      if (job.tasks.length === 0) {
        queues.push(q);
        continue;
      }
      const stmt: StatementOp[] = [];
      while (job.tasks.length > 0) {
        const task = job.tasks.shift()!;
        const req = this.resreq.get(task)!;
        if (this.cfg.proportion.allocatable && !queueAllocatable(q, req)) {
          this.reasons.set(task, `queue ${q.spec.name} would exceed its deserved resources`);
          continue;
        }
        const placed = yield* this.placeTask(task, job, stmt, true);
        if (!placed) {
          if (this.needContinueAllocating(job)) continue;
          break;
        }
        if (this.ready(job) && job.tasks.length > 0) {
          jobs.push(job);
          break;
        }
      }
      this.settle(job, stmt);
      queues.push(q);
    }
  }

  /**
   * api/job_info.go NeedContinueAllocating, for jobs without task roles (our pods carry no task-spec, so no
   * TaskMinAvailable): after a task fits nowhere, an elastic job (minAvailable below its task count) tries its
   * other tasks; a job that needs every task stops (actions/allocate allocateResourcesForTasks).
   */
  private needContinueAllocating(job: JobState): boolean {
    return job.spec.minAvailable !== job.spec.pods.length;
  }

  /**
   * Predicates, scoring and selection for one task (asked of the NodeScorer through the yield); binds it in the
   * statement. False when no node fits.
   */
  private *placeTask(task: Pod, job: JobState, stmt: StatementOp[], allocate: boolean): Generator<Pod, boolean, TaskPlacement> {
    const key = shapeKey(task);
    const cached = this.fitCache.get(key);
    if (cached && cached.version === this.cluster.version) {
      job.reason = cached.message;
      this.reasons.set(task, cached.message);
      this.recordFitErrors(task, cached.unresolvable);
      return false;
    }
    const placement = yield task;
    if ('rejected' in placement) {
      const message = formatUnschedulable(this.cluster.nodes.length, placement.rejected);
      const unresolvable = this.unresolvableNodes(task, allocate);
      this.fitCache.set(key, { version: this.cluster.version, message, unresolvable });
      job.reason = message;
      this.reasons.set(task, message);
      this.recordFitErrors(task, unresolvable);
      return false;
    }
    this.doAllocate(task, job, { nodeId: placement.nodeId, gpus: placement.gpus }, stmt);
    return true;
  }

  /** job.NodesFitErrors[task] = this failure's errors (a later failure of the task replaces an earlier one). */
  private recordFitErrors(task: Pod, unresolvable: number[]): void {
    if (unresolvable.length > 0) this.unresolvable.set(task, unresolvable);
    else this.unresolvable.delete(task);
  }

  /**
   * The nodes whose fit error for this task is UnschedulableAndUnresolvable when no node fits it (api/unschedule_info.go
   * GetUnschedulableAndUnresolvableNodes). Of our predicates only node affinity on the GPU model answers that
   * (whole GPUs; deviceshare's vGPU filter answers Unschedulable). allocate checks resources first
   * (actions/allocate/allocate.go predicate: InitResreq.LessEqualWithResourcesName(FutureIdle), Unschedulable
   * "Insufficient …", returned before the predicates plugin runs), so a wrong-model node without room records only
   * that and stays a preempt/reclaim candidate; backfill calls PredicateForAllocateAction directly. Only computed
   * when preempt or reclaim will read it.
   */
  private unresolvableNodes(task: Pod, resourceCheckFirst: boolean): number[] {
    const r = task.request;
    if (!this.evicts || this.cfg.devices.kind !== 'whole' || r.gpuCount === 0 || r.gpuModels.length === 0) return [];
    const req = this.resreq.get(task)!;
    const out: number[] = [];
    for (const node of this.cluster.nodes) {
      if (this.nodes.preemptCandidate(task, node)) continue;
      if (resourceCheckFirst && !leq(req, nodeIdle(node))) continue;
      out.push(node.id);
    }
    return out;
  }

  private doAllocate(task: Pod, job: JobState, binding: Binding, stmt: StatementOp[]): void {
    this.cluster.bind(task, binding);
    this.account(task, job, +1);
    stmt.push({ kind: 'allocate', pod: task, job });
  }

  private doEvict(pod: Pod, job: JobState, stmt: StatementOp[]): void {
    const binding = pod.binding!;
    this.cluster.unbind(pod);
    this.account(pod, job, -1);
    stmt.push({ kind: 'evict', pod, job, binding });
  }

  /** The plugins' Allocate/Deallocate event handlers: job, queue (proportion) and drf bookkeeping. */
  private account(pod: Pod, job: JobState, sign: 1 | -1): void {
    const req = this.resreq.get(pod)!;
    const delta: Res = sign > 0 ? req : [-req[0], -req[1], -req[2], -req[3]];
    addTo(job.allocated, delta);
    addTo(job.attr.allocated, delta);
    job.readyNum += sign;
    job.share = drfJobShare(job.allocated, this.total);
    updateShare(job.attr);
  }

  /** Statement Discard: its operations undone in reverse order. */
  private discard(stmt: readonly StatementOp[]): void {
    for (let i = stmt.length - 1; i >= 0; i--) {
      const op = stmt[i];
      if (op.kind === 'allocate') {
        this.cluster.unbind(op.pod);
        this.account(op.pod, op.job, -1);
      } else {
        this.cluster.bind(op.pod, op.binding);
        this.account(op.pod, op.job, +1);
      }
    }
  }

  /** Statement Commit: binds and evictions take effect; an evicted pod is Releasing for the rest of the session. */
  private commit(stmt: readonly StatementOp[]): void {
    for (const op of stmt) {
      if (op.kind === 'allocate') this.bound.push(op.pod);
      else {
        this.evicted.push(op.pod);
        this.releasing.add(op.pod);
        op.job.releasing++;
      }
    }
  }

  /** Statement commit when the job is ready, else discard (undo in reverse order). */
  private settle(job: JobState, stmt: StatementOp[]): boolean {
    if (this.ready(job)) {
      this.commit(stmt);
      return true;
    }
    this.discard(stmt);
    const placed = stmt.filter((op) => op.kind === 'allocate').length;
    const why = job.reason ? `; ${job.reason}` : '';
    job.reason = `pod group is not ready: ${job.readyNum + placed} of minAvailable ${job.spec.minAvailable} tasks could be placed${why}`;
    for (const p of job.spec.pods) if (!p.binding) this.reasons.set(p, job.reason);
    return false;
  }

  // ---- backfill ---------------------------------------------------------------------------------------------

  /**
   * backfill (actions/backfill/backfill.go): the pending BestEffort tasks (no requests) of admitted, valid jobs
   * (gang JobValid: enough pods), in queue order, then job order, then task order, all fixed when the action
   * starts (pickUpPendingTasks); each goes to the best node that passes the predicates. ssn.Allocate
   * (framework/session.go) dispatches only when the job is ready: a task of a job that is not ready stays
   * allocated (it holds its pod slot for the rest of the session) and is not bound when the session closes.
   */
  private *backfill(): Generator<Pod, void, TaskPlacement> {
    const byQueue = new Map<QueueAttr, JobState[]>();
    for (const job of this.jobs) {
      if (job.phase === 'Pending') continue;
      if (!this.valid(job)) continue;
      if (!this.pendingTasks(job).some((p) => isEmpty(this.resreq.get(p)!))) continue;
      if (!byQueue.has(job.attr)) byQueue.set(job.attr, []);
      byQueue.get(job.attr)!.push(job);
    }
    const order: Array<{ job: JobState; task: Pod }> = [];
    for (const q of [...byQueue.keys()].sort(this.queueCmp)) {
      for (const job of byQueue.get(q)!.sort(this.jobCmp)) {
        const tasks = this.pendingTasks(job).filter((p) => isEmpty(this.resreq.get(p)!)).sort(this.taskCmp);
        for (const task of tasks) order.push({ job, task });
      }
    }
    for (const { job, task } of order) {
      const stmt: StatementOp[] = [];
      if (!(yield* this.placeTask(task, job, stmt, false))) continue;
      job.pendingBestEffort--;
      if (this.ready(job)) this.bound.push(task);
      else {
        this.undispatched.push(...stmt);
        this.reasons.set(task, `pod group is not ready: backfill allocated this BestEffort pod but dispatches only ready jobs (${job.readyNum - 1} of minAvailable ${job.spec.minAvailable} tasks allocated before it)`);
      }
    }
  }

  /** Session close: tasks allocated but never dispatched (backfill of a job that is not ready) are not bound. */
  private dropUndispatched(): void {
    for (let i = this.undispatched.length - 1; i >= 0; i--) {
      const op = this.undispatched[i];
      this.cluster.unbind(op.pod);
      this.account(op.pod, op.job, -1);
      op.job.pendingBestEffort++;
    }
    this.undispatched.length = 0;
  }

  // ---- preempt / reclaim ------------------------------------------------------------------------------------

  /**
   * preempt (victims: lower-priority jobs of the same queue) or reclaim (victims: jobs of other, reclaimable
   * queues whose allocated exceeds deserved). Preemptors are the admitted, valid, starving jobs (gang: fewer
   * than minAvailable tasks placed), taken queue by queue in queue order and, within a queue, in job order
   * (actions/preempt/preempt.go Execute and actions/reclaim/reclaim.go Execute: every preemptor of a queue in its
   * turn; reclaim skips a queue that is overused when it is popped, and its pushing the queue back while it has
   * preemptors changes nothing, as the same turn goes on with the queue's next job). A job's
   * tasks are tried in task order until it stops starving; a task that finds no victims does not stop the job:
   * the next task is tried (both actions loop on JobStarving and ignore the task's result). The job's statement
   * commits only if the job becomes ready.
   */
  private evictAction(kind: 'preempt' | 'reclaim'): void {
    // ssn.JobStarving (framework/session_plugins.go): the first tier with a JobStarvingFn decides, all of its
    // plugins must agree; priority's: fewer tasks placed than the job has, gang's: fewer than minAvailable
    // (api/job_info.go IsStarving). With neither plugin on, no job is starving.
    // (Succeeded tasks count as ready on both sides of priority's comparison, so they cancel there.)
    const starving = (j: JobState): boolean =>
      (this.cfg.priority || this.cfg.gang) && (!this.cfg.priority || j.readyNum < j.spec.pods.length) && (!this.cfg.gang || j.readyNum + j.succeeded < j.spec.minAvailable);
    const byQueue = new Map<QueueAttr, JobState[]>();
    for (const j of this.jobs) {
      if (j.phase === 'Pending' || !this.valid(j) || !starving(j)) continue;
      if (!byQueue.has(j.attr)) byQueue.set(j.attr, []);
      byQueue.get(j.attr)!.push(j);
    }
    const tasksOf = new Map<JobState, Pod[]>();
    for (const jobs of byQueue.values()) for (const j of jobs) tasksOf.set(j, this.pendingTasks(j).sort(this.taskCmp));
    // preempt.go underRequestByQueue: the queue's starving jobs, for the second phase (upstream in ssn.Jobs map
    // order, ours in job order when the phase starts)
    const underRequest = new Map<QueueAttr, JobState[]>();
    for (const [q, jobs] of byQueue) underRequest.set(q, [...jobs]);
    const queues = [...byQueue.keys()];
    for (;;) {
      const q = this.popBest(queues, this.queueCmp);
      if (!q) break;
      if (kind === 'reclaim' && this.cfg.proportion.overused && queueOverused(q)) continue;
      const jobs = byQueue.get(q)!;
      for (;;) {
        const job = this.popBest(jobs, this.jobCmp);
        if (!job) break;
        const stmt: StatementOp[] = [];
        const tasks = tasksOf.get(job)!;
        while (starving(job) && tasks.length > 0) this.evictFor(kind, tasks.shift()!, job, stmt);
        if (stmt.length > 0 && this.settle(job, stmt)) for (const op of stmt) if (op.kind === 'allocate') this.pipelined.add(op.pod);
        // reclaim.go pushes the queue back while it has preemptors but goes on with its next job in the same turn
        // (no break): a later pop of the queue finds none left, so all of its jobs are tried now, as in preempt.
      }
      if (kind === 'preempt') this.preemptWithinJobs(underRequest.get(q)!.sort(this.jobCmp));
    }
  }

  /**
   * preempt's second phase, per queue after the first (actions/preempt/preempt.go "Preemption between Task within
   * Job"): each starving job's pending tasks in task order may evict the job's own running tasks (the victim tiers
   * decide: priority lets a lower-priority task of the same job go); each task's statement commits when it is
   * placed, without the gang's readiness check, and the job's first task that is not placed ends its turn.
   */
  private preemptWithinJobs(jobs: readonly JobState[]): void {
    for (const job of jobs) {
      for (const task of this.pendingTasks(job).sort(this.taskCmp)) {
        const stmt: StatementOp[] = [];
        if (!this.evictFor('preempt', task, job, stmt, true)) {
          this.discard(stmt);
          break;
        }
        this.commit(stmt);
        this.pipelined.add(task);
      }
    }
  }

  /** One preemptor task (preempt.go preempt / normalPreempt, reclaim.go reclaimForTask); `withinJob`: phase 2. */
  private evictFor(kind: 'preempt' | 'reclaim', task: Pod, job: JobState, stmt: StatementOp[], withinJob = false): boolean {
    const req = this.resreq.get(task)!;
    if (kind === 'reclaim' && this.cfg.proportion.allocatable && !queueAllocatable(job.attr, req)) return false;
    // preempt.go preemptorFitsOnNode: the preemptor fits once its queue is allocatable (ssn.Allocatable, with
    // the evicted victims already deducted from the queue) and the predicates pass.
    const queueAllows = (): boolean => kind === 'reclaim' || !this.cfg.proportion.allocatable || queueAllocatable(job.attr, req);
    // preempt.go / reclaim.go: PredicateNodes with PredicateForPreemptAction over the feasible-node search (the
    // scheduler's rotating start; above 100 nodes only part of the cluster), then preempt sorts them by score and
    // reclaim tries them as found (we keep node order).
    // Before that, FilterOutUnschedulableAndUnresolvableNodesForTask drops the nodes where this session's allocate
    // (or backfill) found the task unresolvable (its fit errors, unresolvableNodes); the search then runs over the
    // rest: numNodesToFind from their count, the rotation over that list (upstream built in Go map order, ours in
    // node order) and the stored start modulo its length.
    const nodes = this.cluster.nodes;
    const skip = this.unresolvable.get(task);
    let ids: number[] | undefined;
    if (skip) {
      const dropped = new Set(skip);
      ids = nodes.map((n) => n.id).filter((id) => !dropped.has(id));
    }
    const candidates = searchFeasibleNodes(nodes.length, this.search, (id) => this.nodes.preemptCandidate(task, nodes[id]), ids).map((id) => nodes[id]);
    for (const node of kind === 'preempt' ? this.preemptNodeOrder(task, candidates) : candidates) {
      const victims = this.victimsOn(kind, node, job, task, withinJob);
      if (victims.length === 0) continue;
      // validateVictims: evicting every victim must free enough for the task.
      const freed = victims.reduce((s, v) => addTo(s, this.resreq.get(v)!), zero());
      if (!leq(req, addTo(nodeIdle(node), freed))) continue;
      const mark = stmt.length;
      for (const v of victims) {
        if (queueAllows() && !('status' in this.nodes.fit(task, node))) break;
        this.doEvict(v, this.jobOf.get(v)!, stmt);
      }
      const f = this.nodes.fit(task, node);
      if ('status' in f || !queueAllows()) {
        // Still no fit (GPUs spread over cards, or the queue over its deserved share): undo this node's evictions.
        for (let i = stmt.length - 1; i >= mark; i--) {
          const op = stmt[i] as Extract<StatementOp, { kind: 'evict' }>;
          this.cluster.bind(op.pod, op.binding);
          this.account(op.pod, op.job, +1);
        }
        stmt.length = mark;
        continue;
      }
      this.doAllocate(task, job, { nodeId: node.id, gpus: f.gpus }, stmt);
      return true;
    }
    job.reason ||= `no ${kind} victims free enough resources`;
    return false;
  }

  /**
   * preempt's node order (actions/preempt/preempt.go normalPreempt: util.PrioritizeNodes then util.SortNodes):
   * the candidate nodes scored by the session's node-order plugins with the preemptor added as the node is now
   * (full nodes included), highest total first; equal totals keep node order.
   */
  private preemptNodeOrder(task: Pod, candidates: readonly NodeState[]): NodeState[] {
    const ctx: SchedContext = { cluster: this.cluster, rng: this.input.rng, nowS: this.input.nowS };
    const scored = candidates.map((node) => {
      const f = this.nodes.fit(task, node);
      const deviceScore = 'status' in f ? 0 : f.deviceScore;
      return { node, total: this.nodes.scores(task, node, deviceScore, ctx).reduce((t, p) => t + p.weight * p.normalized, 0) };
    });
    scored.sort((a, b) => b.total - a.total || a.node.id - b.node.id);
    return scored.map((s) => s.node);
  }

  /**
   * Victim order (framework/session_plugins.go BuildVictimsPriorityQueue): victims of one job in reverse task
   * order; of different queues in reverse queue order (no VictimQueueOrderFn without the capacity plugin); of
   * one queue in reverse job order, then reverse task order. Gang's and proportion's filters take victims in
   * this order too (upstream they walk the node's task map, whose order Go leaves unspecified).
   */
  private victimCmp = (a: Pod, b: Pod): number => {
    const ja = this.jobOf.get(a)!;
    const jb = this.jobOf.get(b)!;
    if (ja !== jb) {
      if (ja.attr !== jb.attr) return this.queueCmp(jb.attr, ja.attr);
      const byJob = this.jobCmp(jb, ja);
      if (byJob !== 0) return byJob;
    }
    return this.taskCmp(b, a);
  };

  /**
   * The victims on a node in victim order: the preemptees (preempt.go: Running, preemptable tasks of other jobs
   * of the preemptor's queue; reclaim.go: of jobs in other, reclaimable queues), passed to the plugin tiers
   * (victims.ts tieredVictims), the deciding tier's list then ordered as BuildVictimsPriorityQueue orders it.
   * The preemptees reach the plugins in victim order too (upstream: the node's task map, whose order Go leaves
   * unspecified), which decides which tasks gang's and proportion's running counts let go.
   */
  private victimsOn(kind: 'preempt' | 'reclaim', node: NodeState, preemptor: JobState, task: Pod, withinJob: boolean): Pod[] {
    const bestEffort = isEmpty(this.resreq.get(task)!);
    const preemptees = this.cluster.podsOnNode[node.id].filter((p) => {
      if (!this.running.has(p)) return false;
      const j = this.jobOf.get(p);
      if (!j) return false;
      // phase 2 (preempt.go): the preemptor's own job's tasks, a BestEffort preemptor only BestEffort ones
      if (withinJob) return j === preemptor && (!bestEffort || isEmpty(this.resreq.get(p)!));
      if (j === preemptor) return false;
      // preempt.go: a BestEffort preemptor may not evict a task that requests resources.
      if (kind === 'preempt') return j.attr === preemptor.attr && (!bestEffort || isEmpty(this.resreq.get(p)!));
      return j.attr !== preemptor.attr && j.attr.spec.reclaimable;
    });
    if (preemptees.length === 0) return [];
    preemptees.sort(this.victimCmp);
    const tiers = kind === 'preempt' ? this.cfg.victimTiers.preemptable : this.cfg.victimTiers.reclaimable;
    return tieredVictims(tiers, (plugin) => this.victimFn(kind, plugin, preemptor, task), preemptees).sort(this.victimCmp);
  }

  /** A plugin's PreemptableFn or ReclaimableFn for this preemptor, or null when it is off or registers none. */
  private victimFn(kind: 'preempt' | 'reclaim', plugin: VictimPlugin, preemptor: JobState, task: Pod): VictimFn<Pod> | null {
    switch (plugin) {
      case 'conformance':
        // plugins/conformance: spares system-critical pods and kube-system; our workloads have neither.
        return (ps) => [...ps];
      case 'gang':
        return this.cfg.gang ? (ps) => this.gangVictims(ps) : null;
      case 'priority':
        if (kind !== 'preempt' || !this.cfg.priority) return null;
        // plugins/priority preemptableFn: another job's task if that job's priority is lower; a task of the
        // preemptor's own job if the task's priority is lower.
        return (ps) => ps.filter((p) => {
          const j = this.jobOf.get(p)!;
          return j === preemptor ? p.priority < task.priority : j.spec.priority < preemptor.spec.priority;
        });
      case 'drf':
        return kind === 'preempt' && this.cfg.drf ? (ps) => this.drfVictims(ps, preemptor, task) : null;
      case 'proportion':
        return kind === 'reclaim' && this.cfg.proportion.reclaimable ? (ps) => this.proportionVictims(ps) : null;
    }
  }

  /** gang's victim function: a job's tasks while its ready count (Succeeded tasks included) stays above minAvailable (gang.go preemptableFn). */
  private gangVictims(preemptees: readonly Pod[]): Pod[] {
    const occupied = new Map<JobState, number>();
    const out: Pod[] = [];
    for (const p of preemptees) {
      const j = this.jobOf.get(p)!;
      const occ = occupied.get(j) ?? j.readyNum + j.succeeded;
      if (occ > j.spec.minAvailable) {
        occupied.set(j, occ - 1);
        out.push(p);
      } else occupied.set(j, occ);
    }
    return out;
  }

  /** proportion's ReclaimableFn: a task while its queue's allocated (less the tasks taken) is not ≤ deserved. */
  private proportionVictims(preemptees: readonly Pod[]): Pod[] {
    const alloc = new Map<QueueAttr, Res>();
    const out: Pod[] = [];
    for (const p of preemptees) {
      const q = this.jobOf.get(p)!.attr;
      let a = alloc.get(q);
      if (!a) alloc.set(q, (a = clone(q.allocated)));
      if (leq(a, q.deserved)) continue;
      subFrom(a, this.resreq.get(p)!);
      out.push(p);
    }
    return out;
  }

  /**
   * drf's PreemptableFn (plugins/drf/drf.go): the preemptor job's share with the task added (ls) against each
   * preemptee job's share with its tasks taken so far removed (rs); a victim when ls < rs or |ls − rs| ≤ 1e-6.
   */
  private drfVictims(preemptees: readonly Pod[], preemptor: JobState, task: Pod): Pod[] {
    const ls = drfJobShare(addTo(clone(preemptor.allocated), this.resreq.get(task)!), this.total);
    const alloc = new Map<JobState, Res>();
    const out: Pod[] = [];
    for (const p of preemptees) {
      const j = this.jobOf.get(p)!;
      let a = alloc.get(j);
      if (!a) alloc.set(j, (a = clone(j.allocated)));
      const rs = drfJobShare(subFrom(a, this.resreq.get(p)!), this.total);
      if (ls < rs || Math.abs(ls - rs) <= DRF_SHARE_DELTA) out.push(p);
    }
    return out;
  }
}
