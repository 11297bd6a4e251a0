/**
 * The HAMi kernel on WebGPU (twin: engine/cpu/filterScoreHami.ts CpuHamiEngine). It runs on a GpuEngine's device
 * and compiled pipelines but keeps its own buffers: cluster state resident and refreshed by per-node deltas, the
 * config table (hamiKernel.ts packHamiConf) re-sent only when it changes; one evaluation = one submit
 * (filterScoreHami over pods × nodes, then selectHami, one workgroup per pod) and one readback of the decision
 * records. One evaluator per GpuEngine (`hamiGpuFor`), shared by every HAMi run on it; it also holds the replica
 * clusters of a lockstep sweep side by side (`attachReplicas`).
 *
 * Split batches, as GpuEngine's: results larger than the GpuEngine's `resultLimitBytes` (one storage binding, or
 * `GpuEngineOptions.maxResultBytes`) go in pod chunks, one submit each; a pod whose row alone exceeds it is
 * scanned in node tiles of its rotated window, merged on the CPU (HamiTileMerge). Dispatches are 2-D grids capped
 * at the GpuEngine's `workgroupsPerDim` (65,535).
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { ClusterBuffers, GPU_WORDS, NODE_WORDS, POD_WORDS } from '../state.ts';
import { REASON_BITS, type EvalWindow } from '../types.ts';
import { HAMI_CONF_HEADER, HAMI_REASON_BITS, hamiLimitError, packHamiConf, packHamiPods, type HamiDecision, type HamiEvaluator, type HamiKernelSpec } from '../hamiKernel.ts';
import { grid2d, type GpuEngine } from './gpuEngine.ts';

const HEADER_WORDS = 32;
const FILTER_WG = 64;
/** Uniform block size: params.wgsl's Params (64 bytes today) with room to grow. */
const PARAM_BYTES = 256;
const STORAGE = 0x80;
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const UNIFORM = 0x40;
const MAP_READ = 0x01;

const evaluators = new WeakMap<GpuEngine, GpuHamiEngine>();

/** The HAMi evaluator of a GpuEngine (created on first use). */
export function hamiGpuFor(engine: GpuEngine): GpuHamiEngine {
  let e = evaluators.get(engine);
  if (!e) {
    e = new GpuHamiEngine(engine);
    evaluators.set(engine, e);
  }
  return e;
}

/**
 * HAMi candidate evaluation on WebGPU. It can hold R replica clusters of one family (same node count and GPU model
 * order) side by side for lockstep sweeps (`attachReplicas` / `evaluateReplicas`, engine/lockstepSim.ts): node
 * and GPU rows concatenated, each pod row carrying its replica's node and GPU bases (state.ts packPods), and the
 * config table's per-GPU words concatenated in the same order (filterScoreHami reads them at the pod's GPU base).
 * A single cluster is R = 1.
 */
export class GpuHamiEngine implements HamiEvaluator {
  readonly kind = 'gpu' as const;
  private states: ClusterBuffers[] = [];
  private nodeBases: number[] = [];
  private gpuBases: number[] = [];
  private spec: HamiKernelSpec | null = null;
  private conf: Uint32Array | null = null;
  private fullScan = true;
  private nodeBuf: GPUBuffer | null = null;
  private gpuBuf: GPUBuffer | null = null;
  private confBuf: GPUBuffer | null = null;
  private podBuf: GPUBuffer | null = null;
  private hamiPodBuf: GPUBuffer | null = null;
  private resultBuf: GPUBuffer | null = null;
  private decisionBuf: GPUBuffer | null = null;
  private readBuf: GPUBuffer | null = null;
  private readonly paramBuf: GPUBuffer;
  private retired: GPUBuffer[] = [];
  /** Submits so far (tests: a lockstep dispatch is one). */
  submits = 0;

  constructor(readonly gpu: GpuEngine) {
    this.paramBuf = gpu.device.createBuffer({ size: PARAM_BYTES, usage: UNIFORM | COPY_DST });
  }

  /** The GpuEngine's adapter label. */
  get label(): string {
    return this.gpu.label;
  }

  private get device(): GPUDevice {
    return this.gpu.device;
  }

  /** Uploads a cluster's state once (later evaluations send changed nodes); throws when the kernel cannot hold it. */
  attach(cluster: ClusterState, spec: HamiKernelSpec): void {
    this.attachReplicas([cluster], spec);
  }

  /**
   * Holds R clusters (same node count and GPU model order) as replicas 0..R−1: a full upload when the clusters
   * changed, else a version rescan before the next evaluation; the config table is re-sent only when it changed.
   * Throws when the kernel cannot hold one of them (hamiLimitError) or the state exceeds a storage binding.
   */
  attachReplicas(clusters: readonly ClusterState[], spec: HamiKernelSpec): void {
    if (this.gpu.failed) throw new Error(`WebGPU engine failed: ${this.gpu.failed}`);
    for (const c of clusters) {
      const err = hamiLimitError(spec, c);
      if (err) throw new Error(err);
    }
    const same = clusters.length === this.states.length && clusters.every((c, r) => this.states[r].cluster === c);
    if (!same) {
      const states = clusters.map((c) => new ClusterBuffers(c));
      const n = states[0]?.nodeCount ?? 0;
      if (states.some((s) => s.nodeCount !== n)) throw new Error('replicas must have the same number of nodes');
      const models = [...(states[0]?.modelIndex.keys() ?? [])].join('\u0001');
      if (states.some((s) => [...s.modelIndex.keys()].join('\u0001') !== models)) throw new Error('replicas must list GPU models in the same order');
      const nodeBases = states.map((_, r) => r * n);
      const gpuBases: number[] = [];
      let g = 0;
      for (const s of states) {
        gpuBases.push(g);
        g += s.gpuCount;
      }
      const nodeBytes = Math.max(1, n * states.length) * NODE_WORDS * 4;
      const gpuBytes = Math.max(1, g) * GPU_WORDS * 4;
      const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
      if (Math.max(nodeBytes, gpuBytes) > limit) throw new Error(`cluster state of ${Math.max(nodeBytes, gpuBytes)} bytes exceeds the ${limit}-byte storage binding limit`);
      for (const b of [this.nodeBuf, this.gpuBuf]) if (b) this.retired.push(b);
      this.nodeBuf = this.device.createBuffer({ size: nodeBytes, usage: STORAGE | COPY_DST });
      this.gpuBuf = this.device.createBuffer({ size: gpuBytes, usage: STORAGE | COPY_DST });
      states.forEach((s, r) => {
        this.device.queue.writeBuffer(this.nodeBuf!, nodeBases[r] * NODE_WORDS * 4, s.nodes, 0, s.nodeCount * NODE_WORDS);
        if (s.gpuCount > 0) this.device.queue.writeBuffer(this.gpuBuf!, gpuBases[r] * GPU_WORDS * 4, s.gpus, 0, s.gpuCount * GPU_WORDS);
      });
      this.states = states;
      this.nodeBases = nodeBases;
      this.gpuBases = gpuBases;
      this.conf = null;
      this.fullScan = false;
    } else {
      this.fullScan = true;
    }
    // the table depends on the spec and on static node facts (labels, card memory and vendor): compare, send if changed
    const conf = packReplicaConf(spec, clusters);
    if (!this.conf || this.conf.length !== conf.length || conf.some((w, i) => w !== this.conf![i])) {
      this.confBuf = this.ensure(this.confBuf, conf.byteLength, STORAGE | COPY_DST);
      this.device.queue.writeBuffer(this.confBuf, 0, conf);
      this.conf = conf;
    }
    this.spec = spec;
  }

  /** Marks a node of replica 0 changed since the last evaluation. */
  markDirty(nodeId: number): void {
    this.states[0]?.markDirty(nodeId);
  }

  /** Marks a node of replica `r` changed. */
  markReplicaDirty(r: number, nodeId: number): void {
    this.states[r].markDirty(nodeId);
  }

  /** Requests a version scan of every node of every replica before the next evaluation. */
  rescan(): void {
    this.fullScan = true;
  }

  private ensure(buf: GPUBuffer | null, bytes: number, usage: number): GPUBuffer {
    if (buf && buf.size >= bytes) return buf;
    if (buf) this.retired.push(buf);
    return this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
  }

  /** Sends the changed nodes of every replica; returns the node count. */
  private sync(): number {
    if (this.gpu.failed) throw new Error(`WebGPU engine failed: ${this.gpu.failed}`);
    if (this.states.length === 0 || !this.spec || !this.nodeBuf || !this.gpuBuf || !this.confBuf) throw new Error('engine not attached to a cluster');
    const q = this.device.queue;
    this.states.forEach((state, r) => {
      for (const i of state.refresh(this.fullScan)) {
        q.writeBuffer(this.nodeBuf!, (this.nodeBases[r] + i) * NODE_WORDS * 4, state.nodes, i * NODE_WORDS, NODE_WORDS);
        const off = state.nodes[i * NODE_WORDS + 8];
        const cnt = state.nodes[i * NODE_WORDS + 9];
        if (cnt > 0) q.writeBuffer(this.gpuBuf!, (this.gpuBases[r] + off) * GPU_WORDS * 4, state.gpus, off * GPU_WORDS, cnt * GPU_WORDS);
      }
    });
    this.fullScan = false;
    return this.states[0].nodeCount;
  }

  /**
   * Packs the pods (pod p on replica `replicas[p]`, default 0) with their node rows shifted by `nodeShift` (a node
   * tile starts there) and sizes the result buffer for pods × `width` candidates.
   */
  private preparePods(pods: readonly PodRequest[], windows: readonly EvalWindow[] | undefined, replicas: readonly number[] | undefined, nodeShift: number, width: number): void {
    const q = this.device.queue;
    const packed = new Uint32Array(Math.max(1, pods.length) * POD_WORDS);
    for (let p = 0; p < pods.length; p++) {
      const r = replicas ? replicas[p] : 0;
      this.states[r].packPods([pods[p]], windows ? [windows[p]] : undefined, [{ node: this.nodeBases[r] + nodeShift, gpu: this.gpuBases[r] }], packed, p);
    }
    this.podBuf = this.ensure(this.podBuf, packed.byteLength, STORAGE | COPY_DST);
    q.writeBuffer(this.podBuf, 0, packed);
    const hp = packHamiPods(this.spec!, pods);
    this.hamiPodBuf = this.ensure(this.hamiPodBuf, hp.byteLength, STORAGE | COPY_DST);
    q.writeBuffer(this.hamiPodBuf, 0, hp);
    this.resultBuf = this.ensure(this.resultBuf, pods.length * width * 4, STORAGE | COPY_SRC);
  }

  private writeParams(n: number, podCount: number, stride: number): void {
    const p = new Uint32Array(PARAM_BYTES / 4);
    p[0] = n;
    p[1] = podCount;
    p[10] = stride;
    p[11] = Math.ceil(n / 32);
    this.device.queue.writeBuffer(this.paramBuf, 0, p);
  }

  private async encodeFilter(enc: GPUCommandEncoder, podCount: number, n: number): Promise<void> {
    const pipeline = await this.gpu.pipeline('filterScoreHami');
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.paramBuf } },
        { binding: 1, resource: { buffer: this.nodeBuf! } },
        { binding: 2, resource: { buffer: this.gpuBuf! } },
        { binding: 3, resource: { buffer: this.podBuf! } },
        { binding: 4, resource: { buffer: this.resultBuf! } },
        { binding: 5, resource: { buffer: this.confBuf! } },
        { binding: 6, resource: { buffer: this.hamiPodBuf! } },
      ],
    }));
    const [x, y] = grid2d(Math.ceil((podCount * n) / FILTER_WG), this.gpu.workgroupsPerDim);
    pass.dispatchWorkgroups(x, y);
    pass.end();
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

  /** Decisions for HAMi pods against the current state of replica 0 (one submit unless split). */
  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[]): Promise<HamiDecision[]> {
    return this.evaluateReplicas(pods, windows);
  }

  /**
   * Decisions for pods of several replicas (pod p on replica `replicas[p]`, default 0): one submit and one
   * readback, more when the batch's results exceed the GpuEngine's result limit (`resultLimitBytes`, the storage
   * binding): pod chunks, or node tiles for a row that alone exceeds it (merged by HamiTileMerge).
   */
  async evaluateReplicas(pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas?: readonly number[]): Promise<HamiDecision[]> {
    if (pods.length === 0) return [];
    const n = this.sync();
    const limit = this.gpu.resultLimitBytes;
    const out: HamiDecision[] = [];
    if (n * 4 > limit) {
      for (let p = 0; p < pods.length; p++) out.push(await this.evaluateTiled(n, pods[p], windows[p], replicas ? replicas[p] : 0));
      return out;
    }
    const stride = HEADER_WORDS + Math.ceil(n / 32);
    const chunk = Math.max(1, Math.floor(limit / (4 * Math.max(n, stride))));
    for (let at = 0; at < pods.length; at += chunk) {
      const end = Math.min(pods.length, at + chunk);
      const words = await this.reduce(n, 0, pods.slice(at, end), windows.slice(at, end), replicas?.slice(at, end));
      for (let p = at; p < end; p++) out.push(decodeHamiDecision(words, (p - at) * stride, n, windows[p].start));
    }
    return out;
  }

  /**
   * One submit: filterScoreHami then selectHami for pods against `width` nodes starting at node `nodeShift` of
   * each pod's replica; returns the raw decision records.
   */
  private async reduce(width: number, nodeShift: number, pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas: readonly number[] | undefined): Promise<Uint32Array> {
    this.preparePods(pods, windows, replicas, nodeShift, width);
    const stride = HEADER_WORDS + Math.ceil(width / 32);
    this.writeParams(width, pods.length, stride);
    const select = await this.gpu.pipeline('selectHami');
    const outBytes = pods.length * stride * 4;
    this.decisionBuf = this.ensure(this.decisionBuf, outBytes, STORAGE | COPY_SRC | COPY_DST);
    this.readBuf = this.ensure(this.readBuf, outBytes, MAP_READ | COPY_DST);
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(this.decisionBuf, 0, outBytes);
    await this.encodeFilter(enc, pods.length, width);
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
    const [x, y] = grid2d(pods.length, this.gpu.workgroupsPerDim);
    pass.dispatchWorkgroups(x, y);
    pass.end();
    enc.copyBufferToBuffer(this.decisionBuf, 0, this.readBuf, 0, outBytes);
    this.device.queue.submit([enc.finish()]);
    this.submits++;
    return this.read(outBytes);
  }

  /**
   * One pod whose row of candidates exceeds the result limit: its window is scanned in node tiles in rotated order
   * (nodes start..n−1, then 0..start−1), each tile a window of its own (start 0) wanting the kube-feasible nodes
   * still missing; the tile records are merged (HamiTileMerge).
   */
  private async evaluateTiled(n: number, pod: PodRequest, window: EvalWindow, replica: number): Promise<HamiDecision> {
    const tile = Math.floor(this.gpu.resultLimitBytes / 4);
    const merge = new HamiTileMerge();
    const segments = window.start > 0 ? [[window.start, n], [0, window.start]] : [[0, n]];
    for (const [from, to] of segments) {
      for (let a = from; a < to && merge.feasible < window.want; a += tile) {
        const width = Math.min(tile, to - a);
        const words = await this.reduce(width, a, [pod], [{ start: 0, want: window.want - merge.feasible }], [replica]);
        merge.add(decodeHamiDecision(words, 0, width, 0), a);
      }
    }
    return merge.decision();
  }

  /** Packed results of every (pod, node) of replica 0: the filter+score kernel only (split like evaluations). */
  async scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    if (pods.length === 0) return new Uint32Array(0);
    const n = this.sync();
    const limit = this.gpu.resultLimitBytes;
    const out = new Uint32Array(pods.length * n);
    const tile = Math.max(1, Math.min(n, Math.floor(limit / 4)));
    const chunk = Math.max(1, Math.floor(limit / (tile * 4)));
    for (let a = 0; a < n; a += tile) {
      const width = Math.min(tile, n - a);
      for (let at = 0; at < pods.length; at += chunk) {
        const end = Math.min(pods.length, at + chunk);
        const bytes = (end - at) * width * 4;
        this.preparePods(pods.slice(at, end), undefined, undefined, a, width);
        this.writeParams(width, end - at, HEADER_WORDS + Math.ceil(width / 32));
        this.readBuf = this.ensure(this.readBuf, bytes, MAP_READ | COPY_DST);
        const enc = this.device.createCommandEncoder();
        await this.encodeFilter(enc, end - at, width);
        enc.copyBufferToBuffer(this.resultBuf!, 0, this.readBuf, 0, bytes);
        this.device.queue.submit([enc.finish()]);
        this.submits++;
        const words = await this.read(bytes);
        if (width === n) out.set(words, at * n);
        else for (let p = at; p < end; p++) out.set(words.subarray((p - at) * width, (p - at + 1) * width), p * n + a);
      }
    }
    return out;
  }
}

/**
 * Merges the HAMi decision records of consecutive node tiles of one pod's window (scan order) into its decision:
 * counts add up; the highest key is the maximum of the tiles'; the tied nodes of a tile with a higher key replace
 * the set, of one with an equal key extend it (scan order is kept: tiles come in scan order).
 */
export class HamiTileMerge {
  processed = 0;
  feasible = 0;
  private fit = 0;
  private readonly rejected = new Array<number>(REASON_BITS).fill(0);
  private readonly hamiRejected = new Array<number>(HAMI_REASON_BITS).fill(0);
  private maxTotal = -1;
  private tied: number[] = [];

  /** Adds a tile's decision (decoded with window start 0) whose first node is `first`. */
  add(d: HamiDecision, first: number): void {
    this.processed += d.processed;
    this.feasible += d.feasible;
    this.fit += d.fit;
    d.rejected.forEach((c, b) => (this.rejected[b] += c));
    d.hamiRejected.forEach((c, b) => (this.hamiRejected[b] += c));
    if (d.maxTotal < 0) return;
    const nodes = d.tied.map((local) => first + local);
    if (d.maxTotal > this.maxTotal) {
      this.maxTotal = d.maxTotal;
      this.tied = nodes;
    } else if (d.maxTotal === this.maxTotal) {
      this.tied.push(...nodes);
    }
  }

  /** The merged decision. */
  decision(): HamiDecision {
    return { processed: this.processed, feasible: this.feasible, rejected: [...this.rejected], maxTotal: this.maxTotal, plateaus: [], tied: [...this.tied], hamiRejected: [...this.hamiRejected], fit: this.fit };
  }
}

/** The config table of replicas: the header of `spec`, then each cluster's per-GPU words in replica order. */
export function packReplicaConf(spec: HamiKernelSpec, clusters: readonly ClusterState[]): Uint32Array {
  const tables = clusters.map((c) => packHamiConf(spec, c));
  const out = new Uint32Array(HAMI_CONF_HEADER + tables.reduce((s, t) => s + t.length - HAMI_CONF_HEADER, 0));
  if (tables.length > 0) out.set(tables[0].subarray(0, HAMI_CONF_HEADER));
  let at = HAMI_CONF_HEADER;
  for (const t of tables) {
    out.set(t.subarray(HAMI_CONF_HEADER), at);
    at += t.length - HAMI_CONF_HEADER;
  }
  return out;
}

/** Decodes one pod's record (layout in shaders/selectHami.wgsl). */
export function decodeHamiDecision(words: Uint32Array, at: number, nodeCount: number, start: number): HamiDecision {
  const rejected: number[] = [];
  for (let b = 0; b < REASON_BITS; b++) rejected.push(words[at + 3 + b]);
  const hamiRejected: number[] = [];
  for (let b = 0; b < HAMI_REASON_BITS; b++) hamiRejected.push(words[at + 3 + REASON_BITS + b]);
  const processed = words[at];
  const maxWord = words[at + 2];
  const tied: number[] = [];
  for (let w = 0; w * 32 < processed; w++) {
    let bits = words[at + HEADER_WORDS + w];
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits & -bits);
      tied.push((start + w * 32 + b) % nodeCount);
      bits &= bits - 1;
    }
  }
  return { processed, feasible: words[at + 1], rejected, maxTotal: maxWord === 0xffffffff ? -1 : maxWord, plateaus: [], tied, hamiRejected, fit: words[at + 21] };
}
