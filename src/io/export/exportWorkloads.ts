/**
 * Workloads as the objects that run them: batch → Job, training → Volcano Job (a gang) or an Indexed Job,
 * inference and agents → Deployment, raycluster → KubeRay RayCluster; existing pods → Pods bound to their node;
 * priorities → PriorityClasses; queues → Volcano Queues, batch jobs under Volcano → PodGroups.
 */
import { GPU_MILLI } from '../../model/units.ts';
import type { ExistingPodSpec, RayClusterWorkload, VolcanoQueueSpec, WorkloadSpec } from '../../scenario/types.ts';
import { formatHamiAllocation, syntheticGpuUuid } from '../kube/hamiAnnotations.ts';
import { formatSbGpus } from '../kube/importPods.ts';
import { HAMI_POD_ALLOCATED, HAMI_POD_NODE, RAY_PRIORITY_LABEL, RAY_SCHEDULER_LABEL, RAY_VOLCANO_QUEUE_LABEL, RES_GPU, SB_ARRIVAL_S, SB_DURATION_S, SB_GPU_MEM_MIB, SB_GPU_MILLI, SB_GPUS, SB_INTERARRIVAL_S, SB_WORKLOAD, VOLCANO_GROUP_NAME } from '../kube/kubeNames.ts';
import { formatCpuMilli, formatMiB } from '../kube/quantity.ts';
import type { ExportContext, Manifest } from './exportContext.ts';
import { KWOK_TAINT } from './exportNodes.ts';
import { dnsLabel } from './kubeName.ts';
import { podTemplate, priorityClassName, resourcesOf, type PodShape } from './podTemplate.ts';

const NAMESPACE = 'default';
/** The Ray image the RayClusters name (any Ray 2.x works with KubeRay v1). */
const RAY_IMAGE = 'rayproject/ray:2.46.0';

function obj(apiVersion: string, kind: string, name: string, rest: Record<string, unknown>, namespaced = true): Manifest {
  return { apiVersion, kind, metadata: namespaced ? { name, namespace: NAMESPACE } : { name }, ...rest };
}

/** Volcano resource list from the scenario's units. */
function volcanoResources(r: NonNullable<VolcanoQueueSpec['capability']>): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.cpuMilli !== undefined) out.cpu = formatCpuMilli(r.cpuMilli);
  if (r.memMiB !== undefined) out.memory = formatMiB(r.memMiB);
  if (r.gpuMilli !== undefined) out[RES_GPU] = r.gpuMilli % GPU_MILLI === 0 ? String(r.gpuMilli / GPU_MILLI) : `${r.gpuMilli}m`;
  return out;
}

/** Volcano Queues: the scenario's, plus any a workload names (weight 1). */
export function exportQueues(ctx: ExportContext): Manifest[] {
  const queues = [...(ctx.scenario.queues ?? [])];
  const known = new Set(queues.map((q) => q.name));
  for (const w of ctx.scenario.workloads) {
    if (w.queue !== undefined && !known.has(w.queue) && w.queue !== 'default') {
      queues.push({ name: w.queue, weight: 1 });
      known.add(w.queue);
    }
  }
  return queues.map((q) => {
    const spec: Record<string, unknown> = {};
    if (q.weight !== undefined) {
      // The CRD's weight is an integer; Volcano shares by weight ratio.
      spec.weight = Math.max(1, Math.round(q.weight));
      if (spec.weight !== q.weight) ctx.notes.push(`queue ${q.name}: weight ${q.weight} rounded to ${spec.weight as number} (Volcano weights are integers)`);
    }
    if (q.capability) spec.capability = volcanoResources(q.capability);
    if (q.guarantee) spec.guarantee = { resource: volcanoResources(q.guarantee) };
    if (q.reclaimable !== undefined) spec.reclaimable = q.reclaimable;
    if (q.priority !== undefined) spec.priority = q.priority;
    return obj('scheduling.volcano.sh/v1beta1', 'Queue', dnsLabel(q.name), { spec }, false);
  });
}

/** One PriorityClass per distinct non-zero priority the workloads use. */
export function exportPriorityClasses(ctx: ExportContext): Manifest[] {
  const values = [...new Set(ctx.scenario.workloads.map((w) => w.priority).filter((p): p is number => p !== undefined && p !== 0))].sort((a, b) => a - b);
  return values.map((value) => obj('scheduling.k8s.io/v1', 'PriorityClass', priorityClassName(value), { value, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority', description: 'Slicebench workload priority' }, false));
}

/** Pods already running: bound to their node by spec.nodeName (no scheduler involved). */
export function exportExistingPods(ctx: ExportContext, pods: readonly ExistingPodSpec[]): Manifest[] {
  return pods.map((e) => {
    const node = ctx.nodeNames.get(e.node) ?? dnsLabel(e.node);
    const slash = e.name.indexOf('/');
    const ns = slash > 0 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(e.name.slice(0, slash)) ? e.name.slice(0, slash) : NAMESPACE;
    const gpus = e.gpus ?? [];
    const annotations: Record<string, string> = { [SB_WORKLOAD]: e.name };
    if (gpus.length) annotations[SB_GPUS] = formatSbGpus(gpus);
    if (ctx.hami && ctx.gpuNames.count === RES_GPU && gpus.length) {
      annotations[HAMI_POD_NODE] = node;
      annotations[HAMI_POD_ALLOCATED] = formatHamiAllocation([gpus.map((g) => ({ uuid: syntheticGpuUuid(node, g.index), type: 'NVIDIA', memMiB: g.gpuMemMiB ?? 0, cores: g.gpuCores ?? 0 }))]);
    }
    const shape: PodShape = { cpuMilli: e.cpuMilli, memMiB: e.memMiB, gpus: gpus.length, gpuMilli: gpus.reduce((m, g) => Math.max(m, g.gpuMilli), 0), gpuMemMiB: gpus.reduce((m, g) => Math.max(m, g.gpuMemMiB ?? 0), 0), gpuCores: gpus.reduce((m, g) => Math.max(m, g.gpuCores ?? 0), 0) };
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: dnsLabel(slash > 0 ? e.name.slice(slash + 1) : e.name), namespace: ns, annotations },
      spec: { nodeName: node, containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', resources: resourcesOf(ctx, shape) }], tolerations: [{ key: KWOK_TAINT.key, operator: 'Exists', effect: KWOK_TAINT.effect }] },
    };
  });
}

function rayCluster(ctx: ExportContext, w: RayClusterWorkload): Manifest {
  const base = { workload: w.name, priority: w.priority, annotations: w.annotations };
  const head = podTemplate(ctx, { cpuMilli: w.head.cpuMilli, memMiB: w.head.memMiB, gpus: 0, gpuMilli: 0, gpuMemMiB: 0, gpuCores: 0 }, base);
  const withRay = (t: ReturnType<typeof podTemplate>, name: string) => {
    const c = (t.spec.containers as Record<string, unknown>[])[0];
    c.name = name;
    c.image = RAY_IMAGE;
    return t;
  };
  const labels: Record<string, string> = {};
  if (ctx.volcano) {
    labels[RAY_SCHEDULER_LABEL] = 'volcano';
    if (w.queue !== undefined) labels[RAY_VOLCANO_QUEUE_LABEL] = dnsLabel(w.queue);
  }
  if (w.priority !== undefined && w.priority !== 0) labels[RAY_PRIORITY_LABEL] = priorityClassName(w.priority);
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: dnsLabel(w.name), namespace: NAMESPACE, labels, annotations: { [SB_WORKLOAD]: w.name } },
    spec: {
      rayVersion: RAY_IMAGE.split(':')[1],
      enableInTreeAutoscaling: true,
      autoscalerOptions: { idleTimeoutSeconds: w.idleTimeoutS ?? 60, upscalingMode: 'Default' },
      headGroupSpec: { rayStartParams: {}, template: withRay(head, 'ray-head') },
      workerGroupSpecs: w.workerGroups.map((g) => ({
        groupName: g.name,
        replicas: g.replicas ?? g.minReplicas,
        minReplicas: g.minReplicas,
        maxReplicas: g.maxReplicas,
        rayStartParams: {},
        template: withRay(podTemplate(ctx, { cpuMilli: g.cpuMilli, memMiB: g.memMiB, gpus: g.gpusPerWorker, gpuMilli: g.gpusPerWorker > 0 ? GPU_MILLI : 0, gpuMemMiB: g.gpuMemMiB, gpuCores: 0 }, base), 'ray-worker'),
      })),
    },
  };
}

/** The objects of one workload (none for a trace: its pods are data, not a controller). */
export function exportWorkload(ctx: ExportContext, w: WorkloadSpec): Manifest[] {
  const name = dnsLabel(w.name);
  const meta = { workload: w.name, priority: w.priority, queue: w.queue, annotations: w.annotations };
  switch (w.kind) {
    case 'batch': {
      const extra: Record<string, string> = { [SB_DURATION_S]: String(w.durationS), [SB_ARRIVAL_S]: String(w.arrivalS) };
      if (w.interarrivalS !== undefined) extra[SB_INTERARRIVAL_S] = String(w.interarrivalS);
      if (w.gpus > 0 && w.gpuMilli < GPU_MILLI) extra[SB_GPU_MILLI] = String(w.gpuMilli);
      // Without HAMi no resource carries GPU memory; the annotation keeps it for a re-import.
      if (!ctx.hami && w.gpus > 0 && w.gpuMemMiB) extra[SB_GPU_MEM_MIB] = String(w.gpuMemMiB);
      const tpl = podTemplate(ctx, { cpuMilli: w.cpuMilli, memMiB: w.memMiB, gpus: w.gpus, gpuMilli: w.gpuMilli, gpuMemMiB: w.gpuMemMiB ?? 0, gpuCores: 0 }, { ...meta, gpuModels: w.gpuModels, extra, initContainers: w.initContainers });
      const out: Manifest[] = [];
      if (ctx.volcano) {
        // Volcano's own PodGroup (minMember 1: batch pods run alone), so the queue and priority class are explicit.
        (tpl.metadata.annotations as Record<string, string>)[VOLCANO_GROUP_NAME] = name;
        const spec: Record<string, unknown> = { minMember: 1 };
        if (w.queue !== undefined) spec.queue = dnsLabel(w.queue);
        if (w.priority !== undefined && w.priority !== 0) spec.priorityClassName = priorityClassName(w.priority);
        out.push(obj('scheduling.volcano.sh/v1beta1', 'PodGroup', name, { spec }));
      }
      out.push(obj('batch/v1', 'Job', name, { spec: { parallelism: w.count, completions: w.count, backoffLimit: 0, template: { metadata: tpl.metadata, spec: { ...tpl.spec, restartPolicy: 'Never' } } } }));
      return out;
    }
    case 'training': {
      const tpl = podTemplate(ctx, { cpuMilli: w.cpuMilli, memMiB: w.memMiB, gpus: w.gpusPerWorker, gpuMilli: GPU_MILLI, gpuMemMiB: w.gpuMemMiB, gpuCores: 0 }, { ...meta, initContainers: w.initContainers });
      const template = { metadata: tpl.metadata, spec: { ...tpl.spec, restartPolicy: 'Never' } };
      if (ctx.volcano) {
        const spec: Record<string, unknown> = { schedulerName: 'volcano', minAvailable: w.workers, queue: w.queue !== undefined ? dnsLabel(w.queue) : 'default', maxRetry: 3, tasks: [{ name: 'worker', replicas: w.workers, template }] };
        if (w.priority !== undefined && w.priority !== 0) spec.priorityClassName = priorityClassName(w.priority);
        return [obj('batch.volcano.sh/v1alpha1', 'Job', name, { spec })];
      }
      ctx.notes.push(`${w.name}: a gang of ${w.workers} workers becomes an Indexed Job: kube-scheduler places its pods one by one (the volcano target keeps the gang)`);
      return [obj('batch/v1', 'Job', name, { spec: { parallelism: w.workers, completions: w.workers, completionMode: 'Indexed', backoffLimit: 0, template } })];
    }
    case 'inference':
    case 'agent': {
      const replicas = w.kind === 'inference' ? w.replicas ?? w.minReplicas : w.count;
      const gpuMilli = Math.max(1, Math.min(GPU_MILLI, w.gpuCores * 10));
      const tpl = podTemplate(ctx, { cpuMilli: w.cpuMilli, memMiB: w.memMiB, gpus: 1, gpuMilli, gpuMemMiB: w.gpuMemMiB, gpuCores: w.gpuCores }, { ...meta, initContainers: w.initContainers });
      (tpl.metadata.labels as Record<string, string>).app = name;
      if (w.kind === 'inference') ctx.notes.push(`${w.name}: a Deployment of ${replicas} replica(s); the demand curve and autoscaler (${w.minReplicas}–${w.maxReplicas}) are not in the manifests`);
      else if (w.elasticity === 'scale-to-zero') ctx.notes.push(`${w.name}: scale-to-zero agents exported as ${replicas} always-on replicas`);
      return [obj('apps/v1', 'Deployment', name, { spec: { replicas, selector: { matchLabels: { app: name } }, template: tpl } })];
    }
    case 'raycluster':
      return [rayCluster(ctx, w)];
    case 'trace':
      ctx.notes.push(`${w.name}: trace workloads (${w.pods.length} pods with their own times) are not exported`);
      return [];
  }
}
