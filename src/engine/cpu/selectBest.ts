/**
 * TypeScript twin of shaders/selectBest.wgsl: one pod's reduction in its window (kube's numFeasibleNodesToFind
 * cut from the rotating start, rejection counts, running-maximum plateaus and the tied set, optionally the k best).
 */
import { INFEASIBLE, MAX_TOP_K, REASON_BITS, type Decision, type EvalWindow, type RankedNode } from '../kernels/types.ts';

/**
 * Reduces one pod's candidates in its window (twin of selectBest.wgsl); `score(i)` gives node i's packed result.
 * With `topK` > 0 the decision lists the best feasible nodes (total descending, node id ascending on ties).
 */
export function reduceWindow(nodeCount: number, window: EvalWindow, score: (node: number) => number, topK = 0): Decision {
  const rejected = new Array<number>(REASON_BITS).fill(0);
  const plateaus: number[] = [];
  let tied: number[] = [];
  let feasible = 0;
  let processed = 0;
  let cur = -1;
  let count = 0;
  const top: RankedNode[] | null = topK > 0 ? [] : null;
  for (let k = 0; k < nodeCount && feasible < window.want; k++) {
    const i = (window.start + k) % nodeCount;
    processed++;
    const r = score(i);
    if (r >= INFEASIBLE) {
      for (let b = 0; b < REASON_BITS; b++) if ((r >>> b) & 1) rejected[b]++;
      continue;
    }
    feasible++;
    if (top) insertRanked(top, topK, i, r);
    if (r > cur) {
      if (count > 0) plateaus.push(count);
      cur = r;
      count = 1;
      tied = [i];
    } else if (r === cur) {
      count++;
      tied.push(i);
    }
  }
  if (count > 0) plateaus.push(count);
  const d: Decision = { processed, feasible, rejected, maxTotal: cur, plateaus, tied };
  if (top) d.top = top;
  return d;
}

/** Inserts (node, total) into a list kept sorted by total desc, node asc, at most `k` long. */
export function insertRanked(list: RankedNode[], k: number, node: number, total: number): void {
  const before = (a: RankedNode): boolean => total > a.total || (total === a.total && node < a.node);
  if (list.length === k && !before(list[k - 1])) return;
  let j = list.length;
  while (j > 0 && before(list[j - 1])) j--;
  list.splice(j, 0, { node, total });
  if (list.length > k) list.pop();
}

/**
 * A normalize step runs over the feasible set of every node (the FGD profiles score all nodes: kube's window is
 * the whole cluster); a narrower window would need the window's feasible set first. Both engines refuse it.
 */
export function checkWholeWindow(window: EvalWindow, nodeCount: number): void {
  if (window.want < nodeCount) throw new Error(`a normalized score needs every node in the window (want ${window.want} < ${nodeCount} nodes)`);
}

/** Throws for a top-k the reduction cannot return (0..MAX_TOP_K). */
export function checkTopK(topK: number): void {
  if (!Number.isInteger(topK) || topK < 0 || topK > MAX_TOP_K) throw new Error(`top-k must be an integer in 0..${MAX_TOP_K} (got ${topK})`);
}
