/**
 * The five baselines of the FGD paper, each a score plugin run alone at weight 1000 (domain.md §6.4;
 * hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641, pkg/simulator/plugin/{random_score, dot_product_score,
 * gpu_clustering_score, gpu_packing_score, best_fit_score}.go). Constants 128000 (milli-CPU) and 8000
 * (milli-GPU) are the artifact's fixed normalizers, not node maxima; gpu_left is the node's total free
 * milli-GPU; a pod's gpu is num_gpu × gpu_milli; scores are truncated to integers as Go's int64() does.
 */
import type { NodeState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import { GPU_MILLI } from '../../model/units.ts';
import type { ScorePlugin } from '../framework.ts';
import { gpuLeftMilli, podGpuMilli } from './fgdGpuShare.ts';

// Local copies: imported bindings are getters under some loaders (tsx), too slow in these hot loops.
const MILLI: number = GPU_MILLI;
const leftOf: typeof gpuLeftMilli = gpuLeftMilli;
const podGpuOf: typeof podGpuMilli = podGpuMilli;

/** The artifact's MaxSpecCpu (milli-CPU) and MaxSpecGpu (milli-GPU). */
export const MAX_SPEC_CPU_MILLI = 128000;
export const MAX_SPEC_GPU_MILLI = 8000;

function cpuLeft(node: NodeState): number {
  return node.cpuMilli - node.usedCpuMilli;
}

function gpuLeft(node: NodeState): number {
  let s = 0;
  for (const g of node.gpus) s += leftOf(g);
  return s;
}

/** Random: every feasible node scores 0 except one drawn uniformly from the seeded stream, which scores 100. */
export const randomScore: ScorePlugin = {
  name: 'RandomScore',
  score: () => 0,
  normalize(scores, _pod, _nodes, ctx) {
    if (scores.length === 0) return;
    const pick = ctx.rng.int(scores.length);
    for (let i = 0; i < scores.length; i++) scores[i] = i === pick ? 100 : 0;
  },
};

/** DotProd: int(100·(1 − ([cpu_left/128000, gpu_left/8000] · [cpu/128000, gpu/8000])/2)). */
export function dotProdScoreOf(cpuLeftMilli: number, gpuLeftMilli: number, podCpuMilli: number, podGpuMilli: number): number {
  const dot = (cpuLeftMilli / MAX_SPEC_CPU_MILLI) * (podCpuMilli / MAX_SPEC_CPU_MILLI) + (gpuLeftMilli / MAX_SPEC_GPU_MILLI) * (podGpuMilli / MAX_SPEC_GPU_MILLI);
  return Math.trunc(100 * (1 - dot / 2));
}

/** Why DotProd and GpuClustering may score outside [0, 100] (see ScorePlugin.unboundedScore). */
const BEYOND_MAX_SPEC = `the artifact's formula assumes nodes of at most ${MAX_SPEC_CPU_MILLI / 1000} CPUs and ${MAX_SPEC_GPU_MILLI / 1000} GPUs`;

export const dotProdScore: ScorePlugin = {
  name: 'DotProductScore',
  unboundedScore: BEYOND_MAX_SPEC,
  score: (pod, node) => dotProdScoreOf(cpuLeft(node), gpuLeft(node), pod.request.cpuMilli, podGpuOf(pod)),
};

/** GpuClustering class of a GPU pod: 0 = "share" (fractional), k = k whole GPUs; −1 = CPU-only. */
export function clusteringClass(pod: Pod): number {
  const r = pod.request;
  if (r.gpuCount === 0 || r.gpuMilli === 0) return -1;
  return r.gpuMilli < MILLI ? 0 : r.gpuCount;
}

/**
 * GpuClustering bands: same class only 75–100, mixed including this class 50–75, empty node 25–50, other classes
 * only 0–25; inside a band add floor(25·(8000 − gpu_left)/8000) (Go integer division). CPU-only pods score 0.
 * `nodeClasses` are the classes of the GPU pods on the node (CPU-only pods leave a node "empty").
 */
export function clusteringScoreOf(podClass: number, nodeClasses: ReadonlySet<number>, gpuLeftMilli: number): number {
  if (podClass < 0) return 0;
  const inBand = Math.trunc((25 * (MAX_SPEC_GPU_MILLI - gpuLeftMilli)) / MAX_SPEC_GPU_MILLI);
  if (nodeClasses.has(podClass)) return inBand + (nodeClasses.size === 1 ? 75 : 50);
  return inBand + (nodeClasses.size === 0 ? 25 : 0);
}

/** The GpuClustering plugin, with each node's class set cached by node version. */
export function gpuClusteringScore(): ScorePlugin {
  const cache: { version: number; classes: Set<number> }[] = [];
  return {
    name: 'GpuClusteringScore',
    unboundedScore: BEYOND_MAX_SPEC,
    score(pod, node, ctx) {
      let c = cache[node.id];
      if (!c || c.version !== node.version) {
        const classes = new Set<number>();
        for (const p of ctx.cluster.podsOnNode[node.id]) {
          const k = clusteringClass(p);
          if (k >= 0) classes.add(k);
        }
        c = cache[node.id] = { version: node.version, classes };
      }
      return clusteringScoreOf(clusteringClass(pod), c.classes, gpuLeft(node));
    },
  };
}

/**
 * GpuPacking (gpu_packing_score.go getPackingScore), on the free share per GPU:
 * a fully idle node: max(33 − free GPUs, free GPUs); else pick the fitting GPUs tightest first: when some are
 * fully free, max(50 − fully free GPUs used, 33); else max(100 − Σ floor(left·100/1000)/10, 50) (Go integer
 * division). CPU-only pods score 0; −1 when the pod does not fit (the filter removes such nodes).
 */
export function packingScoreOf(gpuLeft: readonly number[], podMilli: number, podCount: number): number {
  if (podMilli <= 0 || podCount <= 0) return 0;
  let fullyFree = 0;
  for (const r of gpuLeft) if (r === MILLI) fullyFree++;
  if (fullyFree === gpuLeft.length) return Math.max(33 - fullyFree, fullyFree);
  const order = gpuLeft.map((_, i) => i).sort((a, b) => gpuLeft[a] - gpuLeft[b] || a - b);
  let need = podCount;
  let freeUsed = 0;
  let ratioSum = 0;
  for (const i of order) {
    if (need === 0) break;
    if (gpuLeft[i] >= podMilli) {
      need--;
      if (gpuLeft[i] === MILLI) freeUsed++;
      ratioSum += Math.trunc((gpuLeft[i] * 100) / MILLI);
    }
  }
  if (need !== 0) return -1;
  if (freeUsed > 0) return Math.max(50 - freeUsed, 33);
  return Math.max(100 - Math.trunc(ratioSum / 10), 50);
}

export const gpuPackingScore: ScorePlugin = {
  name: 'GpuPackingScore',
  score(pod, node) {
    const left = node.gpus.map(leftOf);
    return Math.max(packingScoreOf(left, pod.request.gpuCount > 0 ? pod.request.gpuMilli : 0, pod.request.gpuMilli > 0 ? pod.request.gpuCount : 0), 0);
  },
};

/** BestFit raw: int(100·(1 − [0.5·(cpu_left − cpu)/128000 + 0.5·(gpu_left − gpu)/8000])). */
export function bestFitRawOf(cpuLeftMilli: number, gpuLeftMilli: number, podCpuMilli: number, podGpuMilli: number): number {
  let s = 0;
  s += ((cpuLeftMilli - podCpuMilli) / MAX_SPEC_CPU_MILLI) * 0.5;
  s += ((gpuLeftMilli - podGpuMilli) / MAX_SPEC_GPU_MILLI) * 0.5;
  return Math.trunc((1 - s) * 100);
}

/** The artifact's NormalizeScore: (s − min)·100/(max − min) in integers; all 0 when max = min. */
export function minMaxNormalize(scores: number[]): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores) {
    if (s > hi) hi = s;
    if (s < lo) lo = s;
  }
  const range = hi - lo;
  for (let i = 0; i < scores.length; i++) scores[i] = range === 0 ? 0 : Math.trunc(((scores[i] - lo) * 100) / range);
}

export const bestFitScore: ScorePlugin = {
  name: 'BestFitScore',
  score: (pod, node) => bestFitRawOf(cpuLeft(node), gpuLeft(node), pod.request.cpuMilli, podGpuOf(pod)),
  normalize: (scores) => minMaxNormalize(scores),
};
