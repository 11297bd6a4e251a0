/**
 * One replay of the paper grid (src/plan/paperGrid.ts) on the CPU: sched/frag/replay.ts replayOpenb, as
 * `slicebench openb` runs it, turned into a PaperRow. The CLI's worker threads and the planner worker call it.
 */
import type { OpenbNode } from '../model/openbTrace.ts';
import { paperRowOf, type PaperReplay, type PaperRow } from '../plan/paperGrid.ts';
import type { TracePod } from '../scenario/types.ts';
import { replayOpenb } from '../sched/frag/replay.ts';

/** A trace of the grid: the node list and one pod list. */
export interface PaperTrace {
  name: string;
  nodes: readonly OpenbNode[];
  pods: readonly TracePod[];
}

/**
 * Replays one paper-grid replay of `traces` (inflation default 1.3, the paper's) and returns its row.
 * `onCandidates` hears its candidate (pod, node) evaluations: every arrival against every node, as
 * sim/candidateCount.ts counts a plan replica's cycles (the throughput line's "candidate evaluations/s").
 */
export function runPaperReplay(traces: readonly PaperTrace[], r: PaperReplay, inflation = 1.3, onCandidates?: (n: number) => void): PaperRow {
  const t = traces[r.traceIndex];
  const res = replayOpenb({ nodes: t.nodes, pods: t.pods, policy: r.policy, seed: r.seed, inflation });
  onCandidates?.(res.stats.arrivedPods * t.nodes.length);
  return paperRowOf(r, res);
}
