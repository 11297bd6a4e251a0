/**
 * TypeScript twin of shaders/selectMaxKey.wgsl: one Volcano task's reduction over every node (feasible count,
 * rejections per reason bit, the highest 64-bit key and the nodes holding it, ascending). `reduceVolcanoWindow`
 * is the host's reduction over Volcano's feasible-node search above 100 nodes (sched/volcano/feasibleNodes.ts),
 * from the same result words, for either engine (the kernel reduces over every node).
 */
import { INFEASIBLE, type EvalWindow } from '../kernels/types.ts';
import { VOLCANO_REASON_BITS, type VolcanoDecision } from '../kernels/volcano.ts';
import { scanFeasibleNodes } from '../../sched/volcano/feasibleNodes.ts';

/** Counts an infeasible node's reason bits; false for a feasible node. */
function rejects(results: Uint32Array, at: number, node: number, rejected: number[]): boolean {
  const h = results[at + 2 * node];
  if (h < INFEASIBLE) return false;
  for (let b = 0; b < VOLCANO_REASON_BITS; b++) if ((h >>> b) & 1) rejected[b]++;
  return true;
}

/** The highest key over feasible nodes given in ascending order, and the nodes tied on it. */
function best(results: Uint32Array, at: number, feasible: readonly number[], rejected: number[]): VolcanoDecision {
  let hi = 0;
  let lo = 0;
  let tied: number[] = [];
  for (const i of feasible) {
    const h = results[at + 2 * i];
    const l = results[at + 2 * i + 1];
    if (tied.length === 0 || h > hi || (h === hi && l > lo)) {
      hi = h;
      lo = l;
      tied = [i];
    } else if (h === hi && l === lo) tied.push(i);
  }
  return { feasible: feasible.length, rejected, maxKey: [hi, lo], tied };
}

/** Reduces one task's results (twin of selectMaxKey.wgsl): `results` holds [hi, lo] per node from `at`. */
export function reduceVolcano(results: Uint32Array, at: number, nodeCount: number): VolcanoDecision {
  const rejected = new Array<number>(VOLCANO_REASON_BITS).fill(0);
  const feasible: number[] = [];
  for (let i = 0; i < nodeCount; i++) if (!rejects(results, at, i, rejected)) feasible.push(i);
  return best(results, at, feasible, rejected);
}

/**
 * The decision Volcano's PredicateNodes gives over its feasible-node search (sched/volcano/feasibleNodes.ts) in
 * `window` (the scheduler's start, numNodesToFind): the nodes examined in rotated order until enough are found,
 * rejections counted on the examined nodes only, the best among the nodes kept, and `processed` (the caller
 * advances the search's start by it, as the plugin path does).
 */
export function reduceVolcanoWindow(results: Uint32Array, at: number, nodeCount: number, window: EvalWindow): VolcanoDecision {
  const rejected = new Array<number>(VOLCANO_REASON_BITS).fill(0);
  const { kept, processed } = scanFeasibleNodes(nodeCount, window.start % nodeCount, window.want, (i) => !rejects(results, at, i, rejected));
  return { ...best(results, at, kept, rejected), processed };
}
