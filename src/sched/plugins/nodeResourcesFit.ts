/**
 * kube-scheduler NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources, model v1.34): the filter
 * (cpu, memory, pods, `nvidia.com/gpu` as an integer extended resource) and the scoring strategies, in integer
 * math exactly as fit.go / least_allocated.go / most_allocated.go / requested_to_capacity_ratio.go compute them.
 */
import type { NodeState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import { DEFAULT_CPU_MILLI_REQUEST, DEFAULT_MEM_MIB_REQUEST } from '../../model/units.ts';
import type { FilterPlugin, ScorePlugin } from '../framework.ts';
import { errorStatus, MAX_NODE_SCORE, unschedulable, type Status } from '../status.ts';

export { MAX_NODE_SCORE };

/** One resource's numbers for scoring. */
export interface ResourceUse {
  /** Requested on the node including the incoming pod. */
  requested: number;
  allocatable: number;
  weight: number;
}

/**
 * LeastAllocated: per resource s = (alloc − req)·100/alloc (integer division), 0 when req > alloc;
 * node = Σ w·s / Σ w (integer division) over resources with alloc > 0.
 */
export function leastAllocatedScore(resources: readonly ResourceUse[]): number {
  let sum = 0;
  let weights = 0;
  for (const r of resources) {
    if (r.allocatable === 0) continue;
    const s = r.requested > r.allocatable ? 0 : Math.trunc(((r.allocatable - r.requested) * MAX_NODE_SCORE) / r.allocatable);
    sum += s * r.weight;
    weights += r.weight;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

/** MostAllocated: per resource s = min(req, alloc)·100/alloc (integer division); node as LeastAllocated. */
export function mostAllocatedScore(resources: readonly ResourceUse[]): number {
  let sum = 0;
  let weights = 0;
  for (const r of resources) {
    if (r.allocatable === 0) continue;
    const s = Math.trunc((Math.min(r.requested, r.allocatable) * MAX_NODE_SCORE) / r.allocatable);
    sum += s * r.weight;
    weights += r.weight;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

/** A point of the RequestedToCapacityRatio shape: utilization 0..100 → score 0..10 (scaled ×10 inside). */
export interface ShapePoint {
  utilization: number;
  score: number;
}

/** kube's helper.BuildBrokenLinearFunction on integer points (the shape's scores already scaled). */
export function brokenLinear(points: readonly ShapePoint[], p: number): number {
  for (let i = 0; i < points.length; i++) {
    if (p <= points[i].utilization) {
      if (i === 0) return points[0].score;
      const a = points[i - 1];
      const b = points[i];
      return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
    }
  }
  return points[points.length - 1].score;
}

/**
 * RequestedToCapacityRatio: shape scores ×10; per resource utilization = req·100/alloc (100 when req > alloc),
 * interpolated; resources scoring 0 leave the weight sum; node = round-half-away(Σ w·s / Σ w).
 */
export function requestedToCapacityRatioScore(resources: readonly ResourceUse[], shape: readonly ShapePoint[]): number {
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * 10 }));
  let sum = 0;
  let weights = 0;
  for (const r of resources) {
    if (r.allocatable === 0) continue;
    const util = r.requested > r.allocatable ? 100 : Math.trunc((r.requested * 100) / r.allocatable);
    const s = brokenLinear(scaled, util);
    if (s > 0) {
      sum += s * r.weight;
      weights += r.weight;
    }
  }
  return weights === 0 ? 0 : Math.round(sum / weights);
}

export type FitStrategy = 'LeastAllocated' | 'MostAllocated';

export interface FitScoreOptions {
  strategy: FitStrategy;
  /** Resource weights; `nvidia.com/gpu` is scored only when listed here and requested by the pod. */
  resources: { name: 'cpu' | 'memory' | 'nvidia.com/gpu'; weight: number }[];
  /** How many `nvidia.com/gpu` a node advertises per physical GPU (time-slicing replicas; 1 otherwise). */
  gpuReplicas?: number;
}

/** `nvidia.com/gpu` a pod requests: whole GPUs, a fractional need rounds up to one per GPU. */
export function gpuResourceRequest(pod: Pod): number {
  return pod.request.gpuCount;
}

/** `nvidia.com/gpu` requested on a node by the pods bound there (slots taken). */
export function gpuResourceUsed(node: NodeState): number {
  return node.usedGpuSlots;
}

/** The filter's reasons in kube's order (fit.go fitsRequest: pods, cpu, memory, then extended resources). */
const FIT_REASONS = ['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient nvidia.com/gpu'] as const;

/**
 * One shared frozen Status per set of reasons (bit i = FIT_REASONS[i]): a Status is never mutated, and the FGD
 * replays reject ~10⁵ (pod, node) pairs each, so a Status and an array per rejection was most of their garbage.
 */
const FIT_STATUSES: readonly Status[] = Array.from({ length: 1 << FIT_REASONS.length }, (_, mask) =>
  Object.freeze(unschedulable('NodeResourcesFit', ...FIT_REASONS.filter((_r, i) => (mask & (1 << i)) !== 0))),
);

/** The NodeResourcesFit filter: Unschedulable with the reasons as kube words them (`Insufficient cpu`, `Too many pods`...). */
export function nodeResourcesFitFilter(gpuReplicas = 1): FilterPlugin {
  const statuses = FIT_STATUSES;
  return {
    name: 'NodeResourcesFit',
    filter(pod, node) {
      const r = pod.request;
      let mask = 0;
      if (node.podCount + 1 > node.maxPods) mask |= 1;
      if (r.cpuMilli > 0 && node.usedCpuMilli + r.cpuMilli > node.cpuMilli) mask |= 2;
      if (r.memMiB > 0 && node.usedMemMiB + r.memMiB > node.memMiB) mask |= 4;
      const gpus = r.gpuCount; // gpuResourceRequest, inlined on this hot path
      if (gpus > 0 && node.usedGpuSlots + gpus > node.gpus.length * gpuReplicas) mask |= 8;
      return mask === 0 ? null : statuses[mask];
    },
  };
}

/** The NodeResourcesFit score plugin with the configured strategy (non-zero request accounting for cpu/memory). */
export function nodeResourcesFitScore(options: FitScoreOptions): ScorePlugin {
  const least = options.strategy === 'LeastAllocated';
  const replicas = options.gpuReplicas ?? 1;
  // 0 = cpu, 1 = memory, 2 = nvidia.com/gpu; weights alongside. The hot path allocates nothing: it is the same
  // arithmetic as leastAllocatedScore / mostAllocatedScore over the uses resourceUseFor would build.
  const kinds = options.resources.map((r) => (r.name === 'cpu' ? 0 : r.name === 'memory' ? 1 : 2));
  const weights = options.resources.map((r) => r.weight);
  return {
    name: 'NodeResourcesFit',
    score(pod, node) {
      const r = pod.request;
      let sum = 0;
      let wsum = 0;
      for (let i = 0; i < kinds.length; i++) {
        let requested: number;
        let allocatable: number;
        if (kinds[i] === 0) {
          requested = node.nonZeroCpuMilli + (r.cpuMilli || DEFAULT_CPU_MILLI_REQUEST);
          allocatable = node.cpuMilli;
        } else if (kinds[i] === 1) {
          requested = node.nonZeroMemMiB + (r.memMiB || DEFAULT_MEM_MIB_REQUEST);
          allocatable = node.memMiB;
        } else {
          const want = gpuResourceRequest(pod);
          if (want === 0) continue; // an extended resource the pod does not request is skipped
          requested = node.usedGpuSlots + want;
          allocatable = node.gpus.length * replicas;
        }
        if (allocatable === 0) continue;
        const s = least
          ? requested > allocatable ? 0 : Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable)
          : Math.trunc((Math.min(requested, allocatable) * MAX_NODE_SCORE) / allocatable);
        sum += s * weights[i];
        wsum += weights[i];
      }
      return wsum === 0 ? 0 : Math.trunc(sum / wsum);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The same plugin over arbitrary named resources (kube's v1.ResourceList), as the conformance vectors and any
// imported cluster describe them. The rules live here once; NodeState scoring above goes through resourceUseFor.

/** Named quantities: `cpu` in milli-CPU, `memory` in one unit the caller picks, extended resources as counts. */
export type ResourceList = Readonly<Record<string, number>>;

/** A resource the scoring strategy looks at, with its weight (kube config.ResourceSpec). */
export interface ResourceWeight {
  name: string;
  weight: number;
}

/** kube's resources that are not "scalar" (extended, hugepages...): scored even when the pod does not ask. */
const NATIVE_SCORED = new Set(['cpu', 'memory', 'ephemeral-storage']);

/**
 * The (requested, allocatable) pair one resource contributes to a node score, or null when kube leaves it out
 * (resource_allocation.go calculateResourceAllocatableRequest + score, v1.34): an extended resource the pod
 * does not request, or a resource the node has none of. `nodeRequested` is what pods on the node already
 * request (non-zero accounting for cpu/memory where the caller wants it).
 */
export function resourceUseFor(name: string, weight: number, nodeRequested: number, podRequest: number, allocatable: number): ResourceUse | null {
  if (podRequest === 0 && !NATIVE_SCORED.has(name)) return null;
  if (allocatable === 0) return null;
  return { requested: nodeRequested + podRequest, allocatable, weight };
}

/**
 * Requests of one pod: its app containers, its sidecars (restartable init containers) and its regular init
 * containers, each a ResourceList. The sidecars are taken to start before the regular init containers (kube
 * orders them as listed in `initContainers`; our vocabulary lists the two kinds apart).
 */
export interface PodRequests {
  containers: readonly ResourceList[];
  sidecars?: readonly ResourceList[];
  initContainers?: readonly ResourceList[];
}

/**
 * kube's non-zero defaults for a container that sets no cpu / memory request (pkg/scheduler/util
 * DefaultMilliCPURequest, DefaultMemoryRequest), expressed in the memory unit of the ResourceLists at hand.
 */
export interface NonZeroDefaults {
  cpu: number;
  memory: number;
}

/** NonZeroDefaults for ResourceLists whose memory is in bytes (200 MiB = 209715200). */
export const NON_ZERO_DEFAULTS_BYTES: NonZeroDefaults = { cpu: DEFAULT_CPU_MILLI_REQUEST, memory: DEFAULT_MEM_MIB_REQUEST * 1024 * 1024 };

/**
 * A pod's effective request per resource (k8s.io/component-helpers resource/helpers.go PodRequests →
 * AggregateContainerRequests, v1.34): max(Σ containers + Σ sidecars, max over init containers of (its request +
 * the sidecars started before it), max over sidecars of the sidecars so far). With `nonZero`, a container (app,
 * sidecar or init) with no `cpu` / `memory` key counts the default (applyNonMissing); an explicit 0 stays 0; a
 * pod with no containers requests nothing.
 */
export function podResourceRequest(pod: PodRequests, nonZero: NonZeroDefaults | null): Record<string, number> {
  const withDefaults = (c: ResourceList): Record<string, number> => {
    const out: Record<string, number> = { ...c };
    if (nonZero) {
      if (!('cpu' in c)) out.cpu = nonZero.cpu;
      if (!('memory' in c)) out.memory = nonZero.memory;
    }
    return out;
  };
  const addInto = (into: Record<string, number>, c: Record<string, number>): void => {
    for (const [k, v] of Object.entries(c)) into[k] = (into[k] ?? 0) + v;
  };
  const maxInto = (into: Record<string, number>, c: Record<string, number>): void => {
    for (const [k, v] of Object.entries(c)) if (!(k in into) || v > into[k]) into[k] = v;
  };
  const total: Record<string, number> = {};
  for (const c of pod.containers) addInto(total, withDefaults(c));
  // Sidecars run for the pod's whole life (added to the total); each init container runs beside the sidecars
  // already started, and the largest such moment per resource is the init-phase request.
  const sidecarsSoFar: Record<string, number> = {};
  const initPhase: Record<string, number> = {};
  for (const c of pod.sidecars ?? []) {
    const r = withDefaults(c);
    addInto(total, r);
    addInto(sidecarsSoFar, r);
    maxInto(initPhase, sidecarsSoFar);
  }
  for (const c of pod.initContainers ?? []) {
    const moment = withDefaults(c);
    addInto(moment, sidecarsSoFar);
    maxInto(initPhase, moment);
  }
  maxInto(total, initPhase);
  return total;
}

/** What the pods on a node request in total (NodeInfo.Requested, or NonZeroRequested with `nonZero`). */
export function nodeRequestedOf(pods: readonly PodRequests[], nonZero: NonZeroDefaults | null): Record<string, number> {
  const total: Record<string, number> = {};
  for (const p of pods) for (const [k, v] of Object.entries(podResourceRequest(p, nonZero))) total[k] = (total[k] ?? 0) + v;
  return total;
}

/** The per-resource uses a node is scored on, from named quantities (null entries dropped). */
export function resourceUsesOf(resources: readonly ResourceWeight[], nodeRequested: ResourceList, podRequest: ResourceList, allocatable: ResourceList): ResourceUse[] {
  const out: ResourceUse[] = [];
  for (const r of resources) {
    const u = resourceUseFor(r.name, r.weight, nodeRequested[r.name] ?? 0, podRequest[r.name] ?? 0, allocatable[r.name] ?? 0);
    if (u !== null) out.push(u);
  }
  return out;
}

/** kube's NodeResourcesFit scoring strategies (config.ScoringStrategyType). */
export type ScoringStrategyType = FitStrategy | 'RequestedToCapacityRatio';

/** NodeResourcesFitArgs.scoringStrategy. */
export interface ScoringStrategy {
  type: ScoringStrategyType;
  resources: readonly ResourceWeight[];
  /** RequestedToCapacityRatio shape (utilization 0..100 increasing, score 0..10). */
  shape?: readonly ShapePoint[];
}

/** A configuration error the way k8s field validation reports it (apimachinery field.Error). */
export interface FieldError {
  field: string;
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueDuplicate';
  detail: string;
}

/** Largest score of an RTCR shape point (config.MaxCustomPriorityScore). */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;

/**
 * Validates a scoring strategy as kube does before building the plugin (apis/config/validation
 * validation_pluginargs.go ValidateNodeResourcesFitArgs, v1.34): weights in (0, 100]; RTCR needs a shape
 * with increasing utilization in [0, 100] and scores in [0, 10]. Empty when valid.
 */
export function validateScoringStrategy(s: ScoringStrategy): FieldError[] {
  const errors: FieldError[] = [];
  const base = 'scoringStrategy';
  if (s.type !== 'LeastAllocated' && s.type !== 'MostAllocated' && s.type !== 'RequestedToCapacityRatio') {
    errors.push({ field: `${base}.type`, type: 'FieldValueNotSupported', detail: `unsupported scoring strategy ${String(s.type)}` });
  }
  s.resources.forEach((r, i) => {
    if (!(r.weight > 0 && r.weight <= MAX_NODE_SCORE)) {
      errors.push({ field: `${base}.resources[${i}].weight`, type: 'FieldValueInvalid', detail: `resource weight of ${r.name} not in valid range (0, 100]` });
    }
  });
  if (s.type === 'RequestedToCapacityRatio') {
    const path = `${base}.requestedToCapacityRatio.shape`;
    const shape = s.shape ?? [];
    if (shape.length === 0) errors.push({ field: path, type: 'FieldValueRequired', detail: 'at least one point must be specified' });
    for (let i = 1; i < shape.length; i++) {
      if (shape[i - 1].utilization >= shape[i].utilization) {
        errors.push({ field: `${path}[${i}].utilization`, type: 'FieldValueInvalid', detail: 'values must be sorted in increasing order' });
        break;
      }
    }
    shape.forEach((p, i) => {
      if (p.utilization < 0 || p.utilization > 100) errors.push({ field: `${path}[${i}].utilization`, type: 'FieldValueInvalid', detail: 'not in valid range [0, 100]' });
      if (p.score < 0 || p.score > MAX_CUSTOM_PRIORITY_SCORE) errors.push({ field: `${path}[${i}].score`, type: 'FieldValueInvalid', detail: `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]` });
    });
  }
  return errors;
}

/** A score plugin's result: the score, or kube's Error status. */
export type ScoreResult = { score: number } | { status: Status };

/** The strategy's node score over already-built uses (least/most/RTCR). */
export function strategyScore(s: ScoringStrategy, uses: readonly ResourceUse[]): number {
  if (s.type === 'LeastAllocated') return leastAllocatedScore(uses);
  if (s.type === 'MostAllocated') return mostAllocatedScore(uses);
  return requestedToCapacityRatioScore(uses, s.shape ?? []);
}

/**
 * NodeResourcesFit Score on named resources (resource_allocation.go score, v1.34): Error "resources not found"
 * when the strategy lists no resource; else the strategy over cpu/memory with non-zero accounting (the node's
 * NonZeroRequested plus the pod's non-zero request) and extended resources with plain requests.
 */
export function fitScoreOf(
  s: ScoringStrategy,
  allocatable: ResourceList,
  existingPods: readonly PodRequests[],
  pod: PodRequests,
  nonZero: NonZeroDefaults,
): ScoreResult {
  if (s.resources.length === 0) return { status: errorStatus('NodeResourcesFit', 'resources not found') };
  const nonZeroNode = nodeRequestedOf(existingPods, nonZero);
  const plainNode = nodeRequestedOf(existingPods, null);
  // cpu/memory are counted with the defaults, extended resources (and ephemeral-storage) without them.
  const nodeRequested: Record<string, number> = { ...plainNode, cpu: nonZeroNode.cpu ?? 0, memory: nonZeroNode.memory ?? 0 };
  const podNonZero = podResourceRequest(pod, nonZero);
  const podPlain = podResourceRequest(pod, null);
  const podRequest: Record<string, number> = { ...podPlain, cpu: podNonZero.cpu ?? 0, memory: podNonZero.memory ?? 0 };
  return { score: strategyScore(s, resourceUsesOf(s.resources, nodeRequested, podRequest, allocatable)) };
}
