/**
 * Bad input for the DRA profiles (issue 17): a workload whose claim no device could ever satisfy under a
 * `k8s-dra` or `hami-dra` scheduler of the scenario, named by its JSON path. The allocator itself would only leave
 * such pods pending ("cannot allocate all claims"), which is what kube-scheduler does; a scenario that asks it is
 * almost certainly a mistake, so validation says which field and why before anything runs.
 *
 * - hami-dra: the HAMi-DRA driver's `memory` capacity policy has validRange.max = the card's memory
 *   (k8s-dra-driver cmd/hami-kubelet-plugin/hami_core.go), so a share asking more memory than every card it may
 *   use has violates the policy on every device.
 * - k8s-dra: a workload pinned to a MIG profile (`gpuRequest.migProfile`) needs a device of class
 *   `mig.nvidia.com` with that profile: one a pool's static layout creates, or, with `dynamicMig`, one the GPU
 *   model offers.
 */
import { layoutInstances, migEnabled, migModelOf } from './migCatalog.ts';
import { profileInfo } from './profileCatalog.ts';
import type { GpuModel } from './gpuCatalog.ts';
import type { NodePoolSpec, Scenario, WorkloadSpec } from './types.ts';

/** The per-GPU memory a workload's pods ask (MiB), with the JSON path of the field; 0 = none stated. */
function memoryAsks(w: WorkloadSpec, path: string): { mib: number; field: string }[] {
  switch (w.kind) {
    case 'training':
    case 'inference':
    case 'agent':
      return [{ mib: w.gpuMemMiB, field: `${path}.gpuMemMiB` }];
    case 'batch':
      return w.gpus > 0 ? [{ mib: w.gpuMemMiB ?? 0, field: `${path}.gpuMemMiB` }] : [];
    case 'raycluster':
      return w.workerGroups.map((g, k) => ({ mib: g.gpusPerWorker > 0 ? g.gpuMemMiB : 0, field: `${path}.workerGroups[${k}].gpuMemMiB` }));
    case 'trace':
      return [];
  }
}

/** The pools a workload may land on (its `gpuModels`, where it has one). */
function poolsFor(w: WorkloadSpec, pools: readonly NodePoolSpec[]): NodePoolSpec[] {
  const models = w.kind === 'batch' ? w.gpuModels : undefined;
  return pools.filter((p) => p.gpusPerNode > 0 && (!models || models.length === 0 || models.includes(p.gpuModel)));
}

/** Messages naming the field of every workload a DRA scheduler of the scenario could never place; [] when none. */
export function draClaimProblems(s: Scenario, catalog: Readonly<Record<string, GpuModel>>): string[] {
  const errors: string[] = [];
  s.schedulers.forEach((sched, j) => {
    const info = profileInfo(sched.profile);
    if (!info || (sched.profile !== 'k8s-dra' && sched.profile !== 'hami-dra')) return;
    const options = { ...(info.defaults as Record<string, unknown>), ...(sched.options ?? {}) };
    const who = `schedulers[${j}] (${sched.label ?? sched.profile})`;
    s.workloads.forEach((w, i) => {
      const path = `workloads[${i}]`;
      const pools = poolsFor(w, s.cluster.pools);
      if (pools.length === 0) return;
      if (sched.profile === 'hami-dra') {
        const largest = pools.reduce((best, p) => ((catalog[p.gpuModel]?.memMiB ?? 0) > (catalog[best.gpuModel]?.memMiB ?? 0) ? p : best), pools[0]);
        const max = catalog[largest.gpuModel]?.memMiB ?? 0;
        for (const ask of memoryAsks(w, path)) {
          if (ask.mib > max) errors.push(`${ask.field}: ${ask.mib} MiB is over the maximum of HAMi-DRA's memory capacity policy on every GPU it may use (largest ${max} MiB, ${largest.gpuModel}), so ${who} can never place it`);
        }
        return;
      }
      const profile = w.gpuRequest?.form === 'mig' ? w.gpuRequest.migProfile : undefined;
      if (!profile) return;
      const offered = pools.some((p) => {
        const model = migModelOf(p.gpuModel);
        if (!model) return false;
        if (options.dynamicMig === true) return model.profiles.some((x) => x.name === profile && !x.name.includes('+'));
        if (!migEnabled(p.mig)) return false;
        const inst = layoutInstances(p.gpuModel, p.mig!);
        return inst.ok && inst.instances.some((x) => x.profile === profile);
      });
      if (!offered) errors.push(`${path}.gpuRequest.migProfile: no device of class mig.nvidia.com has profile ${profile} under ${who}: give a pool a MIG layout with it, or turn on dynamicMig`);
    });
  });
  return errors;
}
