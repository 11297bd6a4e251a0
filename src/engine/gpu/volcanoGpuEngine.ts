/**
 * The Volcano kernel on WebGPU: the cluster state resident in GPU buffers and refreshed by per-node deltas before
 * every evaluation (the nodes whose version changed: a session's tentative binds, a discarded gang's unbinds, the
 * simulator's releases); one evaluation = one submit (filterScoreVolcano over pods × nodes, then selectMaxKey,
 * one workgroup per pod) and one readback of the decision records. Twin: engine/cpu/volcanoCpuEngine.ts.
 *
 * It runs on a GpuEngine's device and shares its compiled pipelines (GpuEngine.pipeline) and its failure state
 * (device lost, uncaptured errors: select.ts marks the GpuEngine failed, and the next evaluation here rejects);
 * its buffers are its own.
 *
 * Split batches, as GpuEngine's: results (8 bytes per candidate) larger than the GpuEngine's `resultLimitBytes`
 * (one storage binding, or `GpuEngineOptions.maxResultBytes`) go in pod chunks, one submit each; a task whose row
 * alone exceeds it is scored in node tiles merged on the CPU (VolcanoTileMerge). Dispatches are 2-D grids capped at
 * the GpuEngine's `workgroupsPerDim` (65,535).
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { ClusterBuffers, GPU_WORDS, NODE_WORDS } from '../state.ts';
import { packVolcanoPods, VOLCANO_REASON_BITS, volcanoLimitError, type VolcanoDecision, type VolcanoEngine, type VolcanoKernelSpec } from '../volcanoKernel.ts';
import { grid2d, type GpuEngine } from './gpuEngine.ts';

const STORAGE = 0x80; // GPUBufferUsage.STORAGE
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const UNIFORM = 0x40;
const MAP_READ = 0x01;
const FILTER_WG = 64;
const HEADER_WORDS = 16;
const PARAM_WORDS = 16;

/**
 * Volcano candidate evaluation on a GpuEngine's device. It can hold R replica clusters of one family (same node
 * count and GPU model order) side by side for lockstep sweeps (`attachReplicas` / `evaluateReplicas`,
 * engine/lockstepSim.ts): node and GPU rows concatenated, each pod row carrying its replica's bases. A single
 * cluster is R = 1.
 */
export class VolcanoGpuEngine implements VolcanoEngine {
  readonly kind = 'gpu' as const;
  readonly label: string;
  private states: ClusterBuffers[] = [];
  private nodeBases: number[] = [];
  private gpuBases: number[] = [];
  private spec: VolcanoKernelSpec | null = null;
  private readonly device: GPUDevice;
  private readonly paramBuf: GPUBuffer;
  private nodeBuf: GPUBuffer | null = null;
  private gpuBuf: GPUBuffer | null = null;
  private podBuf: GPUBuffer | null = null;
  private resultBuf: GPUBuffer | null = null;
  private decisionBuf: GPUBuffer | null = null;
  private readBuf: GPUBuffer | null = null;
  /** Outgrown buffers, destroyed after the next completed readback. */
  private retired: GPUBuffer[] = [];
  /** Bytes of node/GPU state sent since attach (tests: deltas, not re-uploads). */
  uploadedBytes = 0;
  /** Submits so far (tests: a lockstep dispatch is one). */
  submits = 0;

  constructor(readonly gpu: GpuEngine) {
    this.device = gpu.device;
    this.label = gpu.label;
    this.paramBuf = this.device.createBuffer({ size: PARAM_WORDS * 4, usage: UNIFORM | COPY_DST });
  }

  /** Uploads a new cluster's full state (a cluster already held is only rescanned at the next evaluation). */
  attach(cluster: ClusterState, spec: VolcanoKernelSpec): void {
    this.attachReplicas([cluster], spec);
  }

  /**
   * Holds R clusters (same node count and GPU model order) as replicas 0..R−1: a full upload when the clusters
   * changed (every evaluation rescans node versions anyway). Throws when the kernel cannot hold one of them
   * (volcanoLimitError) or the state exceeds a storage binding.
   */
  attachReplicas(clusters: readonly ClusterState[], spec: VolcanoKernelSpec): void {
    if (this.gpu.failed) throw new Error(`WebGPU engine failed: ${this.gpu.failed}`);
    this.spec = spec;
    if (clusters.length === this.states.length && clusters.every((c, r) => this.states[r].cluster === c)) return;
    for (const c of clusters) {
      const err = volcanoLimitError(c);
      if (err) throw new Error(err);
    }
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
    if (this.nodeBuf) this.retired.push(this.nodeBuf);
    if (this.gpuBuf) this.retired.push(this.gpuBuf);
    this.nodeBuf = this.device.createBuffer({ size: nodeBytes, usage: STORAGE | COPY_DST });
    this.gpuBuf = this.device.createBuffer({ size: gpuBytes, usage: STORAGE | COPY_DST });
    this.uploadedBytes = 0;
    states.forEach((s, r) => {
      this.device.queue.writeBuffer(this.nodeBuf!, nodeBases[r] * NODE_WORDS * 4, s.nodes, 0, s.nodeCount * NODE_WORDS);
      if (s.gpuCount > 0) this.device.queue.writeBuffer(this.gpuBuf!, gpuBases[r] * GPU_WORDS * 4, s.gpus, 0, s.gpuCount * GPU_WORDS);
      this.uploadedBytes += (s.nodeCount * NODE_WORDS + s.gpuCount * GPU_WORDS) * 4;
    });
    this.states = states;
    this.nodeBases = nodeBases;
    this.gpuBases = gpuBases;
  }

  /** Nothing to mark: every evaluation rescans node versions (a session's tentative binds do not call back). */
  markReplicaDirty(): void {}

  /** Nothing to request: every evaluation rescans node versions. */
  rescan(): void {}

  /** Sends the nodes whose version changed since the last evaluation, in every replica. */
  private sync(): { spec: VolcanoKernelSpec; n: number } {
    if (this.gpu.failed) throw new Error(`WebGPU engine failed: ${this.gpu.failed}`);
    if (this.states.length === 0 || !this.spec || !this.nodeBuf || !this.gpuBuf) throw new Error('volcano engine not attached to a cluster');
    const q = this.device.queue;
    this.states.forEach((state, r) => {
      for (const i of state.refresh(true)) {
        q.writeBuffer(this.nodeBuf!, (this.nodeBases[r] + i) * NODE_WORDS * 4, state.nodes, i * NODE_WORDS, NODE_WORDS);
        const off = state.nodes[i * NODE_WORDS + 8];
        const cnt = state.nodes[i * NODE_WORDS + 9];
        if (cnt > 0) q.writeBuffer(this.gpuBuf!, (this.gpuBases[r] + off) * GPU_WORDS * 4, state.gpus, off * GPU_WORDS, cnt * GPU_WORDS);
        this.uploadedBytes += (NODE_WORDS + cnt * GPU_WORDS) * 4;
      }
    });
    return { spec: this.spec, n: this.states[0].nodeCount };
  }

  private ensure(buf: GPUBuffer | null, bytes: number, usage: number): GPUBuffer {
    if (buf && buf.size >= bytes) return buf;
    if (buf) this.retired.push(buf);
    return this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
  }

  /** Writes the uniform block (shaders/volcanoParams.wgsl) for `width` nodes and the pods (node rows shifted by `nodeShift`); sizes the result buffer. */
  private prepare(spec: VolcanoKernelSpec, pods: readonly PodRequest[], replicas: readonly number[] | undefined, nodeShift: number, width: number): { stride: number; maskWords: number } {
    const maskWords = Math.ceil(width / 32);
    const stride = HEADER_WORDS + maskWords;
    const b = spec.binpack;
    const ds = spec.deviceShare;
    this.device.queue.writeBuffer(this.paramBuf, 0, new Uint32Array([
      width, pods.length, spec.vgpu ? 1 : 0, spec.leastRequestedWeight,
      spec.balancedWeight, b ? 1 : 0, b?.weight ?? 0, b?.cpu ?? 0,
      b?.memory ?? 0, b?.gpu ?? 0, ds?.spread ? 1 : 0, ds?.splitCount ?? 0,
      ds?.weight ?? 0, stride, maskWords, 0,
    ]));
    const bases = pods.map((_, p) => {
      const r = replicas ? replicas[p] : 0;
      return { node: this.nodeBases[r] + nodeShift, gpu: this.gpuBases[r] };
    });
    // replicas share the model order (attachReplicas checks it), so replica 0's indices pack every pod's mask
    const packed = packVolcanoPods(this.states[0], pods, bases);
    this.podBuf = this.ensure(this.podBuf, packed.byteLength, STORAGE | COPY_DST);
    this.device.queue.writeBuffer(this.podBuf, 0, packed);
    this.resultBuf = this.ensure(this.resultBuf, pods.length * width * 8, STORAGE | COPY_SRC);
    return { stride, maskWords };
  }

  private async encodeFilter(enc: GPUCommandEncoder, podCount: number, n: number): Promise<void> {
    const pipeline = await this.gpu.pipeline('filterScoreVolcano');
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
    if (this.gpu.failed) throw new Error(`WebGPU engine failed: ${this.gpu.failed}`);
    return out;
  }

  /** One decision per pod against the current state of replica 0 (one submit unless split). */
  evaluate(pods: readonly PodRequest[]): Promise<VolcanoDecision[]> {
    return this.evaluateReplicas(pods, [], undefined);
  }

  /**
   * One decision per pod of several replicas (pod p on replica `replicas[p]`, default 0): one submit and one
   * readback, more when the results (8 bytes per candidate) exceed the GpuEngine's result limit
   * (`resultLimitBytes`, the storage binding): pod chunks, or node tiles for a row that alone exceeds it (merged
   * by VolcanoTileMerge). Volcano scores every node, so `windows` (the lockstep interface's) are not read.
   */
  async evaluateReplicas(pods: readonly PodRequest[], _windows: readonly unknown[], replicas?: readonly number[]): Promise<VolcanoDecision[]> {
    if (pods.length === 0) return [];
    const { spec, n } = this.sync();
    const limit = this.gpu.resultLimitBytes;
    const out: VolcanoDecision[] = [];
    if (n * 8 > limit) {
      // node tiles in node-id order (the tie draw's order); each tile's record is merged on the CPU
      const tile = Math.floor(limit / 8);
      for (let p = 0; p < pods.length; p++) {
        const merge = new VolcanoTileMerge();
        for (let a = 0; a < n; a += tile) {
          const width = Math.min(tile, n - a);
          const { words, maskWords } = await this.reduce(spec, width, a, [pods[p]], replicas ? [replicas[p]] : undefined);
          merge.add(decodeVolcanoDecision(words, 0, width, maskWords), a);
        }
        out.push(merge.decision());
      }
      return out;
    }
    const maskWords = Math.ceil(n / 32);
    const stride = HEADER_WORDS + maskWords;
    const chunk = Math.max(1, Math.floor(limit / (4 * Math.max(2 * n, stride))));
    for (let at = 0; at < pods.length; at += chunk) {
      const end = Math.min(pods.length, at + chunk);
      const { words } = await this.reduce(spec, n, 0, pods.slice(at, end), replicas?.slice(at, end));
      for (let p = at; p < end; p++) out.push(decodeVolcanoDecision(words, (p - at) * stride, n, maskWords));
    }
    return out;
  }

  /**
   * One submit: filterScoreVolcano then selectMaxKey for pods against `width` nodes starting at node `nodeShift`
   * of each pod's replica; returns the raw decision records and their layout.
   */
  private async reduce(spec: VolcanoKernelSpec, width: number, nodeShift: number, pods: readonly PodRequest[], replicas: readonly number[] | undefined): Promise<{ words: Uint32Array; stride: number; maskWords: number }> {
    const { stride, maskWords } = this.prepare(spec, pods, replicas, nodeShift, width);
    const select = await this.gpu.pipeline('selectMaxKey');
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
        { binding: 1, resource: { buffer: this.resultBuf! } },
        { binding: 2, resource: { buffer: this.decisionBuf } },
      ],
    }));
    const [x, y] = grid2d(pods.length, this.gpu.workgroupsPerDim);
    pass.dispatchWorkgroups(x, y);
    pass.end();
    enc.copyBufferToBuffer(this.decisionBuf, 0, this.readBuf, 0, outBytes);
    this.device.queue.submit([enc.finish()]);
    this.submits++;
    return { words: await this.read(outBytes), stride, maskWords };
  }

  /** Result words of every (pod, node) of replica 0: the filter+score kernel only (split like evaluations). */
  async scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    if (pods.length === 0) return new Uint32Array(0);
    const { spec, n } = this.sync();
    const limit = this.gpu.resultLimitBytes;
    const out = new Uint32Array(pods.length * n * 2);
    const tile = Math.max(1, Math.min(n, Math.floor(limit / 8)));
    const chunk = Math.max(1, Math.floor(limit / (tile * 8)));
    for (let a = 0; a < n; a += tile) {
      const width = Math.min(tile, n - a);
      for (let at = 0; at < pods.length; at += chunk) {
        const end = Math.min(pods.length, at + chunk);
        const bytes = (end - at) * width * 8;
        this.prepare(spec, pods.slice(at, end), undefined, a, width);
        this.readBuf = this.ensure(this.readBuf, bytes, MAP_READ | COPY_DST);
        const enc = this.device.createCommandEncoder();
        await this.encodeFilter(enc, end - at, width);
        enc.copyBufferToBuffer(this.resultBuf!, 0, this.readBuf, 0, bytes);
        this.device.queue.submit([enc.finish()]);
        this.submits++;
        const words = await this.read(bytes);
        if (width === n) out.set(words, at * n * 2);
        else for (let p = at; p < end; p++) out.set(words.subarray((p - at) * width * 2, (p - at + 1) * width * 2), (p * n + a) * 2);
      }
    }
    return out;
  }

  /** Destroys this engine's buffers (the device belongs to the GpuEngine). */
  destroy(): void {
    for (const b of [this.nodeBuf, this.gpuBuf, this.podBuf, this.resultBuf, this.decisionBuf, this.readBuf, this.paramBuf, ...this.retired]) b?.destroy();
    this.retired = [];
    this.states = [];
  }
}

/**
 * Merges the Volcano decision records of consecutive node tiles (node-id order) of one task into its decision:
 * counts add up; the highest key (hi, then lo) is the maximum over the tiles with a feasible node (a feasible
 * total of 0 has key [0, 0]); a tile with a higher key replaces the tied set, one with an equal key extends it.
 */
export class VolcanoTileMerge {
  private feasible = 0;
  private readonly rejected = new Array<number>(VOLCANO_REASON_BITS).fill(0);
  private maxKey: [number, number] = [0, 0];
  private tied: number[] = [];

  /** Adds a tile's decision whose first node is `first`. */
  add(d: VolcanoDecision, first: number): void {
    d.rejected.forEach((c, b) => (this.rejected[b] += c));
    if (d.feasible > 0) {
      const [hi, lo] = d.maxKey;
      const nodes = d.tied.map((local) => first + local);
      const [bh, bl] = this.maxKey;
      if (this.feasible === 0 || hi > bh || (hi === bh && lo > bl)) {
        this.maxKey = [hi, lo];
        this.tied = nodes;
      } else if (hi === bh && lo === bl) {
        this.tied.push(...nodes);
      }
    }
    this.feasible += d.feasible;
  }

  /** The merged decision. */
  decision(): VolcanoDecision {
    return { feasible: this.feasible, rejected: [...this.rejected], maxKey: [...this.maxKey], tied: [...this.tied] };
  }
}

/**
 * Decodes one pod's record (layout in shaders/selectMaxKey.wgsl); throws on a record that cannot be a reduction's
 * (a corrupt readback must not become a placement: the scheduler then finishes on the CPU twin).
 */
export function decodeVolcanoDecision(words: Uint32Array, at: number, nodeCount: number, maskWords: number): VolcanoDecision {
  const rejected: number[] = [];
  for (let b = 0; b < VOLCANO_REASON_BITS; b++) rejected.push(words[at + 4 + b]);
  const tied: number[] = [];
  for (let w = 0; w < maskWords; w++) {
    let bits = words[at + HEADER_WORDS + w];
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits & -bits);
      tied.push(w * 32 + b);
      bits &= bits - 1;
    }
  }
  const feasible = words[at];
  const ok = feasible <= nodeCount && tied.length === words[at + 3] && (feasible === 0) === (tied.length === 0) && tied.every((i) => i < nodeCount);
  if (!ok) throw new Error(`inconsistent volcano decision record (feasible ${feasible}, tied ${tied.length}/${words[at + 3]}, ${nodeCount} nodes)`);
  return { feasible, rejected, maxKey: feasible === 0 ? [0, 0] : [words[at + 1], words[at + 2]], tied };
}
