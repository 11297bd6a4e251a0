/**
 * The scenario format, version 1: plain serializable data, the single input of a simulation.
 * `{ "kind": "slicebench/scenario", "version": 1, ... }`. Units are in the field names; all integers except
 * rates, weights and prices.
 */
import type { GpuModel } from './gpuCatalog.ts';
// issue 17 (MIG, one demand several mechanisms): request-form pins and pool MIG layouts
import type { RequestPin } from './gpuDemand.ts';
import type { MigLayoutSpec } from './migCatalog.ts';

export const SCENARIO_KIND = 'slicebench/scenario';
export const SCENARIO_VERSION = 1;

/** GPU interconnect inside a node. */
export type Topology = 'nvswitch' | 'nvlink-pairs' | 'pcie';

export interface NodePoolSpec {
  name: string;
  /** Number of identical nodes in the pool. */
  count: number;
  /** Catalog id of the node's GPUs (ignored when gpusPerNode is 0). */
  gpuModel: string;
  gpusPerNode: number;
  cpuMilli: number;
  memMiB: number;
  /** GPU interconnect: all-pairs NVSwitch, NVLink pairs (0-1, 2-3, ...), or PCIe only. */
  topology: Topology;
  /** NUMA nodes (CPU sockets); GPUs are split evenly across them in index order. */
  numaNodes: number;
  /** Racks the pool spreads over, nodes assigned round-robin (rack names `<pool>-r<i>` unless labels.rack). */
  racks?: number;
  /** Maximum pods per node (kubelet maxPods, default 110). */
  maxPods?: number;
  /** Node labels, e.g. `{ "topology.kubernetes.io/zone": "a" }`. */
  labels?: Record<string, string>;
  // --- issue 17: MIG ---
  /**
   * MIG on this pool's GPUs (MIG-capable models only, src/scenario/migCatalog.ts): a mig-parted layout name
   * (`all-disabled`, the default; `all-enabled`: MIG on, no instances; `all-balanced`; `all-<profile>`, e.g.
   * `all-1g.10gb`) or a custom list of profile names every GPU gets. Read by the MIG profiles only (k8s-mig uses
   * the layout; hami-mig creates instances on demand on any MIG-enabled pool); the others see whole GPUs.
   */
  mig?: MigLayoutSpec;
}

export interface NetworkSpec {
  /** Node-to-node bandwidth inside a rack, GB/s per GPU (default 50: 400 Gb/s per GPU). */
  intraRackGBs?: number;
  /** Node-to-node bandwidth across racks, GB/s per GPU (default 12.5). */
  interRackGBs?: number;
  /** GPU-to-GPU bandwidth over PCIe inside a node, GB/s (default 32: PCIe 4.0 x16). */
  pcieGBs?: number;
}

export interface ClusterSpec {
  pools: NodePoolSpec[];
  network?: NetworkSpec;
}

/** A request-rate curve over the day (requests per second), piecewise linear and periodic over 24 h. */
export type DemandCurve =
  | { shape: 'flat'; qps: number }
  | { shape: 'diurnal'; peakQps: number; troughQps: number; peakHour: number }
  | { shape: 'spiky'; baseQps: number; spikeQps: number; spikesPerDay: number; spikeMinutes: number }
  | { shape: 'points'; points: { hour: number; qps: number }[] };

/** Fields every workload has. */
interface WorkloadBase {
  name: string;
  /** Scheduling priority (higher first). */
  priority?: number;
  /** Volcano queue name (default `default`). */
  queue?: string;
  /** Extra pod annotations, e.g. HAMi policies (`hami.io/gpu-scheduler-policy`). */
  annotations?: Record<string, string>;
  // --- issue 17: one demand, several mechanisms (src/scenario/gpuDemand.ts) ---
  /** Pins the request form (whole GPUs, HAMi slices, a MIG profile) wherever the profile offers it. */
  gpuRequest?: RequestPin;
  /** The workload wants hardware isolation: profiles that offer MIG give it a MIG instance. */
  isolation?: boolean;
}

/**
 * An init container of a workload's pods (issue 13): it runs to completion before the app container starts, so
 * kube-scheduler (and Volcano) count a pod's request as max(the app container, each init container) per resource
 * (k8s.io/component-helpers resource/helpers.go AggregateContainerRequests). CPU and memory only: an init container
 * holding a GPU is not modelled.
 */
export interface InitContainerSpec {
  /** Container name (exported manifests; default `init-<i>`). */
  name?: string;
  /** CPU request, milli-cores (default 0). */
  cpuMilli?: number;
  /** Memory request, MiB (default 0). */
  memMiB?: number;
}

/** A distributed training job: a gang of workers × whole GPUs (domain.md §4). */
export interface TrainingWorkload extends WorkloadBase {
  kind: 'training';
  /** Gang size W (number of worker pods). */
  workers: number;
  /** Whole GPUs per worker g. */
  gpusPerWorker: number;
  /** GPU memory per GPU the worker needs, MiB. */
  gpuMemMiB: number;
  cpuMilli: number;
  memMiB: number;
  /** Work in GPU-hours at ideal placement on the reference GPU (A100 = speed 1). */
  workGpuHours: number;
  /** Compute time of one step at ideal speed, seconds (sets the compute/communication ratio). */
  stepComputeS: number;
  /** Gradient bytes all-reduced per step, GB (a ring all-reduce sends 2(n−1)/n of it). */
  commGBPerStep: number;
  /** Arrival time, seconds from start. */
  arrivalS: number;
  /** Init containers of each worker pod (absent = none). */
  initContainers?: InitContainerSpec[];
  /** Number of copies of this job arriving `everyS` apart (default 1). */
  repeat?: number;
  everyS?: number;
}

/** A tidal inference service with an HPA-like autoscaler. */
export interface InferenceWorkload extends WorkloadBase {
  kind: 'inference';
  /** GPU memory per replica (weights + KV cache), MiB. */
  gpuMemMiB: number;
  /** Compute share per replica, percent of one GPU (HAMi gpucores). */
  gpuCores: number;
  cpuMilli: number;
  memMiB: number;
  /** Requests per second one replica serves with a whole reference GPU (A100). */
  qpsPerGpu: number;
  demand: DemandCurve;
  /** Autoscaler: target utilization (0..1) of a replica's service rate. */
  targetUtilization: number;
  minReplicas: number;
  maxReplicas: number;
  /** Initial replicas (default minReplicas). */
  replicas?: number;
  /** Scale-down stabilization window, seconds (HPA default 300). */
  stabilizationS?: number;
  /** Time from binding to serving (model load), seconds. */
  startupS?: number;
  /** Latency SLO for one request, milliseconds. */
  sloMs: number;
  /** Init containers of each replica (absent = none). */
  initContainers?: InitContainerSpec[];
}

/** Long-lived agent sessions that are mostly idle and burst (domain.md §4). */
export interface AgentWorkload extends WorkloadBase {
  kind: 'agent';
  /** Number of agent sessions. */
  count: number;
  /** GPU memory an agent pod holds while present, MiB. */
  gpuMemMiB: number;
  /** Compute share per agent pod, percent of one GPU. */
  gpuCores: number;
  cpuMilli: number;
  memMiB: number;
  /** Bursts per hour per agent (Poisson). */
  burstsPerHour: number;
  /** GPU work of one burst, seconds on a whole reference GPU. */
  burstGpuS: number;
  /** `always-on`: the pod lives all run; `scale-to-zero`: created on a burst, deleted after idleTimeoutS. */
  elasticity: 'always-on' | 'scale-to-zero';
  idleTimeoutS?: number;
  /** Cold start after binding (scale-to-zero), seconds. */
  coldStartS?: number;
  /** Arrival time of the sessions, seconds (default 0). */
  arrivalS?: number;
  /** Init containers of each agent pod (absent = none). */
  initContainers?: InitContainerSpec[];
}

/** A batch of identical pods (e.g. notebook or CI jobs). */
export interface BatchWorkload extends WorkloadBase {
  kind: 'batch';
  count: number;
  cpuMilli: number;
  memMiB: number;
  /** Physical GPUs per pod. */
  gpus: number;
  /** Share of each GPU in milli-GPU (1000 = whole; < 1000 only with gpus = 1). */
  gpuMilli: number;
  /** GPU memory per GPU, MiB (0 = derive from gpuMilli). */
  gpuMemMiB?: number;
  /** Run time, seconds. */
  durationS: number;
  /** First arrival, seconds. */
  arrivalS: number;
  /** Mean gap between arrivals (Poisson), seconds; 0 = all at arrivalS. */
  interarrivalS?: number;
  /** Fraction of the allocated GPU the pod actually uses (0..1, default 1). */
  gpuUtilization?: number;
  /** Allowed GPU models (catalog ids); empty = any. */
  gpuModels?: string[];
  /** Init containers of each pod (absent = none). */
  initContainers?: InitContainerSpec[];
}

/** One pod of a trace, with the openb columns. */
export interface TracePod {
  name: string;
  cpuMilli: number;
  memMiB: number;
  numGpu: number;
  gpuMilli: number;
  /** Allowed models, `|`-separated in the CSV; empty = any. */
  gpuSpec?: string[];
  qos?: string;
  /** Arrival, seconds. */
  creationS: number;
  /** Departure, seconds; absent = never leaves. */
  deletionS?: number;
}

export interface TraceWorkload extends WorkloadBase {
  kind: 'trace';
  pods: TracePod[];
  /** Fraction of the allocated GPU the pods use (0..1, default 1). */
  gpuUtilization?: number;
}

/** One worker group of a RayCluster (KubeRay `workerGroupSpecs[]`). */
export interface RayWorkerGroupSpec {
  name: string;
  /** Whole GPUs per worker pod (0 = a CPU worker group). */
  gpusPerWorker: number;
  /** GPU memory each worker needs per GPU, MiB. */
  gpuMemMiB: number;
  cpuMilli: number;
  memMiB: number;
  minReplicas: number;
  maxReplicas: number;
  /** Initial replicas (default minReplicas). */
  replicas?: number;
}

/**
 * A KubeRay RayCluster with the Ray autoscaler: a head pod, worker groups, and Ray tasks that arrive as a
 * Poisson stream; each task runs on one idle worker of its group for `taskDurationS`. The autoscaler adds
 * workers for pending tasks (up to maxReplicas) and removes workers idle for idleTimeoutSeconds (down to
 * minReplicas). Under Volcano the cluster is one gang: minMember = 1 + Σ minReplicas.
 */
export interface RayClusterWorkload extends WorkloadBase {
  kind: 'raycluster';
  head: { cpuMilli: number; memMiB: number };
  workerGroups: RayWorkerGroupSpec[];
  /** Ray tasks per hour (Poisson), each needing one worker of group `taskGroup` (default: the first group). */
  tasksPerHour: number;
  taskDurationS: number;
  taskGroup?: string;
  /** KubeRay idleTimeoutSeconds (default 60). */
  idleTimeoutS?: number;
  /** Seconds from binding to a worker joining the Ray cluster (default 30). */
  workerStartupS?: number;
  /** When the RayCluster is created, seconds (default 0). */
  arrivalS?: number;
}

export type WorkloadSpec = TrainingWorkload | InferenceWorkload | AgentWorkload | BatchWorkload | TraceWorkload | RayClusterWorkload;

/** A pod already running when the simulation starts (for `slicebench place` and what-if views). */
export interface ExistingPodSpec {
  name: string;
  node: string;
  cpuMilli: number;
  memMiB: number;
  /** GPU indices on the node and what is booked on each. */
  gpus?: { index: number; gpuMilli: number; gpuMemMiB?: number; gpuCores?: number }[];
}

/** A scheduler profile and its knobs (the profile registry defines the defaults). */
export interface SchedulerSpec {
  /** Profile name, e.g. `k8s-default`. */
  profile: string;
  /** Label shown in comparisons (default: the profile name). */
  label?: string;
  /** Profile-specific knobs (policy, weights, split count...). */
  options?: Record<string, unknown>;
}

export interface VolcanoQueueSpec {
  name: string;
  weight?: number;
  /** Caps in milli-GPU, milli-CPU and MiB. */
  capability?: { gpuMilli?: number; cpuMilli?: number; memMiB?: number };
  guarantee?: { gpuMilli?: number; cpuMilli?: number; memMiB?: number };
  reclaimable?: boolean;
  priority?: number;
}

export interface SimSettings {
  /** Simulated duration, seconds. */
  durationS: number;
  seed: number;
  /** Metrics sample interval, seconds. */
  metricsStepS: number;
}

export interface Scenario {
  kind: typeof SCENARIO_KIND;
  version: typeof SCENARIO_VERSION;
  name: string;
  description?: string;
  /** Catalog overrides or additions (e.g. price per hour), keyed by model id. */
  catalog?: Record<string, Partial<GpuModel>>;
  cluster: ClusterSpec;
  workloads: WorkloadSpec[];
  /** Pods already placed when the run starts. */
  existingPods?: ExistingPodSpec[];
  queues?: VolcanoQueueSpec[];
  /** One or more schedulers: the first one runs by default; the app compares them side by side. */
  schedulers: SchedulerSpec[];
  sim: SimSettings;
  /** A capacity plan to run on this scenario (the workbench's Plan mode, `slicebench plan`); see PlanSpec. */
  plan?: PlanSpec;
}

// ---- Capacity plan (issue 14; validated in planSpec.ts, expanded and answered in src/plan/) ----

/** An evenly stepped range of numbers, both ends included: `{ from: 0.5, to: 2, step: 0.25 }`. */
export interface PlanRange {
  from: number;
  to: number;
  step: number;
}

/** One scheduler of a plan: a profile, its fixed options, and at most one knob swept over a list of values. */
export interface PlanProfileSpec {
  /** Profile name (any of the catalog's), unique in the plan. */
  profile: string;
  /** Fixed options (checked like a scheduler's). */
  options?: Record<string, unknown>;
  /** One knob of this profile and the values the plan tries (e.g. HAMi `splitCount` [4, 8, 16]). */
  knob?: { key: string; values: unknown[] };
}

/**
 * The cluster-scale axis: either `factors` (multipliers on every pool's node count, a list or a range; a pool keeps
 * at least one node) or `poolCounts` (explicit node counts per named pool; the grid takes every combination).
 */
export interface PlanScaleSpec {
  factors?: number[] | PlanRange;
  poolCounts?: Record<string, number[]>;
}

/** What a cluster must achieve; an absent target is not checked. */
export interface PlanTargets {
  /** Inference SLO attainment over the run ≥ this, % (met trivially without inference). */
  sloAttainmentPct?: number;
  /** 95th-percentile pod wait ≤ this, seconds. */
  p95WaitS?: number;
  /** Mean training slowdown of completed jobs ≤ this (≥ 1; unmet when jobs arrived and none completed). */
  trainingSlowdown?: number;
  /** No pod pending at the end of the run. */
  nothingPending?: boolean;
  /** The cluster's price ≤ this, USD per hour. */
  maxCostPerHourUsd?: number;
}

/** A capacity plan: the grid (profiles × scales × demand scales × knob values × seeds), its targets and its cap. */
export interface PlanSpec {
  profiles: PlanProfileSpec[];
  /** Default: the scenario's cluster as it is (factor 1). */
  scale?: PlanScaleSpec;
  /** Multipliers on every workload's rates and counts (default [1]). */
  demandScale?: number[];
  /** Seeds: a list or a range `{ from, to }` (default: the scenario's seed). */
  seeds?: number[] | { from: number; to: number };
  targets: PlanTargets;
  /** Share of seeds that must meet every target for a cluster to count, % (default 95). */
  confidencePct?: number;
  /** Most replicas the grid may have before the user is asked (default 10,000). */
  maxReplicas?: number;
}
