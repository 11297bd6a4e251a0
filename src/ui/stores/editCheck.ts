/**
 * Edit checks in words a user reads (issue 18): a typed value is checked at its field (`Node count must be at least
 * 1`), a whole edit by the scenario validator with its JSON paths turned into the names on screen (`Pool "h100":
 * NUMA layout: 2 GPUs cannot be split evenly over 4 NUMA nodes`), and workloads whose pods can never fit any node
 * of the cluster are warned about (they would wait forever). Pure TypeScript: the workspace and Node tests use it.
 */
import { quoteInput } from '../../core/quoteInput.ts';
import { GPU_CATALOG } from '../../scenario/gpuCatalog.ts';
import type { Scenario, WorkloadSpec } from '../../scenario/types.ts';
import { parseScenario } from '../../scenario/validate.ts';

/** Limits of a number field, as its control shows them. */
export interface FieldLimits {
  min?: number;
  max?: number;
  integer?: boolean;
  /** The unit the field shows (`min`, `GiB`), added to the limit in messages. */
  unit?: string;
}

/**
 * Checks the text typed into a number field: null when it is a number within the limits, else one sentence
 * starting with the field's name (`Node count must be at least 1`).
 */
export function fieldError(name: string, text: string, limits: FieldLimits): string | null {
  const t = text.trim();
  if (t === '') return `${name} needs a value`;
  const v = Number(t);
  if (!Number.isFinite(v)) return `${name} must be a number`;
  if (limits.integer && !Number.isInteger(v)) return `${name} must be a whole number`;
  const unit = limits.unit ? ` ${limits.unit}` : '';
  if (limits.min !== undefined && v < limits.min) return `${name} must be at least ${num(limits.min)}${unit}`;
  if (limits.max !== undefined && v > limits.max) return `${name} must be at most ${num(limits.max)}${unit}`;
  return null;
}

/** The outcome of checking a whole edited scenario. */
export type EditCheck = { ok: true } | { ok: false; errors: string[] };

/** Validates an edited scenario; the refusal's messages name the pools, workloads and fields as the editors do. */
export function checkEdit(next: Scenario): EditCheck {
  const r = parseScenario(next);
  return r.ok ? { ok: true } : { ok: false, errors: r.errors.map((e) => describeError(e, next)) };
}

/** Words for scenario fields (the editors' labels). */
const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  count: 'count',
  gpuModel: 'GPU model',
  gpusPerNode: 'GPUs per node',
  cpuMilli: 'CPU (milli-cores)',
  memMiB: 'memory (MiB)',
  topology: 'topology',
  numaNodes: 'NUMA layout',
  racks: 'racks',
  maxPods: 'pods per node',
  workers: 'workers',
  gpusPerWorker: 'GPUs per worker',
  gpuMemMiB: 'GPU memory (MiB)',
  gpuCores: 'GPU cores',
  gpuMilli: 'GPU share (milli)',
  gpus: 'GPUs',
  workGpuHours: 'work (GPU-hours)',
  commGBPerStep: 'gradients (GB per step)',
  arrivalS: 'arrival (s)',
  durationS: 'duration (s)',
  minReplicas: 'minimum replicas',
  maxReplicas: 'maximum replicas',
  replicas: 'replicas',
  priority: 'priority',
  seed: 'seed',
  metricsStepS: 'metrics step (s)',
  burstsPerHour: 'bursts per hour',
  burstGpuS: 'GPU seconds per burst',
  qpsPerGpu: 'requests per second per GPU',
  targetUtilization: 'target utilization',
  sloMs: 'latency SLO (ms)',
};

/** One validator message (`path: reason`) in the editors' words; the path is kept when it names nothing on screen. */
export function describeError(message: string, scenario: Scenario): string {
  const at = message.indexOf(': ');
  if (at < 0) return message;
  const path = message.slice(0, at);
  const reason = message
    .slice(at + 2)
    .replace(/^must be ≥ /, 'must be at least ')
    .replace(/^must be ≤ /, 'must be at most ')
    .replace(/^must be an integer$/, 'must be a whole number');
  const where = describePath(path, scenario);
  return where ? `${where}: ${reason}` : message;
}

/** `cluster.pools[0].numaNodes` → `Pool "h100", NUMA layout`; null when the path is not one the editors show. */
function describePath(path: string, s: Scenario): string | null {
  let m = /^cluster\.pools\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (m) {
    const pool = s.cluster.pools[Number(m[1])];
    const who = `Pool ${quoteInput(String(pool?.name ?? Number(m[1]) + 1))}`;
    return m[2] ? `${who}, ${m[2] === 'count' ? 'node count' : words(m[2])}` : who;
  }
  m = /^workloads\[(\d+)\](?:\.workerGroups\[(\d+)\])?(?:\.(\w+))?$/.exec(path);
  if (m) {
    const w = s.workloads[Number(m[1])] as (WorkloadSpec & { workerGroups?: { name?: string }[] }) | undefined;
    let who = `Workload ${quoteInput(String(w?.name ?? Number(m[1]) + 1))}`;
    if (m[2] !== undefined) who += `, worker group ${quoteInput(String(w?.workerGroups?.[Number(m[2])]?.name ?? Number(m[2]) + 1))}`;
    return m[3] ? `${who}, ${m[3] === 'count' ? 'pod count' : words(m[3])}` : who;
  }
  m = /^schedulers\[(\d+)\](?:\.options\.(\w+)|\.(\w+))?$/.exec(path);
  if (m) {
    const who = `Scheduler ${quoteInput(String(s.schedulers[Number(m[1])]?.profile ?? Number(m[1]) + 1))}`;
    return m[2] ? `${who}, knob ${m[2]}` : m[3] ? `${who}, ${words(m[3])}` : who;
  }
  m = /^catalog\.([\w.-]+)\.(\w+)$/.exec(path);
  if (m) return `GPU model ${quoteInput(s.catalog?.[m[1]]?.name ?? GPU_CATALOG[m[1]]?.name ?? m[1])}, ${m[2] === 'pricePerHourUsd' ? 'price per GPU-hour (USD)' : words(m[2])}`;
  m = /^sim\.(\w+)$/.exec(path);
  if (m) return `Simulation ${words(m[1])}`;
  return null;
}

function words(field: string): string {
  return FIELD_WORDS[field] ?? field;
}

function num(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

/** A workload whose pods can never be placed on any node of the cluster. */
export interface FitWarning {
  /** Index into scenario.workloads. */
  workload: number;
  text: string;
}

/** What one pod of a workload asks of a node. */
interface PodAsk {
  gpus: number;
  gpuMemMiB: number;
  cpuMilli: number;
  memMiB: number;
  /** The GPU models it may use (empty: any). */
  models: readonly string[];
  /** How the pod is called in the warning (`worker`, `replica`, `pod`). */
  noun: string;
}

function asksOf(w: WorkloadSpec): PodAsk[] {
  switch (w.kind) {
    case 'training':
      return [{ gpus: w.gpusPerWorker, gpuMemMiB: w.gpuMemMiB, cpuMilli: w.cpuMilli, memMiB: w.memMiB, models: [], noun: 'worker' }];
    case 'inference':
      return [{ gpus: 1, gpuMemMiB: w.gpuMemMiB, cpuMilli: w.cpuMilli, memMiB: w.memMiB, models: [], noun: 'replica' }];
    case 'agent':
      return [{ gpus: 1, gpuMemMiB: w.gpuMemMiB, cpuMilli: w.cpuMilli, memMiB: w.memMiB, models: [], noun: 'agent' }];
    case 'batch':
      return [{ gpus: w.gpus, gpuMemMiB: w.gpuMemMiB ?? 0, cpuMilli: w.cpuMilli, memMiB: w.memMiB, models: w.gpuModels ?? [], noun: 'pod' }];
    case 'raycluster':
      return w.workerGroups.map((g) => ({ gpus: g.gpusPerWorker, gpuMemMiB: g.gpuMemMiB, cpuMilli: g.cpuMilli, memMiB: g.memMiB, models: [], noun: `worker of group ${quoteInput(g.name)}` }));
    case 'trace':
      // Trace pods are replayed as recorded: the importer reports what does not fit.
      return [];
  }
}

/**
 * Workloads that ask more of one node than any node pool has (64 GPUs per worker on 8-GPU nodes, 500 GiB of GPU
 * memory on 80 GiB cards, more CPU or memory than a node): their pods would wait forever. One warning per
 * workload, naming the first limit that rules out every pool. The scenario's own catalog entries override the built-in GPU models.
 */
export function fitWarnings(s: Scenario): FitWarning[] {
  const pools = s.cluster.pools.filter((p) => p.count > 0);
  if (pools.length === 0) return [];
  const gpuMem = (model: string): number => (Object.hasOwn(s.catalog ?? {}, model) ? s.catalog?.[model]?.memMiB : undefined) ?? (Object.hasOwn(GPU_CATALOG, model) ? GPU_CATALOG[model].memMiB : Infinity);
  const out: FitWarning[] = [];
  s.workloads.forEach((w, i) => {
    for (const a of asksOf(w)) {
      const text = whyNoFit(a, pools, gpuMem);
      if (text) {
        out.push({ workload: i, text: `${w.name}: ${text}; its pods would wait forever.` });
        break;
      }
    }
  });
  return out;
}

type Pool = Scenario['cluster']['pools'][number];

function whyNoFit(a: PodAsk, pools: Pool[], gpuMem: (model: string) => number): string | null {
  const models = a.gpus > 0 && a.models.length ? pools.filter((p) => a.models.includes(p.gpuModel)) : pools;
  if (models.length === 0) return `no pool has the GPU model it asks for (${a.models.join(', ')})`;
  const maxOf = (f: (p: Pool) => number, among: Pool[]): number => Math.max(...among.map(f));
  if (a.gpus > 0) {
    const most = maxOf((p) => p.gpusPerNode, models);
    if (a.gpus > most) return `${a.gpus} GPUs per ${a.noun} can never fit: the largest node has ${most} GPU${most === 1 ? '' : 's'}`;
    const withGpus = models.filter((p) => p.gpusPerNode >= a.gpus);
    const memMost = maxOf((p) => gpuMem(p.gpuModel), withGpus);
    if (a.gpuMemMiB > memMost) return `${gib(a.gpuMemMiB)} of GPU memory per GPU can never fit: the largest GPU here has ${gib(memMost)}`;
  }
  const cpuMost = maxOf((p) => p.cpuMilli, models);
  if (a.cpuMilli > cpuMost) return `${a.cpuMilli / 1000} CPU cores per ${a.noun} can never fit: the largest node has ${cpuMost / 1000}`;
  const memMost = maxOf((p) => p.memMiB, models);
  if (a.memMiB > memMost) return `${gib(a.memMiB)} of memory per ${a.noun} can never fit: the largest node has ${gib(memMost)}`;
  return null;
}

function gib(mib: number): string {
  const g = mib / 1024;
  return `${Number.isInteger(g) ? g : g.toFixed(1)} GiB`;
}
