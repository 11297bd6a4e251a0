/**
 * HAMi v2.10.0 as deployed: kube-scheduler (v1.34 default plugins) with HAMi as a scheduler extender. For a pod
 * that asks for HAMi resources, kube-scheduler filters cpu/memory/pods and node affinity, stops at
 * percentageOfNodesToScore feasible nodes as usual, and hands those to HAMi's Filter, which schedules the pod on
 * each (scoreNode) and keeps only the best node by its node policy; that node is bound with HAMi's allocation.
 * A pod without HAMi resources passes the extender untouched and kube-scheduler's own scoring decides.
 */
import type { ClusterOptions, NodeState } from '../../model/cluster.ts';
import type { GpuBooking, Pod } from '../../model/pod.ts';
import { GPU_MILLI } from '../../model/units.ts';
import { prioritySort, type CycleResult, type Explanation, type NodeCandidate, type SchedContext, type Scheduler } from '../framework.ts';
import { balancedAllocation } from '../plugins/balancedAllocation.ts';
import { ignoringGpuResource, noDeviceAllocator } from '../plugins/hamiExtender.ts';
import { gpuModelAffinity } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from '../plugins/nodeResourcesFit.ts';
import { formatUnschedulable } from '../reasons.ts';
import { countReasons, errorStatus, statusMessage, unresolvable, type Status } from '../status.ts';
import { explainThrough, runCycle, shapeKey, type CandidateEvaluator, type EvaluatorHost } from '../cycle.ts';
import { FrameworkScheduler, numFeasibleNodesToFind } from '../runner.ts';
import { HAMI_PLUGIN, policyHas, splitList } from './fit.ts';
import { nodeFitOptions, pickNode, scheduleOnNode, type NodeFitOptions } from './nodeSchedule.ts';
import { effectiveNodePolicy } from './order.ts';
import { parseGoBool, podHamiRequest, type RequestConfig } from './request.ts';
import { registrationEpoch, registrationOrder } from './registration.ts';
import { parseScoringWeights, SCORE_SCALE } from './score.ts';
import { topologyPairScores, type PairScores } from './topology.ts';
import type { HamiAllocation, HamiGpu, HamiPodOptions, HamiRequest, ScoringWeights } from './types.ts';

/** Pod annotations HAMi reads. */
export const Annotation = {
  gpuPolicy: 'hami.io/gpu-scheduler-policy',
  nodePolicy: 'hami.io/node-scheduler-policy',
  scoringWeights: 'hami.io/device-scoring-weights',
  useGpuType: 'nvidia.com/use-gputype',
  noUseGpuType: 'nvidia.com/nouse-gputype',
  useUuid: 'nvidia.com/use-gpuuuid',
  noUseUuid: 'nvidia.com/nouse-gpuuuid',
  numaBind: 'nvidia.com/numa-bind',
  vgpuMode: 'nvidia.com/vgpu-mode',
  /** Node annotation (a node label in our model) listing cordoned device ids. */
  deviceCordon: 'hami.io/device-cordon',
} as const;

export interface HamiConfig {
  name: string;
  /** Node policy flag (`binpack` default, `spread`); a pod's annotation overrides it. */
  nodePolicy: string;
  /** GPU policy flag (`spread` default, `binpack`, `topology-aware`, `mutex`, chains); a pod's annotation overrides it. */
  gpuPolicy: string;
  /** deviceSplitCount (default 10). */
  splitCount: number;
  /** deviceMemoryScaling (default 1; > 1 oversubscribes memory). */
  memoryScaling: number;
  request: RequestConfig;
  /** Scoring weights when the pod has no `hami.io/device-scoring-weights` (HAMi: 1/1/1). */
  weights: ScoringWeights;
  /** Count the request's own terms in GPU scores (HAMi's tests); real nodes register the model name, so off. */
  scoreRequestTerms: boolean;
  /** kube-scheduler's percentageOfNodesToScore ('adaptive' default). */
  percentageOfNodesToScore: 'adaptive' | number;
  /**
   * The device plugin runs with ENABLE_TOPOLOGY_SCORE, so nodes carry pair scores (`hami.io/node-nvidia-score`);
   * without them a topology-aware pod's candidates all score 0. Default: `topologyScoreOf(gpuPolicy)`.
   */
  topologyScore: boolean;
}

/**
 * Whether HAMi's chart turns topology scoring on: only when the default GPU policy is exactly `topology-aware`
 * (charts/hami/templates/device-plugin/daemonsetnvidia.yaml sets ENABLE_TOPOLOGY_SCORE; the device plugin
 * registers pair scores only then, pkg/device-plugin/nvidiadevice/nvinternal/plugin/register.go).
 */
export function topologyScoreOf(gpuPolicyFlag: string): boolean {
  return gpuPolicyFlag === 'topology-aware';
}

/** Device id of a card of one of our nodes (what `nvidia.com/use-gpuuuid` names). */
export function gpuUuid(node: NodeState, index: number): string {
  return `${node.name}-gpu${index}`;
}

/**
 * A node's cards as HAMi registers them: type `NVIDIA-<model>` (`AMD-<model>` for AMD cards, which the NVIDIA
 * backend does not handle), memory floor(MiB·scaling), split count from the config, usage from the bookings.
 */
export function hamiGpus(node: NodeState, cfg: Pick<HamiConfig, 'splitCount' | 'memoryScaling'>, vendorOf: (model: string) => string = () => 'NVIDIA'): HamiGpu[] {
  return node.gpus.map((g) => ({
    id: gpuUuid(node, g.index),
    index: g.index,
    type: `${vendorOf(g.model) === 'AMD' ? 'AMD' : 'NVIDIA'}-${g.model}`,
    mode: 'hami-core',
    splitCount: cfg.splitCount,
    memTotalMiB: Math.floor(g.memMiB * cfg.memoryScaling),
    coresTotal: g.cores,
    usedSlots: g.usedSlots,
    usedMemMiB: g.usedMemMiB,
    usedCores: g.usedCores,
    numa: g.numa,
    healthy: g.healthy,
  }));
}

/**
 * milli-GPU a HAMi booking counts for the allocation metric: 1000 for an exclusive booking (cores = the card's
 * cores; nothing else can join such a card), else the booked share of the card's registered memory, floor(mem·1000
 * / total). Memory is HAMi's hard-isolated resource, so these shares never sum past 1000 on a card (cores are a
 * soft limit and a pod may book 0 of them, so a cores share would undercount and a max() could overflow).
 */
export function bookingMilli(a: HamiAllocation, gpu: HamiGpu): number {
  if (gpu.coresTotal > 0 && a.cores >= gpu.coresTotal) return GPU_MILLI;
  if (gpu.memTotalMiB <= 0) return 0;
  return Math.min(GPU_MILLI, Math.floor((a.memMiB * GPU_MILLI) / gpu.memTotalMiB));
}

/** One node's outcome for a pod (shared by every pod of its shape while the node is unchanged: never mutated). */
interface NodeOutcome {
  node: NodeState;
  score: number;
  allocation: HamiAllocation[];
  /** What binding the node books (empty when it does not fit). */
  bookings: GpuBooking[];
  /** HAMi's status on the node; null when it fits. */
  status: Status | null;
  /** The register pass (registration.ts) whose card order chose `allocation`. */
  epoch: number;
}

/**
 * kube's filter and HAMi's outcome on each node for one pod shape, valid while the node's version is the one
 * recorded. The register pass (registration.ts) changes only the outcome's cards, never its fit, reasons or score
 * (see `withCurrentCards`), so it is not part of the key.
 */
interface ShapeOutcomes {
  version: Int32Array;
  outcome: (NodeOutcome | undefined)[];
  kubeVersion: Int32Array;
  /** kube-scheduler's filter status on the node (null: it passes). */
  kubeStatus: (Status | null)[];
}

/**
 * Pod shapes whose per-node outcomes are kept (least recently used dropped first). A shape's table holds one
 * outcome per node; a few shapes cover a workload's pods, and a trace with thousands of shapes still stays bounded.
 */
const MAX_CACHED_SHAPES = 16;

/** Outcome of one scheduling attempt. */
export interface HamiAttempt {
  nodeIndex: number;
  gpus: GpuBooking[];
  rejected: Record<string, number>;
  feasible: number;
}

/** HAMi (scheduler extender) on kube-scheduler. */
export class HamiScheduler implements Scheduler, EvaluatorHost<HamiScheduler> {
  readonly name: string;
  readonly clusterOptions: ClusterOptions;
  readonly gangAware = false;
  /** The injected candidate evaluator (cycle.ts useEvaluator), or null: the plugin path. */
  evaluator: CandidateEvaluator<HamiScheduler> | null = null;
  cycleAsync?: (queue: readonly Pod[], ctx: SchedContext) => Promise<CycleResult>;
  explainAsync?: (pod: Pod, ctx: SchedContext, topK?: number) => Promise<Explanation>;
  /** The kube-scheduler half (filters for every pod; the whole decision for pods without HAMi resources). */
  readonly kube: FrameworkScheduler;
  private nextStartNodeIndex = 0;
  private readonly pairCache = new Map<number, PairScores>();
  /**
   * scoreNode outcomes by pod shape (cycle.ts shapeKey: the request and the annotations, all HAMi reads of a pod)
   * and node version: a node is scheduled again only after a bind, unbind or touch changed it, so a pod costs a
   * lookup per unchanged node instead of HAMi's whole Fit (issue 19: the per-node rescan per pod made runs grow
   * with nodes × pods). For the cluster `outcomeCluster` and seed `outcomeSeed`; another cluster or seed starts afresh.
   */
  private readonly outcomes = new Map<string, ShapeOutcomes>();
  private outcomeCluster: unknown = null;
  private outcomeSeed = -1;

  constructor(readonly config: HamiConfig) {
    this.name = config.name;
    this.clusterOptions = { allowMemOversubscription: config.memoryScaling > 1 };
    this.kube = new FrameworkScheduler({
      name: `${config.name}/kube-scheduler`,
      queueSort: prioritySort,
      filters: [ignoringGpuResource(nodeResourcesFitFilter(1)), gpuModelAffinity],
      scores: [
        { plugin: nodeResourcesFitScore({ strategy: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] }), weight: 1 },
        { plugin: balancedAllocation, weight: 1 },
      ],
      allocator: noDeviceAllocator,
      tieBreak: { kind: 'reservoir' },
      percentageOfNodesToScore: config.percentageOfNodesToScore,
      clusterOptions: this.clusterOptions,
    });
  }

  /** The HAMi request of a pod (after the webhook), or null when it asks for no GPU. */
  request(pod: Pod): HamiRequest | null {
    return podHamiRequest(pod.request, this.config.request);
  }

  /** The node policy for a pod (effectiveNodePolicy: its annotation verbatim, else the flag). */
  nodePolicy(pod: Pod): string {
    return effectiveNodePolicy(this.config.nodePolicy, pod.annotations[Annotation.nodePolicy]);
  }

  /** Pod options from the pod's annotations (cordons are per node and added by `optionsOn`). */
  podOptions(pod: Pod): HamiPodOptions {
    const a = pod.annotations;
    return {
      gpuPolicy: a[Annotation.gpuPolicy] ?? this.config.gpuPolicy,
      numaBind: parseGoBool(a[Annotation.numaBind]),
      gpuTypeAllow: a[Annotation.useGpuType] ?? null,
      gpuTypeDeny: a[Annotation.noUseGpuType] ?? null,
      vgpuMode: a[Annotation.vgpuMode] ?? null,
      uuidAllow: a[Annotation.useUuid] ?? null,
      uuidDeny: a[Annotation.noUseUuid] ?? null,
      cordoned: new Set(),
    };
  }

  private pairScores(node: NodeState, gpus: HamiGpu[]): PairScores {
    let p = this.pairCache.get(node.id);
    if (!p) {
      p = topologyPairScores(node.topology, gpus);
      this.pairCache.set(node.id, p);
    }
    return p;
  }

  /** HAMi's scoreNode for our single-container pod on one node. */
  private onNode(node: NodeState, req: HamiRequest, base: HamiPodOptions, weights: ScoringWeights, ctx: SchedContext): NodeOutcome {
    const gpus = this.cardsOf(node, ctx);
    const cordon = node.labels[Annotation.deviceCordon];
    const pod: HamiPodOptions = cordon ? { ...base, cordoned: new Set(splitList(cordon)) } : base;
    const o: NodeFitOptions = nodeFitOptions(pod, {
      weights,
      terms: this.config.scoreRequestTerms ? 'on' : 'off',
      // No pair-score annotation without topology scoring: every pair counts 0 (device.go getDevicePairScoreMap).
      pairScores: this.config.topologyScore && policyHas(pod.gpuPolicy, 'topology-aware') ? this.pairScores(node, gpus) : undefined,
    });
    const epoch = this.registrationEpochOf(node, ctx);
    const r = scheduleOnNode(gpus, { initContainers: [], containers: [[req]] }, o);
    if (!r.fits) return { node, score: 0, allocation: [], bookings: [], status: r.status, epoch };
    return { node, score: r.score, allocation: r.allocations[0], bookings: r.allocations[0].map((a) => this.bookingOf(a, gpus.find((x) => x.id === a.id)!, node)), status: null, epoch };
  }

  /**
   * A fitting outcome with the cards of the register pass in force now. The pass only reorders cards the GPU
   * policy ranks equal, and equal cards under every Less share their NUMA node, so whether the node fits, its
   * reasons and its score (sums over all cards) are the same for every pass: a cached outcome stays valid for the
   * filter, and only the chosen node's cards are chosen again when its pass has changed.
   */
  private withCurrentCards(o: NodeOutcome, pod: Pod, req: HamiRequest, ctx: SchedContext): NodeOutcome {
    if (o.epoch === this.registrationEpochOf(o.node, ctx)) return o;
    const w = this.weightsFor(pod);
    return w.ok ? this.onNode(o.node, req, this.podOptions(pod), w.weights, ctx) : o;
  }

  /** The outcome table of a pod shape on the context's cluster (a fresh one for a new shape or cluster). */
  private outcomeTable(key: string, ctx: SchedContext): ShapeOutcomes {
    const n = ctx.cluster.nodes.length;
    // The card order depends on the scheduler stream's seed (registration.ts): another seed starts afresh too.
    if (this.outcomeCluster !== ctx.cluster || this.outcomeSeed !== ctx.rng.seed) {
      this.outcomes.clear();
      this.outcomeCluster = ctx.cluster;
      this.outcomeSeed = ctx.rng.seed;
    }
    let t = this.outcomes.get(key);
    if (t && t.version.length === n) {
      // Most recently used last, so the first entry is the one to drop.
      this.outcomes.delete(key);
      this.outcomes.set(key, t);
      return t;
    }
    if (this.outcomes.size >= MAX_CACHED_SHAPES) this.outcomes.delete(this.outcomes.keys().next().value!);
    t = { version: new Int32Array(n).fill(-1), outcome: new Array<NodeOutcome | undefined>(n), kubeVersion: new Int32Array(n).fill(-1), kubeStatus: new Array<Status | null>(n).fill(null) };
    this.outcomes.set(key, t);
    return t;
  }

  /**
   * The pod's scoring weights, or the status of a malformed annotation: UnschedulableAndUnresolvable, as no node
   * fits such a pod until the pod itself changes.
   */
  private weightsFor(pod: Pod): { ok: true; weights: ScoringWeights } | { ok: false; status: Status } {
    const raw = pod.annotations[Annotation.scoringWeights];
    if (raw === undefined) return { ok: true, weights: this.config.weights };
    // Present means parsed, an empty value included (HAMi GetDeviceScoringWeightsByPod); the error names the annotation.
    const p = parseScoringWeights(raw);
    return p.ok ? p : { ok: false, status: unresolvable(HAMI_PLUGIN, p.error) };
  }

  /** Runs HAMi's Filter over the given kube-feasible nodes; counts HAMi's reasons per node into `rejected`. */
  private hamiFilter(pod: Pod, req: HamiRequest, nodes: NodeState[], rejected: Record<string, number>, ctx: SchedContext, key?: string): NodeOutcome[] | Status {
    const w = this.weightsFor(pod);
    if (!w.ok) return w.status;
    const table = this.outcomeTable(key ?? shapeKey(pod), ctx);
    let base: HamiPodOptions | null = null;
    const fitting: NodeOutcome[] = [];
    for (const node of nodes) {
      let r = table.version[node.id] === node.version ? table.outcome[node.id] : undefined;
      if (r === undefined) {
        base ??= this.podOptions(pod);
        r = this.onNode(node, req, base, w.weights, ctx);
        table.version[node.id] = node.version;
        table.outcome[node.id] = r;
      }
      if (r.status === null) fitting.push(r);
      else countReasons(rejected, r.status);
    }
    return fitting;
  }

  /**
   * A node's cards as HAMi registers them, in the order of the register pass in force (registration.ts: a seeded
   * rotation of index order, redrawn every 30 s); hami-mig overrides it to register MIG-mode cards (issue 17).
   */
  protected cardsOf(node: NodeState, ctx: SchedContext): HamiGpu[] {
    const catalog = ctx.cluster.catalog;
    const cards = hamiGpus(node, this.config, (m) => catalog[m]?.vendor ?? 'NVIDIA');
    return registrationOrder(cards.length, ctx.rng.seed, node.name, this.registrationEpochOf(node, ctx)).map((i) => cards[i]);
  }

  /** The node's register pass in force now (registration.ts), from the scheduler stream's seed. */
  private registrationEpochOf(node: NodeState, ctx: SchedContext): number {
    return registrationEpoch(ctx.rng.seed, node.name, ctx.nowS);
  }

  /**
   * What one allocation books on the cluster (hami-mig overrides it to book MIG instances, issue 17). An existing
   * pod (scenario.existingPods) may hold milli-GPU beyond its memory share: the share counted is at most what is
   * left of the card.
   */
  protected bookingOf(a: HamiAllocation, g: HamiGpu, node: NodeState): GpuBooking {
    const left = GPU_MILLI - node.gpus[a.index].usedMilli;
    return { gpu: a.index, milli: Math.min(bookingMilli(a, g), left), memMiB: a.memMiB, cores: a.cores, slots: 1 };
  }

  /** kube's rotating start node of the next HAMi pod (engine/evaluator/hamiEvaluator.ts runs the same scan on an engine and advances it). */
  get startNodeIndex(): number {
    return this.nextStartNodeIndex;
  }

  set startNodeIndex(v: number) {
    this.nextStartNodeIndex = v;
  }

  /** HAMi's scoreNode on one node, booked as attempt() books the node it picks: the cards and the node score, or why it does not fit. */
  placeOn(pod: Pod, node: NodeState, ctx: SchedContext): { gpus: GpuBooking[]; score: number } | { status: Status } {
    const req = this.request(pod);
    if (req === null) return { status: errorStatus(HAMI_PLUGIN, 'the pod asks for no HAMi resources') };
    const w = this.weightsFor(pod);
    if (!w.ok) return { status: w.status };
    const o = this.onNode(node, req, this.podOptions(pod), w.weights, ctx);
    return o.status === null ? { gpus: o.bookings.slice(), score: o.score } : { status: o.status };
  }

  /** One scheduling decision for a pod against the current state (nothing is bound); `key`: its shapeKey if known. */
  attempt(pod: Pod, ctx: SchedContext, key?: string): HamiAttempt {
    const req = this.request(pod);
    if (req === null) {
      const a = this.kube.attempt(pod, ctx, key);
      return a;
    }
    const nodes = ctx.cluster.nodes;
    const n = nodes.length;
    const rejected: Record<string, number> = {};
    const fail = { nodeIndex: -1, gpus: [], rejected, feasible: 0 };
    if (n === 0) return fail;
    const want = numFeasibleNodesToFind(n, this.config.percentageOfNodesToScore);
    const feasible: NodeState[] = [];
    let processed = 0;
    const start = this.nextStartNodeIndex;
    key ??= shapeKey(pod);
    const table = this.outcomeTable(key, ctx);
    for (let i = 0; i < n && feasible.length < want; i++) {
      const node = nodes[(start + i) % n];
      processed++;
      // kube's filters read the pod's request and the node's bookings only: cached per shape and node version.
      let status: Status | null;
      if (table.kubeVersion[node.id] === node.version) status = table.kubeStatus[node.id];
      else {
        const r = this.kube.filterNode(pod, node, ctx);
        status = 'status' in r ? r.status : null;
        table.kubeVersion[node.id] = node.version;
        table.kubeStatus[node.id] = status;
      }
      if (status) countReasons(rejected, status);
      else feasible.push(node);
    }
    this.nextStartNodeIndex = (start + processed) % n;
    const fitting = this.hamiFilter(pod, req, feasible, rejected, ctx, key);
    // A pod-level status (malformed annotation) rules out every node for the same reason.
    if (!Array.isArray(fitting)) return { ...fail, rejected: { [statusMessage(fitting)]: n } };
    if (fitting.length === 0) return fail;
    const best = pickNode(fitting.map((f) => f.score), this.nodePolicy(pod), ctx.rng);
    const chosen = this.withCurrentCards(fitting[best], pod, req, ctx);
    return {
      nodeIndex: chosen.node.id,
      gpus: chosen.bookings.slice(),
      rejected,
      feasible: fitting.length,
    };
  }

  /** One scheduling cycle (sched/cycle.ts) with HAMi's attempt per pod, or through the evaluator. */
  cycle(queue: readonly Pod[], ctx: SchedContext): CycleResult {
    if (this.evaluator) return this.evaluator.cycle(this, queue, ctx);
    return runCycle(queue, ctx, prioritySort, (pod, key) => this.attempt(pod, ctx, key));
  }

  /**
   * Why here: every node through kube's filters and HAMi's Filter; rejections counted by reason (HAMi's per-card
   * reasons counted once per node, as HAMi's FilteringFailed event does); candidates ranked by the node policy.
   * The plugin score is HAMi's node score (raw) and, for ranking, normalized so higher is better
   * (binpack: the score; spread: 30 − score, 30 being the maximum 10·3). Through the evaluator when it explains the pod.
   */
  explain(pod: Pod, ctx: SchedContext, topK = 5): Explanation {
    return explainThrough(this, pod, ctx, topK);
  }

  /** The plugin path's explanation (see `explain`). */
  explainOnPlugins(pod: Pod, ctx: SchedContext, topK = 5): Explanation {
    const req = this.request(pod);
    if (req === null) return this.kube.explain(pod, ctx, topK);
    const nodes = ctx.cluster.nodes;
    const rejected: Record<string, number> = {};
    const feasible: NodeState[] = [];
    for (const node of nodes) {
      const r = this.kube.filterNode(pod, node, ctx);
      if ('status' in r) countReasons(rejected, r.status);
      else feasible.push(node);
    }
    const fitting = this.hamiFilter(pod, req, feasible, rejected, ctx);
    if (!Array.isArray(fitting)) {
      const rej = { [statusMessage(fitting)]: nodes.length };
      return { pod: pod.name, node: null, gpus: [], message: formatUnschedulable(nodes.length, rej), rejected: rej, feasibleNodes: 0, top: [] };
    }
    const spread = this.nodePolicy(pod) === 'spread';
    const maxScore = 3 * SCORE_SCALE;
    const ranked = fitting.map((f, i) => ({ f, i, norm: spread ? maxScore - f.score : f.score })).sort((a, b) => b.norm - a.norm || a.i - b.i);
    const top: NodeCandidate[] = ranked.slice(0, topK).map(({ f, norm }) => ({
      node: f.node.name,
      total: norm,
      plugins: [{ plugin: `HAMi node score (${spread ? 'spread' : 'binpack'})`, raw: f.score, normalized: norm, weight: 1 }],
    }));
    const chosen = pod.binding ? nodes[pod.binding.nodeId] : ranked.length ? ranked[0].f.node : null;
    const gpus = pod.binding ? pod.binding.gpus.map((g) => g.gpu) : ranked.length ? this.withCurrentCards(ranked[0].f, pod, req, ctx).allocation.map((a) => a.index) : [];
    return {
      pod: pod.name,
      node: chosen ? chosen.name : null,
      gpus,
      message: fitting.length ? '' : formatUnschedulable(nodes.length, rejected),
      rejected,
      feasibleNodes: fitting.length,
      top,
    };
  }
}
