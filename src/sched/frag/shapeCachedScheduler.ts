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
import type { NodeState } from '../../model/cluster.ts';
import type { GpuBooking, Pod } from '../../model/pod.ts';
import type { SchedContext } from '../framework.ts';
import { FrameworkScheduler, ShapeCaches, shapeKey, type Attempt, type FrameworkConfig } from '../runner.ts';
import { checkNodeScore, isStatus, MAX_NODE_SCORE, statusMessage, type Status } from '../status.ts';

/** A FrameworkScheduler that caches per-node filter and score results by pod shape and node version. */
export class ShapeCachedScheduler extends FrameworkScheduler {
  private readonly caches: ShapeCaches;
  private readonly rank: Int32Array;
  private feasibleBuf = new Int32Array(0);
  private totalsBuf = new Float64Array(0);
  private readonly normBuf: number[] = [];
  private readonly nodesBuf: NodeState[] = [];

  constructor(config: FrameworkConfig) {
    invariant(config.tieBreak.kind === 'rank' && config.percentageOfNodesToScore === 100, () => `${config.name}: the shape cache needs the rank tie-break and every node scored`);
    super(config);
    this.rank = config.tieBreak.rank;
    this.caches = new ShapeCaches(config.scores.length);
  }

  override attempt(pod: Pod, ctx: SchedContext, key?: string): Attempt {
    const cluster = ctx.cluster;
    const nodes = cluster.nodes;
    const n = nodes.length;
    const t = this.caches.table(key ?? shapeKey(pod), cluster);
    const { filters, scores } = this.config;
    if (this.feasibleBuf.length < n) {
      this.feasibleBuf = new Int32Array(n);
      this.totalsBuf = new Float64Array(n);
    }
    const feasible = this.feasibleBuf;
    let count = 0;
    const version = t.version;
    const cached = t.statuses;
    for (let i = 0; i < n; i++) {
      const node = nodes[i];
      if (version[i] !== node.version) {
        let status: Status | null = null;
        for (const f of filters) {
          status = f.filter(pod, node, ctx);
          if (status !== null) break;
        }
        const old = cached[i];
        if (old !== null) for (const r of old.reasons) t.rejected.set(r, (t.rejected.get(r) ?? 0) - 1);
        if (status !== null) for (const r of status.reasons) t.rejected.set(r, (t.rejected.get(r) ?? 0) + 1);
        cached[i] = status;
        if (status === null) for (let s = 0; s < scores.length; s++) t.raw[s][i] = scores[s].plugin.score(pod, node, ctx);
        version[i] = node.version;
      }
      if (cached[i] === null) feasible[count++] = i;
    }
    if (count === 0) {
      const rejected: Record<string, number> = {};
      for (const [r, c] of t.rejected) if (c > 0) rejected[r] = c;
      return { nodeIndex: -1, gpus: [], rejected, feasible: 0 };
    }
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
    const alloc = this.config.allocator.allocate(pod, nodes[best], ctx);
    invariant(!isStatus(alloc), () => `${this.name}: allocator refused node ${nodes[best].name} that passed the filters: ${isStatus(alloc) ? statusMessage(alloc) : ''}`);
    return { nodeIndex: best, gpus: alloc, rejected: {}, feasible: count };
  }
}
