/**
 * Fragmentation Gradient Descent score (hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641,
 * pkg/simulator/plugin/fgd_score.go; domain.md §6.4): score = int(100·sigmoid((F_n − F_n′)/1000)), truncated,
 * where F_n is the node's fragment for the target workload and n′ the node after placing the pod (its CPU
 * included). For a shared pod every fitting GPU is tried; the GPU with the highest truncated score wins, lowest
 * index on ties, and that GPU is also the one the pod gets.
 *
 * Speed: a node's F_n is cached by node version; the (score, GPU) of a (node, pod shape) pair is cached by node
 * version too, so after a placement only the changed node is re-evaluated. GPUs with equal free share give
 * identical n′, so each distinct free share is tried once (its lowest index).
 */
import type { NodeState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import { GPU_MILLI } from '../../model/units.ts';
import type { ScorePlugin } from '../framework.ts';
import { fragEvaluator, type FragEvaluator } from '../frag/fragment.ts';
import type { TargetWorkload } from '../frag/target.ts';
import { gpuLeftMilli, gpuShareAllocator, isSharedPod, type SharedGpuChoice } from './fgdGpuShare.ts';
import type { DeviceAllocator } from '../framework.ts';
import { exp } from '../../core/detMath.ts';

// Local copies: imported bindings are getters under some loaders (tsx), too slow in these hot loops.
const MILLI: number = GPU_MILLI;

/** Logistic function 1/(1 + e^−x). */
export function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}

/** int(100·sigmoid(Δ/1000)) for a fragment decrease Δ = F_n − F_n′ (milli-GPU). */
export function fgdScoreOfDelta(deltaMilli: number): number {
  return Math.trunc(sigmoid(deltaMilli / 1000) * 100);
}

/** The FGD decision for one pod shape on one node state. */
export interface FgdChoice {
  score: number;
  /** GPU a shared pod takes (−1 for other pods). */
  gpu: number;
}

/**
 * FGD on an explicit state: free CPU, free milli per GPU and model; the pod as (cpu, milli per GPU, count).
 * Returns the score and, for a shared pod, the chosen GPU. Pods that do not fit are not passed in.
 */
export function fgdChoose(ev: FragEvaluator, model: string, cpuLeft: number, gpuLeft: number[], podCpu: number, podMilli: number, podCount: number): FgdChoice {
  const before = ev.fragment(model, cpuLeft, gpuLeft);
  const after = gpuLeft.slice();
  if (podCount === 1 && podMilli > 0 && podMilli < MILLI) {
    let score = -1;
    let gpu = -1;
    for (let i = 0; i < gpuLeft.length; i++) {
      const r = gpuLeft[i];
      if (r < podMilli) continue;
      let seen = false;
      for (let j = 0; j < i; j++) if (gpuLeft[j] === r) seen = true;
      if (seen) continue; // same free share as a lower index: same n′, and the lower index wins ties
      after[i] = r - podMilli;
      const s = fgdScoreOfDelta(before - ev.fragment(model, cpuLeft - podCpu, after));
      after[i] = r;
      if (s > score) {
        score = s;
        gpu = i;
      }
    }
    return { score: Math.max(score, 0), gpu };
  }
  if (podMilli > 0 && podCount > 0) {
    // Whole GPUs: the lowest-indexed fully free ones; fractional multi-GPU: the tightest fitting ones.
    const order = gpuLeft.map((_, i) => i).filter((i) => gpuLeft[i] >= podMilli);
    if (podMilli < MILLI) order.sort((a, b) => gpuLeft[a] - gpuLeft[b] || a - b);
    else order.splice(0, order.length, ...order.filter((i) => gpuLeft[i] === MILLI));
    for (const i of order.slice(0, podCount)) after[i] -= podMilli;
  }
  return { score: fgdScoreOfDelta(before - ev.fragment(model, cpuLeft - podCpu, after)), gpu: -1 };
}

/** Bound on the state memo (cleared when full; only speed depends on it). */
const MAX_STATES = 200_000;

interface CacheEntry {
  version: number;
  choice: FgdChoice;
}

/** The FGD score plugin and its GPU choice, sharing one cache. */
export class FgdPolicy {
  readonly evaluator: FragEvaluator;
  private readonly cache: Map<string, CacheEntry>[] = [];
  private lastPod: Pod | null = null;
  private lastKey = '';
  private readonly scratch: number[] = [];
  private readonly byState = new Map<string, FgdChoice>();

  constructor(readonly target: TargetWorkload) {
    this.evaluator = fragEvaluator(target);
  }

  private key(pod: Pod): string {
    if (pod !== this.lastPod) {
      const r = pod.request;
      this.lastPod = pod;
      this.lastKey = `${r.cpuMilli}/${r.gpuCount}/${r.gpuMilli}`;
    }
    return this.lastKey;
  }

  /** The FGD score and GPU of a pod on a node (cached by node version and pod shape). */
  choose(pod: Pod, node: NodeState): FgdChoice {
    const byShape = (this.cache[node.id] ??= new Map());
    const key = this.key(pod);
    const hit = byShape.get(key);
    if (hit && hit.version === node.version) return hit.choice;
    const left = this.scratch;
    left.length = node.gpus.length;
    for (let i = 0; i < node.gpus.length; i++) left[i] = gpuLeftMilli(node.gpus[i]);
    const r = pod.request;
    // Nodes in the same state (same model, free CPU and free share per GPU, in index order) get the same choice:
    // at the start hundreds of identical nodes share one evaluation.
    let stateKey = `${key}|${node.gpuModel}|${node.cpuMilli - node.usedCpuMilli}`;
    for (let i = 0; i < left.length; i++) stateKey += `,${left[i]}`;
    const memo = this.byState.get(stateKey);
    const choice = memo ?? fgdChoose(this.evaluator, node.gpuModel, node.cpuMilli - node.usedCpuMilli, left, r.cpuMilli, r.gpuCount > 0 ? r.gpuMilli : 0, r.gpuMilli > 0 ? r.gpuCount : 0);
    if (!memo) {
      if (this.byState.size >= MAX_STATES) this.byState.clear();
      this.byState.set(stateKey, choice);
    }
    if (hit) {
      hit.version = node.version;
      hit.choice = choice;
    } else byShape.set(key, { version: node.version, choice });
    return choice;
  }

  /** The FGD score plugin. A pod that requests nothing scores the maximum everywhere, as in the artifact. */
  readonly score: ScorePlugin = {
    name: 'FGDScore',
    score: (pod, node) => {
      const r = pod.request;
      if (r.cpuMilli === 0 && r.memMiB === 0 && r.gpuCount === 0) return 100;
      return this.choose(pod, node).score;
    },
  };

  /** The GPU a shared pod takes: the one with the best FGD score. */
  readonly sharedGpu: SharedGpuChoice = (pod, node) => {
    if (!isSharedPod(pod)) throw new Error('fgd sharedGpu: not a shared pod');
    return this.choose(pod, node).gpu;
  };

  /** The allocator of the `fgd` profile. */
  readonly allocator: DeviceAllocator = gpuShareAllocator('fgd-gpu-share', this.sharedGpu);
}
