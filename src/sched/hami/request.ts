/**
 * HAMi request handling, v2.10.0: the admission webhook's defaults (pkg/device/nvidia/device.go
 * MutateAdmission / mutateContainerResource) and the scheduler-side normalization of a container's limits into a
 * request (GenerateResourceRequests). Also the mapping of our PodRequest onto HAMi's resources.
 */
import type { PodRequest } from '../../model/pod.ts';
import { NVIDIA_DEVICE, type HamiRequest } from './types.ts';
import { HAMI_FORMS, chooseForm, demandOf } from '../../scenario/gpuDemand.ts';

/** A container's HAMi resource limits; an absent key is an unset resource. */
export interface ContainerResources {
  /** `nvidia.com/gpu` */
  gpu?: number;
  /** `nvidia.com/gpumem`, MiB */
  gpumem?: number;
  /** `nvidia.com/gpumem-percentage` */
  gpumemPercentage?: number;
  /** `nvidia.com/gpucores` */
  gpucores?: number;
}

/** Scheduler configuration that shapes requests (HAMi NvidiaConfig). */
export interface RequestConfig {
  /** Multiplies `nvidia.com/gpumem` (HAMi memoryFactor, default 1). */
  memoryFactor: number;
  /** defaultMemory, MiB (0 = book by percentage 100). */
  defaultMemMiB: number;
  /** defaultCores, percent. */
  defaultCores: number;
}

/** Go's math.MaxInt32: HAMi keeps the memory request in an int32. */
const INT32_MAX = 2147483647;

export const DEFAULT_REQUEST_CONFIG: Readonly<RequestConfig> = Object.freeze({ memoryFactor: 1, defaultMemMiB: 0, defaultCores: 0 });

/**
 * Normalizes a container's limits (GenerateResourceRequests): no `nvidia.com/gpu` ⇒ no request; gpumem ×
 * memoryFactor, no request at all when gpumem is not a whole number in 0..MaxInt32/factor; percentage > 100 clamps to 100, ≤ 0 counts as unset; no memory at all ⇒ defaultMemory if set,
 * else percentage 100; gpucores unset ⇒ defaultCores.
 */
export function normalizeRequest(res: ContainerResources, config: RequestConfig = DEFAULT_REQUEST_CONFIG): HamiRequest | null {
  if (res.gpu === undefined || res.gpu <= 0) return null;
  let memMiB = 0;
  if (res.gpumem !== undefined) {
    // A gpumem that is not a whole number within int32 (after the factor) drops the request rather than wrap
    // around (HAMi v2.10.0 pkg/device/nvidia/device.go GenerateResourceRequests).
    const factor = Math.max(Math.trunc(config.memoryFactor), 1);
    if (!Number.isInteger(res.gpumem) || res.gpumem < 0 || res.gpumem > Math.trunc(INT32_MAX / factor)) return null;
    memMiB = res.gpumem * factor;
  }
  let memPercent: number | null = null;
  if (res.gpumemPercentage !== undefined && res.gpumemPercentage > 0) memPercent = Math.min(100, res.gpumemPercentage);
  if (memPercent === null && memMiB === 0) {
    if (config.defaultMemMiB !== 0) memMiB = config.defaultMemMiB;
    else memPercent = 100;
  }
  const cores = res.gpucores !== undefined ? res.gpucores : config.defaultCores;
  return { gpuCount: res.gpu, gpuType: NVIDIA_DEVICE, memMiB, memPercent, cores };
}

/**
 * Webhook: a container without gpucores that asks for the whole card (percentage 100, or neither gpumem nor
 * percentage) gets gpucores = 100 (exclusive). Returns the gpucores the container ends up with, null = unset.
 */
export function admissionDefaultCores(res: ContainerResources): number | null {
  if (res.gpucores !== undefined) return res.gpucores;
  const pct = res.gpumemPercentage;
  if (pct === 100 || (res.gpumem === undefined && pct === undefined)) return 100;
  return null;
}

/** Webhook: a container is a GPU container if it sets `nvidia.com/gpu`, or sets gpumem/percentage/gpucores and defaultGPUNum > 0. */
export function admissionIsGpuContainer(res: ContainerResources, defaultGpuNum = 1): boolean {
  if (res.gpu !== undefined) return true;
  const other = res.gpucores !== undefined || res.gpumem !== undefined || res.gpumemPercentage !== undefined;
  return other && defaultGpuNum > 0;
}

/** Webhook validation: gpumem-percentage outside 0..100 is rejected. */
export function admissionRejects(res: ContainerResources): boolean {
  const pct = res.gpumemPercentage;
  return pct !== undefined && (pct < 0 || pct > 100);
}

/** The webhook's mutation: injects `nvidia.com/gpu` = defaultGPUNum and the exclusive default gpucores. */
export function admit(res: ContainerResources, defaultGpuNum = 1): ContainerResources {
  if (!admissionIsGpuContainer(res, defaultGpuNum)) return res;
  const out: ContainerResources = { ...res };
  if (out.gpu === undefined) out.gpu = defaultGpuNum;
  const cores = admissionDefaultCores(out);
  if (cores !== null) out.gpucores = cores;
  return out;
}

/**
 * Our PodRequest as HAMi resources: gpuCount = `nvidia.com/gpu`, gpuMemMiB = `nvidia.com/gpumem` (0 = unset),
 * gpuCores = `nvidia.com/gpucores` (0 = unset). gpuMilli is not a HAMi resource and is ignored.
 */
export function podResources(r: PodRequest): ContainerResources {
  const res: ContainerResources = {};
  if (r.gpuCount > 0) res.gpu = r.gpuCount;
  // issue 17: a workload pinned to whole GPUs asks for `nvidia.com/gpu` only (scenario/gpuDemand.ts HAMI_FORMS).
  if (r.pin && chooseForm(demandOf(r), HAMI_FORMS) === 'whole') return res;
  if (r.gpuMemMiB > 0) res.gpumem = r.gpuMemMiB;
  if (r.gpuCores > 0) res.gpucores = r.gpuCores;
  return res;
}

/** The HAMi request of one of our pods after admission and normalization; null when it asks for no GPU. */
export function podHamiRequest(r: PodRequest, config: RequestConfig = DEFAULT_REQUEST_CONFIG): HamiRequest | null {
  return normalizeRequest(admit(podResources(r)), config);
}

/** Go's strconv.ParseBool; anything it rejects is false (HAMi treats a parse error as "not set"). */
export function parseGoBool(raw: string | undefined | null): boolean {
  if (raw === undefined || raw === null) return false;
  return raw === '1' || raw === 't' || raw === 'T' || raw === 'true' || raw === 'TRUE' || raw === 'True';
}
