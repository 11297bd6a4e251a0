/**
 * FrameworkScheduler with a per-(pod shape, node version) cache of filter verdicts and raw scores (the runner's
 * ShapeCaches, one table per shape with a raw row per score plugin), for profiles
 * whose filters and score plugins depend only on the node's state and the pod's request (every FGD-paper policy).
 * A placement bumps one node's version, so the next pod of a shape re-evaluates only that node; the ~90 shapes of
 * the openb trace then cost a typed-array pass over the nodes per pod instead of a filter and score call each.
 *
 * Decisions are those of FrameworkScheduler.attempt with every node scored (percentageOfNodesToScore 100, start
 * index 0) and the `rank` tie-break: the same feasible set, the same normalize call over the feasible nodes in
 * id order, the same weights, the same winner. One difference: the allocator runs on the chosen node only, so an
 * allocator that draws random numbers draws once per pod (the plain runner draws once per feasible node). The
 * allocator must succeed on every node the filters pass (checked: a failure there is a bug). Scores are range
 * checked after normalize as the plain runner checks them (an Error status naming the plugin).
 */
import { invariant } from '../../core/invariant.ts';
import type { ClusterState, NodeState } from '../../model/cluster.ts';
import type { GpuBooking, Pod } from '../../model/pod.ts';
import type { SchedContext } from '../framework.ts';
import { FrameworkScheduler, ShapeCaches, shapeKey, type Attempt, type FrameworkConfig, type ShapeTable } from '../runner.ts';
import { checkNodeScore, isStatus, MAX_NODE_SCORE, statusMessage, type Status } from '../status.ts';

/**
 * How a one-plugin profile's winner can be read without the per-pod pass over the nodes (each provably the plain
 * pass's winner while every feasible raw score is an integer, and in [0, 100] when the runner range checks it; a
 * table holding any other score falls back to the plain pass):
 * - `argmax`: the largest raw score, lowest rank on ties. Exact for a plugin without normalize (totals are
 *   weight × an integer score, weight > 0, so order and ties are the raw scores'), and for min-max normalize
 *   (`(s − lo)·100/(hi − lo)` truncated is exactly 100 only at s = hi, at most 99 elsewhere; all 0 when hi = lo).
 * - `randomPick`: RandomScore's normalize (one `ctx.rng.int(feasible count)` draw when more than one node fits;
 *   the drawn feasible node, in id order, scores 100 and the others 0).
 */
export type ShapeSelect = 'argmax' | 'randomPick';

/**
 * Per shape table, a tournament tree over the nodes: each inner slot holds the better of its two children
 * (feasible first, then the larger raw score, then the lower rank) and the number of feasible leaves under it.
 * A placement changes one node, so a pod costs one leaf-to-root walk per changed node instead of a pass.
 */
class SelectTree {
  readonly size: number;
  /** Winning node id per slot (−1: nothing feasible below); slot 1 is the root, leaves start at `size`. */
  readonly best: Int32Array;
  readonly count: Int32Array;
  readonly oddAt: Uint8Array;
  odd = 0;

  constructor(readonly leaves: number) {
    let size = 1;
    while (size < leaves) size <<= 1;
    this.size = size;
    this.best = new Int32Array(2 * size).fill(-1);
    this.count = new Int32Array(2 * size);
    this.oddAt = new Uint8Array(leaves);
  }

  /** Feasible nodes in all. */
  get feasible(): number {
    return this.count[1];
  }

  /** Sets leaf i (parents are updated by `update` or `rebuild`). */
  set(i: number, ok: boolean): void {
    this.best[this.size + i] = ok ? i : -1;
    this.count[this.size + i] = ok ? 1 : 0;
  }

  private pull(slot: number, raw: Float64Array, rank: Int32Array): void {
    const a = this.best[2 * slot];
    const b = this.best[2 * slot + 1];
    let w: number;
    if (a < 0) w = b;
    else if (b < 0) w = a;
    else {
      const sa = raw[a];
      const sb = raw[b];
      w = sa > sb || (sa === sb && rank[a] < rank[b]) ? a : b;
    }
    this.best[slot] = w;
    this.count[slot] = this.count[2 * slot] + this.count[2 * slot + 1];
  }

  /** Walks leaf i's changes up to the root. */
  update(i: number, raw: Float64Array, rank: Int32Array): void {
    for (let slot = (this.size + i) >> 1; slot >= 1; slot >>= 1) this.pull(slot, raw, rank);
  }

  /** Recomputes every inner slot. */
  rebuild(raw: Float64Array, rank: Int32Array): void {
    for (let slot = this.size - 1; slot >= 1; slot--) this.pull(slot, raw, rank);
  }

  /** Back to the state of a new tree (nothing feasible). */
  reset(): void {
    this.best.fill(-1);
    this.count.fill(0);
    this.oddAt.fill(0);
    this.odd = 0;
  }

  /** The k-th feasible node (0-based) in id order. */
  kth(k: number): number {
    let slot = 1;
    while (slot < this.size) {
      const left = this.count[2 * slot];
      if (k < left) slot = 2 * slot;
      else {
        k -= left;
        slot = 2 * slot + 1;
      }
    }
    return slot - this.size;
  }
}

/** Writes the ids of nodes whose table version differs from the live one into `out`; returns how many. */
function staleNodes(version: Int32Array, live: Int32Array, n: number, out: Int32Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (version[i] !== live[i]) out[k++] = i;
  return k;
}

/** As staleNodes, plus the nodes flagged in `skip`. */
function staleOrSkipped(version: Int32Array, live: Int32Array, skip: Uint8Array, n: number, out: Int32Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (version[i] !== live[i] || skip[i] !== 0) out[k++] = i;
  return k;
}

/** Nodes grouped by identical resources at first sight (`group[node]`), with the version they had then. */
// Local copy: imported bindings are getters under some loaders (tsx), too slow in hot loops.
const MAX_SCORE: number = MAX_NODE_SCORE;

/**
 * Shape tables kept (about 60 kB each on the 1,213-node openb cluster): the gpuspec traces hold up to 457 shapes
 * (memory and GPU-model lists make them distinct), and dropping every table past the runner's 256 made each
 * replay re-evaluate the whole cluster per shape again and again.
 */
const MAX_SHAPES = 1024;

/** Nodes a shape table skipped re-evaluating: version and pod count at the last real evaluation, skip flags. */
interface LazyRejections {
  version: Int32Array;
  pods: Int32Array;
  skip: Uint8Array;
  skipped: number;
}

/**
 * Trees and lazy-rejection arrays of released schedulers (ShapeCachedScheduler.release), reused by the next on
 * this thread: as with the runner's spare tables, faulting in fresh memory cost a replay more than the work.
 */
const spareTrees: SelectTree[] = [];
const spareLazy: LazyRejections[] = [];
const MAX_SPARE = 1024;

interface PristineGroups {
  cluster: ClusterState;
  group: Int32Array;
  version: Int32Array;
  count: number;
}

/** A FrameworkScheduler that caches per-node filter and score results by pod shape and node version. */
export class ShapeCachedScheduler extends FrameworkScheduler {
  private readonly caches: ShapeCaches;
  private readonly rank: Int32Array;
  private readonly select: ShapeSelect | null;
  /** Plain pass only: the one plugin's raw scores are range checked (no normalize, bounded). */
  private readonly rangeChecked: boolean;
  private readonly trees = new WeakMap<ShapeTable, SelectTree>();
  private pristine: PristineGroups | null = null;
  /** Per shape table: the first node of each pristine group it evaluated (−1: none yet). */
  private readonly pristineFirst = new WeakMap<ShapeTable, Int32Array>();
  /** Per shape table, when the profile's filters are monotone: the lazily skipped rejections (see `refresh`). */
  private readonly lazy = new WeakMap<ShapeTable, LazyRejections>();
  private readonly resourceOnly: boolean;
  private changedBuf = new Int32Array(0);
  private staleBuf = new Int32Array(0);
  private feasibleBuf = new Int32Array(0);
  private totalsBuf = new Float64Array(0);
  private readonly normBuf: number[] = [];
  private readonly nodesBuf: NodeState[] = [];
  /**
   * True (the default): a pod nothing fits gets exact rejection counts, so its FailedScheduling message is kube's
   * (the lazily skipped nodes are re-filtered first). False (the openb replay, which counts failures and never
   * reads a message): a skipped node counts under the reasons it had when last filtered, which may be fewer than
   * it has now. Verdicts and decisions are the same either way: a skipped node is rejected in both.
   */
  exactRejections = true;
  private released = false;

  /**
   * `select`: the shortcut the profile's one score plugin allows (see ShapeSelect); none = the plain pass.
   * `resourceOnly`: the profile's filters and scores read a node's resources only (CPU, memory, pods, GPU model,
   * GPUs and the pods on it; not its name, labels or topology), so identical pristine nodes share answers, and its
   * filters are monotone, a node they reject keeps rejecting the shape while pods are only added to it (true of
   * resource fit, GPU model and GPU-share filters: binding only takes resources away).
   */
  constructor(config: FrameworkConfig, select?: ShapeSelect, resourceOnly = false) {
    invariant(config.tieBreak.kind === 'rank' && config.percentageOfNodesToScore === 100, () => `${config.name}: the shape cache needs the rank tie-break and every node scored`);
    invariant(select === undefined || (config.scores.length === 1 && config.scores[0].weight > 0), () => `${config.name}: the ${select} shortcut needs one score plugin at a positive weight`);
    super(config);
    this.rank = config.tieBreak.rank;
    this.caches = new ShapeCaches(config.scores.length, MAX_SHAPES, true);
    this.select = select ?? null;
    this.resourceOnly = resourceOnly;
    this.rangeChecked = config.scores.length === 1 && config.scores[0].plugin.unboundedScore === undefined && !config.scores[0].plugin.normalize;
  }

  override attempt(pod: Pod, ctx: SchedContext, key?: string): Attempt {
    invariant(!this.released, () => `${this.name}: attempt after release`);
    const cluster = ctx.cluster;
    const n = cluster.nodes.length;
    const t = this.caches.table(key ?? shapeKey(pod), cluster);
    if (this.changedBuf.length < n) {
      this.changedBuf = new Int32Array(n);
      this.staleBuf = new Int32Array(n);
      this.feasibleBuf = new Int32Array(n);
      this.totalsBuf = new Float64Array(n);
    }
    const changed = this.refresh(t, pod, ctx, false);
    if (this.select === null) return this.attemptScan(t, pod, ctx);
    let tree = this.trees.get(t);
    if (!tree || tree.leaves !== n) {
      const spare = spareTrees[spareTrees.length - 1];
      if (spare && spare.leaves === n) {
        spareTrees.pop();
        spare.reset();
        tree = spare;
      } else tree = new SelectTree(n);
      this.trees.set(t, tree);
      for (let i = 0; i < n; i++) this.setLeaf(tree, t, i);
      tree.rebuild(t.raw[0], this.rank);
    } else {
      for (let c = 0; c < changed; c++) this.setLeaf(tree, t, this.changedBuf[c]);
      if (changed > n >> 3) tree.rebuild(t.raw[0], this.rank);
      else for (let c = 0; c < changed; c++) tree.update(this.changedBuf[c], t.raw[0], this.rank);
    }
    // A score the shortcut's proof does not cover (not an integer, out of range): the plain pass decides.
    if (tree.odd > 0) return this.attemptScan(t, pod, ctx);
    const count = tree.feasible;
    if (count === 0) return this.rejectedAttempt(t, pod, ctx);
    let best: number;
    if (this.select === 'argmax') best = tree.best[1];
    else if (count === 1) best = tree.kth(0);
    // RandomScore's normalize: one draw of int(feasible count), the k-th feasible node in id order scores 100.
    else best = tree.kth(ctx.rng.int(count));
    return this.place(pod, ctx, best, count);
  }

  /**
   * Re-evaluates the nodes whose version moved since this shape last looked (filters, raw scores, rejection
   * counts); their ids go to `changedBuf`. Returns how many. The version scan reads the cluster's typed array.
   * With `resourceOnly`, a node still in its first-seen state takes the verdict and scores of the first node of its
   * pristine group this shape evaluated (same resources, so the same answers: at the start a new shape costs one
   * evaluation per distinct node kind, not per node).
   */
  private refresh(t: ShapeTable, pod: Pod, ctx: SchedContext, flush: boolean): number {
    const cluster = ctx.cluster;
    const nodes = cluster.nodes;
    const live = cluster.nodeVersion;
    const n = nodes.length;
    const { filters, scores } = this.config;
    const version = t.version;
    const cached = t.statuses;
    const changedBuf = this.changedBuf;
    const groups = this.resourceOnly ? this.pristineGroups(cluster) : null;
    let firstOf = groups ? this.pristineFirst.get(t) : undefined;
    if (groups && (!firstOf || firstOf.length !== groups.count)) {
      firstOf = new Int32Array(groups.count).fill(-1);
      this.pristineFirst.set(t, firstOf);
    }
    let lazy: LazyRejections | undefined;
    if (this.resourceOnly) {
      lazy = this.lazy.get(t);
      if (!lazy || lazy.pods.length !== n) {
        const spare = spareLazy[spareLazy.length - 1];
        if (spare && spare.pods.length === n) {
          spareLazy.pop();
          spare.version.fill(-1);
          spare.pods.fill(0);
          spare.skip.fill(0);
          spare.skipped = 0;
          lazy = spare;
        } else lazy = { version: new Int32Array(n).fill(-1), pods: new Int32Array(n), skip: new Uint8Array(n), skipped: 0 };
        this.lazy.set(t, lazy);
      }
    }
    // A tight pass over the two version arrays first: most pods find a handful of nodes changed.
    const stale = this.staleBuf;
    const candidates = flush && lazy !== undefined ? staleOrSkipped(version, live, lazy.skip, n, stale) : staleNodes(version, live, n, stale);
    let changed = 0;
    for (let c = 0; c < candidates; c++) {
      const i = stale[c];
      if (version[i] === live[i]) {
        // flush: a skipped node, evaluated now
      } else if (lazy !== undefined && cached[i] !== null && !flush && live[i] - lazy.version[i] === nodes[i].podCount - lazy.pods[i]) {
        // Every change since the last real evaluation was a bind (each adds one pod and one version; an unbind
        // or a touch would not): a rejected node stays rejected. Its reasons may have grown, which matters only
        // to a pod nothing fits, so rejectedAttempt evaluates skipped nodes then (`flush`).
        if (lazy.skip[i] === 0) {
          lazy.skip[i] = 1;
          lazy.skipped++;
        }
        version[i] = live[i];
        continue;
      }
      const node = nodes[i];
      if (lazy !== undefined) {
        lazy.version[i] = live[i];
        lazy.pods[i] = node.podCount;
        if (lazy.skip[i] === 1) {
          lazy.skip[i] = 0;
          lazy.skipped--;
        }
      }
      const pristine = groups !== null && live[i] === groups.version[i];
      const g = groups === null ? -1 : groups.group[i];
      // The group's first node answers for it while that node too is unchanged (its table entry is then its first state's).
      let src = pristine ? firstOf![g] : -1;
      if (src >= 0 && live[src] !== groups!.version[src]) src = firstOf![g] = -1;
      let status: Status | null = null;
      if (src >= 0) {
        status = cached[src];
        if (status === null) for (let s = 0; s < scores.length; s++) t.raw[s][i] = t.raw[s][src];
      } else {
        for (let f = 0; f < filters.length; f++) {
          status = filters[f].filter(pod, node, ctx);
          if (status !== null) break;
        }
        if (status === null) for (let s = 0; s < scores.length; s++) t.raw[s][i] = scores[s].plugin.score(pod, node, ctx);
        if (pristine) firstOf![g] = i;
      }
      const old = cached[i];
      // The common move, one reason to the same reason, leaves the counts as they are.
      if (!(old !== null && status !== null && old.reasons.length === 1 && status.reasons.length === 1 && old.reasons[0] === status.reasons[0])) {
        if (old !== null) for (let k = 0; k < old.reasons.length; k++) t.rejected.set(old.reasons[k], (t.rejected.get(old.reasons[k]) ?? 0) - 1);
        if (status !== null) for (let k = 0; k < status.reasons.length; k++) t.rejected.set(status.reasons[k], (t.rejected.get(status.reasons[k]) ?? 0) + 1);
      }
      cached[i] = status;
      version[i] = node.version;
      changedBuf[changed++] = i;
    }
    return changed;
  }

  /**
   * The cluster's nodes grouped by their resources (CPU, memory, pods, GPU model and every GPU's state) as first
   * seen, with the version they had then. Names, labels and topology are left out: only `resourceOnly` profiles
   * use the groups.
   */
  private pristineGroups(cluster: ClusterState): PristineGroups {
    if (this.pristine?.cluster === cluster && this.pristine.group.length === cluster.nodes.length) return this.pristine;
    const ids = new Map<string, number>();
    const group = new Int32Array(cluster.nodes.length);
    const version = Int32Array.from(cluster.nodeVersion);
    cluster.nodes.forEach((node, i) => {
      const sig = JSON.stringify([
        node.gpuModel,
        node.cpuMilli,
        node.memMiB,
        node.maxPods,
        node.usedCpuMilli,
        node.usedMemMiB,
        node.nonZeroCpuMilli,
        node.nonZeroMemMiB,
        node.podCount,
        node.freeGpuMilli,
        node.freeWholeGpus,
        node.usedGpuSlots,
        node.gpus,
        // Pods already there (e.g. GpuClustering reads their classes): their requests, in a canonical order.
        cluster.podsOnNode[i].map((p) => JSON.stringify(p.request)).sort(),
      ]);
      let g = ids.get(sig);
      if (g === undefined) ids.set(sig, (g = ids.size));
      group[i] = g;
    });
    this.pristine = { cluster, group, version, count: ids.size };
    return this.pristine;
  }

  /**
   * Hands this scheduler's shape tables, trees and lazy arrays to the next ShapeCachedScheduler on this thread
   * (the openb replay calls it when a replay ends); any later attempt is an error.
   */
  release(): void {
    this.released = true;
    for (const t of this.caches.release()) {
      const tree = this.trees.get(t);
      if (tree && spareTrees.length < MAX_SPARE) spareTrees.push(tree);
      const lazy = this.lazy.get(t);
      if (lazy && spareLazy.length < MAX_SPARE) spareLazy.push(lazy);
    }
  }

  /** Writes node i's verdict into the tree's leaf and keeps the count of scores the shortcut cannot take. */
  private setLeaf(tree: SelectTree, t: ShapeTable, i: number): void {
    const ok = t.statuses[i] === null;
    const score = t.raw[0][i];
    const odd = ok && !(Number.isInteger(score) && (!this.rangeChecked || (score >= 0 && score <= MAX_SCORE))) ? 1 : 0;
    tree.odd += odd - tree.oddAt[i];
    tree.oddAt[i] = odd;
    tree.set(i, ok);
  }

  /** The rejection counts (reason → nodes) of a pod nothing fits, after evaluating the lazily skipped nodes. */
  private rejectedAttempt(t: ShapeTable, pod: Pod, ctx: SchedContext): Attempt {
    const lazy = this.lazy.get(t);
    if (this.exactRejections && lazy && lazy.skipped > 0) this.refresh(t, pod, ctx, true);
    const rejected: Record<string, number> = {};
    for (const [r, c] of t.rejected) if (c > 0) rejected[r] = c;
    return { nodeIndex: -1, gpus: [], rejected, feasible: 0 };
  }

  private place(pod: Pod, ctx: SchedContext, best: number, count: number): Attempt {
    const node = ctx.cluster.nodes[best];
    const alloc = this.config.allocator.allocate(pod, node, ctx);
    invariant(!isStatus(alloc), () => `${this.name}: allocator refused node ${node.name} that passed the filters: ${isStatus(alloc) ? statusMessage(alloc) : ''}`);
    return { nodeIndex: best, gpus: alloc, rejected: {}, feasible: count };
  }

  /** The plain decision over an up-to-date table: feasible list in id order, normalize, weights, rank tie-break. */
  private attemptScan(t: ShapeTable, pod: Pod, ctx: SchedContext): Attempt {
    const nodes = ctx.cluster.nodes;
    const n = nodes.length;
    const { scores } = this.config;
    const feasible = this.feasibleBuf;
    const cached = t.statuses;
    let count = 0;
    for (let i = 0; i < n; i++) if (cached[i] === null) feasible[count++] = i;
    if (count === 0) return this.rejectedAttempt(t, pod, ctx);
    let best = feasible[0];
    if (count > 1) {
      const totals = this.totalsBuf;
      totals.fill(0, 0, count);
      // The runner's range check on every normalized score: the first failing node (then plugin) is the Error.
      let bad = count;
      let error: Status | null = null;
      for (let s = 0; s < scores.length; s++) {
        const { plugin, weight } = scores[s];
        const raw = t.raw[s];
        const checked = plugin.unboundedScore === undefined;
        if (plugin.normalize) {
          const norm = this.normBuf;
          const feasibleNodes = this.nodesBuf;
          norm.length = count;
          feasibleNodes.length = count;
          for (let k = 0; k < count; k++) {
            norm[k] = raw[feasible[k]];
            feasibleNodes[k] = nodes[feasible[k]];
          }
          plugin.normalize(norm, pod, feasibleNodes, ctx);
          for (let k = 0; k < count; k++) {
            if (!(norm[k] >= 0 && norm[k] <= MAX_NODE_SCORE) && k < bad && checked) {
              bad = k;
              error = checkNodeScore(plugin.name, feasibleNodes[k].name, norm[k]);
            }
            totals[k] += weight * norm[k];
          }
        } else {
          for (let k = 0; k < count; k++) {
            const score = raw[feasible[k]];
            if (!(score >= 0 && score <= MAX_NODE_SCORE) && k < bad && checked) {
              bad = k;
              error = checkNodeScore(plugin.name, nodes[feasible[k]].name, score);
            }
            totals[k] += weight * score;
          }
        }
      }
      if (error) return { nodeIndex: -1, gpus: [], rejected: {}, feasible: count, error };
      const rank = this.rank;
      let bestK = 0;
      let bestTotal = totals[0];
      let bestRank = rank[feasible[0]];
      for (let k = 1; k < count; k++) {
        const v = totals[k];
        if (v > bestTotal || (v === bestTotal && rank[feasible[k]] < bestRank)) {
          bestK = k;
          bestTotal = v;
          bestRank = rank[feasible[k]];
        }
      }
      best = feasible[bestK];
    }
    return this.place(pod, ctx, best, count);
  }
}
