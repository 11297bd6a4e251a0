/**
 * TypeScript twin of the k8s kernel's PodTopologySpread pass (design: docs/engine.md; host inputs:
 * kernels/spread.ts): after filterScoreK8s, over one owned pod's window (kube's rotating start, stop after `want`
 * feasible nodes, the same scan as selectBest), it adds weight × the normalized spread score to each feasible
 * node's total. Rules as sched/plugins/podTopologySpread.ts (kube v1.34 podtopologyspread/scoring.go): PreScore
 * over the window's feasible nodes (hostname weight ln(F + 2), zone weight ln(Z + 2), Z the distinct zone ids
 * among them, an unlabelled node counting as ""), score round(c·wh + 2 [+ zc·wz + 4 on a labelled node]), normalize
 * 100·(max + min − s)/max in integer division, 100 everywhere when max = 0.
 */
import { INFEASIBLE, type EvalWindow } from '../kernels/types.ts';
import { ZONE_ID_MASK, ZONE_LABELLED, type SpreadInputs } from '../kernels/spread.ts';
import { HOSTNAME_MAX_SKEW, ZONE_MAX_SKEW } from '../../sched/plugins/podTopologySpread.ts';
import { MAX_NODE_SCORE } from '../../sched/status.ts';

/**
 * Adds `weight` × the normalized spread score to the feasible results of `row` (packed filterScoreK8s results by
 * node id) inside the window, in place; infeasible results and nodes past the window stay as they are.
 */
export function addSpreadScores(row: Float64Array | Uint32Array, window: EvalWindow, inputs: SpreadInputs, logTable: Float64Array, weight: number): void {
  const n = row.length;
  const feasible: number[] = [];
  const present = new Uint8Array(inputs.zoneTotals.length);
  let zoneSetSize = 0;
  for (let k = 0; k < n && feasible.length < window.want; k++) {
    const i = (window.start + k) % n;
    if (row[i] >= INFEASIBLE) continue;
    feasible.push(i);
    const z = inputs.zones[i] & ZONE_ID_MASK;
    if (present[z] === 0) {
      present[z] = 1;
      zoneSetSize++;
    }
  }
  if (feasible.length === 0) return;
  const hostWeight = logTable[feasible.length];
  const zoneWeight = logTable[zoneSetSize];
  const raw = feasible.map((i) => {
    // float64 in the plugin's order: (count·wh + (maxSkew − 1)) then + (zone count·wz + (maxSkew − 1))
    let s = inputs.counts[i] * hostWeight + (HOSTNAME_MAX_SKEW - 1);
    const z = inputs.zones[i];
    if ((z & ZONE_LABELLED) !== 0) s += inputs.zoneTotals[z & ZONE_ID_MASK] * zoneWeight + (ZONE_MAX_SKEW - 1);
    // Go's math.Round; scores are positive, so Math.round (half up) agrees
    return Math.round(s);
  });
  let lo = Infinity;
  let hi = 0;
  for (const s of raw) {
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  feasible.forEach((i, j) => {
    const norm = hi === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (hi + lo - raw[j])) / hi);
    row[i] += weight * norm;
  });
}
