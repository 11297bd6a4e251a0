/**
 * The seam between a Volcano session and node scoring: the allocate and backfill actions ask a `NodeScorer` where
 * one task goes, against the cluster as the session has it now (its tentative binds included). The default,
 * `PluginNodeScorer`, is the plugin code (predicates, nodeorder, binpack, deviceshare); the engine's scorer
 * (src/engine/evaluator/volcanoEvaluator.ts) answers the same question from the WGSL kernel or its TypeScript twin.
 *
 * Node choice as Volcano v1.15 makes it (pkg/scheduler/actions/allocate: PredicateNodes over the feasible-node
 * search, feasibleNodes.ts, which above 100 nodes keeps only part of them; PrioritizeNodes summing weight × score
 * per plugin, util.SelectBestNodeAndScore): the highest float64 sum, uniformly at random among the nodes tied on
 * it (one rng.int(ties) draw, none for a single best node), the tied nodes in node order.
 */
import type { GpuBooking, Pod } from '../../model/pod.ts';
import type { SchedContext } from '../framework.ts';
import { countReasons } from '../status.ts';
import type { NodePlugins } from './session.ts';
import { FeasibleNodeSearch, searchFeasibleNodes } from './feasibleNodes.ts';

/** Where a task goes: a node and the GPUs it books there, or, when no node fits, the rejected nodes per reason. */
export type TaskPlacement = { nodeId: number; gpus: GpuBooking[] } | { rejected: Record<string, number> };

/** Chooses one task's node against the current (tentative) cluster state, drawing ties from `ctx.rng`. */
export interface NodeScorer {
  place(task: Pod, ctx: SchedContext): TaskPlacement;
}

/** The plugin path: the searched nodes through NodePlugins.fit, feasible nodes summed over NodePlugins.scores. */
export class PluginNodeScorer implements NodeScorer {
  constructor(
    private readonly nodes: NodePlugins,
    private readonly search = new FeasibleNodeSearch(),
  ) {}

  /** Predicates over the feasible-node search, then the best summed score with Volcano's random tie-break. */
  place(task: Pod, ctx: SchedContext): TaskPlacement {
    const rejected: Record<string, number> = {};
    const fits = new Map<number, { gpus: GpuBooking[]; deviceScore: number }>();
    const kept = searchFeasibleNodes(ctx.cluster.nodes.length, this.search, (nodeId) => {
      const f = this.nodes.fit(task, ctx.cluster.nodes[nodeId]);
      if ('status' in f) {
        countReasons(rejected, f.status);
        return false;
      }
      fits.set(nodeId, f);
      return true;
    });
    if (kept.length === 0) return { rejected };
    let pick = kept[0];
    if (kept.length > 1) {
      // util.SelectBestNodeAndScore: the highest summed score, uniformly at random among ties.
      let bestScore = -Infinity;
      let ties: number[] = [];
      for (const nodeId of kept) {
        const s = this.nodes.scores(task, ctx.cluster.nodes[nodeId], fits.get(nodeId)!.deviceScore, ctx).reduce((t, p) => t + p.weight * p.normalized, 0);
        if (s > bestScore) {
          bestScore = s;
          ties = [nodeId];
        } else if (s === bestScore) ties.push(nodeId);
      }
      pick = ties.length === 1 ? ties[0] : ties[ctx.rng.int(ties.length)];
    }
    return { nodeId: pick, gpus: fits.get(pick)!.gpus };
  }
}
