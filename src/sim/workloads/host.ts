/**
 * What a workload process sees of the simulation (src/sim/simulation.ts): the clock, the event queue, the trace
 * hash, each pod's runtime state, the contention model and the recorder, and the pod lifecycle (create, release,
 * delete). Each workload kind is one process in this folder that owns its events, its state and its hooks.
 */
import type { TraceHasher } from '../../core/hash.ts';
import type { Rng } from '../../core/rng.ts';
import type { ClusterState } from '../../model/cluster.ts';
import type { GpuBooking, Pod, PodRequest } from '../../model/pod.ts';
import type { RestoredScenario } from '../../scenario/restore.ts';
import type { Contention } from '../contention.ts';
import type { Recorder } from '../recorder.ts';
import type { RunSetup } from '../setup.ts';
import type { AgentEvent } from './agents.ts';
import type { BatchEvent } from './batch.ts';
import type { InferenceEvent } from './inference.ts';
import type { RayEvent } from './ray.ts';
import type { TrainingEvent } from './training.ts';

/** Event priorities: events at equal times run in this order (lower first), then in the order they were queued. */
export const Prio = {
  Release: 0,
  Ready: 1,
  Arrive: 2,
  Burst: 3,
  Autoscale: 4,
  Cycle: 8,
  Metrics: 9,
} as const;

/** The simulation's own events (the pod lifecycle, the scheduling cycle, metric samples). */
export type CoreEvent =
  | { k: 'arrive'; pod: Pod }
  | { k: 'requeue'; pod: Pod }
  | { k: 'ready'; pod: Pod; token: number }
  | { k: 'cycle' }
  | { k: 'metrics' };

/** Every event of a run: the simulation's and each workload process's. */
export type SimEvent = CoreEvent | BatchEvent | TrainingEvent | InferenceEvent | AgentEvent | RayEvent;

/** The simulator's runtime state of one pod (beside the Pod the scheduler sees). */
export interface PodRt {
  /** Bumped when the pod is bound/unbound, to drop stale finish/ready events. */
  token: number;
  /** When the pod (re-)entered the queue. */
  queuedS: number;
  ready: boolean;
  /** Compute the pod would like, percent of one GPU (per GPU). */
  demandPct: number;
  /** Compute available to it under current contention, percent of one GPU (min over its GPUs). */
  availPct: number;
  restarts: number;
  /** Speed of the pod's first GPU relative to the reference card (set at bind). */
  speed: number;
  /** Agent index for agent pods, job index for training pods, service index for inference pods, cluster index for Ray pods. */
  owner: number;
  /**
   * A ready inference replica alone on its cards: its used compute (min(demand, 100) per card) is kept in its
   * service's `aloneUsed` rather than in the per-GPU rows, so the autoscaler updates it without touching cards.
   */
  alone: boolean;
  /** The bookings and node of the pod's last binding (read after unbind, when the binding is gone). */
  lastGpus: GpuBooking[] | null;
  lastNode: number;
}

/** The simulation as its workload processes and its contention model use it. */
export interface SimHost {
  readonly nowS: number;
  readonly durationS: number;
  readonly scenario: RestoredScenario;
  readonly cluster: ClusterState;
  readonly setup: RunSetup;
  readonly hash: TraceHasher;
  /** Every pod of the run, by uid, and its runtime state. */
  readonly pods: readonly Pod[];
  readonly rt: readonly PodRt[];
  readonly contention: Contention;
  readonly recorder: Recorder;
  /** Tests: recompute cached state at each use and throw if it differs (SimOptions.checkCaches). */
  readonly checkCaches: boolean;
  /** Queues an event. */
  at(tS: number, prio: number, ev: SimEvent): void;
  /** Creates a pod at the current time for a workload's controller, tracks it and queues it. */
  spawn(name: string, kind: Pod['kind'], workload: number, request: PodRequest, owner: number, gang?: { id: number; min: number }): Pod;
  /** The request of the pods a controller creates for a workload (one shared object). */
  requestOf(workload: number): PodRequest;
  /** Unbinds a pod and ends its life. */
  release(pod: Pod, phase: 'succeeded' | 'deleted' | 'failed'): void;
  /** Removes a pod for good (scale-down, agent idle), wherever it is. */
  deletePod(pod: Pod): void;
  /** Unbinds a pod the contention model killed and queues it again at `retryS` (CrashLoopBackOff). */
  kill(pod: Pod, reason: string, retryS: number): void;
  /** A pod's phase, readiness, speed or available compute changed (the inference autoscaler rescans). */
  touched(pod: Pod): void;
}

/** A workload kind's hooks into the pod lifecycle (the simulation calls them for the pods of that kind). */
export interface WorkloadProcess {
  /** Takes a pod its workload planned (plannedPods, arriving at atS) into the process's state; returns its owner index. */
  adopt(pod: Pod, atS: number): number;
  /** The pod was bound at tS (its token bumped, its bookings counted); set readiness and queue what follows. */
  onBound(pod: Pod, rt: PodRt, tS: number): void;
  /** The pod became ready (its ready event ran). */
  onReady(pod: Pod, rt: PodRt): void;
  /** The pod lost its binding (released, evicted or OOM-killed); called before its runtime state is reset. */
  onUnbound(pod: Pod, rt: PodRt): void;
}

/**
 * Queues `ev` (at Burst priority) at the next arrival of a Poisson stream of `perHour` after `fromS` (whole
 * seconds, ≥ 1 s later), unless the rate is 0 or the arrival falls after the run's end.
 */
export function queuePoissonArrival(host: SimHost, rng: Rng, perHour: number, fromS: number, ev: SimEvent): void {
  if (perHour <= 0) return;
  const t = fromS + Math.max(1, Math.round(rng.exp(perHour / 3600)));
  if (t <= host.durationS) host.at(t, Prio.Burst, ev);
}
