/**
 * The engine as a HamiScheduler's candidate evaluator (sched/cycle.ts CandidateEvaluator): HAMi decisions on an
 * engine (CPU twin or WebGPU), the same decisions as the plugin path — queue order, failed-shape cache, kube's rotating start (HamiScheduler.startNodeIndex,
 * shared) and numFeasibleNodesToFind window cut on kube-feasibility, HAMi's reasons counted once per node,
 * pickNode's uniform draw rng.int(ties) over the tie set in scan order (no draw for one), and the chosen node's card
 * choice and allocation by HamiScheduler.placeOn (scoreNode on that one node, on the CPU).
 *
 * Which pods take which path:
 * - a pod with a HAMi request and none of HAMi's pod annotations (Annotation in src/sched/hami/scheduler.ts:
 *   GPU/node policy, scoring weights, type/uuid lists, numa-bind, vgpu mode) → the engine (filterScoreHami);
 * - an annotated HAMi pod → HamiScheduler.attempt itself (the plugin path; numa-bind feasibility depends on the
 *   sorted card order, the lists and weights are strings): the same scan from the same shared start index;
 * - a pod without HAMi resources → HamiScheduler.attempt, which hands it to kube's own scoring (its own start
 *   index inside the kube FrameworkScheduler), as HAMi's extender passes it through.
 * `cycle` is synchronous on the CPU twin; `cycleAsync` uses the selected engine and finishes on the CPU twin if
 * the GPU fails mid-run (nothing is applied before a decision is read back). A cluster beyond the kernel's
 * limits (hamiLimitError) runs every pod on the plugin path.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import type { CycleResult, Explanation, SchedContext } from '../../sched/framework.ts';
import { cycleSteps, type CandidateEvaluator, type Placement } from '../../sched/cycle.ts';
import { numFeasibleNodesToFind } from '../../sched/runner.ts';
import { Annotation, type HamiScheduler } from '../../sched/hami/scheduler.ts';
import { statusMessage } from '../../sched/status.ts';
import { CpuEngine } from '../cpu/cpuEngine.ts';
import { CpuHamiEngine } from '../cpu/filterScoreHami.ts';
import { hamiExplanation } from './engineExplain.ts';
import { rejectedRecord } from './frameworkEvaluator.ts';
import { GpuEngine } from '../gpu/gpuEngine.ts';
import { hamiGpuFor } from '../gpu/hamiGpu.ts';
import { HAMI_REASON_TEXT, hamiLimitError, type HamiDecision, type HamiEngine, type HamiKernelSpec } from '../kernels/hami.ts';
import type { Engine } from '../kernels/types.ts';
import { TwinEvaluator, cycleOnEngine, cycleOnTwin, type WindowStep } from './twinFallback.ts';
import type { EngineStatus } from '../wiring/status.ts';

/** The pod annotations HamiScheduler reads (a pod carrying any of them takes the plugin path). */
const POD_ANNOTATIONS: readonly string[] = Object.entries(Annotation).filter(([k]) => k !== 'deviceCordon').map(([, v]) => v);

/** True when a pod carries one of HAMi's pod annotations. */
export function hasHamiAnnotations(pod: Pod): boolean {
  for (const k of POD_ANNOTATIONS) if (pod.annotations[k] !== undefined) return true;
  return false;
}

/** Reasons of a HAMi decision as HamiScheduler.attempt records them (kube reasons, then HAMi words, nodes each). */
export function hamiRejectedRecord(d: HamiDecision): Record<string, number> {
  const out = rejectedRecord(d);
  d.hamiRejected.forEach((c, b) => {
    if (c > 0) out[HAMI_REASON_TEXT[b]] = (out[HAMI_REASON_TEXT[b]] ?? 0) + c;
  });
  return out;
}

/** Runs a HamiScheduler's decisions through an engine. */
export class HamiEvaluator extends TwinEvaluator<HamiEngine, CpuHamiEngine> implements CandidateEvaluator<HamiScheduler> {
  /** Set while the cluster is beyond the kernel's limits: every pod takes the plugin path. */
  private pluginOnly: string | null = null;
  /** Decisions taken on the engine path (tests). */
  engineDecisions = 0;

  /**
   * `engine`: a GpuEngine (its HAMi evaluator runs the decisions), the CPU engine (the HAMi twin), or a
   * HamiEngine used as is (a lockstep sweep's lane, engine/lockstep/lockstep.ts).
   */
  constructor(readonly spec: HamiKernelSpec, engine: Engine | HamiEngine, status?: EngineStatus) {
    const cpu = new CpuHamiEngine();
    super(engine instanceof GpuEngine ? hamiGpuFor(engine) : engine instanceof CpuEngine ? cpu : (engine as HamiEngine), cpu, status);
  }

  private attach(cluster: ClusterState): void {
    this.pluginOnly = hamiLimitError(this.spec, cluster);
    if (this.pluginOnly) return;
    this.engine.attach(cluster, this.spec);
    if (this.engine !== this.cpu) this.cpu.attach(cluster, this.spec);
  }

  /** The cycle (sched/cycle.ts) with the engine's attempt; a bound node is marked dirty on both engines. */
  private steps(host: HamiScheduler, queue: readonly Pod[], ctx: SchedContext): Generator<WindowStep, CycleResult, HamiDecision> {
    return cycleSteps(queue, ctx, host.kube.config.queueSort, (pod, key) => this.attemptSteps(host, pod, key, ctx), (node) => {
      this.engine.markDirty(node);
      if (this.engine !== this.cpu) this.cpu.markDirty(node);
    });
  }

  /**
   * HamiScheduler.attempt with HAMi's filter and node score on the engine (the plugin path for the pods listed
   * above): one request for the pod's window from kube's shared rotating start, the start advanced by the nodes
   * processed, pickNode's draw over the tie set, the cards by placeOn on the chosen node.
   */
  private *attemptSteps(host: HamiScheduler, pod: Pod, key: string, ctx: SchedContext): Generator<WindowStep, Placement, HamiDecision> {
    if (this.pluginOnly || host.request(pod) === null || hasHamiAnnotations(pod)) return host.attempt(pod, ctx, key);
    const nodes = ctx.cluster.nodes;
    const n = nodes.length;
    if (n === 0) return { nodeIndex: -1, gpus: [], rejected: {} };
    const start = host.startNodeIndex;
    const d = yield { pod, window: { start, want: numFeasibleNodesToFind(n, host.config.percentageOfNodesToScore) } };
    host.startNodeIndex = (start + d.processed) % n;
    const rejected = hamiRejectedRecord(d);
    this.engineDecisions++;
    if (d.tied.length === 0) return { nodeIndex: -1, gpus: [], rejected };
    // pickNode: a uniform draw among the tied best, none without a tie
    const node = d.tied.length === 1 ? d.tied[0] : d.tied[ctx.rng.int(d.tied.length)];
    const placed = host.placeOn(pod, nodes[node], ctx);
    if ('status' in placed) throw new Error(`engine chose node ${node} but HAMi does not fit the pod there: ${statusMessage(placed.status)}`);
    return { nodeIndex: node, gpus: placed.gpus, rejected };
  }

  /** One cycle on the CPU twin (synchronous, for the synchronous simulator loop). */
  cycle(host: HamiScheduler, queue: readonly Pod[], ctx: SchedContext): CycleResult {
    this.attach(ctx.cluster);
    return cycleOnTwin(this.steps(host, queue, ctx), this.cpu);
  }

  /** One cycle on the selected engine; if it fails, the rest of the run continues on the CPU twin. */
  cycleAsync(host: HamiScheduler, queue: readonly Pod[], ctx: SchedContext): Promise<CycleResult> {
    return cycleOnEngine(this.twin, this.cpu, () => this.attach(ctx.cluster), this.steps(host, queue, ctx));
  }

  /**
   * The "why here?" view: HamiScheduler's plugin-path Explanation, ranked from the kernel's result word on every
   * node (the CPU twin's `scoreAll`; `explainAsync` asks the selected engine), see engineExplain.ts. Pods the cycle
   * gives to the plugin path (HAMi annotations, no HAMi resources, a cluster beyond hamiLimitError): null.
   */
  explain(host: HamiScheduler, pod: Pod, ctx: SchedContext, topK: number): Explanation | null {
    if (!this.explainsOnEngine(host, pod, ctx)) return null;
    this.cpu.attach(ctx.cluster, this.spec);
    return hamiExplanation(host, this.spec, pod, ctx, topK, this.cpu.scoreAllSync([pod.request]));
  }

  /** `explain` with the per-node results from the selected engine (one submit on the GPU); the CPU twin if it fails. */
  async explainAsync(host: HamiScheduler, pod: Pod, ctx: SchedContext, topK: number): Promise<Explanation | null> {
    if (!this.explainsOnEngine(host, pod, ctx) || this.engine === this.cpu || ctx.cluster.nodes.length === 0) return this.explain(host, pod, ctx, topK);
    const words = await this.askEngine(async (e) => {
      e.attach(ctx.cluster, this.spec);
      return e.scoreAll([pod.request]);
    });
    return words ? hamiExplanation(host, this.spec, pod, ctx, topK, words) : this.explain(host, pod, ctx, topK);
  }

  /** True when the kernel evaluates this pod (the cycle's engine pods: a HAMi request, no HAMi annotations, a cluster within the kernel's limits). */
  private explainsOnEngine(host: HamiScheduler, pod: Pod, ctx: SchedContext): boolean {
    return host.request(pod) !== null && !hasHamiAnnotations(pod) && hamiLimitError(this.spec, ctx.cluster) === null;
  }
}
