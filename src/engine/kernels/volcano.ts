/**
 * The Volcano kernel as data: its spec (`volcanoKernelSpecOf`, read off the session configuration the profile
 * builds, src/sched/profiles/volcano.ts), the pod layout and result words it reads and writes, its reason bits,
 * the decision record and the reduction (twin: cpu/selectMaxKey.ts). Kernel:
 * shaders/filterScoreVolcano.wgsl, twin src/engine/cpu/filterScoreVolcano.ts; engines: cpu/volcanoCpuEngine.ts,
 * gpu/volcanoGpuEngine.ts; scheduler: engine/evaluator/volcanoEngineScheduler.ts.
 *
 * The kernel covers one step of a Volcano session: where the allocate or backfill action puts one task
 * (sched/volcano/nodeScorer.ts), against the session's tentative state. Its total is the float64 sum Volcano
 * forms (leastrequested + balancedresource + binpack + weight·deviceshare, in that order), so one candidate's
 * result is two u32 words: [hi, lo] of the total's IEEE-754 bit pattern (non-negative doubles order as their
 * bit patterns, and equal patterns are equal totals), or [INFEASIBLE | reason bits, 0].
 *
 * This spec is not a `KernelSpec`: its decision is not kube's windowed `Decision` (no window, no plateaus, a
 * float64 maximum), and it runs through VolcanoEngineScheduler, never EngineScheduler; lockstep sweeps batch it
 * through the generic replica engines of engine/lockstep/lockstep.ts (VolcanoGpuEngine.attachReplicas).
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { NODE_AFFINITY_REASON } from '../../sched/plugins/nodeAffinity.ts';
import { getProfile } from '../../sched/profiles/index.ts';
import { volcanoSessionConfig, type VolcanoHamiOptions } from '../../sched/profiles/volcano.ts';
import type { SessionConfig } from '../../sched/volcano/session.ts';
import { writeModelMask, type ClusterBuffers } from './state.ts';
import { INFEASIBLE } from './types.ts';

/** The scoring of the `volcano` / `volcano-hami` profiles as the kernel reads it (all weights integers ≥ 0). */
export interface VolcanoKernelSpec {
  kind: 'volcano';
  /** deviceshare vGPU slices (volcano-hami); false = whole GPUs from the NVIDIA device plugin (volcano). */
  vgpu: boolean;
  /** nodeorder leastrequested weight (0 = off). */
  leastRequestedWeight: number;
  /** nodeorder balancedresource weight (0 = off). */
  balancedWeight: number;
  /** binpack arguments (weight 0 for a resource = not listed: both add nothing); null = plugin off. */
  binpack: { weight: number; cpu: number; memory: number; gpu: number } | null;
  /** deviceshare (vgpu only): card order, split count, and the score weight (0 = not scored). */
  deviceShare: { spread: boolean; splitCount: number; weight: number } | null;
}

/** The Volcano profiles (src/sched/profiles/volcano.ts). */
export const VOLCANO_PROFILES: readonly string[] = ['volcano', 'volcano-hami'];

/** Largest weight the kernel takes (products stay far inside its 96-bit integers). */
const MAX_WEIGHT = 0xffff;

const isWeight = (w: unknown): w is number => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= MAX_WEIGHT;

/**
 * The kernel spec of a Volcano session configuration, or null when the kernel does not cover it (non-integer or
 * huge weights, binpack resources other than cpu, memory and nvidia.com/gpu).
 */
export function volcanoKernelSpecOf(cfg: SessionConfig): VolcanoKernelSpec | null {
  const no = cfg.nodeorder;
  if (!isWeight(no.leastRequested) || !isWeight(no.balancedResource)) return null;
  let binpack: VolcanoKernelSpec['binpack'] = null;
  if (cfg.binpack) {
    const r = cfg.binpack.resources;
    if (Object.keys(r).some((k) => k !== 'cpu' && k !== 'memory' && k !== 'nvidia.com/gpu')) return null;
    const cpu = r.cpu ?? 0;
    const memory = r.memory ?? 0;
    const gpu = r['nvidia.com/gpu'] ?? 0;
    if (![cfg.binpack.weight, cpu, memory, gpu].every(isWeight)) return null;
    binpack = { weight: cfg.binpack.weight, cpu, memory, gpu };
  }
  let deviceShare: VolcanoKernelSpec['deviceShare'] = null;
  const dev = cfg.devices;
  if (dev.kind === 'vgpu') {
    if (!isWeight(dev.cfg.weight) || !Number.isInteger(dev.cfg.splitCount) || dev.cfg.splitCount < 0) return null;
    deviceShare = { spread: dev.cfg.policy === 'spread', splitCount: Math.min(dev.cfg.splitCount, 0xffffffff), weight: dev.cfg.weight };
  }
  return { kind: 'volcano', vgpu: dev.kind === 'vgpu', leastRequestedWeight: no.leastRequested, balancedWeight: no.balancedResource, binpack, deviceShare };
}

/** The kernel spec of a Volcano profile with options (defaults filled in), or null for other profiles. */
export function volcanoKernelSpecFor(profile: string, options?: Record<string, unknown>): VolcanoKernelSpec | null {
  if (!VOLCANO_PROFILES.includes(profile)) return null;
  const def = getProfile(profile);
  if (!def) return null;
  const o = { ...def.defaults, ...(options ?? {}) } as unknown as VolcanoHamiOptions;
  const devices: SessionConfig['devices'] =
    profile === 'volcano' ? { kind: 'whole' } : { kind: 'vgpu', cfg: { policy: o.deviceSharePolicy, weight: o.deviceShareWeight, splitCount: o.splitCount } };
  return volcanoKernelSpecOf(volcanoSessionConfig(o, devices));
}

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

/** One task's reduction over every node (identical from both engines). */
export interface VolcanoDecision {
  /** Feasible nodes. */
  feasible: number;
  /** Infeasible nodes counted per reason bit (VOLCANO_REASON_TEXT). */
  rejected: number[];
  /** The highest total's bit pattern [hi, lo] ([0, 0] when no node is feasible). */
  maxKey: [number, number];
  /** Node ids scoring the highest total, ascending (the order Volcano's tie draw indexes). */
  tied: number[];
}

/** The rejections of a decision as the session records them (`reason → nodes`). */
export function volcanoRejectedRecord(d: VolcanoDecision): Record<string, number> {
  const out: Record<string, number> = {};
  d.rejected.forEach((c, b) => {
    if (c > 0) out[VOLCANO_REASON_TEXT[b]] = c;
  });
  return out;
}

/** What the Volcano engine scheduler needs from an engine (CPU twin or WebGPU). */
export interface VolcanoEngine {
  readonly kind: 'cpu' | 'gpu';
  readonly label: string;
  /** Binds to a cluster (full upload on a new cluster); every evaluation first re-sends the nodes whose version changed. */
  attach(cluster: ClusterState, spec: VolcanoKernelSpec): void;
  /** One decision per pod against the current state (one submit on the GPU). */
  evaluate(pods: readonly PodRequest[]): Promise<VolcanoDecision[]>;
  /** The result words of every (pod, node): 2 per candidate, pod-major. */
  scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array>;
  /** Releases what the engine holds (not a shared device). */
  destroy(): void;
}
