/**
 * The live fragmentation metric (FGD's measure, domain.md §6.4) for a scenario: returns a function the
 * simulator calls at each sample, or undefined while the fragmentation module is not available.
 */
import type { ClusterState } from '../model/cluster.ts';
import type { Scenario } from '../scenario/types.ts';

/** A per-sample fragmentation function for this scenario's pod shapes (milli-GPU), or undefined. */
export function fragmentationMetricFor(_scenario: Scenario): ((cluster: ClusterState) => number) | undefined {
  return undefined;
}
