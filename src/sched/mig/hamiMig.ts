/**
 * HAMi v2.10.0 dynamic MIG (../shared/docs/domain-mig-dra.md §6.6.5): the profiles a MIG-mode card registers,
 * the placement choice (`pkg/device/nvidia/mig_topology.go` selectMigPlacement), the profile choice
 * (selectMigCandidate) and the card filter (CustomFilterRule). Pure functions on plain values, so the conformance
 * vectors (../shared/conformance/dra_mig.json) and the `hami-mig` profile run the very same code.
 */
import { hamiMigCore, migModelOf, placementIsFree, type MigPlacement } from '../../scenario/migCatalog.ts';

/** One profile as HAMi's device plugin registers it from NVML (`MIGProfiles` of a card). */
export interface HamiMigProfile {
  name: string;
  memMiB: number;
  /** HAMi `Core`: ceil(SM_profile · 100 / SM_max). */
  cores: number;
  /** Compute slices (HAMi `SliceCount`). */
  sliceCount: number;
  instanceCount: number;
  placements: readonly MigPlacement[];
}

/** A MIG-mode card's state as HAMi sees it: its profiles and the placements its reservations occupy. */
export interface HamiMigCard {
  profiles: readonly HamiMigProfile[];
  occupied: readonly MigPlacement[];
}

/** A profile choice with its placement. */
export interface MigPick {
  profile: HamiMigProfile;
  placement: MigPlacement;
}

/**
 * selectMigPlacement: the profile's placements by start descending when its name starts with `1g.` or `3g.`,
 * ascending otherwise (a stable sort of NVML's order); the first that overlaps no occupied placement.
 */
export function selectMigPlacement(profile: Pick<HamiMigProfile, 'name' | 'placements'>, occupied: readonly MigPlacement[]): MigPlacement | null {
  const desc = profile.name.startsWith('1g.') || profile.name.startsWith('3g.');
  const order = profile.placements.map((p, i) => ({ p, i })).sort((a, b) => (desc ? b.p.start - a.p.start : a.p.start - b.p.start) || a.i - b.i);
  for (const { p } of order) if (placementIsFree(p, occupied)) return { start: p.start, size: p.size };
  return null;
}

/**
 * selectMigCandidate: profiles sorted by (memory, slice count) ascending, stable; the first with memory ≥ the
 * request that still has a free placement. `memMiB = 0` takes the smallest profile.
 */
export function selectMigCandidate(profiles: readonly HamiMigProfile[], occupied: readonly MigPlacement[], memMiB: number): MigPick | null {
  const order = profiles.map((p, i) => ({ p, i })).sort((a, b) => a.p.memMiB - b.p.memMiB || a.p.sliceCount - b.p.sliceCount || a.i - b.i);
  for (const { p } of order) {
    if (p.memMiB < memMiB) continue;
    const placement = selectMigPlacement(p, occupied);
    if (placement) return { profile: p, placement };
  }
  return null;
}

/**
 * CustomFilterRule on a MIG-mode card: the card's reservations, plus the placements this container's earlier
 * picks on the same card would get (each `queuedMemMiB` entry placed in order), must leave a profile and a
 * placement for `memMiB`. Returns the pick, or null (HAMi's CardMigTopologyInfeasible).
 */
export function migCustomFilter(card: HamiMigCard, queuedMemMiB: readonly number[], memMiB: number): MigPick | null {
  const occupied = [...card.occupied];
  for (const q of queuedMemMiB) {
    const pick = selectMigCandidate(card.profiles, occupied, q);
    if (pick) occupied.push(pick.placement);
  }
  return selectMigCandidate(card.profiles, occupied, memMiB);
}

/**
 * The profiles a card of a catalog model registers in HAMi v2.10: the default `migProfileAllowlist` entries for the
 * model, each with the NVML data of the profile found by the name's prefix only (`1g`, `2g`, …:
 * profileNameToGIProfileID, so a listed name gets the smallest profile of that compute size), HAMi's core figure,
 * and every NVML placement. Empty when the model has no MIG.
 */
export function hamiMigProfiles(modelId: string): HamiMigProfile[] {
  const model = migModelOf(modelId);
  if (!model) return [];
  const out: HamiMigProfile[] = [];
  for (const name of model.hamiAllowlist) {
    const g = Number.parseInt(name, 10);
    const data = model.profiles.find((p) => p.g === g && !p.name.includes('+'));
    if (!data) continue;
    out.push({
      name,
      memMiB: data.memMiB,
      cores: hamiMigCore(g, model.computeSlices),
      sliceCount: g,
      instanceCount: data.maxCount,
      placements: data.starts.map((start) => ({ start, size: data.memSlices })),
    });
  }
  return out;
}
