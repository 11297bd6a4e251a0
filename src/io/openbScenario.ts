/**
 * The workbench's "import the real trace": the openb node list and a pod list (CSV text, as read from the user's
 * disk) turned into a scenario the simulator runs, in one of two modes.
 *
 * - `replay`: the FGD paper's experiment (USENIX ATC'23; hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641;
 *   domain.md §6.4) as `slicebench openb` builds it: the original pods sorted by name and shuffled with the
 *   seed, then copies drawn with replacement until 1.3 × capacity (`replayWorkload` in model/openbTrace.ts, same
 *   RNG stream, so the same seed gives the same arrival order as the CLI). Pod i arrives at second i and never
 *   leaves; a pod that fails waits forever, which is the artifact's "dropped": nothing is ever released, so the
 *   simulator never retries it. Allocation over time is then the paper's allocation-vs-arrived curve.
 * - `arrivals`: the trace's own creation and deletion times, divided by a compression factor (relative to the
 *   first creation), departures kept.
 *
 * Either mode may keep only every k-th node and every k-th pod so a browser stays responsive; the description
 * says so. Pure: strings in, a Scenario (or an OpenbParseError naming the file and line) out.
 */
import { Rng } from '../core/rng.ts';
import { GPU_MILLI } from '../model/units.ts';
import { OPENB_MAX_PODS, openbTotalGpus, replayWorkload, type OpenbNode } from '../model/openbTrace.ts';
import { goReplayDraws } from '../model/openbGoDraws.ts';
import { SCENARIO_KIND, SCENARIO_VERSION, type ClusterSpec, type NodePoolSpec, type Scenario, type TracePod } from '../scenario/types.ts';
import { OpenbParseError, parseOpenbNodes, parseOpenbPods } from './openb.ts';

/** How the trace's pods arrive. */
export type OpenbImportMode = 'replay' | 'arrivals';

/** The FGD paper's policies the replay mode preselects (the app compares up to four runs). */
export const OPENB_REPLAY_PROFILES = ['fgd', 'packing', 'bestfit', 'random'] as const;

/** The artifact's workload inflation (domain.md §6.4: copies appended until 1.3 × capacity). */
export const OPENB_INFLATION = 1.3;

/** The longest simulated run the scenario format accepts (scenario/validate.ts: 366 days). */
export const MAX_SCENARIO_S = 366 * 86400;

/** About this many metric samples per run (enough for a smooth curve, few enough for the browser). */
const TARGET_SAMPLES = 400;

export interface OpenbImportOptions {
  mode: OpenbImportMode;
  seed: number;
  /** Scheduler profiles to compare (1 to 4). */
  profiles: readonly string[];
  /** Keep every k-th node (1 = all), counting from the first. */
  nodeEvery?: number;
  /** Keep every k-th pod (1 = all), counting from the first. */
  podEvery?: number;
  /** `arrivals` mode: simulated seconds = trace seconds / compression (≥ 1). */
  compression?: number;
  /**
   * `replay` mode's random numbers: 'slicebench' (default) our seeded stream; 'go' the FGD artifact's arrival order
   * (Go's math/rand in its call order, model/openbGoDraws.ts), the sequence `slicebench openb --rng go` replays.
   */
  rng?: 'slicebench' | 'go';
  /** Names of the files, for the scenario's name, description and error messages. */
  nodeFile?: string;
  podFile?: string;
}

/** What the import made, for the dialog to show. */
export interface OpenbImportStats {
  nodes: number;
  totalNodes: number;
  gpus: number;
  tracePods: number;
  totalTracePods: number;
  /** Pods that arrive in the scenario (replay: originals + inflation copies). */
  arrivals: number;
  durationS: number;
  /** Replay: the second at which the arrived GPU request first reaches 100% of capacity (−1 if never). */
  fullArrivalS: number;
}

/** Keeps every k-th element (k ≥ 1), starting with the first. */
export function everyKth<T>(items: readonly T[], k: number): T[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`invalid subsampling step: ${k}`);
  return k === 1 ? items.slice() : items.filter((_, i) => i % k === 0);
}

/** Re-throws a parse error with the file's name in front, so the dialog says which file is wrong. */
function inFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OpenbParseError) throw new OpenbParseError(`${file}: ${e.message}`);
    throw e;
  }
}

/** A metrics step giving about TARGET_SAMPLES samples over `durationS` (at least 1 s). */
function metricsStepFor(durationS: number): number {
  return Math.max(1, Math.ceil(durationS / TARGET_SAMPLES));
}

function checkOptions(o: OpenbImportOptions): void {
  const ints: [string, number | undefined, number][] = [
    ['nodeEvery', o.nodeEvery, 1],
    ['podEvery', o.podEvery, 1],
    ['seed', o.seed, 0],
  ];
  for (const [name, v, min] of ints) if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new RangeError(`invalid ${name}: ${v} (an integer ≥ ${min})`);
  // The seed range of the scenario format and the CLI: larger seeds would wrap in the RNG.
  if (o.seed > 0xffffffff) throw new RangeError(`invalid seed: ${o.seed} (at most 4294967295)`);
  if (o.profiles.length < 1 || o.profiles.length > 4) throw new RangeError(`invalid profiles: ${o.profiles.length} chosen (1 to 4)`);
  if (o.mode === 'arrivals' && o.compression !== undefined && !(Number.isFinite(o.compression) && o.compression >= 1)) throw new RangeError(`invalid compression: ${o.compression} (a number ≥ 1)`);
}

/**
 * The cluster as pools of identical nodes (model, GPUs, CPU, memory), in order of first appearance, nodes in
 * trace order inside a pool: the real node list has 15 shapes, so the app shows 15 pools instead of 1,213 one-node
 * pools (openbClusterSpec keeps one pool per `sn` for the CLI). PCIe, one NUMA node, at most 1,001 pods per
 * node, as in the FGD artifact.
 */
export function openbPooledClusterSpec(nodes: readonly OpenbNode[]): ClusterSpec {
  const pools = new Map<string, NodePoolSpec>();
  for (const n of nodes) {
    const key = `${n.model}/${n.gpus}/${n.cpuMilli}/${n.memMiB}`;
    const pool = pools.get(key);
    if (pool) {
      pool.count++;
      continue;
    }
    const shape = `${n.cpuMilli % 1000 === 0 ? n.cpuMilli / 1000 : (n.cpuMilli / 1000).toFixed(1)}c-${Math.round(n.memMiB / 1024)}g`;
    let name = n.gpus > 0 ? `${n.model.toLowerCase()}-${n.gpus}gpu-${shape}` : `cpu-${shape}`;
    for (let i = 2; [...pools.values()].some((p) => p.name === name); i++) name = `${name.replace(/-\d+$/, '')}-${i}`;
    pools.set(key, { name, count: 1, gpuModel: n.model, gpusPerNode: n.gpus, cpuMilli: n.cpuMilli, memMiB: n.memMiB, topology: 'pcie', numaNodes: 1, maxPods: OPENB_MAX_PODS });
  }
  return { pools: [...pools.values()] };
}

/** The replay arrivals: pod i at second i, never leaving. */
function replayPods(pods: readonly TracePod[], nodes: readonly OpenbNode[], capacityGpus: number, seed: number, rng: 'slicebench' | 'go'): { pods: TracePod[]; fullArrivalS: number } {
  const sequence = rng === 'go' ? goReplayDraws(pods, nodes, capacityGpus, OPENB_INFLATION, seed).arrivals : replayWorkload(pods, capacityGpus, OPENB_INFLATION, new Rng(seed));
  let arrivedMilli = 0;
  let fullArrivalS = -1;
  const out = sequence.map((p, i): TracePod => {
    arrivedMilli += p.numGpu * p.gpuMilli;
    if (fullArrivalS < 0 && arrivedMilli >= capacityGpus * GPU_MILLI) fullArrivalS = i;
    const q: TracePod = { name: p.name, cpuMilli: p.cpuMilli, memMiB: p.memMiB, numGpu: p.numGpu, gpuMilli: p.gpuMilli, creationS: i };
    if (p.gpuSpec) q.gpuSpec = p.gpuSpec;
    if (p.qos) q.qos = p.qos;
    return q;
  });
  return { pods: out, fullArrivalS };
}

/** The real-time arrivals: times relative to the first creation, divided by `compression`; departures kept. */
function arrivalPods(pods: readonly TracePod[], compression: number): TracePod[] {
  const t0 = pods.reduce((m, p) => Math.min(m, p.creationS), Infinity);
  return pods.map((p): TracePod => {
    const creationS = Math.round((p.creationS - t0) / compression);
    const q: TracePod = { ...p, creationS };
    // A pod lives at least one simulated second (the simulator's minimum), never less than it did in order.
    if (p.deletionS !== undefined) q.deletionS = Math.max(creationS + 1, Math.round((p.deletionS - t0) / compression));
    return q;
  });
}

function plural(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}

function ordinal(k: number): string {
  const s = k % 100 >= 11 && k % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[k % 10] ?? 'th';
  return `${k}${s}`;
}

/** Converts the openb node list and a pod list into a scenario; throws OpenbParseError (file and line) or RangeError. */
export function openbImportScenario(nodeCsv: string, podCsv: string, o: OpenbImportOptions): { scenario: Scenario; stats: OpenbImportStats } {
  checkOptions(o);
  const nodeFile = o.nodeFile ?? 'node list';
  const podFile = o.podFile ?? 'pod list';
  const nodeEvery = o.nodeEvery ?? 1;
  const podEvery = o.podEvery ?? 1;
  const allNodes = inFile(nodeFile, () => parseOpenbNodes(nodeCsv));
  const allPods = inFile(podFile, () => parseOpenbPods(podCsv));
  const nodes = everyKth(allNodes, nodeEvery);
  const tracePods = everyKth(allPods, podEvery);
  if (nodes.length === 0) throw new OpenbParseError(`${nodeFile}: no nodes`);
  if (tracePods.length === 0) throw new OpenbParseError(`${podFile}: no pods`);
  const gpus = openbTotalGpus(nodes);

  let pods: TracePod[];
  let durationS: number;
  let fullArrivalS = -1;
  const lines: string[] = [];
  if (o.mode === 'replay') {
    if (gpus === 0) throw new OpenbParseError(`${nodeFile}: the replay needs GPU nodes (the kept nodes have no GPUs)`);
    const r = replayPods(tracePods, nodes, gpus, o.seed, o.rng ?? 'slicebench');
    pods = r.pods;
    fullArrivalS = r.fullArrivalS;
    durationS = pods.length;
    lines.push(
      `The FGD paper's replay (ATC'23): the ${plural(tracePods.length, 'trace pod')} shuffled with seed ${o.seed}${o.rng === 'go' ? " by Go's math/rand in the artifact's order" : ''}, then copies drawn until the GPU request reaches ${OPENB_INFLATION}× the ${plural(gpus, 'GPU')} (${plural(pods.length, 'pod')}).`,
      `One pod arrives per second and never leaves; a pod that does not fit waits for good (the paper drops it), so allocation over time is the paper's allocation-vs-arrived curve${fullArrivalS >= 0 ? `: 100% of the GPUs have been requested at second ${fullArrivalS.toLocaleString('en-US')}` : ''}.`,
    );
  } else {
    const compression = o.compression ?? 1;
    pods = arrivalPods(tracePods, compression);
    const last = pods.reduce((m, p) => Math.max(m, p.creationS, p.deletionS ?? 0), 0);
    if (last + 1 > MAX_SCENARIO_S) throw new RangeError(`the trace spans ${Math.ceil((last + 1) / 86400)} simulated days at compression ${compression}; the limit is 366 days: compress more`);
    durationS = last + 1;
    lines.push(`The trace's own arrival and departure times${compression === 1 ? '' : `, compressed ${compression.toLocaleString('en-US')}× (one simulated second = ${compression.toLocaleString('en-US')} trace seconds)`}: ${plural(pods.length, 'pod')} on ${plural(gpus, 'GPU')}.`);
  }
  if (nodeEvery > 1 || podEvery > 1) {
    const parts: string[] = [];
    if (nodeEvery > 1) parts.push(`every ${ordinal(nodeEvery)} node (${nodes.length.toLocaleString('en-US')} of ${allNodes.length.toLocaleString('en-US')})`);
    if (podEvery > 1) parts.push(`every ${ordinal(podEvery)} pod (${tracePods.length.toLocaleString('en-US')} of ${allPods.length.toLocaleString('en-US')})`);
    lines.push(`Subsampled to keep the browser responsive: ${parts.join(' and ')}.`);
  }
  lines.push(`From ${nodeFile} and ${podFile} (Alibaba cluster-trace-gpu-v2023, research use; cite FGD, ATC'23).`);

  const scenario: Scenario = {
    kind: SCENARIO_KIND,
    version: SCENARIO_VERSION,
    name: o.mode === 'replay' ? `openb replay: ${podFile}` : `openb arrivals: ${podFile}`,
    description: lines.join(' '),
    cluster: openbPooledClusterSpec(nodes),
    workloads: [{ kind: 'trace', name: 'openb', pods }],
    schedulers: o.profiles.map((profile) => ({ profile })),
    sim: { durationS, seed: o.seed, metricsStepS: metricsStepFor(durationS) },
  };
  return {
    scenario,
    stats: { nodes: nodes.length, totalNodes: allNodes.length, gpus, tracePods: tracePods.length, totalTracePods: allPods.length, arrivals: pods.length, durationS, fullArrivalS },
  };
}
