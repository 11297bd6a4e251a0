/**
 * The FGD artifact's Bellman (expected future) fragment of a node: hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641
 * pkg/utils/frag.go NodeGpuFragBellman, with NodeResource.Sub and Flatten from pkg/type/resource.go. The artifact
 * logs it beside the plain fragment in its cluster report ("Frag amount … (bellman)"); no policy scores with it.
 *
 * V(s) = 0 when the node has no GPU share left, or when share left × the path's probability < 1. Otherwise, when the
 * typical pods that do not find the node satisfied (every category but Q3) weigh less than 0.999 in total,
 * V(s) = Σ_m p_m · (V(s − m) if m can be subtracted, else the share left), each V(s − m) on the path's probability
 * × p_m; else V(s) = the share left. Subtracting m (Sub) needs the CPU and at least k_m GPUs in the node, then takes
 * the k_m tightest GPUs with at least d_m free; it does not look at the GPU model. Values are memoised by
 * (free CPU, the eight largest free shares in descending order, GPU model), whatever the path's probability, and
 * only once computed (the two zero cases are not stored), in the artifact's order of evaluation.
 */
import { fragCategory } from './fragment.ts';
import type { TargetClass, TargetWorkload } from './target.ts';

/** pkg/type/resource.go MaxNumGpuPerNode: the memo key holds this many free shares. */
const MAX_GPUS_IN_KEY = 8;
/** NodeGpuFragBellman's early cut-off on the non-satisfied share of the typical pods. */
const FULL_FRAG_RATIO = 0.999;

/** A node as the Bellman recursion sees it. */
export interface BellmanNode {
  cpuLeftMilli: number;
  /** Free milli of each GPU. */
  gpuLeftMilli: readonly number[];
  model: string;
}

/** The memo of one Bellman evaluation (the artifact's `dp`); reuse it across nodes of one report. */
export type BellmanMemo = Map<string, number>;

function memoKey(n: BellmanNode): string {
  const sorted = [...n.gpuLeftMilli].sort((a, b) => b - a);
  const shares: number[] = [];
  for (let i = 0; i < MAX_GPUS_IN_KEY; i++) shares.push(i < sorted.length ? sorted[i] : 0);
  return `${n.cpuLeftMilli}|${shares.join(',')}|${n.model}`;
}

/** NodeResource.Sub: the node after placing class m on its tightest fitting GPUs, or null when it does not fit. */
function subtract(n: BellmanNode, m: TargetClass): BellmanNode | null {
  if (n.cpuLeftMilli < m.cpuMilli || n.gpuLeftMilli.length < m.gpuCount) return null;
  const left = [...n.gpuLeftMilli];
  let want = m.gpuCount;
  if (want > 0) {
    // Ascending by free share (ties by index: the multiset after the step is the same either way).
    const order = left.map((_, i) => i).sort((a, b) => left[a] - left[b] || a - b);
    for (const i of order) {
      if (m.gpuMilli <= left[i]) {
        left[i] -= m.gpuMilli;
        if (--want <= 0) break;
      }
    }
    if (want > 0) return null;
  }
  return { cpuLeftMilli: n.cpuLeftMilli - m.cpuMilli, gpuLeftMilli: left, model: n.model };
}

/** NodeGpuFragRatio + FragRatioSumExceptQ3: the weight of the typical pods the node does not satisfy. */
function unsatisfiedWeight(n: BellmanNode, classes: readonly TargetClass[]): number {
  // Buckets in FragRatioDataMap order (Q1, Q2, Q3, Q4, XL, XR, NA), summed without Q3, as the artifact adds them.
  const buckets = [0, 0, 0, 0, 0, 0, 0];
  const index = { q1_lack_both: 0, q2_lack_gpu: 1, q3_satisfied: 2, q4_lack_cpu: 3, xl_satisfied: 4, xr_lack_cpu: 5, no_access: 6 } as const;
  const view = { cpuLeftMilli: n.cpuLeftMilli, gpuLeftMilli: n.gpuLeftMilli, model: n.model };
  for (const m of classes) {
    if (m.weight < 0 || m.weight > 1) continue; // AddRatio refuses such a frequency
    buckets[index[fragCategory(view, m)]] += m.weight;
  }
  let out = 0;
  for (let i = 0; i < buckets.length; i++) if (i !== 2) out += buckets[i];
  return out;
}

/** V(s) of NodeGpuFragBellman, milli-GPU, for a path probability `cumProb` (1 at the top). */
export function nodeFragBellmanMilli(node: BellmanNode, target: TargetWorkload, memo: BellmanMemo = new Map(), cumProb = 1): number {
  const key = memoKey(node);
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  let total = 0;
  for (const r of node.gpuLeftMilli) total += r;
  if (total === 0 || total * cumProb < 1) return 0;
  let frag: number;
  if (unsatisfiedWeight(node, target.classes) < FULL_FRAG_RATIO) {
    let pvSum = 0;
    for (const m of target.classes) {
      const p = m.weight;
      const next = subtract(node, m);
      if (next === null) {
        pvSum += total * p;
        continue;
      }
      pvSum += nodeFragBellmanMilli(next, target, memo, cumProb * p) * p;
    }
    frag = 0 + pvSum * 1.0; // gamma = 1
  } else frag = total;
  memo.set(key, frag);
  return frag;
}
