/**
 * HAMi's view of a node's GPUs and of a container's request (HAMi v2.10.0, pkg/device DeviceUsage and
 * ContainerDeviceRequest), in our units: memory in MiB, compute in percent of one GPU, counts as integers.
 * These are plain values so the conformance vectors (../shared/conformance/hami.json) and the simulator feed the
 * very same functions.
 */
import type { HamiMigCard, MigPick } from '../mig/hamiMig.ts';

/** One GPU as HAMi's scheduler sees it (registered capacity and current usage). */
export interface HamiGpu {
  /** Device UUID (`nvidia.com/use-gpuuuid` matches it exactly). */
  id: string;
  /** Device index on the node (what the allocation reports). */
  index: number;
  /** Registered type string; the NVIDIA device plugin registers `NVIDIA-<model name>`. */
  type: string;
  /** Sharing mode (`hami-core`, `mps`, `mig`); matched by `nvidia.com/vgpu-mode`. */
  mode: string;
  /** deviceSplitCount: maximum number of concurrent sharers (HAMi `Count`). */
  splitCount: number;
  /** Registered memory: floor(physical MiB × deviceMemoryScaling). */
  memTotalMiB: number;
  /** Registered compute, percent (100 × deviceCoreScaling). */
  coresTotal: number;
  usedSlots: number;
  usedMemMiB: number;
  usedCores: number;
  numa: number;
  healthy: boolean;
  /** issue 17: a card in HAMi's `mig` operating mode: its profiles and occupied placements (sched/mig/hamiMig.ts). */
  mig?: HamiMigCard;
}

/** One container's ask for one device type (HAMi ContainerDeviceRequest). */
export interface HamiRequest {
  /** Number of physical GPUs (`nvidia.com/gpu`). */
  gpuCount: number;
  /** Device type the request names; the NVIDIA backend answers only to `NVIDIA`. */
  gpuType: string;
  /** `nvidia.com/gpumem` × memoryFactor, MiB; 0 = not set. */
  memMiB: number;
  /** `nvidia.com/gpumem-percentage`; null = not set (HAMi encodes it as 101). */
  memPercent: number | null;
  /** `nvidia.com/gpucores`, percent (clamped to 100 by Fit). */
  cores: number;
}

/** What one GPU of an allocation books. */
export interface HamiAllocation {
  id: string;
  index: number;
  memMiB: number;
  cores: number;
  /** issue 17: on a MIG-mode card, the profile and placement the pick gets (HAMi's booking: the profile's memory and core). */
  mig?: MigPick;
}

/** Per-pod options read from the pod's annotations (and the node's cordon annotation). */
export interface HamiPodOptions {
  /** GPU policy (`hami.io/gpu-scheduler-policy` or the scheduler flag): drives mutex and topology-aware in Fit. */
  gpuPolicy: string;
  /** `nvidia.com/numa-bind` parsed with Go's ParseBool. */
  numaBind: boolean;
  /** Raw `nvidia.com/use-gputype` value; null = absent. */
  gpuTypeAllow: string | null;
  /** Raw `nvidia.com/nouse-gputype` value; null = absent. */
  gpuTypeDeny: string | null;
  /** Raw `nvidia.com/vgpu-mode` value; null = absent. */
  vgpuMode: string | null;
  /** Raw `nvidia.com/use-gpuuuid` value; null = absent. */
  uuidAllow: string | null;
  /** Raw `nvidia.com/nouse-gpuuuid` value; null = absent. */
  uuidDeny: string | null;
  /** Device ids cordoned by the node annotation `hami.io/device-cordon`. */
  cordoned: ReadonlySet<string>;
}

/** `hami.io/device-scoring-weights` (default 1/1/1). */
export interface ScoringWeights {
  slot: number;
  core: number;
  memory: number;
}

export const DEFAULT_SCORING_WEIGHTS: Readonly<ScoringWeights> = Object.freeze({ slot: 1, core: 1, memory: 1 });

/** The NVIDIA backend's device type (HAMi `NvidiaGPUDevice`). */
export const NVIDIA_DEVICE = 'NVIDIA';

/** Pod options with nothing set. */
export function defaultPodOptions(gpuPolicy = 'spread'): HamiPodOptions {
  return { gpuPolicy, numaBind: false, gpuTypeAllow: null, gpuTypeDeny: null, vgpuMode: null, uuidAllow: null, uuidDeny: null, cordoned: new Set() };
}

/** Reason strings as HAMi v2.10.0 words them (pkg/device/common). */
export const Reason = {
  CardNotHealth: 'CardNotHealth',
  CardCordoned: 'CardCordoned',
  CardTypeMismatch: 'CardTypeMismatch',
  NumaNotFit: 'NumaNotFit',
  CardUuidMismatch: 'CardUuidMismatch',
  CardTimeSlicingExhausted: 'CardTimeSlicingExhausted',
  ExclusiveDeviceAllocateConflict: 'ExclusiveDeviceAllocateConflict',
  CardInsufficientMemory: 'CardInsufficientMemory',
  CardInsufficientCore: 'CardInsufficientCore',
  CardComputeUnitsExhausted: 'CardComputeUnitsExhausted',
  AllocatedCardsInsufficientRequest: 'AllocatedCardsInsufficientRequest',
  NodeInsufficientDevice: 'NodeInsufficientDevice',
  CardMigTopologyInfeasible: 'CardMigTopologyInfeasible',
  DeviceTypeNotFound: 'Device type not found',
} as const;
