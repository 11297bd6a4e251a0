/** What every part of an export shares: the scenario, the target, the names given to nodes, and the notes. */
import type { Scenario, SchedulerSpec } from '../../scenario/types.ts';
import { profileInfo } from '../../scenario/profileCatalog.ts';
import { HAMI_NODE_REGISTER, RES_GPU, RES_GPUCORES, RES_GPUMEM, VGPU_CORES, VGPU_MEMORY, VGPU_NUMBER, VOLCANO_NODE_REGISTER } from '../kube/kubeNames.ts';

/** What the manifests are for. */
export type ExportTarget = 'kwok' | 'k8s' | 'hami' | 'volcano' | 'kuberay';

export const EXPORT_TARGETS: readonly ExportTarget[] = ['kwok', 'k8s', 'hami', 'volcano', 'kuberay'];

/** A Kubernetes object as plain data. */
export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

export interface ExportContext {
  scenario: Scenario;
  target: ExportTarget;
  /** The scheduler the manifests configure (the scenario's first). */
  scheduler: SchedulerSpec;
  /** The profile's options with its defaults filled in. */
  options: Record<string, unknown>;
  /** HAMi devices: registration annotations on nodes, GPU-share requests. */
  hami: boolean;
  /** The resource and annotation names the GPU devices use: HAMi's, or Volcano vGPU's under volcano-hami. */
  gpuNames: { count: string; mem: string; cores: string; register: string };
  /** Volcano: schedulerName volcano, Queues, PodGroups, vcjobs. */
  volcano: boolean;
  /** Simulator node name → exported node name. */
  nodeNames: Map<string, string>;
  /** What the export left out or approximated, for the user. */
  notes: string[];
}

/** The context of one export. */
export function exportContext(scenario: Scenario, target: ExportTarget): ExportContext {
  const scheduler = scenario.schedulers[0];
  const info = profileInfo(scheduler.profile);
  const options = { ...(info?.defaults ?? {}), ...(scheduler.options ?? {}) } as Record<string, unknown>;
  const volcano = target === 'volcano' || (target === 'kuberay' && scheduler.profile.startsWith('volcano'));
  const hami = target === 'hami' || (target === 'volcano' && scheduler.profile === 'volcano-hami');
  const vgpu = volcano && hami;
  const gpuNames = vgpu ? { count: VGPU_NUMBER, mem: VGPU_MEMORY, cores: VGPU_CORES, register: VOLCANO_NODE_REGISTER } : { count: RES_GPU, mem: RES_GPUMEM, cores: RES_GPUCORES, register: HAMI_NODE_REGISTER };
  return { scenario, target, scheduler, options, hami, volcano, gpuNames, nodeNames: new Map(), notes: [] };
}

/** An option as a number, else the fallback. */
export function numOption(ctx: ExportContext, key: string, fallback: number): number {
  const v = ctx.options[key];
  return typeof v === 'number' ? v : fallback;
}

/** An option as a string, else the fallback. */
export function strOption(ctx: ExportContext, key: string, fallback: string): string {
  const v = ctx.options[key];
  return typeof v === 'string' ? v : fallback;
}
