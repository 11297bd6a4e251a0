/**
 * Seeded random clusters for the k8s-timeslicing suites: parity's random node pools (random.ts), their usage
 * booked through the profile's own time-slicing allocator (replica slots, milli = ⌊1000·slots/N⌋, no memory), so
 * GPUs carry 0..N replicas and some are unhealthy.
 */
import type { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import { isStatus } from '../../src/sched/status.ts';
import { timeSlicingAllocator } from '../../src/sched/plugins/timeSlicing.ts';
import { podOf, randomCluster, randomRequest } from './random.ts';

/** A random cluster of `nodeCount` nodes with time-sliced usage at `replicas` per GPU. */
export function randomTimeSlicingCluster(rng: Rng, nodeCount: number, replicas: number): ClusterState {
  const c = randomCluster(rng, nodeCount);
  for (const node of c.nodes) for (const p of [...c.podsOnNode[node.id]]) c.unbind(p);
  const alloc = timeSlicingAllocator(replicas);
  for (let t = 0; t < nodeCount * 3; t++) {
    const n = c.nodes[rng.int(c.nodes.length)];
    const r = randomRequest(rng, n.cpuMilli, n.memMiB);
    if (n.usedCpuMilli + r.cpuMilli > n.cpuMilli || n.usedMemMiB + r.memMiB > n.memMiB || n.podCount + 1 > n.maxPods) continue;
    const p = podOf(r);
    const gpus = alloc.allocate(p, n, { cluster: c, rng, nowS: 0 });
    if (isStatus(gpus)) continue;
    c.bind(p, { nodeId: n.id, gpus });
  }
  return c;
}
