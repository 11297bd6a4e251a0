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
import { packVolcanoPods, VOLCANO_REASON_BITS, volcanoLimitError, type VolcanoDecision, type VolcanoEngine, type VolcanoKernelSpec } from '../kernels/volcano.ts';
import type { DeviceOwner } from './device.ts';
import type { EvalWindow } from '../kernels/types.ts';
import { reduceVolcano, reduceVolcanoWindow } from '../cpu/selectMaxKey.ts';
import { COPY_DST, COPY_SRC, FILTER_WG, HostBuffers, ResidentReplicas, STORAGE, UNIFORM, encodePass, inPodChunks, nodeTiles, podChunkSize, replicaStates, scoreInTiles } from './hostCommon.ts';

const HEADER_WORDS = 16;
const PARAM_WORDS = 16;

/**
 * Volcano candidate evaluation on a GpuEngine's device. It can hold R replica clusters of one family (same node
 * count and GPU model order) side by side for lockstep sweeps (`attachReplicas` / `evaluateReplicas`,
 * engine/lockstep/lockstep.ts): node and GPU rows concatenated, each pod row carrying its replica's bases. A single
 * cluster is R = 1.
 */
export class VolcanoGpuEngine implements VolcanoEngine {
  readonly kind = 'gpu' as const;
  readonly label: string;
  private readonly host: HostBuffers;
  private readonly resident: ResidentReplicas;
  private spec: VolcanoKernelSpec | null = null;
  private readonly device: GPUDevice;
  private readonly paramBuf: GPUBuffer;
  private podBuf: GPUBuffer | null = null;
  private resultBuf: GPUBuffer | null = null;
  private decisionBuf: GPUBuffer | null = null;

  constructor(readonly gpu: DeviceOwner) {
    this.device = gpu.device;
    this.label = gpu.label;
    this.host = new HostBuffers(gpu.device);
    this.resident = new ResidentReplicas(this.host);
    this.paramBuf = this.device.createBuffer({ size: PARAM_WORDS * 4, usage: UNIFORM | COPY_DST });
  }

  /** Bytes of node/GPU state sent since attach (tests: deltas, not re-uploads). */
  get uploadedBytes(): number {
    return this.resident.uploadedBytes;
  }

  /** Submits so far (tests: a lockstep dispatch is one). */
  get submits(): number {
    return this.host.submits;
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
    if (this.resident.holds(clusters)) return;
    for (const c of clusters) {
      const err = volcanoLimitError(c);
      if (err) throw new Error(err);
    }
    this.resident.upload(replicaStates(clusters));
  }

  /** Nothing to mark: every evaluation rescans node versions (a session's tentative binds do not call back). */
  markReplicaDirty(): void {}

  /** Nothing to request: every evaluation rescans node versions. */
  rescan(): void {}

  /** Sends the nodes whose version changed since the last evaluation, in every replica. */
  private sync(): { spec: VolcanoKernelSpec; n: number } {
    if (this.gpu.failed) throw new Error(`WebGPU engine failed: ${this.gpu.failed}`);
    if (this.resident.states.length === 0 || !this.spec) throw new Error('volcano engine not attached to a cluster');
    this.resident.sync(true);
    return { spec: this.spec, n: this.resident.nodeCount };
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
    // replicas share the model order (attachReplicas checks it), so replica 0's indices pack every pod's mask
    const packed = packVolcanoPods(this.resident.states[0], pods, this.resident.bases(pods.length, replicas, nodeShift));
    this.podBuf = this.host.ensure(this.podBuf, packed.byteLength, STORAGE | COPY_DST);
    this.device.queue.writeBuffer(this.podBuf, 0, packed);
    this.resultBuf = this.host.ensure(this.resultBuf, pods.length * width * 8, STORAGE | COPY_SRC);
    return { stride, maskWords };
  }

  private async encodeFilter(enc: GPUCommandEncoder, podCount: number, n: number): Promise<void> {
    const pipeline = await this.gpu.pipeline('filterScoreVolcano');
    const buffers = [this.paramBuf, this.resident.nodeBuf!, this.resident.gpuBuf!, this.podBuf!, this.resultBuf!];
    encodePass(this.device, enc, pipeline, buffers, Math.ceil((podCount * n) / FILTER_WG), this.gpu.workgroupsPerDim);
  }

  /** Submits `enc` and reads `bytes` of `src` back; rejects when the GpuEngine failed meanwhile (device lost). */
  private async submitAndRead(enc: GPUCommandEncoder, src: GPUBuffer, bytes: number): Promise<Uint32Array> {
    const out = await this.host.submitAndRead(enc, src, bytes);
    if (this.gpu.failed) throw new Error(`WebGPU engine failed: ${this.gpu.failed}`);
    return out;
  }

  /** One decision per pod against the current state of replica 0 (one submit unless split; `windows`: VolcanoEngine). */
  evaluate(pods: readonly PodRequest[], windows?: readonly EvalWindow[]): Promise<VolcanoDecision[]> {
    return this.evaluateReplicas(pods, windows ?? [], undefined);
  }

  /**
   * One decision per pod of several replicas (pod p on replica `replicas[p]`, default 0): one submit and one
   * readback, more when the results (8 bytes per candidate) exceed the GpuEngine's result limit
   * (`resultLimitBytes`, the storage binding): pod chunks, or node tiles for a row that alone exceeds it (merged
   * by VolcanoTileMerge). A window that wants fewer nodes than the cluster has is Volcano's feasible-node search
   * above 100 nodes (sched/volcano/feasibleNodes.ts): then the batch's result words are read back and reduced on
   * the host (reduceVolcanoWindow, and reduceVolcano, the kernel's twin, for the batch's other pods).
   */
  async evaluateReplicas(pods: readonly PodRequest[], windows: readonly (EvalWindow | undefined)[], replicas?: readonly number[]): Promise<VolcanoDecision[]> {
    if (pods.length === 0) return [];
    const { spec, n } = this.sync();
    if (pods.some((_, p) => (windows[p]?.want ?? n) < n)) {
      const words = await this.words(spec, n, pods, replicas);
      return pods.map((_, p) => {
        const w = windows[p];
        return w && w.want < n ? reduceVolcanoWindow(words, p * n * 2, n, w) : reduceVolcano(words, p * n * 2, n);
      });
    }
    const limit = this.gpu.resultLimitBytes;
    const maskWords = Math.ceil(n / 32);
    const stride = HEADER_WORDS + maskWords;
    const chunk = podChunkSize(n, 8, stride, limit);
    if (chunk === null) {
      // node tiles in node-id order (the tie draw's order); each tile's record is merged on the CPU
      const out: VolcanoDecision[] = [];
      for (let p = 0; p < pods.length; p++) {
        const merge = new VolcanoTileMerge();
        for (const [a, width] of nodeTiles(n, Math.floor(limit / 8))) {
          const { words, maskWords: tileMask } = await this.reduce(spec, width, a, [pods[p]], replicas ? [replicas[p]] : undefined);
          merge.add(decodeVolcanoDecision(words, 0, width, tileMask), a);
        }
        out.push(merge.decision());
      }
      return out;
    }
    return inPodChunks(pods.length, chunk, async (at, end) => {
      const { words } = await this.reduce(spec, n, 0, pods.slice(at, end), replicas?.slice(at, end));
      return pods.slice(at, end).map((_, i) => decodeVolcanoDecision(words, i * stride, n, maskWords));
    });
  }

  /**
   * One submit: filterScoreVolcano then selectMaxKey for pods against `width` nodes starting at node `nodeShift`
   * of each pod's replica; returns the raw decision records and their layout.
   */
  private async reduce(spec: VolcanoKernelSpec, width: number, nodeShift: number, pods: readonly PodRequest[], replicas: readonly number[] | undefined): Promise<{ words: Uint32Array; stride: number; maskWords: number }> {
    const { stride, maskWords } = this.prepare(spec, pods, replicas, nodeShift, width);
    const select = await this.gpu.pipeline('selectMaxKey');
    const outBytes = pods.length * stride * 4;
    this.decisionBuf = this.host.ensure(this.decisionBuf, outBytes, STORAGE | COPY_SRC | COPY_DST);
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(this.decisionBuf, 0, outBytes);
    await this.encodeFilter(enc, pods.length, width);
    encodePass(this.device, enc, select, [this.paramBuf, this.resultBuf!, this.decisionBuf], pods.length, this.gpu.workgroupsPerDim);
    return { words: await this.submitAndRead(enc, this.decisionBuf, outBytes), stride, maskWords };
  }

  /** Result words of every (pod, node) of replica 0: the filter+score kernel only (split like evaluations). */
  async scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    if (pods.length === 0) return new Uint32Array(0);
    const { spec, n } = this.sync();
    return this.words(spec, n, pods, undefined);
  }

  /** Result words of every (pod, node) of each pod's replica (pod-major, 2 per candidate), in tiles as needed. */
  private words(spec: VolcanoKernelSpec, n: number, pods: readonly PodRequest[], replicas: readonly number[] | undefined): Promise<Uint32Array> {
    return scoreInTiles(pods.length, n, 2, this.gpu.resultLimitBytes, async (at, end, a, width) => {
      this.prepare(spec, pods.slice(at, end), replicas?.slice(at, end), a, width);
      const enc = this.device.createCommandEncoder();
      await this.encodeFilter(enc, end - at, width);
      return this.submitAndRead(enc, this.resultBuf!, (end - at) * width * 8);
    });
  }

  /** Destroys this engine's buffers (the device belongs to the GpuEngine). */
  destroy(): void {
    this.host.destroy([this.resident.nodeBuf, this.resident.gpuBuf, this.podBuf, this.resultBuf, this.decisionBuf, this.paramBuf]);
    this.resident.states = [];
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
