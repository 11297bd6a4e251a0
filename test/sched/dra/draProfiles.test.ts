/**
 * The DRA profiles on the framework: k8s-dra (NVIDIA DRA driver, whole GPUs) and hami-dra (HAMi-DRA, one
 * multi-allocatable device per card with `cores` and `memory` consumable capacity). Expected placements follow
 * from the v1.34 allocator's first fit (allocator_experimental.go) and the HAMi-DRA driver's capacity policies
 * (k8s-dra-driver cmd/hami-kubelet-plugin/hami_core.go; domain-mig-dra.md §6.7.7).
 */
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/sched/profiles/index.ts';
import type { ProfileEnv } from '../../../src/sched/profiles/types.ts';
import type { Scheduler } from '../../../src/sched/framework.ts';
import type { ClusterState } from '../../../src/model/cluster.ts';
import type { Pod } from '../../../src/model/pod.ts';
import { Rng } from '../../../src/core/rng.ts';
import { allocate } from '../../../src/sched/dra/allocator.ts';
import { nvidiaDraModel } from '../../../src/sched/dra/nvidiaDriver.ts';
import { NVML_TOTAL_MIB } from '../../../src/scenario/gpuCatalog.ts';

/** An H100's memory as NVML reports it (the catalog's figure), MiB. */
const H100_MIB = NVML_TOTAL_MIB.H100;
import { cluster, ctx, node, pod } from '../../builders/index.ts';

function scheduler(name: string, c: ClusterState, options: Record<string, unknown> = {}): Scheduler {
  return createScheduler(name, options, { cluster: c, rng: new Rng(1), scenario: undefined as unknown as ProfileEnv['scenario'] });
}

/** Schedules pods one cycle at a time, in order; returns each pod's GPU indices (null = pending). */
function place(s: Scheduler, c: ClusterState, pods: Pod[]): (number[] | null)[] {
  for (const p of pods) s.cycle([p], ctx(c));
  return pods.map((p) => (p.binding ? p.binding.gpus.map((g) => g.gpu) : null));
}

describe('hami-dra: shares by consumable capacity, first fit', () => {
  it('packs shares onto the first card while Σ cores ≤ 100, then moves to the next', () => {
    const c = cluster(node().gpus(2, 'H100').cpu(64000).mem(262144));
    const s = scheduler('hami-dra', c);
    // 40 + 40 = 80 cores on gpu 0; a third 40 would make 120 > 100, so it takes gpu 1 (first fit: no card score).
    const pods = [1, 2, 3].map(() => pod().gpus(1).gpuMem(10240).gpuCores(40).build());
    expect(place(s, c, pods)).toEqual([[0], [0], [1]]);
    expect(pods[0].binding!.gpus[0]).toMatchObject({ cores: 40, memMiB: 10240, milli: 400 });
  });

  it('a share without gpucores consumes the default 100 cores: the card is then exclusive', () => {
    const c = cluster(node().gpus(1, 'H100').cpu(64000).mem(262144));
    const s = scheduler('hami-dra', c);
    const [a, b] = place(s, c, [pod().gpus(1).gpuMem(10240).build(), pod().gpus(1).gpuMem(10240).gpuCores(10).build()]);
    expect(a).toEqual([0]);
    expect(b).toBeNull();
  });

  it('a pending claim says which capacity blocked it', () => {
    const c = cluster(node().gpus(1, 'H100').cpu(64000).mem(262144));
    const s = scheduler('hami-dra', c);
    const pods = [pod().gpus(1).gpuMem(61440).gpuCores(20).build(), pod().gpus(1).gpuMem(30720).gpuCores(20).build()];
    place(s, c, pods);
    // 60 GiB + 30 GiB > 80 GiB of memory capacity.
    expect(pods[1].lastReason).toBe('0/1 nodes are available: 1 cannot allocate all claims (capacity memory exhausted for gpu).');
  });

  it('a request over the capacity policy maximum names the capacity and the maximum', () => {
    const c = cluster(node().gpus(1, 'H100').cpu(64000).mem(262144));
    const s = scheduler('hami-dra', c);
    const p = pod().gpus(1).gpuMem(90000).gpuCores(20).build();
    place(s, c, [p]);
    // The card's memory (an H100: 81,559 MiB as NVML reports it) is the memory policy's validRange.max.
    expect(p.lastReason).toContain(`capacity.requests.memory of request gpu: 90000 is over the request policy's maximum ${H100_MIB}`);
  });

  it('frees the capacity when a pod leaves', () => {
    const c = cluster(node().gpus(1, 'H100').cpu(64000).mem(262144));
    const s = scheduler('hami-dra', c);
    const [a, b] = [pod().gpus(1).gpuMem(61440).gpuCores(60).build(), pod().gpus(1).gpuMem(30720).gpuCores(60).build()];
    place(s, c, [a, b]);
    expect(b.binding).toBeNull();
    c.unbind(a);
    s.cycle([b], ctx(c));
    expect(b.binding?.gpus.map((g) => g.gpu)).toEqual([0]);
  });
});

describe('k8s-dra: the NVIDIA DRA driver with whole GPUs', () => {
  it('each claim takes a whole free GPU, first in device order; a fractional pod books the whole card', () => {
    const c = cluster(node().gpus(2, 'H100').cpu(64000).mem(262144));
    const s = scheduler('k8s-dra', c);
    const pods = [pod().gpus(1, 300).build(), pod().gpus(1, 300).build(), pod().gpus(1, 300).build()];
    expect(place(s, c, pods)).toEqual([[0], [1], null]);
    expect(pods[0].binding!.gpus[0]).toMatchObject({ milli: 1000, memMiB: H100_MIB });
    expect(pods[2].lastReason).toBe('0/1 nodes are available: 1 cannot allocate all claims (every gpu.nvidia.com device for gpu is allocated).');
  });

  it('a multi-GPU claim gets distinct devices', () => {
    const c = cluster(node().gpus(4, 'H100').cpu(64000).mem(262144));
    const s = scheduler('k8s-dra', c);
    expect(place(s, c, [pod().gpus(1).build(), pod().gpus(2).build()])).toEqual([[0], [1, 2]]);
  });
});

describe('k8s-dra with DynamicMIG: MIG partitions over shared memory-slice counters', () => {
  const h100 = (): ClusterState => cluster(node().gpus(1, 'H100').cpu(64000).mem(262144));
  // 8 GiB and 10% compute: every H100 profile from 1g.10gb up holds it (1g core figure ceil(100/7) = 15 ≥ 10).
  const small = (): Pod => pod().gpus(1, 100).gpuMem(8192).gpuCores(10).build();

  it('seven 1g.10gb partitions fill the memory slices 0–6; the eighth claim finds no free placement of any profile', () => {
    const c = h100();
    const s = scheduler('k8s-dra', c, { dynamicMig: true });
    const pods = Array.from({ length: 8 }, small);
    const placed = place(s, c, pods);
    expect(placed.slice(0, 7)).toEqual(Array.from({ length: 7 }, () => [0]));
    // 1g.20gb could only start at 6 (slices 6–7), 2g/3g/4g/7g and the full GPU need slices already taken, and all
    // 7 × 14 multiprocessors are in use.
    expect(placed[7]).toBeNull();
    expect(pods[7].lastReason).toMatch(/^0\/1 nodes are available: 1 cannot allocate all claims \(shared counter (memory-slice-\d|multiprocessors) in use\)\.$/);
    // A 1g booking: floor(1000/7) milli, floor(100/7) cores, one of 8 memory slices: floor(81,559 MiB / 8).
    expect(pods[0].binding!.gpus[0]).toMatchObject({ milli: 142, cores: 14, memMiB: Math.floor(H100_MIB / 8) });
  });

  it('a whole-GPU claim takes the full device, whose counters then exclude every partition', () => {
    const c = h100();
    const s = scheduler('k8s-dra', c, { dynamicMig: true });
    expect(place(s, c, [pod().gpus(1).build(), small()])).toEqual([[0], null]);
  });

  it('without DynamicMIG the same small pod books the whole card', () => {
    const c = h100();
    const s = scheduler('k8s-dra', c);
    const p = small();
    place(s, c, [p]);
    expect(p.binding!.gpus[0]).toMatchObject({ milli: 1000, memMiB: H100_MIB });
  });
});

describe('the NVIDIA device model and the allocator: first fit in device-name order', () => {
  it('takes the lowest free start of the first listed profile (HAMi takes 1g from the highest start)', () => {
    const n = node().gpus(1, 'A100-40G').build();
    const model = nvidiaDraModel({ dynamicMig: true, poolLayout: () => undefined });
    const p = pod().gpus(1, 100).gpuMem(4096).gpuCores(10).build();
    const claims = model.claims(p, n);
    // A100-40GB profiles holding 4 GiB, smallest memory first: 1g.5gb (4864 MiB), then 1g.10gb and 2g.10gb (9856).
    expect(claims[0].requests[0].firstAvailable?.map((r) => r.name).slice(0, 3)).toEqual(['mig-1g.5gb', 'mig-1g.10gb', 'mig-2g.10gb']);
    const out = allocate({ node: { name: n.name, labels: n.labels }, classes: model.classes, slices: model.slices(n), allocated: { devices: new Set(), capacity: new Map() }, claims, features: model.features });
    expect(out.kind === 'allocated' && out.claims[0].devices[0]).toMatchObject({ request: 'gpu/mig-1g.5gb', device: 'gpu-0-mig-1g5gb-19-0' });
  });

  it('a static all-balanced layout publishes only its instances: 2 × 1g.10gb, 2g.20gb, 3g.40gb on an H100', () => {
    const n = node().gpus(1, 'H100').build();
    const model = nvidiaDraModel({ dynamicMig: false, poolLayout: () => 'all-balanced' });
    const names = model.slices(n)[0].devices.map((d) => (d.attributes!.profile as { string: string }).string);
    expect(names.sort()).toEqual(['1g.10gb', '1g.10gb', '2g.20gb', '3g.40gb']);
  });
});

describe('"why here?" in DRA terms', () => {
  it('lists the device each claim got, with the capacity a share consumes', () => {
    const c = cluster(node().gpus(1, 'H100').cpu(64000).mem(262144));
    const s = scheduler('hami-dra', c);
    const p = pod().named('nb').gpus(1).gpuMem(10240).gpuCores(40).build();
    place(s, c, [p]);
    expect(s.explain(p, ctx(c)).devices).toEqual(['nb-gpu: gpu → hami-gpu-0 on pool node-0 (consumes cores 40, memory 10240)']);
  });

  it('names the MIG partition a prioritized list chose for a pod not yet placed', () => {
    const c = cluster(node().gpus(1, 'H100').cpu(64000).mem(262144));
    const s = scheduler('k8s-dra', c, { dynamicMig: true });
    const p = pod().named('small').gpus(1, 100).gpuMem(8192).gpuCores(10).build();
    expect(s.explain(p, ctx(c)).devices).toEqual(['small-gpu: gpu/mig-1g.10gb → gpu-0-mig-1g10gb-19-0 on pool node-0']);
  });
});
