/**
 * A scheduler framework shaped like kube-scheduler's (pkg/scheduler/framework): queue sort, filter plugins
 * that return a Status (sched/status.ts) instead of throwing, score plugins with optional normalize, weights
 * applied and score ranges checked by the runner,
 * a device allocator that picks GPUs on the chosen node, and bind. Every profile plugs in here; the simulator
 * only sees the `Scheduler` interface (one cycle over the active queue).
 */
import type { Rng } from '../core/rng.ts';
import type { ClusterOptions, ClusterState, NodeState } from '../model/cluster.ts';
import type { GpuBooking, Pod } from '../model/pod.ts';
import type { Status } from './status.ts';

/** Context of one scheduling cycle. */
export interface SchedContext {
  cluster: ClusterState;
  /** The scheduler's own seeded stream (tie-breaks). */
  rng: Rng;
  nowS: number;
}

/** What one cycle did. Bound pods are already booked in the cluster (via `cluster.bind`). */
export interface CycleResult {
  bound: Pod[];
  /** Pods that could not be placed; `pod.lastReason` says why. */
  failed: Pod[];
  /** Pods the scheduler evicted (preemption/reclaim); the simulator unbinds and requeues them. */
  evicted: Pod[];
}

/** Per-plugin scores of one node, for the "why here?" view. */
export interface PluginScore {
  plugin: string;
  raw: number;
  normalized: number;
  weight: number;
}

export interface NodeCandidate {
  node: string;
  total: number;
  plugins: PluginScore[];
}

/** Why a pod went where it went (or nowhere). */
export interface Explanation {
  pod: string;
  /** Chosen node, or null when unschedulable. */
  node: string | null;
  gpus: number[];
  /** `kubectl describe`-style message when unschedulable, e.g. `0/12 nodes are available: 8 Insufficient cpu.` */
  message: string;
  /** Rejected nodes counted by reason. */
  rejected: Record<string, number>;
  feasibleNodes: number;
  /** Top candidates by total score, best first. */
  top: NodeCandidate[];
  /** The device step's account of the chosen node, one line per device (DRA: claim, request → device); absent elsewhere. */
  devices?: string[];
}

/** The interface the simulator drives. */
export interface Scheduler {
  readonly name: string;
  /** How the cluster must book resources for this profile (e.g. time-slicing oversubscribes memory). */
  readonly clusterOptions: ClusterOptions;
  /** True when the profile commits gangs all-or-nothing (the simulator then never sees partial gangs). */
  readonly gangAware: boolean;
  /** One scheduling cycle over the active queue (pods in any order; the scheduler sorts). */
  cycle(queue: readonly Pod[], ctx: SchedContext): CycleResult;
  /** Explains the decision for one pod against the current state, without binding anything. */
  explain(pod: Pod, ctx: SchedContext, topK?: number): Explanation;
}

/** A filter: `null` when the node fits (kube's nil status), else the Status that rules the node out. */
export interface FilterPlugin {
  readonly name: string;
  filter(pod: Pod, node: NodeState, ctx: SchedContext): Status | null;
}

/**
 * A score plugin: an integer (or float, where the real scheduler uses floats) per feasible node, in
 * [0, MAX_NODE_SCORE] after normalize (the runner turns a score outside that range into an Error status).
 */
export interface ScorePlugin {
  readonly name: string;
  /**
   * Set, with the reason, by a plugin whose published formula leaves [0, MAX_NODE_SCORE] on some nodes (the FGD
   * paper's baselines, written for openb nodes, on nodes beyond its largest spec): the runner then keeps the
   * number instead of failing the attempt, as the engine kernels and every pinned result do. Kube plugins leave
   * it unset.
   */
  readonly unboundedScore?: string;
  /**
   * True when the plugin's PreScore returns Skip for this pod whatever the nodes (kube then neither scores nor
   * normalizes it for the pod): the runner leaves the plugin out of the pod's attempt. Absent: never skips.
   */
  skips?(pod: Pod): boolean;
  /** kube's PreScore: called once per attempt with the feasible nodes, before the first `score` of the attempt. */
  preScore?(pod: Pod, nodes: readonly NodeState[], ctx: SchedContext): void;
  score(pod: Pod, node: NodeState, ctx: SchedContext): number;
  /** Rewrites the raw scores of all feasible nodes in place (kube's ScoreExtensions.NormalizeScore). */
  normalize?(scores: number[], pod: Pod, nodes: readonly NodeState[], ctx: SchedContext): void;
}

/** Picks the GPUs a pod gets on a node; returns the bookings, or the Status saying why it cannot. */
export interface DeviceAllocator {
  readonly name: string;
  allocate(pod: Pod, node: NodeState, ctx: SchedContext): GpuBooking[] | Status;
}

/** How ties among the top-scored nodes are broken. */
export type TieBreak =
  /** kube-scheduler: uniform among the tied nodes by reservoir sampling, drawing from the seeded RNG. */
  | { kind: 'reservoir' }
  /** FGD artifact: one seeded random ranking of the nodes per run; the best-ranked tied node wins. */
  | { kind: 'rank'; rank: Int32Array }
  /** The first tied node in scan order (deterministic, no draws). */
  | { kind: 'first' };

export interface WeightedScore {
  plugin: ScorePlugin;
  weight: number;
}

/** Queue ordering: negative when a goes first. */
export type QueueSort = (a: Pod, b: Pod) => number;

/** kube's PrioritySort: higher priority first, then earlier creation, then uid. */
export const prioritySort: QueueSort = (a, b) => b.priority - a.priority || a.createdS - b.createdS || a.uid - b.uid;
