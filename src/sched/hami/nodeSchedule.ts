/**
 * HAMi v2.10.0 per-node scheduling of a whole pod (pkg/scheduler/score.go fitInDevices / scoreNode) and the
 * extender's choice of one node by the node policy (pkg/scheduler/scheduler.go Filter).
 */
import type { Rng } from '../../core/rng.ts';
import { unschedulable, type Status } from '../status.ts';
import { gpuFit, HAMI_PLUGIN } from './fit.ts';
import { gpuLess, insertionSort } from './order.ts';
import { gpuScore, nodeScore, type RequestTerms } from './score.ts';
import type { PairScores } from './topology.ts';
import { DEFAULT_SCORING_WEIGHTS, NVIDIA_DEVICE, Reason, type HamiAllocation, type HamiGpu, type HamiPodOptions, type HamiRequest, type ScoringWeights } from './types.ts';

/** One card of the node's list with its current score. */
export interface ScoredGpu {
  gpu: HamiGpu;
  score: number;
}

/** How a node's cards are ordered and filtered for one pod. */
export interface NodeFitOptions {
  /** Policy of the GPU list sort (the pod's `hami.io/gpu-scheduler-policy` or the flag). */
  listPolicy: string;
  /** numa-bind as the sort sees it. */
  numaBindSort: boolean;
  pod: HamiPodOptions;
  weights: ScoringWeights;
  terms: RequestTerms;
  pairScores?: PairScores;
}

/** Default node-fit options for a policy (default weights, request terms by type). */
export function nodeFitOptions(pod: HamiPodOptions, overrides: Partial<NodeFitOptions> = {}): NodeFitOptions {
  return { listPolicy: pod.gpuPolicy, numaBindSort: pod.numaBind, pod, weights: DEFAULT_SCORING_WEIGHTS, terms: 'byType', ...overrides };
}

/**
 * A container's fit: its allocations, or HAMi's Status (what the scheduler counts) with HAMi's own message
 * (`reason`, the per-card text HAMi logs and the conformance vectors compare).
 */
export type ContainerFit = { fits: true; allocations: HamiAllocation[] } | { fits: false; reason: string; status: Status };

/** A ContainerFit failure with one reason word, worded as HAMi words it. */
function unfit(reason: string): { fits: false; reason: string; status: Status } {
  return { fits: false, reason, status: unschedulable(HAMI_PLUGIN, reason) };
}

/** A working copy of a node's cards (HAMi DeepCopy of the node usage). */
export function scoredCopy(gpus: readonly HamiGpu[]): ScoredGpu[] {
  return gpus.map((g) => ({ gpu: { ...g }, score: 0 }));
}

/** Sorts a card list ascending by the GPU policy's Less (stable). */
export function sortGpuList(list: ScoredGpu[], policy: string, numaBind: boolean): ScoredGpu[] {
  return insertionSort(list, (a, b) =>
    gpuLess({ score: a.score, numa: a.gpu.numa, usedSlots: a.gpu.usedSlots, index: a.gpu.index }, { score: b.score, numa: b.gpu.numa, usedSlots: b.gpu.usedSlots, index: b.gpu.index }, policy, numaBind),
  );
}

/**
 * fitInDevices: scores every card with the container's requests once, then per request sorts the list (in place,
 * so the next container starts from this order), checks the type and the card count, runs Fit and books the
 * usage on the working copy. Scores are not recomputed between the cards of one request.
 */
export function fitContainer(list: ScoredGpu[], requests: readonly HamiRequest[], o: NodeFitOptions): ContainerFit {
  for (const e of list) e.score = gpuScore(e.gpu, requests, o.weights, o.terms);
  const allocations: HamiAllocation[] = [];
  for (const req of requests) {
    sortGpuList(list, o.listPolicy, o.numaBindSort);
    if (req.gpuType !== NVIDIA_DEVICE) return unfit(Reason.DeviceTypeNotFound);
    const want = req.gpuType.toLowerCase();
    const typeDevices = list.filter((e) => e.gpu.type.toLowerCase().includes(want)).map((e) => e.gpu);
    // isMIGRequest: the count pre-check is skipped when a card is in MIG mode and the pod's vgpu-mode, if set, has `mig`.
    const migRequest = typeDevices.some((g) => g.mode === 'mig') && (o.pod.vgpuMode === null || o.pod.vgpuMode.includes('mig'));
    if (req.gpuCount > typeDevices.length && !migRequest) return unfit(Reason.NodeInsufficientDevice);
    const r = gpuFit(typeDevices, req, o.pod, o.pairScores);
    if (r.status !== null) return { fits: false, reason: r.message, status: r.status };
    for (const a of r.allocated) {
      const g = typeDevices.find((d) => d.id === a.id)!;
      g.usedSlots += 1;
      g.usedCores += a.cores;
      g.usedMemMiB += a.memMiB;
      // AddResourceUsage on a MIG card books the profile's core and memory and occupies its placement.
      if (a.mig && g.mig) {
        g.usedCores += a.mig.profile.cores - a.cores;
        g.usedMemMiB += a.mig.profile.memMiB - a.memMiB;
        g.mig = { profiles: g.mig.profiles, occupied: [...g.mig.occupied, a.mig.placement] };
      }
      allocations.push(a);
    }
  }
  return { fits: true, allocations };
}

/** A pod's containers, each a list of requests (null or empty = no GPU). */
export interface HamiPodSpec {
  initContainers: readonly (readonly HamiRequest[] | null)[];
  containers: readonly (readonly HamiRequest[] | null)[];
}

export type NodeSchedule =
  | { fits: true; score: number; allocations: HamiAllocation[][] }
  | { fits: false; reason: string; status: Status };

/**
 * scoreNode: init containers are fitted one by one, each on a fresh copy of the node's usage; app containers in
 * order on one shared copy. The node score is taken on the usage BEFORE the pod (HAMi's design doc says after;
 * the code wins). Allocations: init containers first, then app containers, `[]` where no GPU is asked.
 */
export function scheduleOnNode(gpus: readonly HamiGpu[], pod: HamiPodSpec, o: NodeFitOptions): NodeSchedule {
  const allocations: HamiAllocation[][] = [];
  for (const reqs of pod.initContainers) {
    if (!reqs || reqs.length === 0) {
      allocations.push([]);
      continue;
    }
    const r = fitContainer(scoredCopy(gpus), reqs, o);
    if (!r.fits) return r;
    allocations.push(r.allocations);
  }
  const score = nodeScore(gpus);
  const list = scoredCopy(gpus);
  for (const reqs of pod.containers) {
    if (!reqs || reqs.every((q) => q.gpuCount === 0)) {
      allocations.push([]);
      continue;
    }
    const r = fitContainer(list, reqs, o);
    if (!r.fits) return r;
    allocations.push(r.allocations);
  }
  return { fits: true, score, allocations };
}

/**
 * The extender keeps one node: sorted ascending by the node policy's Less, the last wins (binpack: highest score,
 * exactly `spread`: lowest). HAMi leaves ties to Go's unordered map iteration; we draw uniformly among the tied
 * best from the seeded RNG (no draw without a tie), or take the first when no RNG is given.
 */
export function pickNode(scores: readonly number[], nodePolicy: string, rng?: Rng): number {
  if (scores.length === 0) return -1;
  const spread = nodePolicy === 'spread';
  let best = scores[0];
  for (const s of scores) if (spread ? s < best : s > best) best = s;
  const tied: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] === best) tied.push(i);
  return tied.length === 1 || !rng ? tied[0] : tied[rng.int(tied.length)];
}
