/**
 * NVIDIA MIG (Multi-Instance GPU) as data: the GPU-instance profiles of each MIG-capable catalog model, their
 * placements (start and size in memory slices), the standard mig-parted layouts, and the placement geometry both
 * static and dynamic MIG share (../shared/docs/domain-mig-dra.md §6.6). No scheduler code.
 *
 * Sources: A100 rows from NVIDIA/go-nvml `pkg/nvml/mock/gpus/a100.go` (memory MiB, placements), agreeing with
 * HAMi v2.10.0 `pkg/device/nvidia/mig_topology_test.go`; names and max counts of every board from NVIDIA/mig-parted
 * `deployments/systemd/config-default.yaml`. H100, H200 and B200 placements (allowed starts) are ASSUMED equal to
 * A100's (unverified upstream: the MIG user guide shows them only as figures), and their memory is nominal
 * (GB × 1024 MiB), as the domain doc says; `MIG_ASSUMPTION_NOTE` words this for the knobs' help.
 */

/** One MIG GPU-instance profile with one full compute instance (C == G; the only kind Kubernetes uses). */
export interface MigProfile {
  /** mig-parted / NVML name, e.g. `2g.20gb` or `1g.10gb+me`. */
  name: string;
  /** Compute slices (of 7). */
  g: number;
  /** Memory slices (of 8) one instance occupies: the placement size. */
  memSlices: number;
  /** Instance memory, MiB (NVML's size on A100; nominal GB × 1024 where assumed). */
  memMiB: number;
  /** Most instances of this profile on one GPU. */
  maxCount: number;
  /** Allowed placement starts (memory-slice index), ascending as NVML reports them. */
  starts: readonly number[];
}

/** The MIG geometry of one catalog model. */
export interface MigModel {
  /** Compute slices per GPU (7 on the 8-memory-slice boards). */
  computeSlices: number;
  /** Memory slices per GPU. */
  memorySlices: number;
  /** Full-compute-instance profiles, in mig-parted's order (small to large). */
  profiles: readonly MigProfile[];
  /** mig-parted's `all-balanced` for this model: profile names with counts. */
  balanced: readonly { profile: string; count: number }[];
  /** HAMi v2.10 default `migProfileAllowlist` for the model (charts/hami/templates/scheduler/device-configmap.yaml). */
  hamiAllowlist: readonly string[];
  /** True where placements and memory are assumed (H100, H200, B200), false for the NVML-read A100 data. */
  assumed: boolean;
}

/** Words shown in the MIG knobs' help and the pool editor: which figures are assumptions. */
export const MIG_ASSUMPTION_NOTE =
  'A100 placements and instance sizes are NVML data (go-nvml mock, HAMi tests). H100, H200 and B200 placements are ' +
  'assumed equal to A100\'s and their instance memory is nominal (GB × 1024 MiB): unverified upstream. Which start ' +
  'the driver picks when mig-parted creates a layout is also unverified; static layouts are placed lowest start first.';

const ALL7 = [0, 1, 2, 3, 4, 5, 6] as const;

/** The seven rows every 8-memory-slice board has, from its names and per-row MiB. */
function eightSliceModel(
  names: [small: string, large1g: string, g2: string, g3: string, g4: string, g7: string],
  mib: [small: number, large: number, half: number, full: number],
  allowlist: string[],
  assumed: boolean,
): MigModel {
  const [small, large1g, g2, g3, g4, g7] = names;
  const [mSmall, mLarge, mHalf, mFull] = mib;
  return {
    computeSlices: 7,
    memorySlices: 8,
    profiles: [
      { name: small, g: 1, memSlices: 1, memMiB: mSmall, maxCount: 7, starts: ALL7 },
      { name: `${small}+me`, g: 1, memSlices: 1, memMiB: mSmall, maxCount: 1, starts: ALL7 },
      { name: large1g, g: 1, memSlices: 2, memMiB: mLarge, maxCount: 4, starts: [0, 2, 4, 6] },
      { name: g2, g: 2, memSlices: 2, memMiB: mLarge, maxCount: 3, starts: [0, 2, 4] },
      { name: g3, g: 3, memSlices: 4, memMiB: mHalf, maxCount: 2, starts: [0, 4] },
      { name: g4, g: 4, memSlices: 4, memMiB: mHalf, maxCount: 1, starts: [0] },
      { name: g7, g: 7, memSlices: 8, memMiB: mFull, maxCount: 1, starts: [0] },
    ],
    balanced: [
      { profile: small, count: 2 },
      { profile: g2, count: 1 },
      { profile: g3, count: 1 },
    ],
    hamiAllowlist: allowlist,
    assumed,
  };
}

const GB = 1024;

/** MIG geometry by catalog model id (src/scenario/gpuCatalog.ts); models not listed have no MIG. */
export const MIG_MODELS: Readonly<Record<string, MigModel>> = Object.freeze({
  'A100-40G': eightSliceModel(['1g.5gb', '1g.10gb', '2g.10gb', '3g.20gb', '4g.20gb', '7g.40gb'], [4864, 9856, 19968, 40192], ['1g.5gb', '2g.10gb', '3g.20gb', '7g.40gb'], false),
  'A100-80G': eightSliceModel(['1g.10gb', '1g.20gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb'], [9856, 19968, 40192, 80384], ['1g.10gb', '2g.20gb', '3g.40gb', '7g.79gb'], false),
  H100: eightSliceModel(['1g.10gb', '1g.20gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb'], [10 * GB, 20 * GB, 40 * GB, 80 * GB], ['1g.10gb', '2g.20gb', '3g.40gb', '7g.80gb'], true),
  H200: eightSliceModel(['1g.18gb', '1g.35gb', '2g.35gb', '3g.71gb', '4g.71gb', '7g.141gb'], [18 * GB, 35 * GB, 71 * GB, 141 * GB], ['1g.18gb', '2g.35gb', '3g.71gb', '7g.141gb'], true),
  B200: eightSliceModel(['1g.23gb', '1g.45gb', '2g.45gb', '3g.90gb', '4g.90gb', '7g.180gb'], [23 * GB, 45 * GB, 90 * GB, 180 * GB], ['1g.23gb', '2g.45gb', '3g.90gb', '7g.180gb'], true),
});

/** The MIG geometry of a catalog model, or undefined when it has no MIG. */
export function migModelOf(modelId: string): MigModel | undefined {
  return Object.prototype.hasOwnProperty.call(MIG_MODELS, modelId) ? MIG_MODELS[modelId] : undefined;
}

/** A profile of a model by name, or undefined. */
export function migProfileOf(model: MigModel, name: string): MigProfile | undefined {
  return model.profiles.find((p) => p.name === name);
}

/** The device plugin's mixed-strategy resource name of a profile: `nvidia.com/mig-<name>` with `+` → `.`. */
export function migResourceName(profile: string): string {
  return `nvidia.com/mig-${profile.replace(/\+/g, '.')}`;
}

/** Compute cap of an instance in percent of the card as the simulator books it: floor(g · 100 / 7), so 7 × 1g ≤ 100. */
export function migBookedCores(g: number, computeSlices = 7): number {
  return Math.floor((g * 100) / computeSlices);
}

/** Milli-GPU an instance books (floor(g · 1000 / 7)): 7 × 1g and 4g + 3g stay within one card's 1000. */
export function migBookedMilli(g: number, computeSlices = 7): number {
  return Math.floor((g * 1000) / computeSlices);
}

/** HAMi's `Core` of a profile: ceil(SM_profile · 100 / SM_max), SMs proportional to g (A100: 14 per slice). */
export function hamiMigCore(g: number, computeSlices = 7): number {
  return Math.ceil((g * 100) / computeSlices);
}

/** A placement in memory slices: `[start, start + size)`. */
export interface MigPlacement {
  start: number;
  size: number;
}

/** NVML's overlap rule: two placements collide iff their memory-slice ranges intersect. */
export function placementsOverlap(a: MigPlacement, b: MigPlacement): boolean {
  return a.start < b.start + b.size && b.start < a.start + a.size;
}

/** True when `p` overlaps none of `occupied`. */
export function placementIsFree(p: MigPlacement, occupied: readonly MigPlacement[]): boolean {
  for (const o of occupied) if (placementsOverlap(p, o)) return false;
  return true;
}

/**
 * Can every requested profile get its own placement, disjoint from `occupied` and from each other? Exhaustive
 * backtracking (HAMi `canPlaceMigProfiles` answers the same question; the search order changes no answer).
 * Returns the placements in request order, or null.
 */
export function placeProfiles(requested: readonly { starts: readonly number[]; memSlices: number }[], occupied: readonly MigPlacement[]): MigPlacement[] | null {
  const taken: MigPlacement[] = [...occupied];
  const out: MigPlacement[] = new Array(requested.length);
  const go = (i: number): boolean => {
    if (i === requested.length) return true;
    const r = requested[i];
    for (const start of r.starts) {
      const p = { start, size: r.memSlices };
      if (!placementIsFree(p, taken)) continue;
      taken.push(p);
      out[i] = p;
      if (go(i + 1)) return true;
      taken.pop();
    }
    return false;
  };
  return go(0) ? out : null;
}

/** A pool's MIG setting: a mig-parted layout name, or a custom list of profile names every GPU gets. */
export type MigLayoutSpec = string | string[];

/** One instance of a static layout on a GPU. */
export interface MigInstance {
  profile: string;
  g: number;
  start: number;
  size: number;
  memMiB: number;
}

/** The layout names a model offers: all-disabled, all-enabled, all-balanced and all-<profile>. */
export function migLayoutNames(model: MigModel): string[] {
  return ['all-disabled', 'all-enabled', 'all-balanced', ...model.profiles.map((p) => `all-${p.name}`)];
}

/** True when a pool with this setting has MIG enabled (any layout but all-disabled). */
export function migEnabled(spec: MigLayoutSpec | undefined): boolean {
  return spec !== undefined && spec !== 'all-disabled';
}

/**
 * The instances one GPU of a pool carries under a static layout, or an error naming what is wrong (the caller
 * prefixes the JSON path). Instances are created in mig-parted's order (g descending, then name) and placed by
 * backtracking, each at its lowest workable start (the driver's choice is unverified; Kubernetes only sees counts).
 */
export function layoutInstances(modelId: string, spec: MigLayoutSpec): { ok: true; instances: MigInstance[] } | { ok: false; error: string; index?: number } {
  const model = migModelOf(modelId);
  if (!model) return { ok: false, error: `${modelId} has no MIG profiles (MIG-capable models: ${Object.keys(MIG_MODELS).join(', ')})` };
  let names: string[];
  if (typeof spec === 'string') {
    if (spec === 'all-disabled' || spec === 'all-enabled') return { ok: true, instances: [] };
    if (spec === 'all-balanced') names = model.balanced.flatMap((b) => Array.from({ length: b.count }, () => b.profile));
    else if (spec.startsWith('all-') && migProfileOf(model, spec.slice(4))) {
      const p = migProfileOf(model, spec.slice(4))!;
      names = Array.from({ length: p.maxCount }, () => p.name);
    } else return { ok: false, error: `unknown MIG layout "${spec.slice(0, 60)}" for ${modelId} (known: ${migLayoutNames(model).join(', ')}, or a list of profile names)` };
  } else {
    names = spec;
    for (let i = 0; i < names.length; i++) {
      if (!migProfileOf(model, names[i])) return { ok: false, index: i, error: `${modelId} has no MIG profile "${String(names[i]).slice(0, 60)}" (profiles: ${model.profiles.map((p) => p.name).join(', ')})` };
    }
  }
  const profiles = names.map((n) => migProfileOf(model, n)!);
  const counts = new Map<string, number>();
  for (const p of profiles) {
    counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
    if (counts.get(p.name)! > p.maxCount) return { ok: false, error: `${modelId} holds at most ${p.maxCount} × ${p.name} per GPU` };
  }
  const order = profiles.map((p, i) => ({ p, i })).sort((a, b) => b.p.g - a.p.g || (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : a.i - b.i));
  const placed = placeProfiles(order.map((o) => o.p), []);
  if (!placed) {
    const g = profiles.reduce((s, p) => s + p.g, 0);
    const m = profiles.reduce((s, p) => s + p.memSlices, 0);
    return { ok: false, error: `${names.join(' + ')} does not fit one ${modelId} (${g} of ${model.computeSlices} compute slices, ${m} of ${model.memorySlices} memory slices, placements must not overlap)` };
  }
  const instances = order.map((o, k) => ({ profile: o.p.name, g: o.p.g, start: placed[k].start, size: placed[k].size, memMiB: o.p.memMiB }));
  instances.sort((a, b) => a.start - b.start);
  return { ok: true, instances };
}
