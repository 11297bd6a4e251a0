/**
 * The Volcano scheduler as Slicebench's `Scheduler`: every cycle opens a Volcano session (session.ts) over the
 * whole cluster. Jobs are PodGroups: the pods sharing a `gang` id form one job with minAvailable = `gangMin`;
 * a pod with gang −1 is a job of its own with minAvailable 1 (what Volcano's podgroup controller creates for a
 * plain pod). minResources = the requests of the job's first minAvailable pods (the job controller's sum).
 * PodGroup phases (Pending → Inqueue → Running) persist across cycles in this object, as the PodGroup status
 * does in the API server. Evicted pods (preempt/reclaim) come back unbound with `binding = null`; the
 * simulator only has to requeue them.
 */
import type { ClusterOptions } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import type { VolcanoQueueSpec } from '../../scenario/types.ts';
import type { CycleResult, Explanation, NodeCandidate, SchedContext, Scheduler } from '../framework.ts';
import { formatUnschedulable } from '../reasons.ts';
import { countReasons } from '../status.ts';
import type { QueueAttr, QueueSpec } from './proportion.ts';
import { addTo, podResreq, zero, type Res } from './resource.ts';
import { PluginNodeScorer, type TaskPlacement } from './nodeScorer.ts';
import { FeasibleNodeSearch } from './feasibleNodes.ts';
import { NodePlugins, sessionSteps, type PodGroupPhase, type SessionConfig, type SessionJob } from './session.ts';
import { explainThrough, type CandidateEvaluator, type EvaluatorHost } from '../cycle.ts';

/** Converts scenario queues to session queues; a `default` queue (weight 1, no limits) always exists. */
export function queueSpecs(queues: readonly VolcanoQueueSpec[] | undefined): QueueSpec[] {
  const out: QueueSpec[] = [];
  const cap = (c: VolcanoQueueSpec['capability']): Res => [c?.cpuMilli ?? Infinity, c?.memMiB ?? Infinity, c?.gpuMilli ?? Infinity, Infinity];
  const gua = (g: VolcanoQueueSpec['guarantee']): Res => [g?.cpuMilli ?? 0, g?.memMiB ?? 0, g?.gpuMilli ?? 0, 0];
  for (const q of queues ?? []) {
    out.push({ name: q.name, weight: q.weight ?? 1, capability: cap(q.capability), guarantee: gua(q.guarantee), reclaimable: q.reclaimable ?? true, priority: q.priority ?? 0, open: true, order: out.length });
  }
  if (!out.some((q) => q.name === 'default')) {
    out.push({ name: 'default', weight: 1, capability: [Infinity, Infinity, Infinity, Infinity], guarantee: zero(), reclaimable: true, priority: 0, open: true, order: out.length });
  }
  return out;
}

/** The job key of a pod: its gang, or the pod itself. */
export function jobKey(pod: Pod): string {
  return pod.gang >= 0 ? `g${pod.gang}` : `p${pod.uid}`;
}

/** One Volcano session per cycle over the whole cluster; gang-aware; PodGroup phases kept between cycles. */
export class VolcanoScheduler implements Scheduler, EvaluatorHost<VolcanoScheduler> {
  readonly gangAware = true;
  /** The injected candidate evaluator (cycle.ts useEvaluator; it answers cycleSteps' tasks), or null: the plugin path. */
  evaluator: CandidateEvaluator<VolcanoScheduler> | null = null;
  cycleAsync?: (queue: readonly Pod[], ctx: SchedContext) => Promise<CycleResult>;
  explainAsync?: (pod: Pod, ctx: SchedContext, topK?: number) => Promise<Explanation>;
  readonly clusterOptions: ClusterOptions = {};
  private readonly queues: QueueSpec[];
  /** The profile's predicates and node order (an evaluator places the chosen node's cards with them). */
  readonly nodePlugins: NodePlugins;
  private readonly pluginScorer: PluginNodeScorer;
  /** Volcano's feasible-node search start (a global of the scheduler process: it persists across sessions). */
  readonly search = new FeasibleNodeSearch();
  /** PodGroup phases carried between sessions. */
  private readonly phases = new Map<string, PodGroupPhase>();
  /** Queue attributes of the last session (deserved, allocated, share), for the UI. */
  lastQueues: Map<string, QueueAttr> = new Map();

  constructor(
    readonly name: string,
    readonly config: SessionConfig,
    queues: readonly VolcanoQueueSpec[] | undefined,
  ) {
    this.queues = queueSpecs(queues);
    this.nodePlugins = new NodePlugins(config);
    this.pluginScorer = new PluginNodeScorer(this.nodePlugins, this.search);
  }

  /** Groups the bound pods of the cluster and the queued pods into PodGroups. */
  buildJobs(queue: readonly Pod[], ctx: SchedContext): SessionJob[] {
    const byKey = new Map<string, Pod[]>();
    const add = (p: Pod): void => {
      const k = jobKey(p);
      const list = byKey.get(k);
      if (list) list.push(p);
      else byKey.set(k, [p]);
    };
    for (const pods of ctx.cluster.podsOnNode) for (const p of pods) add(p);
    for (const p of queue) if (!p.binding) add(p);
    const whole = this.config.devices.kind === 'whole';
    const jobs: SessionJob[] = [];
    for (const [key, pods] of byKey) {
      pods.sort((a, b) => a.uid - b.uid);
      const first = pods[0];
      const minAvailable = first.gang >= 0 ? Math.max(1, first.gangMin) : 1;
      const minResources = zero();
      for (let i = 0; i < Math.min(minAvailable, pods.length); i++) addTo(minResources, podResreq(pods[i], whole));
      const bound = pods.reduce((n, p) => n + (p.binding ? 1 : 0), 0);
      const phase = this.phases.get(key) ?? (bound >= minAvailable ? 'Running' : 'Pending');
      jobs.push({
        key,
        name: first.gang >= 0 ? `gang-${first.gang}` : first.name,
        queue: first.queue || 'default',
        priority: pods.reduce((m, p) => Math.max(m, p.priority), -Infinity),
        minAvailable,
        minResources,
        phase,
        createdS: pods.reduce((m, p) => Math.min(m, p.createdS), Infinity),
        uid: first.uid,
        pods,
      });
    }
    return jobs;
  }

  /** One cycle on the plugin path (PluginNodeScorer), or through the evaluator. */
  cycle(queue: readonly Pod[], ctx: SchedContext): CycleResult {
    if (this.evaluator) return this.evaluator.cycle(this, queue, ctx);
    const it = this.cycleSteps(queue, ctx);
    let r = it.next();
    while (!r.done) r = it.next(this.pluginScorer.place(r.value, ctx));
    return r.value;
  }

  /**
   * One cycle as a generator: yields each task the session places and expects its placement against the cluster
   * as it is then (a NodeScorer's answer), so an engine can score nodes (src/engine/evaluator/volcanoEvaluator.ts).
   */
  *cycleSteps(queue: readonly Pod[], ctx: SchedContext): Generator<Pod, CycleResult, TaskPlacement> {
    const jobs = this.buildJobs(queue, ctx);
    const res = yield* sessionSteps({ cluster: ctx.cluster, rng: ctx.rng, nowS: ctx.nowS, queues: this.queues, jobs, config: this.config, search: this.search });
    this.phases.clear();
    for (const [k, v] of res.phases) this.phases.set(k, v);
    this.lastQueues = res.queues;
    const boundSet = new Set(res.bound);
    const bound: Pod[] = [];
    const failed: Pod[] = [];
    for (const p of queue) {
      if (boundSet.has(p)) {
        p.boundS = ctx.nowS;
        p.lastReason = '';
        bound.push(p);
      } else if (!p.binding) {
        p.attempts++;
        p.lastReason = res.reasons.get(p) ?? 'not scheduled in this session';
        failed.push(p);
      }
    }
    // Pods bound by the session that were not in the queue (none in practice) are still reported as bound.
    const queued = new Set(queue);
    for (const p of res.bound) if (!queued.has(p)) bound.push(p);
    return { bound, failed, evicted: res.evicted };
  }

  /** Why here: through the evaluator when it explains the pod, else the plugin path. */
  explain(pod: Pod, ctx: SchedContext, topK = 5): Explanation {
    return explainThrough(this, pod, ctx, topK);
  }

  /** The plugin path's explanation: every node through the predicates, ranked by the summed node order. */
  explainOnPlugins(pod: Pod, ctx: SchedContext, topK = 5): Explanation {
    const nodes = ctx.cluster.nodes;
    const rejected: Record<string, number> = {};
    const cands: NodeCandidate[] = [];
    const gpusOf = new Map<string, number[]>();
    for (const node of nodes) {
      const f = this.nodePlugins.fit(pod, node);
      if ('status' in f) {
        countReasons(rejected, f.status);
        continue;
      }
      const plugins = this.nodePlugins.scores(pod, node, f.deviceScore, ctx);
      cands.push({ node: node.name, total: plugins.reduce((t, p) => t + p.weight * p.normalized, 0), plugins });
      gpusOf.set(node.name, f.gpus.map((g) => g.gpu));
    }
    cands.sort((a, b) => b.total - a.total);
    const chosen = pod.binding ? nodes[pod.binding.nodeId].name : cands.length ? cands[0].node : null;
    const gpus = pod.binding ? pod.binding.gpus.map((g) => g.gpu) : chosen ? gpusOf.get(chosen) ?? [] : [];
    let message = cands.length ? '' : formatUnschedulable(nodes.length, rejected);
    if (!pod.binding && pod.lastReason && cands.length) message = pod.lastReason;
    return { pod: pod.name, node: chosen, gpus, message, rejected, feasibleNodes: cands.length, top: cands.slice(0, topK) };
  }
}
