/**
 * The scheduling-cycle loop, written once for every one-pod-at-a-time scheduler: the framework runner
 * (FrameworkScheduler), HAMi on kube-scheduler (HamiScheduler) and the engine schedulers that run those decisions
 * on an engine (engine/evaluator/engineScheduler.ts, engine/evaluator/hamiEngineScheduler.ts). kube-scheduler's scheduleOne loop:
 * pods in queue-sort order, one attempt each against the state the earlier binds left; a pod that fits is bound
 * at once, one that does not records kube's FailedScheduling message. What differs between the schedulers is
 * only the attempt; an attempt may yield evaluation requests (an engine's batch of candidates) and is resumed
 * with their answers, so a driver can batch the requests of many schedulers (engine/lockstep/lockstep.ts).
 */
import type { GpuBooking, Pod } from '../model/pod.ts';
import type { CycleResult, QueueSort, SchedContext } from './framework.ts';
import { formatUnschedulable } from './reasons.ts';

/** Pods with the same key are interchangeable for filtering (the failed-shape cache's and the runner's shape caches' key). */
export function shapeKey(pod: Pod): string {
  const r = pod.request;
  let key = `${r.cpuMilli}/${r.memMiB}/${r.gpuCount}/${r.gpuMilli}/${r.gpuMemMiB}/${r.gpuCores}/${r.gpuModels.join('|')}`;
  for (const k in pod.annotations) key += `;${k}=${pod.annotations[k]}`;
  return key;
}

/** One pod's outcome: the node to bind (`nodeIndex` ≥ 0) with its GPU bookings, else the rejections (reason → nodes). */
export interface Placement {
  nodeIndex: number;
  gpus: GpuBooking[];
  rejected: Record<string, number>;
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
  const sorted = [...queue].sort(queueSort);
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
      pod.lastReason = formatUnschedulable(cluster.nodes.length, p.rejected);
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
