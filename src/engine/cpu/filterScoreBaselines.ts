/**
 * TypeScript twin of `shaders/filterScoreBaselines.wgsl` (filters + score of the five FGD-paper baselines) and of
 * `shaders/normalizeMinMax.wgsl` (bestfit's normalize step). One packed result per (pod, node) candidate.
 * Feasible → plugin score + spec.bias (bestfit: raw score + RAW_SCORE_BIAS, normalized later); infeasible →
 * INFEASIBLE | reason bits.
 *
 * Filters as src/sched/profiles/fgd.ts runs them, in order: NodeResourcesFit with 1000 `nvidia.com/gpu` slots per
 * GPU (all its reasons), GPU model affinity, the GPU-share fit (fgdGpuShare.ts gpuShareFilter). Scores: the pure
 * functions of src/sched/plugins/fgdBaselines.ts (hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641
 * {random,dot_product,gpu_clustering,gpu_packing,best_fit}_score.go) on the packed state, so the float64 steps
 * are JavaScript's own (the kernel emulates them bit for bit in shaders/lib/softDoubleMul.wgsl).
 */
import { POD_WORDS } from '../kernels/state.ts';
import { INFEASIBLE, RAW_SCORE_BIAS, type FgdBaselineKernelSpec } from '../kernels/types.ts';
import { bestFitRawOf, clusteringScoreOf, dotProdScoreOf, packingScoreOf } from '../../sched/plugins/fgdBaselines.ts';
import { MILLI, R_GPU, gpuBaseOf, kubeFilter, nodeRowOf, scanShares, type ShareScan } from './filterPrologue.ts';

/** Free share per GPU (scratch), grown for a node with more GPUs: the CPU engine has no kernel GPU limit. */
let left = new Int32Array(64);
const shares: ShareScan = { slots: 0, fitting: 0, freeMilli: 0 };

/** left[0..g) as the plain array packingScoreOf takes. */
function leftArray(g: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < g; k++) out.push(left[k]);
  return out;
}

/** The set of classes whose bits are set in a node's clustering mask (state.ts word 11). */
function classesOfMask(mask: number): Set<number> {
  const out = new Set<number>();
  for (let k = 0; k < 32; k++) if ((mask >>> k) & 1) out.add(k);
  return out;
}

/**
 * Packed result of pod `p` (row of `pods`) on node `local` of its cluster. Returns a plain number: a score below
 * −bias (a cluster the GPU kernel refuses: engine/kernels/specs.ts kernelLimitError) stays negative rather than wrapping.
 */
export function filterScoreBaselines(spec: FgdBaselineKernelSpec, nodes: Uint32Array, gpus: Uint32Array, local: number, pods: Uint32Array, p: number): number {
  const q = p * POD_WORDS;
  const o = nodeRowOf(pods, p, local);
  const g = nodes[o + 9];
  const reqCpu = pods[q];
  const want = pods[q + 2];
  const milli = pods[q + 8];
  if (g > left.length) left = new Int32Array(g);
  const gpuLeft = scanShares(gpus, gpuBaseOf(pods, p, nodes, o), g, milli, left, shares).freeMilli;
  // NodeResourcesFit (1000 slots per GPU, every reason), then GPU model affinity, then the GPU-share fit.
  const infeasible = kubeFilter(nodes, o, pods, q, want > 0 && shares.slots + want > g * MILLI);
  if (infeasible !== 0) return infeasible;
  if (want > 0 && milli > 0 && shares.fitting < want) return (INFEASIBLE | R_GPU) >>> 0;

  const cpuLeft = nodes[o] - nodes[o + 4];
  const podGpu = milli > 0 ? want * milli : 0;
  switch (spec.policy) {
    case 'random':
      return 0;
    case 'dotprod':
      return dotProdScoreOf(cpuLeft, gpuLeft, reqCpu, podGpu) + spec.bias;
    case 'clustering': {
      const podClass = want === 0 || milli === 0 ? -1 : milli < MILLI ? 0 : want;
      return clusteringScoreOf(podClass, classesOfMask(nodes[o + 11]), gpuLeft) + spec.bias;
    }
    case 'packing':
      return Math.max(packingScoreOf(leftArray(g), want > 0 ? milli : 0, milli > 0 ? want : 0), 0) + spec.bias;
    case 'bestfit':
      return bestFitRawOf(cpuLeft, gpuLeft, reqCpu, podGpu) + RAW_SCORE_BIAS;
  }
}

