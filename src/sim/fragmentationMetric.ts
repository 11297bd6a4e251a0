/**
 * The live fragmentation metric (FGD's measure, domain.md §6.4) for any scenario: the target workload is the
 * scenario's own "typical pods" (its pod shapes, ≥ 95% coverage), and the cluster fragment is kept current
 * incrementally (only nodes whose version changed are recomputed).
 */
import type { ClusterState } from '../model/cluster.ts';
import { clusterFragmentMilli } from '../sched/frag/fragment.ts';
import { targetWorkloadFromScenario } from '../sched/frag/target.ts';
import type { Scenario } from '../scenario/types.ts';

/** A per-sample function returning the cluster fragment in milli-GPU for this scenario's pod shapes. */
export function fragmentationMetricFor(scenario: Scenario): (cluster: ClusterState) => number {
  const target = targetWorkloadFromScenario(scenario);
  return (cluster) => clusterFragmentMilli(cluster, target);
}
