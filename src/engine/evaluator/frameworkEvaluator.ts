/**
 * The engine as a FrameworkScheduler's candidate evaluator (sched/cycle.ts CandidateEvaluator): the profile's
 * filter+score+select step runs on an engine (CPU twin or WebGPU) for the profile's kernel spec. Decisions are
 * identical to the plugin path's: same queue order, same failed-shape cache (the cycle is sched/cycle.ts's), same
 * rotating nextStartNodeIndex and numFeasibleNodesToFind window, same allocator, and the seeded tie-break replayed
 * from the engine's plateau record (evaluator/choose.ts). `cycle` is synchronous on the CPU twin; `cycleAsync`
 * uses the selected engine and finishes on the CPU twin if the GPU fails mid-run (the ClusterState is the truth,
 * nothing is applied before a decision is read back, so no state is lost).
 *
 * Pods kube's default PodTopologySpread scores (owned replicas: inference, agent sessions) run on the k8s kernel's
 * spread pass with inputs packed here (kernels/spread.ts); where the engine refuses the pass (node tiles, more
 * than 256 zone values: `Engine.spreadRefusal`) or a profile scores them with another normalizing plugin, they
 * take the plugin path on the CPU from the same rotating start.
 */
import type { CycleResult, Explanation, SchedContext } from '../../sched/framework.ts';
import type { GpuBooking, Pod } from '../../model/pod.ts';
import type { ClusterState } from '../../model/cluster.ts';
import { formatUnschedulable } from '../../sched/reasons.ts';
import { isStatus, statusMessage } from '../../sched/status.ts';
import { cycleSteps, type CandidateEvaluator, type Placement } from '../../sched/cycle.ts';
import { numFeasibleNodesToFind, type FrameworkScheduler } from '../../sched/runner.ts';
import { chooseNode, chooseUniform } from './choose.ts';
import { K8sMigScheduler } from '../../sched/mig/k8sMig.ts';
import { CpuEngine } from '../cpu/cpuEngine.ts';
import { MAX_TOP_K, REASON_TEXT, type Decision, type Engine, type EvalWindow, type KernelSpec } from '../kernels/types.ts';
import { packSpreadInputs, zoneIdCount, zoneWordsOf, type SpreadInputs } from '../kernels/spread.ts';
import { POD_TOPOLOGY_SPREAD_WEIGHT } from '../../sched/plugins/podTopologySpread.ts';
import { TwinEvaluator, cycleOnEngine, cycleOnTwin, type WindowStep } from './twinFallback.ts';
import type { EngineStatus } from '../wiring/status.ts';

/**
 * Reasons of a decision as the runner records them (`reason → nodes`); `gpuText` words reason bit 8 (k8s-mig: the
 * pod's MIG resource).
 */
export function rejectedRecord(d: Decision, gpuText = REASON_TEXT[3]): Record<string, number> {
  const out: Record<string, number> = {};
  d.rejected.forEach((c, b) => {
    const text = b === 3 ? gpuText : REASON_TEXT[b];
    if (c > 0) out[text] = (out[text] ?? 0) + c;
  });
  return out;
}

/** The text of reason bit 8 for a pod under a host: its MIG resource under k8s-mig, else `nvidia.com/gpu`. */
function gpuReasonOf(host: FrameworkScheduler, pod: Pod): string {
  return host instanceof K8sMigScheduler ? host.mig.gpuReason(pod) : REASON_TEXT[3];
}

/** Runs a FrameworkScheduler's decisions through an engine. */
export class FrameworkEvaluator extends TwinEvaluator<Engine, CpuEngine> implements CandidateEvaluator<FrameworkScheduler> {
  private nextStartNodeIndex = 0;
  /** The zone words of the cluster last seen (node labels do not change during a run). */
  private zones: { cluster: ClusterState; words: Uint32Array; ids: number } | null = null;
  /** PodTopologySpread-scored attempts: on the engine's spread pass, and on the plugin path (with the last reason). */
  readonly spreadAttempts = { engine: 0, pluginPath: 0, reason: '' };

  constructor(readonly spec: KernelSpec, engine: Engine, status?: EngineStatus) {
    super(engine, new CpuEngine(), status);
  }

  /** Binds both engines to the cycle's cluster; each rescans node versions (the simulator changes nodes between cycles). */
  private attach(cluster: ClusterState): void {
    this.engine.attach(cluster, this.spec);
    if (this.engine !== this.cpu) this.cpu.attach(cluster, this.spec);
  }

  /** The cycle (sched/cycle.ts) with the engine's attempt; a bound node is marked dirty on both engines. */
  private steps(host: FrameworkScheduler, queue: readonly Pod[], ctx: SchedContext): Generator<WindowStep, CycleResult, Decision> {
    return cycleSteps(queue, ctx, host.config.queueSort, (pod, key) => this.attemptSteps(host, pod, ctx, key), (node) => {
      this.engine.markDirty(node);
      if (this.engine !== this.cpu) this.cpu.markDirty(node);
    });
  }

  /**
   * FrameworkScheduler.attempt on the engine: one request for the pod's window from the rotating start, the
   * start advanced by the nodes processed, the tie-break replayed from the record, the allocator on the chosen node.
   */
  private *attemptSteps(host: FrameworkScheduler, pod: Pod, ctx: SchedContext, key: string): Generator<WindowStep, Placement, Decision> {
    const cfg = host.config;
    const nodes = ctx.cluster.nodes;
    const n = nodes.length;
    if (n === 0) return { nodeIndex: -1, gpus: [], rejected: {} };
    const start = this.nextStartNodeIndex;
    let spread: SpreadInputs | undefined;
    if (this.spec.kind === 'k8s-fit' && host.normalizesFor(pod)) {
      // kube's default PodTopologySpread scores this pod (an owned replica): the k8s kernel's spread pass adds its
      // score, from inputs packed here; where it cannot, the pod takes the plugin path on the CPU from the same
      // rotating start (docs/engine.md)
      const why = this.spreadRefusal(host, pod, ctx.cluster);
      if (why) {
        this.spreadAttempts.pluginPath++;
        this.spreadAttempts.reason = why;
        host.nextStartNodeIndex = start;
        const a = host.attempt(pod, ctx, key);
        this.nextStartNodeIndex = host.nextStartNodeIndex;
        return { nodeIndex: a.nodeIndex, gpus: a.gpus, rejected: a.rejected, error: a.error };
      }
      this.spreadAttempts.engine++;
      spread = packSpreadInputs(ctx.cluster, pod, this.zonesOf(ctx.cluster).words)!;
    }
    const window = { start, want: numFeasibleNodesToFind(n, cfg.percentageOfNodesToScore) };
    const d = yield spread ? { pod, window, spread } : { pod, window };
    this.nextStartNodeIndex = (start + d.processed) % n;
    const rejected = rejectedRecord(d, gpuReasonOf(host, pod));
    const node = this.spec.kind === 'fgd-baseline' && this.spec.policy === 'random' ? chooseUniform(d, ctx.rng) : chooseNode(d, cfg.tieBreak, ctx.rng);
    if (node < 0) return { nodeIndex: -1, gpus: [], rejected };
    const alloc = cfg.allocator.allocate(pod, nodes[node], ctx);
    if (isStatus(alloc)) throw new Error(`engine chose node ${node} but the allocator refused: ${statusMessage(alloc)}`);
    return { nodeIndex: node, gpus: alloc, rejected };
  }

  /** The zone words of a cluster and their id count (cached: labels are fixed for a run). */
  private zonesOf(cluster: ClusterState): { words: Uint32Array; ids: number } {
    if (this.zones?.cluster !== cluster || this.zones.words.length !== cluster.nodes.length) {
      const words = zoneWordsOf(cluster);
      this.zones = { cluster, words, ids: zoneIdCount(words) };
    }
    return this.zones;
  }

  /**
   * Why a pod a normalizing plugin scores cannot run on the engine now, or null: the k8s kernel's spread pass
   * computes PodTopologySpread at the profile's default weight only, and the engine in use may refuse the pass.
   */
  private spreadRefusal(host: FrameworkScheduler, pod: Pod, cluster: ClusterState): string | null {
    const normalizing = host.scoresFor(pod).filter((s) => s.plugin.normalize);
    if (normalizing.length !== 1 || normalizing[0].plugin.name !== 'PodTopologySpread' || normalizing[0].weight !== POD_TOPOLOGY_SPREAD_WEIGHT) {
      return `the kernel's spread pass is PodTopologySpread at weight ${POD_TOPOLOGY_SPREAD_WEIGHT}; the profile normalizes ${normalizing.map((s) => `${s.plugin.name}×${s.weight}`).join(', ')}`;
    }
    return this.engine.spreadRefusal?.(this.spec, cluster.nodes.length, this.zonesOf(cluster).ids) ?? null;
  }

  /** One cycle on the CPU twin (synchronous, for the synchronous simulator loop). */
  cycle(host: FrameworkScheduler, queue: readonly Pod[], ctx: SchedContext): CycleResult {
    this.attach(ctx.cluster);
    return cycleOnTwin(this.steps(host, queue, ctx), this.cpu);
  }

  /** One cycle on the selected engine; if it fails, the rest of the run continues on the CPU twin. */
  cycleAsync(host: FrameworkScheduler, queue: readonly Pod[], ctx: SchedContext): Promise<CycleResult> {
    return cycleOnEngine(this.twin, this.cpu, () => this.attach(ctx.cluster), this.steps(host, queue, ctx));
  }

  /**
   * The "why here?" view: the same Explanation as the plugin path's (every node examined, ranking by total
   * descending then node index), its ranking from the engine's top-k reduction (the CPU twin: explain is
   * synchronous; `explainAsync` asks the selected engine). Per-plugin detail is computed for the k ranked nodes
   * only. topK above MAX_TOP_K, or a profile whose normalized plugin scores the kernel does not return: null (the
   * plugin path).
   */
  explain(host: FrameworkScheduler, pod: Pod, ctx: SchedContext, topK: number): Explanation | null {
    if (!this.explainsOnEngine(host, pod, topK)) return null;
    this.cpu.attach(ctx.cluster, this.spec);
    return this.explanationOf(host, pod, ctx, topK, this.cpu.evaluateSync([pod.request], [this.wholeWindow(ctx)], Math.max(1, topK))[0]);
  }

  /** `explain` with the ranking from the selected engine (the GPU's top-k); the CPU twin if the engine fails. */
  async explainAsync(host: FrameworkScheduler, pod: Pod, ctx: SchedContext, topK: number): Promise<Explanation | null> {
    if (!this.explainsOnEngine(host, pod, topK) || this.engine === this.cpu) return this.explain(host, pod, ctx, topK);
    let d: Decision;
    try {
      this.engine.attach(ctx.cluster, this.spec);
      d = (await this.engine.evaluate([pod.request], [this.wholeWindow(ctx)], Math.max(1, topK)))[0];
    } catch {
      return this.explain(host, pod, ctx, topK);
    }
    return this.explanationOf(host, pod, ctx, topK, d);
  }

  /** Explain's window: every node from node 0 (the plugin path's explain filters and scores all of them). */
  private wholeWindow(ctx: SchedContext): EvalWindow {
    return { start: 0, want: ctx.cluster.nodes.length };
  }

  /**
   * True when the engine's record determines the plugin path's explanation: k ≤ MAX_TOP_K, and every plugin with
   * a normalize step that scores the pod (PodTopologySpread skips pods no ReplicaSet owns) is the profile's only plugin with a kernel that returns its normalized score (bestfit) or
   * its tie set (random: the feasible set, the normalize draw replayed here).
   */
  private explainsOnEngine(host: FrameworkScheduler, pod: Pod, topK: number): boolean {
    if (!Number.isInteger(topK) || topK < 0 || topK > MAX_TOP_K) return false;
    const scores = host.scoresFor(pod);
    if (!scores.some((s) => s.plugin.normalize)) return true;
    return scores.length === 1 && this.spec.kind === 'fgd-baseline' && (this.spec.policy === 'bestfit' || this.spec.policy === 'random');
  }

  /** The Explanation from a whole-cluster decision with its top nodes (see `explain`). */
  private explanationOf(host: FrameworkScheduler, pod: Pod, ctx: SchedContext, topK: number, d: Decision): Explanation {
    const cfg = host.config;
    const nodes = ctx.cluster.nodes;
    const allocate = (id: number): GpuBooking[] => cfg.allocator.allocate(pod, nodes[id], ctx) as GpuBooking[];
    // ranked node ids with the normalized score of the profile's normalizing plugin (bestfit, random), if any
    let ranked: { id: number; norm: number }[];
    let bestGpus: GpuBooking[] | null = null;
    if (this.spec.kind === 'fgd-baseline' && this.spec.policy === 'random') {
      // The plugin path books every feasible node in id order (the random GPU draws), then RandomScore.normalize
      // draws the one node scoring 100: replayed from the exact feasible set (the tie set of all-zero totals).
      const feasible = d.maxTotal < 0 ? [] : d.tied;
      const bookings = feasible.map(allocate);
      const pick = feasible.length > 0 ? ctx.rng.int(feasible.length) : -1;
      const order = pick < 0 ? [] : [pick, ...feasible.keys()].filter((i, j) => j === 0 || i !== pick);
      ranked = order.slice(0, Math.max(1, topK)).map((i) => ({ id: feasible[i], norm: i === pick ? 100 : 0 }));
      if (pick >= 0) bestGpus = bookings[pick];
    } else {
      ranked = (d.top ?? []).map((t) => ({ id: t.node, norm: t.total }));
      if (ranked.length > 0 && !pod.binding) bestGpus = allocate(ranked[0].id);
    }
    const top = ranked.slice(0, topK).map(({ id, norm }) => {
      let total = 0;
      const plugins = host.scoresFor(pod).map(({ plugin, weight }) => {
        const raw = plugin.score(pod, nodes[id], ctx);
        const normalized = plugin.normalize ? norm : raw;
        total += weight * normalized;
        return { plugin: plugin.name, raw, normalized, weight };
      });
      return { node: nodes[id].name, total, plugins };
    });
    const rejected = rejectedRecord(d, gpuReasonOf(host, pod));
    const chosen = pod.binding ? nodes[pod.binding.nodeId] : ranked.length > 0 ? nodes[ranked[0].id] : null;
    return {
      pod: pod.name,
      node: chosen ? chosen.name : null,
      gpus: pod.binding ? pod.binding.gpus.map((g) => g.gpu) : (bestGpus ?? []).map((g) => g.gpu),
      message: d.feasible > 0 ? '' : formatUnschedulable(nodes.length, rejected),
      rejected,
      feasibleNodes: d.feasible,
      top,
    };
  }
}
