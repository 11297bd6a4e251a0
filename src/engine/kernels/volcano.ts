/**
 * The Volcano kernel as data: its spec (`volcanoKernelSpecOf`, read off the session configuration the profile
 * builds, src/sched/profiles/volcano.ts), the pod layout and result words it reads and writes, its reason bits,
 * the decision record and the reduction (twin: cpu/selectMaxKey.ts). Kernel:
 * shaders/filterScoreVolcano.wgsl, twin src/engine/cpu/filterScoreVolcano.ts; engines: cpu/volcanoCpuEngine.ts,
 * gpu/volcanoGpuEngine.ts; scheduler: engine/evaluator/volcanoEvaluator.ts.
 *
 * The kernel covers one step of a Volcano session: where the allocate or backfill action puts one task
 * (sched/volcano/nodeScorer.ts), against the session's tentative state. Its total is the float64 sum Volcano
 * forms (leastrequested + balancedresource + binpack + weight·deviceshare, in that order), so one candidate's
 * result is two u32 words: [hi, lo] of the total's IEEE-754 bit pattern (non-negative doubles order as their
 * bit patterns, and equal patterns are equal totals), or [INFEASIBLE | reason bits, 0].
 *
 * This spec is not a `KernelSpec`: its decision is not kube's windowed `Decision` (no window, no plateaus, a
 * float64 maximum), and it runs through VolcanoEvaluator, never FrameworkEvaluator; lockstep sweeps batch it
 * through the generic replica engines of engine/lockstep/lockstep.ts (VolcanoGpuEngine.attachReplicas).
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { NODE_AFFINITY_REASON } from '../../sched/plugins/nodeAffinity.ts';
import { writeModelMask, type ClusterBuffers } from './state.ts';
import { INFEASIBLE, type EvalWindow } from './types.ts';
import type { VolcanoKernelSpec } from '../../sched/profiles/kernelSpecs.ts';

export { volcanoKernelSpecOf, type VolcanoKernelSpec } from '../../sched/profiles/kernelSpecs.ts';



/**
 * Why the kernel cannot hold a cluster, or null. deviceshare checks each card's model; the kernel reads the
 * node's model (state.ts), which is every card's model for nodes built from pools (model/cluster.ts).
 */
export function volcanoLimitError(cluster: ClusterState): string | null {
  for (const n of cluster.nodes) for (const g of n.gpus) if (g.model !== n.gpuModel) return `the volcano kernel needs one GPU model per node (${n.name} mixes ${n.gpuModel} and ${g.model})`;
  return null;
}

/** Reason texts of the result's reason bits (bit i ↔ entry i), worded as the session's predicates word them. */
export const VOLCANO_REASON_TEXT: readonly string[] = [
  'Too many pods',
  'Insufficient cpu',
  'Insufficient memory',
  NODE_AFFINITY_REASON,
  'Insufficient nvidia.com/gpu',
  'no enough gpu cards on node',
  'not enough gpu fitted on this node',
];
export const VOLCANO_REASON_BITS = VOLCANO_REASON_TEXT.length;

/**
 * Pod rows of the kernel, 3 × vec4<u32> per pod:
 *   [0] cpuMilli, memMiB, gpuCount, hasModels   [1] modelMaskLo, modelMaskHi, gpuMilli, gpuMemMiB
 *   [2] gpuCores (capped at 100, as deviceshare caps it), nodeBase, gpuBase, 0
 * The bases are the first node and GPU rows of the pod's replica when an engine holds several clusters side by
 * side (lockstep sweeps); 0 for one cluster (the CPU twin holds one cluster and ignores them).
 */
export const VOLCANO_POD_WORDS = 12;

/**
 * Packs pods in the kernel's pod layout; model masks against the cluster's model indices (state.ts); `bases[p]`:
 * pod p's replica rows (none: 0).
 */
export function packVolcanoPods(state: Pick<ClusterBuffers, 'modelIndex'>, pods: readonly PodRequest[], bases?: readonly { node: number; gpu: number }[]): Uint32Array {
  const out = new Uint32Array(Math.max(1, pods.length) * VOLCANO_POD_WORDS);
  pods.forEach((r, p) => {
    const o = p * VOLCANO_POD_WORDS;
    out[o] = r.cpuMilli;
    out[o + 1] = r.memMiB;
    out[o + 2] = r.gpuCount;
    out[o + 3] = r.gpuModels.length > 0 ? 1 : 0;
    writeModelMask(state.modelIndex, r.gpuModels, out, o + 4);
    out[o + 6] = r.gpuMilli;
    out[o + 7] = r.gpuMemMiB;
    out[o + 8] = Math.min(r.gpuCores, 100);
    out[o + 9] = bases ? bases[p].node : 0;
    out[o + 10] = bases ? bases[p].gpu : 0;
  });
  return out;
}

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

/** Writes one candidate's two result words: the total's bit pattern [hi, lo], or [INFEASIBLE | reasons, 0]. */
export function packVolcanoResult(total: number, reasons: number, out: Uint32Array, at: number): void {
  if (reasons !== 0) {
    out[at] = (INFEASIBLE | reasons) >>> 0;
    out[at + 1] = 0;
    return;
  }
  f64[0] = total;
  out[at] = f64Words[1];
  out[at + 1] = f64Words[0];
}

/** The float64 total of a feasible result's words (tests, explain). */
export function totalOfResult(hi: number, lo: number): number {
  f64Words[1] = hi;
  f64Words[0] = lo;
  return f64[0];
}

/** One task's reduction over every node, or over its feasible-node search (identical from both engines). */
export interface VolcanoDecision {
  /** Feasible nodes. */
  feasible: number;
  /** Infeasible nodes counted per reason bit (VOLCANO_REASON_TEXT). */
  rejected: number[];
  /** The highest total's bit pattern [hi, lo] ([0, 0] when no node is feasible). */
  maxKey: [number, number];
  /** Node ids scoring the highest total, ascending (the order Volcano's tie draw indexes). */
  tied: number[];
  /**
   * Set only for a decision over Volcano's feasible-node search (a window with want below the node count): the
   * nodes examined, by which the scheduler advances the search's start (sched/volcano/feasibleNodes.ts).
   */
  processed?: number;
}

/** The rejections of a decision as the session records them (`reason → nodes`). */
export function volcanoRejectedRecord(d: VolcanoDecision): Record<string, number> {
  const out: Record<string, number> = {};
  d.rejected.forEach((c, b) => {
    if (c > 0) out[VOLCANO_REASON_TEXT[b]] = c;
  });
  return out;
}

/** What the Volcano evaluator needs from an engine (CPU twin or WebGPU). */
export interface VolcanoEngine {
  readonly kind: 'cpu' | 'gpu';
  readonly label: string;
  /** Binds to a cluster (full upload on a new cluster); every evaluation first re-sends the nodes whose version changed. */
  attach(cluster: ClusterState, spec: VolcanoKernelSpec): void;
  /**
   * One decision per pod against the current state (one submit on the GPU): over every node, or over Volcano's
   * feasible-node search where `windows[p]` wants fewer nodes than the cluster has (the results reduced on the host).
   */
  evaluate(pods: readonly PodRequest[], windows?: readonly EvalWindow[]): Promise<VolcanoDecision[]>;
  /** The result words of every (pod, node): 2 per candidate, pod-major. */
  scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array>;
  /** Releases what the engine holds (not a shared device). */
  destroy(): void;
}
