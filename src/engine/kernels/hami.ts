/**
 * The HAMi kernel as data: its spec (`hamiKernelSpecFor`, mirroring src/sched/profiles/hami.ts), the packed
 * tables it reads besides the cluster state (state.ts), the result classes and reason bits, the decision record
 * and its reduction (twin: cpu/selectHami.ts). Kernel: shaders/filterScoreHami.wgsl,
 * twin src/engine/cpu/filterScoreHami.ts; scheduler: engine/evaluator/hamiEvaluator.ts.
 *
 * A packed result per (pod, node) has three classes:
 * - ≥ INFEASIBLE (0x8000_0000): kube's filters reject the node; low bits = kube reason bits (REASON_TEXT);
 * - ≥ HAMI_UNFIT (0x6000_0000): kube-feasible but HAMi's Fit rejects it; low bits = HAMI_REASON_TEXT bits;
 * - below: HAMi fits; the value is the order key of HAMi's float32 node score: its bit pattern (binpack keeps the
 *   highest) or SPREAD_KEY_BASE − bits (spread keeps the lowest score). Non-negative float32 bit patterns order as
 *   their values, so the reduction keeps the highest key either way, and equal keys are exactly equal scores.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { Annotation, gpuUuid } from '../../sched/hami/scheduler.ts';
import { splitList } from '../../sched/hami/fit.ts';
import { podHamiRequest } from '../../sched/hami/request.ts';
import { Reason } from '../../sched/hami/types.ts';
import type { Decision, EvalWindow } from './types.ts';
import type { HamiKernelSpec } from '../../sched/profiles/kernelSpecs.ts';
import { HAMI_PROFILES as HAMI_PROFILE_DEFS } from '../../sched/profiles/hami.ts';

export type { HamiKernelSpec } from '../../sched/profiles/kernelSpecs.ts';

/** The HAMi profiles' names (src/sched/profiles/hami.ts). */
export const HAMI_PROFILES: readonly string[] = HAMI_PROFILE_DEFS.map((p) => p.name);


/** First value of the "kube-feasible, HAMi-unfit" class. */
export const HAMI_UNFIT = 0x60000000;
/** Spread's key: SPREAD_KEY_BASE − score bits (scores are < 2^36, so bits < 0x5200_0000). */
export const SPREAD_KEY_BASE = 0x5fffffff;

/** HAMi's reason words (HAMi v2.10.0 pkg/device/common), bit k = word k of a HAMi-unfit result. */
export const HAMI_REASON_TEXT: readonly string[] = [
  Reason.CardNotHealth,
  Reason.CardCordoned,
  Reason.CardTypeMismatch,
  Reason.NumaNotFit,
  Reason.CardUuidMismatch,
  Reason.CardTimeSlicingExhausted,
  Reason.ExclusiveDeviceAllocateConflict,
  Reason.CardInsufficientMemory,
  Reason.CardInsufficientCore,
  Reason.CardComputeUnitsExhausted,
  Reason.AllocatedCardsInsufficientRequest,
  Reason.NodeInsufficientDevice,
  Reason.DeviceTypeNotFound,
];
export const HAMI_REASON_BITS = HAMI_REASON_TEXT.length;

/** Words of the config table before the per-GPU words. */
export const HAMI_CONF_HEADER = 4;
/** Per-GPU word: registered memory (bits 0..29), cordoned (bit 30), not an NVIDIA card (bit 31). */
export const GPU_MEM_MASK = 0x3fffffff;
export const GPU_CORDONED = 0x40000000;
export const GPU_NOT_NVIDIA = 0x80000000;
/** u32 words of one pod's HAMi request row: gpuCount, memMiB (0 = unset), memPercent (0 = unset), cores (≤ 100). */
export const HAMI_POD_WORDS = 4;

/**
 * Why the kernel cannot hold a cluster under a spec, or null: every per-node sum it converts to float32 must stay
 * below 2^31 (u32 arithmetic with room), registered memory per card below 2^30 (the per-GPU word).
 */
export function hamiLimitError(spec: HamiKernelSpec, cluster: ClusterState): string | null {
  if (!Number.isInteger(spec.splitCount) || spec.splitCount < 0) return `deviceSplitCount ${spec.splitCount} is not a count`;
  for (const n of cluster.nodes) {
    let mem = 0;
    let cores = 0;
    let usedMem = 0;
    let usedCores = 0;
    let used = 0;
    for (const g of n.gpus) {
      const reg = Math.floor(g.memMiB * spec.memoryScaling);
      if (reg > GPU_MEM_MASK) return `the HAMi kernel holds registered GPU memory below 2^30 MiB (${n.name}: ${reg})`;
      mem += reg;
      cores += g.cores;
      usedMem += g.usedMemMiB;
      usedCores += g.usedCores;
      used += g.usedSlots;
    }
    if (Math.max(mem, cores, usedMem, usedCores, used, spec.splitCount * n.gpus.length) >= 2147483648) return `the HAMi kernel's per-node sums must stay below 2^31 (${n.name})`;
  }
  return null;
}

/**
 * The config table: [splitCount, flags (bit 0 mutex, bit 1 spread), 0, 0] then one word per GPU of the cluster in state order
 * (registered memory | cordoned | not NVIDIA). Cards are cordoned by the node label `hami.io/device-cordon`
 * (src/sched/hami/scheduler.ts onNode); the vendor comes from the cluster's catalog (hamiGpus).
 */
export function packHamiConf(spec: HamiKernelSpec, cluster: ClusterState): Uint32Array {
  const gpuCount = cluster.nodes.reduce((s, n) => s + n.gpus.length, 0);
  const out = new Uint32Array(HAMI_CONF_HEADER + gpuCount);
  out[0] = spec.splitCount;
  out[1] = (spec.mutex ? 1 : 0) | (spec.spread ? 2 : 0);
  let k = HAMI_CONF_HEADER;
  for (const n of cluster.nodes) {
    const raw = n.labels[Annotation.deviceCordon];
    const cordoned = raw ? new Set(splitList(raw)) : null;
    for (const g of n.gpus) {
      let w = Math.floor(g.memMiB * spec.memoryScaling);
      if (cordoned?.has(gpuUuid(n, g.index))) w |= GPU_CORDONED;
      if (cluster.catalog[g.model]?.vendor === 'AMD') w |= GPU_NOT_NVIDIA;
      out[k++] = w >>> 0;
    }
  }
  return out;
}

/** HAMi request rows of pods (after the webhook and normalization; a pod without a HAMi request packs zeros). */
export function packHamiPods(spec: HamiKernelSpec, pods: readonly PodRequest[]): Uint32Array {
  const out = new Uint32Array(Math.max(1, pods.length) * HAMI_POD_WORDS);
  pods.forEach((r, p) => {
    const q = podHamiRequest(r, spec.request);
    if (!q) return;
    const o = p * HAMI_POD_WORDS;
    out[o] = q.gpuCount;
    out[o + 1] = q.memMiB;
    out[o + 2] = q.memPercent ?? 0;
    out[o + 3] = Math.min(q.cores, 100);
  });
  return out;
}

/** One HAMi decision: kube's window cut on kube-feasibility, HAMi's reasons inside it, the extreme key's tie set. */
export interface HamiDecision extends Decision {
  /** Kube-feasible but HAMi-unfit nodes within the window, per HAMi reason bit. */
  hamiRejected: number[];
  /** Nodes HAMi fits within the window. */
  fit: number;
}

/** The evaluator both HAMi engines implement (CPU twin: cpu/filterScoreHami.ts; WebGPU: gpu/hamiGpu.ts). */
export interface HamiEngine {
  readonly kind: 'cpu' | 'gpu';
  readonly label: string;
  /** Binds to a cluster (re-packs the config table when the spec or cluster changed); later calls send only changed nodes. */
  attach(cluster: ClusterState, spec: HamiKernelSpec): void;
  /** Marks a node changed (after a bind). */
  markDirty(nodeId: number): void;
  /** Decisions for HAMi pods against the current state, each in its window. */
  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[]): Promise<HamiDecision[]>;
  /** Packed results of every (pod, node), for tests. */
  scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array>;
}
