/**
 * The engine boundary: an engine evaluates every placement candidate (pod × node) of a scheduling step in batch
 * and reduces them to a `Decision` per pod. The CPU engine (engine/cpu) and the WebGPU engine (engine/gpu) return
 * identical decisions for identical inputs; the seeded tie-break is then replayed on the CPU (engine/evaluator/choose.ts).
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import type { KernelSpec } from '../../sched/profiles/kernelSpecs.ts';
import type { SpreadInputs } from './spread.ts';
import { POD_TOPOLOGY_SPREAD_WEIGHT } from '../../sched/plugins/podTopologySpread.ts';

/** The kernel specs profiles declare (sched/profiles/kernelSpecs.ts); `KernelSpec` = the k8s/FGD/baselines kernels behind `Engine`. */
export type { FgdBaselineKernelSpec, FgdBaselinePolicy, FgdKernelClass, FgdKernelSpec, K8sKernelSpec, KernelSpec, ProfileKernel } from '../../sched/profiles/kernelSpecs.ts';

/**
 * Highest total a spec can produce (sizes the plateau histogram of the reduction); `spread`: for a batch with a
 * pod the k8s kernel's PodTopologySpread pass scores (its weight × 100 on top).
 */
export function maxTotalOf(spec: KernelSpec, spread = false): number {
  if (spec.kind === 'fgd') return 100;
  if (spec.kind === 'fgd-baseline') return spec.policy === 'random' ? 0 : 100 + spec.bias;
  return 100 * (spec.fitWeight + spec.balancedWeight + (spread ? POD_TOPOLOGY_SPREAD_WEIGHT : 0));
}

/**
 * Per-pod inputs of the k8s kernel's PodTopologySpread pass (kernels/spread.ts packSpreadInputs): null or absent
 * for a pod kube's default constraints do not score. Only a `k8s-fit` spec runs the pass.
 */
export type SpreadBatch = readonly (SpreadInputs | null | undefined)[];

/** True when a spec's raw scores are min–max normalized over the feasible set before the reduction (bestfit). */
export function normalizesScores(spec: KernelSpec): boolean {
  return spec.kind === 'fgd-baseline' && spec.policy === 'bestfit';
}

/** Offset of bestfit's raw score in a packed result before normalization (raw ∈ (−2^30, 2^30)). */
export const RAW_SCORE_BIAS = 0x40000000;

/** Largest total the GPU reduction's histogram holds (workgroup memory: 3 × 1024 u32). */
export const MAX_REDUCIBLE_TOTAL = 1023;

/** Which nodes one pod's decision considers: kube's rotating start and numFeasibleNodesToFind. */
export interface EvalWindow {
  /** First node index examined (kube's nextStartNodeIndex). */
  start: number;
  /** Stop after this many feasible nodes (numFeasibleNodesToFind). */
  want: number;
}

/** Rejection reason bits of a packed candidate result (kube's wording in REASON_TEXT). */
export const REASON_BITS = 5;
export const REASON_TEXT: readonly string[] = [
  'Too many pods',
  'Insufficient cpu',
  'Insufficient memory',
  'Insufficient nvidia.com/gpu',
  "node(s) didn't match Pod's node affinity/selector",
];
/** A packed candidate result ≥ INFEASIBLE is infeasible; its low bits are reason bits. */
export const INFEASIBLE = 0x80000000;

/** The reduction of one pod's candidates within its window (identical from both engines). */
export interface Decision {
  /** Nodes examined in rotated order (kube advances nextStartNodeIndex by this). */
  processed: number;
  /** Feasible nodes found within the window (≤ want). */
  feasible: number;
  /** Rejected nodes within the window, counted per reason bit. */
  rejected: number[];
  /** Highest total among the feasible nodes; -1 when none. */
  maxTotal: number;
  /**
   * Tie counts of the successive running-maximum plateaus in scan order (kube's selectHost draws
   * rng.int(2..c) on each), so the CPU can replay the reservoir draws exactly.
   */
  plateaus: number[];
  /** Node ids scoring maxTotal, in scan order. */
  tied: number[];
  /**
   * Only when asked for (`topK` > 0): the best feasible nodes of the window by packed total, descending, node id
   * ascending on ties (the order of FrameworkScheduler.explain's ranking), at most topK of them.
   */
  top?: RankedNode[];
}

/** A node and its packed total (a "why here?" runner-up). */
export interface RankedNode {
  node: number;
  total: number;
}

/** Most runners-up a decision record carries (shaders/selectBest.wgsl keeps them in registers). */
export const MAX_TOP_K = 8;

/** A candidate evaluator. `evaluate` may be async (WebGPU readback); the CPU engine also answers synchronously. */
export interface Engine {
  readonly kind: 'cpu' | 'gpu';
  /** Human-readable name, e.g. `CPU (TypeScript)` or `WebGPU: SwiftShader (software)`. */
  readonly label: string;
  /** Binds the engine to a cluster (uploads its state); later calls send only changed nodes. */
  attach(cluster: ClusterState, spec: KernelSpec): void;
  /** Marks a node changed (after a bind/unbind), so its state is re-sent before the next evaluation. */
  markDirty(nodeId: number): void;
  /**
   * Decisions for a batch of pods against the current state (each with its own window); with `topK` (≤ MAX_TOP_K)
   * each decision also lists its best nodes (`Decision.top`); with `spread`, the owned pods' totals include kube's
   * default PodTopologySpread score (the k8s kernel's spread pass; k8s-fit specs only).
   */
  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[], topK?: number, spread?: SpreadBatch): Promise<Decision[]>;
  /**
   * Why this engine cannot run the PodTopologySpread pass for `spec` on a cluster of `nodeCount` nodes with
   * `zoneIds` zone ids (the pod then takes the plugin path), or null; absent = no limit (the CPU twin).
   */
  spreadRefusal?(spec: KernelSpec, nodeCount: number, zoneIds: number): string | null;
  /** The packed candidate results (pods × nodes, node-major per pod) without reduction: for tests and bench. */
  scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array>;
  /** Releases resources (the GPU device). */
  destroy(): void;
}
