/**
 * The WebGPU engine: cluster state resident in GPU buffers, refreshed by per-node deltas (writeBuffer); one
 * evaluation = one submit (the spec's filter+score kernel over pods × nodes, then selectBest, one workgroup per
 * pod) and one readback of the decision records only. Twin: engine/cpu/cpuEngine.ts.
 *
 * Replicas: the engine can hold R clusters of the same node count at once (concatenated node and GPU buffers; each
 * pod row carries its replica's node and GPU bases), so R lockstep simulations are scored in one dispatch
 * (`attachReplicas` / `evaluateReplicas`; engine/lockstep.ts). A single cluster is the case R = 1.
 * Kernels compile on first use (SwiftShader takes seconds per kernel), so a run pays only for the ones it needs.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { ClusterBuffers, GPU_WORDS, NODE_WORDS, POD_WORDS } from '../state.ts';
import { packBreakpoints, packFgdClasses } from '../fgdTables.ts';
import { kernelLimitError } from '../kernels.ts';
import { checkWholeWindow } from '../cpu/cpuEngine.ts';
import { MAX_REDUCIBLE_TOTAL, REASON_BITS, maxTotalOf, normalizesScores, type Decision, type Engine, type EvalWindow, type KernelSpec } from '../types.ts';
import { kernelSource, type KernelName, type ShaderFiles } from './shaders.ts';

const HEADER_WORDS = 16;
const FILTER_WG = 64;
const PARAM_BYTES = 64;
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

/** The filter+score kernel of a spec. */
function filterKernel(spec: KernelSpec): KernelName {
  if (spec.kind === 'fgd-baseline') return 'filterScoreBaselines';
  return spec.kind === 'fgd' ? 'filterScoreFgd' : 'filterScoreK8s';
}

/** Policy index of filterScoreBaselines.wgsl's switch. */
const BASELINE_POLICY = { random: 0, dotprod: 1, clustering: 2, packing: 3, bestfit: 4 } as const;

/** WebGPU candidate evaluation. Create with `GpuEngine.create`. */
export class GpuEngine implements Engine {
  readonly kind = 'gpu' as const;
  private states: ClusterBuffers[] = [];
  private nodeBases: number[] = [];
  private gpuBases: number[] = [];
  private spec: KernelSpec | null = null;
  private fullScan = true;
  private nodeBuf: GPUBuffer | null = null;
  private gpuBuf: GPUBuffer | null = null;
  private readonly paramBuf: GPUBuffer;
  private podBuf: GPUBuffer | null = null;
  private resultBuf: GPUBuffer | null = null;
  private decisionBuf: GPUBuffer | null = null;
  private readBuf: GPUBuffer | null = null;
  private classBuf: GPUBuffer | null = null;
  private breakpointBuf: GPUBuffer | null = null;
  private failure: string | null = null;
  private readonly pipelines = new Map<KernelName, Promise<GPUComputePipeline>>();
  /** Outgrown buffers, destroyed after the next completed readback (not while a submit may still use them). */
  private retired: GPUBuffer[] = [];
  private keepAlive: unknown[] = [];
  /** Bytes of node/GPU state sent since attach (for tests and the benchmark: deltas, not re-uploads). */
  uploadedBytes = 0;

  private constructor(
    readonly device: GPUDevice,
    readonly label: string,
    private readonly files: ShaderFiles,
  ) {
    this.paramBuf = device.createBuffer({ size: PARAM_BYTES, usage: UNIFORM | COPY_DST });
  }

  /**
   * Creates the engine on a device and compiles the reduction kernel (a check that the device works; the
   * filter+score kernels compile on first use). `keepAlive` holds the GPU/adapter objects for the engine's
   * lifetime: with Dawn in Node, a collected GPU object stops event processing (mapAsync never resolves) or
   * crashes the process.
   */
  static async create(device: GPUDevice, files: ShaderFiles, label: string, keepAlive: unknown[] = []): Promise<GpuEngine> {
    const engine = new GpuEngine(device, label, files);
    engine.keepAlive = keepAlive;
    await engine.pipeline('selectBest');
    return engine;
  }

  /** The compiled pipeline of a kernel (compiled once, on first use). */
  pipeline(kernel: KernelName): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(kernel);
    if (!p) {
      p = this.device.createComputePipelineAsync({
        label: kernel,
        layout: 'auto',
        compute: { module: this.device.createShaderModule({ label: kernel, code: kernelSource(this.files, kernel) }), entryPoint: 'main' },
      });
      this.pipelines.set(kernel, p);
    }
    return p;
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
    this.attachReplicas([cluster], spec);
  }

  /**
   * Holds R clusters (same node count) for lockstep evaluation; re-attaching the same clusters only rescans
   * node versions. Throws for a spec the kernels cannot run (reduction range, GPUs per node for FGD).
   */
  attachReplicas(clusters: readonly ClusterState[], spec: KernelSpec): void {
    if (maxTotalOf(spec) > MAX_REDUCIBLE_TOTAL) throw new Error(`kernel spec total up to ${maxTotalOf(spec)} exceeds ${MAX_REDUCIBLE_TOTAL}`);
    const same = clusters.length === this.states.length && clusters.every((c, r) => this.states[r].cluster === c);
    if (same) {
      if (spec !== this.spec) {
        for (const c of clusters) {
          const err = kernelLimitError(spec, c);
          if (err) throw new Error(err);
        }
        this.uploadSpec(spec);
      }
      this.spec = spec;
      this.fullScan = true;
      return;
    }
    const states = clusters.map((c) => new ClusterBuffers(c));
    const n = states[0]?.nodeCount ?? 0;
    if (states.some((s) => s.nodeCount !== n)) throw new Error('replicas must have the same number of nodes');
    const models = [...(states[0]?.modelIndex ?? [])].join();
    if (states.some((s) => [...s.modelIndex].join() !== models)) throw new Error('replicas must list GPU models in the same order');
    for (const c of clusters) {
      const err = kernelLimitError(spec, c);
      if (err) throw new Error(err);
    }
    this.states = states;
    this.nodeBases = states.map((_, r) => r * n);
    this.gpuBases = [];
    let g = 0;
    for (const s of states) {
      this.gpuBases.push(g);
      g += s.gpuCount;
    }
    const nodeWords = Math.max(1, n * states.length) * NODE_WORDS;
    const gpuWords = Math.max(1, g) * GPU_WORDS;
    if (this.nodeBuf) this.retired.push(this.nodeBuf);
    if (this.gpuBuf) this.retired.push(this.gpuBuf);
    this.nodeBuf = this.device.createBuffer({ size: nodeWords * 4, usage: STORAGE | COPY_DST });
    this.gpuBuf = this.device.createBuffer({ size: gpuWords * 4, usage: STORAGE | COPY_DST });
    this.uploadedBytes = 0;
    states.forEach((s, r) => {
      this.device.queue.writeBuffer(this.nodeBuf!, this.nodeBases[r] * NODE_WORDS * 4, s.nodes, 0, s.nodeCount * NODE_WORDS);
      if (s.gpuCount > 0) this.device.queue.writeBuffer(this.gpuBuf!, this.gpuBases[r] * GPU_WORDS * 4, s.gpus, 0, s.gpuCount * GPU_WORDS);
      this.uploadedBytes += (s.nodeCount * NODE_WORDS + s.gpuCount * GPU_WORDS) * 4;
    });
    this.uploadSpec(spec);
    this.spec = spec;
    this.fullScan = false;
  }

  /** Spec tables the kernel reads besides the state (FGD: classes and the sigmoid's breakpoints). */
  private uploadSpec(spec: KernelSpec): void {
    if (spec.kind !== 'fgd' || this.states.length === 0) return;
    const { words } = packFgdClasses(spec, this.states[0]);
    this.classBuf = this.ensure(this.classBuf, words.byteLength, STORAGE | COPY_DST);
    this.device.queue.writeBuffer(this.classBuf, 0, words);
    if (!this.breakpointBuf) {
      const b = packBreakpoints();
      this.breakpointBuf = this.device.createBuffer({ size: b.byteLength, usage: STORAGE | COPY_DST });
      this.device.queue.writeBuffer(this.breakpointBuf, 0, b);
    }
  }

  /** Marks a node of replica 0 changed since the last evaluation. */
  markDirty(nodeId: number): void {
    this.states[0]?.markDirty(nodeId);
  }

  /** Marks a node of replica `r` changed. */
  markReplicaDirty(r: number, nodeId: number): void {
    this.states[r].markDirty(nodeId);
  }

  /** Requests a version scan of every node before the next evaluation. */
  rescan(): void {
    this.fullScan = true;
  }

  private sync(): { spec: KernelSpec; nodeCount: number } {
    if (this.failure) throw new Error(`WebGPU engine failed: ${this.failure}`);
    if (this.states.length === 0 || !this.spec || !this.nodeBuf || !this.gpuBuf) throw new Error('engine not attached to a cluster');
    const q = this.device.queue;
    this.states.forEach((state, r) => {
      const changed = state.refresh(this.fullScan);
      for (const i of changed) {
        q.writeBuffer(this.nodeBuf!, (this.nodeBases[r] + i) * NODE_WORDS * 4, state.nodes, i * NODE_WORDS, NODE_WORDS);
        const off = state.nodes[i * NODE_WORDS + 8];
        const cnt = state.nodes[i * NODE_WORDS + 9];
        if (cnt > 0) q.writeBuffer(this.gpuBuf!, (this.gpuBases[r] + off) * GPU_WORDS * 4, state.gpus, off * GPU_WORDS, cnt * GPU_WORDS);
        this.uploadedBytes += (NODE_WORDS + cnt * GPU_WORDS) * 4;
      }
    });
    this.fullScan = false;
    return { spec: this.spec, nodeCount: this.states[0].nodeCount };
  }

  private ensure(buf: GPUBuffer | null, bytes: number, usage: number): GPUBuffer {
    if (buf && buf.size >= bytes) return buf;
    if (buf) this.retired.push(buf);
    return this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
  }

  private writeParams(nodeCount: number, spec: KernelSpec, podCount: number): { hist: number; maskWords: number; stride: number } {
    const hist = maxTotalOf(spec) + 1;
    const maskWords = Math.ceil(nodeCount / 32);
    const stride = HEADER_WORDS + hist + maskWords;
    const k = spec.kind === 'k8s-fit' ? spec : null;
    const p = new Uint32Array([
      nodeCount, podCount, k?.strategy === 'MostAllocated' ? 1 : 0, k?.gpuReplicas ?? 1,
      k?.cpuWeight ?? 0, k?.memWeight ?? 0, k?.gpuWeight ?? 0, k?.fitWeight ?? 0, k?.balancedWeight ?? 0, hist, stride, maskWords,
      spec.kind === 'fgd' ? spec.classes.length : 0,
      spec.kind === 'fgd-baseline' ? BASELINE_POLICY[spec.policy] : 0,
      spec.kind === 'fgd-baseline' ? spec.bias : 0,
      0,
    ]);
    this.device.queue.writeBuffer(this.paramBuf, 0, p);
    return { hist, maskWords, stride };
  }

  /** Encodes the filter+score pass (and, with `normalize`, the spec's normalize pass: bestfit). */
  private async encodeFilter(enc: GPUCommandEncoder, spec: KernelSpec, podCount: number, nodeCount: number, normalize = false): Promise<void> {
    const pipeline = await this.pipeline(filterKernel(spec));
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.paramBuf } },
      { binding: 1, resource: { buffer: this.nodeBuf! } },
      { binding: 2, resource: { buffer: this.gpuBuf! } },
      { binding: 3, resource: { buffer: this.podBuf! } },
      { binding: 4, resource: { buffer: this.resultBuf! } },
    ];
    if (spec.kind === 'fgd') {
      entries.push({ binding: 5, resource: { buffer: this.classBuf! } }, { binding: 6, resource: { buffer: this.breakpointBuf! } });
    }
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    const [x, y] = grid2d(Math.ceil((podCount * nodeCount) / FILTER_WG));
    pass.dispatchWorkgroups(x, y);
    pass.end();
    if (normalize && normalizesScores(spec)) {
      // bestfit: min-max normalize each pod's feasible results in place (one workgroup per pod)
      const norm = await this.pipeline('normalizeMinMax');
      const np = enc.beginComputePass();
      np.setPipeline(norm);
      np.setBindGroup(0, this.device.createBindGroup({
        layout: norm.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: this.paramBuf } },
          { binding: 1, resource: { buffer: this.resultBuf! } },
        ],
      }));
      const [nx, ny] = grid2d(podCount);
      np.dispatchWorkgroups(nx, ny);
      np.end();
    }
  }

  private prepare(pods: readonly PodRequest[], windows: readonly EvalWindow[] | undefined, replicas: readonly number[] | undefined): { spec: KernelSpec; nodeCount: number; candidates: number } {
    const { spec, nodeCount } = this.sync();
    const candidates = pods.length * nodeCount;
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (candidates * 4 > limit) throw new Error(`batch of ${candidates} candidates exceeds the ${limit}-byte storage binding limit: split it`);
    const packed = new Uint32Array(Math.max(1, pods.length) * POD_WORDS);
    for (let p = 0; p < pods.length; p++) {
      const r = replicas ? replicas[p] : 0;
      this.states[r].packPods([pods[p]], windows ? [windows[p]] : undefined, [{ node: this.nodeBases[r], gpu: this.gpuBases[r] }], packed, p);
    }
    this.podBuf = this.ensure(this.podBuf, packed.byteLength, STORAGE | COPY_DST);
    this.device.queue.writeBuffer(this.podBuf, 0, packed);
    this.resultBuf = this.ensure(this.resultBuf, candidates * 4, STORAGE | COPY_SRC);
    return { spec, nodeCount, candidates };
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

  /** Decisions for a batch of pods against the current state of replica 0: one submit, one readback. */
  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[]): Promise<Decision[]> {
    return this.evaluateReplicas(pods, windows);
  }

  /** Decisions for pods of several replicas (pod p on replica `replicas[p]`, default 0): one submit, one readback. */
  async evaluateReplicas(pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas?: readonly number[]): Promise<Decision[]> {
    if (pods.length === 0) return [];
    if (this.spec && normalizesScores(this.spec)) for (const w of windows) checkWholeWindow(w, this.states[0]?.nodeCount ?? 0);
    const { spec, nodeCount: n } = this.prepare(pods, windows, replicas);
    const { hist, stride } = this.writeParams(n, spec, pods.length);
    const select = await this.pipeline('selectBest');
    const outBytes = pods.length * stride * 4;
    this.decisionBuf = this.ensure(this.decisionBuf, outBytes, STORAGE | COPY_SRC | COPY_DST);
    this.readBuf = this.ensure(this.readBuf, Math.max(outBytes, pods.length * n * 4), MAP_READ | COPY_DST);
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(this.decisionBuf, 0, Math.ceil(outBytes / 4) * 4);
    await this.encodeFilter(enc, spec, pods.length, n, true);
    const pass = enc.beginComputePass();
    pass.setPipeline(select);
    pass.setBindGroup(0, this.device.createBindGroup({
      layout: select.getBindGroupLayout(0),
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

  /** Packed results of every (pod, node) of replica 0: the filter+score kernel only. */
  async scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    if (pods.length === 0) return new Uint32Array(0);
    const { spec, nodeCount, candidates } = this.prepare(pods, undefined, undefined);
    this.writeParams(nodeCount, spec, pods.length);
    this.readBuf = this.ensure(this.readBuf, candidates * 4, MAP_READ | COPY_DST);
    const enc = this.device.createCommandEncoder();
    await this.encodeFilter(enc, spec, pods.length, nodeCount);
    enc.copyBufferToBuffer(this.resultBuf!, 0, this.readBuf, 0, candidates * 4);
    this.device.queue.submit([enc.finish()]);
    return this.read(candidates * 4);
  }

  /** Destroys the buffers and the device. */
  destroy(): void {
    for (const b of [this.nodeBuf, this.gpuBuf, this.podBuf, this.resultBuf, this.decisionBuf, this.readBuf, this.paramBuf, this.classBuf, this.breakpointBuf, ...this.retired]) b?.destroy();
    this.retired = [];
    this.states = [];
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
