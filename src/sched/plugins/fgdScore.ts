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
const leftOf: typeof gpuLeftMilli = gpuLeftMilli;

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
 * Returns the score and, for a shared pod, the chosen GPU. Pods that do not fit are not passed in. `after` is
 * scratch for the state after placing (the hot path passes one to allocate nothing).
 */
export function fgdChoose(ev: FragEvaluator, model: string, cpuLeft: number, gpuLeft: number[], podCpu: number, podMilli: number, podCount: number, after: number[] = []): FgdChoice {
  const before = ev.fragment(model, cpuLeft, gpuLeft);
  const g = gpuLeft.length;
  if (after.length !== g) after.length = g;
  for (let i = 0; i < g; i++) after[i] = gpuLeft[i];
  if (podCount === 1 && podMilli > 0 && podMilli < MILLI) {
    let score = -1;
    let gpu = -1;
    for (let i = 0; i < g; i++) {
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
    if (podMilli >= MILLI) {
      // Whole GPUs: the lowest-indexed fully free ones.
      let taken = 0;
      for (let i = 0; i < g && taken < podCount; i++) {
        if (gpuLeft[i] === MILLI && gpuLeft[i] >= podMilli) {
          after[i] -= podMilli;
          taken++;
        }
      }
    } else {
      // Fractional multi-GPU: the tightest fitting ones (least free first, lowest index on ties); a taken GPU
      // is one whose `after` moved.
      for (let k = 0; k < podCount; k++) {
        let pick = -1;
        for (let i = 0; i < g; i++) {
          const r = gpuLeft[i];
          if (r < podMilli || after[i] !== r) continue;
          if (pick < 0 || r < gpuLeft[pick]) pick = i;
        }
        if (pick < 0) break;
        after[pick] -= podMilli;
      }
    }
  }
  return { score: fgdScoreOfDelta(before - ev.fragment(model, cpuLeft - podCpu, after)), gpu: -1 };
}

/** Bound on the state memo (cleared when full; only speed depends on it). */
const MAX_STATES = 200_000;

interface CacheEntry {
  version: number;
  choice: FgdChoice;
}

/** A memoised state: the pod shape's id, the node's model, free CPU and free share per GPU, and the answer. */
interface StateMemo {
  shape: number;
  model: string;
  cpuLeft: number;
  left: number[];
  choice: FgdChoice;
}

/** The FGD score plugin and its GPU choice, sharing one cache. */
export class FgdPolicy {
  readonly evaluator: FragEvaluator;
  /** Per node id, per shape id: the choice at a node version. */
  private readonly cache: Map<number, CacheEntry>[] = [];
  private readonly shapeIds = new Map<string, number>();
  private lastPod: Pod | null = null;
  private lastShape = -1;
  private readonly scratch: number[] = [];
  private readonly after: number[] = [];
  /** States by a 32-bit hash of (shape, model, free CPU, free share per GPU); entries compared in full. */
  private readonly byState = new Map<number, StateMemo[]>();
  private stateCount = 0;

  constructor(readonly target: TargetWorkload) {
    this.evaluator = fragEvaluator(target);
  }

  /** A small integer per FGD pod shape (cpu, GPU count, milli per GPU), computed once per pod object. */
  private shape(pod: Pod): number {
    if (pod !== this.lastPod) {
      const r = pod.request;
      const key = `${r.cpuMilli}/${r.gpuCount}/${r.gpuMilli}`;
      let id = this.shapeIds.get(key);
      if (id === undefined) this.shapeIds.set(key, (id = this.shapeIds.size));
      this.lastPod = pod;
      this.lastShape = id;
    }
    return this.lastShape;
  }

  /** The FGD score and GPU of a pod on a node (cached by node version and pod shape). */
  choose(pod: Pod, node: NodeState): FgdChoice {
    const byShape = (this.cache[node.id] ??= new Map());
    const shape = this.shape(pod);
    const hit = byShape.get(shape);
    if (hit && hit.version === node.version) return hit.choice;
    const left = this.scratch;
    const g = node.gpus.length;
    if (left.length !== g) left.length = g;
    for (let i = 0; i < g; i++) left[i] = leftOf(node.gpus[i]);
    const r = pod.request;
    const cpuLeft = node.cpuMilli - node.usedCpuMilli;
    const model = node.gpuModel;
    // Nodes in the same state (same model, free CPU and free share per GPU, in index order) get the same choice:
    // at the start hundreds of identical nodes share one evaluation.
    let h = Math.imul(shape ^ 0x9e3779b9, 0x01000193) ^ cpuLeft;
    for (let i = 0; i < model.length; i++) h = Math.imul(h ^ model.charCodeAt(i), 0x01000193);
    for (let i = 0; i < g; i++) h = Math.imul(h ^ left[i], 0x01000193);
    let bucket = this.byState.get(h);
    let choice: FgdChoice | null = null;
    if (bucket) {
      for (const m of bucket) {
        if (m.shape !== shape || m.cpuLeft !== cpuLeft || m.model !== model || m.left.length !== g) continue;
        let same = true;
        for (let i = 0; i < g && same; i++) same = m.left[i] === left[i];
        if (same) {
          choice = m.choice;
          break;
        }
      }
    }
    if (choice === null) {
      choice = fgdChoose(this.evaluator, model, cpuLeft, left, r.cpuMilli, r.gpuCount > 0 ? r.gpuMilli : 0, r.gpuMilli > 0 ? r.gpuCount : 0, this.after);
      if (this.stateCount >= MAX_STATES) {
        this.byState.clear();
        this.stateCount = 0;
        bucket = undefined;
      }
      const memo: StateMemo = { shape, model, cpuLeft, left: left.slice(), choice };
      if (bucket) bucket.push(memo);
      else this.byState.set(h, [memo]);
      this.stateCount++;
    }
    if (hit) {
      hit.version = node.version;
      hit.choice = choice;
    } else byShape.set(shape, { version: node.version, choice });
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
