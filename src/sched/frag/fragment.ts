/**
 * FGD's fragmentation measure (domain.md §6.4; hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641
 * pkg/utils/frag.go NodeGpuShareFragAmount, GetNodePodFrag, GetGpuFragMilliByNodeResAndPodRes).
 *
 * A node's free GPU shares R_g (milli). For a target class m (d_m milli per GPU, k_m GPUs, c_m CPU, allowed
 * models), the fragment F_n(m) is all free GPU share Σ R_g when m is CPU-only, or the node's model is not
 * allowed, or fewer than k_m GPUs have R_g ≥ d_m, or free CPU < c_m; otherwise only the GPUs too small for m:
 * Σ R_g·[R_g < d_m]. Node fragmentation F_n = Σ_m p_m·F_n(m); cluster fragmentation = Σ_n F_n; the
 * fragmentation rate = cluster fragment / idle GPU share · 100.
 */
import type { ClusterState, NodeState } from '../../model/cluster.ts';
import { GPU_MILLI } from '../../model/units.ts';
import { isCpuOnly, type PodShape, type TargetClass, type TargetWorkload } from './target.ts';

// Local copies: imported bindings are getters under some loaders (tsx), too slow in these hot loops.
const MILLI: number = GPU_MILLI;

/** What the fragment of a node depends on: free CPU, free share per GPU (index order) and the GPU model. */
export interface FragNodeView {
  cpuLeftMilli: number;
  gpuLeftMilli: ArrayLike<number>;
  model: string;
}

/** The artifact's categories of a (node, class) pair; every category but `q3_satisfied` is all fragment. */
export type FragCategory = 'q1_lack_both' | 'q2_lack_gpu' | 'q3_satisfied' | 'q4_lack_cpu' | 'xl_satisfied' | 'xr_lack_cpu' | 'no_access';

/** True when a node of `model` may host a pod allowing `models` (empty = any; exact names). */
export function modelAllowed(models: readonly string[], model: string): boolean {
  return models.length === 0 || models.includes(model);
}

/** Number of GPUs with at least `milli` free. */
export function gpusWithAtLeast(gpuLeft: ArrayLike<number>, milli: number): number {
  let n = 0;
  for (let i = 0; i < gpuLeft.length; i++) if (gpuLeft[i] >= milli) n++;
  return n;
}

/** Σ R_g over the GPUs with less than `milli` free (the part of a node too small for a `milli` pod). */
export function gpuFragMilliForPod(gpuLeft: ArrayLike<number>, milli: number): number {
  let s = 0;
  for (let i = 0; i < gpuLeft.length; i++) if (gpuLeft[i] < milli) s += gpuLeft[i];
  return s;
}

/** Σ R_g. */
export function totalGpuLeft(gpuLeft: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < gpuLeft.length; i++) s += gpuLeft[i];
  return s;
}

/** The category of a (node, class) pair, as GetNodePodFrag decides it. */
export function fragCategory(node: FragNodeView, m: PodShape & { cpuMilli: number }): FragCategory {
  const cpuOk = node.cpuLeftMilli >= m.cpuMilli;
  if (isCpuOnly(m)) return cpuOk ? 'xl_satisfied' : 'xr_lack_cpu';
  if (!modelAllowed(m.models, node.model)) return 'no_access';
  const gpuOk = gpusWithAtLeast(node.gpuLeftMilli, m.gpuMilli) >= m.gpuCount;
  if (gpuOk) return cpuOk ? 'q3_satisfied' : 'q4_lack_cpu';
  return cpuOk ? 'q2_lack_gpu' : 'q1_lack_both';
}

/** F_n(m), milli-GPU: the node's free GPU share that class m cannot use. */
export function classFragmentMilli(node: FragNodeView, m: PodShape): number {
  return fragCategory(node, m) === 'q3_satisfied' ? gpuFragMilliForPod(node.gpuLeftMilli, m.gpuMilli) : totalGpuLeft(node.gpuLeftMilli);
}

/** Per-model precomputation: which classes can ever be satisfied on a node of that model. */
interface ModelTable {
  /** For each class in order: 0 = always all fragment (CPU-only or no access), 1 = depends on the state. */
  kind: Uint8Array;
  /** For each class of kind 1: index of its per-GPU milli in `dValues` (classes share a few distinct values). */
  dIndex: Int32Array;
  dValues: Float64Array;
}

/**
 * Evaluates F_n = Σ_m p_m·F_n(m) for many node states quickly: the classes' numbers live in typed arrays and
 * the model test is done once per model. Summation runs in the artifact's order (category buckets in class
 * order, then the buckets), so every path (reference function,
 * scorer, cluster metric) gets bit-identical results for identical states.
 */
export class FragEvaluator {
  readonly target: TargetWorkload;
  private readonly cpu: Float64Array;
  private readonly count: Int32Array;
  private readonly weight: Float64Array;
  /** 1 for a CPU-only class (its category is XL or XR on every node). */
  private readonly cpuOnly: Uint8Array;
  private readonly tables = new Map<string, ModelTable>();
  private fits = new Int32Array(0);
  private small = new Float64Array(0);

  constructor(target: TargetWorkload) {
    this.target = target;
    const n = target.classes.length;
    this.cpu = new Float64Array(n);
    this.count = new Int32Array(n);
    this.weight = new Float64Array(n);
    this.cpuOnly = new Uint8Array(n);
    target.classes.forEach((c, i) => {
      this.cpuOnly[i] = isCpuOnly(c) ? 1 : 0;
      this.cpu[i] = c.cpuMilli;
      this.count[i] = c.gpuCount;
      this.weight[i] = c.weight;
    });
  }

  private table(model: string): ModelTable {
    let t = this.tables.get(model);
    if (!t) {
      const classes: readonly TargetClass[] = this.target.classes;
      const kind = new Uint8Array(classes.length);
      const dIndex = new Int32Array(classes.length).fill(-1);
      const dValues: number[] = [];
      classes.forEach((c, i) => {
        kind[i] = isCpuOnly(c) || !modelAllowed(c.models, model) ? 0 : 1;
        if (kind[i] === 1) {
          let d = dValues.indexOf(c.gpuMilli);
          if (d < 0) d = dValues.push(c.gpuMilli) - 1;
          dIndex[i] = d;
        }
      });
      t = { kind, dIndex, dValues: Float64Array.from(dValues) };
      if (dValues.length > this.fits.length) {
        this.fits = new Int32Array(dValues.length);
        this.small = new Float64Array(dValues.length);
      }
      this.tables.set(model, t);
    }
    return t;
  }

  /** F_n for a node state: `gpuLeft` holds the free milli of each GPU. */
  fragment(model: string, cpuLeftMilli: number, gpuLeft: ArrayLike<number>): number {
    const { kind, dIndex, dValues } = this.table(model);
    const g = gpuLeft.length;
    let total = 0;
    for (let i = 0; i < g; i++) total += gpuLeft[i];
    if (total === 0) return 0;
    // GPUs that fit, and the share too small, per distinct per-GPU milli: one pass per value, not per class.
    const fits = this.fits;
    const small = this.small;
    for (let d = 0; d < dValues.length; d++) {
      const need = dValues[d];
      let f = 0;
      let sm = 0;
      for (let i = 0; i < g; i++) {
        const r = gpuLeft[i];
        if (r >= need) f++;
        else sm += r;
      }
      fits[d] = f;
      small[d] = sm;
    }
    // The artifact's order of operations (NodeGpuShareFragAmount, then FragAmountSumExceptQ3): each class adds
    // p_m·X_m to the bucket of its category, in class order, and the buckets but Q3's are summed in their order
    // (Q1, Q2, Q4, XL, XR, NA). A satisfied class adds its too-small share to Q2's bucket. The sum is the same
    // real number as Σ_m p_m·F_n(m); the order decides the last bits, and those decide a truncated FGD score
    // when the exact fragment change is zero (a CPU-only pod moving a class from Q2 to Q1 leaves −1e-13, not 0).
    let q1 = 0;
    let q2 = 0;
    let q4 = 0;
    let xl = 0;
    let xr = 0;
    let na = 0;
    for (let m = 0; m < kind.length; m++) {
      const w = this.weight[m];
      const cpuOk = cpuLeftMilli >= this.cpu[m];
      if (kind[m] === 0) {
        if (this.cpuOnly[m] === 1) {
          if (cpuOk) xl += w * total;
          else xr += w * total;
        } else na += w * total;
        continue;
      }
      const d = dIndex[m];
      if (fits[d] >= this.count[m]) {
        if (cpuOk) q2 += w * small[d];
        else q4 += w * total;
      } else if (cpuOk) q2 += w * total;
      else q1 += w * total;
    }
    return q1 + q2 + q4 + xl + xr + na;
  }

  /** F_n of a live node. */
  nodeFragment(node: NodeState, scratch: number[] = []): number {
    if (scratch.length !== node.gpus.length) scratch.length = node.gpus.length;
    for (let i = 0; i < node.gpus.length; i++) scratch[i] = MILLI - node.gpus[i].usedMilli;
    return this.fragment(node.gpuModel, node.cpuMilli - node.usedCpuMilli, scratch);
  }
}

const evaluators = new WeakMap<TargetWorkload, FragEvaluator>();

/** The (cached) evaluator of a target workload. */
export function fragEvaluator(target: TargetWorkload): FragEvaluator {
  let e = evaluators.get(target);
  if (!e) {
    e = new FragEvaluator(target);
    evaluators.set(target, e);
  }
  return e;
}

/** F_n = Σ_m p_m·F_n(m), milli-GPU (float: the weights are fractions). */
export function nodeFragmentMilli(node: FragNodeView, target: TargetWorkload): number {
  return fragEvaluator(target).fragment(node.model, node.cpuLeftMilli, node.gpuLeftMilli);
}

/** The view of a live node. */
export function fragView(node: NodeState): FragNodeView {
  return { cpuLeftMilli: node.cpuMilli - node.usedCpuMilli, gpuLeftMilli: node.gpus.map((g) => MILLI - g.usedMilli), model: node.gpuModel };
}

/**
 * Keeps Σ_n F_n of a cluster current: a node's fragment is recomputed only when its `version` changed, so a
 * sample after each placement costs one node's fragment plus a pass over the version numbers.
 */
export class FragTracker {
  private readonly evaluator: FragEvaluator;
  private readonly versions: Int32Array;
  private readonly frag: Float64Array;
  private readonly scratch: number[] = [];

  constructor(
    readonly cluster: ClusterState,
    target: TargetWorkload,
  ) {
    this.evaluator = fragEvaluator(target);
    this.versions = new Int32Array(cluster.nodes.length).fill(-1);
    this.frag = new Float64Array(cluster.nodes.length);
  }

  /** F_n of node `id` (cached by node version). */
  node(id: number): number {
    const node = this.cluster.nodes[id];
    if (this.versions[id] !== node.version) {
      this.frag[id] = this.evaluator.nodeFragment(node, this.scratch);
      this.versions[id] = node.version;
    }
    return this.frag[id];
  }

  /**
   * Σ_n F_n kept as a running sum: `refresh(id)` after node `id` changed updates it in O(one node). For callers
   * that know which node changed (the replay); `totalMilli` recomputes exactly.
   */
  private running = 0;
  private runningReady = false;

  /** Running Σ_n F_n after node `id` (the only node changed since the last call) was updated. */
  refresh(id: number): number {
    if (!this.runningReady) {
      this.running = this.totalMilli();
      this.runningReady = true;
      return this.running;
    }
    const before = this.frag[id];
    this.running += this.node(id) - before;
    return this.running;
  }

  /** Σ_n F_n, milli-GPU. */
  totalMilli(): number {
    let s = 0;
    for (let i = 0; i < this.frag.length; i++) s += this.node(i);
    return s;
  }
}

const trackers = new WeakMap<ClusterState, Map<TargetWorkload, FragTracker>>();

/**
 * Cluster fragmentation Σ_n F_n in milli-GPU for a target workload: the live metric. Repeated calls on the
 * same cluster and target are incremental (only changed nodes are recomputed).
 */
export function clusterFragmentMilli(cluster: ClusterState, target: TargetWorkload): number {
  let byTarget = trackers.get(cluster);
  if (!byTarget) {
    byTarget = new Map();
    trackers.set(cluster, byTarget);
  }
  let t = byTarget.get(target);
  if (!t) {
    t = new FragTracker(cluster, target);
    byTarget.set(target, t);
  }
  return t.totalMilli();
}

/** Idle GPU share of the cluster, milli-GPU (Σ over GPUs of 1000 − used). */
export function idleGpuMilli(cluster: ClusterState): number {
  let s = 0;
  for (const n of cluster.nodes) s += n.freeGpuMilli;
  return s;
}

/** Fragmentation rate, percent: fragment / idle GPU share · 100 (0 when nothing is idle). */
export function fragRatePct(fragmentMilli: number, idleMilli: number): number {
  return idleMilli > 0 ? (fragmentMilli / idleMilli) * 100 : 0;
}
