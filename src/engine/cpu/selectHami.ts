/**
 * TypeScript twin of shaders/selectHami.wgsl: one HAMi pod's reduction in its window (kube-feasible nodes cut at
 * numFeasibleNodesToFind, HAMi's own reasons, the best key and its tie set in scan order).
 */
import { INFEASIBLE, REASON_BITS, type EvalWindow } from '../kernels/types.ts';
import { HAMI_REASON_BITS, HAMI_UNFIT, type HamiDecision } from '../kernels/hami.ts';

/**
 * Reduces one pod's HAMi results in its window (twin of shaders/selectHami.wgsl): nodes from `window.start` in
 * rotated order until `window.want` kube-feasible ones are found (HamiScheduler.attempt); `feasible` counts
 * those; `maxTotal` is the highest key among the fitting ones (−1: none) and `tied` the nodes with it, in scan
 * order (the order of HAMi's fitting list, over which pickNode draws). No plateaus: pickNode draws once.
 */
export function reduceHami(nodeCount: number, window: EvalWindow, score: (node: number) => number): HamiDecision {
  const rejected = new Array<number>(REASON_BITS).fill(0);
  const hamiRejected = new Array<number>(HAMI_REASON_BITS).fill(0);
  let tied: number[] = [];
  let feasible = 0;
  let processed = 0;
  let fit = 0;
  let best = -1;
  for (let k = 0; k < nodeCount && feasible < window.want; k++) {
    const i = (window.start + k) % nodeCount;
    processed++;
    const r = score(i);
    if (r >= INFEASIBLE) {
      for (let b = 0; b < REASON_BITS; b++) if ((r >>> b) & 1) rejected[b]++;
      continue;
    }
    feasible++;
    if (r >= HAMI_UNFIT) {
      for (let b = 0; b < HAMI_REASON_BITS; b++) if ((r >>> b) & 1) hamiRejected[b]++;
      continue;
    }
    fit++;
    if (r > best) {
      best = r;
      tied = [i];
    } else if (r === best) {
      tied.push(i);
    }
  }
  return { processed, feasible, rejected, maxTotal: best, plateaus: [], tied, hamiRejected, fit };
}
