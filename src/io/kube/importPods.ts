/**
 * Pods → existing pods (running, with their GPU bookings) and batch workloads (pending pods, grouped by owner
 * and shape). A running pod's GPUs come from Slicebench's own annotation, else HAMi's allocation annotation,
 * else the lowest free whole GPUs of its node (the device plugin records no index on the pod).
 */
import { GPU_MILLI } from '../../model/units.ts';
import type { BatchWorkload, ExistingPodSpec } from '../../scenario/types.ts';
import { matchGpuProduct } from './gpuProduct.ts';
import { parseHamiAllocation } from './hamiAnnotations.ts';
import type { ImportedNode } from './importNodes.ts';
import { GFD_PRODUCT, HAMI_POD_ALLOCATED, HAMI_POLICY_ANNOTATIONS, SB_ARRIVAL_S, SB_DURATION_S, SB_GPU_MEM_MIB, SB_GPU_MILLI, SB_GPUS, SB_INTERARRIVAL_S, SB_WORKLOAD, VOLCANO_GROUP_NAME, VOLCANO_QUEUE_NAME } from './kubeNames.ts';
import { podRequestsOf, type PodRequests } from './podRequests.ts';
import type { ImportReport } from './report.ts';
import { isObj, refOf, type KubeObject } from './snapshot.ts';

/** Run time assumed for a pending pod whose snapshot says nothing of it, seconds. */
export const DEFAULT_DURATION_S = 3600;

/** Lookups the pod importer shares with the other object kinds. */
export interface PodContext {
  nodes: Map<string, ImportedNode>;
  /** PriorityClass name → value. */
  priorityClasses: Map<string, number>;
  /** `<ns>/<podgroup>` → its queue and minMember. */
  podGroups: Map<string, { queue?: string; minMember: number }>;
  errors: string[];
  report: ImportReport;
}

/** Per node: what the imported running pods already hold. */
interface Ledger {
  cpuMilli: number;
  memMiB: number;
  pods: number;
  gpuMilli: number[];
  gpuMemMiB: number[];
  gpuCores: number[];
}

type Booking = NonNullable<ExistingPodSpec['gpus']>[number];

function str(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}

function intAnn(ann: Record<string, unknown>, k: string, ref: string, errors: string[]): number | undefined {
  const v = str(ann, k);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) {
    errors.push(`${ref}: metadata.annotations["${k}"]: not a whole number: "${v}"`);
    return undefined;
  }
  return Number(v);
}

/** Parses `index=milli/memMiB/cores,...` (Slicebench's exact bookings). */
function parseSbGpus(text: string): Booking[] | undefined {
  const out: Booking[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)=(\d+)\/(\d+)\/(\d+)$/.exec(part.trim());
    if (!m) return undefined;
    const b: Booking = { index: Number(m[1]), gpuMilli: Number(m[2]) };
    if (Number(m[3])) b.gpuMemMiB = Number(m[3]);
    if (Number(m[4])) b.gpuCores = Number(m[4]);
    out.push(b);
  }
  return out;
}

/** Writes Slicebench's exact-bookings annotation (the exporter's side of parseSbGpus). */
export function formatSbGpus(gpus: readonly Booking[]): string {
  return gpus.map((g) => `${g.index}=${g.gpuMilli}/${g.gpuMemMiB ?? 0}/${g.gpuCores ?? 0}`).join(',');
}

/** GPU products a pod is pinned to: its nodeSelector, else a required node affinity `In` on the GFD product label. */
function productsOf(spec: Record<string, unknown>): string[] {
  const selector = isObj(spec.nodeSelector) ? spec.nodeSelector : {};
  const one = str(selector, GFD_PRODUCT);
  if (one !== undefined) return [one];
  const na = isObj(spec.affinity) && isObj(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : {};
  const req = isObj(na.requiredDuringSchedulingIgnoredDuringExecution) ? na.requiredDuringSchedulingIgnoredDuringExecution : {};
  const terms = Array.isArray(req.nodeSelectorTerms) ? req.nodeSelectorTerms : [];
  // Terms are ORed; only a single term is a plain list of allowed products.
  if (terms.length !== 1 || !isObj(terms[0]) || !Array.isArray(terms[0].matchExpressions)) return [];
  for (const e of terms[0].matchExpressions) {
    if (isObj(e) && e.key === GFD_PRODUCT && e.operator === 'In' && Array.isArray(e.values)) return e.values.filter((v): v is string => typeof v === 'string');
  }
  return [];
}

/** Imports pods: running ones as existing pods, pending ones as batch workloads. */
export class PodImporter {
  readonly existing: ExistingPodSpec[] = [];
  readonly batches: BatchWorkload[] = [];
  private readonly ledgers = new Map<string, Ledger>();
  private readonly groups = new Map<string, BatchWorkload>();
  private readonly names = new Set<string>();
  private assumedDuration = 0;
  private gangs = 0;
  private guessedIndices = 0;

  constructor(private readonly ctx: PodContext) {}

  private ledger(n: ImportedNode): Ledger {
    let l = this.ledgers.get(n.simName);
    if (!l) {
      const g = n.gpuMemMiB.length;
      l = { cpuMilli: 0, memMiB: 0, pods: 0, gpuMilli: new Array(g).fill(0), gpuMemMiB: new Array(g).fill(0), gpuCores: new Array(g).fill(0) };
      this.ledgers.set(n.simName, l);
    }
    return l;
  }

  /** A running pod on `nodeName`: booked where the snapshot says, if it fits the modelled node. */
  addRunning(pod: KubeObject, nodeName: string): void {
    const { errors, report } = this.ctx;
    const ref = refOf(pod);
    const md = isObj(pod.metadata) ? pod.metadata : {};
    const ann: Record<string, unknown> = isObj(md.annotations) ? md.annotations : {};
    const spec = isObj(pod.spec) ? pod.spec : {};
    const req = podRequestsOf(spec, ref, errors);
    const node = this.ctx.nodes.get(nodeName);
    if (!node) {
      report.ignored.push(`${ref}: spec.nodeName: node "${nodeName}" is not in the snapshot`);
      return;
    }
    const l = this.ledger(node);
    let gpus: Booking[] | undefined;
    const sb = str(ann, SB_GPUS);
    if (sb !== undefined) {
      gpus = parseSbGpus(sb);
      if (!gpus) errors.push(`${ref}: metadata.annotations["${SB_GPUS}"]: expected index=milli/memMiB/cores,... got "${sb}"`);
    }
    const hami = str(ann, HAMI_POD_ALLOCATED);
    if (!gpus && hami !== undefined && hami.replace(/;/g, '').trim() !== '') {
      const r = parseHamiAllocation(hami);
      if (!r.ok) errors.push(`${ref}: metadata.annotations["${HAMI_POD_ALLOCATED}"]: ${r.error}`);
      else {
        const byIndex = new Map<number, Booking>();
        for (const d of r.value.flat()) {
          const index = node.uuidIndex.get(d.uuid);
          if (index === undefined) {
            errors.push(`${ref}: metadata.annotations["${HAMI_POD_ALLOCATED}"]: GPU ${d.uuid} is not registered on node ${nodeName}`);
            return;
          }
          const card = node.gpuMemMiB[index] || 1;
          const milli = d.cores > 0 ? Math.min(GPU_MILLI, d.cores * 10) : Math.max(1, Math.min(GPU_MILLI, Math.round((GPU_MILLI * d.memMiB) / card)));
          const b = byIndex.get(index) ?? { index, gpuMilli: 0 };
          b.gpuMilli = Math.min(GPU_MILLI, b.gpuMilli + milli);
          if (d.memMiB) b.gpuMemMiB = (b.gpuMemMiB ?? 0) + d.memMiB;
          if (d.cores) b.gpuCores = Math.min(100, (b.gpuCores ?? 0) + d.cores);
          byIndex.set(index, b);
        }
        gpus = [...byIndex.values()];
      }
    }
    if (!gpus && req.gpus > 0) {
      // Whole GPUs (or time-slicing replicas): the lowest cards with room, as the device plugin hands them out.
      const slice = Math.floor(GPU_MILLI / node.replicas);
      const byIndex = new Map<number, Booking>();
      for (let k = 0; k < req.gpus; k++) {
        const i = l.gpuMilli.findIndex((u, j) => u + (byIndex.get(j)?.gpuMilli ?? 0) + slice <= GPU_MILLI);
        if (i < 0) {
          report.ignored.push(`${ref}: needs ${req.gpus} GPU(s) but node ${nodeName} has no free GPU left as modelled`);
          return;
        }
        const b = byIndex.get(i) ?? { index: i, gpuMilli: 0 };
        b.gpuMilli += slice;
        byIndex.set(i, b);
      }
      gpus = [...byIndex.values()];
      // A whole card is all of its memory and compute, as HAMi would book it (the simulator's HAMi model needs it).
      for (const b of gpus) {
        if (b.gpuMilli === GPU_MILLI) {
          b.gpuMemMiB = node.gpuMemMiB[b.index];
          b.gpuCores = 100;
        }
      }
      this.guessedIndices++;
    }
    gpus ??= [];
    for (const g of gpus) {
      if (g.index >= l.gpuMilli.length) {
        errors.push(`${ref}: GPU ${g.index}: node ${nodeName} has only ${l.gpuMilli.length} GPU(s)`);
        return;
      }
      const cardMem = node.gpuMemMiB[g.index];
      if (g.gpuMemMiB !== undefined && l.gpuMemMiB[g.index] + g.gpuMemMiB > cardMem) {
        report.approximated.push(`${ref}: GPU ${g.index} memory booking cut to the ${cardMem} MiB the modelled card has`);
        g.gpuMemMiB = Math.max(0, cardMem - l.gpuMemMiB[g.index]);
      }
      if (l.gpuMilli[g.index] + g.gpuMilli > GPU_MILLI || l.gpuCores[g.index] + (g.gpuCores ?? 0) > 100) {
        report.ignored.push(`${ref}: GPU ${g.index} of node ${nodeName} is already fully booked as modelled`);
        return;
      }
    }
    if (l.cpuMilli + req.cpuMilli > node.cpuMilli || l.memMiB + req.memMiB > node.memMiB || l.pods + 1 > node.maxPods) {
      report.ignored.push(`${ref}: does not fit on node ${nodeName} as modelled (CPU, memory or pod count)`);
      return;
    }
    l.cpuMilli += req.cpuMilli;
    l.memMiB += req.memMiB;
    l.pods++;
    for (const g of gpus) {
      l.gpuMilli[g.index] += g.gpuMilli;
      l.gpuMemMiB[g.index] += g.gpuMemMiB ?? 0;
      l.gpuCores[g.index] += g.gpuCores ?? 0;
    }
    const name = str(ann, SB_WORKLOAD) ?? (typeof md.namespace === 'string' ? `${md.namespace}/${String(md.name)}` : String(md.name));
    const e: ExistingPodSpec = { name, node: node.simName, cpuMilli: req.cpuMilli, memMiB: req.memMiB };
    if (gpus.length) e.gpus = gpus.sort((a, b) => a.index - b.index);
    this.existing.push(e);
  }

  /**
   * `count` pending pods of one template (a pod, or a controller's pod template at `path`). `owner` names the
   * workload when the pod carries no Slicebench name; `defaults` are the controller's queue and priority class.
   */
  addPending(template: { metadata: Record<string, unknown>; spec: Record<string, unknown> }, count: number, ref: string, owner: string, defaults: { queue?: string; priorityClassName?: string } = {}, path = 'spec'): void {
    const { errors, report } = this.ctx;
    const { metadata: md, spec } = template;
    const ann: Record<string, unknown> = isObj(md.annotations) ? md.annotations : {};
    const labels: Record<string, unknown> = isObj(md.labels) ? md.labels : {};
    const req: PodRequests = podRequestsOf(spec, ref, errors, path);
    const w: BatchWorkload = { kind: 'batch', name: str(ann, SB_WORKLOAD) ?? owner, count, cpuMilli: req.cpuMilli, memMiB: req.memMiB, gpus: req.gpus, gpuMilli: 0, durationS: DEFAULT_DURATION_S, arrivalS: 0 };
    if (req.gpus > 0) {
      const exact = intAnn(ann, SB_GPU_MILLI, ref, errors);
      let milli = exact ?? (req.gpuCores > 0 ? req.gpuCores * 10 : req.gpuMemPct > 0 ? req.gpuMemPct * 10 : GPU_MILLI);
      milli = Math.max(1, Math.min(GPU_MILLI, milli));
      if (req.gpus > 1 && milli < GPU_MILLI) {
        report.approximated.push(`${ref}: a share of each of ${req.gpus} GPUs is modelled as ${req.gpus} whole GPUs (only single-GPU pods share a card)`);
        milli = GPU_MILLI;
      }
      w.gpuMilli = milli;
      const mem = req.gpuMemMiB > 0 ? req.gpuMemMiB : intAnn(ann, SB_GPU_MEM_MIB, ref, errors);
      if (mem) w.gpuMemMiB = mem;
    }
    const duration = intAnn(ann, SB_DURATION_S, ref, errors);
    if (duration !== undefined && duration >= 1) w.durationS = duration;
    else this.assumedDuration += count;
    const arrival = intAnn(ann, SB_ARRIVAL_S, ref, errors);
    if (arrival !== undefined) w.arrivalS = arrival;
    const gap = intAnn(ann, SB_INTERARRIVAL_S, ref, errors);
    if (gap !== undefined) w.interarrivalS = gap;
    const prioName = str(spec, 'priorityClassName') ?? defaults.priorityClassName;
    const prio = typeof spec.priority === 'number' ? spec.priority : prioName !== undefined ? this.ctx.priorityClasses.get(prioName) : undefined;
    if (prioName !== undefined && prio === undefined) report.approximated.push(`${ref}: spec.priorityClassName: PriorityClass "${prioName}" is not in the snapshot: priority 0`);
    if (prio !== undefined && prio !== 0) w.priority = prio;
    const ns = typeof md.namespace === 'string' ? md.namespace : 'default';
    const group = str(ann, VOLCANO_GROUP_NAME);
    const pg = group !== undefined ? this.ctx.podGroups.get(`${ns}/${group}`) : undefined;
    if (pg && pg.minMember > 1) this.gangs++;
    const queue = pg?.queue ?? defaults.queue ?? str(ann, VOLCANO_QUEUE_NAME) ?? str(labels, 'volcano.sh/queue-name');
    if (queue !== undefined) w.queue = queue;
    const keep: Record<string, string> = {};
    for (const k of HAMI_POLICY_ANNOTATIONS) if (typeof ann[k] === 'string') keep[k] = ann[k] as string;
    if (Object.keys(keep).length) w.annotations = keep;
    const products = productsOf(spec);
    if (products.length && req.gpus > 0) w.gpuModels = [...new Set(products.map((p) => matchGpuProduct(p.replace(/-SHARED$/, ''), 0).model))];
    // Pods of one owner and one shape are one workload; another shape of the same owner gets its own.
    const { name: _n, count: _c, ...shape } = w;
    const key = JSON.stringify([w.name, shape]);
    const same = this.groups.get(key);
    if (same) {
      same.count += count;
      return;
    }
    let name = w.name;
    for (let i = 2; this.names.has(name); i++) name = `${w.name}#${i}`;
    w.name = name;
    this.names.add(name);
    this.groups.set(key, w);
    this.batches.push(w);
  }

  /** Adds the pod importer's summary lines to the report. */
  finish(): void {
    const { report } = this.ctx;
    if (this.assumedDuration) report.approximated.push(`${this.assumedDuration} pending pod(s) carry no run time: ${DEFAULT_DURATION_S} s assumed (annotation ${SB_DURATION_S} sets it)`);
    if (this.gangs) report.approximated.push(`${this.gangs} pending pod template(s) belong to Volcano gangs (minMember > 1): imported as batch pods without the gang`);
    if (this.guessedIndices) report.approximated.push(`${this.guessedIndices} running pod(s) with whole GPUs: the card indices are not in the snapshot, the lowest free cards were taken`);
  }
}
