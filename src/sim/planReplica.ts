/**
 * The plan's replica runner: one replica of a plan grid (src/plan/grid.ts) simulated, and its row. A run is a pure
 * function of (scenario, profile, seed), so a replica's row is the same on any worker, in any order. The CLI's
 * worker threads and the browser worker's `runReplicas` call runPlanReplica; the engine-backed CLI path passes
 * `wrapScheduler` to runPlanReplicaAsync.
 */
import { replicaScenario, type PlanGrid, type PlanReplica } from '../plan/grid.ts';
import { downsampleSeries, planRowOf } from '../plan/replicaRow.ts';
import type { PlanMetrics, PlanRow } from '../plan/rows.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Summary } from './metrics.ts';
import { simulate, simulateAsync, type SimOptions, type SimResult } from './simulation.ts';

/** What a replica run keeps besides its row's numbers. */
export interface PlanRunOptions {
  /** Keep a downsampled series of at most this many points (0 or absent: none). */
  seriesPoints?: number;
}

/** The plan metrics of a run's summary (formulas in metrics.ts). */
export function planMetricsOf(s: Summary): PlanMetrics {
  return {
    sloAttainmentPct: s.inference.sloAttainmentPct,
    p95WaitS: s.p95WaitS,
    meanWaitS: s.meanWaitS,
    trainingSlowdown: s.training.meanSlowdown,
    trainingJobs: s.training.jobs,
    trainingCompleted: s.training.completed,
    podsPendingAtEnd: s.podsPendingAtEnd,
    allocationPct: s.allocationPct,
    utilizationPct: s.utilizationPct,
    gpusInUseAvg: s.gpusInUseAvg,
    costPerUsefulGpuHourUsd: s.cost.costPerUsefulGpuHourUsd,
  };
}

/** A replica's row from its finished run. */
export function planRowOfResult(grid: PlanGrid, r: PlanReplica, res: SimResult, opts: PlanRunOptions = {}): PlanRow {
  const series = opts.seriesPoints ? downsampleSeries(res.series, opts.seriesPoints) : undefined;
  return planRowOf(grid, r, planMetricsOf(res.summary), res.traceHash, series);
}

/** Runs one replica of a plan grid on the CPU (the scheduler's plugin path) and returns its row. */
export function runPlanReplica(scenario: Scenario, grid: PlanGrid, r: PlanReplica, opts: PlanRunOptions & Pick<SimOptions, 'wrapScheduler'> = {}): PlanRow {
  return planRowOfResult(grid, r, simulate(replicaScenario(scenario, grid, r), { seed: r.seed, wrapScheduler: opts.wrapScheduler }), opts);
}

/** Runs one replica asynchronously, optionally on an engine (`wrapScheduler`, src/engine/wiring/wire.ts engineWrap). */
export async function runPlanReplicaAsync(scenario: Scenario, grid: PlanGrid, r: PlanReplica, opts: PlanRunOptions & Pick<SimOptions, 'wrapScheduler'> = {}): Promise<PlanRow> {
  const res = await simulateAsync(replicaScenario(scenario, grid, r), { seed: r.seed, wrapScheduler: opts.wrapScheduler });
  return planRowOfResult(grid, r, res, opts);
}
