/**
 * TypeScript twin of `shaders/lib/filterPrologue.wgsl`: the packed-row reads and the kube filter prologue that the
 * cpu/filterScore*.ts twins share (same checks in the same order as the kernels).
 *
 * Rows (src/engine/kernels/state.ts): a node is NODE_WORDS words (0 cpuMilli, 1 memMiB, 2 maxPods, 3 podCount, 4 usedCpu,
 * 5 usedMem, 6–7 non-zero requests, 8 gpuOffset, 9 gpuCount, 10 modelIndex, 11 clusteringMask), a GPU GPU_WORDS
 * words (0 usedMilli, 1 usedMemMiB, 2 usedCores, 3 usedSlots, 4 memMiB, 5 cores, 6 numa, 7 healthy). Pod rows
 * (POD_WORDS, or kernels/volcano.ts VOLCANO_POD_WORDS) share words 0 cpuMilli, 1 memMiB, 2 gpuCount, 3 hasModels,
 * 4–5 the model mask; POD_WORDS rows carry 9 nodeBase and 10 gpuBase (a lockstep replica's first rows).
 *
 * Filters: kube-scheduler v1.34 NodeResourcesFit (fit.go: every reason it finds) on pods, cpu and memory, plus the
 * kernel's own `nvidia.com/gpu` slot check; NodeAffinity on `nvidia.com/gpu.product` (GPU pods that restrict
 * models) only when NodeResourcesFit passes, as FrameworkScheduler runs them.
 */
import { GPU_WORDS, NODE_WORDS, POD_WORDS } from '../kernels/state.ts';
import { INFEASIBLE } from '../kernels/types.ts';

/** kube reason bits (REASON_TEXT order). */
export const R_PODS = 1;
export const R_CPU = 2;
export const R_MEM = 4;
export const R_GPU = 8;
export const R_AFFINITY = 16;

/** One GPU's full share, milli-GPU. */
export const MILLI = 1000;

/** Word offset in `nodes` of node `local` of the replica of POD_WORDS pod row `p`. */
export function nodeRowOf(pods: Uint32Array, p: number, local: number): number {
  return (pods[p * POD_WORDS + 9] + local) * NODE_WORDS;
}

/** Row index in `gpus` of the first GPU of the node at word offset `o`, for POD_WORDS pod row `p`. */
export function gpuBaseOf(pods: Uint32Array, p: number, nodes: Uint32Array, o: number): number {
  return pods[p * POD_WORDS + 10] + nodes[o + 8];
}

/** NodeResourcesFit's pods, cpu and memory reason bits of the pod at word `q` on the node at word `o` (0 = fits). */
export function fitReasons(nodes: Uint32Array, o: number, pods: Uint32Array, q: number): number {
  let reasons = 0;
  if (nodes[o + 3] + 1 > nodes[o + 2]) reasons |= R_PODS;
  if (pods[q] > 0 && nodes[o + 4] + pods[q] > nodes[o]) reasons |= R_CPU;
  if (pods[q + 1] > 0 && nodes[o + 5] + pods[q + 1] > nodes[o + 1]) reasons |= R_MEM;
  return reasons;
}

/** GPU model affinity: true when the pod at word `q` restricts no models or allows the node's model index. */
export function modelAllowed(nodes: Uint32Array, o: number, pods: Uint32Array, q: number): boolean {
  if (pods[q + 3] !== 1) return true;
  const m = nodes[o + 10];
  return ((m < 32 ? pods[q + 4] >>> m : pods[q + 5] >>> (m - 32)) & 1) === 1;
}

/**
 * The kube prologue of the k8s, FGD, baseline and HAMi twins: NodeResourcesFit (every reason, plus R_GPU when
 * `gpuShort`, the caller's slot check), then NodeAffinity for GPU pods. INFEASIBLE | reason bits, or 0 when it passes.
 */
export function kubeFilter(nodes: Uint32Array, o: number, pods: Uint32Array, q: number, gpuShort: boolean): number {
  const reasons = fitReasons(nodes, o, pods, q) | (gpuShort ? R_GPU : 0);
  if (reasons !== 0) return (INFEASIBLE | reasons) >>> 0;
  if (pods[q + 2] > 0 && !modelAllowed(nodes, o, pods, q)) return (INFEASIBLE | R_AFFINITY) >>> 0;
  return 0;
}

/** Sums of a GPU-share scan: used slots, GPUs with at least the pod's share free, free milli-GPU. */
export interface ShareScan {
  slots: number;
  fitting: number;
  freeMilli: number;
}

/**
 * The free share of each of `g` GPUs from row `gpuBase` into `left[0..g)` (1000 − used on a healthy GPU, else 0) and
 * their sums into `out` (returned; callers pass scratch arrays and objects so that the hot loop allocates nothing).
 */
export function scanShares(gpus: Uint32Array, gpuBase: number, g: number, milli: number, left: Int32Array, out: ShareScan): ShareScan {
  let slots = 0;
  let fitting = 0;
  let freeMilli = 0;
  for (let k = 0; k < g; k++) {
    const b = (gpuBase + k) * GPU_WORDS;
    const r = gpus[b + 7] === 1 ? MILLI - gpus[b] : 0;
    left[k] = r;
    slots += gpus[b + 3];
    freeMilli += r;
    if (r >= milli) fitting++;
  }
  out.slots = slots;
  out.fitting = fitting;
  out.freeMilli = freeMilli;
  return out;
}
