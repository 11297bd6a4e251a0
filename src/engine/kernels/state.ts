/**
 * Packed cluster and pod state shared by both engines: the exact layout the WGSL kernels read.
 * The ClusterState stays the source of truth; these arrays mirror it and are refreshed per changed node.
 *
 * nodes: 3 × vec4<u32> per node
 *   [0] cpuMilli, memMiB, maxPods, podCount
 *   [1] usedCpuMilli, usedMemMiB, nonZeroCpuMilli, nonZeroMemMiB
 *   [2] gpuOffset (first GPU row), gpuCount, modelIndex, clusteringMask (bit k = a GPU pod of GpuClustering
 *       class k is on the node: 0 = shared, k = k whole GPUs; classes ≥ 32 are not recorded, and cannot occur on
 *       the ≤ 16-GPU nodes the clustering kernel accepts)
 * gpus: 2 × vec4<u32> per GPU
 *   [0] usedMilli, usedMemMiB, usedCores, usedSlots
 *   [1] memMiB, cores, numa, healthy (1/0)
 * Under k8s-mig (a spec with the `mig` allocator) node word 11, GPU word 6 and pod word 11 hold its MIG counts
 * instead (migRows.ts); no other kernel runs on such rows.
 * pods: 3 × vec4<u32> per pod
 *   [0] cpuMilli, memMiB, gpuCount, hasModels (1 when the pod restricts GPU models)
 *   [1] modelMaskLo, modelMaskHi (bit i = cluster model i allowed), window start, window want
 *   [2] gpuMilli (per GPU), nodeBase, gpuBase, 0 (k8s-mig: its MIG request, migRows.ts) — the bases place a replica's cluster inside concatenated
 *       node/GPU buffers (lockstep sweeps: pod r scores nodes nodeBase..nodeBase+N−1); 0 for a single cluster
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import type { EvalWindow, KernelSpec } from './types.ts';
import { MigRows } from './migRows.ts';

export const NODE_WORDS = 12;
export const GPU_WORDS = 8;
export const POD_WORDS = 12;
/** Distinct GPU models a cluster may have for the model mask (two u32 words). */
export const MAX_MODELS = 64;

/** Typed-array mirror of a ClusterState, refreshed incrementally by node version. */
export class ClusterBuffers {
  readonly nodeCount: number;
  readonly gpuCount: number;
  readonly nodes: Uint32Array;
  readonly gpus: Uint32Array;
  /** GPU model → index into the model mask. */
  readonly modelIndex = new Map<string, number>();
  private readonly versions: Int32Array;
  private readonly dirty = new Set<number>();

  /** k8s-mig's words (migRows.ts), present only for a spec with the `mig` allocator. */
  readonly mig: MigRows | null;

  constructor(
    readonly cluster: ClusterState,
    spec?: KernelSpec,
  ) {
    this.mig = spec?.kind === 'k8s-fit' && spec.mig ? new MigRows(spec.mig, cluster) : null;
    const nodes = cluster.nodes;
    this.nodeCount = nodes.length;
    this.gpuCount = nodes.reduce((s, n) => s + n.gpus.length, 0);
    this.nodes = new Uint32Array(Math.max(1, this.nodeCount) * NODE_WORDS);
    this.gpus = new Uint32Array(Math.max(1, this.gpuCount) * GPU_WORDS);
    this.versions = new Int32Array(this.nodeCount);
    let gpuOffset = 0;
    for (const n of nodes) {
      if (!this.modelIndex.has(n.gpuModel)) this.modelIndex.set(n.gpuModel, this.modelIndex.size);
      const o = n.id * NODE_WORDS;
      this.nodes[o + 8] = gpuOffset;
      this.nodes[o + 9] = n.gpus.length;
      this.nodes[o + 10] = this.modelIndex.get(n.gpuModel)!;
      gpuOffset += n.gpus.length;
    }
    if (this.modelIndex.size > MAX_MODELS) throw new Error(`too many gpu models for the engine: ${this.modelIndex.size} (max ${MAX_MODELS})`);
    for (let i = 0; i < this.nodeCount; i++) this.pack(i);
  }

  /** Marks a node for repacking at the next refresh. */
  markDirty(nodeId: number): void {
    this.dirty.add(nodeId);
  }

  /** Repacks nodes whose version changed (or were marked); returns their ids, ascending. */
  refresh(fullScan: boolean): number[] {
    const nodes = this.cluster.nodes;
    if (fullScan) for (let i = 0; i < this.nodeCount; i++) if (nodes[i].version !== this.versions[i]) this.dirty.add(i);
    const changed = [...this.dirty].sort((a, b) => a - b);
    this.dirty.clear();
    for (const i of changed) this.pack(i);
    return changed;
  }

  private pack(i: number): void {
    const n = this.cluster.nodes[i];
    const o = i * NODE_WORDS;
    const a = this.nodes;
    a[o] = n.cpuMilli;
    a[o + 1] = n.memMiB;
    a[o + 2] = n.maxPods;
    a[o + 3] = n.podCount;
    a[o + 4] = n.usedCpuMilli;
    a[o + 5] = n.usedMemMiB;
    a[o + 6] = n.nonZeroCpuMilli;
    a[o + 7] = n.nonZeroMemMiB;
    let mask = 0;
    for (const p of this.cluster.podsOnNode[i]) {
      const r = p.request;
      if (r.gpuCount === 0 || r.gpuMilli === 0) continue; // CPU-only pods leave a node "empty" (fgdBaselines.ts)
      const k = r.gpuMilli < 1000 ? 0 : r.gpuCount;
      if (k < 32) mask |= 1 << k;
    }
    a[o + 11] = this.mig ? this.mig.nodeWord(n) : mask >>> 0;
    let g = a[o + 8] * GPU_WORDS;
    for (const gpu of n.gpus) {
      this.gpus[g] = gpu.usedMilli;
      this.gpus[g + 1] = gpu.usedMemMiB;
      this.gpus[g + 2] = gpu.usedCores;
      this.gpus[g + 3] = gpu.usedSlots;
      this.gpus[g + 4] = gpu.memMiB;
      this.gpus[g + 5] = gpu.cores;
      this.gpus[g + 6] = this.mig ? this.mig.gpuWord(n, gpu.index) : gpu.numa;
      this.gpus[g + 7] = gpu.healthy ? 1 : 0;
      g += GPU_WORDS;
    }
    this.versions[i] = n.version;
  }

  /**
   * Packs pods (with their windows; start 0 / want = all nodes when absent) in the pod layout. `bases` gives each
   * pod's node and GPU row offsets in concatenated buffers (lockstep replicas); none → 0.
   */
  packPods(pods: readonly PodRequest[], windows?: readonly EvalWindow[], bases?: readonly { node: number; gpu: number }[], out = new Uint32Array(Math.max(1, pods.length) * POD_WORDS), at = 0): Uint32Array {
    for (let p = 0; p < pods.length; p++) {
      const r = pods[p];
      const o = (at + p) * POD_WORDS;
      out[o] = r.cpuMilli;
      out[o + 1] = r.memMiB;
      out[o + 2] = r.gpuCount;
      out[o + 3] = r.gpuModels.length > 0 ? 1 : 0;
      writeModelMask(this.modelIndex, r.gpuModels, out, o + 4);
      out[o + 6] = windows ? windows[p].start : 0;
      out[o + 7] = windows ? windows[p].want : this.nodeCount;
      out[o + 8] = r.gpuMilli;
      out[o + 9] = bases ? bases[p].node : 0;
      out[o + 10] = bases ? bases[p].gpu : 0;
      out[o + 11] = this.mig ? this.mig.podWord(r) : 0;
    }
    return out;
  }
}

/**
 * Writes a pod's GPU-model selector as a 64-bit mask of the cluster's model indices (bit k = model k) to
 * out[at] (models 0..31) and out[at + 1] (32..63); a model absent from the cluster matches no node.
 */
export function writeModelMask(modelIndex: ReadonlyMap<string, number>, models: readonly string[], out: Uint32Array, at: number): void {
  let lo = 0;
  let hi = 0;
  for (const m of models) {
    const k = modelIndex.get(m);
    if (k === undefined) continue;
    if (k < 32) lo |= 1 << k;
    else hi |= 1 << (k - 32);
  }
  out[at] = lo >>> 0;
  out[at + 1] = hi >>> 0;
}
