/**
 * Volcano at the scheduler level, driven the way the simulator drives it (cycle() over the pending pods, with
 * the cluster's bind/unbind): gang all-or-nothing, THE gang deadlock against k8s-default, preempt and the victim
 * tiers' gang vote, queue admission, the no-double-counting inqueue rule, and the vGPU profile end to end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { Pod } from '../../src/model/pod.ts';
import type { Scheduler } from '../../src/sched/framework.ts';
import { k8sDefault } from '../../src/sched/profiles/k8sDefault.ts';
import { getProfile } from '../../src/sched/profiles/index.ts';
import { volcano, volcanoHami, volcanoSessionConfig, type VolcanoOptions } from '../../src/sched/profiles/volcano.ts';
import { NodePlugins, runSession } from '../../src/sched/volcano/session.ts';
import { queueSpecs } from '../../src/sched/volcano/scheduler.ts';
import type { Scenario, VolcanoQueueSpec } from '../../src/scenario/types.ts';
import { cluster, ctx, node, pod } from '../builders/index.ts';

function env(c: ClusterState, queues?: VolcanoQueueSpec[]) {
  return { scenario: { queues } as unknown as Scenario, cluster: c, rng: new Rng(7) };
}
function makeVolcano(c: ClusterState, o: Partial<VolcanoOptions> = {}, queues?: VolcanoQueueSpec[]): Scheduler {
  return volcano.create({ ...volcano.defaults, ...o }, env(c, queues));
}
const gpuNode = () => node().gpus(8).cpu(64000).mem(512 * 1024);
const worker = (gang: number, min: number, gpus = 4) => pod().cpu(4000).mem(16384).gpus(gpus).gang(gang, min);
const boundOf = (pods: Pod[], gang: number) => pods.filter((p) => p.gang === gang && p.binding !== null).length;

describe('registration', () => {
  it('both profiles are in the registry with help on every knob', () => {
    for (const name of ['volcano', 'volcano-hami']) {
      const def = getProfile(name);
      expect(def?.name).toBe(name);
      for (const k of def!.knobs) expect(k.help.length).toBeGreaterThan(10);
    }
    expect(volcanoHami.knobs.find((k) => k.key === 'deviceSharePolicy')!.help).toContain('scores every GPU 0');
  });
});

describe('THE gang deadlock: two training gangs, each 2 nodes × 8 GPUs worth, on a 3-node cluster', () => {
  // Each gang: 4 workers × 4 GPUs = 16 GPUs = 2 nodes' worth; the cluster has 3 × 8 = 24 GPUs, so one gang fits.
  // The workers arrive interleaved (A1, B1, A2, B2, ...), as two jobs submitted together do.
  function setup() {
    const c = cluster(gpuNode(), gpuNode(), gpuNode());
    const pods: Pod[] = [];
    for (let i = 0; i < 4; i++) pods.push(worker(1, 4).named(`a-${i}`).build(), worker(2, 4).named(`b-${i}`).build());
    return { c, pods };
  }

  it('k8s-default places pods one by one: both gangs hold GPUs, neither has all its workers', () => {
    const { c, pods } = setup();
    const s = k8sDefault.create(k8sDefault.defaults, env(c));
    const r = s.cycle(pods, ctx(c));
    // 24 GPUs / 4 per worker = 6 workers placed in queue order A1 B1 A2 B2 A3 B3; A4 and B4 fail.
    expect(r.bound).toHaveLength(6);
    expect([boundOf(pods, 1), boundOf(pods, 2)]).toEqual([3, 3]);
    // and it stays that way: nothing frees up, both gangs wait forever on each other (deadlock)
    const again = s.cycle(r.failed, ctx(c));
    expect(again.bound).toHaveLength(0);
  });

  it('volcano runs one gang whole while the other waits whole, then runs the second', () => {
    const { c, pods } = setup();
    const s = makeVolcano(c);
    expect(s.gangAware).toBe(true);
    const r = s.cycle(pods, ctx(c));
    expect([boundOf(pods, 1), boundOf(pods, 2)]).toEqual([4, 0]);
    // B's tentative placements were discarded: 24 − 16 = 8 GPUs are free again
    expect(c.nodes.reduce((n, x) => n + x.freeGpuMilli, 0)).toBe(8000);
    expect(r.failed.map((p) => p.name).sort()).toEqual(['b-0', 'b-1', 'b-2', 'b-3']);
    // enqueue already holds B back: the default queue's realCapability is the cluster (24 GPUs) and A's
    // minResources (16) are reserved, so 16 + 16 > 24
    expect(r.failed[0].lastReason).toBe('queue default resource quota insufficient');
    // while A runs, B keeps waiting whole
    const r2 = s.cycle(r.failed, ctx(c));
    expect(r2.bound).toHaveLength(0);
    expect(boundOf(pods, 2)).toBe(0);
    // A finishes (the simulator unbinds it); B now runs whole
    for (const p of pods) if (p.gang === 1) c.unbind(p);
    const r3 = s.cycle(r2.failed, ctx(c));
    expect(r3.bound).toHaveLength(4);
    expect(boundOf(pods, 2)).toBe(4);
  });
});

describe('gang all-or-nothing', () => {
  it('an admitted gang that cannot fully fit is discarded: it books nothing', () => {
    const c = cluster(gpuNode(), gpuNode());
    const s = makeVolcano(c);
    // a plain 2-GPU pod on each node leaves 6 + 6 = 12 free GPUs, in two pieces
    const plain = [0, 1].map(() => worker(-1, 0, 2).build());
    expect(s.cycle(plain, ctx(c)).bound).toHaveLength(2);
    // their PodGroups stay Inqueue until the next session closes (session.go getPodGroupPhase: tasks bound this
    // session are still Binding), and overcommit reserves an Inqueue group's whole minResources: one more
    // session lets them turn Running before the gang arrives
    s.cycle([], ctx(c));
    // gang 3 × 4 GPUs = 12: enqueue admits it (12 + 4 allocated ≤ 16; overcommit idle 16·1.2 − 4 = 15.2 ≥ 12),
    // allocate places one worker per node, the third fits nowhere → the statement is discarded
    const gang = [0, 1, 2].map(() => worker(9, 3).build());
    const r = s.cycle(gang, ctx(c));
    expect(r.bound).toHaveLength(0);
    expect(c.nodes.map((n) => [n.podCount, n.freeWholeGpus])).toEqual([[1, 6], [1, 6]]);
    expect(gang[0].lastReason).toMatch(/^pod group is not ready: 2 of minAvailable 3 tasks could be placed; 0\/2 nodes are available: 2 Insufficient nvidia.com\/gpu\.$/);
    // an elastic gang (minAvailable 2 of 4) runs with what fits: one 4-GPU worker per node
    const elastic = [0, 1, 2, 3].map(() => worker(10, 2).build());
    const r2 = s.cycle(elastic, ctx(c));
    expect(r2.bound).toHaveLength(2);
  });

  it('property: after any cycle every gang has 0 or ≥ minAvailable pods bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ workers: fc.integer({ min: 1, max: 5 }), min: fc.integer({ min: 1, max: 5 }), gpus: fc.constantFrom(1, 2, 4, 8) }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 1000 }),
        (nodes, gangs, seed) => {
          const c = cluster(...Array.from({ length: nodes }, () => gpuNode()));
          const pods: Pod[] = [];
          gangs.forEach((g, gi) => {
            for (let w = 0; w < g.workers; w++) pods.push(worker(gi, Math.min(g.min, g.workers), g.gpus).build());
          });
          makeVolcano(c).cycle(pods, ctx(c, seed));
          gangs.forEach((g, gi) => {
            const b = boundOf(pods, gi);
            expect(b === 0 || b >= Math.min(g.min, g.workers)).toBe(true);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('preempt with the code-default victim tiers: the gang vote in tier 1 (drf alone can take a gang below minAvailable, volcanoVictims.test.ts)', () => {
  it('a high-priority gang evicts only the surplus of an elastic gang', () => {
    const c = cluster(gpuNode(), gpuNode());
    // overcommit 2: with the default 1.2, idle = 16·1.2 − 16 = 3.2 GPUs < 8 and enqueue would keep the
    // high-priority gang Pending, where preempt does not look (as in Volcano)
    const s = makeVolcano(c, { preempt: true, overcommitFactor: 2, victimTiers: 'code' });
    // low-priority elastic gang L: 4 workers × 4 GPUs, minAvailable 2: fills both nodes
    const low = [0, 1, 2, 3].map(() => worker(1, 2).priority(0).build());
    expect(s.cycle(low, ctx(c)).bound).toHaveLength(4);
    // high-priority gang H: 2 × 4 GPUs, minAvailable 2. Tier 1 is priority ∩ gang ∩ conformance: gang lets L
    // lose 4 − 2 = 2 workers.
    const high = [0, 1].map(() => worker(2, 2).priority(10).build());
    const r = s.cycle(high, ctx(c));
    expect(r.bound).toHaveLength(2);
    expect(r.evicted).toHaveLength(2);
    for (const p of r.evicted) expect(p.binding).toBeNull();
    expect(boundOf(low, 1)).toBe(2);
  });

  it('plain pods (a gang of one) are victims only where gang does not vote (the Helm chart\'s tiers)', () => {
    // One 8-GPU node full with two plain 4-GPU pods (job priority 0); an admitted plain pod of priority 10.
    // code: gang offers nothing (ready 1 ≤ minAvailable 1), so tier 1 is void; drf: the preemptor's share with
    // its pod is 4/8 GPUs = 0.5 (its dominant resource), a victim job's share without its only pod is 0, and
    // 0.5 > 0, so drf refuses too. helm: priority (0 < 10) and conformance offer both pods; the victim queue
    // pops the newer one (reverse task order), after which the preemptor fits.
    const evictions = (victimTiers: 'helm' | 'code') => {
      const c = cluster(gpuNode());
      const low = [0, 1].map(() => worker(-1, 0).priority(0).build());
      const config = { ...volcanoSessionConfig({ ...volcano.defaults, preempt: true, victimTiers }, { kind: 'whole' }), actions: ['preempt' as const], overcommitFactor: null };
      for (const p of low) {
        const f = new NodePlugins(config).fit(p, c.nodes[0]);
        if ('status' in f) throw new Error('setup: the low pods fit the empty node');
        c.bind(p, { nodeId: 0, gpus: f.gpus });
      }
      const high = worker(-1, 0).priority(10).build();
      const jobs = [...low, high].map((p, i) => ({ key: `p${i}`, name: `p${i}`, queue: 'default', priority: p.priority, minAvailable: 1, minResources: null, phase: (p === high ? 'Inqueue' : 'Running') as 'Inqueue' | 'Running', createdS: i, uid: i, pods: [p] }));
      const res = runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([]), config, jobs });
      return { evicted: res.evicted, low, high };
    };
    expect(evictions('code').evicted).toEqual([]);
    const helm = evictions('helm');
    expect(helm.evicted).toEqual([helm.low[1]]);
    expect(helm.high.binding?.nodeId).toBe(0);
  });
});

describe('queues', () => {
  it('a queue capability caps admission (enqueue) and the other queue still runs', () => {
    const c = cluster(gpuNode(), gpuNode());
    // queue "small": capability 4 GPUs. A 2-worker × 4-GPU gang there needs 8 → never enqueued.
    const queues: VolcanoQueueSpec[] = [{ name: 'small', capability: { gpuMilli: 4000 } }, { name: 'big', weight: 3 }];
    const s = makeVolcano(c, {}, queues);
    const inSmall = [0, 1].map(() => ({ ...worker(1, 2).build(), queue: 'small' }));
    const inBig = [0, 1].map(() => ({ ...worker(2, 2).build(), queue: 'big' }));
    const r = s.cycle([...inSmall, ...inBig], ctx(c));
    expect(r.bound.map((p) => p.queue)).toEqual(['big', 'big']);
    expect(inSmall[0].lastReason).toBe('queue small resource quota insufficient');
  });

  it('an Inqueue job with allocated tasks reserves only what it still lacks (no double counting)', () => {
    // One node 4000 m. Queue q1 capability 4000 m. pgA (Inqueue, minResources 3000 m) has 3 × 1000 m bound.
    // pgB (Pending, 1000 m): 1000 + allocated 3000 + inqueue max(3000 − 3000, 0) − elastic 0 = 4000 ≤ 4000 → admitted.
    // Counting pgA's full minResources again would give 7000 > 4000.
    const c = cluster(node().cpu(4000).mem(16384));
    const a = [0, 1, 2].map(() => pod().cpu(1000).gang(1, 3).build());
    for (const p of a) c.bind(p, { nodeId: 0, gpus: [] });
    const b = pod().cpu(1000).gang(2, 1).build();
    const queues = queueSpecs([{ name: 'q1', capability: { cpuMilli: 4000 } }]);
    // overcommit off: it reserves an Inqueue job's full minResources, so this isolates proportion's rule
    const config = { ...volcanoSessionConfig(volcano.defaults, { kind: 'whole' }), overcommitFactor: null };
    const res = runSession({
      cluster: c, rng: new Rng(1), nowS: 0, queues, config,
      jobs: [
        { key: 'A', name: 'A', queue: 'q1', priority: 0, minAvailable: 3, minResources: [3000, 0, 0, 0], phase: 'Inqueue', createdS: 0, uid: 1, pods: a },
        { key: 'B', name: 'B', queue: 'q1', priority: 0, minAvailable: 1, minResources: [1000, 0, 0, 0], phase: 'Pending', createdS: 1, uid: 2, pods: [b] },
      ],
    });
    // B's task was dispatched in this session (still Binding), so its PodGroup stays Inqueue until the next
    // session closes (framework/session.go getPodGroupPhase counts only Running/Bound tasks)
    expect(res.phases.get('B')).toBe('Inqueue');
    expect(res.bound).toEqual([b]);
  });
});

describe('volcano-hami: vGPU slices inside Volcano', () => {
  it('packs inference slices onto one card (binpack) and keeps gangs whole', () => {
    const c = cluster(node().gpus(2).cpu(64000).mem(512 * 1024));
    const s = volcanoHami.create(volcanoHami.defaults, env(c));
    const slices = [0, 1, 2].map(() => pod().cpu(1000).mem(1024).gpus(1, 200).gpuMem(20000).gpuCores(20).build());
    const r = s.cycle(slices, ctx(c));
    expect(r.bound).toHaveLength(3);
    // binpack: the first slice takes card 0 (ties → lower index), the next ones the fullest card, card 0 again
    expect(slices.map((p) => p.binding!.gpus[0].gpu)).toEqual([0, 0, 0]);
    expect(c.nodes[0].gpus[0].usedMemMiB).toBe(60000);
    // a 2-card gang cannot fit (card 0 has 81920 − 60000 < 40000 MiB free): nothing of it is booked
    const gang = [0, 1].map(() => pod().cpu(1000).gpus(1, 1000).gpuMem(40000).gpuCores(100).gang(5, 2).build());
    const r2 = s.cycle(gang, ctx(c));
    expect(r2.bound).toHaveLength(0);
    expect(c.nodes[0].gpus[1].usedSlots).toBe(0);
  });
});

describe('deployment-level rules (issue 13)', () => {
  it('preempt tries nodes in score order (preempt.go normalPreempt: PrioritizeNodes, SortNodes)', () => {
    // n0 2000 m / 8192 MiB holds two low-priority 1000 m pods; n1 2000 m / 4096 MiB holds one 2000 m pod.
    // The 1000 m / 1024 MiB preemptor scored with itself added (nodeorder weight 1 each, binpack off):
    // n0 leastrequested cpu 0 (3000 > 2000), memory (8192 − 3072)·100/8192 = 62 → 31; balanced cpu 1,
    //    memory 0.375 → trunc((1 − 0.625/2)·100) = 68 → 99.
    // n1 cpu 0, memory (4096 − 2048)·100/4096 = 50 → 25; balanced 1 vs 0.5 → 75 → 100.
    // n1 is tried first and its pod is the victim; in node order n0's newest pod would go instead.
    const c = cluster(node().cpu(2000).mem(8192), node().cpu(2000).mem(4096));
    const low = [0, 1].map(() => pod().cpu(1000).mem(1024).gang(1, 1).build());
    const big = pod().cpu(2000).mem(1024).gang(1, 1).build();
    c.bind(low[0], { nodeId: 0, gpus: [] });
    c.bind(low[1], { nodeId: 0, gpus: [] });
    c.bind(big, { nodeId: 1, gpus: [] });
    const high = pod().cpu(1000).mem(1024).gang(2, 1).build();
    const config = { ...volcanoSessionConfig({ ...volcano.defaults, preempt: true, binpackWeight: 0 }, { kind: 'whole' }), actions: ['allocate', 'preempt'] as const, overcommitFactor: null };
    const res = runSession({
      cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([]), config: { ...config, actions: [...config.actions] },
      jobs: [
        { key: 'L', name: 'L', queue: 'default', priority: 1, minAvailable: 1, minResources: null, phase: 'Running', createdS: 0, uid: 1, pods: [...low, big] },
        { key: 'H', name: 'H', queue: 'default', priority: 10, minAvailable: 1, minResources: null, phase: 'Inqueue', createdS: 1, uid: 2, pods: [high] },
      ],
    });
    expect(res.evicted).toEqual([big]);
    expect(high.binding?.nodeId).toBe(1);
  });

  it('preempt needs the preemptor\'s queue allocatable after the evictions (preempt.go preemptorFitsOnNode)', () => {
    // n0 2000 m holds l1, l2 (1000 m, job L priority 1, minAvailable 1); n1 1000 m holds k (job K priority 20).
    // q1 holds L, K and asks H (1000 m, priority 10); q2 asks 3000 m. Total 3000 m: water-filling gives each
    // queue 1500 m in round 1 and nothing remains. On n0 gang lets one of L's pods go (2 ready > 1); after it,
    // q1 has 2000 + 1000 > 1500: not allocatable, so the eviction is undone and nothing happens. Without the
    // check the eviction would free 1000 m on n0 and H would bind there.
    const c = cluster(node().cpu(2000).mem(4096), node().cpu(1000).mem(4096));
    const l = [0, 1].map(() => pod().cpu(1000).gang(1, 1).build());
    for (const x of l) c.bind(x, { nodeId: 0, gpus: [] });
    const k = pod().cpu(1000).gang(2, 1).build();
    c.bind(k, { nodeId: 1, gpus: [] });
    const h = pod().cpu(1000).gang(3, 1).build();
    const other = pod().cpu(3000).gang(4, 1).build();
    const base = volcanoSessionConfig({ ...volcano.defaults, preempt: true, binpackWeight: 0 }, { kind: 'whole' });
    const run = (allocatable: boolean) =>
      runSession({
        cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([{ name: 'q1' }, { name: 'q2' }]),
        config: { ...base, actions: ['allocate', 'preempt'], overcommitFactor: null, proportion: { ...base.proportion, allocatable } },
        jobs: [
          { key: 'L', name: 'L', queue: 'q1', priority: 1, minAvailable: 1, minResources: null, phase: 'Running', createdS: 0, uid: 1, pods: l },
          { key: 'K', name: 'K', queue: 'q1', priority: 20, minAvailable: 1, minResources: null, phase: 'Running', createdS: 1, uid: 2, pods: [k] },
          { key: 'H', name: 'H', queue: 'q1', priority: 10, minAvailable: 1, minResources: null, phase: 'Inqueue', createdS: 2, uid: 3, pods: [h] },
          { key: 'O', name: 'O', queue: 'q2', priority: 0, minAvailable: 1, minResources: null, phase: 'Inqueue', createdS: 3, uid: 4, pods: [other] },
        ],
      });
    const res = run(true);
    expect(res.queues.get('q1')!.deserved[0]).toBe(1500);
    expect(res.evicted).toEqual([]);
    expect(h.binding).toBeNull();
    // the same world with proportion's allocatable off: one of L's pods gives way and H binds on n0
    const res2 = run(false);
    expect(res2.evicted).toHaveLength(1);
    expect(h.binding?.nodeId).toBe(0);
  });

  it('a queue that is not Open allocates nothing (proportion.go queueAllocatable)', () => {
    // One 4000 m node, an Inqueue 1000 m job in a Closing queue: room and deserved share, but not Open.
    const c = cluster(node().cpu(4000).mem(4096));
    const p = pod().cpu(1000).mem(1024).gang(1, 1).build();
    const queues = queueSpecs([{ name: 'q1' }]).map((q) => (q.name === 'q1' ? { ...q, open: false } : q));
    const res = runSession({
      cluster: c, rng: new Rng(1), nowS: 0, queues, config: volcanoSessionConfig(volcano.defaults, { kind: 'whole' }),
      jobs: [{ key: 'A', name: 'A', queue: 'q1', priority: 0, minAvailable: 1, minResources: null, phase: 'Inqueue', createdS: 0, uid: 1, pods: [p] }],
    });
    expect(res.bound).toEqual([]);
    expect(p.binding).toBeNull();
  });

  it('every task counts one pod in proportion: a queue short of its deserved pods is not overused', () => {
    // Node 4000 m / 4096 MiB / 10 pods. q1 (weight 1) runs a1, a2 (1000 m / 1024 MiB) and asks p1 (same);
    // q2 (weight 3) asks p2 (3000 m / 3072 MiB). Water-filling round 1 (Σw 4): q1 gets 1000/1024/2.5 pods,
    // q2 3000/3072/7.5 capped at its request 3000/3072/1. cpu and memory are gone: stop. q1 allocated
    // 2000/2048/2 pods: deserved ≤ allocated fails on pods (2.5 > 2), so q1 is not overused and p1 is placed.
    const c = cluster(node().cpu(4000).mem(4096).maxPods(10));
    const a = [0, 1].map(() => pod().cpu(1000).mem(1024).gang(1, 1).build());
    for (const x of a) c.bind(x, { nodeId: 0, gpus: [] });
    const p1 = pod().cpu(1000).mem(1024).gang(2, 1).build();
    const p2 = pod().cpu(3000).mem(3072).gang(3, 1).build();
    const base = volcanoSessionConfig({ ...volcano.defaults, binpackWeight: 0 }, { kind: 'whole' });
    const config = { ...base, overcommitFactor: null, drf: false, proportion: { ...base.proportion, allocatable: false, queueOrder: false } };
    const res = runSession({
      cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([{ name: 'q1', weight: 1 }, { name: 'q2', weight: 3 }]), config,
      jobs: [
        { key: 'A', name: 'A', queue: 'q1', priority: 0, minAvailable: 1, minResources: null, phase: 'Running', createdS: 0, uid: 1, pods: a },
        { key: 'B', name: 'B', queue: 'q1', priority: 0, minAvailable: 1, minResources: null, phase: 'Inqueue', createdS: 1, uid: 2, pods: [p1] },
        { key: 'C', name: 'C', queue: 'q2', priority: 0, minAvailable: 1, minResources: null, phase: 'Inqueue', createdS: 2, uid: 3, pods: [p2] },
      ],
    });
    expect(res.queues.get('q1')!.deserved[3]).toBe(2.5);
    expect(res.bound).toEqual([p1]);
  });
});
