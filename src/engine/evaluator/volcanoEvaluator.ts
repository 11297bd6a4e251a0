/**
 * The engine as a VolcanoScheduler's candidate evaluator (sched/cycle.ts CandidateEvaluator; it answers the
 * session's NodeScorer question, sched/volcano/nodeScorer.ts): the per-task node choice on an engine (the CPU twin
 * or WebGPU). The session logic — enqueue, queue and job order, gang commit/discard, proportion and drf,
 * preempt/reclaim — stays the VolcanoScheduler's own (`cycleSteps`); each task that allocate or backfill places is one evaluation against the
 * cluster as the session has it then (tentative binds included: the engines re-send the nodes whose version
 * changed). From the decision, Volcano's tie-break is replayed on the CPU (one rng.int(ties) draw when several
 * nodes share the best total), and the chosen node's cards come from the profile's own predicates
 * (NodePlugins.fit on that node), so bindings, reasons and RNG state equal the plugin path's.
 *
 * `cycle` is synchronous on the CPU twin; `cycleAsync` uses the selected engine and, if it fails (device lost,
 * an error), answers the same request on the CPU twin and keeps it for the rest of the run: nothing is applied
 * before a decision is read back, and the ClusterState (with the session's tentative binds) is the truth.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import type { CycleResult, Explanation, SchedContext } from '../../sched/framework.ts';
import type { CandidateEvaluator } from '../../sched/cycle.ts';
import type { TaskPlacement } from '../../sched/volcano/nodeScorer.ts';
import type { VolcanoScheduler } from '../../sched/volcano/scheduler.ts';
import type { NodePlugins } from '../../sched/volcano/session.ts';
import { statusMessage } from '../../sched/status.ts';
import { VolcanoCpuEngine } from '../cpu/volcanoCpuEngine.ts';
import { volcanoFeasibleNodesToFind } from '../../sched/volcano/feasibleNodes.ts';
import type { EvalWindow } from '../kernels/types.ts';
import { volcanoExplanation } from './engineExplain.ts';
import { TwinEvaluator, runSteps, runStepsAsync } from './twinFallback.ts';
import { volcanoLimitError, volcanoRejectedRecord, type VolcanoDecision, type VolcanoEngine, type VolcanoKernelSpec } from '../kernels/volcano.ts';
import type { EngineStatus } from '../wiring/status.ts';

/** The placement a decision gives: the rejections, or the tie draw and the chosen node's cards (plugin predicates). */
export function placementOf(d: VolcanoDecision, task: Pod, ctx: SchedContext, plugins: NodePlugins): TaskPlacement {
  if (d.feasible === 0) return { rejected: volcanoRejectedRecord(d) };
  if (d.tied.length === 0) throw new Error('volcano decision has feasible nodes but no best node');
  const nodeId = d.tied.length === 1 ? d.tied[0] : d.tied[ctx.rng.int(d.tied.length)];
  const f = plugins.fit(task, ctx.cluster.nodes[nodeId]);
  if ('status' in f) throw new Error(`engine chose node ${nodeId} for ${task.name} but the predicates refuse it: ${statusMessage(f.status)}`);
  return { nodeId, gpus: f.gpus };
}

/** The scheduler's feasible-node search as an engine window (want = the node count up to 100 nodes: every node). */
function searchWindow(host: VolcanoScheduler, cluster: ClusterState): EvalWindow {
  const n = cluster.nodes.length;
  return { start: n > 0 ? host.search.startNodeIndex % n : 0, want: volcanoFeasibleNodesToFind(n) };
}

/** Advances the scheduler's search start by the nodes a windowed decision examined (as searchFeasibleNodes does). */
function advance(host: VolcanoScheduler, cluster: ClusterState, d: VolcanoDecision): VolcanoDecision {
  const n = cluster.nodes.length;
  if (d.processed !== undefined && n > 0) host.search.startNodeIndex = ((host.search.startNodeIndex % n) + d.processed) % n;
  return d;
}

/** Runs a VolcanoScheduler's node choices through an engine. */
export class VolcanoEvaluator extends TwinEvaluator<VolcanoEngine, VolcanoCpuEngine> implements CandidateEvaluator<VolcanoScheduler> {
  constructor(readonly spec: VolcanoKernelSpec, engine: VolcanoEngine, status?: EngineStatus) {
    super(engine, new VolcanoCpuEngine(), status);
  }

  private attach(cluster: ClusterState): void {
    this.cpu.attach(cluster, this.spec);
    if (this.engine !== this.cpu) this.engine.attach(cluster, this.spec);
  }

  /** One cycle on the CPU twin (synchronous). */
  cycle(host: VolcanoScheduler, queue: readonly Pod[], ctx: SchedContext): CycleResult {
    this.cpu.attach(ctx.cluster, this.spec);
    return runSteps(host.cycleSteps(queue, ctx), (task) => placementOf(this.onCpu(host, task, ctx.cluster), task, ctx, host.nodePlugins));
  }

  /**
   * A task's decision on the CPU twin. Up to 100 nodes Volcano examines every node (the kernel's reduction);
   * above, its feasible-node search keeps part of them from the scheduler's rotating start
   * (sched/volcano/feasibleNodes.ts): the window asks for that search, and the start advances by the nodes it
   * examined, as on the plugin path.
   */
  private onCpu(host: VolcanoScheduler, task: Pod, cluster: ClusterState): VolcanoDecision {
    return advance(host, cluster, this.cpu.evaluateSync([task.request], [searchWindow(host, cluster)])[0]);
  }

  /** `onCpu` on the selected engine. */
  private async onEngine(e: VolcanoEngine, host: VolcanoScheduler, task: Pod, cluster: ClusterState): Promise<VolcanoDecision> {
    return advance(host, cluster, (await e.evaluate([task.request], [searchWindow(host, cluster)]))[0]);
  }

  /** One cycle on the selected engine; if it fails, this and later requests are answered by the CPU twin. */
  async cycleAsync(host: VolcanoScheduler, queue: readonly Pod[], ctx: SchedContext): Promise<CycleResult> {
    // the CPU twin is attached first (attach), so a failed engine attach needs no second one
    await this.twin.attempt(() => this.attach(ctx.cluster), () => undefined);
    return runStepsAsync(host.cycleSteps(queue, ctx), async (task) => {
      const onCpu = (): VolcanoDecision => this.onCpu(host, task, ctx.cluster);
      const d = await this.twin.attempt(async (e) => (e === this.cpu ? onCpu() : await this.onEngine(e, host, task, ctx.cluster)), onCpu);
      return placementOf(d, task, ctx, host.nodePlugins);
    });
  }

  /**
   * The "why here?" view: VolcanoScheduler's plugin-path Explanation, ranked from the kernel's result words on
   * every node (the CPU twin's `scoreAll`; `explainAsync` asks the selected engine), per-plugin detail for the
   * ranked nodes only (engineExplain.ts). A cluster beyond volcanoLimitError: null (the plugin path).
   */
  explain(host: VolcanoScheduler, pod: Pod, ctx: SchedContext, topK: number): Explanation | null {
    if (volcanoLimitError(ctx.cluster)) return null;
    this.cpu.attach(ctx.cluster, this.spec);
    return volcanoExplanation(host.nodePlugins, pod, ctx, topK, this.cpu.scoreAllSync([pod.request]));
  }

  /** `explain` with the per-node results from the selected engine (one submit on the GPU); the CPU twin if it fails. */
  async explainAsync(host: VolcanoScheduler, pod: Pod, ctx: SchedContext, topK: number): Promise<Explanation | null> {
    if (this.engine === this.cpu || ctx.cluster.nodes.length === 0 || volcanoLimitError(ctx.cluster)) return this.explain(host, pod, ctx, topK);
    const words = await this.askEngine(async (e) => {
      e.attach(ctx.cluster, this.spec);
      return e.scoreAll([pod.request]);
    });
    return words ? volcanoExplanation(host.nodePlugins, pod, ctx, topK, words) : this.explain(host, pod, ctx, topK);
  }
}
