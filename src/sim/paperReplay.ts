/**
 * One replay of the paper grid (src/plan/paperGrid.ts) on the CPU: sched/frag/replay.ts replayOpenb, as
 * `slicebench openb` runs it, turned into a PaperRow. The CLI's worker threads and the planner worker call it.
 */
import type { OpenbNode } from '../model/openbTrace.ts';
import { paperRowOf, type PaperReplay, type PaperRow } from '../plan/paperGrid.ts';
import type { TracePod } from '../scenario/types.ts';
import { replayOpenb, type ReplayOptions } from '../sched/frag/replay.ts';

/** A trace of the grid: the node list and one pod list. */
export interface PaperTrace {
  name: string;
  nodes: readonly OpenbNode[];
  pods: readonly TracePod[];
}

/** The random numbers of a grid's replays (sched/frag/replay.ts ReplayOptions.rng; 'go' replays the published runs). */
export type PaperRng = NonNullable<ReplayOptions['rng']>;

/** The `rng` values a paper grid accepts (CLI `--rng`, the planner worker's request, the panel's select). */
export const PAPER_RNGS: readonly PaperRng[] = ['slicebench', 'go'];

/**
 * Replays one paper-grid replay of `traces` (inflation default 1.3, the paper's) and returns its row.
 * `onCandidates` hears its candidate (pod, node) evaluations: every arrival against every node, as
 * sim/candidateCount.ts counts a plan replica's cycles (the throughput line's "candidate evaluations/s").
 * `rng: 'go'` is `slicebench openb --rng go`: Go's draws and the artifact's analysis (two decimals, neighbour fill).
 */
export function runPaperReplay(traces: readonly PaperTrace[], r: PaperReplay, inflation = 1.3, onCandidates?: (n: number) => void, rng: PaperRng = 'slicebench'): PaperRow {
  const t = traces[r.traceIndex];
  const res = replayOpenb({ nodes: t.nodes, pods: t.pods, policy: r.policy, seed: r.seed, inflation, rng });
  onCandidates?.(res.stats.arrivedPods * t.nodes.length);
  return paperRowOf(r, res);
}
