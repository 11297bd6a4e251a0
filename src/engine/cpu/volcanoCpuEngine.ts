/**
 * The Volcano kernel's CPU engine: the twin of shaders/filterScoreVolcano.wgsl + shaders/selectMaxKey.wgsl over
 * the packed state (state.ts), kept in step with the cluster by node version before every evaluation (a session's
 * tentative binds and a discarded gang's unbinds both bump the versions of the nodes they touch).
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import type { BinpackArgs } from '../../sched/volcano/binpack.ts';
import { ClusterBuffers } from '../kernels/state.ts';
import { packVolcanoPods, packVolcanoResult, type VolcanoDecision, type VolcanoEngine, type VolcanoKernelSpec } from '../kernels/volcano.ts';
import { binpackArgsOf, filterScoreVolcano } from './filterScoreVolcano.ts';
import { reduceVolcano, reduceVolcanoWindow } from './selectMaxKey.ts';
import type { EvalWindow } from '../kernels/types.ts';

/** Volcano candidate evaluation in TypeScript (`evaluateSync` for the synchronous simulator loop). */
export class VolcanoCpuEngine implements VolcanoEngine {
  readonly kind = 'cpu' as const;
  readonly label = 'CPU (TypeScript)';
  private state: ClusterBuffers | null = null;
  private spec: VolcanoKernelSpec | null = null;
  private binpack: BinpackArgs | null = null;
  private row = new Uint32Array(0);

  /** Binds to a cluster (packs every node on a new one). */
  attach(cluster: ClusterState, spec: VolcanoKernelSpec): void {
    if (this.state?.cluster !== cluster) this.state = new ClusterBuffers(cluster);
    if (spec !== this.spec) this.binpack = binpackArgsOf(spec);
    this.spec = spec;
  }

  private ready(): { state: ClusterBuffers; spec: VolcanoKernelSpec } {
    if (!this.state || !this.spec) throw new Error('volcano engine not attached to a cluster');
    this.state.refresh(true);
    return { state: this.state, spec: this.spec };
  }

  /** Result words of pod row `p` on every node into `out` from `at`. */
  private scoreRow(state: ClusterBuffers, spec: VolcanoKernelSpec, packed: Uint32Array, p: number, out: Uint32Array, at: number): void {
    for (let i = 0; i < state.nodeCount; i++) {
      const c = filterScoreVolcano(spec, this.binpack, state.nodes, state.gpus, i, packed, p);
      packVolcanoResult(c.total, c.reasons, out, at + 2 * i);
    }
  }

  /** Decisions for pods against the current state, synchronously (`windows`: VolcanoEngine.evaluate). */
  evaluateSync(pods: readonly PodRequest[], windows?: readonly EvalWindow[]): VolcanoDecision[] {
    const { state, spec } = this.ready();
    const packed = packVolcanoPods(state, pods);
    const n = state.nodeCount;
    if (this.row.length < 2 * n) this.row = new Uint32Array(2 * n);
    const out: VolcanoDecision[] = [];
    for (let p = 0; p < pods.length; p++) {
      this.scoreRow(state, spec, packed, p, this.row, 0);
      const w = windows?.[p];
      out.push(w && w.want < n ? reduceVolcanoWindow(this.row, 0, n, w) : reduceVolcano(this.row, 0, n));
    }
    return out;
  }

  /** Decisions for pods against the current state. */
  evaluate(pods: readonly PodRequest[], windows?: readonly EvalWindow[]): Promise<VolcanoDecision[]> {
    return Promise.resolve(this.evaluateSync(pods, windows));
  }

  /** Result words of every (pod, node), synchronously: [hi, lo] per candidate, pod-major. */
  scoreAllSync(pods: readonly PodRequest[]): Uint32Array {
    const { state, spec } = this.ready();
    const packed = packVolcanoPods(state, pods);
    const n = state.nodeCount;
    const out = new Uint32Array(pods.length * n * 2);
    for (let p = 0; p < pods.length; p++) this.scoreRow(state, spec, packed, p, out, p * n * 2);
    return out;
  }

  /** Result words of every (pod, node). */
  scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    return Promise.resolve(this.scoreAllSync(pods));
  }

  /** Drops the packed state. */
  destroy(): void {
    this.state = null;
  }
}
