/**
 * The scheduler profiles as data: name, title, summary, modelled version, knobs with their help text, and
 * defaults, for every profile `src/sched/profiles/` registers. No scheduler code: validation and the UI read
 * profiles from here, so the first screen loads no scheduler (docs/architecture.md, "Import rules"). Each
 * profile file in `src/sched/profiles/` spreads its entry and adds only the factory.
 */
import { MIG_ASSUMPTION_NOTE } from './migCatalog.ts';

/** One editable knob of a profile. */
export type Knob =
  | { key: string; label: string; kind: 'choice'; choices: string[]; help: string }
  | { key: string; label: string; kind: 'int'; min: number; max: number; help: string }
  | { key: string; label: string; kind: 'number'; min: number; max: number; help: string }
  | { key: string; label: string; kind: 'bool'; help: string }
  | { key: string; label: string; kind: 'string'; help: string };

/** A scheduler profile as the picker shows it and validation checks it (the factory lives in sched/profiles/). */
export interface ProfileInfo<O extends object = Record<string, unknown>> {
  name: string;
  title: string;
  /** One sentence for the picker. */
  summary: string;
  /** Which upstream version/behaviour it models. */
  models: string;
  knobs: Knob[];
  defaults: O;
  /** Why the profile runs on the CPU engine only, for the engine badge (absent: it has a kernel, or no note). */
  engineNote?: string;
}

/** NodeResourcesFit scoring strategies a profile may pick (src/sched/plugins/nodeResourcesFit.ts). */
type FitStrategyName = 'LeastAllocated' | 'MostAllocated';

/** Options of `k8s-default`. */
export interface K8sDefaultOptions {
  /** NodeResourcesFit scoring strategy (default LeastAllocated). */
  strategy: FitStrategyName;
  /** Weight of `nvidia.com/gpu` in NodeResourcesFit scoring (0 = not scored, the default). */
  gpuWeight: number;
  /** percentageOfNodesToScore: 0 = adaptive (the default), else 1..100. */
  percentageOfNodesToScore: number;
}

/** Options of `k8s-timeslicing`. */
export interface TimeSlicingOptions {
  /** Replicas each GPU advertises (the device plugin's `replicas`, default 4). */
  replicas: number;
  /** NodeResourcesFit scoring strategy (default LeastAllocated). */
  strategy: FitStrategyName;
  /** Weight of `nvidia.com/gpu` (replicas) in NodeResourcesFit scoring (0 = not scored, the default). */
  gpuWeight: number;
  /** percentageOfNodesToScore: 0 = adaptive. */
  percentageOfNodesToScore: number;
}

/** Options of the HAMi profiles. */
export interface HamiOptions {
  /** Node policy flag: binpack (HAMi's default) or spread. */
  nodePolicy: string;
  /** GPU policy flag: spread (HAMi's default), binpack, topology-aware, mutex, or a chain such as `binpack,numa`. */
  gpuPolicy: string;
  /** deviceSplitCount: pods that may share one GPU (default 10). */
  splitCount: number;
  /** deviceMemoryScaling: registered memory = floor(MiB × scaling); > 1 oversubscribes (default 1). */
  memoryScaling: number;
  /** defaultMemory, MiB (0: a pod without gpumem gets the whole card's memory). */
  defaultMemMiB: number;
  /** defaultCores, percent. */
  defaultCores: number;
  /** Default scoring weights (HAMi 1/1/1; `hami.io/device-scoring-weights` overrides per pod). */
  slotWeight: number;
  coreWeight: number;
  memoryWeight: number;
  /** Count the pod's own request in GPU scores (what HAMi's unit tests see); off on real nodes. */
  scoreRequestTerms: boolean;
  /** kube-scheduler percentageOfNodesToScore: 0 = adaptive. */
  percentageOfNodesToScore: number;
}

/** Options of `fgd`. */
export interface FgdProfileOptions {
  /** Coverage of the typical-pods target workload, percent (fgd only; the artifact uses 95). */
  coveragePct: number;
}

/** Options of `volcano`. */
export interface VolcanoOptions {
  /** Add the preempt action (lower-priority jobs of the same queue give way). */
  preempt: boolean;
  /** Add the reclaim action (starving jobs of queues not overused take pods of other, reclaimable queues; the victim tiers decide which). */
  reclaim: boolean;
  /** overcommit plugin factor for enqueue admission (idle = total × factor − used). */
  overcommitFactor: number;
  /** binpack.weight (0 = binpack off). */
  binpackWeight: number;
  binpackCpu: number;
  binpackMemory: number;
  /** binpack.resources weight of nvidia.com/gpu (0 = not listed, the chart's default). */
  binpackGpu: number;
  /** Which configuration's victim functions preempt and reclaim use (sched/volcano/victims.ts). */
  victimTiers: 'helm' | 'code';
}

/** Options of `volcano-hami`. */
export interface VolcanoHamiOptions extends VolcanoOptions {
  /** deviceshare.SchedulePolicy: GPU order and score inside a node. */
  deviceSharePolicy: 'binpack' | 'spread';
  /** deviceshare.ScheduleWeight (0 = device score off). */
  deviceShareWeight: number;
  /** Sharers per GPU (device plugin deviceSplitCount). */
  splitCount: number;
}

/** Shown by the UI next to the deviceshare policy knob (the behaviour: src/sched/volcano/deviceshare.ts). */
export const DEVICESHARE_SPREAD_NOTE =
  'Volcano v1.15 deviceshare "spread" scores every GPU 0: GPUScore gives 100 only to a card whose used count is 0, ' +
  'but it is called after the pod was added to the card, so no card ever qualifies. Spread still orders the cards ' +
  '(fewest sharers first), it just adds nothing to the node score.';

const PERCENTAGE_OF_NODES_KNOB: Knob = { key: 'percentageOfNodesToScore', label: 'percentageOfNodesToScore', kind: 'int', min: 0, max: 100, help: '0 = adaptive (max(50 − N/125, 5)% of nodes, at least 100).' };
const STRATEGY_KNOB: Knob = { key: 'strategy', label: 'NodeResourcesFit strategy', kind: 'choice', choices: ['LeastAllocated', 'MostAllocated'], help: 'LeastAllocated spreads pods over nodes; MostAllocated packs them.' };

/** `k8s-default`: kube-scheduler v1.34 default plugins with the NVIDIA device plugin (src/sched/profiles/k8sDefault.ts). */
export const k8sDefaultInfo: ProfileInfo<K8sDefaultOptions> = {
  name: 'k8s-default',
  title: 'Kubernetes default + NVIDIA device plugin',
  summary: 'Whole GPUs only; spreads pods by LeastAllocated CPU/memory; no gang scheduling.',
  models: 'kube-scheduler v1.34, k8s-device-plugin (no sharing)',
  knobs: [
    STRATEGY_KNOB,
    { key: 'gpuWeight', label: 'nvidia.com/gpu score weight', kind: 'int', min: 0, max: 100, help: 'Also score GPUs in NodeResourcesFit (0: GPUs are filtered but not scored, the default).' },
    PERCENTAGE_OF_NODES_KNOB,
  ],
  defaults: { strategy: 'LeastAllocated', gpuWeight: 0, percentageOfNodesToScore: 0 },
};

/** `k8s-timeslicing`: the default plugins with the device plugin's time-slicing (src/sched/profiles/timeSlicing.ts). */
export const k8sTimeSlicingInfo: ProfileInfo<TimeSlicingOptions> = {
  name: 'k8s-timeslicing',
  title: 'Kubernetes default + NVIDIA time-slicing',
  summary: 'Each GPU advertised as N replicas; pods share GPUs by time with no memory isolation (OOM risk).',
  models: 'kube-scheduler v1.34, k8s-device-plugin time-slicing (distributed replica allocation)',
  knobs: [
    { key: 'replicas', label: 'replicas per GPU', kind: 'int', min: 1, max: 64, help: 'How many nvidia.com/gpu each physical GPU advertises (default 4).' },
    STRATEGY_KNOB,
    { key: 'gpuWeight', label: 'nvidia.com/gpu score weight', kind: 'int', min: 0, max: 100, help: 'Also score GPU replicas in NodeResourcesFit (0: filtered but not scored, the default).' },
    PERCENTAGE_OF_NODES_KNOB,
  ],
  defaults: { replicas: 4, strategy: 'LeastAllocated', gpuWeight: 0, percentageOfNodesToScore: 0 },
};

const HAMI_KNOBS: Knob[] = [
  { key: 'nodePolicy', label: 'Node policy', kind: 'choice', choices: ['binpack', 'spread'], help: 'binpack fills the busiest node that fits (HAMi default); spread the idlest. Scored on usage before the pod.' },
  { key: 'gpuPolicy', label: 'GPU policy', kind: 'choice', choices: ['spread', 'binpack', 'topology-aware', 'mutex', 'binpack,numa', 'spread,numa', 'numa'], help: 'How cards are ordered inside a node: spread (HAMi default) the idlest card, binpack the busiest, topology-aware the best-linked set, mutex only idle cards.' },
  { key: 'splitCount', label: 'deviceSplitCount', kind: 'int', min: 1, max: 100, help: 'How many pods may share one GPU (default 10).' },
  { key: 'memoryScaling', label: 'deviceMemoryScaling', kind: 'number', min: 0.1, max: 10, help: 'Registered GPU memory = physical × scaling; above 1 HAMi oversubscribes memory (risky).' },
  { key: 'defaultMemMiB', label: 'defaultMemory (MiB)', kind: 'int', min: 0, max: 1048576, help: 'Memory for a pod that sets no gpumem; 0 = the whole card.' },
  { key: 'defaultCores', label: 'defaultCores (%)', kind: 'int', min: 0, max: 100, help: 'gpucores for a pod that sets none (the webhook makes whole-card pods exclusive at 100 regardless).' },
  { key: 'slotWeight', label: 'Score weight: slots', kind: 'number', min: 0, max: 100, help: 'Weight of shared slots in the per-GPU score (HAMi default 1).' },
  { key: 'coreWeight', label: 'Score weight: cores', kind: 'number', min: 0, max: 100, help: 'Weight of compute in the per-GPU score (HAMi default 1).' },
  { key: 'memoryWeight', label: 'Score weight: memory', kind: 'number', min: 0, max: 100, help: 'Weight of memory in the per-GPU score (HAMi default 1).' },
  { key: 'scoreRequestTerms', label: 'Count the request in GPU scores', kind: 'bool', help: "HAMi adds the pod's own request only when its type string equals the card's; real nodes register the model name, so off." },
  { key: 'percentageOfNodesToScore', label: 'percentageOfNodesToScore', kind: 'int', min: 0, max: 100, help: 'kube-scheduler hands HAMi only this many feasible nodes; 0 = adaptive.' },
];

const HAMI_BASE: HamiOptions = {
  nodePolicy: 'binpack',
  gpuPolicy: 'spread',
  splitCount: 10,
  memoryScaling: 1,
  defaultMemMiB: 0,
  defaultCores: 0,
  slotWeight: 1,
  coreWeight: 1,
  memoryWeight: 1,
  scoreRequestTerms: false,
  percentageOfNodesToScore: 0,
};

/** A HAMi profile's entry: the shared knobs, HAMi's defaults with this profile's policies. */
function hamiInfo(name: string, title: string, summary: string, defaults: Partial<HamiOptions>): ProfileInfo<HamiOptions> {
  return { name, title, summary, models: 'HAMi v2.10.0 scheduler extender on kube-scheduler v1.34', knobs: HAMI_KNOBS, defaults: { ...HAMI_BASE, ...defaults } };
}

/** `hami-binpack` (src/sched/profiles/hami.ts). */
export const hamiBinpackInfo = hamiInfo('hami-binpack', 'HAMi: binpack nodes and GPUs', 'GPU slices (memory + compute); packs pods onto the busiest node and the busiest card that fit.', { nodePolicy: 'binpack', gpuPolicy: 'binpack' });
/** `hami-spread` (src/sched/profiles/hami.ts). */
export const hamiSpreadInfo = hamiInfo('hami-spread', 'HAMi: spread nodes and GPUs', 'GPU slices (memory + compute); spreads pods to the idlest node and the idlest card.', { nodePolicy: 'spread', gpuPolicy: 'spread' });
/** `hami-topology` (src/sched/profiles/hami.ts). */
export const hamiTopologyInfo = hamiInfo('hami-topology', 'HAMi: topology-aware GPUs', 'GPU slices; multi-GPU pods get the best-linked cards (NVLink first), single-GPU pods the worst-linked one.', { nodePolicy: 'binpack', gpuPolicy: 'topology-aware' });

const FGD_MODELS = 'hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641 (FGD, USENIX ATC\u201923)';

/** `fgd`: fragmentation gradient descent (src/sched/profiles/fgd.ts). */
export const fgdInfo: ProfileInfo<FgdProfileOptions> = {
  name: 'fgd',
  title: 'FGD (fragmentation gradient descent)',
  summary: 'Places each pod where it grows GPU fragmentation the least, for the expected mix of pods.',
  models: FGD_MODELS,
  knobs: [{ key: 'coveragePct', label: 'Typical-pod coverage %', kind: 'int', min: 1, max: 100, help: 'The target workload takes the most common pod shapes until they cover this share of pods (95 in the paper).' }],
  defaults: { coveragePct: 95 },
};

/** An FGD baseline's entry: no knobs. */
function baselineInfo(name: string, title: string, summary: string): ProfileInfo<Record<string, never>> {
  return { name, title, summary, models: FGD_MODELS, knobs: [], defaults: {} };
}

/** `random` (FGD baseline; src/sched/profiles/fgd.ts). */
export const randomInfo = baselineInfo('random', 'Random (FGD baseline)', 'Any node that fits, at random.');
/** `dotprod` (FGD baseline). */
export const dotProdInfo = baselineInfo('dotprod', 'DotProd (FGD baseline)', 'Tetris-style alignment of free and requested CPU/GPU.');
/** `clustering` (FGD baseline). */
export const clusteringInfo = baselineInfo('clustering', 'GpuClustering (FGD baseline)', 'Keeps pods of the same GPU size together.');
/** `packing` (FGD baseline). */
export const packingInfo = baselineInfo('packing', 'GpuPacking (FGD baseline)', 'Fills partly used GPUs first, then partly used nodes, then idle ones.');
/** `bestfit` (FGD baseline). */
export const bestFitInfo = baselineInfo('bestfit', 'BestFit (FGD baseline)', 'The node left with the least free CPU and GPU.');

const VOLCANO_KNOBS: Knob[] = [
  { key: 'preempt', label: 'preempt action', kind: 'bool', help: 'Let starving jobs evict running pods of lower-priority jobs in the same queue, trying nodes in score order. Which pods may go is decided by the victim tiers below: with the Helm chart\'s, gang does not protect minAvailable, so preempt can break a running gang; with the built-in one, gang protects it unless gang offers nothing, and then drf alone decides.' },
  { key: 'reclaim', label: 'reclaim action', kind: 'bool', help: 'Let jobs of a queue below its deserved share evict running pods of other, reclaimable queues. Gang\'s tier is asked first: when gang offers pods (jobs above minAvailable), they go even from a queue within its deserved share; when gang offers none, proportion alone decides and may take a gang below minAvailable.' },
  { key: 'victimTiers', label: 'victim tiers', kind: 'choice', choices: ['helm', 'code'], help: 'Which plugins pick preempt and reclaim victims; the first plugin tier that names any decides. helm: the Helm chart\'s volcano-scheduler.conf, where gang and drf do not vote in preempt (priority and conformance do). code: the scheduler\'s built-in configuration, where priority, gang and conformance vote first and drf decides alone when they agree on nothing. Reclaim is the same under both.' },
  { key: 'overcommitFactor', label: 'overcommit factor', kind: 'number', min: 1, max: 10, help: 'enqueue admits a PodGroup while inqueue + minResources ≤ total × factor − used (Volcano default 1.2).' },
  { key: 'binpackWeight', label: 'binpack.weight', kind: 'int', min: 0, max: 100, help: 'Weight of the binpack score (100 · weight · Σ w_r·(used_r + req_r)/alloc_r ÷ Σ w_r); 0 turns binpack off.' },
  { key: 'binpackCpu', label: 'binpack.cpu', kind: 'int', min: 0, max: 100, help: 'binpack weight of CPU.' },
  { key: 'binpackMemory', label: 'binpack.memory', kind: 'int', min: 0, max: 100, help: 'binpack weight of memory.' },
  { key: 'binpackGpu', label: 'binpack.resources nvidia.com/gpu', kind: 'int', min: 0, max: 100, help: 'binpack weight of GPUs (0: GPUs not listed in binpack.resources, the Helm chart default).' },
];

const VOLCANO_DEFAULTS: VolcanoOptions = { preempt: false, reclaim: false, overcommitFactor: 1.2, binpackWeight: 1, binpackCpu: 1, binpackMemory: 1, binpackGpu: 0, victimTiers: 'helm' };

/** `volcano`: Volcano v1.15 with whole GPUs (src/sched/profiles/volcano.ts). */
export const volcanoInfo: ProfileInfo<VolcanoOptions> = {
  name: 'volcano',
  title: 'Volcano (gang, queues, binpack)',
  summary: 'Gang scheduling all-or-nothing, fair-share queues (proportion), drf job order, binpack; whole GPUs.',
  models: 'Volcano v1.15 scheduler (enqueue, allocate, backfill; optional preempt, reclaim), NVIDIA device plugin',
  knobs: VOLCANO_KNOBS,
  defaults: VOLCANO_DEFAULTS,
};

/** `volcano-hami`: Volcano v1.15 placing vGPU slices with deviceshare (src/sched/profiles/volcano.ts). */
export const volcanoHamiInfo: ProfileInfo<VolcanoHamiOptions> = {
  name: 'volcano-hami',
  title: 'Volcano + vGPU (deviceshare)',
  summary: 'Volcano gangs and queues, with GPU slices (memory + cores) placed by the deviceshare plugin.',
  models: 'Volcano v1.15 scheduler with deviceshare vGPU (HAMi-core), split count 10',
  knobs: [
    ...VOLCANO_KNOBS,
    { key: 'deviceSharePolicy', label: 'deviceshare.SchedulePolicy', kind: 'choice', choices: ['binpack', 'spread'], help: `binpack: cards with the most used memory first, score 100·usedMem/memory. spread: cards with the fewest sharers first. ${DEVICESHARE_SPREAD_NOTE}` },
    { key: 'deviceShareWeight', label: 'deviceshare.ScheduleWeight', kind: 'int', min: 0, max: 100, help: 'Multiplies the device score in the node score (the vGPU user guide uses 10; 0 = no device score).' },
    { key: 'splitCount', label: 'deviceSplitCount', kind: 'int', min: 1, max: 64, help: 'How many pods may share one GPU.' },
  ],
  defaults: { ...VOLCANO_DEFAULTS, deviceSharePolicy: 'binpack', deviceShareWeight: 10, splitCount: 10 },
};

// --- issue 17: MIG profiles (src/sched/profiles/mig.ts) ---

/** Options of `k8s-mig`. */
export interface K8sMigOptions {
  /** The device plugin's `--mig-strategy`: mixed (one resource per profile) or single (instances as nvidia.com/gpu). */
  migStrategy: 'mixed' | 'single';
  /** NodeResourcesFit scoring strategy (default LeastAllocated). */
  strategy: FitStrategyName;
  /** percentageOfNodesToScore: 0 = adaptive. */
  percentageOfNodesToScore: number;
}

/** `k8s-mig`: static MIG layouts, the device plugin's MIG strategies, kube-scheduler v1.34. */
export const k8sMigInfo: ProfileInfo<K8sMigOptions> = {
  name: 'k8s-mig',
  title: 'Kubernetes + static MIG (mig-parted layouts)',
  summary: 'Each MIG pool carries a fixed layout; pods ask for one MIG profile and wait when the layout has none free.',
  models: 'kube-scheduler v1.34, k8s-device-plugin MIG strategies, mig-parted config-default.yaml layouts',
  knobs: [
    {
      key: 'migStrategy',
      label: 'MIG strategy',
      kind: 'choice',
      choices: ['mixed', 'single'],
      help:
        'mixed: every profile is its own resource (nvidia.com/mig-2g.20gb), pods ask for the smallest profile that holds them; ' +
        'single: every instance is an nvidia.com/gpu, valid only when a node’s layout has one profile (else the node offers none). ' +
        `Pools without MIG offer whole nvidia.com/gpu. ${MIG_ASSUMPTION_NOTE}`,
    },
    STRATEGY_KNOB,
    PERCENTAGE_OF_NODES_KNOB,
  ],
  defaults: { migStrategy: 'mixed', strategy: 'LeastAllocated', percentageOfNodesToScore: 0 },
};

/** Options of `hami-mig`: HAMi's, plus the time to create an instance. */
export interface HamiMigOptions extends HamiOptions {
  /** Seconds from binding to the pod's start while HAMi's device plugin creates its MIG instance (unknown upstream). */
  migCreateDelayS: number;
}

const HAMI_MIG_BASE = hamiInfo(
  'hami-mig',
  'HAMi: dynamic MIG',
  'MIG instances created on demand: the smallest profile with enough memory and a free placement; HAMi slices elsewhere.',
  { nodePolicy: 'binpack', gpuPolicy: 'binpack' },
);

/** `hami-mig`: HAMi v2.10.0 with dynamic MIG on the MIG-enabled pools. */
export const hamiMigInfo: ProfileInfo<HamiMigOptions> = {
  ...HAMI_MIG_BASE,
  models: 'HAMi v2.10.0 dynamic MIG (operatingmode mig, NVML placements) as a scheduler extender on kube-scheduler v1.34',
  knobs: [
    ...HAMI_KNOBS.map((k) =>
      k.key === 'splitCount' ? { ...k, help: `How many pods may share one hami-core GPU (default 10). A MIG card registers Count = its largest instance count (7). ${MIG_ASSUMPTION_NOTE}` } : k,
    ),
    {
      key: 'migCreateDelayS',
      label: 'MIG instance creation (s)',
      kind: 'int',
      min: 0,
      max: 3600,
      help:
        'Seconds from binding to the pod\u2019s start while the device plugin creates its MIG instance (the pod holds the instance meanwhile; instances are removed when their pod leaves). ' +
        'Unknown upstream: HAMi and NVIDIA publish no figure, so the default 0 assumes nothing; set a value you measured.',
    },
  ],
  defaults: { ...HAMI_MIG_BASE.defaults, migCreateDelayS: 0 },
  engineNote: 'its Fit searches MIG placements card by card (the smallest profile with a free placement), which runs on the CPU',
};

// --- issue 17: DRA (src/sched/profiles/dra.ts) ---

/** Options of `k8s-dra`. */
export interface K8sDraOptions {
  /** The NVIDIA driver's DynamicMIG gate with the scheduler's DRAPartitionableDevices: MIG partitions as partitionable devices. */
  dynamicMig: boolean;
  /** NodeResourcesFit scoring strategy over cpu and memory (DRA has no score in v1.34). */
  strategy: FitStrategyName;
  /** percentageOfNodesToScore: 0 = adaptive. */
  percentageOfNodesToScore: number;
}

/** Options of `hami-dra`. */
export interface HamiDraOptions {
  /** NodeResourcesFit scoring strategy over cpu and memory (no node or card score in HAMi-DRA). */
  strategy: FitStrategyName;
  /** percentageOfNodesToScore: 0 = adaptive. */
  percentageOfNodesToScore: number;
}

/** Shown with the DRA profiles: why their candidate search runs on the CPU only (docs/engine.md). */
export const DRA_CPU_ONLY_NOTE = "its DRA allocator's search (depth-first with backtracking per node) runs on the CPU";

const DRA_STRATEGY_KNOB: Knob = { ...STRATEGY_KNOB, help: 'DynamicResources has no Score in v1.34: nodes that can allocate the claims are ranked by NodeResourcesFit over CPU and memory (LeastAllocated spreads, MostAllocated packs) and BalancedAllocation, plus the default PodTopologySpread for inference replicas and agent sessions, ties at random.' };

/** `k8s-dra`: kube-scheduler v1.34 DynamicResources with the NVIDIA DRA driver (src/sched/profiles/dra.ts). */
export const k8sDraInfo: ProfileInfo<K8sDraOptions> = {
  name: 'k8s-dra',
  title: 'Kubernetes DRA + NVIDIA DRA driver',
  summary: 'Each pod gets a ResourceClaim; the v1.34 structured allocator takes the first GPU (or MIG partition) that fits, no device score.',
  models: 'kube-scheduler v1.34 DynamicResources (structured allocator), NVIDIA dra-driver-nvidia-gpu (one slice per GPU)',
  knobs: [
    {
      key: 'dynamicMig',
      label: 'Dynamic MIG (partitionable devices)',
      kind: 'bool',
      help: 'Off (v1.34 defaults): every pod claims whole GPUs of class gpu.nvidia.com; time-slicing and MPS are claim configs the scheduler never sees. On: the driver\'s DynamicMIG gate (alpha) with DRAPartitionableDevices (alpha in v1.34): each MIG-capable GPU publishes the full GPU and one device per MIG profile and placement, all drawing on shared memory-slice counters; a one-GPU pod that needs less than a card claims a prioritized list: the smallest MIG profile that holds its memory first, bigger ones next, the whole GPU last. Within a profile the lowest free start wins (devices are tried in name order). H100/H200/B200 placements are assumed equal to A100\'s (unverified).',
    },
    DRA_STRATEGY_KNOB,
    PERCENTAGE_OF_NODES_KNOB,
  ],
  defaults: { dynamicMig: false, strategy: 'LeastAllocated', percentageOfNodesToScore: 0 },
  engineNote: DRA_CPU_ONLY_NOTE,
};

/** `hami-dra`: HAMi-DRA on kube-scheduler v1.34 DynamicResources (src/sched/profiles/dra.ts). */
export const hamiDraInfo: ProfileInfo<HamiDraOptions> = {
  name: 'hami-dra',
  title: 'HAMi-DRA (consumable capacity)',
  summary: 'Each GPU is one shareable DRA device with memory and cores capacity; claims take the first card with room, no card score.',
  models: 'HAMi-DRA webhook @ 0213e66 + k8s-dra-driver @ ebeaad9 on kube-scheduler v1.34 with DRAConsumableCapacity (alpha)',
  knobs: [DRA_STRATEGY_KNOB, PERCENTAGE_OF_NODES_KNOB],
  defaults: { strategy: 'LeastAllocated', percentageOfNodesToScore: 0 },
  engineNote: DRA_CPU_ONLY_NOTE,
};

/**
 * Every profile, in display order (the registry in src/sched/profiles/index.ts lists the same names in this order).
 * Cast through ProfileInfo<object>: the option interfaces have no index signature, so they are no Record<string, unknown>.
 */
export const PROFILE_CATALOG: readonly ProfileInfo[] = [
  k8sDefaultInfo,
  k8sTimeSlicingInfo,
  hamiBinpackInfo,
  hamiSpreadInfo,
  hamiTopologyInfo,
  fgdInfo,
  randomInfo,
  dotProdInfo,
  clusteringInfo,
  packingInfo,
  bestFitInfo,
  volcanoInfo,
  volcanoHamiInfo,
  k8sMigInfo,
  hamiMigInfo,
  k8sDraInfo,
  hamiDraInfo,
] as readonly ProfileInfo<object>[] as readonly ProfileInfo[];

/** A profile's catalog entry by name, or undefined. */
export function profileInfo(name: string): ProfileInfo | undefined {
  return PROFILE_CATALOG.find((p) => p.name === name);
}

/** Validates knob values against a profile; returns messages naming the knob (empty when valid). */
export function checkProfileOptions(def: ProfileInfo, options: Record<string, unknown> | undefined, path: string): string[] {
  const errors: string[] = [];
  if (options === undefined) return errors;
  for (const [key, value] of Object.entries(options)) {
    const knob = def.knobs.find((k) => k.key === key);
    if (!knob) {
      errors.push(`${path}.${key}: unknown option for profile ${def.name} (known: ${def.knobs.map((k) => k.key).join(', ') || 'none'})`);
      continue;
    }
    const msg = checkKnob(knob, value);
    if (msg) errors.push(`${path}.${key}: ${msg}`);
  }
  return errors;
}

function checkKnob(knob: Knob, value: unknown): string | null {
  switch (knob.kind) {
    case 'choice':
      return typeof value === 'string' && knob.choices.includes(value) ? null : `must be one of ${knob.choices.join(', ')}`;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer';
      return value < knob.min || value > knob.max ? `must be between ${knob.min} and ${knob.max}` : null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      return value < knob.min || value > knob.max ? `must be between ${knob.min} and ${knob.max}` : null;
    case 'bool':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'string':
      return typeof value === 'string' ? null : 'must be a string';
  }
}
