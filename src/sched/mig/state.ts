/**
 * MIG on a running cluster: which pools have MIG on, the instances a static layout creates on each GPU, the
 * placements the bookings occupy, the booking one instance makes, and the slice counts the metrics and views read
 * (stranded compute slices, idle instances). Shared by `k8s-mig` (static) and `hami-mig` (dynamic).
 */
import type { ClusterState, GpuState, NodeState } from '../../model/cluster.ts';
import type { GpuBooking } from '../../model/pod.ts';
import { layoutInstances, migBookedCores, migBookedMilli, migEnabled, migModelOf, placementIsFree, type MigInstance, type MigPlacement } from '../../scenario/migCatalog.ts';
import type { ClusterSpec } from '../../scenario/types.ts';

/** One MIG-enabled pool: its model and the instances its static layout puts on every GPU. */
export interface MigPool {
  modelId: string;
  /** The static layout's instances per GPU, by start (empty for `all-enabled`). */
  instances: readonly MigInstance[];
}

/** MIG-enabled pools by name (pools whose `mig` is set and not `all-disabled`, on a MIG-capable model). */
export function migPools(spec: ClusterSpec): Map<string, MigPool> {
  const out = new Map<string, MigPool>();
  for (const p of spec.pools) {
    if (!migEnabled(p.mig) || !migModelOf(p.gpuModel)) continue;
    const r = layoutInstances(p.gpuModel, p.mig!);
    // Validation refused a layout that does not fit; an unplaceable one here would be a bug, so it gets no instances.
    out.set(p.name, { modelId: p.gpuModel, instances: r.ok ? r.instances : [] });
  }
  return out;
}

/** The MIG placements the bookings on one GPU of a node occupy. */
export function occupiedOn(cluster: ClusterState, node: NodeState, gpu: number): MigPlacement[] {
  const out: MigPlacement[] = [];
  for (const pod of cluster.podsOnNode[node.id]) {
    for (const b of pod.binding?.gpus ?? []) if (b.gpu === gpu && b.mig) out.push({ start: b.mig.start, size: b.mig.size });
  }
  return out;
}

/**
 * The booking one instance makes on a card: milli floor(g·1000/7), compute cap floor(g·100/7) (so a full layout
 * stays within one card), memory the instance's size but at most its memory slices' share of the card (H200's
 * nominal 71 GB halves would overflow 141 GB), one slot, and the instance itself.
 */
export function instanceBooking(gpu: GpuState, inst: { profile: string; g: number; start: number; size: number; memMiB: number }): GpuBooking {
  const model = migModelOf(gpu.model);
  const slices = model?.memorySlices ?? 8;
  const compute = model?.computeSlices ?? 7;
  const share = Math.floor((gpu.memMiB * inst.size) / slices);
  return {
    gpu: gpu.index,
    milli: migBookedMilli(inst.g, compute),
    memMiB: Math.min(inst.memMiB, share),
    cores: migBookedCores(inst.g, compute),
    slots: 1,
    mig: { profile: inst.profile, g: inst.g, start: inst.start, size: inst.size },
  };
}

/** The free instances of a static layout on one GPU (instances whose placement no booking holds). */
export function freeInstances(pool: MigPool, cluster: ClusterState, node: NodeState, gpu: number): MigInstance[] {
  const occ = occupiedOn(cluster, node, gpu);
  return pool.instances.filter((i) => placementIsFree(i, occ));
}

/** Compute slices of one MIG GPU: in use, idle in created instances, and stranded (no instance can ever use them). */
export interface MigSliceCounts {
  used: number;
  idle: number;
  stranded: number;
}

/**
 * Slice counts of one GPU. Static (`dynamic` false): instances are the layout's; slices outside every instance are
 * stranded (3g + 3g strands one). Dynamic: instances exist only while booked; the free slices are stranded when no
 * profile of `profiles` has a free placement left (every memory slice taken, e.g. 3g + 3g on 8 slices).
 */
export function migSliceCounts(pool: MigPool, cluster: ClusterState, node: NodeState, gpu: number, dynamic: boolean, profiles: readonly { starts: readonly number[]; memSlices: number }[] = []): MigSliceCounts {
  const computeSlices = migModelOf(pool.modelId)?.computeSlices ?? 7;
  let used = 0;
  const occ: MigPlacement[] = [];
  for (const pod of cluster.podsOnNode[node.id]) {
    for (const b of pod.binding?.gpus ?? []) {
      if (b.gpu !== gpu || !b.mig) continue;
      used += b.mig.g;
      occ.push({ start: b.mig.start, size: b.mig.size });
    }
  }
  if (!dynamic) {
    const layout = pool.instances.reduce((s, i) => s + i.g, 0);
    return { used, idle: layout - used, stranded: computeSlices - layout };
  }
  const free = computeSlices - used;
  const room = profiles.some((p) => p.starts.some((start) => placementIsFree({ start, size: p.memSlices }, occ)));
  return { used, idle: 0, stranded: room ? 0 : free };
}

/** Compute slices over every MIG GPU of a cluster, at one moment (the MIG metrics: summary.mig, MetricSample.mig*). */
export interface MigSliceTotals {
  /** GPUs with MIG on. */
  gpus: number;
  used: number;
  idle: number;
  stranded: number;
}

/** A scheduler that runs MIG and can count its slices (k8s-mig, hami-mig). */
export interface MigAware {
  migSlices(cluster: ClusterState): MigSliceTotals;
}

/** The scheduler's MIG slice counter, or null when it does not run MIG. */
export function migAware(s: object): MigAware | null {
  return typeof (s as Partial<MigAware>).migSlices === 'function' ? (s as MigAware) : null;
}

/** Sums migSliceCounts over every GPU of the MIG pools' nodes. */
export function totalMigSlices(pools: ReadonlyMap<string, MigPool>, cluster: ClusterState, dynamic: boolean, profilesOf: (modelId: string) => readonly { starts: readonly number[]; memSlices: number }[]): MigSliceTotals {
  const t: MigSliceTotals = { gpus: 0, used: 0, idle: 0, stranded: 0 };
  for (const node of cluster.nodes) {
    const pool = pools.get(node.pool);
    if (!pool) continue;
    const profiles = profilesOf(pool.modelId);
    for (const g of node.gpus) {
      const c = migSliceCounts(pool, cluster, node, g.index, dynamic, profiles);
      t.gpus++;
      t.used += c.used;
      t.idle += c.idle;
      t.stranded += c.stranded;
    }
  }
  return t;
}
