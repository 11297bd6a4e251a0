/**
 * The k8s/FGD/baselines evaluator on WebGPU (the device, its pipeline cache and its loss: gpu/device.ts): cluster state resident in GPU buffers, refreshed by per-node deltas (writeBuffer); one
 * evaluation = one submit (the spec's filter+score kernel over pods × nodes, then selectBest, one workgroup per
 * pod) and one readback of the decision records only. Twin: engine/cpu/cpuEngine.ts.
 *
 * Replicas: the engine can hold R clusters of the same node count at once (concatenated node and GPU buffers; each
 * pod row carries its replica's node and GPU bases), so R lockstep simulations are scored in one dispatch
 * (`attachReplicas` / `evaluateReplicas`; engine/lockstep/lockstep.ts). A single cluster is the case R = 1.
 * Kernels compile on first use (SwiftShader takes seconds per kernel), so a run pays only for the ones it needs.
 *
 * Split batches: the candidate results of one submit must fit one storage binding (the device's
 * maxStorageBufferBindingSize and maxBufferSize, or `GpuEngineOptions.maxResultBytes`). A larger batch is split
 * into pod chunks (one submit and readback each); a pod whose row alone is too large is scanned in node tiles, in
 * its window's rotated order, one submit per tile, and the tile records are merged on the CPU (`TileMerge`):
 * same decisions, invisible to callers.
 *
 * PodTopologySpread: pods evaluated with spread inputs (kernels/spread.ts, kube's default constraints for owned
 * replicas) get shaders/spreadPass.wgsl between filterScoreK8s and selectBest in the same submit (one workgroup
 * per pod; the others' rows untouched), and a record histogram 100 × its weight taller. The pass needs the whole
 * row in one binding and tracks at most 256 zone ids: `spreadRefusal` says when it cannot run (the evaluator then
 * takes the plugin path for the pod).
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { packBreakpoints, packDouble, packFgdClasses } from '../kernels/fgdTables.ts';
import { spreadLogTable, type SpreadInputs } from '../kernels/spread.ts';
import { POD_TOPOLOGY_SPREAD_WEIGHT } from '../../sched/plugins/podTopologySpread.ts';
import { kernelLimitError } from '../kernels/specs.ts';

import { MAX_REDUCIBLE_TOTAL, REASON_BITS, maxTotalOf, normalizesScores, type Decision, type Engine, type EvalWindow, type KernelSpec, type RankedNode, type SpreadBatch } from '../kernels/types.ts';
import type { KernelName, ShaderFiles } from './shaders.ts';
import { GpuDevice, type GpuEngineOptions } from './device.ts';
import { COPY_DST, COPY_SRC, FILTER_WG, HostBuffers, ResidentReplicas, STORAGE, UNIFORM, encodePass, inPodChunks, nodeTiles, podChunkSize, replicaStates, scoreInTiles } from './hostCommon.ts';
import { checkTopK, checkWholeWindow, insertRanked } from '../cpu/selectBest.ts';

export { MAX_WORKGROUPS_PER_DIM, grid2d } from './hostCommon.ts';
export type { GpuEngineOptions } from './device.ts';

const HEADER_WORDS = 16;
const PARAM_BYTES = 80; // shaders/params.wgsl Params: 17 u32, padded
/** Zone ids spreadPass.wgsl's workgroup flags hold (MAX_ZONES there). */
export const SPREAD_MAX_ZONES = 256;
/** spreadPass.wgsl's `spods` word 2 for a pod it leaves alone. */
const SPREAD_NOT_OWNED = 0xffffffff;

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
  private readonly host: HostBuffers;
  private readonly resident: ResidentReplicas;
  private spec: KernelSpec | null = null;
  private fullScan = true;
  private readonly paramBuf: GPUBuffer;
  private podBuf: GPUBuffer | null = null;
  private resultBuf: GPUBuffer | null = null;
  private decisionBuf: GPUBuffer | null = null;
  private classBuf: GPUBuffer | null = null;
  private breakpointBuf: GPUBuffer | null = null;
  private spreadParamBuf: GPUBuffer | null = null;
  private spreadPodBuf: GPUBuffer | null = null;
  private spreadWordBuf: GPUBuffer | null = null;
  private logTableBuf: GPUBuffer | null = null;
  private logTableNodes = -1;
  /** Pods whose totals the spread pass computed (tests: owned pods ran on the engine). */
  spreadPods = 0;
  /** The GPU device (gpu.device), shared with the HAMi and Volcano evaluators on it. */
  readonly device: GPUDevice;

  private constructor(readonly owner: GpuDevice) {
    this.device = owner.device;
    this.host = new HostBuffers(this.device);
    this.resident = new ResidentReplicas(this.host);
    this.paramBuf = this.device.createBuffer({ size: PARAM_BYTES, usage: UNIFORM | COPY_DST });
  }

  /** The adapter's label (the device owner's). */
  get label(): string {
    return this.owner.label;
  }

  /** Most bytes of candidate results one submit may hold (the device owner's). */
  get resultLimitBytes(): number {
    return this.owner.resultLimitBytes;
  }

  /** Most workgroups per grid dimension of a dispatch (the device owner's). */
  get workgroupsPerDim(): number {
    return this.owner.workgroupsPerDim;
  }

  /** Bytes of node/GPU state sent since attach (for tests and the benchmark: deltas, not re-uploads). */
  get uploadedBytes(): number {
    return this.resident.uploadedBytes;
  }

  /** Submits so far (tests: a split batch takes several). */
  get submits(): number {
    return this.host.submits;
  }

  /**
   * Creates the device owner (gpu/device.ts) and this engine on it, and compiles the reduction kernel (a check that
   * the device works; the filter+score kernels compile on first use). `keepAlive`: see GpuDevice.
   */
  static async create(device: GPUDevice, files: ShaderFiles, label: string, keepAlive: unknown[] = [], options: GpuEngineOptions = {}): Promise<GpuEngine> {
    const engine = new GpuEngine(new GpuDevice(device, label, files, keepAlive, options));
    await engine.pipeline('selectBest');
    return engine;
  }

  /** The compiled pipeline of a kernel (the device owner's cache). */
  pipeline(kernel: KernelName): Promise<GPUComputePipeline> {
    return this.owner.pipeline(kernel);
  }

  /** Marks the device unusable (device lost, uncaptured error); later evaluations reject with the reason. */
  fail(reason: string): void {
    this.owner.fail(reason);
  }

  /** Why the device stopped working, or null. */
  get failed(): string | null {
    return this.owner.failed;
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
    if (this.resident.holds(clusters, spec)) {
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
    const states = replicaStates(clusters, spec);
    for (const c of clusters) {
      const err = kernelLimitError(spec, c);
      if (err) throw new Error(err);
    }
    this.resident.upload(states);
    this.uploadSpec(spec);
    this.spec = spec;
    this.fullScan = false;
  }

  /** Spec tables the kernel reads besides the state (FGD: classes and the sigmoid's breakpoints). */
  private uploadSpec(spec: KernelSpec): void {
    if (spec.kind !== 'fgd' || this.resident.states.length === 0) return;
    const { words } = packFgdClasses(spec, this.resident.states[0]);
    this.classBuf = this.host.ensure(this.classBuf, words.byteLength, STORAGE | COPY_DST);
    this.device.queue.writeBuffer(this.classBuf, 0, words);
    if (!this.breakpointBuf) {
      const b = packBreakpoints();
      this.breakpointBuf = this.device.createBuffer({ size: b.byteLength, usage: STORAGE | COPY_DST });
      this.device.queue.writeBuffer(this.breakpointBuf, 0, b);
    }
  }

  /** Marks a node of replica 0 changed since the last evaluation. */
  markDirty(nodeId: number): void {
    this.resident.states[0]?.markDirty(nodeId);
  }

  /** Marks a node of replica `r` changed. */
  markReplicaDirty(r: number, nodeId: number): void {
    this.resident.states[r].markDirty(nodeId);
  }

  /** Requests a version scan of every node before the next evaluation. */
  rescan(): void {
    this.fullScan = true;
  }

  private sync(): { spec: KernelSpec; nodeCount: number } {
    this.owner.check();
    if (this.resident.states.length === 0 || !this.spec) throw new Error('engine not attached to a cluster');
    this.resident.sync(this.fullScan);
    this.fullScan = false;
    return { spec: this.spec, nodeCount: this.resident.nodeCount };
  }

  private writeParams(nodeCount: number, spec: KernelSpec, podCount: number, topK = 0, spread = false): { hist: number; maskWords: number; stride: number } {
    const { hist, maskWords, stride } = recordLayout(spec, nodeCount, topK, spread);
    const k = spec.kind === 'k8s-fit' ? spec : null;
    const p = new Uint32Array([
      nodeCount, podCount, k?.strategy === 'MostAllocated' ? 1 : 0, k?.gpuReplicas ?? 1,
      k?.cpuWeight ?? 0, k?.memWeight ?? 0, k?.gpuWeight ?? 0, k?.fitWeight ?? 0, k?.balancedWeight ?? 0, hist, stride, maskWords,
      spec.kind === 'fgd' ? spec.classes.length : 0,
      spec.kind === 'fgd-baseline' ? BASELINE_POLICY[spec.policy] : 0,
      spec.kind === 'fgd-baseline' ? spec.bias : 0,
      topK,
      k?.allocator === 'time-slicing' ? 1 : k?.allocator === 'mig' ? 2 : 0,
      0, 0, 0,
    ]);
    this.device.queue.writeBuffer(this.paramBuf, 0, p);
    return { hist, maskWords, stride };
  }

  /** Encodes the filter+score pass (and, with `normalize`, the spec's normalize pass: bestfit). */
  private async encodeFilter(enc: GPUCommandEncoder, spec: KernelSpec, podCount: number, nodeCount: number, normalize = false): Promise<void> {
    const pipeline = await this.pipeline(filterKernel(spec));
    const buffers = [this.paramBuf, this.resident.nodeBuf!, this.resident.gpuBuf!, this.podBuf!, this.resultBuf!];
    if (spec.kind === 'fgd') buffers.push(this.classBuf!, this.breakpointBuf!);
    encodePass(this.device, enc, pipeline, buffers, Math.ceil((podCount * nodeCount) / FILTER_WG), this.workgroupsPerDim);
    if (normalize && normalizesScores(spec)) {
      // bestfit: min-max normalize each pod's feasible results in place (one workgroup per pod)
      encodePass(this.device, enc, await this.pipeline('normalizeMinMax'), [this.paramBuf, this.resultBuf!], podCount, this.workgroupsPerDim);
    }
  }

  /**
   * Packs pods (pod p on replica `replicas[p]`, default 0) with their node rows shifted by `nodeShift` (a node
   * tile starts there) and sizes the result buffer for pods × `width` candidates.
   */
  private preparePods(pods: readonly PodRequest[], windows: readonly EvalWindow[] | undefined, replicas: readonly number[] | undefined, nodeShift: number, width: number): void {
    const packed = this.resident.packPods(pods, windows, replicas, nodeShift);
    this.podBuf = this.host.ensure(this.podBuf, packed.byteLength, STORAGE | COPY_DST);
    this.device.queue.writeBuffer(this.podBuf, 0, packed);
    this.resultBuf = this.host.ensure(this.resultBuf, pods.length * width * 4, STORAGE | COPY_SRC);
  }

  /** Decisions for a batch of pods against the current state of replica 0: one submit, one readback. */
  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[], topK = 0, spread?: SpreadBatch): Promise<Decision[]> {
    return this.evaluateReplicas(pods, windows, undefined, topK, spread);
  }

  /**
   * Why the spread pass cannot run for `spec` on `nodeCount` nodes with `zoneIds` zone ids, or null: only the k8s
   * kernel has it, the taller histogram must fit the reduction, the zone ids the workgroup flags, and one pod's
   * row one binding (the pass needs the whole row: no node tiles).
   */
  spreadRefusal(spec: KernelSpec, nodeCount: number, zoneIds: number): string | null {
    if (spec.kind !== 'k8s-fit') return `the PodTopologySpread pass runs with the k8s kernel, not ${spec.kind}`;
    if (maxTotalOf(spec, true) > MAX_REDUCIBLE_TOTAL) return `totals with PodTopologySpread reach ${maxTotalOf(spec, true)}, above the reduction's ${MAX_REDUCIBLE_TOTAL}`;
    if (zoneIds > SPREAD_MAX_ZONES) return `the PodTopologySpread pass tracks at most ${SPREAD_MAX_ZONES} zone values (the cluster has ${zoneIds})`;
    if (podChunkSize(nodeCount, 4, recordLayout(spec, nodeCount, 0, true).stride, this.resultLimitBytes) === null) return `the PodTopologySpread pass needs a pod's whole row in one binding (${nodeCount} nodes exceed ${this.resultLimitBytes} bytes)`;
    return null;
  }

  /**
   * Decisions for pods of several replicas (pod p on replica `replicas[p]`, default 0): one submit, one readback
   * (more when the batch exceeds the result limit: pod chunks, or node tiles for a row that alone exceeds it).
   */
  async evaluateReplicas(pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas?: readonly number[], topK = 0, spread?: SpreadBatch): Promise<Decision[]> {
    checkTopK(topK);
    if (pods.length === 0) return [];
    if (this.spec && normalizesScores(this.spec)) for (const w of windows) checkWholeWindow(w, this.resident.nodeCount);
    const { spec, nodeCount: n } = this.sync();
    const owned = spread?.some((x) => x) ?? false;
    if (owned) {
      const why = this.spreadRefusal(spec, n, Math.max(...spread!.map((x) => x?.zoneTotals.length ?? 0)));
      if (why) throw new Error(why);
    }
    const { hist, stride } = recordLayout(spec, n, topK, owned);
    const chunk = podChunkSize(n, 4, stride, this.resultLimitBytes);
    if (chunk === null) {
      const out: Decision[] = [];
      for (let p = 0; p < pods.length; p++) out.push(await this.evaluateTiled(spec, n, pods[p], windows[p], replicas ? replicas[p] : 0, topK));
      return out;
    }
    return inPodChunks(pods.length, chunk, async (at, end) => {
      const words = await this.reduce(spec, n, 0, pods.slice(at, end), windows.slice(at, end), replicas?.slice(at, end), topK, owned ? spread!.slice(at, end) : undefined);
      return pods.slice(at, end).map((_, i) => decodeDecision(words, i * stride, hist, n, windows[at + i].start, topK));
    });
  }

  /**
   * One submit: filter+score (and normalize) then selectBest for pods against `width` nodes starting at node
   * `nodeShift` of each pod's replica; returns the raw decision records.
   */
  private async reduce(spec: KernelSpec, width: number, nodeShift: number, pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas: readonly number[] | undefined, topK: number, spread?: SpreadBatch): Promise<Uint32Array> {
    this.preparePods(pods, windows, replicas, nodeShift, width);
    const owned = spread?.some((x) => x) ?? false;
    const { stride } = this.writeParams(width, spec, pods.length, topK, owned);
    const select = await this.pipeline('selectBest');
    const outBytes = pods.length * stride * 4;
    this.decisionBuf = this.host.ensure(this.decisionBuf, outBytes, STORAGE | COPY_SRC | COPY_DST);
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(this.decisionBuf, 0, Math.ceil(outBytes / 4) * 4);
    await this.encodeFilter(enc, spec, pods.length, width, true);
    if (owned) await this.encodeSpread(enc, width, windows, spread!);
    encodePass(this.device, enc, select, [this.paramBuf, this.podBuf!, this.resultBuf!, this.decisionBuf], pods.length, this.workgroupsPerDim);
    return this.host.submitAndRead(enc, this.decisionBuf, outBytes);
  }

  /**
   * Encodes spreadPass.wgsl over the batch's rows (every node of each pod's replica: no tiles): per owned pod its
   * window, and its counts, zone words and zone totals packed one after another in one word buffer.
   */
  private async encodeSpread(enc: GPUCommandEncoder, n: number, windows: readonly EvalWindow[], spread: SpreadBatch): Promise<void> {
    const P = windows.length;
    const spods = new Uint32Array(4 * P);
    const parts: SpreadInputs[] = [];
    let size = 0;
    for (let p = 0; p < P; p++) {
      const x = spread[p];
      spods.set(x ? [windows[p].start, windows[p].want, size, size + 2 * n] : [0, 0, SPREAD_NOT_OWNED, 0], 4 * p);
      if (!x) continue;
      parts.push(x);
      size += 2 * n + x.zoneTotals.length;
    }
    const words = new Uint32Array(Math.max(1, size));
    let at = 0;
    for (const x of parts) {
      words.set(x.counts, at);
      words.set(x.zones, at + n);
      words.set(x.zoneTotals, at + 2 * n);
      at += 2 * n + x.zoneTotals.length;
    }
    const q = this.device.queue;
    this.spreadParamBuf ??= this.device.createBuffer({ size: 16, usage: UNIFORM | COPY_DST });
    q.writeBuffer(this.spreadParamBuf, 0, new Uint32Array([P, n, POD_TOPOLOGY_SPREAD_WEIGHT, 0]));
    this.spreadPodBuf = this.host.ensure(this.spreadPodBuf, spods.byteLength, STORAGE | COPY_DST);
    q.writeBuffer(this.spreadPodBuf, 0, spods);
    this.spreadWordBuf = this.host.ensure(this.spreadWordBuf, words.byteLength, STORAGE | COPY_DST);
    q.writeBuffer(this.spreadWordBuf, 0, words);
    if (this.logTableNodes !== n) {
      // ln(k + 2), k = 0..n, as soft-doubles: uploaded once per node count
      const table = spreadLogTable(n);
      const t = new Uint32Array(4 * table.length);
      table.forEach((x, k) => packDouble(x, t, 4 * k));
      this.logTableBuf = this.host.ensure(this.logTableBuf, t.byteLength, STORAGE | COPY_DST);
      q.writeBuffer(this.logTableBuf, 0, t);
      this.logTableNodes = n;
    }
    const buffers = [this.spreadParamBuf, this.resultBuf!, this.spreadPodBuf, this.spreadWordBuf, this.logTableBuf!];
    encodePass(this.device, enc, await this.pipeline('spreadPass'), buffers, P, this.workgroupsPerDim);
    this.spreadPods += parts.length;
  }

  /**
   * One pod whose row of candidates exceeds the result limit: its window is scanned in node tiles in rotated
   * order (nodes start..n−1, then 0..start−1), each tile a window of its own that wants the feasible nodes still
   * missing; the tile records are merged (TileMerge). A normalized score needs the whole row: refused.
   */
  private async evaluateTiled(spec: KernelSpec, n: number, pod: PodRequest, window: EvalWindow, replica: number, topK: number): Promise<Decision> {
    if (normalizesScores(spec)) throw new Error(`a normalized score needs every node in one binding (${n} nodes exceed ${this.resultLimitBytes} bytes)`);
    const tile = Math.floor(this.resultLimitBytes / 4);
    const merge = new TileMerge(topK);
    for (const [a, width] of nodeTiles(n, tile, window.start)) {
      if (merge.feasible >= window.want) break;
      const { hist } = recordLayout(spec, width, topK);
      const words = await this.reduce(spec, width, a, [pod], [{ start: 0, want: window.want - merge.feasible }], [replica], topK);
      merge.add(words, hist, width, a);
    }
    return merge.decision();
  }

  /** Packed results of every (pod, node) of replica 0: the filter+score kernel only (split like evaluations). */
  async scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    if (pods.length === 0) return new Uint32Array(0);
    const { spec, nodeCount: n } = this.sync();
    return scoreInTiles(pods.length, n, 1, this.resultLimitBytes, async (at, end, a, width) => {
      this.preparePods(pods.slice(at, end), undefined, undefined, a, width);
      this.writeParams(width, spec, end - at);
      const enc = this.device.createCommandEncoder();
      await this.encodeFilter(enc, spec, end - at, width);
      return this.host.submitAndRead(enc, this.resultBuf!, (end - at) * width * 4);
    });
  }

  /** Destroys the buffers and the device. */
  destroy(): void {
    this.host.destroy([this.resident.nodeBuf, this.resident.gpuBuf, this.podBuf, this.resultBuf, this.decisionBuf, this.paramBuf, this.classBuf, this.breakpointBuf, this.spreadParamBuf, this.spreadPodBuf, this.spreadWordBuf, this.logTableBuf]);
    this.resident.states = [];
    this.owner.destroy();
  }
}

/**
 * Words of a decision record for `nodeCount` nodes: the plateau histogram's length and the record stride
 * (`spread`: a batch with the PodTopologySpread pass, whose totals reach higher).
 */
export function recordLayout(spec: KernelSpec, nodeCount: number, topK = 0, spread = false): { hist: number; maskWords: number; stride: number } {
  const hist = maxTotalOf(spec, spread) + 1;
  const maskWords = Math.ceil(nodeCount / 32);
  return { hist, maskWords, stride: HEADER_WORDS + hist + maskWords + 2 * topK };
}

/**
 * Merges the decision records of consecutive node tiles of one pod's window (scan order) into its decision.
 * Plateaus: the record keeps each tile's running-maximum plateau counts by total; a tile's plateau at a total
 * below the running maximum so far is no plateau of the whole scan, one equal to it continues the open plateau
 * (the tile's count of that total before its first higher total is exactly the continuation), a higher one opens
 * a new plateau. Tied: the tile's tied nodes replace (higher max) or extend (equal max) the set.
 */
export class TileMerge {
  processed = 0;
  feasible = 0;
  private readonly rejected = new Array<number>(REASON_BITS).fill(0);
  private maxTotal = -1;
  private readonly plateaus: number[] = [];
  private tied: number[] = [];
  private readonly top: RankedNode[] = [];

  constructor(private readonly topK = 0) {}

  /** Adds the record (at word 0 of `words`) of a tile of `width` nodes starting at node `first` (tile window start 0). */
  add(words: Uint32Array, hist: number, width: number, first: number): void {
    const d = decodeDecision(words, 0, hist, width, 0, this.topK);
    for (const t of d.top ?? []) insertRanked(this.top, this.topK, first + t.node, t.total);
    this.processed += d.processed;
    this.feasible += d.feasible;
    d.rejected.forEach((c, b) => (this.rejected[b] += c));
    if (d.maxTotal < 0) return;
    const before = this.maxTotal;
    for (let v = Math.max(0, before); v < hist; v++) {
      const c = words[HEADER_WORDS + v];
      if (c === 0) continue;
      if (v === before) this.plateaus[this.plateaus.length - 1] += c;
      else this.plateaus.push(c);
      this.maxTotal = v;
    }
    const nodes = d.tied.map((local) => first + local);
    if (d.maxTotal > before) this.tied = nodes;
    else if (d.maxTotal === before) this.tied.push(...nodes);
  }

  /** The merged decision. */
  decision(): Decision {
    const d: Decision = { processed: this.processed, feasible: this.feasible, rejected: [...this.rejected], maxTotal: this.maxTotal, plateaus: [...this.plateaus], tied: [...this.tied] };
    if (this.topK > 0) d.top = [...this.top];
    return d;
  }
}

/** Decodes one pod's decision record (layout in shaders/selectBest.wgsl), with its `topK` best nodes when > 0. */
export function decodeDecision(words: Uint32Array, at: number, hist: number, nodeCount: number, start: number, topK = 0): Decision {
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
  const d: Decision = { processed, feasible: words[at + 1], rejected, maxTotal: maxWord === 0xffffffff ? -1 : maxWord, plateaus, tied };
  if (topK > 0) {
    const top: RankedNode[] = [];
    const base = mask + Math.ceil(nodeCount / 32);
    for (let j = 0; j < topK && words[base + 2 * j] !== 0xffffffff; j++) top.push({ node: words[base + 2 * j + 1], total: words[base + 2 * j] });
    d.top = top;
  }
  return d;
}
