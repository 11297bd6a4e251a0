/**
 * The CPU engine: the TypeScript twin of the kernels. Scores candidates with `filterScoreK8s` (twin of
 * shaders/filterScoreK8s.wgsl) and reduces them exactly as shaders/selectBest.wgsl does, in one fused pass over
 * the window (nodes beyond the window are never scored, as in kube's findNodesThatPassFilters).
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { ClusterBuffers } from '../kernels/state.ts';
import { INFEASIBLE, MAX_TOP_K, REASON_BITS, normalizesScores, type Decision, type Engine, type EvalWindow, type KernelSpec, type RankedNode } from '../kernels/types.ts';
import { filterScoreK8s } from './filterScoreK8s.ts';
import { filterScoreBaselines, normalizeMinMaxRow } from './filterScoreBaselines.ts';
import { filterScoreFgd, type FgdTables } from './filterScoreFgd.ts';
import { FGD_MAX_GPUS, fgdBreakpoints, packFgdClasses } from '../kernels/fgdTables.ts';

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

/**
 * Reduces one pod's candidates in its window (twin of selectBest.wgsl); `score(i)` gives node i's packed result.
 * With `topK` > 0 the decision lists the best feasible nodes (total descending, node id ascending on ties).
 */
export function reduceWindow(nodeCount: number, window: EvalWindow, score: (node: number) => number, topK = 0): Decision {
  const rejected = new Array<number>(REASON_BITS).fill(0);
  const plateaus: number[] = [];
  let tied: number[] = [];
  let feasible = 0;
  let processed = 0;
  let cur = -1;
  let count = 0;
  const top: RankedNode[] | null = topK > 0 ? [] : null;
  for (let k = 0; k < nodeCount && feasible < window.want; k++) {
    const i = (window.start + k) % nodeCount;
    processed++;
    const r = score(i);
    if (r >= INFEASIBLE) {
      for (let b = 0; b < REASON_BITS; b++) if ((r >>> b) & 1) rejected[b]++;
      continue;
    }
    feasible++;
    if (top) insertRanked(top, topK, i, r);
    if (r > cur) {
      if (count > 0) plateaus.push(count);
      cur = r;
      count = 1;
      tied = [i];
    } else if (r === cur) {
      count++;
      tied.push(i);
    }
  }
  if (count > 0) plateaus.push(count);
  const d: Decision = { processed, feasible, rejected, maxTotal: cur, plateaus, tied };
  if (top) d.top = top;
  return d;
}

/** Inserts (node, total) into a list kept sorted by total desc, node asc, at most `k` long. */
export function insertRanked(list: RankedNode[], k: number, node: number, total: number): void {
  const before = (a: RankedNode): boolean => total > a.total || (total === a.total && node < a.node);
  if (list.length === k && !before(list[k - 1])) return;
  let j = list.length;
  while (j > 0 && before(list[j - 1])) j--;
  list.splice(j, 0, { node, total });
  if (list.length > k) list.pop();
}

/**
 * A normalize step runs over the feasible set of every node (the FGD profiles score all nodes: kube's window is
 * the whole cluster); a narrower window would need the window's feasible set first. Both engines refuse it.
 */
export function checkWholeWindow(window: EvalWindow, nodeCount: number): void {
  if (window.want < nodeCount) throw new Error(`a normalized score needs every node in the window (want ${window.want} < ${nodeCount} nodes)`);
}

/** Throws for a top-k the reduction cannot return (0..MAX_TOP_K). */
export function checkTopK(topK: number): void {
  if (!Number.isInteger(topK) || topK < 0 || topK > MAX_TOP_K) throw new Error(`top-k must be an integer in 0..${MAX_TOP_K} (got ${topK})`);
}

/** Candidate evaluation in TypeScript (synchronous underneath; `evaluateSync` for synchronous callers). */
export class CpuEngine implements Engine {
  readonly kind = 'cpu' as const;
  readonly label = 'CPU (TypeScript)';
  private state: ClusterBuffers | null = null;
  private spec: KernelSpec | null = null;
  private scorer: CandidateScorer | null = null;
  private fullScan = true;

  /** Binds to a cluster; the first evaluation packs every node. */
  attach(cluster: ClusterState, spec: KernelSpec): void {
    const fresh = this.state?.cluster !== cluster;
    if (fresh) this.state = new ClusterBuffers(cluster);
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

  /** Decisions for pods against the current state, synchronously (with `topK`: each one's best nodes too). */
  evaluateSync(pods: readonly PodRequest[], windows: readonly EvalWindow[], topK = 0): Decision[] {
    checkTopK(topK);
    const { state, score } = this.ready();
    const packed = state.packPods(pods, windows);
    const out: Decision[] = [];
    const n = state.nodeCount;
    const normalize = normalizesScores(this.spec!);
    const row = normalize ? new Float64Array(n) : null;
    for (let p = 0; p < pods.length; p++) {
      if (row) {
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
  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[], topK = 0): Promise<Decision[]> {
    return Promise.resolve(this.evaluateSync(pods, windows, topK));
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

