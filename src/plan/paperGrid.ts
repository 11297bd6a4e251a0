/**
 * The FGD paper's grid (issue 14 item 2; Weng et al., ATC'23, Fig. 7–9): openb trace replays under the six FGD
 * policies × seeds, for one trace or all 17, and allocation vs arrived demand with bands over seeds. Pure: the
 * replays run in src/sim/paperReplay.ts (CPU), on the CLI's worker threads, in the planner worker
 * (`runPaperReplays`) or in lockstep on a GPU (engine/lockstep/lockstep.ts replayOpenbLockstep).
 */
import { band } from './answer.ts';
import { canonicalText, csvCell } from './rows.ts';
import { TraceHasher } from '../core/hash.ts';

/** The six policies of the paper (the FGD profiles, src/sched/profiles/fgd.ts FGD_PROFILES, in its order). */
export const PAPER_POLICIES = ['fgd', 'random', 'dotprod', 'clustering', 'packing', 'bestfit'] as const;

/** Most replays a paper grid may hold (17 traces × 6 policies × 100 seeds). */
export const MAX_PAPER_REPLAYS = 10_200;

/** One replay of the grid. */
export interface PaperReplay {
  /** Grid index (trace → policy → seed order). */
  index: number;
  /** Stable id: `<trace>|<policy>|s<seed>`. */
  id: string;
  /** Index into the grid's traces. */
  traceIndex: number;
  trace: string;
  policy: string;
  seed: number;
}

/** A replay's row: the headline points and the allocation curve (allocatedPct[i] at i % of capacity arrived). */
export interface PaperRow {
  index: number;
  id: string;
  trace: string;
  policy: string;
  seed: number;
  capacityGpus: number;
  /** Allocation at 100 % of capacity arrived (the paper's headline point), and the fragmentation rate there, %. */
  allocatedPctAt100: number;
  fragRatioPctAt100: number;
  /** Allocation once every pod arrived (inflation × capacity), %. */
  finalAllocatedPct: number;
  /** Allocation (% of capacity) at each whole percent of capacity arrived, from 0. */
  allocatedPct: number[];
  /** Hash of every other field. */
  digest: string;
}

/** The replays of traces × policies × seeds, in that order; a PlanError-like Error naming the field when empty or too big. */
export function expandPaperGrid(traces: readonly string[], policies: readonly string[], seeds: readonly number[]): PaperReplay[] {
  if (traces.length === 0) throw new Error('traces: empty axis: give at least one openb pod list');
  if (policies.length === 0) throw new Error('policies: empty axis: name at least one policy');
  if (seeds.length === 0) throw new Error('seeds: empty axis: give at least one seed');
  for (const p of policies) if (!(PAPER_POLICIES as readonly string[]).includes(p)) throw new Error(`policies: "${p.slice(0, 80)}" is not one of ${PAPER_POLICIES.join(', ')}`);
  const n = traces.length * policies.length * seeds.length;
  if (n > MAX_PAPER_REPLAYS) throw new Error(`seeds: the grid has ${n.toLocaleString('en-US')} replays (${traces.length} traces × ${policies.length} policies × ${seeds.length} seeds); at most ${MAX_PAPER_REPLAYS.toLocaleString('en-US')}`);
  const out: PaperReplay[] = [];
  traces.forEach((trace, traceIndex) => {
    for (const policy of policies) for (const seed of seeds) out.push({ index: out.length, id: `${trace}|${policy}|s${seed}`, traceIndex, trace, policy, seed });
  });
  return out;
}

/** What a replay returns (sched/frag/replay.ts ReplayResult and its stats), structurally. */
export interface PaperReplayResult {
  capacityGpus: number;
  curve: readonly { arrivedPct: number; allocatedPct: number; fragRatioPct: number }[];
  stats: { finalAllocatedPct: number };
}

/** A replay's row from its result. */
export function paperRowOf(r: PaperReplay, res: PaperReplayResult): PaperRow {
  const at = res.curve.find((c) => c.arrivedPct === 100) ?? res.curve[res.curve.length - 1];
  const row: Omit<PaperRow, 'digest'> = {
    index: r.index,
    id: r.id,
    trace: r.trace,
    policy: r.policy,
    seed: r.seed,
    capacityGpus: res.capacityGpus,
    allocatedPctAt100: at?.allocatedPct ?? 0,
    fragRatioPctAt100: at?.fragRatioPct ?? 0,
    finalAllocatedPct: res.stats.finalAllocatedPct,
    allocatedPct: res.curve.map((c) => c.allocatedPct),
  };
  return { ...row, digest: new TraceHasher().add(canonicalText(row)).digest() };
}

/** Allocation vs arrived demand of one (trace, policy): per arrived percent, mean and 95 % interval over seeds. */
export interface PaperBand {
  trace: string;
  policy: string;
  n: number;
  arrivedPct: number[];
  mean: number[];
  lo: number[];
  hi: number[];
}

/** The paper figure's bands, one per (trace, policy) in grid order, over the seeds finished (any order). */
export function paperBands(rows: readonly PaperRow[]): PaperBand[] {
  const groups = new Map<string, PaperRow[]>();
  for (const r of [...rows].sort((a, b) => a.index - b.index)) {
    const k = `${r.trace}\u0000${r.policy}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((list) => {
    const len = Math.min(...list.map((r) => r.allocatedPct.length));
    const bands = Array.from({ length: len }, (_, i) => band(list.map((r) => r.allocatedPct[i])));
    return { trace: list[0].trace, policy: list[0].policy, n: list.length, arrivedPct: bands.map((_, i) => i), mean: bands.map((b) => b.mean), lo: bands.map((b) => b.lo), hi: bands.map((b) => b.hi) };
  });
}

/** The paper grid CSV's fixed columns; the allocation curve follows as `allocatedPctAt<i>` (i % of capacity arrived). */
export const PAPER_CSV_COLUMNS = ['index', 'id', 'trace', 'policy', 'seed', 'capacityGpus', 'allocatedPctAt100', 'fragRatioPctAt100', 'finalAllocatedPct', 'digest'] as const;

/**
 * Every replay row as CSV, like the plan's replica CSV (rows.ts planCsv: RFC 4180 cells, a header, one line per
 * row in grid order, each ended by \n): the fixed columns, then the allocation at each whole arrived percent up to
 * the longest curve (empty where a row's curve is shorter).
 */
export function paperCsv(rows: readonly PaperRow[]): string {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const points = Math.max(0, ...sorted.map((r) => r.allocatedPct.length));
  const curve = Array.from({ length: points }, (_, i) => `allocatedPctAt${i}`);
  const lines = [[...PAPER_CSV_COLUMNS, ...curve].join(',')];
  for (const r of sorted) lines.push([...PAPER_CSV_COLUMNS.map((c) => csvCell(r[c])), ...curve.map((_, i) => csvCell(r.allocatedPct[i]))].join(','));
  return lines.join('\n') + '\n';
}
