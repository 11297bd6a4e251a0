/**
 * Counts a run's candidate evaluations for the planner's throughput line ("candidate evaluations/s"): every pod a
 * scheduling cycle considers is checked against every node of the cluster, as the engine kernels evaluate one
 * (pod, node) pair per candidate and the engine benchmark counts pods × nodes. A wrapper for SimOptions.wrapScheduler
 * that changes no decision (it only counts around `cycle`). Written by the planner UI (issue 14) beside plancore's
 * replica runner, which had no count.
 */
import type { Scheduler } from '../sched/framework.ts';
import type { AsyncCycleScheduler } from './simulation.ts';

/**
 * The scheduler with its cycles counted: `add(queue length × nodes)` after each cycle. An engine scheduler's
 * `cycleAsync` (a lockstep lane on the GPU) is kept and counted too, so the simulation still awaits it.
 */
export function countCandidates(scheduler: Scheduler, add: (candidates: number) => void): Scheduler {
  const cycleAsync = (scheduler as Partial<AsyncCycleScheduler>).cycleAsync;
  const counted: Scheduler = {
    name: scheduler.name,
    clusterOptions: scheduler.clusterOptions,
    gangAware: scheduler.gangAware,
    cycle(queue, ctx) {
      const result = scheduler.cycle(queue, ctx);
      add(queue.length * ctx.cluster.nodes.length);
      return result;
    },
    explain: (pod, ctx, topK) => scheduler.explain(pod, ctx, topK),
  };
  if (!cycleAsync) return counted;
  const asyncCounted: AsyncCycleScheduler = {
    ...counted,
    async cycleAsync(queue, ctx) {
      const result = await cycleAsync.call(scheduler, queue, ctx);
      add(queue.length * ctx.cluster.nodes.length);
      return result;
    },
  };
  return asyncCounted;
}
