/**
 * Conformance adapter for the MIG functions of ../shared/conformance/dra_mig.json (README-dra-mig.md §3): HAMi
 * v2.10.0's dynamic-MIG placement, feasibility, profile choice, card filter and Fit on MIG-mode cards. It converts
 * the neutral vocabulary and runs the functions the `hami-mig` profile uses (src/sched/mig/hamiMig.ts,
 * src/sched/hami/fit.ts) and the placement geometry of src/scenario/migCatalog.ts; no rule is re-implemented here.
 * The DRA functions of the same file have their own adapter; the runner dispatches each case by its function.
 */
import { placeProfiles, type MigPlacement } from '../scenario/migCatalog.ts';
import { gpuFit } from '../sched/hami/fit.ts';
import type { HamiGpu } from '../sched/hami/types.ts';
import { migCustomFilter, selectMigCandidate, selectMigPlacement, type HamiMigProfile } from '../sched/mig/hamiMig.ts';
import { fitJson, gpuOf, matches, podOptionsOf, requestOf } from './hami.ts';
import type { CaseOutcome, ConformanceAdapter, ConformanceCase } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const FUNCTIONS = new Set(['mig_place', 'mig_layout_feasible', 'hami_mig_select', 'hami_mig_filter', 'hami_mig_fit']);

function placementsOf(list: Json[] | undefined): MigPlacement[] {
  return (list ?? []).map((p: Json) => ({ start: p.start, size: p.size }));
}

function profileOf(p: Json): HamiMigProfile {
  return { name: p.name, memMiB: p.memory_mib ?? 0, cores: p.cores ?? 0, sliceCount: p.slice_count ?? 0, instanceCount: p.instance_count ?? 0, placements: placementsOf(p.placements) };
}

function migGpuOf(g: Json): HamiGpu {
  const gpu: HamiGpu = { ...gpuOf(g), mode: g.mode ?? g.gpu_mode ?? 'hami-core' };
  if (gpu.mode === 'mig') gpu.mig = { profiles: (g.mig_profiles ?? []).map(profileOf), occupied: placementsOf(g.mig_occupied) };
  return gpu;
}

function compute(i: Json): Json {
  switch (i.function) {
    case 'mig_place': {
      const profile = (i.profiles as Json[]).find((p) => p.name === i.profile);
      if (!profile) throw new Error(`no profile ${i.profile}`);
      const p = selectMigPlacement(profileOf(profile), placementsOf(i.occupied));
      return p ? { fits: true, start: p.start, size: p.size } : { fits: false };
    }
    case 'mig_layout_feasible': {
      const byName = new Map((i.profiles as Json[]).map((p) => [p.name, profileOf(p)]));
      const req = (i.requested as string[]).map((n) => {
        const p = byName.get(n);
        if (!p) throw new Error(`no profile ${n}`);
        return { starts: p.placements.map((x) => x.start), memSlices: p.placements[0]?.size ?? 0 };
      });
      return { feasible: placeProfiles(req, placementsOf(i.occupied)) !== null };
    }
    case 'hami_mig_select': {
      const pick = selectMigCandidate((i.profiles as Json[]).map(profileOf), placementsOf(i.occupied), i.mem_mib);
      if (!pick) return { fits: false };
      return { fits: true, profile: pick.profile.name, start: pick.placement.start, size: pick.placement.size, used_mem_mib: pick.profile.memMiB, used_cores: pick.profile.cores };
    }
    case 'hami_mig_filter': {
      const queued = ((i.queued ?? []) as Json[]).filter((q) => q.gpu_id === i.gpu_id).map((q) => q.mem_mib as number);
      const pick = migCustomFilter({ profiles: (i.profiles as Json[]).map(profileOf), occupied: placementsOf(i.occupied) }, queued, i.mem_mib);
      return { fits: pick !== null };
    }
    case 'hami_mig_fit': {
      const gpus = (i.gpus as Json[]).map(migGpuOf);
      const r = gpuFit(gpus, requestOf(i.request), podOptionsOf(i.pod_options, '', i.cordoned_gpu_ids));
      const placements = r.allocated.filter((a) => a.mig).map((a) => `${a.id}@${a.mig!.placement.start}`);
      return { ...fitJson(r), distinct_placements: new Set(placements).size === placements.length && placements.length > 1 };
    }
    default:
      throw new Error(`function ${String(i.function)} is not modeled`);
  }
}

/** Compares what we computed with the case's expectations (`derived_not_asserted` is not checked upstream, so not here). */
function check(c: ConformanceCase, got: Json): boolean {
  for (const [k, v] of Object.entries(c.expected as Json)) {
    if (k === 'derived_not_asserted') continue;
    if (k === 'reasons_include') {
      if (!Object.entries(v as Json).every(([r, n]) => got.reasons?.[r] === n)) return false;
    } else if (!matches(v, got[k], 0, k)) return false;
  }
  return true;
}

export const migAdapter: ConformanceAdapter = {
  project: 'mig',
  supports(c) {
    return typeof c.input.function === 'string' && FUNCTIONS.has(c.input.function);
  },
  run(c): CaseOutcome {
    if (!this.supports(c)) return { status: 'unsupported', detail: `function ${String(c.input.function)} is not modeled` };
    let got: Json;
    try {
      got = compute(c.input);
    } catch (e) {
      return { status: 'fail', detail: `error: ${(e as Error).message}` };
    }
    if (check(c, got)) return { status: 'pass', detail: '' };
    return { status: 'fail', detail: `expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}` };
  },
};
