/**
 * The Alibaba openb trace (cluster-trace-gpu-v2023) as the model sees it: the node records the reader in
 * src/io/openb.ts parses, the cluster they make, and the FGD artifact's arrival sequence over the trace's pods
 * (domain.md §6.4). Here, not in io/ or sched/frag/, so the reader and the replay both import it and neither
 * imports the other.
 */
import type { Rng } from '../core/rng.ts';
import type { ClusterSpec, NodePoolSpec, TracePod } from '../scenario/types.ts';
import { resolveCatalog } from '../scenario/gpuCatalog.ts';
import { ClusterState } from './cluster.ts';
import { GPU_MILLI } from './units.ts';

/** One row of the node list. */
export interface OpenbNode {
  /** Serial name, e.g. `openb-node-0042`. */
  sn: string;
  cpuMilli: number;
  memMiB: number;
  /** Number of GPUs (0 for CPU-only nodes). */
  gpus: number;
  /** GPU model (catalog id: G2, T4, P100, V100M16, V100M32, G3, A10); empty for CPU-only nodes. */
  model: string;
}

/** Max pods per node in the FGD artifact's node objects (domain.md §6.4: a node holds at most 1,001 pods). */
export const OPENB_MAX_PODS = 1001;

/**
 * The cluster of a node list: one pool per node, named by its `sn` (so the trace's node names survive; the
 * simulator's nodes come out as `<sn>-0`; `openbCluster` below names them exactly `sn`), PCIe, one NUMA node, at most
 * 1,001 pods per node as in the artifact.
 */
export function openbClusterSpec(nodes: readonly OpenbNode[]): ClusterSpec {
  return {
    pools: nodes.map(
      (n): NodePoolSpec => ({
        name: n.sn,
        count: 1,
        gpuModel: n.model,
        gpusPerNode: n.gpus,
        cpuMilli: n.cpuMilli,
        memMiB: n.memMiB,
        topology: 'pcie',
        numaNodes: 1,
        maxPods: OPENB_MAX_PODS,
        labels: { 'openb/sn': n.sn },
      }),
    ),
  };
}

/** Total GPUs of a node list. */
export function openbTotalGpus(nodes: readonly OpenbNode[]): number {
  return nodes.reduce((s, n) => s + n.gpus, 0);
}

/** The cluster of a node list with node names exactly the trace's `sn`. */
export function openbCluster(nodes: readonly OpenbNode[]): ClusterState {
  const cluster = ClusterState.fromSpec(openbClusterSpec(nodes), resolveCatalog(undefined));
  cluster.nodes.forEach((n, i) => {
    n.name = nodes[i].sn;
  });
  return cluster;
}

/**
 * The artifact's arrival sequence: originals (sorted by name) shuffled, then inflation copies. Throws a RangeError
 * (which the CLI and the import dialog already show) when copies could never reach the target: a pod list with no
 * GPU request, or a non-finite target, would otherwise add copies until memory runs out.
 */
export function replayWorkload(pods: readonly TracePod[], capacityGpus: number, inflation: number, rng: Rng): TracePod[] {
  const originals = [...pods].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out = rng.shuffle(originals.slice());
  if (originals.length === 0) return out;
  // tgtTotalMilliGpu = ratio × nodeTotalMilliGpu, in that order (pkg/simulator/simulator.go TunePodsByNodeTotalResource).
  const limitMilli = inflation * (capacityGpus * GPU_MILLI);
  if (!Number.isFinite(limitMilli)) throw new RangeError(`invalid replay target: ${inflation}× ${capacityGpus} GPUs (finite numbers needed)`);
  if (!originals.some((p) => Number.isFinite(p.gpuMilli) && p.gpuMilli > 0) || originals.some((p) => !Number.isFinite(p.gpuMilli) || p.gpuMilli < 0)) {
    throw new RangeError(`the pod list requests no GPUs: nothing to replay up to ${inflation}× GPU capacity`);
  }
  let totalMilli = 0;
  for (const p of out) totalMilli += p.numGpu * p.gpuMilli;
  for (let i = 0; ; i++) {
    const copy = originals[rng.int(originals.length)];
    // The artifact's tuneUpPods checks the copy's per-GPU milli but adds its num_gpu × milli (TotalMilliGpu).
    if (totalMilli + copy.gpuMilli > limitMilli) break;
    totalMilli += copy.numGpu * copy.gpuMilli;
    out.push({ ...copy, name: `${copy.name}-clone-${i}` });
  }
  return out;
}
