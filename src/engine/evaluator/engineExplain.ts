/**
 * "Why here?" for the HAMi and Volcano evaluators (hamiEvaluator.ts, volcanoEvaluator.ts): the
 * Explanation of HamiScheduler.explain / VolcanoScheduler.explain built from the kernels' per-node results. The
 * engine evaluates the pod on every node once (`scoreAll`: one result word per node for HAMi, two for Volcano, one
 * submit and one readback on the GPU); counting the reasons and ranking the fitting nodes happen here, on the CPU,
 * with the plugin path's own comparator on the scores the result words encode bit for bit; the rejection record
 * keeps the plugin path's key order too. Per-plugin detail and the chosen node's cards are computed on the CPU for
 * the ranked nodes only. (A top-k inside the reductions would read back k entries instead of n words, but needs
 * shader work; the row also gives the rejection counts over every node, and explain is one pod per request.)
 */
import type { Pod } from '../../model/pod.ts';
import type { Explanation, NodeCandidate, SchedContext } from '../../sched/framework.ts';
import type { HamiScheduler } from '../../sched/hami/scheduler.ts';
import { SCORE_SCALE } from '../../sched/hami/score.ts';
import { formatUnschedulable } from '../../sched/reasons.ts';
import { statusMessage } from '../../sched/status.ts';
import type { NodePlugins } from '../../sched/volcano/session.ts';
import { f32Value } from '../cpu/softFloat32.ts';
import { rejectedRecord } from './frameworkEvaluator.ts';
import { HAMI_UNFIT, HAMI_REASON_TEXT, SPREAD_KEY_BASE, type HamiKernelSpec } from '../kernels/hami.ts';
import { INFEASIBLE, REASON_TEXT } from '../kernels/types.ts';
import { VOLCANO_REASON_TEXT, totalOfResult, volcanoRejectedRecord } from '../kernels/volcano.ts';
import { reduceHami } from '../cpu/selectHami.ts';
import { reduceVolcano } from '../cpu/selectMaxKey.ts';

/** A fitting node and the value the plugin path ranks it by. */
interface Ranked {
  id: number;
  value: number;
}

/**
 * The `k` best of `all` by value descending, node id ascending on ties: the order of the plugin paths' stable
 * sorts over nodes in id order (`all` comes in id order). A bounded insertion for small k, a full sort otherwise.
 */
export function bestRanked(all: readonly Ranked[], k: number): Ranked[] {
  const before = (a: Ranked, b: Ranked): boolean => a.value > b.value || (a.value === b.value && a.id < b.id);
  if (k >= 64) return [...all].sort((a, b) => b.value - a.value || a.id - b.id).slice(0, k);
  const out: Ranked[] = [];
  for (const r of all) {
    if (out.length === k && !before(r, out[k - 1])) continue;
    let j = Math.min(out.length, k - 1);
    if (out.length < k) out.push(r);
    while (j > 0 && before(r, out[j - 1])) {
      out[j] = out[j - 1];
      j--;
    }
    out[j] = r;
  }
  return out;
}

/**
 * `counts` (reason → nodes) re-keyed in the order the plugin paths insert reasons: `order` first (the reasons as the
 * scan over nodes first meets them), then any others. Counts are unchanged; only `--json` output sees the order.
 */
function inOrder(counts: Record<string, number>, order: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of [...order, ...Object.keys(counts)]) if (counts[r] !== undefined && out[r] === undefined) out[r] = counts[r];
  return out;
}

/**
 * The reasons of result words in first-met order: nodes in id order, a node's reasons from `wordsAt(i)` (its
 * reason texts in the plugin's order); stops once every reason of `counts` was met.
 */
function firstMet(counts: Record<string, number>, n: number, wordsAt: (i: number) => readonly string[] | null): string[] {
  const want = Object.keys(counts).length;
  const seen = new Set<string>();
  for (let i = 0; i < n && seen.size < want; i++) for (const r of wordsAt(i) ?? []) if (counts[r] !== undefined) seen.add(r);
  return [...seen];
}

/** Texts of the set bits of `bits`, ascending. */
function bitTexts(bits: number, texts: readonly string[]): string[] {
  return texts.filter((_, b) => ((bits >>> b) & 1) !== 0);
}

/**
 * Reasons of whole-cluster HAMi results as HamiScheduler.explain records them: kube's reasons over every node
 * (a node's in filter order: NodeResourcesFit's pods, cpu, memory, then node affinity, which is bit order), then
 * HAMi's words over the kube-feasible nodes, a node's in the order of its Fit message (card scan order: read from
 * placeOn on the few nodes that bring a new word).
 */
function hamiRejected(inner: HamiScheduler, pod: Pod, ctx: SchedContext, words: Uint32Array): { rejected: Record<string, number>; fit: number } {
  const n = ctx.cluster.nodes.length;
  const d = reduceHami(n, { start: 0, want: n }, (i) => words[i]);
  const kube = rejectedRecord(d);
  const hami: Record<string, number> = {};
  d.hamiRejected.forEach((c, b) => {
    if (c > 0) hami[HAMI_REASON_TEXT[b]] = c;
  });
  const kubeOrder = firstMet(kube, n, (i) => (words[i] >= INFEASIBLE ? bitTexts(words[i], REASON_TEXT) : null));
  const met = new Set<string>();
  const hamiOrder = firstMet(hami, n, (i) => {
    const r = words[i];
    if (r < HAMI_UNFIT || r >= INFEASIBLE || bitTexts(r, HAMI_REASON_TEXT).every((w) => met.has(w))) return null;
    const placed = inner.placeOn(pod, ctx.cluster.nodes[i], ctx);
    const found = 'status' in placed ? placed.status.reasons : [];
    for (const w of found) met.add(w);
    return found;
  });
  const rejected = inOrder(kube, kubeOrder);
  for (const [r, c] of Object.entries(inOrder(hami, hamiOrder))) rejected[r] = (rejected[r] ?? 0) + c;
  return { rejected, fit: d.fit };
}

/**
 * HamiScheduler.explain's Explanation for a HAMi pod without HAMi annotations, from its result word on every node
 * (filterScoreHami: ≥ INFEASIBLE kube reasons, ≥ HAMI_UNFIT HAMi reason bits, else the float32 node score's key).
 * Every node is examined (explain has no window); a fitting node ranks by HAMi's node score (binpack) or
 * 3·SCORE_SCALE − score (spread), descending, node id ascending; the chosen node's cards come from placeOn.
 */
export function hamiExplanation(inner: HamiScheduler, spec: HamiKernelSpec, pod: Pod, ctx: SchedContext, topK: number, words: Uint32Array): Explanation {
  const nodes = ctx.cluster.nodes;
  const n = nodes.length;
  const { rejected, fit } = hamiRejected(inner, pod, ctx, words);
  const maxScore = 3 * SCORE_SCALE;
  const scoreOf = (id: number): number => f32Value(spec.spread ? SPREAD_KEY_BASE - words[id] : words[id]);
  const fitting: Ranked[] = [];
  for (let i = 0; i < n; i++) {
    if (words[i] >= HAMI_UNFIT) continue; // INFEASIBLE is above HAMI_UNFIT
    const score = scoreOf(i);
    fitting.push({ id: i, value: spec.spread ? maxScore - score : score });
  }
  const ranked = bestRanked(fitting, Math.max(1, topK));
  const plugin = `HAMi node score (${spec.spread ? 'spread' : 'binpack'})`;
  const top: NodeCandidate[] = ranked.slice(0, topK).map(({ id, value }) => ({
    node: nodes[id].name,
    total: value,
    plugins: [{ plugin, raw: scoreOf(id), normalized: value, weight: 1 }],
  }));
  let gpus: number[] = [];
  if (pod.binding) gpus = pod.binding.gpus.map((g) => g.gpu);
  else if (ranked.length > 0) {
    const placed = inner.placeOn(pod, nodes[ranked[0].id], ctx);
    if ('status' in placed) throw new Error(`HAMi kernel ranks ${nodes[ranked[0].id].name} first but HAMi does not fit the pod there: ${statusMessage(placed.status)}`);
    gpus = placed.gpus.map((g) => g.gpu);
  }
  const chosen = pod.binding ? nodes[pod.binding.nodeId] : ranked.length > 0 ? nodes[ranked[0].id] : null;
  return {
    pod: pod.name,
    node: chosen ? chosen.name : null,
    gpus,
    message: fit > 0 ? '' : formatUnschedulable(n, rejected),
    rejected,
    feasibleNodes: fit,
    top,
  };
}

/**
 * VolcanoScheduler.explain's Explanation from the task's two result words per node (filterScoreVolcano: the
 * session's float64 total's bit pattern, or INFEASIBLE | reason bits): feasible nodes rank by total descending,
 * node id ascending (the plugin path's stable sort); per-plugin detail and the chosen node's cards from the
 * profile's own plugins for the ranked nodes only. Throws when a ranked node's plugin total is not the kernel's.
 */
export function volcanoExplanation(plugins: NodePlugins, pod: Pod, ctx: SchedContext, topK: number, words: Uint32Array): Explanation {
  const nodes = ctx.cluster.nodes;
  const n = nodes.length;
  const d = reduceVolcano(words, 0, n);
  // first met over nodes in id order; a node's predicate reasons come in bit order (pods, cpu, memory, or one GPU reason)
  const counts = volcanoRejectedRecord(d);
  const rejected = inOrder(counts, firstMet(counts, n, (i) => (words[2 * i] >= INFEASIBLE ? bitTexts(words[2 * i], VOLCANO_REASON_TEXT) : null)));
  const feasible: Ranked[] = [];
  for (let i = 0; i < n; i++) if (words[2 * i] < INFEASIBLE) feasible.push({ id: i, value: totalOfResult(words[2 * i], words[2 * i + 1]) });
  const ranked = bestRanked(feasible, Math.max(1, topK));
  const fitOf = (id: number) => {
    const f = plugins.fit(pod, nodes[id]);
    if ('status' in f) throw new Error(`volcano kernel finds ${nodes[id].name} feasible but the predicates refuse it: ${statusMessage(f.status)}`);
    return f;
  };
  const top: NodeCandidate[] = ranked.slice(0, topK).map(({ id, value }) => {
    const scores = plugins.scores(pod, nodes[id], fitOf(id).deviceScore, ctx);
    const total = scores.reduce((t, p) => t + p.weight * p.normalized, 0);
    if (!Object.is(total, value)) throw new Error(`volcano kernel total ${value} on ${nodes[id].name} is not the plugins' ${total}`);
    return { node: nodes[id].name, total, plugins: scores };
  });
  const best = ranked.length > 0 ? ranked[0].id : -1;
  const chosen = pod.binding ? nodes[pod.binding.nodeId].name : best >= 0 ? nodes[best].name : null;
  const gpus = pod.binding ? pod.binding.gpus.map((g) => g.gpu) : best >= 0 ? fitOf(best).gpus.map((g) => g.gpu) : [];
  let message = d.feasible > 0 ? '' : formatUnschedulable(n, rejected);
  if (!pod.binding && pod.lastReason && d.feasible > 0) message = pod.lastReason;
  return { pod: pod.name, node: chosen, gpus, message, rejected, feasibleNodes: d.feasible, top };
}
