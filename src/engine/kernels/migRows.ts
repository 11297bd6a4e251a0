/**
 * k8s-mig's words in the packed rows (ClusterBuffers with a `mig` allocator spec; read by shaders/filterScoreK8s.wgsl
 * and its twin): only clusters run under k8s-mig carry them, every other profile's rows are unchanged.
 *   node word 11 (the clustering mask elsewhere): 0 no MIG, 1 a MIG node, 2 a MIG node whose instances are its
 *     nvidia.com/gpu (single strategy, a layout of one profile)
 *   GPU word 6 (numa elsewhere): on a MIG node, 4 bits per profile of the table: its free instances on the GPU
 *   pod word 11: 0 whole GPUs, 1 + k a MIG request of profile k, MIG_ABSENT a MIG profile no layout creates
 */
import type { ClusterState, NodeState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { k8sMigAskOf, singleStrategyValid } from '../../sched/mig/k8sMig.ts';
import { freeInstances, type MigPool } from '../../sched/mig/state.ts';
import { MIG_KERNEL_PROFILES, type KernelSpec, type MigKernelTable } from '../../sched/profiles/kernelSpecs.ts';

/** Pod word for a MIG request whose profile no layout creates (no node has a free instance of it). */
export const MIG_ABSENT = 0xff;
/** Profiles the kernel counts (4 bits each in one word). */
export const MIG_MAX_PROFILES = MIG_KERNEL_PROFILES;

/** The MIG words of one cluster's rows for a table. */
export class MigRows {
  private readonly pools = new Map<string, MigPool>();
  private readonly index = new Map<string, number>();

  constructor(
    readonly table: MigKernelTable,
    private readonly cluster: ClusterState,
  ) {
    table.poolNames.forEach((name, i) => this.pools.set(name, table.pools[i]));
    table.profiles.forEach((p, i) => this.index.set(p, i));
  }

  /** Node word 11. */
  nodeWord(node: NodeState): number {
    const pool = this.pools.get(node.pool);
    if (!pool) return 0;
    return this.table.strategy === 'single' && singleStrategyValid(pool) ? 2 : 1;
  }

  /** GPU word 6 of GPU `gpu` of a node (0 off MIG nodes). */
  gpuWord(node: NodeState, gpu: number): number {
    const pool = this.pools.get(node.pool);
    if (!pool) return 0;
    let w = 0;
    for (const inst of freeInstances(pool, this.cluster, node, gpu)) w += 1 << (4 * this.index.get(inst.profile)!);
    return w >>> 0;
  }

  /** Pod word 11 of a request. */
  podWord(r: PodRequest): number {
    const a = k8sMigAskOf(r, this.table.pools, this.table.strategy, (m) => this.cluster.catalog[m]?.memMiB ?? 0);
    if (a.form === 'whole') return 0;
    const k = this.index.get(a.profile);
    return k === undefined ? MIG_ABSENT : 1 + k;
  }
}

/** The MIG table of a spec (k8s-mig's), or undefined. */
export function migTableOf(spec: KernelSpec): MigKernelTable | undefined {
  return spec.kind === 'k8s-fit' ? spec.mig : undefined;
}
