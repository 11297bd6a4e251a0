/**
 * A scenario → the manifests that run it on a real (or KWOK) cluster, for a target:
 * - `kwok`: the fake nodes only;
 * - `k8s`: nodes, pods already running, workloads as Jobs/Deployments/RayClusters, PriorityClasses, kube-scheduler config;
 * - `hami`: as k8s with HAMi's registration, GPU-share requests and Helm values;
 * - `volcano`: as k8s with Queues, PodGroups, vcjobs for gangs and scheduler.conf;
 * - `kuberay`: the nodes and the RayClusters.
 * Pure: the CLI writes the result as one YAML stream or as one file per kind.
 */
import { stringify } from 'yaml';
import type { Scenario } from '../../scenario/types.ts';
import { exportContext, type ExportTarget, type Manifest } from './exportContext.ts';
import { exportNodes } from './exportNodes.ts';
import { exportExistingPods, exportPriorityClasses, exportQueues, exportWorkload } from './exportWorkloads.ts';
import { schedulerConfig, type ConfigFile } from './schedulerConfig.ts';

export interface ExportResult {
  /** Kubernetes objects, in the order `kubectl apply` needs them. */
  objects: Manifest[];
  /** Configuration files that are not objects (Helm values, KubeSchedulerConfiguration). */
  files: ConfigFile[];
  /** What the export left out or approximated. */
  notes: string[];
}

/** The manifests of a scenario for a target. */
export function exportManifests(scenario: Scenario, target: ExportTarget): ExportResult {
  const ctx = exportContext(scenario, target);
  const nodes = exportNodes(ctx);
  if (target === 'kwok') return { objects: nodes, files: [], notes: ctx.notes };
  const workloads = scenario.workloads.filter((w) => target !== 'kuberay' || w.kind === 'raycluster');
  const skipped = scenario.workloads.length - workloads.length;
  if (skipped) ctx.notes.push(`${skipped} workload(s) that are not RayClusters are left out of the kuberay target`);
  const objects: Manifest[] = [...exportPriorityClasses(ctx)];
  if (ctx.volcano) objects.push(...exportQueues(ctx));
  objects.push(...nodes);
  if (target !== 'kuberay') objects.push(...exportExistingPods(ctx, scenario.existingPods ?? []));
  for (const w of workloads) objects.push(...exportWorkload(ctx, w));
  const config = schedulerConfig(ctx);
  objects.push(...config.objects);
  return { objects, files: config.files, notes: ctx.notes };
}

/** Objects as one multi-document YAML stream. */
export function toYamlStream(objects: readonly Manifest[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

/** File name for the objects of one kind (`nodes.yaml`; a Volcano Job is `vcjobs.yaml`). */
export function fileOfKind(o: Manifest): string {
  if (o.kind === 'Job' && o.apiVersion.startsWith('batch.volcano.sh/')) return 'vcjobs.yaml';
  const k = o.kind.toLowerCase();
  return `${k.endsWith('s') ? `${k}es` : `${k}s`}.yaml`;
}

/** The export as files: one per kind, plus the configuration files under `config/` (so `kubectl apply -f dir` skips them). */
export function exportFiles(r: ExportResult): ConfigFile[] {
  const byFile = new Map<string, Manifest[]>();
  for (const o of r.objects) {
    const f = fileOfKind(o);
    const list = byFile.get(f);
    if (list) list.push(o);
    else byFile.set(f, [o]);
  }
  return [...[...byFile].map(([name, objs]) => ({ name, text: toYamlStream(objs) })), ...r.files.map((f) => ({ name: `config/${f.name}`, text: f.text }))];
}
