/**
 * The restore step (Excalidraw's shape): after validation, fill every optional field of a scenario with its
 * default, once, here. The simulator reads a `RestoredScenario` and holds no defaults of its own, so a default
 * changes in one place and its doc sits beside its value. Restoring never fails for a validated scenario and is
 * idempotent (restoring a restored scenario returns it unchanged). The input is not modified.
 */
import type {
  AgentWorkload,
  BatchWorkload,
  ExistingPodSpec,
  InferenceWorkload,
  NetworkSpec,
  RayClusterWorkload,
  RayWorkerGroupSpec,
  Scenario,
  SchedulerSpec,
  TracePod,
  TraceWorkload,
  TrainingWorkload,
  WorkloadSpec,
} from './types.ts';

/** Defaults of the optional scenario fields, each with its meaning (the fields' docs are in types.ts). */
export const SCENARIO_DEFAULTS = {
  /** Scheduling priority of a workload's pods. */
  priority: 0,
  /** Volcano queue of a workload's pods. */
  queue: 'default',
  /** Copies of a training job (one), and the gap between copies, seconds. */
  trainingRepeat: 1,
  trainingEveryS: 0,
  /** Inference scale-down stabilization window, seconds (the HPA's default). */
  inferenceStabilizationS: 300,
  /** Inference replica start-up (model load) from binding to serving, seconds. */
  inferenceStartupS: 60,
  /** Scale-to-zero agents: idle time before the pod is deleted, and cold start after binding, seconds. */
  agentIdleTimeoutS: 300,
  agentColdStartS: 10,
  /** Agent sessions arrive at the start. */
  agentArrivalS: 0,
  /** Batch pods book GPU memory by their share of the card (0 = derive from gpuMilli). */
  batchGpuMemMiB: 0,
  /** Batch pods all arrive at arrivalS (no Poisson gap). */
  batchInterarrivalS: 0,
  /** Batch and trace pods use all of the GPU they booked. */
  gpuUtilization: 1,
  /** KubeRay idleTimeoutSeconds, and the time from binding to a worker joining the cluster, seconds. */
  rayIdleTimeoutS: 60,
  rayWorkerStartupS: 30,
  /** RayClusters are created at the start. */
  rayArrivalS: 0,
  /** Node-to-node bandwidth inside a rack, GB/s per GPU (400 Gb/s per GPU). */
  intraRackGBs: 50,
  /** Node-to-node bandwidth across racks, GB/s per GPU. */
  interRackGBs: 12.5,
  /** GPU-to-GPU bandwidth over PCIe inside a node, GB/s (PCIe 4.0 x16). */
  pcieGBs: 32,
} as const;

/** T with the keys K required (their defaults filled). */
type Filled<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };
type BaseKeys = 'priority' | 'queue' | 'annotations';

export type RestoredTraining = Filled<TrainingWorkload, BaseKeys | 'repeat' | 'everyS'>;
export type RestoredInference = Filled<InferenceWorkload, BaseKeys | 'replicas' | 'stabilizationS' | 'startupS'>;
export type RestoredAgent = Filled<AgentWorkload, BaseKeys | 'idleTimeoutS' | 'coldStartS' | 'arrivalS'>;
export type RestoredBatch = Filled<BatchWorkload, BaseKeys | 'gpuMemMiB' | 'interarrivalS' | 'gpuUtilization' | 'gpuModels'>;
export type RestoredTracePod = Filled<TracePod, 'gpuSpec'>;
export type RestoredTrace = Filled<Omit<TraceWorkload, 'pods'>, BaseKeys | 'gpuUtilization'> & { pods: RestoredTracePod[] };
export type RestoredRayGroup = Filled<RayWorkerGroupSpec, 'replicas'>;
export type RestoredRayCluster = Filled<Omit<RayClusterWorkload, 'workerGroups'>, BaseKeys | 'taskGroup' | 'idleTimeoutS' | 'workerStartupS' | 'arrivalS'> & {
  workerGroups: RestoredRayGroup[];
};
export type RestoredWorkload = RestoredTraining | RestoredInference | RestoredAgent | RestoredBatch | RestoredTrace | RestoredRayCluster;
export type RestoredExistingPod = Omit<ExistingPodSpec, 'gpus'> & { gpus: { index: number; gpuMilli: number; gpuMemMiB: number; gpuCores: number }[] };

export type RestoredScheduler = Filled<SchedulerSpec, 'label'>;

/** A validated scenario with every default filled (what the simulator reads). */
export type RestoredScenario = Omit<Scenario, 'workloads' | 'existingPods' | 'cluster' | 'schedulers'> & {
  schedulers: RestoredScheduler[];
  cluster: Omit<Scenario['cluster'], 'network'> & { network: Required<NetworkSpec> };
  workloads: RestoredWorkload[];
  existingPods: RestoredExistingPod[];
};

/** The scenarios this module returned (restoring one of them again is the identity). */
const restored = new WeakSet<object>();

/** Fills every default of a validated scenario (see SCENARIO_DEFAULTS); returns a restored scenario as it is. */
export function restoreScenario(s: Scenario | RestoredScenario): RestoredScenario {
  if (restored.has(s)) return s as RestoredScenario;
  const d = SCENARIO_DEFAULTS;
  const net = s.cluster.network ?? {};
  const out: RestoredScenario = {
    ...s,
    cluster: { ...s.cluster, network: { intraRackGBs: net.intraRackGBs ?? d.intraRackGBs, interRackGBs: net.interRackGBs ?? d.interRackGBs, pcieGBs: net.pcieGBs ?? d.pcieGBs } },
    workloads: s.workloads.map(restoreWorkload),
    // A scheduler is labelled by its profile unless it has a label of its own.
    schedulers: s.schedulers.map((x) => ({ ...x, label: x.label ?? x.profile })),
    existingPods: (s.existingPods ?? []).map((e) => ({ ...e, gpus: (e.gpus ?? []).map((g) => ({ ...g, gpuMemMiB: g.gpuMemMiB ?? 0, gpuCores: g.gpuCores ?? 0 })) })),
  };
  restored.add(out);
  return out;
}

/** One workload with its defaults filled. */
function restoreWorkload(w: WorkloadSpec): RestoredWorkload {
  const d = SCENARIO_DEFAULTS;
  const base = { priority: w.priority ?? d.priority, queue: w.queue ?? d.queue, annotations: w.annotations ?? {} };
  switch (w.kind) {
    case 'training':
      return { ...w, ...base, repeat: w.repeat ?? d.trainingRepeat, everyS: w.everyS ?? d.trainingEveryS };
    case 'inference':
      return { ...w, ...base, replicas: w.replicas ?? w.minReplicas, stabilizationS: w.stabilizationS ?? d.inferenceStabilizationS, startupS: w.startupS ?? d.inferenceStartupS };
    case 'agent':
      return { ...w, ...base, idleTimeoutS: w.idleTimeoutS ?? d.agentIdleTimeoutS, coldStartS: w.coldStartS ?? d.agentColdStartS, arrivalS: w.arrivalS ?? d.agentArrivalS };
    case 'batch':
      return {
        ...w,
        ...base,
        gpuMemMiB: w.gpuMemMiB ?? d.batchGpuMemMiB,
        interarrivalS: w.interarrivalS ?? d.batchInterarrivalS,
        gpuUtilization: w.gpuUtilization ?? d.gpuUtilization,
        gpuModels: w.gpuModels ?? [],
      };
    case 'trace':
      return { ...w, ...base, gpuUtilization: w.gpuUtilization ?? d.gpuUtilization, pods: w.pods.map((p) => ({ ...p, gpuSpec: p.gpuSpec ?? [] })) };
    case 'raycluster': {
      // Tasks run on the named group; by default on the first group with GPUs, else the first group.
      const taskGroup = w.taskGroup || (w.workerGroups.find((g) => g.gpusPerWorker > 0) ?? w.workerGroups[0]).name;
      return {
        ...w,
        ...base,
        taskGroup,
        idleTimeoutS: w.idleTimeoutS ?? d.rayIdleTimeoutS,
        workerStartupS: w.workerStartupS ?? d.rayWorkerStartupS,
        arrivalS: w.arrivalS ?? d.rayArrivalS,
        workerGroups: w.workerGroups.map((g) => ({ ...g, replicas: g.replicas ?? g.minReplicas })),
      };
    }
  }
}
