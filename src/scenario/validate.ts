/**
 * Scenario validation: turns arbitrary JSON into a Scenario, or into messages that name the JSON path and the
 * reason (`workloads[2].minReplicas: must be ≥ 1`). Never throws on any input. Older versions are migrated first
 * (migrate.ts); a newer version is refused with a clear message.
 */
import { QUOTE_MAX_CHARS, quoteInput } from '../core/quoteInput.ts';
import { GPU_CATALOG } from './gpuCatalog.ts';
import { PROFILE_CATALOG, checkProfileOptions, profileInfo } from './profileCatalog.ts';
import { migrate } from './migrate.ts';
import { checkPlanSpec } from './planSpec.ts';
import { SCENARIO_KIND, SCENARIO_VERSION, type ExistingPodSpec, type Scenario } from './types.ts';
// issue 17: request-form pins and MIG layouts
import { REQUEST_FORMS } from './gpuDemand.ts';
import { MIG_MODELS, layoutInstances } from './migCatalog.ts';
import { draClaimProblems } from './draCheck.ts';

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;

/** Collects errors while reading a JSON object. */
class Reader {
  constructor(readonly errors: string[]) {}

  isObj(v: unknown, path: string): v is Obj {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return true;
    this.errors.push(`${path}: must be an object`);
    return false;
  }

  int(o: Obj, key: string, path: string, min: number, max = Number.MAX_SAFE_INTEGER, optional = false): number {
    const v = o[key];
    if (v === undefined && optional) return NaN;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.errors.push(`${path}.${key}: ${v === undefined ? 'is required' : 'must be an integer'}`);
      return NaN;
    }
    if (v < min) this.errors.push(`${path}.${key}: must be ≥ ${min}`);
    else if (v > max) this.errors.push(`${path}.${key}: must be ≤ ${max}`);
    return v;
  }

  num(o: Obj, key: string, path: string, min: number, max = Number.MAX_VALUE, optional = false): number {
    const v = o[key];
    if (v === undefined && optional) return NaN;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.errors.push(`${path}.${key}: ${v === undefined ? 'is required' : 'must be a number'}`);
      return NaN;
    }
    if (v < min) this.errors.push(`${path}.${key}: must be ≥ ${min}`);
    else if (v > max) this.errors.push(`${path}.${key}: must be ≤ ${max}`);
    return v;
  }

  str(o: Obj, key: string, path: string, optional = false): string {
    const v = o[key];
    if (v === undefined && optional) return '';
    if (typeof v !== 'string' || (!optional && v.trim() === '')) {
      this.errors.push(`${path}.${key}: ${v === undefined ? 'is required' : 'must be a non-empty string'}`);
      return '';
    }
    return v;
  }

  oneOf<T extends string>(o: Obj, key: string, path: string, choices: readonly T[], optional = false): T | undefined {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || !choices.includes(v as T)) {
      this.errors.push(`${path}.${key}: must be one of ${choices.join(', ')}`);
      return undefined;
    }
    return v as T;
  }

  arr(o: Obj, key: string, path: string, optional = false): unknown[] {
    const v = o[key];
    if (v === undefined && optional) return [];
    if (!Array.isArray(v)) {
      this.errors.push(`${path}.${key}: ${v === undefined ? 'is required' : 'must be an array'}`);
      return [];
    }
    return v;
  }

  bool(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v !== undefined && typeof v !== 'boolean') this.errors.push(`${path}.${key}: must be true or false`);
  }

  stringMap(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v === undefined) return;
    if (!this.isObj(v, `${path}.${key}`)) return;
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') this.errors.push(`${path}.${key}.${k}: must be a string`);
  }

  stringList(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      this.errors.push(`${path}.${key}: must be an array of strings`);
      return;
    }
    v.forEach((x, i) => {
      if (typeof x !== 'string') this.errors.push(`${path}.${key}[${i}]: must be a string`);
    });
  }

  unknownKeys(o: Obj, path: string, known: readonly string[]): void {
    for (const k of Object.keys(o)) if (!known.includes(k)) this.errors.push(`${path}.${k.length > QUOTE_MAX_CHARS ? quoteInput(k) : k}: unknown field (known: ${known.join(', ')})`);
  }
}

const MAX_COUNT = 1_000_000;
const MAX_TIME_S = 366 * 86400;
/**
 * Most pods one scenario may create in all (training workers × repeats, batch and agent counts, trace pods,
 * inference and Ray maxReplicas, Ray heads, existing pods): 5× the 100,000-pod cluster import bench. A 537-byte
 * scenario asking for 10,000 × 1,000,000 passed validation and ran V8 out of memory (issue 19).
 */
export const MAX_SCENARIO_PODS = 500_000;
/** Most random arrivals (agent bursts, Ray tasks) one scenario may schedule over its duration. */
export const MAX_SCENARIO_EVENTS = 5_000_000;
/** Most replicas one inference service may scale to (100,000 on 6 nodes ran for minutes; issue 19). */
export const MAX_INFERENCE_REPLICAS = 10_000;
/** Most metric samples (durationS / metricsStepS) one run records. */
export const MAX_METRIC_SAMPLES = 100_000;

/** Validates (and migrates) arbitrary JSON into a scenario. Never throws. */
export function parseScenario(json: unknown): ParseResult {
  try {
    return parseUnsafe(json);
  } catch (e) {
    // Validation must not throw on any input; reaching here is a bug, but report it as a message.
    return { ok: false, errors: [`scenario: could not be read (${(e as Error).message})`] };
  }
}

function parseUnsafe(json: unknown): ParseResult {
  const errors: string[] = [];
  const r = new Reader(errors);
  if (!r.isObj(json, 'scenario')) return { ok: false, errors };
  if (json.kind !== SCENARIO_KIND) return { ok: false, errors: [`kind: must be "${SCENARIO_KIND}"${json.kind === undefined ? '' : `, got ${quoteInput(typeof json.kind === 'string' ? json.kind : String(JSON.stringify(json.kind)))}`}`] };
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { ok: false, errors: ['version: must be a positive integer'] };
  if (version > SCENARIO_VERSION) {
    return { ok: false, errors: [`version: this scenario was made by a newer Slicebench (format version ${version}); this one reads versions up to ${SCENARIO_VERSION}. Update Slicebench to open it.`] };
  }
  const migrated = migrate(json, version);
  if (!migrated.ok) return migrated;
  const s = migrated.value;
  r.unknownKeys(s, 'scenario', ['kind', 'version', 'name', 'description', 'catalog', 'cluster', 'workloads', 'existingPods', 'queues', 'schedulers', 'sim', 'plan']);
  r.str(s, 'name', 'scenario');
  r.str(s, 'description', 'scenario', true);
  const catalogIds = new Set(Object.keys(GPU_CATALOG));
  if (s.catalog !== undefined && r.isObj(s.catalog, 'catalog')) {
    for (const [id, m] of Object.entries(s.catalog)) {
      const p = `catalog.${id}`;
      if (!r.isObj(m, p)) continue;
      r.unknownKeys(m, p, ['id', 'name', 'vendor', 'memMiB', 'tflops', 'memBwGBs', 'nvlinkGBs', 'pricePerHourUsd', 'assumed']);
      const isNew = !catalogIds.has(id);
      r.int(m, 'memMiB', p, 1, 10_000_000, !isNew);
      r.num(m, 'tflops', p, 0.001, 1e7, !isNew);
      r.num(m, 'memBwGBs', p, 0, 1e7, true);
      r.num(m, 'nvlinkGBs', p, 0, 1e7, true);
      r.num(m, 'pricePerHourUsd', p, 0, 1e6, true);
      catalogIds.add(id);
    }
  }
  checkCluster(r, s.cluster, catalogIds);
  const poolNames = new Set<string>();
  if (typeof s.cluster === 'object' && s.cluster && Array.isArray((s.cluster as Obj).pools)) {
    for (const p of (s.cluster as Obj).pools as unknown[]) if (p && typeof p === 'object' && typeof (p as Obj).name === 'string') poolNames.add((p as Obj).name as string);
  }
  const workloads = r.arr(s, 'workloads', 'scenario');
  const names = new Set<string>();
  workloads.forEach((w, i) => checkWorkload(r, w, `workloads[${i}]`, catalogIds, names));
  r.arr(s, 'existingPods', 'scenario', true).forEach((p, i) => checkExistingPod(r, p, `existingPods[${i}]`));
  r.arr(s, 'queues', 'scenario', true).forEach((q, i) => checkQueue(r, q, `queues[${i}]`));
  const schedulers = r.arr(s, 'schedulers', 'scenario');
  if (Array.isArray(s.schedulers) && schedulers.length === 0) errors.push('schedulers: must name at least one profile');
  if (schedulers.length > 4) errors.push('schedulers: at most 4 profiles can be compared');
  schedulers.forEach((x, i) => {
    const p = `schedulers[${i}]`;
    if (!r.isObj(x, p)) return;
    r.unknownKeys(x, p, ['profile', 'label', 'options']);
    const name = r.str(x, 'profile', p);
    r.str(x, 'label', p, true);
    if (!name) return;
    const def = profileInfo(name);
    if (!def) {
      errors.push(`${p}.profile: unknown profile ${quoteInput(String(name))} (known: ${PROFILE_CATALOG.map((d) => d.name).join(', ')})`);
      return;
    }
    if (x.options !== undefined && r.isObj(x.options, `${p}.options`)) errors.push(...checkProfileOptions(def, x.options, `${p}.options`));
  });
  if (r.isObj(s.sim, 'sim')) {
    r.unknownKeys(s.sim, 'sim', ['durationS', 'seed', 'metricsStepS']);
    const d = r.int(s.sim, 'durationS', 'sim', 1, MAX_TIME_S);
    r.int(s.sim, 'seed', 'sim', 0, 0xffffffff);
    const step = r.int(s.sim, 'metricsStepS', 'sim', 1, MAX_TIME_S);
    if (Number.isFinite(d) && Number.isFinite(step) && d / step > MAX_METRIC_SAMPLES) errors.push(`sim.metricsStepS: too small for the duration (more than ${fmt(MAX_METRIC_SAMPLES)} samples; the limit)`);
  }
  // The capacity plan (issue 14): checked in planSpec.ts against the pool names.
  if (s.plan !== undefined) checkPlanSpec(s.plan, poolNames, errors);
  // Only a scenario whose fields are all valid has sound numbers to total, and nodes to check existing pods against.
  if (!errors.length) checkLimits(errors, s as unknown as Scenario);
  if (!errors.length) checkExistingPodsFit(errors, s as unknown as Scenario);
  if (!errors.length) errors.push(...draClaimProblems(s as unknown as Scenario));
  if (errors.length) return { ok: false, errors };
  return { ok: true, scenario: s as unknown as Scenario };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * Scenario-wide limits on the pods and random arrivals a scenario creates: each field is within its own range, but
 * their product can still be beyond any run (issue 19). The message names the largest contributor's JSON path.
 */
function checkLimits(errors: string[], s: Scenario): void {
  let pods = s.existingPods?.length ?? 0;
  let events = 0;
  let top = { pods: pods, path: 'existingPods', why: `${fmt(pods)} existing pods` };
  let topEvents = { events: 0, path: '', why: '' };
  const hours = s.sim.durationS / 3600;
  s.workloads.forEach((w, i) => {
    const path = `workloads[${i}]`;
    let n = 0;
    let why = '';
    let e = 0;
    let ewhy = '';
    switch (w.kind) {
      case 'training':
        n = w.workers * (w.repeat ?? 1);
        why = `workers ${fmt(w.workers)} × repeat ${fmt(w.repeat ?? 1)}`;
        break;
      case 'batch':
      case 'agent':
        n = w.count;
        why = `count ${fmt(n)}`;
        if (w.kind === 'agent') {
          e = w.count * w.burstsPerHour * hours;
          ewhy = `count ${fmt(w.count)} × burstsPerHour ${w.burstsPerHour} × ${hours.toFixed(1)} h`;
        }
        break;
      case 'trace':
        n = w.pods.length;
        why = `${fmt(n)} trace pods`;
        break;
      case 'inference':
        n = w.maxReplicas;
        why = `maxReplicas ${fmt(n)}`;
        break;
      case 'raycluster':
        n = 1 + w.workerGroups.reduce((t, g) => t + g.maxReplicas, 0);
        why = `1 head + ${fmt(n - 1)} worker maxReplicas`;
        e = w.tasksPerHour * hours;
        ewhy = `tasksPerHour ${w.tasksPerHour} × ${hours.toFixed(1)} h`;
        break;
    }
    pods += n;
    events += e;
    if (n > top.pods) top = { pods: n, path, why };
    if (e > topEvents.events) topEvents = { events: e, path, why: ewhy };
  });
  if (pods > MAX_SCENARIO_PODS) {
    errors.push(`${top.path}: ${top.why} make the scenario create up to ${fmt(pods)} pods in all; the limit is ${fmt(MAX_SCENARIO_PODS)} pods`);
  }
  if (events > MAX_SCENARIO_EVENTS) {
    errors.push(`${topEvents.path}: ${topEvents.why} schedule about ${fmt(events)} random arrivals over sim.durationS; the limit is ${fmt(MAX_SCENARIO_EVENTS)}`);
  }
}

function checkCluster(r: Reader, c: unknown, catalog: Set<string>): void {
  if (!r.isObj(c, 'cluster')) return;
  r.unknownKeys(c, 'cluster', ['pools', 'network']);
  const pools = r.arr(c, 'pools', 'cluster');
  if (Array.isArray(c.pools) && pools.length === 0) r.errors.push('cluster.pools: must have at least one node pool');
  const names = new Set<string>();
  let nodes = 0;
  pools.forEach((p, i) => {
    const path = `cluster.pools[${i}]`;
    if (!r.isObj(p, path)) return;
    r.unknownKeys(p, path, ['name', 'count', 'gpuModel', 'gpusPerNode', 'cpuMilli', 'memMiB', 'topology', 'numaNodes', 'racks', 'maxPods', 'labels', 'mig']);
    const name = r.str(p, 'name', path);
    if (name && names.has(name)) r.errors.push(`${path}.name: duplicate pool name ${quoteInput(name)}`);
    names.add(name);
    const count = r.int(p, 'count', path, 0, 100_000);
    if (Number.isFinite(count)) nodes += count;
    const gpus = r.int(p, 'gpusPerNode', path, 0, 64);
    const model = r.str(p, 'gpuModel', path, gpus === 0);
    if (model && !catalog.has(model)) r.errors.push(`${path}.gpuModel: unknown GPU model ${quoteInput(model)} (add it to catalog, or use one of ${[...catalog].join(', ')})`);
    r.int(p, 'cpuMilli', path, 1, 100_000_000);
    r.int(p, 'memMiB', path, 1, 1_000_000_000);
    r.oneOf(p, 'topology', path, ['nvswitch', 'nvlink-pairs', 'pcie'] as const);
    const numa = r.int(p, 'numaNodes', path, 1, 16);
    if (Number.isFinite(numa) && Number.isFinite(gpus) && gpus > 0 && gpus % numa !== 0) r.errors.push(`${path}.numaNodes: ${gpus} GPUs cannot be split evenly over ${numa} NUMA nodes`);
    r.int(p, 'racks', path, 1, 10_000, true);
    r.int(p, 'maxPods', path, 1, 100_000, true);
    r.stringMap(p, 'labels', path);
    if (p.mig !== undefined) checkMigLayout(r, p.mig, `${path}.mig`, model);
  });
  if (nodes > 100_000) r.errors.push(`cluster.pools: ${nodes} nodes in all; at most 100,000 are supported`);
  if (c.network !== undefined && r.isObj(c.network, 'cluster.network')) {
    r.unknownKeys(c.network, 'cluster.network', ['intraRackGBs', 'interRackGBs', 'pcieGBs']);
    r.num(c.network, 'intraRackGBs', 'cluster.network', 0.001, 1e6, true);
    r.num(c.network, 'interRackGBs', 'cluster.network', 0.001, 1e6, true);
    r.num(c.network, 'pcieGBs', 'cluster.network', 0.001, 1e6, true);
  }
}

const BASE_KEYS = ['kind', 'name', 'priority', 'queue', 'annotations', 'gpuRequest', 'isolation'] as const;

// --- issue 17: MIG layouts and request-form pins ---

/** A pool's `mig`: a layout name or a list of profile names that fits the pool's GPU model. */
function checkMigLayout(r: Reader, v: unknown, path: string, model: string): void {
  const list = Array.isArray(v);
  if (typeof v !== 'string' && !(list && v.every((x) => typeof x === 'string'))) {
    r.errors.push(`${path}: must be a MIG layout name (e.g. all-balanced, all-1g.10gb) or a list of MIG profile names`);
    return;
  }
  if (v === 'all-disabled' || !model) return;
  const res = layoutInstances(model, v as string | string[]);
  if (!res.ok) r.errors.push(`${res.index !== undefined ? `${path}[${res.index}]` : path}: ${res.error}`);
}

/** All profile names of every MIG model, for checking a pinned `migProfile`. */
const MIG_PROFILE_NAMES = new Set(Object.values(MIG_MODELS).flatMap((m) => m.profiles.map((p) => p.name)));

/** A workload's `gpuRequest` pin and `isolation`. */
function checkDemandPin(r: Reader, w: Obj, path: string): void {
  r.bool(w, 'isolation', path);
  if (w.gpuRequest === undefined || !r.isObj(w.gpuRequest, `${path}.gpuRequest`)) return;
  const pin = w.gpuRequest;
  const pp = `${path}.gpuRequest`;
  r.unknownKeys(pin, pp, ['form', 'migProfile']);
  const form = r.oneOf(pin, 'form', pp, REQUEST_FORMS);
  if (pin.migProfile === undefined) return;
  const name = r.str(pin, 'migProfile', pp);
  if (form !== undefined && form !== 'mig') r.errors.push(`${pp}.migProfile: only with form "mig"`);
  else if (name && !MIG_PROFILE_NAMES.has(name)) r.errors.push(`${pp}.migProfile: no GPU model has a MIG profile "${name.slice(0, 60)}" (e.g. ${[...MIG_PROFILE_NAMES].slice(0, 6).join(', ')})`);
}

/** Most init containers a workload's pod may list. */
export const MAX_INIT_CONTAINERS = 16;

/** A workload's `initContainers` (issue 13): a list of `{name?, cpuMilli?, memMiB?}`, each field checked at its path. */
function checkInitContainers(r: Reader, w: Obj, path: string): void {
  if (w.initContainers === undefined) return;
  const list = r.arr(w, 'initContainers', path);
  if (list.length > MAX_INIT_CONTAINERS) r.errors.push(`${path}.initContainers: at most ${MAX_INIT_CONTAINERS} init containers`);
  list.slice(0, MAX_INIT_CONTAINERS).forEach((c, i) => {
    const cp = `${path}.initContainers[${i}]`;
    if (!r.isObj(c, cp)) return;
    r.unknownKeys(c, cp, ['name', 'cpuMilli', 'memMiB']);
    r.str(c, 'name', cp, true);
    r.int(c, 'cpuMilli', cp, 0, 100_000_000, true);
    r.int(c, 'memMiB', cp, 0, 1_000_000_000, true);
  });
}

function checkWorkload(r: Reader, w: unknown, path: string, catalog: Set<string>, names: Set<string>): void {
  if (!r.isObj(w, path)) return;
  const kind = r.oneOf(w, 'kind', path, ['training', 'inference', 'agent', 'batch', 'trace', 'raycluster'] as const);
  const name = r.str(w, 'name', path);
  if (name && names.has(name)) r.errors.push(`${path}.name: duplicate workload name ${quoteInput(name)}`);
  names.add(name);
  r.int(w, 'priority', path, -1_000_000_000, 1_000_000_000, true);
  r.str(w, 'queue', path, true);
  r.stringMap(w, 'annotations', path);
  checkDemandPin(r, w, path);
  switch (kind) {
    case 'training': {
      r.unknownKeys(w, path, [...BASE_KEYS, 'workers', 'gpusPerWorker', 'gpuMemMiB', 'cpuMilli', 'memMiB', 'workGpuHours', 'stepComputeS', 'commGBPerStep', 'arrivalS', 'repeat', 'everyS', 'initContainers']);
      checkInitContainers(r, w, path);
      r.int(w, 'workers', path, 1, 10_000);
      r.int(w, 'gpusPerWorker', path, 1, 64);
      r.int(w, 'gpuMemMiB', path, 0, 10_000_000);
      r.int(w, 'cpuMilli', path, 0, 100_000_000);
      r.int(w, 'memMiB', path, 0, 1_000_000_000);
      r.num(w, 'workGpuHours', path, 0.001, 1e9);
      r.num(w, 'stepComputeS', path, 0.001, 1e6);
      r.num(w, 'commGBPerStep', path, 0, 1e6);
      r.int(w, 'arrivalS', path, 0, MAX_TIME_S);
      const repeat = r.int(w, 'repeat', path, 1, MAX_COUNT, true);
      r.int(w, 'everyS', path, 0, MAX_TIME_S, true);
      if (repeat > 1 && w.everyS === undefined) r.errors.push(`${path}.everyS: is required when repeat > 1`);
      break;
    }
    case 'inference': {
      r.unknownKeys(w, path, [...BASE_KEYS, 'gpuMemMiB', 'gpuCores', 'cpuMilli', 'memMiB', 'qpsPerGpu', 'demand', 'targetUtilization', 'minReplicas', 'maxReplicas', 'replicas', 'stabilizationS', 'startupS', 'sloMs', 'initContainers']);
      checkInitContainers(r, w, path);
      r.int(w, 'gpuMemMiB', path, 1, 10_000_000);
      r.int(w, 'gpuCores', path, 1, 100);
      r.int(w, 'cpuMilli', path, 0, 100_000_000);
      r.int(w, 'memMiB', path, 0, 1_000_000_000);
      r.num(w, 'qpsPerGpu', path, 0.000001, 1e9);
      checkDemand(r, w.demand, `${path}.demand`);
      r.num(w, 'targetUtilization', path, 0.01, 1);
      const min = r.int(w, 'minReplicas', path, 1, MAX_INFERENCE_REPLICAS);
      const max = r.int(w, 'maxReplicas', path, 1, MAX_INFERENCE_REPLICAS);
      if (min > max) r.errors.push(`${path}.maxReplicas: must be ≥ minReplicas (${min})`);
      const rep = r.int(w, 'replicas', path, 1, MAX_INFERENCE_REPLICAS, true);
      if (rep < min || rep > max) r.errors.push(`${path}.replicas: must be between minReplicas and maxReplicas`);
      r.int(w, 'stabilizationS', path, 0, 86400, true);
      r.int(w, 'startupS', path, 0, 86400, true);
      r.num(w, 'sloMs', path, 0.001, 1e9);
      break;
    }
    case 'agent': {
      r.unknownKeys(w, path, [...BASE_KEYS, 'count', 'gpuMemMiB', 'gpuCores', 'cpuMilli', 'memMiB', 'burstsPerHour', 'burstGpuS', 'elasticity', 'idleTimeoutS', 'coldStartS', 'arrivalS', 'initContainers']);
      checkInitContainers(r, w, path);
      r.int(w, 'count', path, 1, MAX_COUNT);
      r.int(w, 'gpuMemMiB', path, 1, 10_000_000);
      r.int(w, 'gpuCores', path, 1, 100);
      r.int(w, 'cpuMilli', path, 0, 100_000_000);
      r.int(w, 'memMiB', path, 0, 1_000_000_000);
      r.num(w, 'burstsPerHour', path, 0, 1e6);
      r.num(w, 'burstGpuS', path, 0.001, 1e6);
      r.oneOf(w, 'elasticity', path, ['always-on', 'scale-to-zero'] as const);
      r.int(w, 'idleTimeoutS', path, 0, MAX_TIME_S, true);
      r.int(w, 'coldStartS', path, 0, 86400, true);
      r.int(w, 'arrivalS', path, 0, MAX_TIME_S, true);
      break;
    }
    case 'batch': {
      r.unknownKeys(w, path, [...BASE_KEYS, 'count', 'cpuMilli', 'memMiB', 'gpus', 'gpuMilli', 'gpuMemMiB', 'durationS', 'arrivalS', 'interarrivalS', 'gpuUtilization', 'gpuModels', 'initContainers']);
      checkInitContainers(r, w, path);
      r.int(w, 'count', path, 1, MAX_COUNT);
      r.int(w, 'cpuMilli', path, 0, 100_000_000);
      r.int(w, 'memMiB', path, 0, 1_000_000_000);
      const gpus = r.int(w, 'gpus', path, 0, 64);
      const milli = r.int(w, 'gpuMilli', path, 0, 1000);
      if (gpus > 1 && milli !== 1000) r.errors.push(`${path}.gpuMilli: must be 1000 when gpus > 1 (only single-GPU pods share a GPU)`);
      if (gpus > 0 && milli === 0) r.errors.push(`${path}.gpuMilli: must be ≥ 1 when gpus > 0`);
      if (gpus === 0 && milli > 0) r.errors.push(`${path}.gpuMilli: must be 0 when gpus is 0`);
      r.int(w, 'gpuMemMiB', path, 0, 10_000_000, true);
      r.int(w, 'durationS', path, 1, MAX_TIME_S);
      r.int(w, 'arrivalS', path, 0, MAX_TIME_S);
      r.int(w, 'interarrivalS', path, 0, MAX_TIME_S, true);
      r.num(w, 'gpuUtilization', path, 0, 1, true);
      checkModels(r, w, 'gpuModels', path, catalog);
      break;
    }
    case 'trace': {
      r.unknownKeys(w, path, [...BASE_KEYS, 'pods', 'gpuUtilization']);
      r.num(w, 'gpuUtilization', path, 0, 1, true);
      const pods = r.arr(w, 'pods', path);
      if (pods.length > 2_000_000) r.errors.push(`${path}.pods: at most 2,000,000 pods`);
      for (let i = 0; i < pods.length && r.errors.length < 50; i++) {
        const p = pods[i];
        const pp = `${path}.pods[${i}]`;
        if (!r.isObj(p, pp)) continue;
        r.str(p, 'name', pp);
        r.int(p, 'cpuMilli', pp, 0, 100_000_000);
        r.int(p, 'memMiB', pp, 0, 1_000_000_000);
        const n = r.int(p, 'numGpu', pp, 0, 64);
        const m = r.int(p, 'gpuMilli', pp, 0, 1000);
        if (n > 1 && m !== 1000) r.errors.push(`${pp}.gpuMilli: must be 1000 when numGpu > 1`);
        if (n === 0 && m > 0) r.errors.push(`${pp}.gpuMilli: must be 0 when numGpu is 0`);
        checkModels(r, p, 'gpuSpec', pp, null);
        const c = r.int(p, 'creationS', pp, 0, Number.MAX_SAFE_INTEGER);
        const d = r.int(p, 'deletionS', pp, 0, Number.MAX_SAFE_INTEGER, true);
        if (d < c) r.errors.push(`${pp}.deletionS: must be ≥ creationS`);
      }
      break;
    }
    case 'raycluster': {
      r.unknownKeys(w, path, [...BASE_KEYS, 'head', 'workerGroups', 'tasksPerHour', 'taskDurationS', 'taskGroup', 'idleTimeoutS', 'workerStartupS', 'arrivalS']);
      if (r.isObj(w.head, `${path}.head`)) {
        r.unknownKeys(w.head, `${path}.head`, ['cpuMilli', 'memMiB']);
        r.int(w.head, 'cpuMilli', `${path}.head`, 0, 100_000_000);
        r.int(w.head, 'memMiB', `${path}.head`, 0, 1_000_000_000);
      }
      const groups = r.arr(w, 'workerGroups', path);
      if (Array.isArray(w.workerGroups) && groups.length === 0) r.errors.push(`${path}.workerGroups: needs at least one worker group`);
      const groupNames = new Set<string>();
      groups.forEach((g, i) => {
        const gp = `${path}.workerGroups[${i}]`;
        if (!r.isObj(g, gp)) return;
        r.unknownKeys(g, gp, ['name', 'gpusPerWorker', 'gpuMemMiB', 'cpuMilli', 'memMiB', 'minReplicas', 'maxReplicas', 'replicas']);
        const gname = r.str(g, 'name', gp);
        if (gname && groupNames.has(gname)) r.errors.push(`${gp}.name: duplicate worker group ${quoteInput(gname)}`);
        groupNames.add(gname);
        r.int(g, 'gpusPerWorker', gp, 0, 64);
        r.int(g, 'gpuMemMiB', gp, 0, 10_000_000);
        r.int(g, 'cpuMilli', gp, 0, 100_000_000);
        r.int(g, 'memMiB', gp, 0, 1_000_000_000);
        const min = r.int(g, 'minReplicas', gp, 0, 10_000);
        const max = r.int(g, 'maxReplicas', gp, 0, 10_000);
        if (min > max) r.errors.push(`${gp}.maxReplicas: must be ≥ minReplicas (${min})`);
        const rep = r.int(g, 'replicas', gp, 0, 10_000, true);
        if (rep < min || rep > max) r.errors.push(`${gp}.replicas: must be between minReplicas and maxReplicas`);
      });
      r.num(w, 'tasksPerHour', path, 0, 1e6);
      r.int(w, 'taskDurationS', path, 1, MAX_TIME_S);
      const tg = r.str(w, 'taskGroup', path, true);
      if (tg && !groupNames.has(tg)) r.errors.push(`${path}.taskGroup: no worker group named ${quoteInput(tg)}`);
      r.int(w, 'idleTimeoutS', path, 0, MAX_TIME_S, true);
      r.int(w, 'workerStartupS', path, 0, 86400, true);
      r.int(w, 'arrivalS', path, 0, MAX_TIME_S, true);
      break;
    }
    default:
      break;
  }
}

function checkModels(r: Reader, o: Obj, key: string, path: string, catalog: Set<string> | null): void {
  r.stringList(o, key, path);
  if (!catalog || !Array.isArray(o[key])) return;
  (o[key] as unknown[]).forEach((m, i) => {
    if (typeof m === 'string' && !catalog.has(m)) r.errors.push(`${path}.${key}[${i}]: unknown GPU model ${quoteInput(m)}`);
  });
}

function checkDemand(r: Reader, d: unknown, path: string): void {
  if (!r.isObj(d, path)) return;
  const shape = r.oneOf(d, 'shape', path, ['flat', 'diurnal', 'spiky', 'points'] as const);
  switch (shape) {
    case 'flat':
      r.unknownKeys(d, path, ['shape', 'qps']);
      r.num(d, 'qps', path, 0, 1e9);
      break;
    case 'diurnal':
      r.unknownKeys(d, path, ['shape', 'peakQps', 'troughQps', 'peakHour']);
      r.num(d, 'peakQps', path, 0, 1e9);
      r.num(d, 'troughQps', path, 0, 1e9);
      r.num(d, 'peakHour', path, 0, 24);
      if (typeof d.peakQps === 'number' && typeof d.troughQps === 'number' && d.troughQps > d.peakQps) r.errors.push(`${path}.troughQps: must be ≤ peakQps`);
      break;
    case 'spiky':
      r.unknownKeys(d, path, ['shape', 'baseQps', 'spikeQps', 'spikesPerDay', 'spikeMinutes']);
      r.num(d, 'baseQps', path, 0, 1e9);
      r.num(d, 'spikeQps', path, 0, 1e9);
      r.int(d, 'spikesPerDay', path, 0, 1440);
      r.int(d, 'spikeMinutes', path, 1, 1440);
      break;
    case 'points': {
      r.unknownKeys(d, path, ['shape', 'points']);
      const pts = r.arr(d, 'points', path);
      if (Array.isArray(d.points) && pts.length < 2) r.errors.push(`${path}.points: needs at least 2 points`);
      if (pts.length > 10_000) r.errors.push(`${path}.points: at most 10,000 points`);
      let last = -1;
      pts.slice(0, 10_000).forEach((p, i) => {
        const pp = `${path}.points[${i}]`;
        if (!r.isObj(p, pp)) return;
        const h = r.num(p, 'hour', pp, 0, 24);
        r.num(p, 'qps', pp, 0, 1e9);
        if (h <= last) r.errors.push(`${pp}.hour: must be greater than the previous point's hour`);
        if (Number.isFinite(h)) last = h;
      });
      break;
    }
    default:
      break;
  }
}

function checkExistingPod(r: Reader, p: unknown, path: string): void {
  if (!r.isObj(p, path)) return;
  r.unknownKeys(p, path, ['name', 'node', 'cpuMilli', 'memMiB', 'gpus']);
  r.str(p, 'name', path);
  r.str(p, 'node', path);
  r.int(p, 'cpuMilli', path, 0, 100_000_000);
  r.int(p, 'memMiB', path, 0, 1_000_000_000);
  r.arr(p, 'gpus', path, true).forEach((g, i) => {
    const gp = `${path}.gpus[${i}]`;
    if (!r.isObj(g, gp)) return;
    r.unknownKeys(g, gp, ['index', 'gpuMilli', 'gpuMemMiB', 'gpuCores']);
    r.int(g, 'index', gp, 0, 63);
    r.int(g, 'gpuMilli', gp, 0, 1000);
    r.int(g, 'gpuMemMiB', gp, 0, 10_000_000, true);
    r.int(g, 'gpuCores', gp, 0, 100, true);
  });
}

/** Milli-GPU and gpucores of one card (as model/units.ts GPU_MILLI and GPU_CORES). */
const CARD_MILLI = 1000;
const CARD_CORES = 100;

type ExistingGpu = NonNullable<ExistingPodSpec['gpus']>[number];

/**
 * What an existing pod's entry books on a card of `cardMemMiB`, consistently in every dimension a profile may count
 * (sim/setup.ts books exactly this), so that no profile sees room that is taken: the milli-GPU share is the largest
 * of the entry's milli-GPU, its memory share ceil(mem·1000/card) and its cores share cores·10; memory and cores are
 * at least that share of the card's, floor(card·milli/1000) and floor(milli/10), what the simulator takes such a
 * pod to use (sim/contention.ts realMemMiB) and what the FGD family books for a slice. A whole GPU takes it all.
 */
export function existingGpuShare(g: ExistingGpu, cardMemMiB: number): { milli: number; memMiB: number; cores: number } {
  const mem = g.gpuMemMiB ?? 0;
  const cores = g.gpuCores ?? 0;
  const memShare = cardMemMiB > 0 ? Math.ceil((mem * CARD_MILLI) / cardMemMiB) : 0;
  const milli = Math.min(CARD_MILLI, Math.max(g.gpuMilli, memShare, cores * (CARD_MILLI / CARD_CORES)));
  if (milli >= CARD_MILLI) return { milli: CARD_MILLI, memMiB: Math.max(mem, cardMemMiB), cores: CARD_CORES };
  return { milli, memMiB: Math.max(mem, Math.floor((cardMemMiB * milli) / CARD_MILLI)), cores: Math.max(cores, Math.floor((milli * CARD_CORES) / CARD_MILLI)) };
}

/**
 * Existing pods against the cluster they sit on, in order (each books its node before the next is checked), so
 * that setting up a validated scenario cannot fail: the node exists (nodes are named `<pool>-<i>`, zero-padded
 * within the pool), each listed GPU exists once and stays within its milli-GPU, memory and cores, and the node
 * within its CPU, memory and pod count.
 */
function checkExistingPodsFit(errors: string[], s: Scenario): void {
  if (!s.existingPods?.length) return;
  type Card = { milli: number; memMiB: number; cores: number; capMemMiB: number };
  type Node = { name: string; cpuMilli: number; memMiB: number; maxPods: number; usedCpu: number; usedMem: number; pods: number; gpus: Card[] };
  const nodes = new Map<string, Node>();
  let firstName = 'none';
  for (const pool of s.cluster.pools) {
    const width = String(Math.max(pool.count - 1, 0)).length;
    const capMemMiB = s.catalog?.[pool.gpuModel]?.memMiB ?? GPU_CATALOG[pool.gpuModel]?.memMiB ?? 0;
    for (let i = 0; i < pool.count; i++) {
      const name = `${pool.name}-${String(i).padStart(width, '0')}`;
      if (nodes.size === 0) firstName = name;
      const gpus = Array.from({ length: pool.gpusPerNode }, () => ({ milli: 0, memMiB: 0, cores: 0, capMemMiB }));
      nodes.set(name, { name, cpuMilli: pool.cpuMilli, memMiB: pool.memMiB, maxPods: pool.maxPods ?? 110, usedCpu: 0, usedMem: 0, pods: 0, gpus });
    }
  }
  s.existingPods.forEach((e, i) => {
    const path = `existingPods[${i}]`;
    const node = nodes.get(e.node);
    if (!node) {
      errors.push(`${path}.node: no node named ${quoteInput(String(e.node))} (nodes are named <pool>-<index>, e.g. ${firstName})`);
      return;
    }
    const before = errors.length;
    const gpus = e.gpus ?? [];
    const seen = new Set<number>();
    gpus.forEach((g, j) => {
      const gp = `${path}.gpus[${j}]`;
      const card = node.gpus[g.index];
      if (!card) errors.push(`${gp}.index: node ${node.name} has no GPU ${g.index}`);
      else if (seen.has(g.index)) errors.push(`${gp}.index: GPU ${g.index} is listed twice`);
      else {
        const share = existingGpuShare(g, card.capMemMiB);
        const whole = g.gpuMilli >= CARD_MILLI ? ' (a whole GPU books all of its memory and cores)' : '';
        if (card.milli + share.milli > CARD_MILLI) errors.push(`${gp}: GPU ${g.index} on ${node.name} would be over 1000 milli (this entry books ${share.milli}, the largest of its milli-GPU, memory and cores shares; ${card.milli} are booked already)`);
        else if (card.memMiB + share.memMiB > card.capMemMiB) errors.push(`${gp}: GPU ${g.index} on ${node.name} would be over its memory${whole}`);
        else if (card.cores + share.cores > CARD_CORES) errors.push(`${gp}: GPU ${g.index} on ${node.name} would be over its cores${whole}`);
      }
      seen.add(g.index);
    });
    if (node.usedCpu + e.cpuMilli > node.cpuMilli) errors.push(`${path}.cpuMilli: node ${node.name} has only ${node.cpuMilli - node.usedCpu} milli-CPU free`);
    if (node.usedMem + e.memMiB > node.memMiB) errors.push(`${path}.memMiB: node ${node.name} has only ${node.memMiB - node.usedMem} MiB free`);
    if (node.pods + 1 > node.maxPods) errors.push(`${path}: node ${node.name} already holds its maximum of ${node.maxPods} pods`);
    if (errors.length > before) return;
    // It fits: book it for the pods after it.
    for (const g of gpus) {
      const card = node.gpus[g.index];
      const share = existingGpuShare(g, card.capMemMiB);
      card.milli += share.milli;
      card.memMiB += share.memMiB;
      card.cores += share.cores;
    }
    node.usedCpu += e.cpuMilli;
    node.usedMem += e.memMiB;
    node.pods++;
  });
}

function checkQueue(r: Reader, q: unknown, path: string): void {
  if (!r.isObj(q, path)) return;
  r.unknownKeys(q, path, ['name', 'weight', 'capability', 'guarantee', 'reclaimable', 'priority']);
  r.str(q, 'name', path);
  r.num(q, 'weight', path, 0, 1e6, true);
  r.bool(q, 'reclaimable', path);
  r.int(q, 'priority', path, -1_000_000_000, 1_000_000_000, true);
  for (const key of ['capability', 'guarantee'] as const) {
    if (q[key] === undefined || !r.isObj(q[key], `${path}.${key}`)) continue;
    const o = q[key] as Obj;
    r.unknownKeys(o, `${path}.${key}`, ['gpuMilli', 'cpuMilli', 'memMiB']);
    r.int(o, 'gpuMilli', `${path}.${key}`, 0, Number.MAX_SAFE_INTEGER, true);
    r.int(o, 'cpuMilli', `${path}.${key}`, 0, Number.MAX_SAFE_INTEGER, true);
    r.int(o, 'memMiB', `${path}.${key}`, 0, Number.MAX_SAFE_INTEGER, true);
  }
}
