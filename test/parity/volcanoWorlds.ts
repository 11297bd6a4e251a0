/**
 * Seeded worlds for the Volcano kernel suites (test/engine/volcanoTwin.test.ts, test/parity/volcano.parity.test.ts):
 * random clusters whose cards carry both whole-GPU and vGPU-slice bookings, random tasks, the profile
 * configurations the kernel covers, and boundary worlds where Volcano's float64 total orders or ties nodes
 * differently from the exact rational total.
 */
import { Rng } from '../../src/core/rng.ts';
import { ClusterState, buildNodes } from '../../src/model/cluster.ts';
import { GPU_CATALOG, resolveCatalog } from '../../src/scenario/gpuCatalog.ts';
import type { Pod, PodRequest } from '../../src/model/pod.ts';
import type { NodePoolSpec } from '../../src/scenario/types.ts';
import { balancedAllocationScore } from '../../src/sched/plugins/balancedAllocation.ts';
import { leastAllocatedScore } from '../../src/sched/plugins/nodeResourcesFit.ts';
import { volcano, volcanoHami, volcanoSessionConfig, type VolcanoHamiOptions } from '../../src/sched/profiles/volcano.ts';
import { binpackScore } from '../../src/sched/volcano/binpack.ts';
import { fitVgpu } from '../../src/sched/volcano/deviceshare.ts';
import { NodePlugins, type SessionConfig } from '../../src/sched/volcano/session.ts';
import { wholeGpuAllocator } from '../../src/sched/plugins/wholeGpuAllocator.ts';
import { isStatus } from '../../src/sched/status.ts';

const MODELS = ['A100-80G', 'T4', 'L4'];
/** Non-dyadic capacities, so float64 rounding of the fractions matters. */
const CPU_CHOICES = [10, 30, 1000, 3000, 6000, 10000, 96000, 128000, 4294967];
const MEM_CHOICES = [10, 20, 100, 1000, 16384, 20000, 262144, 786432, 33554431];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

let uid = 2_000_000;

/** A pod wrapping a request. */
export function vpod(request: PodRequest, priority = 0): Pod {
  const id = uid++;
  return {
    uid: id, name: `v-${id}`, kind: 'batch', workload: 0, request, priority, queue: 'default', annotations: {}, gang: -1, gangMin: 0,
    createdS: 0, phase: 'pending', binding: null, boundS: -1, attempts: 0, lastReason: '',
  };
}

/** A task request at the cluster's scale: CPU-only, whole GPUs, slices with memory/cores, model lists, best effort. */
export function randomTask(rng: Rng, maxCpu: number, maxMem: number, cardMem: number): PodRequest {
  const small = rng.int(3) === 0;
  const cpuMilli = rng.int(4) === 0 ? 0 : small ? rng.int(11) : rng.int(Math.max(1, Math.floor(maxCpu / 2)) + 1);
  const memMiB = rng.int(4) === 0 ? 0 : small ? rng.int(11) : rng.int(Math.max(1, Math.floor(maxMem / 2)) + 1);
  const gpuCount = rng.int(3) === 0 ? 0 : rng.int(6);
  const gpuModels = gpuCount > 0 && rng.int(4) === 0 ? [pick(rng, MODELS)].concat(rng.int(2) ? ['H100'] : []) : [];
  return {
    cpuMilli, memMiB, gpuCount,
    gpuMilli: gpuCount > 0 ? pick(rng, [0, 100, 250, 500, 1000]) : 0,
    gpuMemMiB: gpuCount > 0 ? pick(rng, [0, 1, 1000, 3001, Math.max(1, Math.floor(cardMem / 3)), cardMem]) : 0,
    gpuCores: gpuCount > 0 ? pick(rng, [0, 10, 30, 50, 100, 150]) : 0,
    gpuModels,
  };
}

/** The profile configurations the suites cover: (name, session config). */
export function volcanoConfigs(): { name: string; config: SessionConfig }[] {
  const whole = (o: Partial<VolcanoHamiOptions>) => volcanoSessionConfig({ ...volcano.defaults, ...o }, { kind: 'whole' });
  const vgpu = (o: Partial<VolcanoHamiOptions>) => {
    const all = { ...volcanoHami.defaults, ...o };
    return volcanoSessionConfig(all, { kind: 'vgpu', cfg: { policy: all.deviceSharePolicy, weight: all.deviceShareWeight, splitCount: all.splitCount } });
  };
  return [
    { name: 'volcano', config: whole({}) },
    { name: 'volcano binpack gpu 2, weight 3, cpu 2, memory 5', config: whole({ binpackGpu: 2, binpackWeight: 3, binpackCpu: 2, binpackMemory: 5 }) },
    { name: 'volcano binpack off', config: whole({ binpackWeight: 0 }) },
    { name: 'volcano-hami', config: vgpu({}) },
    { name: 'volcano-hami spread', config: vgpu({ deviceSharePolicy: 'spread' }) },
    { name: 'volcano-hami split 2, weight 1, binpack memory 0', config: vgpu({ splitCount: 2, deviceShareWeight: 1, binpackMemory: 0 }) },
  ];
}

/** A random cluster with existing usage: CPU pods, whole GPUs, and vGPU slices (binpack and spread card orders). */
export function randomVolcanoCluster(rng: Rng, nodeCount: number): ClusterState {
  const pools: NodePoolSpec[] = [];
  let left = nodeCount;
  let k = 0;
  while (left > 0) {
    const count = Math.min(left, 1 + rng.int(Math.max(1, Math.ceil(nodeCount / 3))));
    left -= count;
    pools.push({
      name: `pool${k++}`, count, gpuModel: pick(rng, MODELS), gpusPerNode: pick(rng, [0, 1, 2, 3, 4, 8]), cpuMilli: pick(rng, CPU_CHOICES),
      memMiB: pick(rng, MEM_CHOICES), topology: 'pcie', numaNodes: 1, maxPods: pick(rng, [1, 2, 3, 110]),
    });
  }
  const c = new ClusterState(buildNodes({ pools }, resolveCatalog(undefined)), { ...GPU_CATALOG });
  for (const n of c.nodes) for (const g of n.gpus) if (rng.int(10) === 0) g.healthy = false;
  const tries = nodeCount * 3;
  for (let t = 0; t < tries; t++) {
    const n = c.nodes[rng.int(c.nodes.length)];
    const r = randomTask(rng, n.cpuMilli, n.memMiB, n.gpus[0]?.memMiB ?? 0);
    if (n.usedCpuMilli + r.cpuMilli > n.cpuMilli || n.usedMemMiB + r.memMiB > n.memMiB || n.podCount + 1 > n.maxPods) continue;
    const p = vpod(r);
    const kind = rng.int(3);
    let gpus;
    if (kind === 0) {
      const a = wholeGpuAllocator.allocate(p, n, { cluster: c, rng, nowS: 0 });
      if (isStatus(a)) continue;
      gpus = a;
    } else {
      const f = fitVgpu(p, n, { policy: kind === 1 ? 'binpack' : 'spread', splitCount: 4, weight: 0 });
      if ('status' in f) continue;
      gpus = f.gpus;
    }
    c.bind(p, { nodeId: n.id, gpus });
  }
  return c;
}

/** The plugin path's view of one candidate: reasons (sorted) or the float64 total NodePlugins sums. */
export function pluginCandidate(plugins: NodePlugins, pod: Pod, cluster: ClusterState, node: number): { reasons: string[] } | { total: number } {
  const f = plugins.fit(pod, cluster.nodes[node]);
  if ('status' in f) return { reasons: [...f.status.reasons].sort() };
  const ctx = { cluster, rng: new Rng(1), nowS: 0 };
  return { total: plugins.scores(pod, cluster.nodes[node], f.deviceScore, ctx).reduce((t, p) => t + p.weight * p.normalized, 0) };
}

/** One boundary node: capacities, usage booked before the task, and the task's cpu/memory request. */
export interface BoundaryNode {
  cpu: number;
  mem: number;
  usedCpu: number;
  usedMem: number;
}

/** Exact rational total of the default volcano config (leastrequested + balancedresource + binpack cpu 1 memory 1) as a reduced "p/q" key. */
function exactKey(n: BoundaryNode, rc: number, rm: number, lr: number, br: number): string {
  // 100 · ((uc + rc)/ac + (um + rm)/am) / 2 + lr + br = (50·((uc+rc)·am + (um+rm)·ac) + (lr+br)·ac·am) / (ac·am)
  let p = 50n * (BigInt(n.usedCpu + rc) * BigInt(n.mem) + BigInt(n.usedMem + rm) * BigInt(n.cpu)) + BigInt(lr + br) * BigInt(n.cpu) * BigInt(n.mem);
  let q = BigInt(n.cpu) * BigInt(n.mem);
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
  const g = gcd(p, q);
  p /= g;
  q /= g;
  return `${p}/${q}`;
}

/**
 * Groups of boundary nodes (task cpu 1, memory 1; default volcano scoring, no GPUs on the nodes) whose exact
 * rational totals are equal while their float64 totals are not: an exact formula would tie every node of a group,
 * Volcano (and the kernel) does not. Up to `max` groups of at most `maxSize` nodes, in a fixed order.
 */
export function boundaryGroups(max: number, maxSize = 40): BoundaryNode[][] {
  const rc = 1;
  const rm = 1;
  const byKey = new Map<string, { node: BoundaryNode; total: number }[]>();
  for (const cpu of [3, 5, 6, 7, 10, 12, 30]) {
    for (const mem of [3, 5, 6, 7, 10, 20, 24]) {
      for (let usedCpu = 0; usedCpu + rc <= cpu; usedCpu++) {
        for (let usedMem = 0; usedMem + rm <= mem; usedMem++) {
          if ((usedCpu === 0) !== (usedMem === 0)) continue; // usage is booked as pods requesting both
          const node = { cpu, mem, usedCpu, usedMem };
          // non-zero sums = usage (its pods request cpu and memory) + the task's request
          const lr = leastAllocatedScore([{ requested: usedCpu + rc, allocatable: cpu, weight: 1 }, { requested: usedMem + rm, allocatable: mem, weight: 1 }]);
          const br = balancedAllocationScore([Math.min(1, (usedCpu + rc) / cpu), Math.min(1, (usedMem + rm) / mem)]);
          const s = binpackScore({ weight: 1, resources: { cpu: 1, memory: 1 } }, [
            { name: 'cpu', request: rc, used: usedCpu, allocatable: cpu },
            { name: 'memory', request: rm, used: usedMem, allocatable: mem },
          ]);
          const key = exactKey(node, rc, rm, lr, br);
          const list = byKey.get(key) ?? [];
          list.push({ node, total: 0 + lr + br + s });
          byKey.set(key, list);
        }
      }
    }
  }
  const out: BoundaryNode[][] = [];
  for (const list of byKey.values()) {
    if (out.length >= max) break;
    if (list.length > maxSize || new Set(list.map((e) => e.total)).size < 2) continue;
    out.push(list.map((e) => e.node));
  }
  return out;
}

/**
 * A cluster of boundary nodes (one pool each, no GPUs), their usage booked as CPU-and-memory pods, and the task
 * (cpu 1, memory 1) whose totals on them tie exactly but not in float64. `shuffle` permutes the nodes.
 */
export function boundaryWorld(nodes: readonly BoundaryNode[], rng: Rng): { cluster: ClusterState; task: Pod } {
  const order = rng.shuffle(nodes.map((_, i) => i));
  const pools: NodePoolSpec[] = order.map((i, k) => ({
    name: `b${k}`, count: 1, gpuModel: 'T4', gpusPerNode: 0, cpuMilli: nodes[i].cpu, memMiB: nodes[i].mem, topology: 'pcie', numaNodes: 1, maxPods: 110,
  }));
  const cluster = new ClusterState(buildNodes({ pools }, resolveCatalog(undefined)), { ...GPU_CATALOG });
  order.forEach((i, k) => {
    const n = nodes[i];
    if (n.usedCpu > 0 || n.usedMem > 0) {
      // one pod requesting both (a zero request would count 100 m / 200 MiB in the non-zero sums)
      cluster.bind(vpod({ cpuMilli: n.usedCpu, memMiB: n.usedMem, gpuCount: 0, gpuMilli: 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] }), { nodeId: k, gpus: [] });
    }
  });
  return { cluster, task: vpod({ cpuMilli: 1, memMiB: 1, gpuCount: 0, gpuMilli: 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] }) };
}
