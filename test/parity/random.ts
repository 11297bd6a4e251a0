/** Seeded random clusters and pods for the parity suites (shapes chosen to hit edge cases, not realism). */
import { Rng } from '../../src/core/rng.ts';
import { ClusterState, buildNodes } from '../../src/model/cluster.ts';
import { GPU_CATALOG, resolveCatalog } from '../../src/scenario/gpuCatalog.ts';
import type { Pod, PodRequest } from '../../src/model/pod.ts';
import type { NodePoolSpec } from '../../src/scenario/types.ts';
import { wholeGpuAllocator } from '../../src/sched/plugins/wholeGpuAllocator.ts';
import { isStatus } from '../../src/sched/status.ts';

const MODELS = ['A100-80G', 'H100', 'T4'];
/** Capacities with non-dyadic fractions (10, 30, 96 000…) so float64 rounding boundaries of BalancedAllocation occur. */
const CPU_CHOICES = [10, 30, 1000, 3000, 4000, 6000, 10000, 96000, 128000, 4294967];
const MEM_CHOICES = [10, 20, 100, 1000, 16384, 20000, 262144, 786432, 33554431];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

let uid = 1_000_000;

/** A pod request within the cluster's scale. */
export function randomRequest(rng: Rng, maxCpu: number, maxMem: number): PodRequest {
  const small = rng.int(3) === 0;
  const cpuMilli = rng.int(4) === 0 ? 0 : small ? rng.int(11) : rng.int(Math.max(1, Math.floor(maxCpu / 2)) + 1);
  const memMiB = rng.int(4) === 0 ? 0 : small ? rng.int(11) : rng.int(Math.max(1, Math.floor(maxMem / 2)) + 1);
  const gpuCount = rng.int(3) === 0 ? 0 : rng.int(5);
  const gpuModels = gpuCount > 0 && rng.int(3) === 0 ? [pick(rng, MODELS)].concat(rng.int(2) ? [pick(rng, MODELS)] : []) : [];
  return { cpuMilli, memMiB, gpuCount, gpuMilli: gpuCount > 0 ? (rng.int(3) === 0 ? 500 : 1000) : 0, gpuMemMiB: 0, gpuCores: 0, gpuModels };
}

/** A pod wrapping a request. */
export function podOf(request: PodRequest, priority = 0): Pod {
  return replicaOf(request, priority, -1);
}

/**
 * A pod wrapping a request; `owner` ≥ 0: an inference replica of that workload (kube's default PodTopologySpread
 * scores it), else a batch pod.
 */
export function replicaOf(request: PodRequest, priority: number, owner: number): Pod {
  const id = uid++;
  return {
    uid: id, name: `p-${id}`, kind: owner >= 0 ? 'inference' : 'batch', workload: owner >= 0 ? owner : 0, request, priority, queue: 'default', annotations: {}, gang: -1, gangMin: 0,
    createdS: 0, phase: 'pending', binding: null, boundS: -1, attempts: 0, lastReason: '',
  };
}

/** A random cluster of `nodeCount` nodes with random existing usage (booked through ClusterState.bind). */
export function randomCluster(rng: Rng, nodeCount: number): ClusterState {
  const pools: NodePoolSpec[] = [];
  let left = nodeCount;
  let k = 0;
  while (left > 0) {
    const count = Math.min(left, 1 + rng.int(Math.max(1, Math.ceil(nodeCount / 3))));
    left -= count;
    pools.push({
      name: `pool${k++}`, count, gpuModel: pick(rng, MODELS), gpusPerNode: pick(rng, [0, 1, 2, 4, 8]), cpuMilli: pick(rng, CPU_CHOICES),
      memMiB: pick(rng, MEM_CHOICES), topology: 'pcie', numaNodes: 1, maxPods: pick(rng, [1, 2, 3, 110]),
      // two zones and some pools without the label (PodTopologySpread's zone constraint; no draw, so worlds stay the same)
      labels: k % 3 === 0 ? undefined : { 'topology.kubernetes.io/zone': `z${k % 2}` },
    });
  }
  const c = new ClusterState(buildNodes({ pools }, resolveCatalog(undefined)), { ...GPU_CATALOG });
  for (const n of c.nodes) for (const g of n.gpus) if (rng.int(10) === 0) g.healthy = false;
  // existing usage: try random pods on random nodes
  const tries = nodeCount * 2;
  for (let t = 0; t < tries; t++) {
    const n = c.nodes[rng.int(c.nodes.length)];
    const r = randomRequest(rng, n.cpuMilli, n.memMiB);
    if (n.usedCpuMilli + r.cpuMilli > n.cpuMilli || n.usedMemMiB + r.memMiB > n.memMiB || n.podCount + 1 > n.maxPods) continue;
    const p = podOf(r);
    const alloc = wholeGpuAllocator.allocate(p, n, { cluster: c, rng, nowS: 0 });
    if (isStatus(alloc)) continue;
    c.bind(p, { nodeId: n.id, gpus: alloc });
  }
  return c;
}
