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
 * One openb replay of trace `t` under `policy` and `seed` (inflation default 1.3, the paper's), with its whole
 * curve (allocation, fragmented GPUs, fragmentation rate per arrived %): what runPaperReplay turns into a row and
 * what the app's trace import shows for an exact replay (worker/planRun.ts runOpenbReplay).
 * `onCandidates` hears its candidate (pod, node) evaluations: every arrival against every node, as
 * sim/candidateCount.ts counts a plan replica's cycles (the throughput line's "candidate evaluations/s").
 * `rng: 'go'` is `slicebench openb --rng go`: Go's draws and the artifact's analysis (two decimals, neighbour fill).
 */
export function replayPaperTrace(t: PaperTrace, policy: string, seed: number, inflation = 1.3, onCandidates?: (n: number) => void, rng: PaperRng = 'slicebench'): ReturnType<typeof replayOpenb> {
  const res = replayOpenb({ nodes: t.nodes, pods: t.pods, policy, seed, inflation, rng });
  onCandidates?.(paperCandidates(t, res));
  return res;
}

/** A replay's candidate (pod, node) evaluations: every arrival against every node of its trace. */
export function paperCandidates(t: PaperTrace, res: { stats: { arrivedPods: number } }): number {
  return res.stats.arrivedPods * t.nodes.length;
}

/** Replays one paper-grid replay of `traces` (replayPaperTrace) and returns its row. */
export function runPaperReplay(traces: readonly PaperTrace[], r: PaperReplay, inflation = 1.3, onCandidates?: (n: number) => void, rng: PaperRng = 'slicebench'): PaperRow {
  return paperRowOf(r, replayPaperTrace(traces[r.traceIndex], r.policy, r.seed, inflation, onCandidates, rng));
}
