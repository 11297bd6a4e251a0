/**
 * The framework runner: one scheduling decision per pod, as kube-scheduler's scheduleOne does it
 * (filter → score → normalize → weight → select host → allocate devices → bind). The runner, not the
 * plugins, applies normalize and weights, checks every normalized score against [0, MAX_NODE_SCORE] (kube's
 * runScorePlugins: a score outside it is an Error status naming the plugin, never a silent number) and breaks ties.
 */
import type { ClusterOptions, ClusterState, NodeState } from '../model/cluster.ts';
import type { GpuBooking, Pod } from '../model/pod.ts';
import type {
  CycleResult,
  DeviceAllocator,
  Explanation,
  FilterPlugin,
  NodeCandidate,
  QueueSort,
  SchedContext,
  Scheduler,
  TieBreak,
  WeightedScore,
} from './framework.ts';
import { explainThrough, runCycle, shapeKey, type CandidateEvaluator, type EvaluatorHost } from './cycle.ts';
import { formatUnschedulable, formatStatus } from './reasons.ts';
import { checkNodeScore, countReasons, isStatus, MAX_NODE_SCORE, type Status } from './status.ts';

export { shapeKey };

export interface FrameworkConfig {
  name: string;
  queueSort: QueueSort;
  filters: FilterPlugin[];
  scores: WeightedScore[];
  allocator: DeviceAllocator;
  tieBreak: TieBreak;
  /** kube's percentageOfNodesToScore: 'adaptive' (the default), or a fixed percent (100 = score every node). */
  percentageOfNodesToScore: 'adaptive' | number;
  clusterOptions?: ClusterOptions;
  /**
   * Reuse filter results, GPU bookings and total scores per (pod shape, node) while the node's version is
   * unchanged. Only for profiles whose filters and scores read nothing but the pod's shape and that one node
   * (kube's NodeResourcesFit and BalancedAllocation do); it changes no decision, only the work.
   */
  cacheByNodeVersion?: boolean;
}

/**
 * Per pod shape, what each node answered at which node version: the one per-(shape, node version) cache, of
 * FrameworkScheduler's cacheByNodeVersion path (verdicts, bookings, weighted totals) and of ShapeCachedScheduler
 * (frag/shapeCachedScheduler.ts: verdicts, raw scores per plugin, rejection counts kept in step).
 */
export interface ShapeTable {
  /** Node version each entry was computed at (−1 = never). */
  version: Int32Array;
  /** 1 where the node fits (with its bookings and total computed at the same version). */
  ok: Uint8Array;
  /** The filter Status, or null when the node passes. */
  statuses: (Status | null)[];
  /** The Error status of a fitting node whose score is out of range (its total is NaN then). */
  scoreErrors: (Status | null)[];
  gpus: (GpuBooking[] | null)[];
  /** Weighted total of the profile's scores (profiles without a normalize step). */
  total: Float64Array;
  /** Raw score per plugin, [plugin][node] (ShapeCachedScheduler: normalized over the feasible set per pod). */
  raw: Float64Array[];
  /** Nodes rejected per reason over the cached verdicts (ShapeCachedScheduler keeps it in step). */
  rejected: Map<string, number>;
}

const MAX_CACHED_SHAPES = 256;

/**
 * Verdicts-only tables a finished scheduler released (ShapeCaches.release), for the next one to reuse: a fresh
 * table's first writes fault in new memory pages, which cost an openb replay more than its filters did (~450
 * tables of ~20 kB per gpuspec replay). Per thread (module state), at most MAX_SPARE_TABLES kept.
 */
const spareTables: ShapeTable[] = [];
const MAX_SPARE_TABLES = 1024;

/**
 * The shape tables of one scheduler: one per pod shape (shapeKey), rebuilt when the node count changes, all
 * dropped when the cluster object changes (versions are per cluster) or past MAX_CACHED_SHAPES shapes. A cache
 * changes no decision, only the work.
 */
export class ShapeCaches {
  private readonly tables = new Map<string, ShapeTable>();
  private cluster: ClusterState | null = null;

  /**
   * `plugins`: raw score rows per table (0 when only totals are cached); `maxShapes`: tables kept before all are
   * dropped; `verdictsOnly`: the tables hold versions, statuses, raw scores and rejection counts only (`ok`,
   * `scoreErrors`, `gpus` and `total` left empty: ShapeCachedScheduler reads none of them, and a replay builds
   * hundreds of tables, so the unused rows were most of their allocation).
   */
  constructor(
    private readonly plugins: number,
    private readonly maxShapes = MAX_CACHED_SHAPES,
    private readonly verdictsOnly = false,
  ) {}

  /** The table of a shape on a cluster. */
  table(key: string, cluster: ClusterState): ShapeTable {
    if (cluster !== this.cluster) {
      this.tables.clear();
      this.cluster = cluster;
    }
    const n = cluster.nodes.length;
    let t = this.tables.get(key);
    if (!t || t.version.length !== n) {
      if (this.tables.size >= this.maxShapes) this.tables.clear();
      const rows = this.verdictsOnly ? 0 : n;
      const spare = this.verdictsOnly ? spareTables[spareTables.length - 1] : undefined;
      if (spare && spare.version.length === n && spare.raw.length === this.plugins) {
        // Reset to exactly what a new table holds (the raw rows too, though each is written before it is read).
        spareTables.pop();
        t = spare;
        t.version.fill(-1);
        t.statuses.fill(null);
        for (const row of t.raw) row.fill(0);
        t.rejected.clear();
        this.tables.set(key, t);
        return t;
      }
      t = {
        version: new Int32Array(n).fill(-1),
        ok: new Uint8Array(rows),
        statuses: new Array<Status | null>(n).fill(null),
        scoreErrors: new Array<Status | null>(rows).fill(null),
        gpus: new Array<GpuBooking[] | null>(rows).fill(null),
        total: new Float64Array(rows),
        raw: Array.from({ length: this.plugins }, () => new Float64Array(n)),
        rejected: new Map(),
      };
      this.tables.set(key, t);
    }
    return t;
  }

  /**
   * Gives a verdicts-only cache's tables to the next cache on this thread and forgets them (the owner must not
   * use this cache's old tables again; returns them); the cache starts empty. A full cache keeps its own allocation.
   */
  release(): ShapeTable[] {
    const released = [...this.tables.values()];
    if (this.verdictsOnly) for (const t of released) if (spareTables.length < MAX_SPARE_TABLES) spareTables.push(t);
    this.tables.clear();
    this.cluster = null;
    return released;
  }
}

/**
 * Number of feasible nodes to find before scoring (kube-scheduler numFeasibleNodesToFind, integer math):
 * N < 100 → N; adaptive pct = max(50 − N/125, 5); numNodes = max(N·pct/100, 100).
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage: 'adaptive' | number): number {
  const minFeasible = 100;
  if (numAllNodes < minFeasible || percentage === 100) return numAllNodes;
  let pct: number;
  if (percentage === 'adaptive' || percentage <= 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < 5) pct = 5;
  } else {
    pct = percentage;
  }
  const numNodes = Math.trunc((numAllNodes * pct) / 100);
  return numNodes < minFeasible ? minFeasible : numNodes;
}

/** Outcome of one scheduling attempt. */
export interface Attempt {
  nodeIndex: number;
  gpus: GpuBooking[];
  rejected: Record<string, number>;
  feasible: number;
  /** The Error status that stopped the attempt (a score out of range); absent when the pod was placed or merely unschedulable. */
  error?: Status;
}

/** A Scheduler built from framework plugins. */
export class FrameworkScheduler implements Scheduler, EvaluatorHost<FrameworkScheduler> {
  readonly name: string;
  readonly clusterOptions: ClusterOptions;
  readonly gangAware = false;
  /** kube's nextStartNodeIndex (an engine evaluator that runs some pods on this plugin path keeps it in step). */
  nextStartNodeIndex = 0;
  /** The injected candidate evaluator (cycle.ts useEvaluator), or null: the plugin path. */
  evaluator: CandidateEvaluator<FrameworkScheduler> | null = null;
  cycleAsync?: (queue: readonly Pod[], ctx: SchedContext) => Promise<CycleResult>;
  explainAsync?: (pod: Pod, ctx: SchedContext, topK?: number) => Promise<Explanation>;

  constructor(readonly config: FrameworkConfig) {
    this.name = config.name;
    this.clusterOptions = config.clusterOptions ?? {};
  }

  /** One scheduling cycle (sched/cycle.ts) with this profile's attempt per pod, or through the evaluator. */
  cycle(queue: readonly Pod[], ctx: SchedContext): CycleResult {
    if (this.evaluator) return this.evaluator.cycle(this, queue, ctx);
    return runCycle(queue, ctx, this.config.queueSort, (pod, key) => this.attempt(pod, ctx, key));
  }

  /** Filters one node: its GPU bookings when it fits, else the Status of the first filter (or the allocator) that refuses it. */
  filterNode(pod: Pod, node: NodeState, ctx: SchedContext): { gpus: GpuBooking[] } | { status: Status } {
    for (const f of this.config.filters) {
      const r = f.filter(pod, node, ctx);
      if (r !== null) return { status: r };
    }
    const alloc = this.config.allocator.allocate(pod, node, ctx);
    return isStatus(alloc) ? { status: alloc } : { gpus: alloc };
  }

  private readonly shapeCaches = new ShapeCaches(0);

  private cacheFor(pod: Pod, cluster: ClusterState, podKey?: string): ShapeTable | null {
    if (!this.config.cacheByNodeVersion) return null;
    // A pod some normalizing plugin scores takes the general path, which caches verdicts but not totals: its own
    // table, so a pod of the same shape on the fused path never reads a total the general path left stale.
    const key = podKey ?? shapeKey(pod);
    return this.shapeCaches.table(this.normalizesFor(pod) ? `${key};normalized` : key, cluster);
  }

  /** The score plugins that run for a pod: kube leaves out a plugin whose PreScore skips the pod. */
  scoresFor(pod: Pod): WeightedScore[] {
    const scores = this.config.scores;
    return scores.some((x) => x.plugin.skips) ? scores.filter((x) => !x.plugin.skips?.(pod)) : scores;
  }

  /** True when a plugin that runs for the pod has a normalize step (its totals depend on the whole feasible set). */
  normalizesFor(pod: Pod): boolean {
    return this.config.scores.some((x) => x.plugin.normalize !== undefined && !x.plugin.skips?.(pod));
  }

  /** One scheduling decision for a pod against the current state (nothing is bound); `key`: its shapeKey if known. */
  attempt(pod: Pod, ctx: SchedContext, key?: string): Attempt {
    const nodes = ctx.cluster.nodes;
    const n = nodes.length;
    const rejected: Record<string, number> = {};
    if (n === 0) return { nodeIndex: -1, gpus: [], rejected, feasible: 0 };
    const cache = this.cacheFor(pod, ctx.cluster, key);
    if (cache && !this.normalizesFor(pod)) return this.attemptCached(pod, ctx, cache);
    const want = numFeasibleNodesToFind(n, this.config.percentageOfNodesToScore);
    const feasible: number[] = [];
    const bookings: GpuBooking[][] = [];
    let processed = 0;
    const start = this.nextStartNodeIndex;
    for (let i = 0; i < n && feasible.length < want; i++) {
      const node = nodes[(start + i) % n];
      processed++;
      let gpus: GpuBooking[] | null;
      let status: Status | null;
      if (cache && cache.version[node.id] === node.version) {
        gpus = cache.gpus[node.id];
        status = cache.statuses[node.id];
      } else {
        const r = this.filterNode(pod, node, ctx);
        gpus = 'gpus' in r ? r.gpus : null;
        status = 'status' in r ? r.status : null;
        if (cache) {
          cache.version[node.id] = node.version;
          cache.gpus[node.id] = gpus;
          cache.statuses[node.id] = status;
        }
      }
      if (status) {
        countReasons(rejected, status);
      } else {
        feasible.push(node.id);
        bookings.push(gpus!);
      }
    }
    this.nextStartNodeIndex = (start + processed) % n;
    if (feasible.length === 0) return { nodeIndex: -1, gpus: [], rejected, feasible: 0 };
    if (feasible.length === 1) return { nodeIndex: feasible[0], gpus: bookings[0], rejected, feasible: 1 };
    // Only profiles with a normalize step get here with a cache (attemptCached takes the others), and their
    // totals cannot be reused per node: each depends on the whole feasible set.
    const totals = this.totals(pod, feasible, ctx);
    if (isStatus(totals)) return { nodeIndex: -1, gpus: [], rejected, feasible: feasible.length, error: totals };
    const best = this.selectHost(feasible, totals, ctx);
    return { nodeIndex: feasible[best], gpus: bookings[best], rejected, feasible: feasible.length };
  }

  /**
   * The same decision as the general path, fused into one pass for cached profiles without normalize: filter
   * (cached per node version), total (cached likewise) and the running best with the profile's tie-break, in
   * the same node order and with the same RNG draws as selectHost over the feasible list. Rejection counts
   * are only gathered when nothing fits (then every node was examined and its verdict is cached).
   */
  private attemptCached(pod: Pod, ctx: SchedContext, cache: ShapeTable): Attempt {
    const nodes = ctx.cluster.nodes;
    const n = nodes.length;
    const want = numFeasibleNodesToFind(n, this.config.percentageOfNodesToScore);
    const tb = this.config.tieBreak;
    const start = this.nextStartNodeIndex;
    let found = 0;
    let processed = 0;
    let best = -1;
    let bestTotal = 0;
    let count = 0;
    let badNode = -1;
    // Hot loop: typed arrays only, node objects touched only when a node changed since this shape last saw it.
    const versions = ctx.cluster.nodeVersion;
    const seen = cache.version;
    const ok = cache.ok;
    const totals = cache.total;
    const reservoir = tb.kind === 'reservoir';
    const rank = tb.kind === 'rank' ? tb.rank : null;
    for (let i = 0; i < n && found < want; i++) {
      let id = start + i;
      if (id >= n) id -= n;
      processed++;
      const v = versions[id];
      if (seen[id] !== v) this.refreshCached(pod, nodes[id], ctx, cache);
      if (ok[id] === 0) continue;
      found++;
      const total = totals[id];
      if (total !== total) {
        // NaN marks a score out of range (refreshCached): an Error once a second node makes scoring run. Tie
        // draws already made before it stay drawn (the plain path draws none on an error); no profile gets here.
        if (badNode < 0) badNode = id;
        if (best < 0) best = id;
        continue;
      }
      if (best < 0 || total > bestTotal) {
        best = id;
        bestTotal = total;
        count = 1;
      } else if (total === bestTotal) {
        count++;
        if (reservoir) {
          if (ctx.rng.int(count) === 0) best = id;
        } else if (rank !== null && rank[id] < rank[best]) best = id;
      }
    }
    this.nextStartNodeIndex = (start + processed) % n;
    if (best < 0) {
      const rejected: Record<string, number> = {};
      for (let id = 0; id < n; id++) {
        const status = cache.statuses[id];
        if (status) countReasons(rejected, status);
      }
      return { nodeIndex: -1, gpus: [], rejected, feasible: 0 };
    }
    // kube scores only when more than one node is feasible, so a lone node's bad score is never seen.
    if (badNode >= 0 && found > 1) return { nodeIndex: -1, gpus: [], rejected: {}, feasible: found, error: cache.scoreErrors[badNode]! };
    return { nodeIndex: best, gpus: cache.gpus[best]!, rejected: {}, feasible: found };
  }

  /** Filters one node for a shape and, when it fits, totals its scores; both cached at the node's version. */
  private refreshCached(pod: Pod, node: NodeState, ctx: SchedContext, cache: ShapeTable): void {
    const id = node.id;
    const v = ctx.cluster.nodeVersion[id];
    cache.version[id] = v;
    // filterNode inlined (no result object per node): the first filter that rejects, else the allocator.
    let status: Status | null = null;
    for (const f of this.config.filters) {
      status = f.filter(pod, node, ctx);
      if (status !== null) break;
    }
    let gpus: GpuBooking[] | null = null;
    if (status === null) {
      const alloc = this.config.allocator.allocate(pod, node, ctx);
      if (isStatus(alloc)) status = alloc;
      else gpus = alloc;
    }
    if (status !== null) {
      cache.ok[id] = 0;
      cache.gpus[id] = null;
      cache.statuses[id] = status;
      return;
    }
    cache.ok[id] = 1;
    cache.gpus[id] = gpus;
    cache.statuses[id] = null;
    let total = 0;
    cache.scoreErrors[id] = null;
    for (const { plugin, weight } of this.scoresFor(pod)) {
      const score = plugin.score(pod, node, ctx);
      // The range check (no normalize on this path: the raw score is the final one); NaN flags the node.
      const error = plugin.unboundedScore === undefined ? checkNodeScore(plugin.name, node.name, score) : null;
      if (error) {
        cache.scoreErrors[id] = error;
        total = NaN;
        break;
      }
      total += weight * score;
    }
    cache.total[id] = total;
  }

  /**
   * Weighted total score per feasible node (Σ weight × normalized score), or the Error status of the first
   * normalized score outside [0, MAX_NODE_SCORE] (first failing node in scan order, its first failing plugin).
   * A lone feasible node is not checked: kube does not score it (explain still shows its scores).
   */
  private totals(pod: Pod, feasible: number[], ctx: SchedContext, detail?: NodeCandidate['plugins'][]): number[] | Status {
    const all = ctx.cluster.nodes;
    const totals = new Array<number>(feasible.length).fill(0);
    // i < bad never holds with one node: kube skips scoring then.
    let bad = feasible.length > 1 ? feasible.length : 0;
    let error: Status | null = null;
    const scores = this.scoresFor(pod);
    if (scores.some((x) => x.plugin.preScore)) {
      const nodes = feasible.map((id) => all[id]);
      for (const { plugin } of scores) plugin.preScore?.(pod, nodes, ctx);
    }
    for (const { plugin, weight } of scores) {
      const checked = plugin.unboundedScore === undefined;
      if (!plugin.normalize && !detail) {
        // Hot path: no normalize step, no explanation wanted.
        for (let i = 0; i < feasible.length; i++) {
          const score = plugin.score(pod, all[feasible[i]], ctx);
          if (!(score >= 0 && score <= MAX_NODE_SCORE) && i < bad && checked) {
            bad = i;
            error = checkNodeScore(plugin.name, all[feasible[i]].name, score);
          }
          totals[i] += weight * score;
        }
        continue;
      }
      const nodes = feasible.map((id) => all[id]);
      const raw = nodes.map((node) => plugin.score(pod, node, ctx));
      const norm = raw.slice();
      plugin.normalize?.(norm, pod, nodes, ctx);
      for (let i = 0; i < norm.length; i++) {
        if (!(norm[i] >= 0 && norm[i] <= MAX_NODE_SCORE) && i < bad && checked) {
          bad = i;
          error = checkNodeScore(plugin.name, nodes[i].name, norm[i]);
        }
        totals[i] += weight * norm[i];
        detail?.[i].push({ plugin: plugin.name, raw: raw[i], normalized: norm[i], weight });
      }
    }
    return error ?? totals;
  }

  /** Index (into feasible) of the chosen node: the highest total, ties by the profile's tie-break. */
  private selectHost(feasible: number[], totals: number[], ctx: SchedContext): number {
    const tb = this.config.tieBreak;
    let best = 0;
    let count = 1;
    for (let i = 1; i < totals.length; i++) {
      if (totals[i] > totals[best]) {
        best = i;
        count = 1;
      } else if (totals[i] === totals[best]) {
        count++;
        if (tb.kind === 'reservoir') {
          if (ctx.rng.int(count) === 0) best = i;
        } else if (tb.kind === 'rank') {
          if (tb.rank[feasible[i]] < tb.rank[feasible[best]]) best = i;
        }
      }
    }
    return best;
  }

  /** Why here: through the evaluator when it explains this pod, else the plugin path. */
  explain(pod: Pod, ctx: SchedContext, topK = 5): Explanation {
    return explainThrough(this, pod, ctx, topK);
  }

  /** The plugin path's explanation: every node filtered and scored, ranked by total, then node index. */
  explainOnPlugins(pod: Pod, ctx: SchedContext, topK = 5): Explanation {
    const nodes = ctx.cluster.nodes;
    const rejected: Record<string, number> = {};
    const feasible: number[] = [];
    const bookings: GpuBooking[][] = [];
    for (const node of nodes) {
      const r = this.filterNode(pod, node, ctx);
      if ('status' in r) countReasons(rejected, r.status);
      else {
        feasible.push(node.id);
        bookings.push(r.gpus);
      }
    }
    const detail: NodeCandidate['plugins'][] = feasible.map(() => []);
    const totals = this.totals(pod, feasible, ctx, detail);
    if (isStatus(totals)) {
      return { pod: pod.name, node: null, gpus: [], message: formatStatus(totals), rejected, feasibleNodes: feasible.length, top: [] };
    }
    const order = feasible.map((_, i) => i).sort((a, b) => totals[b] - totals[a] || a - b);
    const top = order.slice(0, topK).map((i) => ({ node: nodes[feasible[i]].name, total: totals[i], plugins: detail[i] }));
    const chosen = pod.binding ? nodes[pod.binding.nodeId] : order.length ? nodes[feasible[order[0]]] : null;
    const chosenGpus = pod.binding ? pod.binding.gpus.map((g) => g.gpu) : order.length ? bookings[order[0]].map((g) => g.gpu) : [];
    return {
      pod: pod.name,
      node: chosen ? chosen.name : null,
      gpus: chosenGpus,
      message: feasible.length ? '' : formatUnschedulable(nodes.length, rejected),
      rejected,
      feasibleNodes: feasible.length,
      top,
    };
  }
}
