/**
 * Volcano v1.15 formulas, table-driven: binpack (binpack.go), proportion's deserved water-filling, share,
 * overused/allocatable/enqueue (proportion.go), deviceshare vGPU order and score (vgpu/utils.go).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binpackScore, DEFAULT_BINPACK_ARGS, parseBinpackArguments } from '../../src/sched/volcano/binpack.ts';
import { deviceOrder, fitVgpu, gpuScore, nodeDeviceScore } from '../../src/sched/volcano/deviceshare.ts';
import { drfJobShare } from '../../src/sched/volcano/drf.ts';
import { allocatable, jobEnqueueable, newQueueAttr, overused, realCapability, waterFill, type QueueAttr, type QueueSpec } from '../../src/sched/volcano/proportion.ts';
import { isEmpty, type Res } from '../../src/sched/volcano/resource.ts';
import { NodePlugins } from '../../src/sched/volcano/session.ts';
import { volcanoSessionConfig } from '../../src/sched/profiles/volcano.ts';
import { volcano } from '../../src/sched/profiles/volcano.ts';
import { cluster, ctx, node, pod } from '../builders/index.ts';

const INF = Infinity;

describe('binpack score (binpack.go BinPackingScore)', () => {
  const cases: { name: string; args: typeof DEFAULT_BINPACK_ARGS; res: { name: string; request: number; used: number; allocatable: number }[]; want: number }[] = [
    {
      name: 'defaults, half-used node',
      // cpu (1000 + 1000)/4000 = 0.5, memory (4096 + 4096)/16384 = 0.5 → (0.5 + 0.5)/2 · 100 · 1 = 50
      args: DEFAULT_BINPACK_ARGS,
      res: [{ name: 'cpu', request: 1000, used: 1000, allocatable: 4000 }, { name: 'memory', request: 4096, used: 4096, allocatable: 16384 }],
      want: 50,
    },
    {
      name: 'GPU weighted 2',
      // cpu 0.5·1, memory 0.5·1, gpu (2000 + 2000)/8000·2 = 1 → 2/4 · 100 = 50
      args: { weight: 1, resources: { cpu: 1, memory: 1, 'nvidia.com/gpu': 2 } },
      res: [{ name: 'cpu', request: 1000, used: 1000, allocatable: 4000 }, { name: 'memory', request: 4096, used: 4096, allocatable: 16384 }, { name: 'nvidia.com/gpu', request: 2000, used: 2000, allocatable: 8000 }],
      want: 50,
    },
    {
      name: 'overflow on one resource zeroes the node',
      // cpu 3500 + 1000 > 4000 → 0 whatever memory says
      args: DEFAULT_BINPACK_ARGS,
      res: [{ name: 'cpu', request: 1000, used: 3500, allocatable: 4000 }, { name: 'memory', request: 1, used: 0, allocatable: 16384 }],
      want: 0,
    },
    {
      name: 'a requested resource the node lacks adds 0 but its weight counts',
      // cpu (0 + 2000)/4000·1 = 0.5; gpu alloc 0 → 0 with weight 3 → 0.5/(1 + 3) · 100 · 10 = 125
      args: { weight: 10, resources: { cpu: 1, 'nvidia.com/gpu': 3 } },
      res: [{ name: 'cpu', request: 2000, used: 0, allocatable: 4000 }, { name: 'nvidia.com/gpu', request: 1000, used: 0, allocatable: 0 }],
      want: 125,
    },
    {
      name: 'resources without a weight and zero requests are skipped',
      // memory has no weight, gpu request 0 → only cpu: 4000/4000 = 1 → 100
      args: { weight: 1, resources: { cpu: 1, 'nvidia.com/gpu': 5 } },
      res: [{ name: 'cpu', request: 3000, used: 1000, allocatable: 4000 }, { name: 'memory', request: 8000, used: 0, allocatable: 16384 }, { name: 'nvidia.com/gpu', request: 0, used: 0, allocatable: 8000 }],
      want: 100,
    },
  ];
  for (const c of cases) it(c.name, () => expect(binpackScore(c.args, c.res)).toBeCloseTo(c.want, 9));

  it('parses arguments: unset → 1, negative → 1', () => {
    expect(parseBinpackArguments({ 'binpack.cpu': -2, 'binpack.resources': 'a, b', 'binpack.resources.a': 4, 'binpack.resources.b': -1 })).toEqual({ weight: 1, resources: { cpu: 1, memory: 1, a: 4, b: 1 } });
  });

  it('the scheduler scores binpack from the node state (used = what is bound there)', () => {
    const c = cluster(node().cpu(4000).mem(16384).gpus(8));
    const p1 = pod().cpu(1000).mem(4096).gpus(2).build();
    c.bind(p1, { nodeId: 0, gpus: [0, 1].map((g) => ({ gpu: g, milli: 1000, memMiB: 0, cores: 100, slots: 1 })) });
    const plugins = new NodePlugins(volcanoSessionConfig({ ...volcano.defaults, binpackGpu: 2 }, { kind: 'whole' }));
    const s = plugins.scores(pod().cpu(1000).mem(4096).gpus(2).build(), c.nodes[0], 0, ctx(c));
    // binpack as in the 'GPU weighted 2' row: 50; leastrequested: cpu (4000−2000)·100/4000 = 50, memory 50 → 50;
    // balancedresource: fractions cpu 0.5, memory 0.5, nvidia.com/gpu (2 + 2)/8 = 0.5 → std 0 → 100.
    expect(s.map((p) => [p.plugin, p.raw])).toEqual([['nodeorder.leastrequested', 50], ['nodeorder.balancedresource', 100], ['binpack', 50]]);
  });

  it('balancedresource counts nvidia.com/gpu for a whole-GPU pod (nodeorder.go: cpu, memory, nvidia.com/gpu)', () => {
    // Empty node 64000 m / 524288 MiB / 8 GPUs; pod 4000 m / 16384 MiB / 4 GPUs. Fractions 0.0625, 0.03125, 0.5;
    // mean 0.197917; variance ((−0.135417)² + (−0.166667)² + 0.302083²)/3 = 0.045790; std 0.213986;
    // (1 − 0.213986)·100 = 78.6 → 78. Over cpu and memory only it would be (1 − 0.015625)·100 → 98.
    const c = cluster(node().cpu(64000).mem(524288).gpus(8));
    const p = pod().cpu(4000).mem(16384).gpus(4).build();
    expect(new NodePlugins(volcanoSessionConfig(volcano.defaults, { kind: 'whole' })).balancedResource(p, c.nodes[0])).toBe(78);
    // A vGPU pod asks volcano.sh/vgpu-number, not nvidia.com/gpu: two fractions → 98.
    const vgpu = volcanoSessionConfig(volcano.defaults, { kind: 'vgpu', cfg: { policy: 'binpack', splitCount: 10, weight: 10 } });
    expect(new NodePlugins(vgpu).balancedResource(p, c.nodes[0])).toBe(98);
    // No GPU asked: cpu and memory only.
    expect(new NodePlugins(volcanoSessionConfig(volcano.defaults, { kind: 'whole' })).balancedResource(pod().cpu(4000).mem(16384).build(), c.nodes[0])).toBe(98);
  });
});

function q(name: string, weight: number, request: Res, opts: { capability?: Res; guarantee?: Res } = {}): QueueAttr {
  const spec: QueueSpec = { name, weight, capability: opts.capability ?? [INF, INF, INF, INF], guarantee: opts.guarantee ?? [0, 0, 0, 0], reclaimable: true, priority: 0, open: true, order: 0 };
  const a = newQueueAttr(spec);
  a.request = request;
  return a;
}

function fill(total: Res, attrs: QueueAttr[]): void {
  const g: Res = [0, 0, 0, 0];
  for (const a of attrs) for (let i = 0; i < 4; i++) g[i] += a.spec.guarantee[i];
  for (const a of attrs) a.realCapability = realCapability(total, g, a.spec);
  waterFill(total, attrs);
}

describe('proportion deserved (water-filling)', () => {
  it('three queues: a small one is met, a capped one stops, the rest flows to the last', () => {
    // total cpu 10000, memory 10000, no GPUs. A w1 requests 2000/2000; B w1 requests 8000/8000; C w2 requests
    // 8000/8000 with capability cpu 3000.
    // Round 1 (remaining 10000/10000, Σw 4): A +2500 → capped by request → 2000/2000, met. B +2500/2500.
    //   C +5000/5000 → cpu capped 3000 → 3000/5000. remaining = 10000 − 7500 = 2500 cpu, 10000 − 9500 = 500 mem.
    // Round 2 (Σw 3): B +833.33/+166.67 → 3333.33/2666.67; C +1666.67/+333.33 → cpu stays 3000, mem 5333.33.
    //   remaining 1666.67 cpu, 0 mem.
    // Round 3 (Σw 3): B +555.56 cpu → 3888.89; C unchanged (cpu capped, no memory left) → met.
    //   remaining 1111.11 cpu.
    // Round 4 (B alone): +1111.11 → 5000; remaining empty.
    const A = q('A', 1, [2000, 2000, 0, 0]);
    const B = q('B', 1, [8000, 8000, 0, 0]);
    const C = q('C', 2, [8000, 8000, 0, 0], { capability: [3000, INF, INF, INF] });
    fill([10000, 10000, 0, 0], [A, B, C]);
    expect(A.deserved).toEqual([2000, 2000, 0, 0]);
    expect(B.deserved[0]).toBeCloseTo(5000, 6);
    expect(B.deserved[1]).toBeCloseTo(2666.6667, 3);
    expect(C.deserved[0]).toBe(3000);
    expect(C.deserved[1]).toBeCloseTo(5333.3333, 3);
  });

  it('guarantee lifts deserved and lowers the others\' realCapability', () => {
    // total cpu 10000. A guarantee 6000, B none; both request 10000, weight 1.
    // realCapability A = min(∞, 10000 − 6000 + 6000) = 10000, B = 10000 − 6000 = 4000.
    // Round 1: A +5000 → 5000 → max(guarantee 6000) = 6000; B +5000 → capped 4000. remaining cpu 0.
    const A = q('A', 1, [10000, 0, 0, 0], { guarantee: [6000, 0, 0, 0] });
    const B = q('B', 1, [10000, 0, 0, 0]);
    fill([10000, 10000, 0, 0], [A, B]);
    expect(A.deserved).toEqual([6000, 0, 0, 0]);
    expect(B.deserved).toEqual([4000, 0, 0, 0]);
  });

  it.each([0, -1, Number.NaN, Infinity])('a queue of weight %s gets no weighted share, and the fill ends', (weight) => {
    // total cpu 10000; A weight 1 and the odd queue B both request 10000. B counts as weight 0: Σw = 1, so A takes
    // all 10000 in round 1 and is met; B's deserved stays 0 (+0, unchanged → met). Summed as it is, −1 made Σw 0
    // (nothing handed out) and NaN made every round NaN (the loop never ended).
    const A = q('A', 1, [10000, 0, 0, 0]);
    const B = q('B', weight, [10000, 0, 0, 0]);
    fill([10000, 10000, 0, 0], [A, B]);
    expect(A.deserved).toEqual([10000, 0, 0, 0]);
    expect(B.deserved).toEqual([0, 0, 0, 0]);
  });

  it('share, overused and allocatable', () => {
    const a = q('A', 1, [4000, 4000, 0, 0]);
    a.deserved = [2000, 2000, 0, 0];
    a.allocated = [1000, 2000, 0, 0];
    // overused needs deserved ≤ allocated on every dimension: cpu 2000 > 1000 → not overused
    expect(overused(a)).toBe(false);
    // a cpu-only task: only cpu is compared: 1000 + 1000 ≤ 2000
    expect(allocatable(a, [1000, 0, 0, 0])).toBe(true);
    // asking memory too: 2000 + 1 > 2000
    expect(allocatable(a, [1000, 1, 0, 0])).toBe(false);
    a.allocated = [2000, 2000, 0, 0];
    expect(overused(a)).toBe(true);
  });

  it('enqueue: minResources + allocated + inqueue − elastic ≤ realCapability', () => {
    const a = q('A', 1, [0, 0, 0, 0], { capability: [2000, 2000, INF, INF] });
    a.realCapability = a.spec.capability;
    a.allocated = [1000, 2000, 0, 0];
    // memory 1000 + 2000 > 2000 → rejected
    expect(jobEnqueueable(a, [1000, 1000, 0, 0])).toBe(false);
    // a cpu-only job is checked on cpu only: 1000 + 1000 ≤ 2000
    expect(jobEnqueueable(a, [1000, 0, 0, 0])).toBe(true);
    a.inqueue = [500, 0, 0, 0];
    expect(jobEnqueueable(a, [1000, 0, 0, 0])).toBe(false);
    a.elastic = [500, 0, 0, 0];
    expect(jobEnqueueable(a, [1000, 0, 0, 0])).toBe(true);
    a.spec.open = false;
    expect(jobEnqueueable(a, [1000, 0, 0, 0])).toBe(false);
  });

  it('property: deserved ≤ capability (and, without guarantees, Σ deserved ≤ total)', () => {
    const res = fc.tuple(fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 16000 }));
    const queue = fc.record({ weight: fc.integer({ min: 1, max: 10 }), request: res, cap: fc.option(res, { nil: undefined }), guaranteeFrac: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(res, fc.array(queue, { minLength: 1, maxLength: 6 }), (total, qs) => {
        const attrs = qs.map((x, i) => {
          const cap: Res = x.cap ? [x.cap[0], x.cap[1], x.cap[2], INF] : [INF, INF, INF, INF];
          // a valid queue's guarantee is ≤ its capability (Volcano's webhook); keep Σ guarantees ≤ total
          const g: Res = [...[0, 1, 2, 0].map((d) => Math.min(Number.isFinite(cap[d]) ? cap[d] : total[d], Math.floor((total[d] * x.guaranteeFrac) / (4 * qs.length)))), 0] as Res;
          return q(`q${i}`, x.weight, [x.request[0], x.request[1], x.request[2], 0], { capability: cap, guarantee: g });
        });
        fill([total[0], total[1], total[2], 0], attrs);
        for (const a of attrs) for (let d = 0; d < 3; d++) expect(a.deserved[d]).toBeLessThanOrEqual(a.spec.capability[d] + 1e-6);
        // Without guarantees the queues share at most the cluster. (With them, max(deserved, guarantee) can
        // hand out more than remains: upstream does the same, so the sum is not bounded then.)
        if (attrs.every((a) => a.spec.guarantee.every((g) => g === 0))) {
          for (let d = 0; d < 3; d++) expect(attrs.reduce((s, a) => s + a.deserved[d], 0)).toBeLessThanOrEqual(total[d] + 1e-6);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('deviceshare vGPU (vgpu/utils.go)', () => {
  function gpuNode(usedMem: number[], usedSlots: number[]) {
    const c = cluster(node().gpus(usedMem.length, 'A100-80G'));
    const n = c.nodes[0];
    n.gpus.forEach((g, i) => {
      g.usedMemMiB = usedMem[i];
      g.usedSlots = usedSlots[i];
      g.usedCores = usedSlots[i] * 10;
      g.usedMilli = usedSlots[i] * 100;
    });
    return n;
  }

  it('orders cards: binpack by used memory desc, spread by used count asc, ties to the lower index', () => {
    const n = gpuNode([10000, 30000, 0, 30000], [1, 2, 0, 0]);
    expect(deviceOrder(n.gpus, 'binpack')).toEqual([1, 3, 0, 2]);
    expect(deviceOrder(n.gpus, 'spread')).toEqual([2, 3, 0, 1]);
  });

  it('binpack takes the fullest card and scores 100·usedMem/memory after the add', () => {
    const n = gpuNode([10000, 30000, 0, 30000], [1, 2, 0, 0]);
    const f = fitVgpu(pod().gpus(1, 200).gpuMem(10000).gpuCores(20).build(), n, { policy: 'binpack', splitCount: 10, weight: 10 });
    // card 1 (30000 MiB used, lowest index among the fullest): 100 · (30000 + 10000)/81920 = 48.828125, the node
    // device score floor(48.828125 + 0.5) = 49
    expect(f).toEqual({ gpus: [{ gpu: 1, milli: 200, memMiB: 10000, cores: 20, slots: 1 }], score: 49 });
  });

  it('spread takes the least shared card and, as in v1.15, scores 0', () => {
    const n = gpuNode([10000, 30000, 0, 30000], [1, 2, 0, 0]);
    const f = fitVgpu(pod().gpus(1, 200).gpuMem(10000).gpuCores(20).build(), n, { policy: 'spread', splitCount: 10, weight: 10 });
    expect(f).toEqual({ gpus: [{ gpu: 2, milli: 200, memMiB: 10000, cores: 20, slots: 1 }], score: 0 });
    // the rule itself: 100 only for a card with used count 0, which a card that just took the pod never has
    expect(gpuScore('spread', 10000, 81920, 1)).toBe(0);
    expect(gpuScore('spread', 0, 81920, 0)).toBe(100);
  });

  const rejects: { name: string; mem: number[]; slots: number[]; req: () => ReturnType<ReturnType<typeof pod>['build']>; split: number }[] = [
    { name: 'split count reached', mem: [0], slots: [2], split: 2, req: () => pod().gpus(1, 100).gpuMem(1000).gpuCores(10).build() },
    { name: 'not enough memory (81920 − 80000 < 2000)', mem: [80000], slots: [1], split: 10, req: () => pod().gpus(1, 100).gpuMem(2000).gpuCores(10).build() },
    { name: 'cores 100 wants the card alone', mem: [1000], slots: [1], split: 10, req: () => pod().gpus(1, 1000).gpuMem(1000).gpuCores(100).build() },
    { name: 'no memory asked books the whole card', mem: [1], slots: [1], split: 10, req: () => pod().gpus(1, 100).gpuCores(10).build() },
  ];
  for (const r of rejects) {
    it(`rejects: ${r.name}`, () => {
      const n = gpuNode(r.mem, r.slots);
      expect(fitVgpu(r.req(), n, { policy: 'binpack', splitCount: r.split, weight: 1 })).toEqual({ status: { code: 'Unschedulable', reasons: ['not enough gpu fitted on this node'], plugin: 'deviceshare' } });
    });
  }
});

describe('deployment-level rules on the resource vector and the plugins (issue 13)', () => {
  it('pods is a dimension: LessEqual counts it, IsEmpty and LessEqualWithDimension skip it (resource_info.go)', () => {
    // A BestEffort task still asks pods: 1 but is empty; a queue short of pods is not overused.
    expect(isEmpty([0, 0, 0, 1])).toBe(true);
    const a = q('A', 1, [4000, 4096, 0, 3]);
    a.deserved = [1000, 1024, 0, 2.5];
    a.allocated = [2000, 2048, 0, 2];
    // overused = deserved ≤ allocated on every dimension: cpu, memory yes, pods 2.5 > 2 → no
    expect(overused(a)).toBe(false);
    a.allocated = [2000, 2048, 0, 3];
    expect(overused(a)).toBe(true);
    // allocatable compares only what the task asks, never pods: 0 + 1000 ≤ 1000 on cpu
    a.allocated = [0, 0, 0, 9];
    expect(allocatable(a, [1000, 0, 0, 1])).toBe(true);
  });

  it('a queue that is not Open is never allocatable (proportion.go queueAllocatable)', () => {
    const a = q('A', 1, [4000, 4096, 0, 1]);
    a.deserved = [4000, 4096, 0, 1];
    expect(allocatable(a, [1000, 1024, 0, 1])).toBe(true);
    a.spec.open = false;
    expect(allocatable(a, [1000, 1024, 0, 1])).toBe(false);
  });

  it('allocatable and enqueue compare strictly (LessEqualWithDimensionAndResourcesName: no 0.1 tolerance)', () => {
    // deserved cpu 2000 (a water-filled share need not be whole); allocated 1000 + request 1000.05 = 2000.05 >
    // 2000 → not allocatable, though LessEqual's tolerance (|l − r| < 0.1) would let it through.
    const a = q('A', 1, [4000, 0, 0, 2]);
    a.deserved = [2000, 0, 0, 2];
    a.allocated = [1000, 0, 0, 1];
    expect(allocatable(a, [1000.05, 0, 0, 1])).toBe(false);
    expect(allocatable(a, [1000, 0, 0, 1])).toBe(true);
    // enqueue: minResources 1000.05 + allocated 1000 > realCapability 2000 → rejected
    a.realCapability = [2000, INF, INF, INF];
    expect(jobEnqueueable(a, [1000.05, 0, 0, 0])).toBe(false);
  });

  it('drf share counts the pods scalar (drf.go calculateShare)', () => {
    // total 64000 m, 262144 MiB, 110 pods; 5 tasks of 100 m / 128 MiB: cpu 500/64000 = 0.0078, memory
    // 640/262144 = 0.0024, pods 5/110 = 0.04545 → the dominant share is the pods one.
    expect(drfJobShare([500, 640, 0, 5], [64000, 262144, 0, 110])).toBe(5 / 110);
  });
});

describe('deviceshare node score rounded before the weight (deviceshare.go getDeviceScore)', () => {
  it.each([
    // one 81920 MiB card: 100·3000/81920 = 3.662 → floor(4.162) = 4
    { memMiB: 3000, want: 4 },
    // 100·2000/81920 = 2.441 → floor(2.941) = 2
    { memMiB: 2000, want: 2 },
    // 100·2048/81920 = 2.5 exactly → floor(3.0) = 3 (halves round up)
    { memMiB: 2048, want: 3 },
  ])('$memMiB MiB on an empty card scores $want', ({ memMiB, want }) => {
    const c = cluster(node().gpus(1, 'A100-80G'));
    c.nodes[0].gpus[0].memMiB = 81920;
    const f = fitVgpu(pod().gpus(1, 100).gpuMem(memMiB).build(), c.nodes[0], { policy: 'binpack', splitCount: 10, weight: 10 });
    expect('score' in f && f.score).toBe(want);
    expect(nodeDeviceScore(100 * (memMiB / 81920))).toBe(want);
  });
});
