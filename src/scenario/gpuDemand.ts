/**
 * One demand, several mechanisms (issue 17 item 1). A workload states what it needs from a GPU — how many,
 * how much memory, what share of compute, whether it wants hardware isolation — and each profile translates that
 * demand into the request its mechanism understands:
 *
 * | form    | what the pod asks for                                   | profiles                                   |
 * |---------|---------------------------------------------------------|--------------------------------------------|
 * | `whole` | `nvidia.com/gpu: N` (whole cards)                       | k8s-default, k8s-timeslicing, volcano, FGD |
 * | `hami`  | `nvidia.com/gpu`, `nvidia.com/gpumem`, `nvidia.com/gpucores` | hami-*, volcano-hami                  |
 * | `mig`   | `nvidia.com/mig-<profile>: 1`, the smallest profile that fits | k8s-mig, hami-mig                    |
 * | `dra`   | a ResourceClaim: whole GPUs, a prioritized list of MIG partitions, or HAMi-DRA capacity | k8s-dra, hami-dra |
 *
 * A scenario may pin a workload's form (`workloads[i].gpuRequest`); a profile that offers the pinned form uses it,
 * one that offers a single form keeps its own (the UI and "why here?" say which form a pod used). This is the one
 * place a demand becomes a request: add a mechanism by adding its form to `REQUEST_FORMS`, `GpuRequest` and
 * `translateDemand` (the DRA claim form was added that way: src/sched/dra/ turns its alternatives into a
 * ResourceClaim).
 */
import { hamiMigCore, migModelOf, migResourceName, type MigModel, type MigProfile } from './migCatalog.ts';

/** The request forms a demand can take. */
export const REQUEST_FORMS = ['whole', 'hami', 'mig', 'dra'] as const;
export type RequestForm = (typeof REQUEST_FORMS)[number];

/** A scenario's pin of a workload's request form (`workloads[i].gpuRequest`). */
export interface RequestPin {
  form: RequestForm;
  /** For `mig`: the profile to ask for (e.g. `1g.10gb`), instead of the smallest that fits. */
  migProfile?: string;
}

/** What one pod needs from its GPUs, independent of any mechanism. */
export interface GpuDemand {
  /** GPUs (or GPU instances) the pod needs. */
  count: number;
  /** GPU memory per GPU, MiB; 0 = the card's memory × shareMilli / 1000. */
  memMiB: number;
  /** Share of each GPU in milli-GPU (1000 = a whole card). */
  shareMilli: number;
  /** Compute per GPU, percent of a card; 0 = not stated. */
  computePct: number;
  /** The workload wants hardware isolation (MIG) where the profile offers it. */
  isolation: boolean;
  /** The scenario's pin, if any. */
  pin?: RequestPin;
}

/** A demand translated into one mechanism's request. */
export type GpuRequest =
  | { form: 'whole'; count: number }
  | { form: 'hami'; count: number; gpumemMiB: number; gpucores: number }
  | { form: 'mig'; count: number; profile: string; resource: string }
  /** A DRA claim: one request whose alternatives are tried in order (a `firstAvailable` list when more than one). */
  | { form: 'dra'; count: number; alternatives: DraAlternative[] }
  /** `mig` asked of a model where no profile holds the demand (or the pinned profile is unknown): the reason. */
  | { form: 'none'; reason: string };

/**
 * One alternative of a DRA claim's request, in the drivers' words: a whole GPU of the NVIDIA driver's class
 * `gpu.nvidia.com`, a MIG partition of class `mig.nvidia.com` with one profile, or a share of a HAMi-DRA card
 * (class `hami-core-gpu.project-hami.io`) with the capacity it asks (absent = the policy's default: all cores, the
 * card's memory).
 */
export type DraAlternative = { kind: 'gpu' } | { kind: 'mig'; profile: string } | { kind: 'hami'; cores?: number; memMiB?: number };

/** Which DRA driver a `dra` translation targets (k8s-dra: the NVIDIA driver; hami-dra). */
export interface DraTarget {
  driver: 'nvidia' | 'hami';
  /** NVIDIA driver only: the node publishes MIG devices (DynamicMIG partitions, or a pool's static MIG layout). */
  migDevices: boolean;
}

/** The fields of a pod request a demand is read from (model/pod.ts PodRequest has them). */
export interface DemandFields {
  gpuCount: number;
  gpuMilli: number;
  gpuMemMiB: number;
  gpuCores: number;
  isolation?: boolean;
  pin?: RequestPin;
}

/** The demand of a pod request: count, memory and compute as the workload stated them. */
export function demandOf(r: DemandFields): GpuDemand {
  const d: GpuDemand = { count: r.gpuCount, memMiB: r.gpuMemMiB, shareMilli: r.gpuMilli, computePct: r.gpuCores, isolation: r.isolation === true };
  if (r.pin) d.pin = r.pin;
  return d;
}

/** The memory a demand needs on a card of `cardMemMiB`, MiB: its own figure, else its share of the card. */
export function demandMemMiB(d: Pick<GpuDemand, 'memMiB' | 'shareMilli'>, cardMemMiB: number): number {
  return d.memMiB > 0 ? d.memMiB : Math.floor((cardMemMiB * Math.min(d.shareMilli, 1000)) / 1000);
}

/**
 * The smallest full-compute-instance profile of a model that holds the demand: memory ≥ the demand's (see
 * demandMemMiB) and HAMi's core figure ≥ its compute share, ordered by (memory, compute slices) as HAMi's
 * selectMigCandidate orders them; `+me` profiles are skipped (they exist for media engines). Undefined: none.
 */
export function smallestMigProfile(model: MigModel, demand: Pick<GpuDemand, 'memMiB' | 'shareMilli' | 'computePct'>, cardMemMiB: number, allow?: readonly string[]): MigProfile | undefined {
  return fittingMigProfiles(model, demand, cardMemMiB, allow)[0];
}

/** Every profile that holds the demand (as smallestMigProfile judges it), smallest first. */
export function fittingMigProfiles(model: MigModel, demand: Pick<GpuDemand, 'memMiB' | 'shareMilli' | 'computePct'>, cardMemMiB: number, allow?: readonly string[]): MigProfile[] {
  const needMiB = demandMemMiB(demand, cardMemMiB);
  return model.profiles
    .filter((p) => !p.name.includes('+') && (!allow || allow.includes(p.name)))
    .slice()
    .sort((a, b) => a.memMiB - b.memMiB || a.memSlices - b.memSlices || a.g - b.g)
    .filter((p) => p.memMiB >= needMiB && hamiMigCore(p.g, model.computeSlices) >= Math.min(demand.computePct, 100));
}

/** Where a translation may look: the GPU model of the node (catalog id) and its card memory. */
export interface TranslateTarget {
  modelId: string;
  cardMemMiB: number;
  /** For the `dra` form: the driver (absent: the NVIDIA driver without DynamicMIG). */
  dra?: DraTarget;
}

/** A `firstAvailable` request holds at most 8 subrequests (resource/v1 FirstAvailableDeviceRequestMaxSize). */
const DRA_MAX_SUBREQUESTS = 8;

/**
 * The `dra` form: HAMi-DRA asks capacity (cores and memory, each only when the demand states it, as the HAMi-DRA
 * webhook does); the NVIDIA driver asks whole GPUs, or, where the node publishes MIG devices and the demand is below
 * a card, a prioritized list: every MIG profile that holds it, smallest first, then the whole GPU.
 */
function draAlternatives(d: GpuDemand, target: TranslateTarget): DraAlternative[] {
  const t = target.dra ?? { driver: 'nvidia', migDevices: false };
  if (t.driver === 'hami') {
    const alt: DraAlternative = { kind: 'hami' };
    if (d.computePct > 0) alt.cores = d.computePct;
    if (d.memMiB > 0) alt.memMiB = d.memMiB;
    return [alt];
  }
  const model = migModelOf(target.modelId);
  const belowCard = d.shareMilli < 1000 || (d.memMiB > 0 && d.memMiB < target.cardMemMiB);
  if (!t.migDevices || !model || !belowCard) return [{ kind: 'gpu' }];
  const migs = fittingMigProfiles(model, d, target.cardMemMiB).slice(0, DRA_MAX_SUBREQUESTS - 1);
  return [...migs.map((p): DraAlternative => ({ kind: 'mig', profile: p.name })), { kind: 'gpu' }];
}

/** Translates a demand into the request of one form on one GPU model. */
export function translateDemand(d: GpuDemand, form: RequestForm, target: TranslateTarget): GpuRequest {
  switch (form) {
    case 'whole':
      return { form: 'whole', count: d.count };
    case 'hami':
      return { form: 'hami', count: d.count, gpumemMiB: d.memMiB, gpucores: d.computePct };
    case 'dra':
      return { form: 'dra', count: d.count, alternatives: draAlternatives(d, target) };
    case 'mig': {
      const model = migModelOf(target.modelId);
      if (!model) return { form: 'none', reason: `${target.modelId} has no MIG` };
      if (d.pin?.form === 'mig' && d.pin.migProfile) {
        const p = model.profiles.find((x) => x.name === d.pin!.migProfile);
        if (!p) return { form: 'none', reason: `${target.modelId} has no MIG profile ${d.pin.migProfile}` };
        return { form: 'mig', count: d.count, profile: p.name, resource: migResourceName(p.name) };
      }
      const p = smallestMigProfile(model, d, target.cardMemMiB);
      if (!p) return { form: 'none', reason: `no ${target.modelId} MIG profile holds ${demandMemMiB(d, target.cardMemMiB)} MiB${d.computePct > 0 ? ` and ${d.computePct}% compute` : ''}` };
      return { form: 'mig', count: d.count, profile: p.name, resource: migResourceName(p.name) };
    }
  }
}

/**
 * The form a profile that offers `forms` (its default first) uses for a demand: the pin when the profile offers
 * it; else MIG for a one-GPU demand that wants isolation, where offered; else the profile's default.
 */
export function chooseForm(d: GpuDemand, forms: readonly RequestForm[]): RequestForm {
  if (d.pin && forms.includes(d.pin.form)) return d.pin.form;
  if (d.isolation && d.count === 1 && forms.includes('mig')) return 'mig';
  return forms[0];
}

/** The forms each family of profiles offers, its own first (whole-GPU profiles offer only `whole`). */
export const WHOLE_FORMS: readonly RequestForm[] = ['whole'];
/** HAMi takes slices, or a plain `nvidia.com/gpu` (then the whole card). */
export const HAMI_FORMS: readonly RequestForm[] = ['hami', 'whole'];
/** k8s-mig (mixed strategy): MIG instances on MIG pools, `nvidia.com/gpu` on the others. */
export const K8S_MIG_FORMS: readonly RequestForm[] = ['mig', 'whole'];
/** hami-mig: HAMi slices on either kind of card, MIG instances (vgpu-mode mig) where isolation is wanted or pinned. */
export const HAMI_MIG_FORMS: readonly RequestForm[] = ['hami', 'mig', 'whole'];
/** k8s-dra (NVIDIA DRA driver): its claim, a MIG partition where isolation is wanted or pinned, or whole GPUs. */
export const K8S_DRA_FORMS: readonly RequestForm[] = ['dra', 'mig', 'whole'];
/** hami-dra: its capacity claim (`hami` pins the same), or a whole card (no capacity asked). */
export const HAMI_DRA_FORMS: readonly RequestForm[] = ['dra', 'hami', 'whole'];

/**
 * k8s-mig's form for a demand: the pin where offered; else a MIG instance for a one-GPU demand that wants
 * isolation or a fraction of a card (share or compute under a whole card); else whole GPUs (mixed strategy: on
 * pools without MIG).
 */
export function k8sMigForm(d: GpuDemand): RequestForm {
  if (d.pin && K8S_MIG_FORMS.includes(d.pin.form)) return d.pin.form;
  if (d.count === 1 && (d.isolation || d.shareMilli < 1000 || (d.computePct > 0 && d.computePct < 100))) return 'mig';
  return 'whole';
}

/** A request in the words a pod spec would use, e.g. `nvidia.com/mig-2g.20gb: 1`. */
export function describeRequest(r: GpuRequest): string {
  switch (r.form) {
    case 'whole':
      return `nvidia.com/gpu: ${r.count}`;
    case 'hami':
      return `nvidia.com/gpu: ${r.count}${r.gpumemMiB > 0 ? `, nvidia.com/gpumem: ${r.gpumemMiB}` : ''}${r.gpucores > 0 ? `, nvidia.com/gpucores: ${r.gpucores}` : ''}`;
    case 'mig':
      return `${r.resource}: ${r.count}`;
    case 'dra':
      return `ResourceClaim: ${r.alternatives.map(describeAlternative).join(' | ')}${r.count > 1 ? ` × ${r.count}` : ''}`;
    case 'none':
      return `no request (${r.reason})`;
  }
}

/** One DRA alternative in words, e.g. `mig.nvidia.com profile 1g.10gb`. */
function describeAlternative(a: DraAlternative): string {
  if (a.kind === 'gpu') return 'gpu.nvidia.com';
  if (a.kind === 'mig') return `mig.nvidia.com profile ${a.profile}`;
  const cap = [a.cores !== undefined ? `cores ${a.cores}` : '', a.memMiB !== undefined ? `memory ${a.memMiB} MiB` : ''].filter(Boolean).join(', ');
  return `hami-core-gpu.project-hami.io${cap ? ` (${cap})` : ''}`;
}
