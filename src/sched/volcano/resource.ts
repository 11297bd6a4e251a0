/**
 * Volcano's resource vector (pkg/scheduler/api/resource_info.go, Volcano v1.15), reduced to the four
 * dimensions Slicebench schedules: milli-CPU, memory, GPUs in milli-GPU (Volcano stores scalar resources
 * such as `nvidia.com/gpu` ×1000 too, so a whole GPU is 1000 in both) and the `pods` scalar: every task requests
 * `pods: 1` (api/pod_info.go GetPodResourceWithoutInitContainers) and a node's allocatable carries its pod
 * capacity, so pods enter the cluster total, proportion's deserved/share/overused and drf's share. Memory is MiB
 * in the simulator; the conformance adapter passes bytes through the same slot (every rule here is unit-free).
 * LessEqual uses Volcano's tolerance `minResource = 0.1` (l ≤ r when l < r or |l − r| < 0.1) on every
 * dimension; LessEqualWithDimension compares strictly; IsEmpty and LessEqualWithDimension skip `pods`
 * (ignoredScalarResources).
 */
import type { Pod } from '../../model/pod.ts';

/** [milli-CPU, memory, milli-GPU, pods]. Capabilities use Infinity for "not set". */
export type Res = [number, number, number, number];

/** Dimension names, as Volcano prints them. */
export const RES_NAMES = ['cpu', 'memory', 'nvidia.com/gpu', 'pods'] as const;

/** Index of the `pods` dimension (ignored by IsEmpty and LessEqualWithDimension). */
export const PODS = 3;

/** Volcano's minResource: the comparison tolerance and the "empty" threshold. */
export const MIN_RESOURCE = 0.1;

/** A zero vector. */
export function zero(): Res {
  return [0, 0, 0, 0];
}

/** A vector with every dimension unbounded. */
export function infinite(): Res {
  return [Infinity, Infinity, Infinity, Infinity];
}

/** A copy. */
export function clone(r: Res): Res {
  return [r[0], r[1], r[2], r[3]];
}

/** a += b, returns a. */
export function addTo(a: Res, b: Res): Res {
  a[0] += b[0];
  a[1] += b[1];
  a[2] += b[2];
  a[3] += b[3];
  return a;
}

/** a −= b, returns a. */
export function subFrom(a: Res, b: Res): Res {
  a[0] -= b[0];
  a[1] -= b[1];
  a[2] -= b[2];
  a[3] -= b[3];
  return a;
}

/** Volcano's lessEqualFunc: l < r or |l − r| < minResource. */
export function leqDim(l: number, r: number): boolean {
  return l < r || Math.abs(l - r) < MIN_RESOURCE;
}

/** Resource.LessEqual: every dimension l ≤ r (within tolerance), `pods` included. */
export function leq(l: Res, r: Res): boolean {
  return leqDim(l[0], r[0]) && leqDim(l[1], r[1]) && leqDim(l[2], r[2]) && leqDim(l[3], r[3]);
}

/**
 * Resource.LessEqualWithDimensionAndResourcesName (what proportion's allocatable and enqueue and overcommit's
 * enqueue call): l ≤ r only on the dimensions where `req` is positive, `pods` skipped, compared strictly
 * (l > r fails; no minResource tolerance).
 */
export function leqWithDimension(l: Res, r: Res, req: Res): boolean {
  for (let i = 0; i < PODS; i++) if (req[i] > 0 && l[i] > r[i]) return false;
  return true;
}

/** Resource.IsEmpty: every dimension but `pods` below minResource (a BestEffort task still asks one pod). */
export function isEmpty(r: Res): boolean {
  return r[0] < MIN_RESOURCE && r[1] < MIN_RESOURCE && r[2] < MIN_RESOURCE;
}

/** Exact equality (Go's reflect.DeepEqual on the vectors). */
export function equal(a: Res, b: Res): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** Per-dimension minimum, in place on a (Resource.MinDimensionResource). */
export function minInto(a: Res, b: Res): Res {
  for (let i = 0; i < 4; i++) if (b[i] < a[i]) a[i] = b[i];
  return a;
}

/** Per-dimension maximum, new vector (helpers.Max). */
export function max(a: Res, b: Res): Res {
  return [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** Per-dimension max(a − b, 0) (api.ExceededPart). */
export function exceededPart(a: Res, b: Res): Res {
  return [Math.max(a[0] - b[0], 0), Math.max(a[1] - b[1], 0), Math.max(a[2] - b[2], 0), Math.max(a[3] - b[3], 0)];
}

/** Resource.Diff: [increased, decreased] with increased = max(a − b, 0), decreased = max(b − a, 0). */
export function diff(a: Res, b: Res): [Res, Res] {
  return [exceededPart(a, b), exceededPart(b, a)];
}

/** helpers.Share: l/r, with 0/0 = 0 and x/0 = 1. */
export function share(l: number, r: number): number {
  if (r === 0) return l === 0 ? 0 : 1;
  return l / r;
}

/**
 * Volcano's dominant share of `allocated` against `base` over the dimensions where `base` ≥ minResource
 * (Resource.ResourceNames skips the others): max_r allocated_r / base_r, 0 when no dimension counts.
 */
export function dominantShare(allocated: Res, base: Res): number {
  let s = 0;
  for (let i = 0; i < 4; i++) if (base[i] >= MIN_RESOURCE) s = Math.max(s, share(allocated[i], base[i]));
  return s;
}

/**
 * A pod's Volcano Resreq: cpu, memory, GPUs in milli-GPU and one pod. `wholeGpus` (the device-plugin profile)
 * rounds a fractional GPU up to a whole one (`nvidia.com/gpu` is an integer); otherwise GPU share = count × milli.
 */
export function podResreq(pod: Pod, wholeGpus: boolean): Res {
  const r = pod.request;
  const gpu = r.gpuCount === 0 ? 0 : wholeGpus ? r.gpuCount * 1000 : r.gpuCount * r.gpuMilli;
  return [r.cpuMilli, r.memMiB, gpu, 1];
}

/** A short human form, e.g. `cpu 2000, memory 4096, nvidia.com/gpu 1000`. */
export function format(r: Res): string {
  return RES_NAMES.map((n, i) => `${n} ${Number.isFinite(r[i]) ? Math.round(r[i] * 100) / 100 : '∞'}`).join(', ');
}
