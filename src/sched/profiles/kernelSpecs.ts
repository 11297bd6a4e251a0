/**
 * What a profile declares as its kernel (ProfileDefinition.kernel): the parameters of the engine kernel that
 * evaluates its candidates (src/engine/kernels/ runs them: WGSL in shaders/, TypeScript twins in src/engine/cpu/), as
 * plain data. A profile builds its spec from its options beside its defaults; adding a profile that an existing
 * kernel covers means declaring its spec, not writing a scheduler.
 */
import type { RequestConfig } from '../hami/request.ts';
import type { SessionConfig } from '../volcano/session.ts';
import type { MigPool } from '../mig/state.ts';

/**
 * The scoring a k8s-default-style profile uses, as data (kernel `shaders/filterScoreK8s.wgsl`):
 * NodeResourcesFit filter + whole-GPU allocator + GPU-model affinity; total = fitWeight·NodeResourcesFit +
 * balancedWeight·BalancedAllocation(v1.34).
 */
export interface K8sKernelSpec {
  kind: 'k8s-fit';
  strategy: 'LeastAllocated' | 'MostAllocated';
  cpuWeight: number;
  memWeight: number;
  /** Weight of `nvidia.com/gpu` in NodeResourcesFit scoring (0 = not scored). */
  gpuWeight: number;
  /** `nvidia.com/gpu` advertised per physical GPU (time-slicing replicas; 1 otherwise). */
  gpuReplicas: number;
  /**
   * The device allocator the filter checks last: absent = whole free GPUs (NVIDIA device plugin without sharing);
   * `time-slicing` = enough free replicas on healthy GPUs (src/sched/plugins/timeSlicing.ts distributeReplicas);
   * `mig` = k8s-mig's static MIG resources (src/sched/mig/k8sMig.ts k8sMigFit): on a MIG node or for a MIG
   * request, the free instances of the pod's resource replace the slot count and the whole-GPU check.
   */
  allocator?: 'time-slicing' | 'mig';
  /** The static MIG layouts the `mig` allocator counts instances of (set exactly when allocator is `mig`). */
  mig?: MigKernelTable;
  fitWeight: number;
  balancedWeight: number;
}

/** Profiles the k8s-fit kernel counts MIG instances of (4 bits each in one GPU word). */
export const MIG_KERNEL_PROFILES = 8;

/**
 * k8s-mig's MIG pools as the kernel packs them (engine/kernels/migRows.ts): free instances per GPU as one 4-bit
 * count per profile of `profiles` (at most 8; a cluster whose layouts name more runs on the plugin path).
 */
export interface MigKernelTable {
  /** `--mig-strategy`. */
  strategy: 'mixed' | 'single';
  /** The MIG-enabled pools (src/sched/mig/state.ts migPools), in pool order. */
  pools: readonly MigPool[];
  /** Pool names, parallel to `pools`. */
  poolNames: readonly string[];
  /** The profiles the layouts create, in nibble order. */
  profiles: readonly string[];
}

/** One class m of FGD's target workload as the kernel reads it (src/sched/frag/target.ts TargetClass). */
export interface FgdKernelClass {
  cpuMilli: number;
  /** Per-GPU milli d_m (0 = CPU-only). */
  gpuMilli: number;
  gpuCount: number;
  /** Allowed GPU models (empty = any). */
  models: readonly string[];
  /** p_m, the float64 weight FragEvaluator multiplies by (packed bit for bit). */
  weight: number;
}

/**
 * FGD (kernel `shaders/filterScoreFgd.wgsl`, twin `src/engine/cpu/filterScoreFgd.ts`): the `fgd` profile's
 * filters (NodeResourcesFit with 1000 `nvidia.com/gpu` slots per GPU, GPU model affinity, GPU-share fit) and the
 * FGD score int(100·sigmoid((F_n − F_n′)/1000)) of src/sched/plugins/fgdScore.ts. The packed total is the score
 * (0..100); the profile's weight 1000 scales every node alike, so the order and the tied set are the same.
 */
export interface FgdKernelSpec {
  kind: 'fgd';
  classes: readonly FgdKernelClass[];
}

/** The five baselines of the FGD paper (src/sched/plugins/fgdBaselines.ts), by profile name. */
export type FgdBaselinePolicy = 'random' | 'dotprod' | 'clustering' | 'packing' | 'bestfit';

/**
 * A baseline of the FGD paper (kernel `shaders/filterScoreBaselines.wgsl`, twin
 * `src/engine/cpu/filterScoreBaselines.ts`): the same filters as `fgd`, the policy's score plugin. The packed total
 * is the plugin score + `bias` (scores can be negative; weight 1000 scales every node alike). `bestfit`'s raw
 * score is min–max normalized over the feasible set on the engine (shaders/normalizeMinMax.wgsl) before the
 * reduction; `random` scores every feasible node 0 and its seeded draw over the feasible set happens on the CPU
 * (engine/evaluator/choose.ts chooseUniform), as the plugin's normalize step draws it.
 */
export interface FgdBaselineKernelSpec {
  kind: 'fgd-baseline';
  policy: FgdBaselinePolicy;
  /** Added to the plugin score so packed totals are ≥ 0 (0 for random, packing and bestfit). */
  bias: number;
}

export type KernelSpec = K8sKernelSpec | FgdKernelSpec | FgdBaselineKernelSpec;

/** The HAMi profiles' knobs that shape filtering and the node score (card order and choice stay on the CPU). */
export interface HamiKernelSpec {
  kind: 'hami';
  /** Node policy exactly `spread` (pickNode keeps the lowest score); anything else keeps the highest. */
  spread: boolean;
  /** The GPU policy contains `mutex` (Fit rejects cards in use). */
  mutex: boolean;
  /** deviceSplitCount. */
  splitCount: number;
  /** deviceMemoryScaling: registered memory = floor(MiB × scaling). */
  memoryScaling: number;
  /** The webhook/normalization config that turns a PodRequest into HAMi's request. */
  request: RequestConfig;
}

/** The scoring of the `volcano` / `volcano-hami` profiles as the kernel reads it (all weights integers ≥ 0). */
export interface VolcanoKernelSpec {
  kind: 'volcano';
  /** deviceshare vGPU slices (volcano-hami); false = whole GPUs from the NVIDIA device plugin (volcano). */
  vgpu: boolean;
  /** nodeorder leastrequested weight (0 = off). */
  leastRequestedWeight: number;
  /** nodeorder balancedresource weight (0 = off). */
  balancedWeight: number;
  /** binpack arguments (weight 0 for a resource = not listed: both add nothing); null = plugin off. */
  binpack: { weight: number; cpu: number; memory: number; gpu: number } | null;
  /** deviceshare (vgpu only): card order, split count, and the score weight (0 = not scored). */
  deviceShare: { spread: boolean; splitCount: number; weight: number } | null;
}

/** Every kernel a profile can declare (the engine dispatches on `kind`). */
export type ProfileKernel = K8sKernelSpec | FgdKernelSpec | FgdBaselineKernelSpec | HamiKernelSpec | VolcanoKernelSpec;

/** Largest weight the kernel takes (products stay far inside its 96-bit integers). */
const MAX_WEIGHT = 0xffff;

const isWeight = (w: unknown): w is number => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= MAX_WEIGHT;

/**
 * The kernel spec of a Volcano session configuration, or null when the kernel does not cover it (non-integer or
 * huge weights, binpack resources other than cpu, memory and nvidia.com/gpu).
 */
export function volcanoKernelSpecOf(cfg: SessionConfig): VolcanoKernelSpec | null {
  const no = cfg.nodeorder;
  if (!isWeight(no.leastRequested) || !isWeight(no.balancedResource)) return null;
  let binpack: VolcanoKernelSpec['binpack'] = null;
  if (cfg.binpack) {
    const r = cfg.binpack.resources;
    if (Object.keys(r).some((k) => k !== 'cpu' && k !== 'memory' && k !== 'nvidia.com/gpu')) return null;
    const cpu = r.cpu ?? 0;
    const memory = r.memory ?? 0;
    const gpu = r['nvidia.com/gpu'] ?? 0;
    if (![cfg.binpack.weight, cpu, memory, gpu].every(isWeight)) return null;
    binpack = { weight: cfg.binpack.weight, cpu, memory, gpu };
  }
  let deviceShare: VolcanoKernelSpec['deviceShare'] = null;
  const dev = cfg.devices;
  if (dev.kind === 'vgpu') {
    if (!isWeight(dev.cfg.weight) || !Number.isInteger(dev.cfg.splitCount) || dev.cfg.splitCount < 0) return null;
    deviceShare = { spread: dev.cfg.policy === 'spread', splitCount: Math.min(dev.cfg.splitCount, 0xffffffff), weight: dev.cfg.weight };
  }
  return { kind: 'volcano', vgpu: dev.kind === 'vgpu', leastRequestedWeight: no.leastRequested, balancedWeight: no.balancedResource, binpack, deviceShare };
}

