/**
 * `hami-mig`: HAMi v2.10.0 with its dynamic MIG mode (../shared/docs/domain-mig-dra.md §6.6.5). Every card of a
 * MIG-enabled pool registers in the `mig` operating mode: `Count` = the largest instance count of its profiles,
 * the allowlist profiles with NVML sizes and placements, and the placements its reservations hold. HAMi's Fit then
 * picks the smallest profile with enough memory and a free placement (sched/mig/hamiMig.ts); the booking is the
 * profile's memory and core, and the instance exists only while the pod holds it (created on demand, removed when
 * the pod leaves). Other pools stay `hami-core` cards. Pods that want isolation (or are pinned to `mig`) carry
 * `nvidia.com/vgpu-mode: mig`, so they only land on MIG cards; the others may land on either kind.
 */
import type { GpuBooking, Pod } from '../../model/pod.ts';
import { chooseForm, demandOf, HAMI_MIG_FORMS } from '../../scenario/gpuDemand.ts';
import type { SchedContext } from '../framework.ts';
import { HamiScheduler, type HamiConfig } from '../hami/scheduler.ts';
import type { HamiAllocation, HamiGpu, HamiPodOptions } from '../hami/types.ts';
import { hamiMigProfiles, type HamiMigProfile } from './hamiMig.ts';
import type { ClusterState, NodeState } from '../../model/cluster.ts';
import { instanceBooking, occupiedOn, totalMigSlices, type MigAware, type MigPool, type MigSliceTotals } from './state.ts';

/** HAMi with MIG-mode cards on the MIG-enabled pools. */
export class HamiMigScheduler extends HamiScheduler implements MigAware {
  private readonly profilesByModel = new Map<string, HamiMigProfile[]>();

  constructor(config: HamiConfig, readonly pools: ReadonlyMap<string, MigPool>) {
    super(config);
    for (const p of pools.values()) if (!this.profilesByModel.has(p.modelId)) this.profilesByModel.set(p.modelId, hamiMigProfiles(p.modelId));
  }

  /** The pod's options; a pod whose demand takes the MIG form asks for MIG cards (`nvidia.com/vgpu-mode: mig`). */
  override podOptions(pod: Pod): HamiPodOptions {
    const o = super.podOptions(pod);
    if (o.vgpuMode === null && pod.request.gpuCount > 0 && chooseForm(demandOf(pod.request), HAMI_MIG_FORMS) === 'mig') o.vgpuMode = 'mig';
    return o;
  }

  /** A MIG pool's cards in `mig` mode, with HAMi's own accounting of their instances (profile memory and core). */
  protected override cardsOf(node: NodeState, ctx: SchedContext): HamiGpu[] {
    const cards = super.cardsOf(node, ctx);
    const pool = this.pools.get(node.pool);
    if (!pool) return cards;
    const profiles = this.profilesByModel.get(pool.modelId) ?? [];
    if (profiles.length === 0) return cards;
    const count = profiles.reduce((m, p) => Math.max(m, p.instanceCount), 0);
    return cards.map((c) => {
      let usedMemMiB = 0;
      let usedCores = 0;
      for (const pod of ctx.cluster.podsOnNode[node.id]) {
        for (const b of pod.binding?.gpus ?? []) {
          if (b.gpu !== c.index || !b.mig) continue;
          const p = profiles.find((x) => x.name === b.mig!.profile);
          usedMemMiB += p ? p.memMiB : b.memMiB;
          usedCores += p ? p.cores : b.cores;
        }
      }
      return { ...c, mode: 'mig', splitCount: count, usedMemMiB, usedCores, mig: { profiles, occupied: occupiedOn(ctx.cluster, node, c.index) } };
    });
  }

  /** A pick on a MIG card books the instance (its memory-slice placement, compute slices and memory). */
  protected override bookingOf(a: HamiAllocation, g: HamiGpu, node: NodeState): GpuBooking {
    if (!a.mig) return super.bookingOf(a, g, node);
    const p = a.mig.profile;
    return instanceBooking(node.gpus[a.index], { profile: p.name, g: p.sliceCount, start: a.mig.placement.start, size: a.mig.placement.size, memMiB: p.memMiB });
  }

  /** Slices of the MIG cards: used by instances, stranded when no allowlisted profile has a free placement left. */
  migSlices(cluster: ClusterState): MigSliceTotals {
    return totalMigSlices(this.pools, cluster, true, (m) => (this.profilesByModel.get(m) ?? []).map((p) => ({ starts: p.placements.map((x) => x.start), memSlices: p.placements[0]?.size ?? 0 })));
  }
}
