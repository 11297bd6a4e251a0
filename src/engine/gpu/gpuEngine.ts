/**
 * The WebGPU engine: cluster state resident in GPU buffers, refreshed by per-node deltas (writeBuffer); one
 * evaluation = one submit (filterScoreK8s over pods × nodes, then selectBest, one workgroup per pod) and one
 * readback of the decision records only. Twin: engine/cpu/cpuEngine.ts.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { ClusterBuffers, GPU_WORDS, NODE_WORDS } from '../state.ts';
import { MAX_REDUCIBLE_TOTAL, REASON_BITS, maxTotalOf, type Decision, type Engine, type EvalWindow, type KernelSpec } from '../types.ts';
import { kernelSource, type ShaderFiles } from './shaders.ts';

const HEADER_WORDS = 16;
const FILTER_WG = 64;
/** The most workgroups per grid dimension WebGPU guarantees. */
export const MAX_WORKGROUPS_PER_DIM = 65535;

/** A 2-D grid covering `groups` workgroups with x ≤ 65,535 (the kernels linearise y·nx + x and bound-check). */
export function grid2d(groups: number): [number, number] {
  if (groups <= MAX_WORKGROUPS_PER_DIM) return [Math.max(1, groups), 1];
  const y = Math.ceil(groups / MAX_WORKGROUPS_PER_DIM);
  return [Math.ceil(groups / y), y];
}

const STORAGE = 0x80; // GPUBufferUsage.STORAGE
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const UNIFORM = 0x40;
const MAP_READ = 0x01;

/** WebGPU candidate evaluation. Create with `GpuEngine.create`. */
export class GpuEngine implements Engine {
  readonly kind = 'gpu' as const;
  private state: ClusterBuffers | null = null;
  private spec: KernelSpec | null = null;
  private fullScan = true;
  private nodeBuf: GPUBuffer | null = null;
  private gpuBuf: GPUBuffer | null = null;
  private readonly paramBuf: GPUBuffer;
  private podBuf: GPUBuffer | null = null;
  private resultBuf: GPUBuffer | null = null;
  private decisionBuf: GPUBuffer | null = null;
  private readBuf: GPUBuffer | null = null;
  private failure: string | null = null;
  /** Outgrown buffers, destroyed after the next completed readback (not while a submit may still use them). */
  private retired: GPUBuffer[] = [];
  private keepAlive: unknown[] = [];
  /** Bytes of node/GPU state sent since attach (for tests and the benchmark: deltas, not re-uploads). */
  uploadedBytes = 0;

  private constructor(
    readonly device: GPUDevice,
    readonly label: string,
    private readonly filterPipeline: GPUComputePipeline,
    private readonly selectPipeline: GPUComputePipeline,
  ) {
    this.paramBuf = device.createBuffer({ size: 48, usage: UNIFORM | COPY_DST });
  }

  /**
   * Compiles the kernels on a device. `keepAlive` holds the GPU/adapter objects for the engine's lifetime: with
   * Dawn in Node, a collected GPU object stops event processing (mapAsync never resolves) or crashes the process.
   */
  static async create(device: GPUDevice, files: ShaderFiles, label: string, keepAlive: unknown[] = []): Promise<GpuEngine> {
    const make = (kernel: 'filterScoreK8s' | 'selectBest') =>
      device.createComputePipelineAsync({
        label: kernel,
        layout: 'auto',
        compute: { module: device.createShaderModule({ label: kernel, code: kernelSource(files, kernel) }), entryPoint: 'main' },
      });
    const [filter, select] = await Promise.all([make('filterScoreK8s'), make('selectBest')]);
    const engine = new GpuEngine(device, label, filter, select);
    engine.keepAlive = keepAlive;
    return engine;
  }

  /** Marks the engine unusable (device lost, uncaptured error); later evaluations reject with the reason. */
  fail(reason: string): void {
    this.failure ??= reason;
  }

  /** Why the engine stopped working, or null. */
  get failed(): string | null {
    return this.failure;
  }

  /** Uploads a cluster's full state once; later evaluations send only changed nodes. */
  attach(cluster: ClusterState, spec: KernelSpec): void {
    if (maxTotalOf(spec) > MAX_REDUCIBLE_TOTAL) throw new Error(`kernel spec total up to ${maxTotalOf(spec)} exceeds ${MAX_REDUCIBLE_TOTAL}`);
    this.spec = spec;
    if (this.state?.cluster === cluster) {
      this.fullScan = true;
      return;
    }
    this.state = new ClusterBuffers(cluster);
    if (this.nodeBuf) this.retired.push(this.nodeBuf);
    if (this.gpuBuf) this.retired.push(this.gpuBuf);
    this.nodeBuf = this.device.createBuffer({ size: this.state.nodes.byteLength, usage: STORAGE | COPY_DST });
    this.gpuBuf = this.device.createBuffer({ size: this.state.gpus.byteLength, usage: STORAGE | COPY_DST });
    this.device.queue.writeBuffer(this.nodeBuf, 0, this.state.nodes);
    this.device.queue.writeBuffer(this.gpuBuf, 0, this.state.gpus);
    this.uploadedBytes = this.state.nodes.byteLength + this.state.gpus.byteLength;
    this.fullScan = false;
  }

  /** Marks a node changed since the last evaluation. */
  markDirty(nodeId: number): void {
    this.state?.markDirty(nodeId);
  }

  /** Requests a version scan of every node before the next evaluation. */
  rescan(): void {
    this.fullScan = true;
  }

  private sync(): { state: ClusterBuffers; spec: KernelSpec } {
    if (this.failure) throw new Error(`WebGPU engine failed: ${this.failure}`);
    const state = this.state;
    if (!state || !this.spec || !this.nodeBuf || !this.gpuBuf) throw new Error('engine not attached to a cluster');
    const changed = state.refresh(this.fullScan);
    this.fullScan = false;
    const q = this.device.queue;
    for (const i of changed) {
      q.writeBuffer(this.nodeBuf, i * NODE_WORDS * 4, state.nodes, i * NODE_WORDS, NODE_WORDS);
      const off = state.nodes[i * NODE_WORDS + 8];
      const cnt = state.nodes[i * NODE_WORDS + 9];
      if (cnt > 0) q.writeBuffer(this.gpuBuf, off * GPU_WORDS * 4, state.gpus, off * GPU_WORDS, cnt * GPU_WORDS);
      this.uploadedBytes += (NODE_WORDS + cnt * GPU_WORDS) * 4;
    }
    return { state, spec: this.spec };
  }

  private ensure(buf: GPUBuffer | null, bytes: number, usage: number): GPUBuffer {
    if (buf && buf.size >= bytes) return buf;
    if (buf) this.retired.push(buf);
    return this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
  }

  private writeParams(state: ClusterBuffers, spec: KernelSpec, podCount: number): { hist: number; maskWords: number; stride: number } {
    const hist = maxTotalOf(spec) + 1;
    const maskWords = Math.ceil(state.nodeCount / 32);
    const stride = HEADER_WORDS + hist + maskWords;
    const p = new Uint32Array([
      state.nodeCount, podCount, spec.strategy === 'MostAllocated' ? 1 : 0, spec.gpuReplicas,
      spec.cpuWeight, spec.memWeight, spec.gpuWeight, spec.fitWeight, spec.balancedWeight, hist, stride, maskWords,
    ]);
    this.device.queue.writeBuffer(this.paramBuf, 0, p);
    return { hist, maskWords, stride };
  }

  private encodeFilter(enc: GPUCommandEncoder, podCount: number, nodeCount: number): void {
    const pass = enc.beginComputePass();
    pass.setPipeline(this.filterPipeline);
    pass.setBindGroup(0, this.device.createBindGroup({
      layout: this.filterPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.paramBuf } },
        { binding: 1, resource: { buffer: this.nodeBuf! } },
        { binding: 2, resource: { buffer: this.gpuBuf! } },
        { binding: 3, resource: { buffer: this.podBuf! } },
        { binding: 4, resource: { buffer: this.resultBuf! } },
      ],
    }));
    const [x, y] = grid2d(Math.ceil((podCount * nodeCount) / FILTER_WG));
    pass.dispatchWorkgroups(x, y);
    pass.end();
  }

  private prepare(pods: readonly PodRequest[], windows: readonly EvalWindow[] | undefined): { state: ClusterBuffers; spec: KernelSpec; candidates: number } {
    const { state, spec } = this.sync();
    const candidates = pods.length * state.nodeCount;
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (candidates * 4 > limit) throw new Error(`batch of ${candidates} candidates exceeds the ${limit}-byte storage binding limit: split it`);
    const packed = state.packPods(pods, windows);
    this.podBuf = this.ensure(this.podBuf, packed.byteLength, STORAGE | COPY_DST);
    this.device.queue.writeBuffer(this.podBuf, 0, packed);
    this.resultBuf = this.ensure(this.resultBuf, candidates * 4, STORAGE | COPY_SRC);
    return { state, spec, candidates };
  }

  private async read(bytes: number): Promise<Uint32Array> {
    const rb = this.readBuf!;
    await rb.mapAsync(1 /* GPUMapMode.READ */, 0, bytes);
    const out = new Uint32Array(rb.getMappedRange(0, bytes).slice(0));
    rb.unmap();
    for (const b of this.retired) b.destroy();
    this.retired = [];
    return out;
  }

  /** Decisions for a batch of pods against the current state: one submit, one readback. */
  async evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[]): Promise<Decision[]> {
    if (pods.length === 0) return [];
    const { state, spec } = this.prepare(pods, windows);
    const n = state.nodeCount;
    const { hist, stride } = this.writeParams(state, spec, pods.length);
    const outBytes = pods.length * stride * 4;
    this.decisionBuf = this.ensure(this.decisionBuf, outBytes, STORAGE | COPY_SRC | COPY_DST);
    this.readBuf = this.ensure(this.readBuf, Math.max(outBytes, pods.length * n * 4), MAP_READ | COPY_DST);
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(this.decisionBuf, 0, Math.ceil(outBytes / 4) * 4);
    this.encodeFilter(enc, pods.length, n);
    const pass = enc.beginComputePass();
    pass.setPipeline(this.selectPipeline);
    pass.setBindGroup(0, this.device.createBindGroup({
      layout: this.selectPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.paramBuf } },
        { binding: 1, resource: { buffer: this.podBuf! } },
        { binding: 2, resource: { buffer: this.resultBuf! } },
        { binding: 3, resource: { buffer: this.decisionBuf } },
      ],
    }));
    const [x, y] = grid2d(pods.length);
    pass.dispatchWorkgroups(x, y);
    pass.end();
    enc.copyBufferToBuffer(this.decisionBuf, 0, this.readBuf, 0, outBytes);
    this.device.queue.submit([enc.finish()]);
    const words = await this.read(outBytes);
    const out: Decision[] = [];
    for (let p = 0; p < pods.length; p++) out.push(decodeDecision(words, p * stride, hist, n, windows[p].start));
    return out;
  }

  /** Packed results of every (pod, node): filterScoreK8s only. */
  async scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    if (pods.length === 0) return new Uint32Array(0);
    const { state, spec, candidates } = this.prepare(pods, undefined);
    this.writeParams(state, spec, pods.length);
    this.readBuf = this.ensure(this.readBuf, candidates * 4, MAP_READ | COPY_DST);
    const enc = this.device.createCommandEncoder();
    this.encodeFilter(enc, pods.length, state.nodeCount);
    enc.copyBufferToBuffer(this.resultBuf!, 0, this.readBuf, 0, candidates * 4);
    this.device.queue.submit([enc.finish()]);
    return this.read(candidates * 4);
  }

  /** Destroys the buffers and the device. */
  destroy(): void {
    for (const b of [this.nodeBuf, this.gpuBuf, this.podBuf, this.resultBuf, this.decisionBuf, this.readBuf, this.paramBuf, ...this.retired]) b?.destroy();
    this.retired = [];
    this.state = null;
    this.device.destroy();
    this.keepAlive = [];
  }
}

/** Decodes one pod's decision record (layout in shaders/selectBest.wgsl). */
export function decodeDecision(words: Uint32Array, at: number, hist: number, nodeCount: number, start: number): Decision {
  const rejected: number[] = [];
  for (let b = 0; b < REASON_BITS; b++) rejected.push(words[at + 3 + b]);
  const plateaus: number[] = [];
  for (let v = 0; v < hist; v++) {
    const c = words[at + HEADER_WORDS + v];
    if (c > 0) plateaus.push(c);
  }
  const processed = words[at];
  const maxWord = words[at + 2];
  const tied: number[] = [];
  const mask = at + HEADER_WORDS + hist;
  for (let w = 0; w * 32 < processed; w++) {
    let bits = words[mask + w];
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits & -bits);
      tied.push((start + w * 32 + b) % nodeCount);
      bits &= bits - 1;
    }
  }
  return { processed, feasible: words[at + 1], rejected, maxTotal: maxWord === 0xffffffff ? -1 : maxWord, plateaus, tied };
}
