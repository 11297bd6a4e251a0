/**
 * Host-side plumbing shared by the WebGPU engines (gpuEngine.ts, hamiGpu.ts, volcanoGpuEngine.ts): buffers grown on
 * demand with deferred destruction, the resident replica state (node/GPU rows of R clusters side by side, refreshed
 * by per-node deltas), compute passes on 2-D workgroup grids, one submit with its readback, and the split of a
 * batch that exceeds one storage binding (pod chunks; node tiles in a window's rotated order; scoreAll's tiles).
 * Each engine keeps its own kernels, packing, uniform block and record decoding.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { ClusterBuffers, GPU_WORDS, NODE_WORDS, POD_WORDS } from '../kernels/state.ts';
import type { EvalWindow, KernelSpec } from '../kernels/types.ts';
import { migTableOf } from '../kernels/migRows.ts';

/** GPUBufferUsage bits (the constants are not globals in Node). */
export const STORAGE = 0x80;
export const COPY_SRC = 0x04;
export const COPY_DST = 0x08;
export const UNIFORM = 0x40;
export const MAP_READ = 0x01;
/** Workgroup size of every filter+score kernel (one invocation per candidate). */
export const FILTER_WG = 64;
/** The most workgroups per grid dimension WebGPU guarantees. */
export const MAX_WORKGROUPS_PER_DIM = 65535;

/**
 * A 2-D grid covering `groups` workgroups with x ≤ `perDim` (65,535 by default; the kernels linearise y·nx + x and
 * bound-check).
 */
export function grid2d(groups: number, perDim: number = MAX_WORKGROUPS_PER_DIM): [number, number] {
  if (groups <= perDim) return [Math.max(1, groups), 1];
  const y = Math.ceil(groups / perDim);
  return [Math.ceil(groups / y), y];
}

/**
 * An engine's transient buffers and submits: `ensure` grows a buffer (the outgrown one is destroyed after the next
 * completed readback, not while a submit may still use it); `submitAndRead` copies a result to the read buffer,
 * submits, maps and returns the words.
 */
export class HostBuffers {
  private retired: GPUBuffer[] = [];
  private readBuf: GPUBuffer | null = null;
  /** Submits so far. */
  submits = 0;

  constructor(readonly device: GPUDevice) {}

  /** `buf` when it holds `bytes`, else a new buffer (16-byte multiple) with `buf` retired. */
  ensure(buf: GPUBuffer | null, bytes: number, usage: number): GPUBuffer {
    if (buf && buf.size >= bytes) return buf;
    this.retire(buf);
    return this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
  }

  /** Destroys `buf` after the next completed readback. */
  retire(buf: GPUBuffer | null): void {
    if (buf) this.retired.push(buf);
  }

  /** Copies `bytes` of `src` into the read buffer, submits `enc` (one submit) and returns the words read back. */
  async submitAndRead(enc: GPUCommandEncoder, src: GPUBuffer, bytes: number): Promise<Uint32Array> {
    const rb = (this.readBuf = this.ensure(this.readBuf, bytes, MAP_READ | COPY_DST));
    enc.copyBufferToBuffer(src, 0, rb, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    this.submits++;
    await rb.mapAsync(1 /* GPUMapMode.READ */, 0, bytes);
    const out = new Uint32Array(rb.getMappedRange(0, bytes).slice(0));
    rb.unmap();
    for (const b of this.retired) b.destroy();
    this.retired = [];
    return out;
  }

  /** Destroys `owned` (the engine's own buffers), the read buffer and the retired ones. */
  destroy(owned: readonly (GPUBuffer | null)[]): void {
    for (const b of [...owned, this.readBuf, ...this.retired]) b?.destroy();
    this.retired = [];
    this.readBuf = null;
  }
}

/**
 * Encodes one compute pass: `pipeline` with `buffers` bound at bindings 0, 1, … of group 0, over `groups`
 * workgroups on a 2-D grid capped at `perDim` per dimension.
 */
export function encodePass(device: GPUDevice, enc: GPUCommandEncoder, pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[], groups: number, perDim: number): void {
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  }));
  const [x, y] = grid2d(groups, perDim);
  pass.dispatchWorkgroups(x, y);
  pass.end();
}

/**
 * Checks that clusters can be replicas of one lockstep set (same node count, GPU models in the same order) and
 * returns their packed states.
 */
export function replicaStates(clusters: readonly ClusterState[], spec?: KernelSpec): ClusterBuffers[] {
  const states = clusters.map((c) => new ClusterBuffers(c, spec));
  const n = states[0]?.nodeCount ?? 0;
  if (states.some((s) => s.nodeCount !== n)) throw new Error('replicas must have the same number of nodes');
  const models = [...(states[0]?.modelIndex.keys() ?? [])].join('\u0001');
  if (states.some((s) => [...s.modelIndex.keys()].join('\u0001') !== models)) throw new Error('replicas must list GPU models in the same order');
  return states;
}

/**
 * The cluster state resident on the GPU: the node and GPU rows of R replicas concatenated (replica r's rows start
 * at `nodeBases[r]` and `gpuBases[r]`), uploaded once and then refreshed by the nodes whose version changed.
 */
export class ResidentReplicas {
  states: ClusterBuffers[] = [];
  nodeBases: number[] = [];
  gpuBases: number[] = [];
  nodeBuf: GPUBuffer | null = null;
  gpuBuf: GPUBuffer | null = null;
  /** Bytes of node/GPU state sent since the last full upload (tests and the benchmark: deltas, not re-uploads). */
  uploadedBytes = 0;

  constructor(private readonly host: HostBuffers) {}

  /** True when exactly these clusters are held, in this order. */
  holds(clusters: readonly ClusterState[], spec?: KernelSpec): boolean {
    const mig = spec ? migTableOf(spec) : undefined;
    return clusters.length === this.states.length && clusters.every((c, r) => this.states[r].cluster === c && this.states[r].mig?.table === mig);
  }

  /** Node count of each replica (0 when none is held). */
  get nodeCount(): number {
    return this.states[0]?.nodeCount ?? 0;
  }

  /** Uploads `states` (replicaStates) in full, replacing the held ones; throws when they exceed a storage binding. */
  upload(states: ClusterBuffers[]): void {
    const device = this.host.device;
    const n = states[0]?.nodeCount ?? 0;
    const nodeBases = states.map((_, r) => r * n);
    const gpuBases: number[] = [];
    let g = 0;
    for (const s of states) {
      gpuBases.push(g);
      g += s.gpuCount;
    }
    const nodeBytes = Math.max(1, n * states.length) * NODE_WORDS * 4;
    const gpuBytes = Math.max(1, g) * GPU_WORDS * 4;
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    if (Math.max(nodeBytes, gpuBytes) > limit) throw new Error(`cluster state of ${Math.max(nodeBytes, gpuBytes)} bytes exceeds the ${limit}-byte storage binding limit`);
    this.host.retire(this.nodeBuf);
    this.host.retire(this.gpuBuf);
    const nodeBuf = (this.nodeBuf = device.createBuffer({ size: nodeBytes, usage: STORAGE | COPY_DST }));
    const gpuBuf = (this.gpuBuf = device.createBuffer({ size: gpuBytes, usage: STORAGE | COPY_DST }));
    this.uploadedBytes = 0;
    states.forEach((s, r) => {
      device.queue.writeBuffer(nodeBuf, nodeBases[r] * NODE_WORDS * 4, s.nodes, 0, s.nodeCount * NODE_WORDS);
      if (s.gpuCount > 0) device.queue.writeBuffer(gpuBuf, gpuBases[r] * GPU_WORDS * 4, s.gpus, 0, s.gpuCount * GPU_WORDS);
      this.uploadedBytes += (s.nodeCount * NODE_WORDS + s.gpuCount * GPU_WORDS) * 4;
    });
    this.states = states;
    this.nodeBases = nodeBases;
    this.gpuBases = gpuBases;
  }

  /** Sends the changed nodes of every replica (marked dirty, or every node whose version moved when `fullScan`). */
  sync(fullScan: boolean): void {
    const q = this.host.device.queue;
    this.states.forEach((state, r) => {
      for (const i of state.refresh(fullScan)) {
        q.writeBuffer(this.nodeBuf!, (this.nodeBases[r] + i) * NODE_WORDS * 4, state.nodes, i * NODE_WORDS, NODE_WORDS);
        const off = state.nodes[i * NODE_WORDS + 8];
        const cnt = state.nodes[i * NODE_WORDS + 9];
        if (cnt > 0) q.writeBuffer(this.gpuBuf!, (this.gpuBases[r] + off) * GPU_WORDS * 4, state.gpus, off * GPU_WORDS, cnt * GPU_WORDS);
        this.uploadedBytes += (NODE_WORDS + cnt * GPU_WORDS) * 4;
      }
    });
  }

  /** Each pod's node and GPU bases (pod p on replica `replicas[p]`, default 0; node rows shifted by `nodeShift`). */
  bases(podCount: number, replicas: readonly number[] | undefined, nodeShift: number): { node: number; gpu: number }[] {
    const out: { node: number; gpu: number }[] = [];
    for (let p = 0; p < podCount; p++) {
      const r = replicas ? replicas[p] : 0;
      out.push({ node: this.nodeBases[r] + nodeShift, gpu: this.gpuBases[r] });
    }
    return out;
  }

  /** The common pod rows (state.ts packPods), each with its replica's bases and node rows shifted by `nodeShift`. */
  packPods(pods: readonly PodRequest[], windows: readonly EvalWindow[] | undefined, replicas: readonly number[] | undefined, nodeShift: number): Uint32Array {
    const packed = new Uint32Array(Math.max(1, pods.length) * POD_WORDS);
    const bases = this.bases(pods.length, replicas, nodeShift);
    for (let p = 0; p < pods.length; p++) {
      const r = replicas ? replicas[p] : 0;
      this.states[r].packPods([pods[p]], windows ? [windows[p]] : undefined, [bases[p]], packed, p);
    }
    return packed;
  }
}

/**
 * Pods per submit when each pod's results take `nodeCount × bytesPerCandidate` bytes and its record `strideWords`
 * words, both within `limitBytes`; null when one pod's row alone exceeds the limit (node tiles).
 */
export function podChunkSize(nodeCount: number, bytesPerCandidate: number, strideWords: number, limitBytes: number): number | null {
  if (nodeCount * bytesPerCandidate > limitBytes) return null;
  return Math.max(1, Math.floor(limitBytes / Math.max(nodeCount * bytesPerCandidate, strideWords * 4)));
}

/** Runs `evalChunk(at, end)` on consecutive pod chunks of `chunk` pods and concatenates the decisions. */
export async function inPodChunks<D>(podCount: number, chunk: number, evalChunk: (at: number, end: number) => Promise<D[]>): Promise<D[]> {
  const out: D[] = [];
  for (let at = 0; at < podCount; at += chunk) out.push(...(await evalChunk(at, Math.min(podCount, at + chunk))));
  return out;
}

/** Node tiles `[first, width]` of at most `tile` nodes in a window's rotated scan order: start..n−1, then 0..start−1. */
export function* nodeTiles(nodeCount: number, tile: number, start = 0): Generator<[number, number]> {
  const segments = start > 0 ? [[start, nodeCount], [0, start]] : [[0, nodeCount]];
  for (const [from, to] of segments) for (let a = from; a < to; a += tile) yield [a, Math.min(tile, to - a)];
}

/**
 * Every (pod, node) result of `podCount` pods × `nodeCount` nodes (`wordsPerCandidate` words each, row-major) in
 * node tiles and pod chunks that fit `limitBytes`: `run(at, end, first, width)` returns the results of pods
 * at..end−1 against nodes first..first+width−1.
 */
export async function scoreInTiles(podCount: number, nodeCount: number, wordsPerCandidate: number, limitBytes: number, run: (at: number, end: number, first: number, width: number) => Promise<Uint32Array>): Promise<Uint32Array> {
  const w = wordsPerCandidate;
  const out = new Uint32Array(podCount * nodeCount * w);
  const tile = Math.max(1, Math.min(nodeCount, Math.floor(limitBytes / (4 * w))));
  const chunk = Math.max(1, Math.floor(limitBytes / (tile * 4 * w)));
  for (let a = 0; a < nodeCount; a += tile) {
    const width = Math.min(tile, nodeCount - a);
    for (let at = 0; at < podCount; at += chunk) {
      const end = Math.min(podCount, at + chunk);
      const words = await run(at, end, a, width);
      if (width === nodeCount) out.set(words, at * nodeCount * w);
      else for (let p = at; p < end; p++) out.set(words.subarray((p - at) * width * w, (p - at + 1) * width * w), (p * nodeCount + a) * w);
    }
  }
  return out;
}
