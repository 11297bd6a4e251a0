/**
 * A VolcanoScheduler whose per-task node choice runs on an engine (the CPU twin or WebGPU). The session logic —
 * enqueue, queue and job order, gang commit/discard, proportion and drf, preempt/reclaim — stays the
 * VolcanoScheduler's own (`cycleSteps`); each task that allocate or backfill places is one evaluation against the
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
import type { CycleResult, Explanation, SchedContext, Scheduler } from '../../sched/framework.ts';
import type { TaskPlacement } from '../../sched/volcano/nodeScorer.ts';
import { VolcanoScheduler } from '../../sched/volcano/scheduler.ts';
import { NodePlugins } from '../../sched/volcano/session.ts';
import { VolcanoCpuEngine } from '../cpu/volcanoCpuEngine.ts';
import { volcanoExplanation } from './engineExplain.ts';
import { GpuEngine } from '../gpu/gpuEngine.ts';
import { VolcanoGpuEngine } from '../gpu/volcanoGpuEngine.ts';
import { TwinFallback, runSteps, runStepsAsync } from './twinFallback.ts';
import { volcanoKernelSpecOf, volcanoLimitError, volcanoRejectedRecord, type VolcanoDecision, type VolcanoEngine, type VolcanoKernelSpec } from '../kernels/volcano.ts';

/** The placement a decision gives: the rejections, or the tie draw and the chosen node's cards (plugin predicates). */
export function placementOf(d: VolcanoDecision, task: Pod, ctx: SchedContext, plugins: NodePlugins): TaskPlacement {
  if (d.feasible === 0) return { rejected: volcanoRejectedRecord(d) };
  if (d.tied.length === 0) throw new Error('volcano decision has feasible nodes but no best node');
  const nodeId = d.tied.length === 1 ? d.tied[0] : d.tied[ctx.rng.int(d.tied.length)];
  const f = plugins.fit(task, ctx.cluster.nodes[nodeId]);
  if ('reasons' in f) throw new Error(`engine chose node ${nodeId} for ${task.name} but the predicates refuse it: ${f.reasons.join(', ')}`);
  return { nodeId, gpus: f.gpus };
}

/** Runs a VolcanoScheduler's node choices through an engine. */
export class VolcanoEngineScheduler implements Scheduler {
  readonly name: string;
  readonly clusterOptions;
  readonly gangAware = true;
  private readonly cpu = new VolcanoCpuEngine();
  private readonly twin: TwinFallback<VolcanoEngine>;
  private readonly plugins: NodePlugins;

  constructor(readonly inner: VolcanoScheduler, readonly spec: VolcanoKernelSpec, engine: VolcanoEngine, reason: string) {
    this.name = inner.name;
    this.clusterOptions = inner.clusterOptions;
    this.twin = new TwinFallback<VolcanoEngine>(engine, this.cpu, reason);
    this.plugins = new NodePlugins(inner.config);
  }

  /** Which engine runs and why (shown by the app and the CLI); updated on fallback. */
  get reason(): string {
    return this.twin.reason;
  }

  /** The engine now in use. */
  get activeEngine(): VolcanoEngine {
    return this.twin.engine;
  }

  private get engine(): VolcanoEngine {
    return this.twin.engine;
  }

  private attach(cluster: ClusterState): void {
    this.cpu.attach(cluster, this.spec);
    if (this.engine !== this.cpu) this.engine.attach(cluster, this.spec);
  }

  /** One cycle on the CPU twin (synchronous). */
  cycle(queue: readonly Pod[], ctx: SchedContext): CycleResult {
    this.cpu.attach(ctx.cluster, this.spec);
    return runSteps(this.inner.cycleSteps(queue, ctx), (task) => placementOf(this.cpu.evaluateSync([task.request])[0], task, ctx, this.plugins));
  }

  /** One cycle on the selected engine; if it fails, this and later requests are answered by the CPU twin. */
  async cycleAsync(queue: readonly Pod[], ctx: SchedContext): Promise<CycleResult> {
    // the CPU twin is attached first (attach), so a failed engine attach needs no second one
    await this.twin.attempt(() => this.attach(ctx.cluster), () => undefined);
    const onCpu = (task: Pod): VolcanoDecision => this.cpu.evaluateSync([task.request])[0];
    return runStepsAsync(this.inner.cycleSteps(queue, ctx), async (task) => {
      const d = await this.twin.attempt(async (e) => (e === this.cpu ? onCpu(task) : (await e.evaluate([task.request]))[0]), () => onCpu(task));
      return placementOf(d, task, ctx, this.plugins);
    });
  }

  /**
   * The "why here?" view: VolcanoScheduler.explain's Explanation, ranked from the kernel's result words on every
   * node (the CPU twin's `scoreAll`; `explainAsync` asks the selected engine), per-plugin detail for the ranked
   * nodes only (engineExplain.ts). A cluster beyond volcanoLimitError is explained on the plugin path.
   */
  explain(pod: Pod, ctx: SchedContext, topK = 5): Explanation {
    if (volcanoLimitError(ctx.cluster)) return this.inner.explain(pod, ctx, topK);
    this.cpu.attach(ctx.cluster, this.spec);
    return volcanoExplanation(this.plugins, pod, ctx, topK, this.cpu.scoreAllSync([pod.request]));
  }

  /** `explain` with the per-node results from the selected engine (one submit on the GPU); the CPU twin if it fails. */
  async explainAsync(pod: Pod, ctx: SchedContext, topK = 5): Promise<Explanation> {
    if (this.engine === this.cpu || ctx.cluster.nodes.length === 0 || volcanoLimitError(ctx.cluster)) return this.explain(pod, ctx, topK);
    let words: Uint32Array;
    try {
      this.engine.attach(ctx.cluster, this.spec);
      words = await this.engine.scoreAll([pod.request]);
    } catch {
      return this.explain(pod, ctx, topK);
    }
    return volcanoExplanation(this.plugins, pod, ctx, topK, words);
  }
}

/**
 * The engine-backed scheduler for a Volcano run when the selection is a WebGPU engine (wire.ts), else null. In a
 * lockstep sweep, engine/lockstep/lockstep.ts onLanes moves it onto the replica's lane of a shared VolcanoGpuEngine.
 */
export function volcanoEngineSchedulerFor(sel: { engine: { kind: 'cpu' | 'gpu' }; reason: string }, scheduler: Scheduler): VolcanoEngineScheduler | null {
  if (!(sel.engine instanceof GpuEngine) || !(scheduler instanceof VolcanoScheduler)) return null;
  const spec = volcanoKernelSpecOf(scheduler.config);
  return spec ? new VolcanoEngineScheduler(scheduler, spec, new VolcanoGpuEngine(sel.engine), sel.reason) : null;
}
