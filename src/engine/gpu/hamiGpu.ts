/**
 * The HAMi kernel on WebGPU (twin: engine/cpu/filterScoreHami.ts CpuHamiEngine). It runs on a GpuEngine's device
 * and compiled pipelines but keeps its own buffers: cluster state resident and refreshed by per-node deltas, the
 * config table (kernels/hami.ts packHamiConf) re-sent only when it changes; one evaluation = one submit
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
import { REASON_BITS, type EvalWindow } from '../kernels/types.ts';
import { HAMI_CONF_HEADER, HAMI_REASON_BITS, hamiLimitError, packHamiConf, packHamiPods, type HamiDecision, type HamiEngine, type HamiKernelSpec } from '../kernels/hami.ts';
import type { DeviceOwner } from './device.ts';
import { COPY_DST, COPY_SRC, FILTER_WG, HostBuffers, ResidentReplicas, STORAGE, UNIFORM, encodePass, inPodChunks, nodeTiles, podChunkSize, replicaStates, scoreInTiles } from './hostCommon.ts';

const HEADER_WORDS = 32;
/** Uniform block size: params.wgsl's Params (64 bytes today) with room to grow. */
const PARAM_BYTES = 256;

const evaluators = new WeakMap<DeviceOwner, GpuHamiEngine>();

/** The HAMi evaluator on a device owner (a GpuEngine; created on first use). */
export function hamiGpuFor(engine: DeviceOwner): GpuHamiEngine {
  let e = evaluators.get(engine);
  if (!e) {
    e = new GpuHamiEngine(engine);
    evaluators.set(engine, e);
  }
  return e;
}

/**
 * HAMi candidate evaluation on WebGPU. It can hold R replica clusters of one family (same node count and GPU model
 * order) side by side for lockstep sweeps (`attachReplicas` / `evaluateReplicas`, engine/lockstep/lockstep.ts): node
 * and GPU rows concatenated, each pod row carrying its replica's node and GPU bases (state.ts packPods), and the
 * config table's per-GPU words concatenated in the same order (filterScoreHami reads them at the pod's GPU base).
 * A single cluster is R = 1.
 */
export class GpuHamiEngine implements HamiEngine {
  readonly kind = 'gpu' as const;
  private readonly host: HostBuffers;
  private readonly resident: ResidentReplicas;
  private spec: HamiKernelSpec | null = null;
  private conf: Uint32Array | null = null;
  private fullScan = true;
  private confBuf: GPUBuffer | null = null;
  private podBuf: GPUBuffer | null = null;
  private hamiPodBuf: GPUBuffer | null = null;
  private resultBuf: GPUBuffer | null = null;
  private decisionBuf: GPUBuffer | null = null;
  private readonly paramBuf: GPUBuffer;

  constructor(readonly gpu: DeviceOwner) {
    this.host = new HostBuffers(gpu.device);
    this.resident = new ResidentReplicas(this.host);
    this.paramBuf = gpu.device.createBuffer({ size: PARAM_BYTES, usage: UNIFORM | COPY_DST });
  }

  /** Submits so far (tests: a lockstep dispatch is one). */
  get submits(): number {
    return this.host.submits;
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
    if (!this.resident.holds(clusters)) {
      this.resident.upload(replicaStates(clusters));
      this.conf = null;
      this.fullScan = false;
    } else {
      this.fullScan = true;
    }
    // the table depends on the spec and on static node facts (labels, card memory and vendor): compare, send if changed
    const conf = packReplicaConf(spec, clusters);
    if (!this.conf || this.conf.length !== conf.length || conf.some((w, i) => w !== this.conf![i])) {
      this.confBuf = this.host.ensure(this.confBuf, conf.byteLength, STORAGE | COPY_DST);
      this.device.queue.writeBuffer(this.confBuf, 0, conf);
      this.conf = conf;
    }
    this.spec = spec;
  }

  /** Marks a node of replica 0 changed since the last evaluation. */
  markDirty(nodeId: number): void {
    this.resident.states[0]?.markDirty(nodeId);
  }

  /** Marks a node of replica `r` changed. */
  markReplicaDirty(r: number, nodeId: number): void {
    this.resident.states[r].markDirty(nodeId);
  }

  /** Requests a version scan of every node of every replica before the next evaluation. */
  rescan(): void {
    this.fullScan = true;
  }

  /** Sends the changed nodes of every replica; returns the node count. */
  private sync(): number {
    if (this.gpu.failed) throw new Error(`WebGPU engine failed: ${this.gpu.failed}`);
    if (this.resident.states.length === 0 || !this.spec || !this.confBuf) throw new Error('engine not attached to a cluster');
    this.resident.sync(this.fullScan);
    this.fullScan = false;
    return this.resident.nodeCount;
  }

  /**
   * Packs the pods (pod p on replica `replicas[p]`, default 0) with their node rows shifted by `nodeShift` (a node
   * tile starts there) and sizes the result buffer for pods × `width` candidates.
   */
  private preparePods(pods: readonly PodRequest[], windows: readonly EvalWindow[] | undefined, replicas: readonly number[] | undefined, nodeShift: number, width: number): void {
    const q = this.device.queue;
    const packed = this.resident.packPods(pods, windows, replicas, nodeShift);
    this.podBuf = this.host.ensure(this.podBuf, packed.byteLength, STORAGE | COPY_DST);
    q.writeBuffer(this.podBuf, 0, packed);
    const hp = packHamiPods(this.spec!, pods);
    this.hamiPodBuf = this.host.ensure(this.hamiPodBuf, hp.byteLength, STORAGE | COPY_DST);
    q.writeBuffer(this.hamiPodBuf, 0, hp);
    this.resultBuf = this.host.ensure(this.resultBuf, pods.length * width * 4, STORAGE | COPY_SRC);
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
    const buffers = [this.paramBuf, this.resident.nodeBuf!, this.resident.gpuBuf!, this.podBuf!, this.resultBuf!, this.confBuf!, this.hamiPodBuf!];
    encodePass(this.device, enc, pipeline, buffers, Math.ceil((podCount * n) / FILTER_WG), this.gpu.workgroupsPerDim);
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
    const stride = HEADER_WORDS + Math.ceil(n / 32);
    const chunk = podChunkSize(n, 4, stride, this.gpu.resultLimitBytes);
    if (chunk === null) {
      const out: HamiDecision[] = [];
      for (let p = 0; p < pods.length; p++) out.push(await this.evaluateTiled(n, pods[p], windows[p], replicas ? replicas[p] : 0));
      return out;
    }
    return inPodChunks(pods.length, chunk, async (at, end) => {
      const words = await this.reduce(n, 0, pods.slice(at, end), windows.slice(at, end), replicas?.slice(at, end));
      return pods.slice(at, end).map((_, i) => decodeHamiDecision(words, i * stride, n, windows[at + i].start));
    });
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
    this.decisionBuf = this.host.ensure(this.decisionBuf, outBytes, STORAGE | COPY_SRC | COPY_DST);
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(this.decisionBuf, 0, outBytes);
    await this.encodeFilter(enc, pods.length, width);
    encodePass(this.device, enc, select, [this.paramBuf, this.podBuf!, this.resultBuf!, this.decisionBuf], pods.length, this.gpu.workgroupsPerDim);
    return this.host.submitAndRead(enc, this.decisionBuf, outBytes);
  }

  /**
   * One pod whose row of candidates exceeds the result limit: its window is scanned in node tiles in rotated order
   * (nodes start..n−1, then 0..start−1), each tile a window of its own (start 0) wanting the kube-feasible nodes
   * still missing; the tile records are merged (HamiTileMerge).
   */
  private async evaluateTiled(n: number, pod: PodRequest, window: EvalWindow, replica: number): Promise<HamiDecision> {
    const tile = Math.floor(this.gpu.resultLimitBytes / 4);
    const merge = new HamiTileMerge();
    for (const [a, width] of nodeTiles(n, tile, window.start)) {
      if (merge.feasible >= window.want) break;
      const words = await this.reduce(width, a, [pod], [{ start: 0, want: window.want - merge.feasible }], [replica]);
      merge.add(decodeHamiDecision(words, 0, width, 0), a);
    }
    return merge.decision();
  }

  /** Packed results of every (pod, node) of replica 0: the filter+score kernel only (split like evaluations). */
  async scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    if (pods.length === 0) return new Uint32Array(0);
    const n = this.sync();
    return scoreInTiles(pods.length, n, 1, this.gpu.resultLimitBytes, async (at, end, a, width) => {
      this.preparePods(pods.slice(at, end), undefined, undefined, a, width);
      this.writeParams(width, end - at, HEADER_WORDS + Math.ceil(width / 32));
      const enc = this.device.createCommandEncoder();
      await this.encodeFilter(enc, end - at, width);
      return this.host.submitAndRead(enc, this.resultBuf!, (end - at) * width * 4);
    });
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
