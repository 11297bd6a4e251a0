/**
 * A cluster snapshot (kubectl's JSON `List`, or YAML) → a scenario plus a report of what was mapped,
 * approximated and ignored. Pure: text in, data out, so it runs in Node and in a worker. Secrets are never
 * read and no environment value is copied; bad input throws a KubeImportError naming object and field.
 */
import { GPU_MILLI } from '../../model/units.ts';
import { SCENARIO_KIND, SCENARIO_VERSION, type RayClusterWorkload, type Scenario, type VolcanoQueueSpec, type WorkloadSpec } from '../../scenario/types.ts';
import { importNodes } from './importNodes.ts';
import { PodImporter } from './importPods.ts';
import { HAMI_NODE_REGISTER, RES_GPU, SB_WORKLOAD, VOLCANO_NODE_REGISTER } from './kubeNames.ts';
import { podRequestsOf } from './podRequests.ts';
import { cpuMilliOf, memMiBOf, parseQuantity } from './quantity.ts';
import { emptyReport, type ImportReport } from './report.ts';
import { KubeImportError, isObj, readSnapshot, refOf, type KubeObject } from './snapshot.ts';

export interface KubeImportOptions {
  /** Scenario name (default: `imported cluster`). */
  name?: string;
  /** File name, for messages. */
  file?: string;
  /** Scheduler profile (default: volcano-hami when Volcano vGPU registers GPUs, hami-binpack when HAMi does, volcano when there are Queues, else k8s-default). */
  profile?: string;
  /** Progress callback (0..1), for the app's worker. */
  onProgress?: (fraction: number) => void;
}

export interface KubeImportResult {
  scenario: Scenario;
  report: ImportReport;
}

/** Kinds the importer reads; any other is listed as ignored. */
const CONTROLLERS = new Set(['Job', 'Deployment', 'RayCluster']);
/** Kinds whose pods the snapshot already carries (nothing to add from them). */
const POD_OWNERS = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet']);

function str(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}

function meta(o: KubeObject): Record<string, unknown> {
  return isObj(o.metadata) ? o.metadata : {};
}

/** `<ns>/<name>`. */
function nsName(o: KubeObject): string {
  const md = meta(o);
  return `${typeof md.namespace === 'string' ? md.namespace : 'default'}/${String(md.name)}`;
}

/** A Volcano resource list (`nvidia.com/gpu`, `cpu`, `memory`) in the scenario's units. */
function volcanoResources(v: unknown, where: string, errors: string[]): VolcanoQueueSpec['capability'] | undefined {
  if (!isObj(v)) return undefined;
  const out: NonNullable<VolcanoQueueSpec['capability']> = {};
  for (const [k, raw] of Object.entries(v)) {
    const field = k === 'cpu' ? 'cpuMilli' : k === 'memory' ? 'memMiB' : k === RES_GPU ? 'gpuMilli' : undefined;
    if (!field) continue;
    const x = k === 'cpu' ? cpuMilliOf(raw) : k === 'memory' ? memMiBOf(raw) : Math.round(parseQuantity(raw) * GPU_MILLI);
    if (x >= 0) out[field] = x;
    else errors.push(`${where}["${k}"]: not a quantity: ${JSON.stringify(raw)}`);
  }
  return Object.keys(out).length ? out : undefined;
}

/** The pod's owner as `<Kind>/<ns>/<name>`, a ReplicaSet as its Deployment. */
function ownerKeys(pod: KubeObject): string[] {
  const md = meta(pod);
  const ns = typeof md.namespace === 'string' ? md.namespace : 'default';
  const refs = Array.isArray(md.ownerReferences) ? md.ownerReferences : [];
  const out: string[] = [];
  for (const r of refs) {
    if (!isObj(r) || typeof r.kind !== 'string' || typeof r.name !== 'string') continue;
    out.push(`${r.kind}/${ns}/${r.name}`);
    const dep = /^(.*)-[a-z0-9]{5,10}$/.exec(r.name);
    if (r.kind === 'ReplicaSet' && dep) out.push(`Deployment/${ns}/${dep[1]}`);
  }
  const ray = isObj(md.labels) ? str(md.labels, 'ray.io/cluster') : undefined;
  if (ray) out.push(`RayCluster/${ns}/${ray}`);
  return out;
}

/** A pending pod's workload name: its owner (`<ns>/<name>`, a ReplicaSet as its Deployment), else itself. */
function ownerName(pod: KubeObject): string {
  const k = ownerKeys(pod);
  const best = k.find((x) => x.startsWith('Deployment/')) ?? k[0];
  return best ? best.slice(best.indexOf('/') + 1) : nsName(pod);
}

/** A RayCluster → a raycluster workload (the task stream is not in the object: none assumed). */
function rayWorkload(o: KubeObject, errors: string[]): RayClusterWorkload | undefined {
  const ref = refOf(o);
  const spec = isObj(o.spec) ? o.spec : {};
  const head = isObj(spec.headGroupSpec) && isObj(spec.headGroupSpec.template) && isObj(spec.headGroupSpec.template.spec) ? spec.headGroupSpec.template.spec : undefined;
  if (!head) {
    errors.push(`${ref}: spec.headGroupSpec.template.spec: is required`);
    return undefined;
  }
  const h = podRequestsOf(head, ref, errors, 'spec.headGroupSpec.template.spec');
  const groups = Array.isArray(spec.workerGroupSpecs) ? spec.workerGroupSpecs : [];
  const workerGroups: RayClusterWorkload['workerGroups'] = [];
  groups.forEach((g, i) => {
    const p = `spec.workerGroupSpecs[${i}]`;
    if (!isObj(g) || !isObj(g.template) || !isObj(g.template.spec)) {
      errors.push(`${ref}: ${p}.template.spec: is required`);
      return;
    }
    const r = podRequestsOf(g.template.spec, ref, errors, `${p}.template.spec`);
    const min = typeof g.minReplicas === 'number' ? g.minReplicas : 0;
    const max = typeof g.maxReplicas === 'number' ? g.maxReplicas : Math.max(min, typeof g.replicas === 'number' ? g.replicas : min);
    const group: RayClusterWorkload['workerGroups'][number] = { name: typeof g.groupName === 'string' ? g.groupName : `group-${i}`, gpusPerWorker: r.gpus, gpuMemMiB: r.gpuMemMiB, cpuMilli: r.cpuMilli, memMiB: r.memMiB, minReplicas: min, maxReplicas: max };
    if (typeof g.replicas === 'number' && g.replicas >= min && g.replicas <= max) group.replicas = g.replicas;
    workerGroups.push(group);
  });
  if (workerGroups.length === 0) {
    errors.push(`${ref}: spec.workerGroupSpecs: needs at least one worker group`);
    return undefined;
  }
  const md = meta(o);
  const ann: Record<string, unknown> = isObj(md.annotations) ? md.annotations : {};
  const w: RayClusterWorkload = { kind: 'raycluster', name: str(ann, SB_WORKLOAD) ?? nsName(o), head: { cpuMilli: h.cpuMilli, memMiB: h.memMiB }, workerGroups, tasksPerHour: 0, taskDurationS: 600 };
  const auto = isObj(spec.autoscalerOptions) ? spec.autoscalerOptions : {};
  if (typeof auto.idleTimeoutSeconds === 'number') w.idleTimeoutS = auto.idleTimeoutSeconds;
  return w;
}

/** Imports a snapshot's text. Throws KubeImportError on bad input. */
export function importKubeSnapshot(text: string, o: KubeImportOptions = {}): KubeImportResult {
  const objects = readSnapshot(text, o.file);
  return importKubeObjects(objects, o);
}

/** Imports already-parsed objects (the worker parses once, reports progress, then calls this). */
export function importKubeObjects(objects: readonly KubeObject[], o: KubeImportOptions = {}): KubeImportResult {
  const errors: string[] = [];
  const report = emptyReport();
  const byKind = new Map<string, KubeObject[]>();
  for (const obj of objects) {
    const kind = typeof obj.kind === 'string' ? obj.kind : '';
    if (kind === 'Secret') continue;
    // Volcano's Job and the core Job share a kind; the API group tells them apart.
    const key = kind === 'Job' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('batch.volcano.sh/') ? 'VolcanoJob' : kind;
    let list = byKind.get(key);
    if (!list) byKind.set(key, (list = []));
    list.push(obj);
  }
  const secrets = objects.length - [...byKind.values()].reduce((a, l) => a + l.length, 0);
  if (secrets) report.ignored.push(`${secrets} Secret(s): never read`);
  const nodes = byKind.get('Node') ?? [];
  if (nodes.length === 0) throw new KubeImportError([`${o.file ?? 'snapshot'}: no Node objects (take the snapshot with: kubectl get nodes,pods -A -o json)`]);
  o.onProgress?.(0.1);
  const { pools, byName } = importNodes(nodes, errors, report);
  if (errors.length) throw new KubeImportError(errors);
  for (const [real, n] of byName) report.nodeNames[real] = n.simName;
  o.onProgress?.(0.3);

  const priorityClasses = new Map<string, number>();
  for (const pc of byKind.get('PriorityClass') ?? []) {
    if (typeof pc.value === 'number') priorityClasses.set(String(meta(pc).name), pc.value);
    else errors.push(`${refOf(pc)}: value: must be an integer`);
  }
  const podGroups = new Map<string, { queue?: string; minMember: number }>();
  for (const pg of byKind.get('PodGroup') ?? []) {
    const spec = isObj(pg.spec) ? pg.spec : {};
    podGroups.set(nsName(pg), { queue: str(spec, 'queue'), minMember: typeof spec.minMember === 'number' ? spec.minMember : 1 });
  }
  const queues: VolcanoQueueSpec[] = [];
  for (const q of byKind.get('Queue') ?? []) {
    const ref = refOf(q);
    const spec = isObj(q.spec) ? q.spec : {};
    const out: VolcanoQueueSpec = { name: String(meta(q).name) };
    if (spec.weight !== undefined) {
      if (typeof spec.weight === 'number' && spec.weight >= 0) out.weight = spec.weight;
      else errors.push(`${ref}: spec.weight: must be a non-negative number`);
    }
    const cap = volcanoResources(spec.capability, `${ref}: spec.capability`, errors);
    if (cap) out.capability = cap;
    const guarantee = volcanoResources(isObj(spec.guarantee) ? spec.guarantee.resource : undefined, `${ref}: spec.guarantee.resource`, errors);
    if (guarantee) out.guarantee = guarantee;
    if (typeof spec.reclaimable === 'boolean') out.reclaimable = spec.reclaimable;
    if (typeof spec.priority === 'number') out.priority = spec.priority;
    queues.push(out);
  }

  const pods = new PodImporter({ nodes: byName, priorityClasses, podGroups, errors, report });
  const owned = new Set<string>();
  let running = 0;
  let pending = 0;
  let finished = 0;
  const podList = byKind.get('Pod') ?? [];
  podList.forEach((p, i) => {
    if (i % 5000 === 0) o.onProgress?.(0.3 + (0.6 * i) / Math.max(1, podList.length));
    for (const k of ownerKeys(p)) owned.add(k);
    const spec = isObj(p.spec) ? p.spec : {};
    const status = isObj(p.status) ? p.status : {};
    const phase = str(status, 'phase');
    if (phase === 'Succeeded' || phase === 'Failed') {
      finished++;
      return;
    }
    const nodeName = str(spec, 'nodeName');
    if (nodeName) {
      running++;
      pods.addRunning(p, nodeName);
    } else {
      pending++;
      pods.addPending({ metadata: meta(p), spec }, 1, refOf(p), ownerName(p));
    }
  });
  const rays: WorkloadSpec[] = [];
  let fromControllers = 0;
  for (const kind of ['Job', 'Deployment', 'VolcanoJob', 'RayCluster']) {
    for (const c of byKind.get(kind) ?? []) {
      const ref = refOf(c);
      const key = `${kind === 'VolcanoJob' ? 'Job' : kind}/${nsName(c)}`;
      if (owned.has(key)) continue;
      const spec = isObj(c.spec) ? c.spec : {};
      fromControllers++;
      if (kind === 'RayCluster') {
        const w = rayWorkload(c, errors);
        if (w) rays.push(w);
        continue;
      }
      const md = meta(c);
      const templates: { tpl: unknown; count: number; path: string }[] =
        kind === 'VolcanoJob'
          ? (Array.isArray(spec.tasks) ? spec.tasks : []).map((t, i) => ({ tpl: isObj(t) ? t.template : undefined, count: isObj(t) && typeof t.replicas === 'number' ? t.replicas : 1, path: `spec.tasks[${i}].template` }))
          : [{ tpl: spec.template, count: typeof (kind === 'Job' ? spec.parallelism : spec.replicas) === 'number' ? ((kind === 'Job' ? spec.parallelism : spec.replicas) as number) : 1, path: 'spec.template' }];
      for (const t of templates) {
        if (!isObj(t.tpl) || !isObj(t.tpl.spec)) {
          errors.push(`${ref}: ${t.path}.spec: is required`);
          continue;
        }
        if (t.count < 1) continue;
        const tmd = isObj(t.tpl.metadata) ? t.tpl.metadata : {};
        const defaults = kind === 'VolcanoJob' ? { queue: str(spec, 'queue'), priorityClassName: str(spec, 'priorityClassName') } : {};
        pods.addPending({ metadata: { ...tmd, namespace: md.namespace }, spec: t.tpl.spec }, t.count, ref, nsName(c), defaults, `${t.path}.spec`);
      }
    }
  }
  pods.finish();
  if (errors.length) throw new KubeImportError(errors);

  const ignoredKinds = new Map<string, number>();
  for (const [kind, list] of byKind) {
    if (['Node', 'Pod', 'PriorityClass', 'PodGroup', 'Queue', 'VolcanoJob'].includes(kind) || CONTROLLERS.has(kind)) continue;
    ignoredKinds.set(kind, list.length);
  }
  for (const [kind, n] of ignoredKinds) report.ignored.push(`${n} ${kind || '(no kind)'} object(s): ${POD_OWNERS.has(kind) ? 'their pods are imported instead' : 'kind not imported'}`);
  if (finished) report.ignored.push(`${finished} finished pod(s) (Succeeded or Failed)`);

  const gpus = pools.reduce((a, p) => a + p.count * p.gpusPerNode, 0);
  report.summary.unshift(
    `${nodes.length} node(s), ${gpus} GPU(s) → ${pools.length} pool(s) of identical nodes`,
    `${running} running pod(s) → ${pods.existing.length} existing pod(s) with their bookings`,
    `${pending} pending pod(s)${fromControllers ? ` and ${fromControllers} controller(s) without pods` : ''} → ${pods.batches.length + rays.length} workload(s)`,
  );
  if (queues.length) report.summary.push(`${queues.length} Volcano queue(s)`);
  const workloads: WorkloadSpec[] = [...pods.batches, ...rays];
  const end = workloads.reduce((m, w) => Math.max(m, w.kind === 'batch' ? w.arrivalS + w.durationS * (1 + (w.interarrivalS ? w.count : 0)) : 3600), 3600);
  const durationS = Math.min(366 * 86400, end);
  const registers = (key: string) => nodes.some((n) => isObj(meta(n).annotations) && key in (meta(n).annotations as object));
  const profile = o.profile ?? (registers(VOLCANO_NODE_REGISTER) ? 'volcano-hami' : registers(HAMI_NODE_REGISTER) ? 'hami-binpack' : queues.length ? 'volcano' : 'k8s-default');
  const scenario: Scenario = {
    kind: SCENARIO_KIND,
    version: SCENARIO_VERSION,
    name: o.name ?? 'imported cluster',
    description: `Imported from ${o.file ?? 'a cluster snapshot'}: ${report.summary.slice(0, 3).join('; ')}.`,
    cluster: { pools },
    workloads,
    schedulers: [{ profile }],
    sim: { durationS, seed: 1, metricsStepS: Math.max(1, Math.ceil(durationS / 400)) },
  };
  if (pods.existing.length) scenario.existingPods = pods.existing;
  if (queues.length) scenario.queues = queues;
  o.onProgress?.(1);
  return { scenario, report };
}
