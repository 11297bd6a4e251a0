/**
 * The scheduling-cycle loop, written once for every one-pod-at-a-time scheduler: the framework runner
 * (FrameworkScheduler) and HAMi on kube-scheduler (HamiScheduler), on their plugin paths or through an injected
 * candidate evaluator (the seam below; engine/evaluator/ implements it). kube-scheduler's scheduleOne loop:
 * pods in queue-sort order, one attempt each against the state the earlier binds left; a pod that fits is bound
 * at once, one that does not records kube's FailedScheduling message. What differs between the schedulers is
 * only the attempt; an attempt may yield evaluation requests (an engine's batch of candidates) and is resumed
 * with their answers, so a driver can batch the requests of many schedulers (engine/lockstep/lockstep.ts).
 */
import type { GpuBooking, Pod } from '../model/pod.ts';
import type { CycleResult, Explanation, QueueSort, SchedContext } from './framework.ts';
import { formatStatus, formatUnschedulable } from './reasons.ts';
import type { Status } from './status.ts';

/** Pods with the same key are interchangeable for filtering (the failed-shape cache's and the runner's shape caches' key). */
export function shapeKey(pod: Pod): string {
  const r = pod.request;
  let key = `${r.cpuMilli}/${r.memMiB}/${r.gpuCount}/${r.gpuMilli}/${r.gpuMemMiB}/${r.gpuCores}/${r.gpuModels.join('|')}`;
  for (const k in pod.annotations) key += `;${k}=${pod.annotations[k]}`;
  // issue 17: the request-form pin and isolation wish change what a MIG profile asks for
  if (r.pin) key += `;pin=${r.pin.form}/${r.pin.migProfile ?? ''}`;
  if (r.isolation) key += ';isolation';
  return key;
}

/**
 * One pod's outcome: the node to bind (`nodeIndex` ≥ 0) with its GPU bookings, else the rejections (reason →
 * nodes), or the Error status that stopped the attempt (e.g. a score out of range).
 */
export interface Placement {
  nodeIndex: number;
  gpus: GpuBooking[];
  rejected: Record<string, number>;
  error?: Status;
}

/**
 * One pod's attempt against the current state (nothing bound): a generator that yields evaluation requests `S`,
 * is resumed with their answers `D`, and returns the placement. `key` is the pod's shapeKey.
 */
export type PodAttempt<S, D> = (pod: Pod, key: string) => Generator<S, Placement, D>;

/** An attempt that asks for nothing: wraps a synchronous attempt for `cycleSteps`. */
export function* syncAttempt(placement: Placement): Generator<never, Placement, unknown> {
  return placement;
}

/**
 * One scheduling cycle as a generator of the attempts' evaluation requests. Pods go in `queueSort` order; a pod
 * whose shape failed since the cluster last changed (ClusterState.version) fails again with the same message
 * without an attempt (filters are deterministic and a failing attempt draws nothing from the RNG, so no outcome
 * changes). A placed pod is bound (`onBound(nodeIndex)` after the bind: engines mark the node dirty), its
 * `boundS` set and `lastReason` cleared; an unplaced one gets kube's message and one more attempt counted.
 */
export function* cycleSteps<S, D>(
  queue: readonly Pod[],
  ctx: SchedContext,
  queueSort: QueueSort,
  attempt: PodAttempt<S, D>,
  onBound?: (nodeIndex: number) => void,
): Generator<S, CycleResult, D> {
  const cluster = ctx.cluster;
  // One pod (the openb replay's every cycle) needs no sorted copy.
  const sorted = queue.length === 1 ? queue : [...queue].sort(queueSort);
  const bound: Pod[] = [];
  const failed: Pod[] = [];
  // Made at the first failure: most cycles bind everything.
  let failedShapes: Map<string, { version: number; reason: string }> | null = null;
  for (const pod of sorted) {
    const key = shapeKey(pod);
    const cached = failedShapes?.get(key);
    if (cached && cached.version === cluster.version) {
      pod.lastReason = cached.reason;
      pod.attempts++;
      failed.push(pod);
      continue;
    }
    const p = yield* attempt(pod, key);
    if (p.nodeIndex < 0) {
      pod.lastReason = p.error ? formatStatus(p.error) : formatUnschedulable(cluster.nodes.length, p.rejected);
      pod.attempts++;
      failed.push(pod);
      (failedShapes ??= new Map()).set(key, { version: cluster.version, reason: pod.lastReason });
      continue;
    }
    cluster.bind(pod, { nodeId: p.nodeIndex, gpus: p.gpus });
    onBound?.(p.nodeIndex);
    pod.boundS = ctx.nowS;
    pod.lastReason = '';
    bound.push(pod);
  }
  return { bound, failed, evicted: [] };
}

/** Runs a cycle whose attempts ask for nothing (the plugin paths) to its result. */
export function runCycle(queue: readonly Pod[], ctx: SchedContext, queueSort: QueueSort, attempt: (pod: Pod, key: string) => Placement): CycleResult {
  const it = cycleSteps<never, unknown>(queue, ctx, queueSort, (pod, key) => syncAttempt(attempt(pod, key)));
  const r = it.next();
  if (!r.done) throw new Error('a synchronous cycle yielded an evaluation request');
  return r.value;
}

/**
 * The candidate-evaluator seam every scheduler owns (FrameworkScheduler, HamiScheduler, VolcanoScheduler). The
 * scheduler keeps its queue, session and bookkeeping; an injected evaluator answers its candidate evaluations (an
 * engine: a profile's kernel on WebGPU or its CPU twin, src/engine/evaluator/). Without one a scheduler runs its
 * plugin path, synchronously. `H` is the scheduler the evaluator serves (it reads the scheduler's config and calls
 * its attempt, allocator or session).
 */
export interface CandidateEvaluator<H> {
  /** One cycle on the CPU twin (synchronous: the synchronous simulator loop). */
  cycle(host: H, queue: readonly Pod[], ctx: SchedContext): CycleResult;
  /** One cycle on the engine in use (a GPU readback is async); on a failure the run goes on on the twin. */
  cycleAsync(host: H, queue: readonly Pod[], ctx: SchedContext): Promise<CycleResult>;
  /** The "why here?" view from the engine's results, or null where the plugin path explains (the scheduler's own). */
  explain(host: H, pod: Pod, ctx: SchedContext, topK: number): Explanation | null;
  /** `explain` on the engine in use (one submit on the GPU), or null for the plugin path. */
  explainAsync(host: H, pod: Pod, ctx: SchedContext, topK: number): Promise<Explanation | null>;
}

/** A scheduler with the evaluator seam: the slot, the async entry points an evaluator adds, the plugin path's explanation. */
export interface EvaluatorHost<H> {
  evaluator: CandidateEvaluator<H> | null;
  /** Present only with an evaluator (the simulator awaits it at each cycle event when present). */
  cycleAsync?: (queue: readonly Pod[], ctx: SchedContext) => Promise<CycleResult>;
  /** Present only with an evaluator. */
  explainAsync?: (pod: Pod, ctx: SchedContext, topK?: number) => Promise<Explanation>;
  /** The plugin path's explanation. */
  explainOnPlugins(pod: Pod, ctx: SchedContext, topK: number): Explanation;
}

/**
 * Injects a candidate evaluator into a scheduler: its `cycle` and `explain` go through `ev`, and it gains
 * `cycleAsync` and `explainAsync` (the engine in use). Returns the same scheduler.
 */
export function useEvaluator<H extends EvaluatorHost<H>>(host: H, ev: CandidateEvaluator<H>): H {
  host.evaluator = ev;
  host.cycleAsync = (queue, ctx) => ev.cycleAsync(host, queue, ctx);
  host.explainAsync = async (pod, ctx, topK = 5) => (await ev.explainAsync(host, pod, ctx, topK)) ?? host.explainOnPlugins(pod, ctx, topK);
  return host;
}

/** A scheduler's explanation through its evaluator, else (none, or it declines) the plugin path's. */
export function explainThrough<H extends EvaluatorHost<H>>(host: H, pod: Pod, ctx: SchedContext, topK: number): Explanation {
  return host.evaluator?.explain(host, pod, ctx, topK) ?? host.explainOnPlugins(pod, ctx, topK);
}
