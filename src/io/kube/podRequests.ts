/**
 * What a pod (or a pod template) asks for, as the scheduler counts it: per resource the sum over containers and
 * sidecars, or the largest init container (with the sidecars started before it) if that is more (kube's effective
 * request). CPU and memory use requests (else limits); extended resources (`nvidia.com/*`) use limits (else
 * requests). Environment values are never read.
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
  // One container's counted amounts (cpu, memory, GPUs) and per-GPU shape (HAMi's names or Volcano vGPU's: a
  // container uses one family), read at `field` for error messages.
  const amounts = (c: Record<string, unknown>, f: string): PodRequests => ({
    cpuMilli: read(c, f, 'cpu', cpuMilliOf, false),
    memMiB: read(c, f, 'memory', memMiBOf, false),
    gpus: read(c, f, RES_GPU, WHOLE, true) + read(c, f, VGPU_NUMBER, WHOLE, true),
    gpuMemMiB: Math.max(read(c, f, RES_GPUMEM, WHOLE, true), read(c, f, VGPU_MEMORY, WHOLE, true)),
    gpuMemPct: Math.max(read(c, f, RES_GPUMEM_PCT, WHOLE, true), read(c, f, VGPU_MEMORY_PCT, WHOLE, true)),
    gpuCores: Math.max(read(c, f, RES_GPUCORES, WHOLE, true), read(c, f, VGPU_CORES, WHOLE, true)),
  });
  // Adds a container that runs for the pod's whole life; per-GPU amounts: a pod's containers share the card shape,
  // so the largest is the pod's.
  const addLongRunning = (r: PodRequests): void => {
    sum.cpuMilli += r.cpuMilli;
    sum.memMiB += r.memMiB;
    sum.gpus += r.gpus;
    sum.gpuMemMiB = Math.max(sum.gpuMemMiB, r.gpuMemMiB);
    sum.gpuMemPct = Math.max(sum.gpuMemPct, r.gpuMemPct);
    sum.gpuCores = Math.max(sum.gpuCores, r.gpuCores);
  };
  const listOf = (name: string): unknown[] => (Array.isArray(spec[name]) ? (spec[name] as unknown[]) : []);
  listOf('containers').forEach((c, i) => {
    if (isObj(c)) addLongRunning(amounts(c, `containers[${i}]`));
  });
  // kube v1.34 AggregateContainerRequests (k8s.io/component-helpers resource/helpers.go): a sidecar (an init
  // container with restartPolicy Always) runs beside the app containers, so it adds to the sum; a regular init
  // container runs beside the sidecars listed before it, and the largest such moment is the init phase's request.
  // The kubelet's device manager holds GPUs the same way (pkg/kubelet/cm/devicemanager/manager.go Allocate: a
  // regular init container's devices go to the pod's reuse pool for the app containers, a sidecar's stay its own).
  const sidecarsSoFar = { cpuMilli: 0, memMiB: 0, gpus: 0 };
  listOf('initContainers').forEach((c, i) => {
    if (!isObj(c)) return;
    const r = amounts(c, `initContainers[${i}]`);
    const sidecar = c.restartPolicy === 'Always';
    if (sidecar) {
      addLongRunning(r);
      sidecarsSoFar.cpuMilli += r.cpuMilli;
      sidecarsSoFar.memMiB += r.memMiB;
      sidecarsSoFar.gpus += r.gpus;
    }
    // A regular init container's per-GPU amounts are left out: HAMi books them only until every init container has
    // succeeded (v2.10.0 pkg/scheduler/scheduler.go onUpdatePod, AppContainersOnlyDeviceUsage), and an imported
    // pod's init containers take no simulated time.
    const extra = sidecar ? { cpuMilli: 0, memMiB: 0, gpus: 0 } : r;
    init.cpuMilli = Math.max(init.cpuMilli, sidecarsSoFar.cpuMilli + extra.cpuMilli);
    init.memMiB = Math.max(init.memMiB, sidecarsSoFar.memMiB + extra.memMiB);
    init.gpus = Math.max(init.gpus, sidecarsSoFar.gpus + extra.gpus);
  });
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
