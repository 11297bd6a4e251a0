/**
 * Bad input for the DRA profiles (issue 17): a claim no device class can satisfy under a `k8s-dra` scheduler of
 * the scenario, named by its JSON path. A workload pinned to a MIG profile (`gpuRequest.migProfile`) claims a
 * device of class `mig.nvidia.com` with that profile wherever a pool publishes MIG devices (a static layout, or
 * every MIG-capable GPU with `dynamicMig`), and whole GPUs elsewhere; when every pool it may use publishes MIG
 * devices and none has the profile, no device can ever satisfy the claim. The allocator itself would only leave such pods pending ("cannot allocate all claims"), which
 * is what kube-scheduler does; a scenario that pins a profile nothing offers is a mistake, so validation says so.
 *
 * A HAMi-DRA request over the memory capacity policy's maximum is not refused here: the same scenario is valid
 * under every other profile (its pods wait), so under hami-dra they wait too, and their pending reason names the
 * claim field and the maximum (src/sched/dra/allocator.ts: "capacity.requests.memory of request gpu: … is over
 * the request policy's maximum …").
 */
import { layoutInstances, migEnabled, migModelOf } from './migCatalog.ts';
import { profileInfo } from './profileCatalog.ts';
import type { NodePoolSpec, Scenario, WorkloadSpec } from './types.ts';

/** The pools a workload may land on (its `gpuModels`, where it has one). */
function poolsFor(w: WorkloadSpec, pools: readonly NodePoolSpec[]): NodePoolSpec[] {
  const models = w.kind === 'batch' ? w.gpuModels : undefined;
  return pools.filter((p) => p.gpusPerNode > 0 && (!models || models.length === 0 || models.includes(p.gpuModel)));
}

/** Messages naming the field of every workload a DRA scheduler of the scenario could never place; [] when none. */
export function draClaimProblems(s: Scenario): string[] {
  const errors: string[] = [];
  s.schedulers.forEach((sched, j) => {
    const info = profileInfo(sched.profile);
    if (!info || sched.profile !== 'k8s-dra') return;
    const options = { ...(info.defaults as Record<string, unknown>), ...(sched.options ?? {}) };
    const who = `schedulers[${j}] (${sched.label ?? sched.profile})`;
    s.workloads.forEach((w, i) => {
      const path = `workloads[${i}]`;
      const pools = poolsFor(w, s.cluster.pools);
      if (pools.length === 0) return;
      const profile = w.gpuRequest?.form === 'mig' ? w.gpuRequest.migProfile : undefined;
      if (!profile) return;
      // A pool that publishes no MIG device gives the pod whole GPUs (the device model's fallback, as k8s-mig's
      // non-MIG pools do); only when every pool publishes MIG devices and none has the profile can nothing place it.
      const satisfiable = pools.some((p) => {
        const model = migModelOf(p.gpuModel);
        if (!model) return true;
        if (options.dynamicMig === true) return model.profiles.some((x) => x.name === profile && !x.name.includes('+'));
        if (!migEnabled(p.mig)) return true;
        const inst = layoutInstances(p.gpuModel, p.mig!);
        return inst.ok && inst.instances.some((x) => x.profile === profile);
      });
      if (!satisfiable) errors.push(`${path}.gpuRequest.migProfile: no device of class mig.nvidia.com has profile ${profile} under ${who}: every pool the workload may use publishes MIG devices, none of this profile`);
    });
  });
  return errors;
}
