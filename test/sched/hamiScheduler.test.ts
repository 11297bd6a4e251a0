// @vitest-environment node
/**
 * The HAMi profiles as schedulers: kube-scheduler filters, HAMi's Filter keeping one node by the node policy
 * scored on usage BEFORE the pod, GPU policies inside a node, bookings, per-pod annotations, explanations, and a
 * property test that no GPU ever goes over its split count, memory or cores.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { ClusterState } from '../../src/model/cluster.ts';
import { GPU_CATALOG } from '../../src/scenario/gpuCatalog.ts';
import type { Pod } from '../../src/model/pod.ts';
import { hamiGpus, HamiScheduler, topologyScoreOf } from '../../src/sched/hami/scheduler.ts';
import { nodeScore } from '../../src/sched/hami/score.ts';
import { checkProfileOptions } from '../../src/scenario/profileCatalog.ts';
import { getProfile } from '../../src/sched/profiles/index.ts';
import { hamiBinpack, hamiSpread, hamiTopology, type HamiOptions } from '../../src/sched/profiles/hami.ts';
import type { ProfileDefinition, ProfileEnv } from '../../src/sched/profiles/types.ts';
import { cluster, ctx, node, pod } from '../builders/index.ts';

const ENV = {} as ProfileEnv;
function make(def: ProfileDefinition<HamiOptions>, o: Partial<HamiOptions> = {}): HamiScheduler {
  return def.create({ ...def.defaults, ...o }, ENV) as HamiScheduler;
}
/** Books an existing slice directly (what pods already running there hold). */
function preload(c: ClusterState, nodeId: number, gpu: number, memMiB: number, cores: number): void {
  const p = pod().gpus(1).gpuMem(memMiB).gpuCores(cores).build();
  c.bind(p, { nodeId, gpus: [{ gpu, milli: 0, memMiB, cores, slots: 1 }] });
}
function place(s: HamiScheduler, c: ClusterState, p: Pod, seed = 1): Pod {
  s.cycle([p], ctx(c, seed));
  return p;
}

describe('node policy on usage before the pod (HAMi docs and code disagree; the code wins)', () => {
  // A: 2 × A10 (24576 MiB), card 0 holds 3 pods: 40 cores, 4096 MiB. B: 1 × A10 holding 1 pod: 20 cores, 2048 MiB.
  // Before the pod: A = 10·(3/20 + 40/200 + 4096/49152) = 10·(0.15 + 0.2 + 0.0833) = 4.333
  //                 B = 10·(1/10 + 20/100 + 2048/24576) = 10·(0.1 + 0.2 + 0.0833) = 3.833
  // After a 12288 MiB / 50-core pod (what the design doc describes):
  //                 A = 10·(4/20 + 90/200 + 16384/49152) = 9.833, B = 10·(2/10 + 70/100 + 14336/24576) = 14.833
  function setup(): ClusterState {
    const c = cluster(node().named('A').gpus(2, 'A10'), node().named('B').gpus(1, 'A10'));
    preload(c, 0, 0, 1024, 10);
    preload(c, 0, 0, 1024, 10);
    preload(c, 0, 0, 2048, 20);
    preload(c, 1, 0, 2048, 20);
    return c;
  }
  it('scores the nodes before the pod', () => {
    const c = setup();
    const s = make(hamiBinpack);
    expect(nodeScore(hamiGpus(c.nodes[0], s.config))).toBeCloseTo(4.3333, 4);
    expect(nodeScore(hamiGpus(c.nodes[1], s.config))).toBeCloseTo(3.8333, 4);
  });
  it('binpack takes A (4.33 > 3.83), where scoring after the pod would take B (14.83 > 9.83)', () => {
    const c = setup();
    const p = place(make(hamiBinpack), c, pod().gpus(1).gpuMem(12288).gpuCores(50).build());
    expect(p.binding?.nodeId).toBe(0);
    // the doc's reading, for contrast: after-scores with the pod on each node
    const after = (id: number) => {
      const g = hamiGpus(c.nodes[id], { splitCount: 10, memoryScaling: 1 });
      if (id === 1) Object.assign(g[0], { usedSlots: 2, usedCores: 70, usedMemMiB: 14336 });
      return nodeScore(g);
    };
    expect(after(1)).toBeGreaterThan(after(0));
  });
  it('spread takes B (3.83 < 4.33), where scoring after the pod would take A (9.83 < 14.83)', () => {
    const c = setup();
    const p = place(make(hamiSpread), c, pod().gpus(1).gpuMem(12288).gpuCores(50).build());
    expect(p.binding?.nodeId).toBe(1);
  });
});

describe('GPU policy inside a node and bookings', () => {
  // 4 × A100-80G (81920 MiB); card 2 holds a 20480 MiB / 30-core slice. Request terms off: scores are usage only:
  // card 2 = 10·(1/10 + 30/100 + 20480/81920) = 6.5, the others 0.
  function setup(): ClusterState {
    const c = cluster(node().gpus(4, 'A100-80G'));
    preload(c, 0, 2, 20480, 30);
    return c;
  }
  it('binpack puts a slice on the busiest card (2)', () => {
    const c = setup();
    const p = place(make(hamiBinpack), c, pod().gpus(1).gpuMem(8192).gpuCores(20).build());
    // milli = floor(8192·1000/81920) = 100
    expect(p.binding?.gpus).toEqual([{ gpu: 2, milli: 100, memMiB: 8192, cores: 20, slots: 1 }]);
    expect(c.nodes[0].gpus[2]).toMatchObject({ usedSlots: 2, usedMemMiB: 28672, usedCores: 50 });
  });
  it('spread puts it on the idlest card tried first (3: ties keep order, the last is tried first)', () => {
    const c = setup();
    const p = place(make(hamiSpread), c, pod().gpus(1).gpuMem(8192).gpuCores(20).build());
    expect(p.binding?.gpus.map((g) => g.gpu)).toEqual([3]);
  });
  it('a plain nvidia.com/gpu: 1 pod gets a whole card exclusively (all memory, 100 cores, 1000 milli)', () => {
    const c = setup();
    const s = make(hamiBinpack);
    const p = place(s, c, pod().gpus(1).build());
    // binpack: card 2 is busiest but in use ⇒ ExclusiveDeviceAllocateConflict; next tried is card 3
    expect(p.binding?.gpus).toEqual([{ gpu: 3, milli: 1000, memMiB: 81920, cores: 100, slots: 1 }]);
    // a slice cannot join card 3 any more: 0 MiB free ⇒ it lands elsewhere (card 2, binpack)
    const q = place(s, c, pod().gpus(1).gpuMem(1024).gpuCores(10).build());
    expect(q.binding?.gpus.map((g) => g.gpu)).toEqual([2]);
  });
  it('fails with HAMi reasons counted per node', () => {
    const c = cluster(node().gpus(1, 'A10'), node().gpus(1, 'A10'));
    const s = make(hamiBinpack);
    place(s, c, pod().gpus(1).build());
    place(s, c, pod().gpus(1).build());
    const p = place(s, c, pod().gpus(1).gpuMem(1024).gpuCores(10).build());
    expect(p.binding).toBeNull();
    // each card: 24576 − 24576 = 0 MiB free < 1024 ⇒ CardInsufficientMemory on both nodes
    expect(p.lastReason).toBe('0/2 nodes are available: 2 CardInsufficientMemory.');
  });
  it('split count bounds sharers: the 11th pod on a 1-card node fails', () => {
    const c = cluster(node().gpus(1, 'A100-80G'));
    const s = make(hamiBinpack);
    for (let i = 0; i < 10; i++) expect(place(s, c, pod().gpus(1).gpuMem(1024).gpuCores(5).build()).binding).not.toBeNull();
    expect(place(s, c, pod().gpus(1).gpuMem(1024).gpuCores(5).build()).lastReason).toBe('0/1 nodes are available: 1 CardTimeSlicingExhausted.');
  });
});

describe('per-pod annotations and node checks', () => {
  it('hami.io/node-scheduler-policy is used verbatim: only exactly "spread" sorts descending (score.go resolveNodeSchedulerPolicy)', () => {
    const mk = () => {
      const c = cluster(node().gpus(1, 'A10'), node().gpus(1, 'A10'));
      preload(c, 0, 0, 4096, 20);
      return c;
    };
    // node 0 busier: binpack takes 0, spread takes 1
    const c1 = mk();
    expect(place(make(hamiBinpack), c1, pod().gpus(1).gpuMem(1024).annotate('hami.io/node-scheduler-policy', 'spread').build()).binding?.nodeId).toBe(1);
    const c2 = mk();
    expect(place(make(hamiBinpack), c2, pod().gpus(1).gpuMem(1024).annotate('hami.io/node-scheduler-policy', 'sideways').build()).binding?.nodeId).toBe(0);
    // Under hami-spread (flag spread) an annotation 'Spread' replaces the flag and is not 'spread': binpack
    // order, the busier node 0 wins. Without the annotation the flag spreads to node 1.
    const c3 = mk();
    expect(place(make(hamiSpread), c3, pod().gpus(1).gpuMem(1024).annotate('hami.io/node-scheduler-policy', 'Spread').build()).binding?.nodeId).toBe(0);
    const c4 = mk();
    expect(place(make(hamiSpread), c4, pod().gpus(1).gpuMem(1024).build()).binding?.nodeId).toBe(1);
  });
  it('nvidia.com/use-gputype and nouse-gputype pick the card model (substring, case-insensitive)', () => {
    const c = cluster(node().gpus(1, 'A100-80G'), node().gpus(1, 'H100'));
    const s = make(hamiBinpack);
    expect(place(s, c, pod().gpus(1).gpuMem(1024).annotate('nvidia.com/use-gputype', 'h100').build()).binding?.nodeId).toBe(1);
    expect(place(s, c, pod().gpus(1).gpuMem(1024).annotate('nvidia.com/nouse-gputype', 'H100').build()).binding?.nodeId).toBe(0);
    const p = place(s, c, pod().gpus(1).gpuMem(1024).annotate('nvidia.com/use-gputype', 'B200').build());
    expect(p.lastReason).toBe('0/2 nodes are available: 2 CardTypeMismatch.');
  });
  it('nvidia.com/use-gpuuuid pins a card', () => {
    const c = cluster(node().named('n').gpus(4, 'A10'));
    const p = place(make(hamiBinpack), c, pod().gpus(1).gpuMem(1024).annotate('nvidia.com/use-gpuuuid', 'n-gpu1').build());
    expect(p.binding?.gpus.map((g) => g.gpu)).toEqual([1]);
  });
  it('hami.io/gpu-scheduler-policy: mutex keeps off used cards', () => {
    const c = cluster(node().gpus(2, 'A10'));
    preload(c, 0, 1, 1024, 10);
    const p = place(make(hamiBinpack), c, pod().gpus(1).gpuMem(1024).annotate('hami.io/gpu-scheduler-policy', 'mutex').build());
    expect(p.binding?.gpus.map((g) => g.gpu)).toEqual([0]);
  });
  it('nvidia.com/numa-bind keeps a 2-GPU pod on one NUMA node', () => {
    // 4 cards, 0–1 on NUMA 0, 2–3 on NUMA 1; card 2 full. Scan (binpack): 2 (busiest, exhausted), 3, 1, 0:
    // card 3 taken, card 1 changes NUMA ⇒ reset, then 1 and 0
    const c = cluster(node().gpus(4, 'A10').topology('pcie', 2));
    for (let i = 0; i < 10; i++) preload(c, 0, 2, 100, 1);
    const p = place(make(hamiBinpack), c, pod().gpus(2).gpuMem(1024).annotate('nvidia.com/numa-bind', 'true').build());
    expect(p.binding?.gpus.map((g) => g.gpu).sort()).toEqual([0, 1]);
  });
  it('an invalid hami.io/device-scoring-weights fails the pod', () => {
    const c = cluster(node().gpus(1, 'A10'));
    const p = place(make(hamiBinpack), c, pod().gpus(1).annotate('hami.io/device-scoring-weights', 'slot=-1,core=1,memory=1').build());
    expect(p.binding).toBeNull();
    expect(p.lastReason).toContain('"slot" weight must not be negative');
  });
  it('a partial hami.io/device-scoring-weights fails the pod too (HAMi wants all three weights)', () => {
    // 'memory=3' splits into one part, not three: ParseDeviceScoringWeights errors and calcScore fails every node.
    const c = cluster(node().gpus(1, 'A10'));
    const p = place(make(hamiBinpack), c, pod().gpus(1).annotate('hami.io/device-scoring-weights', 'memory=3').build());
    expect(p.binding).toBeNull();
    expect(p.lastReason).toContain('expected slot, core, and memory weights');
  });
  it('AMD cards are not NVIDIA devices (NodeInsufficientDevice); nodes without GPUs too', () => {
    const c = cluster(node().gpus(8, 'MI300X'), node());
    const p = place(make(hamiBinpack), c, pod().gpus(1).gpuMem(1024).build());
    expect(p.lastReason).toBe('0/2 nodes are available: 2 NodeInsufficientDevice.');
  });
  it('kube-scheduler filters first (cpu), HAMi sees only the rest', () => {
    const c = cluster(node().cpu(1000).gpus(1, 'A10'), node().cpu(8000).gpus(1, 'A10'));
    const p = place(make(hamiBinpack), c, pod().cpu(2000).gpus(1).gpuMem(1024).build());
    expect(p.binding?.nodeId).toBe(1);
    const q = place(make(hamiBinpack), cluster(node().cpu(1000).gpus(1, 'A10')), pod().cpu(2000).gpus(1).gpuMem(1024).build());
    expect(q.lastReason).toBe('0/1 nodes are available: 1 Insufficient cpu.');
  });
  it('a pod without GPU resources is placed by kube-scheduler scoring (LeastAllocated)', () => {
    const c = cluster(node().cpu(4000), node().cpu(4000));
    c.bind(pod().cpu(3000).build(), { nodeId: 0, gpus: [] });
    expect(place(make(hamiBinpack), c, pod().cpu(500).build()).binding?.nodeId).toBe(1);
  });
  it('memory scaling > 1 registers more memory than the card has, and the cluster allows it', () => {
    const s = make(hamiBinpack, { memoryScaling: 2 });
    expect(s.clusterOptions.allowMemOversubscription).toBe(true);
    const c = new ClusterState(cluster(node().gpus(1, 'A100-80G')).nodes, { ...GPU_CATALOG }, s.clusterOptions);
    // registered 2·81920 = 163840 MiB: two 61440 MiB slices fit on one 80 GiB card
    expect(place(s, c, pod().gpus(1).gpuMem(61440).gpuCores(10).build()).binding).not.toBeNull();
    expect(place(s, c, pod().gpus(1).gpuMem(61440).gpuCores(10).build()).binding).not.toBeNull();
    expect(c.nodes[0].gpus[0].usedMemMiB).toBe(122880);
  });
});

describe('ties, topology profile and explanations', () => {
  it('ties among equally scored nodes are drawn from the seeded RNG (same seed, same node)', () => {
    const picks = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) {
      const c = cluster(node().gpus(1, 'A10'), node().gpus(1, 'A10'), node().gpus(1, 'A10'), node().gpus(1, 'A10'));
      const a = place(make(hamiBinpack), c, pod().gpus(1).gpuMem(1024).build(), seed).binding?.nodeId;
      const c2 = cluster(node().gpus(1, 'A10'), node().gpus(1, 'A10'), node().gpus(1, 'A10'), node().gpus(1, 'A10'));
      expect(place(make(hamiBinpack), c2, pod().gpus(1).gpuMem(1024).build(), seed).binding?.nodeId).toBe(a);
      picks.add(a!);
    }
    expect(picks.size).toBeGreaterThan(1);
  });
  it('hami-topology gives a 2-GPU pod an NVLink pair on an nvlink-pairs node', () => {
    // Slices on card 1 (1024 MiB, 10 cores) and card 2 (2048 MiB, 10 cores). Scores (request terms off):
    // card 1 = 10·(1/10 + 10/100 + 1024/81920) = 2.125, card 2 = 10·(0.1 + 0.1 + 0.025) = 2.25, cards 0, 3 = 0.
    // topology-aware sorts like spread (score desc): [2, 1, 0, 3]; scanned from the end: 3, 0, 1, 2, all fit.
    // 2-combinations in that order: (3,0) 30, (3,1) 30, (3,2) NVLink 100 ← first best, (0,1) 100 (not better), …
    const c = cluster(node().gpus(4, 'A100-80G').topology('nvlink-pairs'));
    preload(c, 0, 1, 1024, 10);
    preload(c, 0, 2, 2048, 10);
    const p = place(make(hamiTopology), c, pod().gpus(2).gpuMem(1024).gpuCores(10).build());
    expect(p.binding!.gpus.map((g) => g.gpu)).toEqual([3, 2]);
    // the same pod under hami-spread (GPU spread) simply takes the two idlest cards, 3 and 0 (no NVLink)
    const c2 = cluster(node().gpus(4, 'A100-80G').topology('nvlink-pairs'));
    preload(c2, 0, 1, 1024, 10);
    preload(c2, 0, 2, 2048, 10);
    expect(place(make(hamiSpread), c2, pod().gpus(2).gpuMem(1024).gpuCores(10).build()).binding!.gpus.map((g) => g.gpu)).toEqual([3, 0]);
  });
  it('pair scores exist only with topology scoring on (the chart enables it for a topology-aware default only)', () => {
    // charts/hami/templates/device-plugin/daemonsetnvidia.yaml sets ENABLE_TOPOLOGY_SCORE only when the default GPU
    // policy is topology-aware; register.go writes `hami.io/node-nvidia-score` only then. Under hami-spread a pod
    // annotated topology-aware therefore sees every pair at 0: of the fitting cards scanned 3, 0, 1, 2 (as in the
    // test above) the first combination (3, 0) wins, not the NVLink pair (3, 2) hami-topology picks.
    const c = cluster(node().gpus(4, 'A100-80G').topology('nvlink-pairs'));
    preload(c, 0, 1, 1024, 10);
    preload(c, 0, 2, 2048, 10);
    const p = pod().gpus(2).gpuMem(1024).gpuCores(10).annotate('hami.io/gpu-scheduler-policy', 'topology-aware').build();
    expect(place(make(hamiSpread), c, p).binding!.gpus.map((g) => g.gpu)).toEqual([3, 0]);
    expect(topologyScoreOf('topology-aware')).toBe(true);
    expect(topologyScoreOf('spread')).toBe(false);
    expect(topologyScoreOf('topology-aware,binpack')).toBe(false); // the chart compares with eq, not contains
    // with the knob on, the same pod under the same profile gets the NVLink pair
    const c2 = cluster(node().gpus(4, 'A100-80G').topology('nvlink-pairs'));
    preload(c2, 0, 1, 1024, 10);
    preload(c2, 0, 2, 2048, 10);
    const on = new HamiScheduler({ ...make(hamiSpread).config, topologyScore: true });
    const p2 = pod().gpus(2).gpuMem(1024).gpuCores(10).annotate('hami.io/gpu-scheduler-policy', 'topology-aware').build();
    expect(place(on, c2, p2).binding!.gpus.map((g) => g.gpu)).toEqual([3, 2]);
  });
  it('explain counts rejections by reason and ranks candidates by the node policy', () => {
    const c = cluster(node().named('busy').gpus(1, 'A10'), node().named('idle').gpus(1, 'A10'), node().named('small').cpu(100).gpus(1, 'A10'), node().named('full').gpus(1, 'A10'));
    preload(c, 0, 0, 4096, 20);
    preload(c, 3, 0, 24576, 100);
    const s = make(hamiBinpack);
    // small: cpu 100 < 500 ⇒ Insufficient cpu (kube); full: 24576 − 24576 = 0 MiB free ⇒ CardInsufficientMemory (HAMi)
    const e = s.explain(pod().named('q').cpu(500).gpus(1).gpuMem(1024).gpuCores(10).build(), ctx(c));
    expect(e.rejected).toEqual({ 'Insufficient cpu': 1, CardInsufficientMemory: 1 });
    expect(e.feasibleNodes).toBe(2);
    // busy: 10·(1/10 + 20/100 + 4096/24576) = 4.667 > idle 0 ⇒ busy first under binpack
    expect(e.top.map((t) => t.node)).toEqual(['busy', 'idle']);
    expect(e.top[0].plugins[0].raw).toBeCloseTo(4.6667, 4);
    expect(e.node).toBe('busy');
    const spread = make(hamiSpread).explain(pod().cpu(500).gpus(1).gpuMem(1024).build(), ctx(c));
    expect(spread.top.map((t) => t.node)).toEqual(['idle', 'busy']);
    expect(spread.top[0].total).toBeCloseTo(30, 5); // 30 − 0
  });
});

describe('profiles as data', () => {
  it('registers hami-binpack, hami-spread, hami-topology with their policies and knobs', () => {
    expect(getProfile('hami-binpack')?.defaults).toMatchObject({ nodePolicy: 'binpack', gpuPolicy: 'binpack', splitCount: 10, memoryScaling: 1 });
    expect(getProfile('hami-spread')?.defaults).toMatchObject({ nodePolicy: 'spread', gpuPolicy: 'spread' });
    expect(getProfile('hami-topology')?.defaults).toMatchObject({ nodePolicy: 'binpack', gpuPolicy: 'topology-aware' });
    const def = getProfile('hami-binpack')!;
    expect(checkProfileOptions(def, { splitCount: 4, nodePolicy: 'spread' }, 'o')).toEqual([]);
    expect(checkProfileOptions(def, { splitCount: 0 }, 'o')).toEqual(['o.splitCount: must be between 1 and 100']);
  });
});

describe('property: HAMi never puts a GPU over its split count, memory or cores', () => {
  const podArb = fc.record({
    gpus: fc.integer({ min: 0, max: 3 }),
    memMiB: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30000 })),
    cores: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
    policy: fc.constantFrom('', 'binpack', 'spread', 'mutex', 'topology-aware', 'binpack,numa'),
    numaBind: fc.boolean(),
    remove: fc.boolean(),
  });
  it('holds after random placements and removals in every HAMi profile', () => {
    fc.assert(
      fc.property(fc.constantFrom(hamiBinpack, hamiSpread, hamiTopology), fc.integer({ min: 1, max: 10 }), fc.array(podArb, { minLength: 1, maxLength: 40 }), fc.integer(), (def, split, pods, seed) => {
        const s = make(def, { splitCount: split });
        const c = cluster(node().gpus(4, 'A10').topology('nvlink-pairs', 2), node().gpus(2, 'L4'), node().gpus(8, 'H100').topology('nvswitch', 2));
        const cx = { cluster: c, rng: new Rng(seed), nowS: 0 };
        const bound: Pod[] = [];
        const rng = new Rng(seed ^ 0x5a5a);
        for (const q of pods) {
          let b = pod().gpus(q.gpus).gpuMem(q.memMiB).gpuCores(q.cores);
          if (q.policy) b = b.annotate('hami.io/gpu-scheduler-policy', q.policy);
          if (q.numaBind) b = b.annotate('nvidia.com/numa-bind', 'true');
          const p = b.build();
          s.cycle([p], cx);
          if (p.binding) bound.push(p);
          if (q.remove && bound.length > 0) c.unbind(bound.splice(rng.int(bound.length), 1)[0]);
          for (const n of c.nodes)
            for (const g of n.gpus) {
              if (g.usedSlots > split || g.usedMemMiB > g.memMiB || g.usedCores > 100 || g.usedMilli > 1000) return false;
            }
        }
        return true;
      }),
      { numRuns: 150 },
    );
  });
});
