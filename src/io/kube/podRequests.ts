/**
 * What a pod (or a pod template) asks for, as the scheduler counts it: per resource the sum over containers,
 * or the largest init container if that is more (kube's effective request). CPU and memory use requests (else
 * limits); extended resources (`nvidia.com/*`) use limits (else requests). Environment values are never read.
 */
import { RES_GPU, RES_GPUCORES, RES_GPUMEM, RES_GPUMEM_PCT, VGPU_CORES, VGPU_MEMORY, VGPU_MEMORY_PCT, VGPU_NUMBER } from './kubeNames.ts';
import { cpuMilliOf, memMiBOf, parseQuantity } from './quantity.ts';
import { isObj } from './snapshot.ts';

export interface PodRequests {
  cpuMilli: number;
  memMiB: number;
  /** Physical GPUs (`nvidia.com/gpu`). */
  gpus: number;
  /** HAMi per-GPU memory (MiB), memory percentage and cores; 0 = not asked. */
  gpuMemMiB: number;
  gpuMemPct: number;
  gpuCores: number;
}

type Reader = (v: unknown) => number;

const WHOLE: Reader = (v) => {
  const x = parseQuantity(v);
  return Number.isInteger(x) && x >= 0 ? x : NaN;
};

/** Reads the requests of a pod spec; each bad quantity adds `<ref>: spec.containers[i].resources.<where>["<name>"]: ...`. */
export function podRequestsOf(spec: Record<string, unknown>, ref: string, errors: string[], path = 'spec'): PodRequests {
  const sum: PodRequests = { cpuMilli: 0, memMiB: 0, gpus: 0, gpuMemMiB: 0, gpuMemPct: 0, gpuCores: 0 };
  const init: PodRequests = { ...sum };
  const read = (c: Record<string, unknown>, field: string, name: string, reader: Reader, extended: boolean): number => {
    const res = isObj(c.resources) ? c.resources : {};
    const limits = isObj(res.limits) ? res.limits : {};
    const requests = isObj(res.requests) ? res.requests : {};
    const [first, second] = extended ? [['limits', limits], ['requests', requests]] as const : [['requests', requests], ['limits', limits]] as const;
    const where = first[1][name] !== undefined ? first : second;
    const v = where[1][name];
    if (v === undefined) return 0;
    const x = reader(v);
    if (!(x >= 0)) {
      errors.push(`${ref}: ${path}.${field}.resources.${where[0]}["${name}"]: not a ${extended ? 'whole number' : 'quantity'}: ${JSON.stringify(v)}`);
      return 0;
    }
    return x;
  };
  for (const [list, into, combine] of [['containers', sum, (a: number, b: number) => a + b], ['initContainers', init, Math.max]] as const) {
    const cs = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
    cs.forEach((c, i) => {
      if (!isObj(c)) return;
      const f = `${list}[${i}]`;
      into.cpuMilli = combine(into.cpuMilli, read(c, f, 'cpu', cpuMilliOf, false));
      into.memMiB = combine(into.memMiB, read(c, f, 'memory', memMiBOf, false));
      // HAMi's names or Volcano vGPU's: a container uses one family.
      into.gpus = combine(into.gpus, read(c, f, RES_GPU, WHOLE, true) + read(c, f, VGPU_NUMBER, WHOLE, true));
      // Per-GPU amounts: a pod's containers share the card shape, so the largest is the pod's.
      into.gpuMemMiB = Math.max(into.gpuMemMiB, read(c, f, RES_GPUMEM, WHOLE, true), read(c, f, VGPU_MEMORY, WHOLE, true));
      into.gpuMemPct = Math.max(into.gpuMemPct, read(c, f, RES_GPUMEM_PCT, WHOLE, true), read(c, f, VGPU_MEMORY_PCT, WHOLE, true));
      into.gpuCores = Math.max(into.gpuCores, read(c, f, RES_GPUCORES, WHOLE, true), read(c, f, VGPU_CORES, WHOLE, true));
    });
  }
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) errors.push(`${ref}: ${path}.containers: a pod needs at least one container`);
  return {
    cpuMilli: Math.max(sum.cpuMilli, init.cpuMilli),
    memMiB: Math.max(sum.memMiB, init.memMiB),
    gpus: Math.max(sum.gpus, init.gpus),
    gpuMemMiB: sum.gpuMemMiB,
    gpuMemPct: sum.gpuMemPct,
    gpuCores: sum.gpuCores,
  };
}
