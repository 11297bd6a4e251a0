/**
 * HAMi v2.10.0 topology-aware GPU selection (pkg/device/nvidia/calculate_score.go and device.go): pair scores
 * summed from the link entries between two cards, and the choice among the fitting candidates (the worst-connected
 * card for one GPU, the best-connected combination for several).
 */
import type { Topology } from '../../scenario/types.ts';

/** Link entry weights (calculate_score.go). NVLINK_n weighs 100·n. */
export const LINK_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  PCIE_CROSS_CPU: 10,
  PCIE_SAME_CPU: 20,
  PCIE_HOST_BRIDGE: 30,
  PCIE_MULTI_SWITCH: 40,
  PCIE_SINGLE_SWITCH: 50,
  PCIE_SAME_BOARD: 60,
});

/** Weight of one link entry (`NVLINK_1`..`NVLINK_18` = 100·n; unknown = 0). */
export function linkWeight(entry: string): number {
  const w = LINK_WEIGHTS[entry];
  if (w !== undefined) return w;
  const m = /^NVLINK_(\d+)$/.exec(entry);
  if (m) {
    const n = Number(m[1]);
    if (n >= 1 && n <= 18) return 100 * n;
  }
  return 0;
}

/** Pair score of two cards: Σ weights of the entries A→B; 0 and asymmetric when A→B and B→A differ in entry count. */
export function linkPairScore(aToB: readonly string[], bToA: readonly string[]): { score: number; asymmetric: boolean } {
  if (aToB.length !== bToA.length) return { score: 0, asymmetric: true };
  let score = 0;
  for (const e of aToB) score += linkWeight(e);
  return { score, asymmetric: false };
}

/** Pair scores by card id: `scores[a][b]`; a missing pair counts 0. */
export type PairScores = Record<string, Record<string, number>>;

/** Pair scores of every ordered pair given the link entries `links[a][b]`. */
export function pairScoresFromLinks(links: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>): PairScores {
  const out: PairScores = {};
  for (const [a, row] of Object.entries(links)) {
    out[a] = {};
    for (const [b, entries] of Object.entries(row)) out[a][b] = linkPairScore(entries, links[b]?.[a] ?? []).score;
  }
  return out;
}

/** Pair score lookup, 0 when the pair is missing. */
export function pairScore(scores: PairScores | undefined, a: string, b: string): number {
  return scores?.[a]?.[b] ?? 0;
}

/**
 * The link entries HAMi's device plugin would report between two cards of one of our nodes. Our topology is
 * coarser than NVML's, so we map it (an assumption, documented here):
 * - `pcie`: cards 2k and 2k+1 behind one PCIe switch (`PCIE_SINGLE_SWITCH`), other cards on the same NUMA node
 *   meet at the host bridge (`PCIE_HOST_BRIDGE`), cards on different NUMA nodes cross the CPU link (`PCIE_CROSS_CPU`);
 * - `nvswitch`: the PCIe entry above plus the switch's NVLink entry. The device plugin asks NVML for both per pair
 *   (pkg/device/nvidia/calculate_score.go build: GetP2PLink, then GetNVLink, which for NVSwitch links gives the
 *   smaller active link count of the two cards, links.go), so same-switch and same-socket pairs still win. The
 *   count is the same for every pair of a node (one model), so it shifts every combination of a size equally and
 *   no choice depends on it: we write `NVLINK_1`;
 * - `nvlink-pairs`: cards 2k and 2k+1 NVLink (`NVLINK_1`), every other pair PCIe as above.
 */
export function linkEntries(topology: Topology, a: { index: number; numa: number }, b: { index: number; numa: number }): string[] {
  const samePair = a.index >> 1 === b.index >> 1;
  if (topology === 'nvlink-pairs' && samePair) return ['NVLINK_1'];
  const pcie = samePair ? 'PCIE_SINGLE_SWITCH' : a.numa === b.numa ? 'PCIE_HOST_BRIDGE' : 'PCIE_CROSS_CPU';
  return topology === 'nvswitch' ? [pcie, 'NVLINK_1'] : [pcie];
}

/** Pair scores of a node's cards under our topology mapping (ids as given). */
export function topologyPairScores(topology: Topology, gpus: readonly { id: string; index: number; numa: number }[]): PairScores {
  const out: PairScores = {};
  for (const a of gpus) {
    out[a.id] = {};
    for (const b of gpus) if (a !== b) out[a.id][b.id] = linkPairScore(linkEntries(topology, a, b), linkEntries(topology, b, a)).score;
  }
  return out;
}

/** One card for a 1-GPU request: the lowest sum of pair scores to the other candidates (first on ties). */
export function worstSingle(candidates: readonly string[], scores: PairScores | undefined): number {
  let best = -1;
  let bestTotal = Infinity;
  for (let i = 0; i < candidates.length; i++) {
    let total = 0;
    for (let j = 0; j < candidates.length; j++) if (j !== i) total += pairScore(scores, candidates[i], candidates[j]);
    if (total < bestTotal) {
      bestTotal = total;
      best = i;
    }
  }
  return best;
}

/** All k-subsets of 0..n−1 as index lists, in lexicographic order (the candidates' scan order). */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  if (k <= 0 || k > n) return out;
  const cur: number[] = [];
  const rec = (start: number): void => {
    if (cur.length === k) {
      out.push(cur.slice());
      return;
    }
    for (let i = start; i <= n - (k - cur.length); i++) {
      cur.push(i);
      rec(i + 1);
      cur.pop();
    }
  };
  rec(0);
  return out;
}

/** Sum of pair scores over the unordered pairs of a combination. */
export function combinationScore(ids: readonly string[], scores: PairScores | undefined): number {
  let s = 0;
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) s += pairScore(scores, ids[i], ids[j]);
  return s;
}

/** Index of the combination with the highest summed pair score; the first strictly better one wins (negative allowed). */
export function bestCombination(combos: readonly (readonly string[])[], scores: PairScores | undefined): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let i = 0; i < combos.length; i++) {
    const s = combinationScore(combos[i], scores);
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  }
  return best;
}
