/**
 * Volcano's limited feasible-node search (pkg/scheduler/util/predicate_helper.go PredicateNodes,
 * util/scheduler_helper.go CalculateNumOfFeasibleNodesToFind and lastProcessedNodeIndex, release-1.15): above 100
 * nodes a task's predicates stop once numNodesToFind feasible nodes are found (default flags: at least 100 nodes,
 * 50 − N/125 % of them, at least 5 %), and the search starts where the previous one left off, a package global
 * of the scheduler process that persists across tasks, actions and sessions.
 *
 * Upstream checks the nodes with 16 workers; we read it sequentially: nodes are examined in rotated order, the
 * (numNodesToFind + 1)-th feasible node is examined (it is what cancels the search upstream) but not kept, and
 * the start advances by the nodes examined (all of them when fewer are feasible, which leaves it unchanged).
 */
import { numFeasibleNodesToFind } from '../runner.ts';

/** Where the next search starts (lastProcessedNodeIndex); one per scheduler, shared by every action. */
export class FeasibleNodeSearch {
  startNodeIndex = 0;
}

/** CalculateNumOfFeasibleNodesToFind with Volcano's default flags (the same integer math as kube's adaptive rule). */
export function volcanoFeasibleNodesToFind(numAllNodes: number): number {
  return numFeasibleNodesToFind(numAllNodes, 'adaptive');
}

/**
 * One search over `nodeCount` nodes from the search's start: the feasible nodes kept (ascending node index, the
 * order our tie-break draws in) and the start advanced. `feasible` is called once per examined node, in order.
 * `nodeIds` (ascending) searches that list instead of every node, as PredicateNodes searches the list it is given:
 * numNodesToFind is computed from the list's length, the rotation runs over list positions and the start is stored
 * modulo that length (preempt and reclaim pass the nodes left by FilterOutUnschedulableAndUnresolvableNodesForTask).
 */
export function searchFeasibleNodes(nodeCount: number, search: FeasibleNodeSearch, feasible: (nodeId: number) => boolean, nodeIds?: readonly number[]): number[] {
  const count = nodeIds ? nodeIds.length : nodeCount;
  if (count === 0) return [];
  const start = search.startNodeIndex % count;
  const { kept, processed } = scanFeasibleNodes(count, start, volcanoFeasibleNodesToFind(count), nodeIds ? (i) => feasible(nodeIds[i]) : feasible);
  search.startNodeIndex = (start + processed) % count;
  return nodeIds ? kept.map((i) => nodeIds[i]) : kept;
}

/**
 * The search itself, without state: nodes examined from `start` in rotated order until `want` feasible ones are
 * kept and one more is found (or every node is examined); the kept nodes ascending, and how many were examined.
 */
export function scanFeasibleNodes(nodeCount: number, start: number, want: number, feasible: (nodeId: number) => boolean): { kept: number[]; processed: number } {
  const kept: number[] = [];
  let processed = 0;
  for (let i = 0; i < nodeCount; i++) {
    const nodeId = (start + i) % nodeCount;
    processed++;
    if (!feasible(nodeId)) continue;
    if (kept.length === want) break;
    kept.push(nodeId);
  }
  return { kept: kept.sort((a, b) => a - b), processed };
}
