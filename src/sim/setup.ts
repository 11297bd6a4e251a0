/**
 * Turns a validated scenario into the runtime pieces of one run: the cluster, the scheduler, the seeded
 * streams, and the pods the workloads create. Shared by the simulator and `slicebench place`.
 */
import { Rng } from '../core/rng.ts';
import { ClusterState, type ClusterOptions, type GpuState } from '../model/cluster.ts';
import { resolveCatalog, type GpuModel } from '../scenario/gpuCatalog.ts';
import type { InitContainerSpec } from '../scenario/types.ts';
import type { GpuBooking, Pod, PodRequest, WorkloadKind } from '../model/pod.ts';
import { GPU_MILLI } from '../model/units.ts';
import type { Scheduler } from '../sched/framework.ts';
import { createScheduler } from '../sched/profiles/index.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { restoreScenario, type RestoredExistingPod, type RestoredScenario, type RestoredWorkload } from '../scenario/restore.ts';
import { existingGpuShare } from '../scenario/validate.ts';
import type { RayClusterWorkload, Scenario, SchedulerSpec } from '../scenario/types.ts';
import type { RequestPin } from '../scenario/gpuDemand.ts';

/** Seconds between the worker pods a training job's controller creates (pods appear one by one). */
export const TRAINING_POD_CREATE_INTERVAL_S = 1;

/** Creates pods with dense uids. */
export class PodFactory {
  private nextUid = 0;
  private nextGang = 0;

  /** A new gang id. */
  gang(): number {
    return this.nextGang++;
  }

  make(fields: { name: string; kind: WorkloadKind; workload: number; request: PodRequest; createdS: number; priority?: number; queue?: string; annotations?: Record<string, string>; gang?: number; gangMin?: number }): Pod {
    return {
      uid: this.nextUid++,
      name: fields.name,
      kind: fields.kind,
      workload: fields.workload,
      request: fields.request,
      priority: fields.priority ?? 0,
      queue: fields.queue ?? 'default',
      annotations: fields.annotations ?? {},
      gang: fields.gang ?? -1,
      gangMin: fields.gangMin ?? 0,
      createdS: fields.createdS,
      phase: 'pending',
      binding: null,
      boundS: -1,
      attempts: 0,
      lastReason: '',
    };
  }
}

/** The request of one pod of a workload, with its isolation wish and request-form pin (scenario/gpuDemand.ts). */
export function podRequestOf(w: RestoredWorkload): PodRequest {
  return withDemandPin(w, podResourcesOf(w));
}

/** Adds a workload's `isolation` and `gpuRequest` to a pod request (only when set, so other requests stay as they were). */
export function withDemandPin(w: { isolation?: boolean; gpuRequest?: RequestPin }, r: PodRequest): PodRequest {
  if (w.isolation) r.isolation = true;
  if (w.gpuRequest) r.pin = w.gpuRequest;
  return r;
}

/**
 * A pod's CPU and memory with its init containers (issue 13): max(the app container, each init container), as
 * kube-scheduler aggregates a pod's requests (k8s.io/component-helpers resource/helpers.go; nodeResourcesFit.ts
 * podResourceRequest does the same for imported pods).
 */
export function withInitContainers(init: readonly InitContainerSpec[] | undefined, r: PodRequest): PodRequest {
  for (const c of init ?? []) {
    r.cpuMilli = Math.max(r.cpuMilli, c.cpuMilli ?? 0);
    r.memMiB = Math.max(r.memMiB, c.memMiB ?? 0);
  }
  return r;
}

function podResourcesOf(w: RestoredWorkload): PodRequest {
  if (w.kind === 'trace' || w.kind === 'raycluster') return podAppResourcesOf(w);
  return withInitContainers(w.initContainers, podAppResourcesOf(w));
}

function podAppResourcesOf(w: RestoredWorkload): PodRequest {
  switch (w.kind) {
    case 'training':
      return { cpuMilli: w.cpuMilli, memMiB: w.memMiB, gpuCount: w.gpusPerWorker, gpuMilli: GPU_MILLI, gpuMemMiB: w.gpuMemMiB, gpuCores: 100, gpuModels: [] };
    case 'inference':
      return { cpuMilli: w.cpuMilli, memMiB: w.memMiB, gpuCount: 1, gpuMilli: Math.max(1, Math.min(GPU_MILLI, w.gpuCores * 10)), gpuMemMiB: w.gpuMemMiB, gpuCores: w.gpuCores, gpuModels: [] };
    case 'agent':
      return { cpuMilli: w.cpuMilli, memMiB: w.memMiB, gpuCount: 1, gpuMilli: Math.max(1, Math.min(GPU_MILLI, w.gpuCores * 10)), gpuMemMiB: w.gpuMemMiB, gpuCores: w.gpuCores, gpuModels: [] };
    case 'batch':
      return {
        cpuMilli: w.cpuMilli,
        memMiB: w.memMiB,
        gpuCount: w.gpus,
        gpuMilli: w.gpus > 0 ? w.gpuMilli : 0,
        gpuMemMiB: w.gpuMemMiB,
        gpuCores: w.gpus > 0 ? Math.ceil(w.gpuMilli / 10) : 0,
        gpuModels: w.gpuModels,
      };
    case 'trace':
    case 'raycluster':
      throw new Error(`${w.kind} pods each have their own request`);
  }
}

/** The request of a RayCluster's head pod (group −1) or of a worker of group `g`. */
export function rayPodRequest(w: RayClusterWorkload, g: number): PodRequest {
  if (g < 0) return { cpuMilli: w.head.cpuMilli, memMiB: w.head.memMiB, gpuCount: 0, gpuMilli: 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] };
  const group = w.workerGroups[g];
  const gpus = group.gpusPerWorker;
  return withDemandPin(w, { cpuMilli: group.cpuMilli, memMiB: group.memMiB, gpuCount: gpus, gpuMilli: gpus > 0 ? GPU_MILLI : 0, gpuMemMiB: gpus > 0 ? group.gpuMemMiB : 0, gpuCores: gpus > 0 ? 100 : 0, gpuModels: [] });
}

/** KubeRay's gang size under Volcano: the head plus every group's minReplicas. */
export function rayGangMin(w: RayClusterWorkload): number {
  return 1 + w.workerGroups.reduce((s, g) => s + g.minReplicas, 0);
}

/** Everything one run needs. */
export interface RunSetup {
  scenario: Scenario;
  /** The scenario with every default filled (scenario/restore.ts): what the simulator reads. */
  restored: RestoredScenario;
  schedulerSpec: SchedulerSpec;
  seed: number;
  catalog: Record<string, GpuModel>;
  cluster: ClusterState;
  scheduler: Scheduler;
  /** The scheduler's own stream (tie-breaks). */
  schedulerRng: Rng;
  /** The workloads' stream (arrivals, bursts): independent of the scheduler, so profiles see the same load. */
  workloadRng: Rng;
  factory: PodFactory;
  /** Pods bound before the run starts (scenario.existingPods). */
  existingPods: Pod[];
}

/**
 * Builds the cluster and scheduler of a run from a validated scenario (restored here). Throws ScenarioError only
 * for a scheduler index the scenario does not have.
 */
export function buildRun(scenario: Scenario, schedulerIndex = 0, seedOverride?: number): RunSetup {
  const schedulerSpec = scenario.schedulers[schedulerIndex];
  if (!schedulerSpec) throw new ScenarioError(`schedulers[${schedulerIndex}]: no such scheduler in the scenario`);
  const restored = restoreScenario(scenario);
  const seed = (seedOverride ?? scenario.sim.seed) >>> 0;
  const master = new Rng(seed);
  const catalog = resolveCatalog(scenario.catalog);
  const cluster = ClusterState.fromSpec(scenario.cluster, catalog);
  const schedulerRng = master.fork('scheduler');
  const scheduler = createScheduler(schedulerSpec.profile, schedulerSpec.options, { scenario, cluster, rng: schedulerRng });
  cluster.options = scheduler.clusterOptions;
  const factory = new PodFactory();
  const existingPods: Pod[] = [];
  // Validation checked that every existing pod fits where it sits (scenario/validate.ts), so binding cannot fail.
  for (const e of restored.existingPods) {
    const node = cluster.nodeByName(e.node)!;
    const gpus = e.gpus;
    const pod = factory.make({
      name: e.name,
      kind: 'batch',
      workload: -1,
      request: { cpuMilli: e.cpuMilli, memMiB: e.memMiB, gpuCount: gpus.length, gpuMilli: gpus.reduce((m, g) => Math.max(m, g.gpuMilli), 0), gpuMemMiB: gpus.reduce((m, g) => Math.max(m, g.gpuMemMiB), 0), gpuCores: gpus.reduce((m, g) => Math.max(m, g.gpuCores), 0), gpuModels: [] },
      createdS: 0,
    });
    cluster.bind(pod, { nodeId: node.id, gpus: gpus.map((g) => existingBooking(g, node.gpus[g.index], cluster.options)) });
    pod.phase = 'bound';
    pod.boundS = 0;
    existingPods.push(pod);
  }
  return { scenario, restored, schedulerSpec, seed, catalog, cluster, scheduler, schedulerRng, workloadRng: master.fork('workloads'), factory, existingPods };
}

/**
 * What an existing pod's entry books on a card: its share in every dimension (scenario/validate.ts
 * existingGpuShare, which validation checked fits), so no profile's model of the card sees room that is taken.
 * Under time-slicing (`replicasPerGpu` N) a share of m milli takes ceil(m·N/1000) replicas, at least 1, so the
 * replicas left are worth at most 1000 − m milli.
 */
export function existingBooking(g: RestoredExistingPod['gpus'][number], card: GpuState, options: ClusterOptions): GpuBooking {
  const share = existingGpuShare(g, card.memMiB);
  const replicas = options.replicasPerGpu ?? 1;
  return { gpu: g.index, milli: share.milli, memMiB: share.memMiB, cores: share.cores, slots: Math.max(1, Math.ceil((share.milli * replicas) / GPU_MILLI)) };
}

/** A pod a workload creates, with the time it appears. */
export interface PlannedPod {
  pod: Pod;
  atS: number;
}

/**
 * The pods the workloads create on their own schedule (not the autoscaled or burst-driven ones), in arrival
 * order: training workers, initial inference replicas, always-on agents, batch and trace pods. Arrival
 * randomness comes from `rng` (forked per workload, so editing one workload leaves the others' arrivals alone).
 */
export function plannedPods(scenario: Scenario | RestoredScenario, factory: PodFactory, rng: Rng): PlannedPod[] {
  const out: PlannedPod[] = [];
  restoreScenario(scenario).workloads.forEach((w, wi) => {
    const base = { workload: wi, priority: w.priority, queue: w.queue, annotations: w.annotations };
    switch (w.kind) {
      case 'training': {
        const copies = w.repeat;
        for (let c = 0; c < copies; c++) {
          const at = w.arrivalS + c * w.everyS;
          const gang = factory.gang();
          for (let k = 0; k < w.workers; k++) {
            const createdS = at + k * TRAINING_POD_CREATE_INTERVAL_S;
            const name = copies > 1 ? `${w.name}-${c}-w${k}` : `${w.name}-w${k}`;
            out.push({ pod: factory.make({ ...base, name, kind: 'training', request: podRequestOf(w), createdS, gang, gangMin: w.workers }), atS: createdS });
          }
        }
        break;
      }
      case 'inference': {
        const n = w.replicas;
        for (let k = 0; k < n; k++) out.push({ pod: factory.make({ ...base, name: `${w.name}-${k}`, kind: 'inference', request: podRequestOf(w), createdS: 0 }), atS: 0 });
        break;
      }
      case 'agent': {
        if (w.elasticity === 'always-on') {
          const at = w.arrivalS;
          for (let k = 0; k < w.count; k++) out.push({ pod: factory.make({ ...base, name: `${w.name}-a${k}`, kind: 'agent', request: podRequestOf(w), createdS: at }), atS: at });
        }
        break;
      }
      case 'batch': {
        const r = rng.fork(`workload:${wi}`);
        let t = w.arrivalS;
        for (let k = 0; k < w.count; k++) {
          if (k > 0 && w.interarrivalS > 0) t += Math.max(0, Math.round(r.exp(1 / w.interarrivalS)));
          out.push({ pod: factory.make({ ...base, name: `${w.name}-${k}`, kind: 'batch', request: podRequestOf(w), createdS: t }), atS: t });
        }
        break;
      }
      case 'raycluster': {
        const at = w.arrivalS;
        const gang = factory.gang();
        const gangMin = rayGangMin(w);
        out.push({ pod: factory.make({ ...base, name: `${w.name}-head`, kind: 'raycluster', request: rayPodRequest(w, -1), createdS: at, gang, gangMin }), atS: at });
        w.workerGroups.forEach((g, gi) => {
          for (let k = 0; k < g.replicas; k++) {
            out.push({ pod: factory.make({ ...base, name: `${w.name}-${g.name}-${k}`, kind: 'raycluster', request: rayPodRequest(w, gi), createdS: at, gang, gangMin }), atS: at });
          }
        });
        break;
      }
      case 'trace': {
        for (const p of w.pods) {
          const request: PodRequest = withDemandPin(w, { cpuMilli: p.cpuMilli, memMiB: p.memMiB, gpuCount: p.numGpu, gpuMilli: p.numGpu > 0 ? p.gpuMilli : 0, gpuMemMiB: 0, gpuCores: p.numGpu > 0 ? Math.ceil(p.gpuMilli / 10) : 0, gpuModels: p.gpuSpec });
          out.push({ pod: factory.make({ ...base, name: p.name, kind: 'trace', request, createdS: p.creationS }), atS: p.creationS });
        }
        break;
      }
    }
  });
  // Stable by time: pods appearing at the same second keep workload order.
  return out.map((p, i) => ({ p, i })).sort((a, b) => a.p.atS - b.p.atS || a.i - b.i).map((x) => x.p);
}
