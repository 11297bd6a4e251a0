// @vitest-environment node
/**
 * NodeResourcesFit filter and scores, BalancedAllocation, percentageOfNodesToScore and the k8s-default
 * profile's decisions on small clusters. Each expected number is worked out in the comment next to it
 * (kube-scheduler v1.34, pkg/scheduler/framework/plugins/noderesources; domain.md §6.1).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { Pod } from '../../src/model/pod.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import type { Scheduler } from '../../src/sched/framework.ts';
import { balancedAllocation, balancedAllocationScore } from '../../src/sched/plugins/balancedAllocation.ts';
import {
  brokenLinear,
  leastAllocatedScore,
  mostAllocatedScore,
  nodeResourcesFitFilter,
  nodeResourcesFitScore,
  podResourceRequest,
  requestedToCapacityRatioScore,
  resourceUseFor,
  validateScoringStrategy,
  type FitScoreOptions,
  type ResourceUse,
} from '../../src/sched/plugins/nodeResourcesFit.ts';
import { DEFAULT_CPU_MILLI_REQUEST, DEFAULT_MEM_MIB_REQUEST } from '../../src/model/units.ts';
import { wholeGpuAllocator } from '../../src/sched/plugins/wholeGpuAllocator.ts';
import { k8sDefault, type K8sDefaultOptions } from '../../src/sched/profiles/k8sDefault.ts';
import { FrameworkScheduler, numFeasibleNodesToFind } from '../../src/sched/runner.ts';
import { isStatus, statusMessage } from '../../src/sched/status.ts';
import { cluster, ctx, node, pod, type NodeBuilder, type PodBuilder } from '../builders/index.ts';

/** Binds a pod on node `nodeId` with the GPUs the whole-GPU allocator picks there. */
function place(c: ClusterState, nodeId: number, p: Pod): Pod {
  const gpus = wholeGpuAllocator.allocate(p, c.nodes[nodeId], ctx(c));
  if (isStatus(gpus)) throw new Error(`cannot place ${p.name}: ${statusMessage(gpus)}`);
  c.bind(p, { nodeId, gpus });
  return p;
}

/** A one-node cluster with `existing` pods already bound on it. */
function nodeWith(n: NodeBuilder, ...existing: PodBuilder[]): ClusterState {
  const c = cluster(n);
  for (const e of existing) place(c, 0, e.build());
  return c;
}

function k8s(options: Partial<K8sDefaultOptions> = {}, c?: ClusterState): Scheduler {
  const env = { scenario: {} as Scenario, cluster: c as ClusterState, rng: new Rng(0) };
  return k8sDefault.create({ ...k8sDefault.defaults, ...options }, env);
}

describe('NodeResourcesFit filter', () => {
  const cases: { name: string; c: () => ClusterState; p: PodBuilder; replicas?: number; want: string[] | null }[] = [
    // 1000 + 0 ≤ 4000 m and 1024 ≤ 16384 MiB.
    { name: 'fits an empty node', c: () => nodeWith(node().cpu(4000).mem(16384)), p: pod().cpu(1000).mem(1024), want: null },
    // 3500 + 1000 = 4500 > 4000 m.
    { name: 'cpu', c: () => nodeWith(node().cpu(4000), pod().cpu(3500)), p: pod().cpu(1000), want: ['Insufficient cpu'] },
    // 3500 + 1000 = 4500 ≤ 4500 m: equality fits.
    { name: 'cpu at capacity fits', c: () => nodeWith(node().cpu(4500), pod().cpu(3500)), p: pod().cpu(1000), want: null },
    // 16000 + 1024 = 17024 > 16384 MiB.
    { name: 'memory', c: () => nodeWith(node().mem(16384), pod().mem(16000)), p: pod().mem(1024), want: ['Insufficient memory'] },
    // 1 pod + 1 > maxPods 1.
    { name: 'pods', c: () => nodeWith(node().maxPods(1), pod()), p: pod(), want: ['Too many pods'] },
    // 2 used + 1 > 2 GPUs.
    { name: 'gpu', c: () => nodeWith(node().gpus(2), pod().gpus(2)), p: pod().gpus(1), want: ['Insufficient nvidia.com/gpu'] },
    // A node without GPUs: 0 + 1 > 0.
    { name: 'gpu on a CPU node', c: () => nodeWith(node()), p: pod().gpus(1), want: ['Insufficient nvidia.com/gpu'] },
    // Half a GPU still takes the whole device: 1 used + 1 > 1 GPU.
    { name: 'fractional request rounds up', c: () => nodeWith(node().gpus(1), pod().gpus(1, 500)), p: pod().gpus(1, 500), want: ['Insufficient nvidia.com/gpu'] },
    // Time-slicing replicas 2: 1 used + 1 ≤ 1·2 advertised.
    { name: 'time-slicing replicas', c: () => nodeWith(node().gpus(1)), p: pod().gpus(1), replicas: 2, want: null },
    // A zero request never fails, even on a full node (kube only checks requested resources).
    { name: 'zero request on a full node', c: () => nodeWith(node().cpu(1000).mem(1024), pod().cpu(1000).mem(1024)), p: pod(), want: null },
    // Every reason at once, in kube's order: pods, cpu, memory, then extended resources.
    {
      name: 'all reasons',
      c: () => nodeWith(node().cpu(1000).mem(1024).maxPods(1).gpus(1), pod().cpu(1000).mem(1024).gpus(1)),
      p: pod().cpu(1).mem(1).gpus(1),
      want: ['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient nvidia.com/gpu'],
    },
  ];
  it.each(cases)('$name', ({ c, p, replicas, want }) => {
    const cl = c();
    const status = nodeResourcesFitFilter(replicas ?? 1).filter(p.build(), cl.nodes[0], ctx(cl));
    expect(status === null ? null : status.reasons).toEqual(want);
    if (status) expect([status.code, status.plugin]).toEqual(['Unschedulable', 'NodeResourcesFit']);
  });
});

const CPU_MEM: FitScoreOptions['resources'] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const CPU_MEM_GPU: FitScoreOptions['resources'] = [...CPU_MEM, { name: 'nvidia.com/gpu', weight: 1 }];

describe('NodeResourcesFit score on NodeState', () => {
  const cases: { name: string; options: FitScoreOptions; c: () => ClusterState; p: PodBuilder; want: number }[] = [
    {
      name: 'LeastAllocated, existing and incoming requests',
      options: { strategy: 'LeastAllocated', resources: CPU_MEM },
      c: () => nodeWith(node().cpu(4000).mem(10000), pod().cpu(2000).mem(4000)),
      p: pod().cpu(1000).mem(2000),
      // cpu ((4000 − 3000)·100)/4000 = 25; memory ((10000 − 6000)·100)/10000 = 40; (25 + 40)/2 = 32 (truncated).
      want: 32,
    },
    {
      name: 'LeastAllocated, an empty pod counts 100 m / 200 MiB',
      options: { strategy: 'LeastAllocated', resources: CPU_MEM },
      c: () => nodeWith(node().cpu(4000).mem(10000)),
      p: pod(),
      // cpu ((4000 − 100)·100)/4000 = 97 (97.5 truncated); memory ((10000 − 200)·100)/10000 = 98; 195/2 = 97.
      want: 97,
    },
    {
      name: 'LeastAllocated, an empty pod already on the node counts too',
      options: { strategy: 'LeastAllocated', resources: CPU_MEM },
      c: () => nodeWith(node().cpu(1000).mem(1000), pod()),
      p: pod(),
      // cpu 100 + 100 = 200: (800·100)/1000 = 80; memory 200 + 200 = 400: (600·100)/1000 = 60; (80 + 60)/2 = 70.
      want: 70,
    },
    {
      name: 'LeastAllocated, a resource over capacity scores 0',
      options: { strategy: 'LeastAllocated', resources: CPU_MEM },
      c: () => nodeWith(node().cpu(100).mem(10000), pod()),
      p: pod(),
      // cpu 100 + 100 = 200 > 100 → 0; memory 400: (9600·100)/10000 = 96; (0 + 96)/2 = 48.
      want: 48,
    },
    {
      name: 'LeastAllocated with nvidia.com/gpu weighted',
      options: { strategy: 'LeastAllocated', resources: CPU_MEM_GPU },
      c: () => nodeWith(node().cpu(4000).mem(10000).gpus(8), pod().cpu(1000).mem(1000).gpus(2)),
      p: pod().cpu(1000).mem(1000).gpus(2),
      // cpu ((4000 − 2000)·100)/4000 = 50; memory ((10000 − 2000)·100)/10000 = 80; gpu ((8 − 4)·100)/8 = 50;
      // (50 + 80 + 50)/3 = 60.
      want: 60,
    },
    {
      name: 'nvidia.com/gpu not requested leaves the weight sum',
      options: { strategy: 'LeastAllocated', resources: CPU_MEM_GPU },
      c: () => nodeWith(node().cpu(4000).mem(10000).gpus(8)),
      p: pod().cpu(1000).mem(1000),
      // cpu (3000·100)/4000 = 75; memory (9000·100)/10000 = 90; gpu dropped; 165/2 = 82 (truncated).
      // (Were it scored as 0 requested it would be (75 + 90 + 100)/3 = 88.)
      want: 82,
    },
    {
      name: 'nvidia.com/gpu with time-slicing replicas',
      options: { strategy: 'LeastAllocated', resources: CPU_MEM_GPU, gpuReplicas: 2 },
      c: () => nodeWith(node().cpu(4000).mem(10000).gpus(2), pod().cpu(1000).mem(1000).gpus(1, 500)),
      p: pod().cpu(1000).mem(1000).gpus(1, 500),
      // cpu 50; memory 80; gpu 2 slots of 2·2 = 4 advertised: ((4 − 2)·100)/4 = 50; 180/3 = 60.
      want: 60,
    },
    {
      name: 'MostAllocated',
      options: { strategy: 'MostAllocated', resources: CPU_MEM },
      c: () => nodeWith(node().cpu(4000).mem(10000), pod().cpu(2000).mem(4000)),
      p: pod().cpu(1000).mem(2000),
      // cpu (3000·100)/4000 = 75; memory (6000·100)/10000 = 60; 135/2 = 67 (truncated).
      want: 67,
    },
    {
      name: 'MostAllocated, memory weight 2',
      options: { strategy: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 2 }] },
      c: () => nodeWith(node().cpu(4000).mem(10000), pod().cpu(2000).mem(4000)),
      p: pod().cpu(1000).mem(2000),
      // (75·1 + 60·2)/3 = 195/3 = 65.
      want: 65,
    },
    {
      name: 'MostAllocated caps a resource over capacity at 100',
      options: { strategy: 'MostAllocated', resources: CPU_MEM },
      c: () => nodeWith(node().cpu(100).mem(10000), pod()),
      p: pod(),
      // cpu min(200, 100)·100/100 = 100; memory (400·100)/10000 = 4; 104/2 = 52.
      want: 52,
    },
  ];
  it.each(cases)('$name', ({ options, c, p, want }) => {
    const cl = c();
    expect(nodeResourcesFitScore(options).score(p.build(), cl.nodes[0], ctx(cl))).toBe(want);
  });
});

describe('score formulas on resource uses', () => {
  const u = (requested: number, allocatable: number, weight = 1): ResourceUse => ({ requested, allocatable, weight });
  it.each([
    // ((4000 − 3000)·100)/4000 = 25; ((10000 − 5000)·100)/10000 = 50; 75/2 = 37.
    { fn: 'least', uses: [u(3000, 4000), u(5000, 10000)], want: 37 },
    // An allocatable of 0 leaves the weight sum: only ((4 − 1)·100)/4 = 75 counts.
    { fn: 'least', uses: [u(1, 4), u(5, 0)], want: 75 },
    // No resource at all: 0.
    { fn: 'least', uses: [], want: 0 },
    // (3000·100)/4000 = 75; (5000·100)/10000 = 50; 125/2 = 62.
    { fn: 'most', uses: [u(3000, 4000), u(5000, 10000)], want: 62 },
    // Weighted: (75·3 + 50·1)/4 = 275/4 = 68.
    { fn: 'most', uses: [u(3000, 4000, 3), u(5000, 10000, 1)], want: 68 },
  ])('$fn $uses → $want', ({ fn, uses, want }) => {
    expect(fn === 'least' ? leastAllocatedScore(uses) : mostAllocatedScore(uses)).toBe(want);
  });

  const LEAST_SHAPE = [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }];
  const MOST_SHAPE = [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }];
  it.each([
    // Shape ×10 → (0, 100), (100, 0). cpu util 3000·100/4000 = 75 → 100 − 100·75/100 = 25;
    // memory util 60 → 40; (25 + 40)/2 = 32.5 → rounded half away from zero: 33 (Least would truncate to 32).
    { name: 'least-like shape rounds', uses: [u(3000, 4000), u(6000, 10000)], shape: LEAST_SHAPE, want: 33 },
    // Shape (0, 0), (100, 100): util 75 → 75, util 60 → 60; 135/2 = 67.5 → 68.
    { name: 'most-like shape', uses: [u(3000, 4000), u(6000, 10000)], shape: MOST_SHAPE, want: 68 },
    // cpu util 0 → score 0, excluded from the weight sum; memory util 50 → 50; 50/1 = 50 (not 25).
    { name: 'zero-scoring resources leave the weight sum', uses: [u(0, 4000), u(5000, 10000)], shape: MOST_SHAPE, want: 50 },
    // Requested over capacity → utilization 100 → 100 on the most-like shape; weights 2 and 1: (100·2 + 50)/3 = 83.3 → 83.
    { name: 'over capacity counts as 100% utilization', uses: [u(5000, 4000, 2), u(5000, 10000, 1)], shape: MOST_SHAPE, want: 83 },
  ])('RequestedToCapacityRatio: $name', ({ uses, shape, want }) => {
    expect(requestedToCapacityRatioScore(uses, shape)).toBe(want);
  });

  it.each([
    // Below the first point: the first score.
    { p: 0, want: 1 },
    // 1 + ((9 − 1)·(50 − 10))/(90 − 10) = 1 + 320/80 = 5.
    { p: 50, want: 5 },
    // 1 + (8·9)/80 = 1 + 0 (integer division) = 1.
    { p: 19, want: 1 },
    // Above the last point: the last score.
    { p: 100, want: 9 },
  ])('brokenLinear((10,1),(90,9)) at $p = $want', ({ p, want }) => {
    expect(brokenLinear([{ utilization: 10, score: 1 }, { utilization: 90, score: 9 }], p)).toBe(want);
  });

  it.each([
    { resources: [{ name: 'cpu', weight: 1 }], want: [] },
    { resources: [{ name: 'cpu', weight: 0 }], want: ['scoringStrategy.resources[0].weight'] },
    { resources: [{ name: 'cpu', weight: 100 }, { name: 'memory', weight: 101 }], want: ['scoringStrategy.resources[1].weight'] },
  ])('weights must be in (0, 100]: $resources', ({ resources, want }) => {
    expect(validateScoringStrategy({ type: 'LeastAllocated', resources }).map((e) => e.field)).toEqual(want);
  });

  it('an RTCR shape must increase', () => {
    const errors = validateScoringStrategy({ type: 'RequestedToCapacityRatio', resources: [{ name: 'cpu', weight: 1 }], shape: [{ utilization: 50, score: 1 }, { utilization: 50, score: 2 }] });
    expect(errors.map((e) => e.field)).toEqual(['scoringStrategy.requestedToCapacityRatio.shape[1].utilization']);
  });
});

describe('BalancedAllocation', () => {
  it.each([
    // std of two = |0.6 − 0.25|/2 = 0.175; int((1 − 0.175)·100) = 82.
    { fractions: [0.6, 0.25], want: 82 },
    // |1 − 0.5|/2 = 0.25 → 75.
    { fractions: [1, 0.5], want: 75 },
    // Three: mean 0.5, variance (0.09 + 0 + 0.09)/3 = 0.06, std 0.2449…; int(75.50…) = 75.
    { fractions: [0.2, 0.5, 0.8], want: 75 },
    // One or no fraction: std 0 → 100.
    { fractions: [0.3], want: 100 },
    { fractions: [], want: 100 },
  ])('fractions $fractions → $want', ({ fractions, want }) => {
    expect(balancedAllocationScore(fractions)).toBe(want);
  });

  it.each([
    {
      name: 'raw requests, no defaults',
      c: () => nodeWith(node().cpu(10000).mem(20000), pod().cpu(3000)),
      p: pod().cpu(3000).mem(5000),
      // cpu (3000 + 3000)/10000 = 0.6; memory 5000/20000 = 0.25; 82 (as above).
      want: 82,
    },
    {
      name: 'the node filled evenly',
      c: () => nodeWith(node().cpu(10000).mem(20000), pod().cpu(2000).mem(4000)),
      p: pod().cpu(3000).mem(6000),
      // cpu 5000/10000 = 0.5; memory 10000/20000 = 0.5; std 0 → 100.
      want: 100,
    },
    {
      name: 'a pod requesting nothing is not scored',
      c: () => nodeWith(node().cpu(10000).mem(20000), pod().cpu(3000)),
      p: pod(),
      // PreScore Skip: every node gets 0, so the plugin cannot tell nodes apart.
      want: 0,
    },
  ])('on NodeState: $name', ({ c, p, want }) => {
    const cl = c();
    expect(balancedAllocation.score(p.build(), cl.nodes[0], ctx(cl))).toBe(want);
  });
});

describe('pod requests with init containers (AggregateContainerRequests, component-helpers resource/helpers.go)', () => {
  it.each([
    // max(Σ app, max init): cpu max(500, 3000) = 3000; memory max(1024, 512) = 1024.
    { name: 'a large init container raises cpu only', pod: { containers: [{ cpu: 500, memory: 1024 }], initContainers: [{ cpu: 3000, memory: 512 }] }, want: { cpu: 3000, memory: 1024 } },
    // Two init containers run one after the other: the larger counts, never their sum. cpu max(500, 800, 700) = 800.
    { name: 'init containers do not add up', pod: { containers: [{ cpu: 500 }], initContainers: [{ cpu: 800 }, { cpu: 700 }] }, want: { cpu: 800 } },
    // A sidecar runs the whole time: Σ = 500 + 200 = 700 for the app phase; init runs beside the sidecar:
    // 600 + 200 = 800 → cpu 800.
    { name: 'an init container runs beside the sidecars started before it', pod: { containers: [{ cpu: 500 }], sidecars: [{ cpu: 200 }], initContainers: [{ cpu: 600 }] }, want: { cpu: 800 } },
  ])('$name', ({ pod, want }) => {
    expect(podResourceRequest(pod, null)).toEqual(want);
  });

  it('applies the non-zero defaults to init containers too', () => {
    // The app container sets cpu only: memory counts 200 MiB = 209715200 bytes. The init container sets memory
    // only (300 MiB): its cpu counts the 100 m default. cpu max(50, 100) = 100; memory max(209715200, 314572800).
    const r = podResourceRequest({ containers: [{ cpu: 50 }], initContainers: [{ memory: 314572800 }] }, { cpu: 100, memory: 209715200 });
    expect(r).toEqual({ cpu: 100, memory: 314572800 });
  });
});

describe('percentageOfNodesToScore (numFeasibleNodesToFind)', () => {
  it.each([
    // Fewer than 100 nodes: all of them.
    { n: 50, pct: 'adaptive' as const, want: 50 },
    { n: 99, pct: 10, want: 99 },
    // 100 nodes: pct 50 − 100/125 = 50 − 0 = 50; 100·50/100 = 50 < 100 → 100.
    { n: 100, pct: 'adaptive' as const, want: 100 },
    // 500: 50 − 4 = 46; 500·46/100 = 230.
    { n: 500, pct: 'adaptive' as const, want: 230 },
    // 1000: 50 − 8 = 42 → 420.
    { n: 1000, pct: 'adaptive' as const, want: 420 },
    // 5000: 50 − 40 = 10 → 500.
    { n: 5000, pct: 'adaptive' as const, want: 500 },
    // 6000: 50 − 48 = 2 < 5 → 5%; 6000·5/100 = 300.
    { n: 6000, pct: 'adaptive' as const, want: 300 },
    // A configured 0 means adaptive: 200 → 50 − 1 = 49; 98 < 100 → 100.
    { n: 200, pct: 0, want: 100 },
    // 100% scores every node.
    { n: 1000, pct: 100, want: 1000 },
    // 10% of 1000 = 100; 5% of 1000 = 50 → raised to the minimum 100.
    { n: 1000, pct: 10, want: 100 },
    { n: 1000, pct: 5, want: 100 },
    // 30% of 5000 = 1500.
    { n: 5000, pct: 30, want: 1500 },
  ])('$n nodes at $pct → $want', ({ n, pct, want }) => {
    expect(numFeasibleNodesToFind(n, pct)).toBe(want);
  });

  it('stops filtering after enough feasible nodes and starts the next search where it stopped', () => {
    // 200 identical nodes at 10%: 200·10/100 = 20 < 100 → 100 feasible nodes wanted. The first search examines
    // nodes 0..99, the second starts at (0 + 100) mod 200 = 100 and examines 100..199.
    const c = cluster(...Array.from({ length: 200 }, () => node().cpu(8000).mem(32768)));
    const s = k8s({ percentageOfNodesToScore: 10 }) as FrameworkScheduler;
    const cx = ctx(c, 3);
    const first = s.attempt(pod().cpu(100).build(), cx);
    const second = s.attempt(pod().cpu(100).build(), cx);
    expect(first.feasible).toBe(100);
    expect(first.nodeIndex).toBeLessThan(100);
    expect(second.feasible).toBe(100);
    expect(second.nodeIndex).toBeGreaterThanOrEqual(100);
  });
});

describe('k8s-default profile on small clusters', () => {
  const gpuNode = (): NodeBuilder => node().cpu(8000).mem(32768).gpus(2);

  it('spreads pods by LeastAllocated', () => {
    // An empty node scores cpu (8000 − 2000)·100/8000 = 75, memory (32768 − 8192)·100/32768 = 75 → 75 (+ 100
    // balanced); a node already holding one pod scores (8000 − 4000)·100/8000 = 50, 50 → 50 (+ 100). So each of
    // three pods lands on a different node, whatever the tie-breaks.
    const c = cluster(gpuNode(), gpuNode(), gpuNode());
    const pods = [0, 1, 2].map(() => pod().cpu(2000).mem(8192).gpus(1).build());
    const r = k8s().cycle(pods, ctx(c, 7));
    expect(r.bound).toHaveLength(3);
    expect(new Set(pods.map((p) => p.binding!.nodeId)).size).toBe(3);
  });

  it('packs with MostAllocated', () => {
    // MostAllocated: a node with one pod scores 50 against 25 for an empty node, so all three share a node
    // until its two GPUs run out: 2 on one node, the third elsewhere.
    const c = cluster(gpuNode(), gpuNode(), gpuNode());
    const pods = [0, 1, 2].map(() => pod().cpu(2000).mem(8192).gpus(1).build());
    k8s({ strategy: 'MostAllocated' }).cycle(pods, ctx(c, 7));
    expect(pods[1].binding!.nodeId).toBe(pods[0].binding!.nodeId);
    expect(pods[2].binding!.nodeId).not.toBe(pods[0].binding!.nodeId);
  });

  it('rounds a fractional GPU request up to a whole GPU', () => {
    const c = cluster(node().cpu(8000).mem(32768).gpus(1, 'A100-80G'));
    const half = pod().gpus(1, 500).build();
    const other = pod().gpus(1, 500).build();
    const r = k8s().cycle([half, other], ctx(c));
    // The half-GPU pod books the entire card: 1000 milli and all 81920 MiB (A100 80 GB); the second pod finds
    // no free GPU.
    expect(r.bound).toEqual([half]);
    expect(half.binding!.gpus).toEqual([{ gpu: 0, milli: 1000, memMiB: c.nodes[0].gpus[0].memMiB, cores: 100, slots: 1 }]);
    expect(c.nodes[0].gpus[0].usedMilli).toBe(1000);
    expect(r.failed).toEqual([other]);
    expect(other.lastReason).toBe('0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
  });

  it('says why no node fits, counted by reason like kubectl describe', () => {
    // node 0: too little CPU (1000 m < 2000 m); nodes 1 and 2: no GPU; node 3: an H100 node for an A100-only pod.
    const c = cluster(node().cpu(1000).mem(32768).gpus(1), node().cpu(8000).mem(32768), node().cpu(8000).mem(32768), node().cpu(8000).mem(32768).gpus(1, 'H100'));
    const p = pod().cpu(2000).gpus(1).models('A100-80G').build();
    const r = k8s().cycle([p], ctx(c));
    expect(r.failed).toEqual([p]);
    expect(p.lastReason).toBe("0/4 nodes are available: 1 Insufficient cpu, 2 Insufficient nvidia.com/gpu, 1 node(s) didn't match Pod's node affinity/selector.");
  });

  it('breaks ties by reservoir sampling from the seeded RNG: same seed, same node; seeds spread evenly', () => {
    // Four identical empty nodes tie on every score; each is picked with probability 1/4.
    const choose = (seed: number): number => {
      const c = cluster(gpuNode(), gpuNode(), gpuNode(), gpuNode());
      const p = pod().cpu(1000).gpus(1).build();
      k8s().cycle([p], ctx(c, seed));
      return p.binding!.nodeId;
    };
    const counts = [0, 0, 0, 0];
    for (let seed = 1; seed <= 400; seed++) {
      const a = choose(seed);
      expect(choose(seed)).toBe(a);
      counts[a]++;
    }
    // 400 draws, expected 100 each (binomial sd ≈ 8.7): every count within 100 ± 40.
    for (const n of counts) {
      expect(n).toBeGreaterThan(60);
      expect(n).toBeLessThan(140);
    }
  });

  it('explains a decision: per-plugin raw, normalized and weight for the top candidates', () => {
    const c = cluster(node().named('busy').cpu(4000).mem(10000).gpus(1), node().named('idle').cpu(4000).mem(10000).gpus(1));
    place(c, 0, pod().cpu(2000).mem(4000).build());
    const s = k8s();
    const e = s.explain(pod().cpu(1000).mem(2000).gpus(1).build(), ctx(c));
    expect(e.feasibleNodes).toBe(2);
    expect(e.message).toBe('');
    // idle: Fit cpu (3000·100)/4000 = 75, memory (8000·100)/10000 = 80 → 77; Balanced |0.25 − 0.2|/2 = 0.025 → 97.
    // busy: Fit cpu 25, memory 40 → 32; Balanced |0.75 − 0.6|/2 = 0.075 → 92 (int(92.49…)).
    expect(e.top.map((t) => [t.node, t.total])).toEqual([['idle', 77 + 97], ['busy', 32 + 92]]);
    expect(e.top[0].plugins).toEqual([
      { plugin: 'NodeResourcesFit', raw: 77, normalized: 77, weight: 1 },
      { plugin: 'NodeResourcesBalancedAllocation', raw: 97, normalized: 97, weight: 1 },
    ]);
    expect(e.node).toBe('idle');
  });
});

describe('the simulator path is the conformance-checked formula', () => {
  // nodeResourcesFitScore inlines the arithmetic for speed; the conformance vectors run leastAllocatedScore /
  // mostAllocatedScore over resourceUseFor. On random nodes and pods both must give the same score.
  it('nodeResourcesFitScore = least/mostAllocatedScore over resourceUseFor', () => {
    fc.assert(
      fc.property(
        fc.record({
          strategy: fc.constantFrom('LeastAllocated' as const, 'MostAllocated' as const),
          weights: fc.tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 100 })),
          nodeCpu: fc.integer({ min: 1, max: 64000 }),
          nodeMem: fc.integer({ min: 1, max: 262144 }),
          nodeGpus: fc.integer({ min: 0, max: 8 }),
          existing: fc.array(fc.record({ cpu: fc.integer({ min: 0, max: 8000 }), mem: fc.integer({ min: 0, max: 32768 }), gpus: fc.integer({ min: 0, max: 2 }) }), { maxLength: 4 }),
          cpu: fc.integer({ min: 0, max: 16000 }),
          mem: fc.integer({ min: 0, max: 65536 }),
          gpus: fc.integer({ min: 0, max: 4 }),
        }),
        (x) => {
          const c = cluster(node().cpu(x.nodeCpu).mem(x.nodeMem).gpus(x.nodeGpus).maxPods(100));
          for (const e of x.existing) {
            const p = pod().cpu(e.cpu).mem(e.mem).gpus(e.gpus).build();
            const n = c.nodes[0];
            if (n.usedCpuMilli + e.cpu > n.cpuMilli || n.usedMemMiB + e.mem > n.memMiB || n.freeWholeGpus < e.gpus) continue;
            place(c, 0, p);
          }
          const n = c.nodes[0];
          const resources: FitScoreOptions['resources'] = [{ name: 'cpu', weight: x.weights[0] }, { name: 'memory', weight: x.weights[1] }];
          if (x.weights[2] > 0) resources.push({ name: 'nvidia.com/gpu', weight: x.weights[2] });
          const incoming = pod().cpu(x.cpu).mem(x.mem).gpus(x.gpus).build();
          const uses = resources
            .map((r) =>
              r.name === 'cpu'
                ? resourceUseFor('cpu', r.weight, n.nonZeroCpuMilli, x.cpu || DEFAULT_CPU_MILLI_REQUEST, n.cpuMilli)
                : r.name === 'memory'
                  ? resourceUseFor('memory', r.weight, n.nonZeroMemMiB, x.mem || DEFAULT_MEM_MIB_REQUEST, n.memMiB)
                  : resourceUseFor(r.name, r.weight, n.gpus.reduce((s, g) => s + g.usedSlots, 0), x.gpus, n.gpus.length),
            )
            .filter((u): u is ResourceUse => u !== null);
          const want = x.strategy === 'LeastAllocated' ? leastAllocatedScore(uses) : mostAllocatedScore(uses);
          expect(nodeResourcesFitScore({ strategy: x.strategy, resources }).score(incoming, n, ctx(c))).toBe(want);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});
