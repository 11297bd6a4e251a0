/**
 * Runtime cluster state: nodes and GPUs with what is booked on them. The simulator and every scheduler share
 * this one mutable structure; `bind` and `unbind` are the only ways bookings change, and they check that no
 * resource ever goes over its capacity unless the profile allows it (time-slicing oversubscribes memory).
 */
import { invariant } from '../core/invariant.ts';
import type { ClusterSpec, NodePoolSpec, Topology } from '../scenario/types.ts';
import type { GpuModel } from '../scenario/gpuCatalog.ts';
import type { Binding, Pod } from './pod.ts';
import { GPU_CORES, GPU_MILLI } from './units.ts';

export interface GpuState {
  /** Index on the node (the device index). */
  index: number;
  /** Catalog id. */
  model: string;
  memMiB: number;
  /** Compute capacity in percent (100). */
  cores: number;
  /** NUMA node (CPU socket) the card hangs off. */
  numa: number;
  healthy: boolean;
  usedMilli: number;
  usedMemMiB: number;
  usedCores: number;
  /** Pods sharing this GPU (HAMi `used`). */
  usedSlots: number;
}

export interface NodeState {
  id: number;
  name: string;
  pool: string;
  rack: string;
  labels: Readonly<Record<string, string>>;
  topology: Topology;
  gpuModel: string;
  cpuMilli: number;
  memMiB: number;
  maxPods: number;
  usedCpuMilli: number;
  usedMemMiB: number;
  /** Requests as kube-scheduler's NodeResourcesFit scoring counts them (100 m / 200 MiB for empty requests). */
  nonZeroCpuMilli: number;
  nonZeroMemMiB: number;
  podCount: number;
  gpus: GpuState[];
  /** Sum of free milli-GPU over the node's GPUs (kept in step with the GPUs). */
  freeGpuMilli: number;
  /** Number of GPUs with nothing booked. */
  freeWholeGpus: number;
  /** Σ sharing slots taken over the node's GPUs (`nvidia.com/gpu` in use, counting time-slicing replicas). */
  usedGpuSlots: number;
  /** Bumped on every change, so caches keyed by node can tell when to recompute (change it only through ClusterState). */
  version: number;
}

export interface ClusterOptions {
  /** Allow GPU memory bookings over capacity (time-slicing has no memory isolation). */
  allowMemOversubscription?: boolean;
  /** Sharing slots one GPU offers (time-slicing `replicas: N`); unset = 1 (a slot is a tenant). */
  replicasPerGpu?: number;
}

/** Builds the node list of a cluster spec. Node names are `<pool>-<i>` (zero-padded within the pool). */
export function buildNodes(spec: ClusterSpec, catalog: Record<string, GpuModel>): NodeState[] {
  const nodes: NodeState[] = [];
  for (const pool of spec.pools) {
    const width = String(Math.max(pool.count - 1, 0)).length;
    for (let i = 0; i < pool.count; i++) nodes.push(makeNode(nodes.length, pool, i, width, catalog));
  }
  return nodes;
}

function makeNode(id: number, pool: NodePoolSpec, i: number, width: number, catalog: Record<string, GpuModel>): NodeState {
  const model = catalog[pool.gpuModel];
  const racks = Math.max(1, pool.racks ?? 1);
  const rack = pool.labels?.rack ?? `${pool.name}-r${i % racks}`;
  const gpus: GpuState[] = [];
  const numa = Math.max(1, pool.numaNodes);
  for (let g = 0; g < pool.gpusPerNode; g++) {
    gpus.push({
      index: g,
      model: pool.gpuModel,
      memMiB: model ? model.memMiB : 0,
      cores: GPU_CORES,
      numa: Math.floor((g * numa) / pool.gpusPerNode),
      healthy: true,
      usedMilli: 0,
      usedMemMiB: 0,
      usedCores: 0,
      usedSlots: 0,
    });
  }
  return {
    id,
    name: `${pool.name}-${String(i).padStart(width, '0')}`,
    pool: pool.name,
    rack,
    labels: { ...(pool.labels ?? {}), rack },
    topology: pool.topology,
    gpuModel: pool.gpuModel,
    cpuMilli: pool.cpuMilli,
    memMiB: pool.memMiB,
    maxPods: pool.maxPods ?? 110,
    usedCpuMilli: 0,
    usedMemMiB: 0,
    nonZeroCpuMilli: 0,
    nonZeroMemMiB: 0,
    podCount: 0,
    gpus,
    freeGpuMilli: gpus.length * GPU_MILLI,
    freeWholeGpus: gpus.length,
    usedGpuSlots: 0,
    version: 0,
  };
}

/** The mutable cluster: nodes plus the pods bound to them. */
export class ClusterState {
  readonly nodes: NodeState[];
  readonly catalog: Record<string, GpuModel>;
  options: ClusterOptions;
  /** Pods bound to each node, by node id. */
  readonly podsOnNode: Pod[][];
  readonly totalGpus: number;
  /** Bumped on every bind/unbind. */
  version = 0;
  /** Each node's `version`, as a typed array for hot loops (kept in step by bind/unbind). */
  readonly nodeVersion: Int32Array;

  constructor(nodes: NodeState[], catalog: Record<string, GpuModel>, options: ClusterOptions = {}) {
    this.nodes = nodes;
    this.catalog = catalog;
    this.options = options;
    this.podsOnNode = nodes.map(() => []);
    this.totalGpus = nodes.reduce((s, n) => s + n.gpus.length, 0);
    this.nodeVersion = Int32Array.from(nodes, (n) => n.version);
  }

  /** Builds the state of a cluster spec. */
  static fromSpec(spec: ClusterSpec, catalog: Record<string, GpuModel>, options: ClusterOptions = {}): ClusterState {
    return new ClusterState(buildNodes(spec, catalog), catalog, options);
  }

  /** Books a pod's binding on its node. Throws (a bug) if it would over-allocate anything. */
  bind(pod: Pod, binding: Binding): void {
    invariant(pod.binding === null, () => `pod ${pod.name} is already bound`);
    const node = this.nodes[binding.nodeId];
    invariant(node !== undefined, () => `bind ${pod.name}: no node ${binding.nodeId}`);
    const r = pod.request;
    invariant(node.usedCpuMilli + r.cpuMilli <= node.cpuMilli, () => `bind ${pod.name}: cpu over capacity on ${node.name}`);
    invariant(node.usedMemMiB + r.memMiB <= node.memMiB, () => `bind ${pod.name}: memory over capacity on ${node.name}`);
    invariant(node.podCount + 1 <= node.maxPods, () => `bind ${pod.name}: too many pods on ${node.name}`);
    for (const b of binding.gpus) {
      const g = node.gpus[b.gpu];
      invariant(g !== undefined, () => `bind ${pod.name}: no GPU ${b.gpu} on ${node.name}`);
      invariant(g.usedMilli + b.milli <= GPU_MILLI, () => `bind ${pod.name}: GPU ${node.name}/${b.gpu} over 1000 milli`);
      invariant(g.usedCores + b.cores <= g.cores, () => `bind ${pod.name}: GPU ${node.name}/${b.gpu} over its cores`);
      invariant(this.options.allowMemOversubscription || g.usedMemMiB + b.memMiB <= g.memMiB, () => `bind ${pod.name}: GPU ${node.name}/${b.gpu} over its memory`);
    }
    for (const b of binding.gpus) {
      const g = node.gpus[b.gpu];
      const wasFree = gpuIsFree(g);
      g.usedMilli += b.milli;
      g.usedMemMiB += b.memMiB;
      g.usedCores += b.cores;
      g.usedSlots += b.slots;
      node.usedGpuSlots += b.slots;
      node.freeGpuMilli -= b.milli;
      if (wasFree && !gpuIsFree(g)) node.freeWholeGpus--;
    }
    node.usedCpuMilli += r.cpuMilli;
    node.usedMemMiB += r.memMiB;
    node.nonZeroCpuMilli += r.cpuMilli === 0 ? 100 : r.cpuMilli;
    node.nonZeroMemMiB += r.memMiB === 0 ? 200 : r.memMiB;
    node.podCount++;
    node.version++;
    this.nodeVersion[node.id] = node.version;
    this.version++;
    pod.binding = binding;
    this.podsOnNode[node.id].push(pod);
  }

  /** Releases a bound pod's bookings. */
  unbind(pod: Pod): void {
    const binding = pod.binding;
    invariant(binding !== null, () => `pod ${pod.name} is not bound`);
    const node = this.nodes[binding.nodeId];
    const r = pod.request;
    for (const b of binding.gpus) {
      const g = node.gpus[b.gpu];
      const wasFree = gpuIsFree(g);
      g.usedMilli -= b.milli;
      g.usedMemMiB -= b.memMiB;
      g.usedCores -= b.cores;
      g.usedSlots -= b.slots;
      node.usedGpuSlots -= b.slots;
      node.freeGpuMilli += b.milli;
      invariant(g.usedMilli >= 0 && g.usedSlots >= 0 && g.usedCores >= 0, () => `unbind ${pod.name}: negative usage on ${node.name}/${b.gpu}`);
      if (!wasFree && gpuIsFree(g)) node.freeWholeGpus++;
    }
    node.usedCpuMilli -= r.cpuMilli;
    node.usedMemMiB -= r.memMiB;
    node.nonZeroCpuMilli -= r.cpuMilli === 0 ? 100 : r.cpuMilli;
    node.nonZeroMemMiB -= r.memMiB === 0 ? 200 : r.memMiB;
    node.podCount--;
    node.version++;
    this.nodeVersion[node.id] = node.version;
    this.version++;
    const list = this.podsOnNode[node.id];
    const at = list.indexOf(pod);
    invariant(at >= 0, () => `unbind ${pod.name}: not listed on ${node.name}`);
    list.splice(at, 1);
    pod.binding = null;
  }

  /** Marks a node as changed after its fields were edited directly (tests, benchmarks): caches recompute it. */
  touch(node: NodeState): void {
    node.version++;
    this.nodeVersion[node.id] = node.version;
    this.version++;
  }

  /** Node by name, or undefined. */
  nodeByName(name: string): NodeState | undefined {
    return this.nodes.find((n) => n.name === name);
  }
}

/** True when a GPU has nothing booked. */
export function gpuIsFree(g: GpuState): boolean {
  return g.usedSlots === 0 && g.usedMilli === 0;
}
