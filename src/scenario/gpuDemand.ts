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
 *
 * A scenario may pin a workload's form (`workloads[i].gpuRequest`); a profile that offers the pinned form uses it,
 * one that offers a single form keeps its own (the UI and "why here?" say which form a pod used). This is the one
 * place a demand becomes a request: add a mechanism by adding its form to `REQUEST_FORMS`, `GpuRequest` and
 * `translateDemand` (the DRA claim form is added the same way).
 */
import { hamiMigCore, migModelOf, migResourceName, type MigModel, type MigProfile } from './migCatalog.ts';

/** The request forms a demand can take. */
export const REQUEST_FORMS = ['whole', 'hami', 'mig'] as const;
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
  /** `mig` asked of a model where no profile holds the demand (or the pinned profile is unknown): the reason. */
  | { form: 'none'; reason: string };

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
  const needMiB = demandMemMiB(demand, cardMemMiB);
  const cands = model.profiles
    .filter((p) => !p.name.includes('+') && (!allow || allow.includes(p.name)))
    .slice()
    .sort((a, b) => a.memMiB - b.memMiB || a.memSlices - b.memSlices || a.g - b.g);
  return cands.find((p) => p.memMiB >= needMiB && hamiMigCore(p.g, model.computeSlices) >= Math.min(demand.computePct, 100));
}

/** Where a translation may look: the GPU model of the node (catalog id) and its card memory. */
export interface TranslateTarget {
  modelId: string;
  cardMemMiB: number;
}

/** Translates a demand into the request of one form on one GPU model. */
export function translateDemand(d: GpuDemand, form: RequestForm, target: TranslateTarget): GpuRequest {
  switch (form) {
    case 'whole':
      return { form: 'whole', count: d.count };
    case 'hami':
      return { form: 'hami', count: d.count, gpumemMiB: d.memMiB, gpucores: d.computePct };
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

/** A request in the words a pod spec would use, e.g. `nvidia.com/mig-2g.20gb: 1`. */
export function describeRequest(r: GpuRequest): string {
  switch (r.form) {
    case 'whole':
      return `nvidia.com/gpu: ${r.count}`;
    case 'hami':
      return `nvidia.com/gpu: ${r.count}${r.gpumemMiB > 0 ? `, nvidia.com/gpumem: ${r.gpumemMiB}` : ''}${r.gpucores > 0 ? `, nvidia.com/gpucores: ${r.gpucores}` : ''}`;
    case 'mig':
      return `${r.resource}: ${r.count}`;
    case 'none':
      return `no request (${r.reason})`;
  }
}
