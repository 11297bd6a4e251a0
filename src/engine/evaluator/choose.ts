/**
 * Replays FrameworkScheduler.selectHost's tie-break on a Decision, drawing from the seeded RNG exactly as the
 * runner does: for each running-maximum plateau of c tied nodes (scan order) the reservoir draws rng.int(2),
 * …, rng.int(c), and the last draw that returned 0 in the final plateau picks the winner (kube v1.34 selectHost).
 */
import type { Rng } from '../../core/rng.ts';
import type { TieBreak } from '../../sched/framework.ts';
import type { Decision } from '../kernels/types.ts';

/** The chosen node id of a decision, or -1 when no node is feasible. */
export function chooseNode(d: Decision, tieBreak: TieBreak, rng: Rng): number {
  if (d.feasible === 0) return -1;
  // The runner returns the only feasible node without scoring or drawing.
  if (d.feasible === 1) return d.tied[0];
  if (tieBreak.kind === 'first') return d.tied[0];
  if (tieBreak.kind === 'rank') {
    let best = d.tied[0];
    for (const id of d.tied) if (tieBreak.rank[id] < tieBreak.rank[best]) best = id;
    return best;
  }
  let pick = 0;
  const last = d.plateaus.length - 1;
  for (let p = 0; p <= last; p++) {
    for (let c = 2; c <= d.plateaus[p]; c++) {
      if (rng.int(c) === 0 && p === last) pick = c - 1;
    }
  }
  return d.tied[pick];
}

/**
 * The `random` baseline's choice (fgdBaselines.ts randomScore): its normalize step draws rng.int(k) over the k
 * feasible nodes in id order when k > 1 (the profile scores every node, so the decision's tied set, all scoring 0,
 * is the feasible set); one feasible node wins without a draw, none gives −1.
 */
export function chooseUniform(d: Decision, rng: Rng): number {
  if (d.feasible === 0) return -1;
  if (d.feasible === 1) return d.tied[0];
  const ids = [...d.tied].sort((a, b) => a - b);
  return ids[rng.int(ids.length)];
}
