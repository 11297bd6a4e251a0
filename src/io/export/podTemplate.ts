/**
 * A pod template for one pod shape: requests, the GPU resources the target understands (whole `nvidia.com/gpu`,
 * or HAMi's `nvidia.com/gpumem` / `nvidia.com/gpucores` for shares, `volcano.sh/vgpu-*` under volcano-hami), priority class, queue, scheduler name, the
 * KWOK toleration, and the Slicebench annotations that let `slicebench import` read the workload back.
 */
import { GPU_MILLI } from '../../model/units.ts';
import { gfdProductOf } from '../kube/gpuProduct.ts';
import { GFD_PRODUCT, SB_WORKLOAD, VOLCANO_QUEUE_NAME } from '../kube/kubeNames.ts';
import { formatCpuMilli, formatMiB } from '../kube/quantity.ts';
import type { ExportContext } from './exportContext.ts';
import { KWOK_TAINT } from './exportNodes.ts';
import { dnsLabel, isQualifiedKey } from './kubeName.ts';
import type { InitContainerSpec } from '../../scenario/types.ts';

/** What one pod asks for, in the scenario's units. */
export interface PodShape {
  cpuMilli: number;
  memMiB: number;
  gpus: number;
  /** Share of each GPU (1000 = whole). */
  gpuMilli: number;
  /** HAMi memory per GPU, MiB (0 = not set). */
  gpuMemMiB: number;
  /** HAMi compute per GPU, percent (0 = derive from gpuMilli when it is a share). */
  gpuCores: number;
}

/** What a template says besides the shape. */
export interface PodMeta {
  /** The scenario's workload name (kept in an annotation). */
  workload: string;
  priority?: number;
  queue?: string;
  annotations?: Record<string, string>;
  gpuModels?: string[];
  /** More Slicebench annotations (run time, arrival...). */
  extra?: Record<string, string>;
  /** The workload's init containers (issue 13): exported with their requests. */
  initContainers?: readonly InitContainerSpec[];
}

/** The PriorityClass name for a priority value. */
export function priorityClassName(priority: number): string {
  return priority >= 0 ? `slicebench-priority-${priority}` : `slicebench-priority-minus-${-priority}`;
}

/** The scheduler name pods of this target use. */
export function schedulerNameOf(ctx: ExportContext): string | undefined {
  if (ctx.volcano) return 'volcano';
  if (ctx.hami) return 'hami-scheduler';
  return undefined;
}

/** The container's resources for a shape (GPU shares need HAMi; plain Kubernetes gets whole GPUs). */
export function resourcesOf(ctx: ExportContext, s: PodShape): { requests: Record<string, string>; limits?: Record<string, string> } {
  const requests = { cpu: formatCpuMilli(s.cpuMilli), memory: formatMiB(s.memMiB) };
  if (s.gpus === 0) return { requests };
  const names = ctx.gpuNames;
  const limits: Record<string, string> = { [names.count]: String(s.gpus) };
  const share = s.gpuMilli < GPU_MILLI;
  if (ctx.hami) {
    if (s.gpuMemMiB > 0) limits[names.mem] = String(s.gpuMemMiB);
    const cores = s.gpuCores > 0 ? s.gpuCores : share ? Math.ceil(s.gpuMilli / 10) : 0;
    if (cores > 0) limits[names.cores] = String(cores);
  }
  return { requests, limits };
}

/** The pod template (metadata and spec) for a shape. */
export function podTemplate(ctx: ExportContext, s: PodShape, m: PodMeta): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  const annotations: Record<string, string> = { [SB_WORKLOAD]: m.workload, ...(m.extra ?? {}) };
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    if (isQualifiedKey(k)) annotations[k] = v;
    else ctx.notes.push(`${m.workload}: annotation "${k}" is not a valid Kubernetes key: left out`);
  }
  if (m.queue !== undefined) annotations[VOLCANO_QUEUE_NAME] = m.queue;
  if (!ctx.hami && s.gpus > 0 && s.gpuMilli < GPU_MILLI) ctx.notes.push(`${m.workload}: ${s.gpuMilli} milli-GPU asks for a whole nvidia.com/gpu here (GPU shares need the hami target)`);
  const spec: Record<string, unknown> = {
    containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', resources: resourcesOf(ctx, s) }],
    tolerations: [{ key: KWOK_TAINT.key, operator: 'Exists', effect: KWOK_TAINT.effect }],
  };
  if (m.initContainers?.length) {
    spec.initContainers = m.initContainers.map((c, i) => ({
      name: c.name ? dnsLabel(c.name) : `init-${i}`,
      image: 'registry.k8s.io/pause:3.10',
      resources: { requests: { cpu: formatCpuMilli(c.cpuMilli ?? 0), memory: formatMiB(c.memMiB ?? 0) } },
    }));
  }
  const scheduler = schedulerNameOf(ctx);
  if (scheduler) spec.schedulerName = scheduler;
  if (m.priority !== undefined && m.priority !== 0) spec.priorityClassName = priorityClassName(m.priority);
  const models = s.gpus > 0 ? m.gpuModels ?? [] : [];
  if (models.length === 1) spec.nodeSelector = { [GFD_PRODUCT]: gfdProductOf(models[0]) };
  else if (models.length > 1) {
    spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: GFD_PRODUCT, operator: 'In', values: models.map(gfdProductOf) }] }] } } };
  }
  return { metadata: { labels: { 'app.kubernetes.io/managed-by': 'slicebench' }, annotations }, spec };
}
