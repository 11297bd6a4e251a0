/**
 * A capacity plan's replicas (src/plan/grid.ts) in lockstep: the driver of lockstep.ts (runLockstep, lanes, the
 * shared replica engines), with one task per plan replica. On a GPU one dispatch scores the pending decisions of
 * every live replica sharing an engine, cluster family and kernel spec; a profile without a kernel runs alongside
 * on the CPU. Rows equal runPlanReplica's, replica by replica (test/engine/planLockstep.test.ts on the CPU twins).
 * The paper grid's openb replays (src/plan/paperGrid.ts) run here too (paperLockstep), for the browser planner.
 */
import { replicaScenario, type PlanGrid, type PlanReplica } from '../../plan/grid.ts';
import type { PlanRow } from '../../plan/rows.ts';
import type { Scheduler } from '../../sched/framework.ts';
import type { Scenario } from '../../scenario/types.ts';
import { planRowOfResult, type PlanRunOptions } from '../../sim/planReplica.ts';
import { simulateAsync } from '../../sim/simulation.ts';
import type { GpuEngine } from '../gpu/gpuEngine.ts';
import type { EngineSelection } from '../wiring/select.ts';
import type { EngineStatus } from '../wiring/status.ts';
import { distinctStatuses, engineStatusOf, withEngine } from '../wiring/wire.ts';
import { paperRowOf, type PaperReplay, type PaperRow } from '../../plan/paperGrid.ts';
import { paperCandidates, type PaperRng, type PaperTrace } from '../../sim/paperReplay.ts';
import { gpuLockstepEngines, onLanes, openbReplayTask, runLockstep, type LaneWrap, type LockstepOutcome, type LockstepSimStats, type LockstepTask, type ReplicaEngine } from './lockstep.ts';

/** One plan replica of a lockstep run: its row and the scheduler that ran it (for the engine report). */
export interface LockstepPlanReplica {
  row: PlanRow;
  scheduler: Scheduler;
}

/**
 * The replicas `replicas` of a plan grid in lockstep on `engine`, each scheduler put on its lane by `wrap`;
 * `onRow` hears each row as its replica finishes (the browser planner's live progress).
 */
export function planLockstep(engine: ReplicaEngine, scenario: Scenario, grid: PlanGrid, replicas: readonly PlanReplica[], wrap: LaneWrap, opts: PlanRunOptions & { maxLive?: number; onRow?: (replica: PlanReplica, row: PlanRow) => void } = {}): Promise<LockstepOutcome<LockstepPlanReplica>> {
  const tasks = replicas.map((r): LockstepTask<LockstepPlanReplica> => ({
    name: r.id,
    async run(lane) {
      const s = replicaScenario(scenario, grid, r);
      let used: Scheduler | null = null;
      const res = await simulateAsync(s, { seed: r.seed, wrapScheduler: (x) => (used = wrap(lane, x, r.profile, r.options, s)) });
      const row = planRowOfResult(grid, r, res, opts);
      opts.onRow?.(r, row);
      return { row, scheduler: used! };
    },
  }));
  return runLockstep(engine, tasks, { maxLive: opts.maxLive });
}

/** Options of planOnGpu: the rows' series, each row as it finishes, and a wrapper around each lane's scheduler. */
export interface PlanGpuOptions extends PlanRunOptions {
  onRow?: (replica: PlanReplica, row: PlanRow) => void;
  /** Wraps each scheduler once on its lane (the browser planner counts candidate evaluations: sim/candidateCount.ts). */
  wrapLane?: (scheduler: Scheduler) => Scheduler;
}

/**
 * A plan's replicas in lockstep on the GPU engine (`slicebench plan` on a GPU): every scheduler is the one wire.ts
 * gives it, on its lanes of the GPU's shared engines. Rows in the order given; a replica that throws does not stop
 * the others, and the error names every failed replica's id.
 */
export async function planOnGpu(sel: EngineSelection, gpu: GpuEngine, scenario: Scenario, grid: PlanGrid, replicas: readonly PlanReplica[], opts: PlanGpuOptions = {}): Promise<{ rows: PlanRow[]; statuses: EngineStatus[]; stats: LockstepSimStats }> {
  const engines = gpuLockstepEngines(gpu);
  const around = opts.wrapLane ?? ((x: Scheduler): Scheduler => x);
  let out: LockstepOutcome<LockstepPlanReplica>;
  try {
    out = await planLockstep(gpu, scenario, grid, replicas, (lane, x, profile, options, s) => around(onLanes(withEngine(sel, x, { profile, options }, s), lane, engines)), opts);
  } finally {
    engines.destroy();
  }
  if (out.failures.length) {
    const msg = out.failures.map((f) => `replica ${f.name}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
    throw new Error(`${out.failures.length} of ${replicas.length} plan replicas failed (the others finished): ${msg}`, { cause: out.failures[0].error });
  }
  return { rows: out.results.map((r) => r!.row), statuses: distinctStatuses(out.results.map((r) => engineStatusOf(sel, r!.scheduler)), sel), stats: out.stats };
}

/** Options of paperLockstep: the grid's inflation and random numbers, each row and its candidate count as it finishes. */
export interface PaperLockstepOptions {
  inflation?: number;
  rng?: PaperRng;
  onRow?: (row: PaperRow, candidates: number) => void;
}

/**
 * The paper grid's replays `replays` of `traces` in lockstep on `engine` (lockstep.ts openbReplayTask: one dispatch
 * places the next pod of every replay sharing a kernel spec), each row to `onRow` as its replay finishes with its
 * candidate evaluations (sim/paperReplay.ts paperCandidates, as the CPU workers count them). Rows in the order
 * given equal runPaperReplay's (test/worker/paperLockstep.test.ts on the CPU twin); failures name the replay.
 */
export function paperLockstep(engine: ReplicaEngine, traces: readonly PaperTrace[], replays: readonly PaperReplay[], opts: PaperLockstepOptions = {}): Promise<LockstepOutcome<PaperRow>> {
  const tasks = replays.map((r) => {
    const t = traces[r.traceIndex];
    const task = openbReplayTask({ nodes: t.nodes, pods: t.pods, policy: r.policy, seed: r.seed, inflation: opts.inflation ?? 1.3, rng: opts.rng ?? 'slicebench' }, (res) => {
      const row = paperRowOf(r, res);
      opts.onRow?.(row, paperCandidates(t, res));
      return row;
    });
    return { ...task, name: r.id };
  });
  return runLockstep(engine, tasks);
}
