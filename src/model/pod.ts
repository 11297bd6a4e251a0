/** Pods: the unit every scheduler places. Quantities are integers (domain.md §2). */
import type { RequestPin } from '../scenario/gpuDemand.ts';

/** What a pod asks for. GPU quantities are per GPU. */
export interface PodRequest {
  cpuMilli: number;
  memMiB: number;
  /** Physical GPUs (`nvidia.com/gpu`). */
  gpuCount: number;
  /** Share of each GPU in milli-GPU (1000 = whole); 0 when gpuCount is 0. */
  gpuMilli: number;
  /** GPU memory per GPU, MiB (HAMi `nvidia.com/gpumem`); 0 = not set (HAMi books the whole card). */
  gpuMemMiB: number;
  /** Compute per GPU in percent (HAMi `nvidia.com/gpucores`); 0 = not set. */
  gpuCores: number;
  /** Allowed GPU models (catalog ids); empty = any. */
  gpuModels: readonly string[];
  /** issue 17: the workload wants hardware isolation (scenario/gpuDemand.ts); absent = no. */
  isolation?: boolean;
  /** issue 17: the scenario's pin of the request form; absent = each profile's own form. */
  pin?: RequestPin;
}

export type WorkloadKind = 'training' | 'inference' | 'agent' | 'batch' | 'trace' | 'raycluster';

export type PodPhase = 'pending' | 'bound' | 'succeeded' | 'deleted' | 'failed';

/** What a binding books on one GPU. */
export interface GpuBooking {
  /** GPU index on the node. */
  gpu: number;
  /** milli-GPU booked (whole-GPU schedulers book 1000). */
  milli: number;
  /** GPU memory booked, MiB (0 where the scheduler does not account memory, e.g. time-slicing). */
  memMiB: number;
  /** Compute percent booked. */
  cores: number;
  /** Sharing slots taken (1 per pod on a GPU, HAMi `used`/time-slicing replicas). */
  slots: number;
  /** issue 17: the MIG instance this booking holds (profile name and memory-slice placement); absent = no MIG. */
  mig?: { profile: string; g: number; start: number; size: number };
}

/** A scheduler's decision to put a pod on a node. */
export interface Binding {
  nodeId: number;
  gpus: GpuBooking[];
}

/** A pod in the simulation. Mutable bookkeeping lives here; the request never changes. */
export interface Pod {
  /** Dense id, in creation order. */
  uid: number;
  name: string;
  kind: WorkloadKind;
  /** Index of the workload in the scenario (-1 for pre-existing pods). */
  workload: number;
  request: PodRequest;
  priority: number;
  queue: string;
  annotations: Readonly<Record<string, string>>;
  /** Gang (PodGroup) id, shared by the workers of a training job; -1 = none. */
  gang: number;
  /** Minimum members of the gang that must run together (Volcano minAvailable). */
  gangMin: number;
  createdS: number;
  phase: PodPhase;
  binding: Binding | null;
  boundS: number;
  /** Number of scheduling attempts that failed. */
  attempts: number;
  /** Last unschedulable message, if any. */
  lastReason: string;
}
