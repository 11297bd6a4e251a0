// @vitest-environment node
/**
 * k8s-timeslicing: N replicas per GPU, the device plugin's distributed replica allocation, bookings without memory,
 * and the oversubscription that time-slicing allows (placements succeed, tenants' real memory exceeds the card).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClusterState } from '../../src/model/cluster.ts';
import { GPU_CATALOG } from '../../src/scenario/gpuCatalog.ts';
import type { Pod } from '../../src/model/pod.ts';
import type { Scheduler } from '../../src/sched/framework.ts';
import { distributeReplicas, timeSlicingAllocator } from '../../src/sched/plugins/timeSlicing.ts';
import { getProfile } from '../../src/sched/profiles/index.ts';
import { k8sTimeSlicing, type TimeSlicingOptions } from '../../src/sched/profiles/timeSlicing.ts';
import type { ProfileEnv } from '../../src/sched/profiles/types.ts';
import { cluster, ctx, node, pod, type NodeBuilder } from '../builders/index.ts';

function make(o: Partial<TimeSlicingOptions> = {}): Scheduler {
  return k8sTimeSlicing.create({ ...k8sTimeSlicing.defaults, ...o }, {} as ProfileEnv);
}
function clusterFor(s: Scheduler, ...b: NodeBuilder[]): ClusterState {
  return new ClusterState(cluster(...b).nodes, { ...GPU_CATALOG }, s.clusterOptions);
}

describe('distributed replica allocation', () => {
  it.each([
    // idle 4-GPU node, 2 replicas: GPU 0 (0 used, lowest index), then GPU 1 (0 used vs GPU 0 now 1)
    [[0, 0, 0, 0], 4, 2, [[0, 1], [1, 1]]],
    // used [1, 0, 1, 0]: GPU 1 (0), then GPU 3 (0)
    [[1, 0, 1, 0], 4, 2, [[1, 1], [3, 1]]],
    // used [0, 3]: GPU 0 twice (0 → 1 is still below 3)
    [[0, 3], 4, 2, [[0, 2]]],
    // used [4, 3] with replicas 4: GPU 0 full, GPU 1 has one free replica
    [[4, 3], 4, 1, [[1, 1]]],
  ] as [number[], number, number, [number, number][]][])('used %j, replicas %i, want %i', (used, replicas, want, expected) => {
    const got = distributeReplicas(used, used.map(() => true), replicas, want);
    expect([...got!.entries()].sort((a, b) => a[0] - b[0])).toEqual(expected);
  });
  it('returns null when too few replicas are free, and skips unhealthy GPUs', () => {
    expect(distributeReplicas([4, 3], [true, true], 4, 2)).toBeNull();
    expect([...distributeReplicas([0, 0], [false, true], 4, 1)!.entries()]).toEqual([[1, 1]]);
  });
  it('books slots, milli = floor(1000·slots/N), and no memory or cores', () => {
    const n = node().gpus(2, 'A10').build();
    n.gpus[1].usedSlots = 3;
    // GPU 0 (0 used) twice: 0 → 1 → 2, still ≤ GPU 1's 3 ⇒ slots 2, milli floor(1000·2/3) = 666
    expect(timeSlicingAllocator(3).allocate(pod().gpus(2).build(), n, ctx(cluster()))).toEqual([{ gpu: 0, milli: 666, memMiB: 0, cores: 0, slots: 2 }]);
  });
});

describe('profile k8s-timeslicing', () => {
  it('is registered with replicas 4 by default and allows memory oversubscription', () => {
    expect(getProfile('k8s-timeslicing')?.defaults).toMatchObject({ replicas: 4 });
    expect(make().clusterOptions.allowMemOversubscription).toBe(true);
  });

  it('oversubscribes GPU memory while every placement succeeds', () => {
    // One node, one 80 GiB A100, 4 replicas: four 30 GiB inference pods all land on GPU 0 (4 × 30720 = 122880 MiB
    // > 81920 MiB physical): Kubernetes sees 4 of 4 nvidia.com/gpu used and nothing wrong. The fifth is refused.
    const s = make();
    const c = clusterFor(s, node().cpu(64000).mem(262144).gpus(1, 'A100-80G'));
    const pods: Pod[] = [];
    for (let i = 0; i < 4; i++) pods.push(pod().cpu(1000).gpus(1).gpuMem(30720).build());
    const r = s.cycle(pods, ctx(c));
    expect(r.bound.length).toBe(4);
    const g = c.nodes[0].gpus[0];
    expect(g.usedSlots).toBe(4);
    expect(g.usedMemMiB).toBe(0); // no memory accounting
    expect(g.usedMilli).toBe(1000); // 4 × floor(1000/4)
    const realMiB = c.podsOnNode[0].reduce((sum, p) => sum + p.request.gpuMemMiB, 0);
    expect(realMiB).toBe(122880);
    expect(realMiB).toBeGreaterThan(g.memMiB);
    const fifth = pod().cpu(1000).gpus(1).gpuMem(30720).build();
    s.cycle([fifth], ctx(c));
    expect(fifth.lastReason).toBe('0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
  });

  it('spreads replicas over the GPUs of a node (fewest allocations first)', () => {
    const s = make({ replicas: 2 });
    const c = clusterFor(s, node().cpu(64000).mem(262144).gpus(2, 'A10'));
    const placed = [0, 1, 2, 3].map(() => {
      const p = pod().cpu(100).gpus(1).build();
      s.cycle([p], ctx(c));
      return p.binding!.gpus[0].gpu;
    });
    // used [0,0] → 0; [1,0] → 1; [1,1] → 0; [2,1] → 1
    expect(placed).toEqual([0, 1, 0, 1]);
  });

  it('k8s-default, by contrast, refuses the second pod on a 1-GPU node', () => {
    const def = getProfile('k8s-default')!;
    const s = def.create(def.defaults, {} as ProfileEnv);
    const c = clusterFor(s, node().gpus(1, 'A100-80G'));
    const r = s.cycle([pod().gpus(1).gpuMem(30720).build(), pod().gpus(1).gpuMem(30720).build()], ctx(c));
    expect(r.bound.length).toBe(1);
  });

  it('property: replicas and milli never exceed a GPU, whatever is placed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 30 }), (replicas, counts) => {
        const s = make({ replicas });
        const c = clusterFor(s, node().cpu(1_000_000).mem(1_000_000).gpus(2, 'A10'), node().cpu(1_000_000).mem(1_000_000).gpus(4, 'L4'));
        for (const n of counts) s.cycle([pod().gpus(n).gpuMem(20000).build()], ctx(c));
        return c.nodes.every((nd) => nd.gpus.every((g) => g.usedSlots <= replicas && g.usedMilli <= 1000));
      }),
      { numRuns: 100 },
    );
  });
});
