/**
 * The CPU engine: the TypeScript twin of the kernels. Scores candidates with `filterScoreK8s` (twin of
 * shaders/filterScoreK8s.wgsl) and reduces them exactly as shaders/selectBest.wgsl does, in one fused pass over
 * the window (nodes beyond the window are never scored, as in kube's findNodesThatPassFilters). A pod with
 * PodTopologySpread inputs gets the spread pass's twin (spreadPass.ts) on its window's row before the reduction.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { ClusterBuffers } from '../kernels/state.ts';
import { migTableOf } from '../kernels/migRows.ts';
import { normalizesScores, type Decision, type Engine, type EvalWindow, type KernelSpec, type SpreadBatch } from '../kernels/types.ts';
import { spreadLogTable } from '../kernels/spread.ts';
import { addSpreadScores } from './spreadPass.ts';
import { POD_TOPOLOGY_SPREAD_WEIGHT } from '../../sched/plugins/podTopologySpread.ts';
import { filterScoreK8s } from './filterScoreK8s.ts';
import { filterScoreBaselines } from './filterScoreBaselines.ts';
import { filterScoreFgd, type FgdTables } from './filterScoreFgd.ts';
import { FGD_MAX_GPUS, fgdBreakpoints, packFgdClasses } from '../kernels/fgdTables.ts';
import { normalizeMinMaxRow } from './normalizeMinMax.ts';
import { checkTopK, checkWholeWindow, reduceWindow } from './selectBest.ts';

/** A candidate scorer: packed result of pod row `p` on node `local` (twin of the spec's filter+score kernel). */
export type CandidateScorer = (nodes: Uint32Array, gpus: Uint32Array, local: number, pods: Uint32Array, p: number) => number;

/** The twin scorer of a spec for a cluster's packed state (FGD's class table is packed against its model indices). */
export function scorerFor(spec: KernelSpec, state: ClusterBuffers): CandidateScorer {
  if (spec.kind === 'k8s-fit') return (nodes, gpus, local, pods, p) => filterScoreK8s(spec, nodes, gpus, local, pods, p);
  if (spec.kind === 'fgd-baseline') return (nodes, gpus, local, pods, p) => filterScoreBaselines(spec, nodes, gpus, local, pods, p);
  const tables = fgdTablesFor(spec, state);
  return (nodes, gpus, local, pods, p) => filterScoreFgd(tables, nodes, gpus, local, pods, p);
}

/** FGD's tables for a cluster; throws when a node has more GPUs than the kernel handles. */
export function fgdTablesFor(spec: Extract<KernelSpec, { kind: 'fgd' }>, state: ClusterBuffers): FgdTables {
  for (const n of state.cluster.nodes) if (n.gpus.length > FGD_MAX_GPUS) throw new Error(`the FGD kernel handles at most ${FGD_MAX_GPUS} GPUs per node (${n.name} has ${n.gpus.length})`);
  const { words, weights } = packFgdClasses(spec, state);
  return { classes: words, classCount: spec.classes.length, weights, breakpoints: fgdBreakpoints() };
}

/** Candidate evaluation in TypeScript (synchronous underneath; `evaluateSync` for synchronous callers). */
export class CpuEngine implements Engine {
  readonly kind = 'cpu' as const;
  readonly label = 'CPU (TypeScript)';
  private state: ClusterBuffers | null = null;
  private spec: KernelSpec | null = null;
  private scorer: CandidateScorer | null = null;
  private fullScan = true;
  private logTable: Float64Array | null = null;

  /** Binds to a cluster; the first evaluation packs every node. */
  attach(cluster: ClusterState, spec: KernelSpec): void {
    const fresh = this.state?.cluster !== cluster || this.state.mig?.table !== migTableOf(spec);
    if (fresh) this.state = new ClusterBuffers(cluster, spec);
    if (fresh || spec !== this.spec) this.scorer = scorerFor(spec, this.state!);
    this.spec = spec;
    this.fullScan = true;
  }

  /** Marks a node changed since the last evaluation. */
  markDirty(nodeId: number): void {
    this.state?.markDirty(nodeId);
  }

  /** Requests a version scan of every node before the next evaluation (after changes the engine was not told of). */
  rescan(): void {
    this.fullScan = true;
  }

  private ready(): { state: ClusterBuffers; score: CandidateScorer } {
    if (!this.state || !this.scorer) throw new Error('engine not attached to a cluster');
    this.state.refresh(this.fullScan);
    this.fullScan = false;
    return { state: this.state, score: this.scorer };
  }

  /** ln(k + 2) for k = 0..n (the spread pass's weights), kept while the node count stays. */
  private logTableFor(n: number): Float64Array {
    if (this.logTable?.length !== n + 1) this.logTable = spreadLogTable(n);
    return this.logTable;
  }

  /**
   * Decisions for pods against the current state, synchronously (with `topK`: each one's best nodes too; with
   * `spread`: the owned pods' totals include the PodTopologySpread pass).
   */
  evaluateSync(pods: readonly PodRequest[], windows: readonly EvalWindow[], topK = 0, spread?: SpreadBatch): Decision[] {
    checkTopK(topK);
    const { state, score } = this.ready();
    const packed = state.packPods(pods, windows);
    const out: Decision[] = [];
    const n = state.nodeCount;
    const normalize = normalizesScores(this.spec!);
    const row = normalize ? new Float64Array(n) : null;
    for (let p = 0; p < pods.length; p++) {
      const inputs = spread?.[p];
      if (inputs) {
        if (this.spec!.kind !== 'k8s-fit') throw new Error(`the PodTopologySpread pass runs with the k8s kernel, not ${this.spec!.kind}`);
        // the window's row first (the reduction stops where the pass's scan stops: after `want` feasible nodes),
        // then the pass over it and the reduction of the summed totals
        const totals = new Float64Array(n);
        reduceWindow(n, windows[p], (i) => (totals[i] = score(state.nodes, state.gpus, i, packed, p)));
        addSpreadScores(totals, windows[p], inputs, this.logTableFor(n), POD_TOPOLOGY_SPREAD_WEIGHT);
        out.push(reduceWindow(n, windows[p], (i) => totals[i], topK));
      } else if (row) {
        // bestfit: raw scores of every node, normalized over the feasible set, then the same reduction
        checkWholeWindow(windows[p], n);
        for (let i = 0; i < n; i++) row[i] = score(state.nodes, state.gpus, i, packed, p);
        normalizeMinMaxRow(row, 0, n);
        out.push(reduceWindow(n, windows[p], (i) => row[i], topK));
      } else {
        out.push(reduceWindow(n, windows[p], (i) => score(state.nodes, state.gpus, i, packed, p), topK));
      }
    }
    return out;
  }

  /** Decisions for pods against the current state. */
  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[], topK = 0, spread?: SpreadBatch): Promise<Decision[]> {
    return Promise.resolve(this.evaluateSync(pods, windows, topK, spread));
  }

  /** Packed results of every (pod, node), synchronously. */
  scoreAllSync(pods: readonly PodRequest[]): Uint32Array {
    const { state, score } = this.ready();
    const packed = state.packPods(pods);
    const n = state.nodeCount;
    const out = new Uint32Array(pods.length * n);
    for (let p = 0; p < pods.length; p++) for (let i = 0; i < n; i++) out[p * n + i] = score(state.nodes, state.gpus, i, packed, p);
    return out;
  }

  /** Packed results of every (pod, node). */
  scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    return Promise.resolve(this.scoreAllSync(pods));
  }

  /** Nothing to release. */
  destroy(): void {
    this.state = null;
  }
}

