/**
 * An imported pod's effective request with init containers and sidecars (issue 13), derived from kube v1.34
 * AggregateContainerRequests (k8s.io/component-helpers resource/helpers.go): app containers and sidecars (init
 * containers with restartPolicy Always) add up; each regular init container counts with the sidecars listed before
 * it; the pod asks the larger of the two, per resource. For whole GPUs this is also what the kubelet's device
 * manager holds for the pod's life (pkg/kubelet/cm/devicemanager/manager.go Allocate, devicesToAllocate).
 */
import { describe, expect, it } from 'vitest';
import { podRequestsOf } from '../../../src/io/kube/podRequests.ts';

/** A container asking `cpu` cores and `gpus` whole GPUs (limits, as extended resources are read). */
function ctr(name: string, cpu: number, gpus = 0, restartPolicy?: string): Record<string, unknown> {
  const c: Record<string, unknown> = { name, resources: { requests: { cpu: String(cpu) }, limits: gpus ? { 'nvidia.com/gpu': String(gpus) } : {} } };
  if (restartPolicy) c.restartPolicy = restartPolicy;
  return c;
}

function requests(spec: Record<string, unknown>): { cpuMilli: number; gpus: number; errors: string[] } {
  const errors: string[] = [];
  const r = podRequestsOf(spec, 'pods/p', errors);
  return { cpuMilli: r.cpuMilli, gpus: r.gpus, errors };
}

describe('podRequestsOf: init containers and sidecars', () => {
  it('a regular init container counts alone: max(Σ app, each init)', () => {
    // app 1 + 1 CPU, 1 GPU; init 3 CPU, 2 GPUs → cpu max(2, 3) = 3, GPUs max(1, 2) = 2 (the kubelet lends the init
    // container's 2 GPUs to the app container, and the pod holds both until it ends)
    expect(requests({ initContainers: [ctr('fetch', 3, 2)], containers: [ctr('a', 1, 1), ctr('b', 1)] })).toEqual({ cpuMilli: 3000, gpus: 2, errors: [] });
  });

  it('a sidecar runs beside the app containers: it adds to the sum', () => {
    // app 2 CPU, 1 GPU; sidecar 1 CPU, 1 GPU → Σ = 3 CPU, 2 GPUs; init moment = the sidecar alone (1, 1) → 3 CPU, 2 GPUs
    expect(requests({ initContainers: [ctr('proxy', 1, 1, 'Always')], containers: [ctr('app', 2, 1)] })).toEqual({ cpuMilli: 3000, gpus: 2, errors: [] });
  });

  it('a regular init container runs beside the sidecars listed before it, not those after', () => {
    // sidecar s1 (1 CPU, 1 GPU), init i (3 CPU, 2 GPUs), sidecar s2 (1 CPU); app 1 CPU
    // Σ = app 1 + s1 1 + s2 1 = 3 CPU, 1 GPU; moments: s1 = (1, 1), i + s1 = (4, 3), s1 + s2 = (2, 1) → (4, 3)
    const spec = { initContainers: [ctr('s1', 1, 1, 'Always'), ctr('i', 3, 2), ctr('s2', 1, 0, 'Always')], containers: [ctr('app', 1)] };
    expect(requests(spec)).toEqual({ cpuMilli: 4000, gpus: 3, errors: [] });
    // the same init container listed first runs before both sidecars: moments i = (3, 2), s1 = (1, 1), s1 + s2 = (2, 1)
    // → max(Σ (3, 1), (3, 2)) = 3 CPU, 2 GPUs
    const first = { initContainers: [ctr('i', 3, 2), ctr('s1', 1, 1, 'Always'), ctr('s2', 1, 0, 'Always')], containers: [ctr('app', 1)] };
    expect(requests(first)).toEqual({ cpuMilli: 3000, gpus: 2, errors: [] });
  });

  it('only restartPolicy Always makes a sidecar; a bad quantity in one names its path', () => {
    // restartPolicy OnFailure is not a sidecar: max(1, 2) = 2
    expect(requests({ initContainers: [ctr('i', 2, 0, 'OnFailure')], containers: [ctr('app', 1)] }).cpuMilli).toBe(2000);
    const bad = requests({ initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: 'lots' } } }], containers: [ctr('app', 1)] });
    expect(bad.errors).toEqual(['pods/p: spec.initContainers[0].resources.requests["cpu"]: not a quantity: "lots"']);
  });
});
