/**
 * The FGD paper's experiment on the openb trace, as its artifact runs it (domain.md §6.4, "Workload generation"
 * and "Measuring"; hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641): one RNG seeded with the run's seed;
 * all original pods sorted by name and shuffled; then copies drawn uniformly with replacement from the originals
 * are appended in draw order, stopping at the first copy whose per-GPU milli would push the running GPU request
 * above inflation × capacity (the artifact checks the copy's per-GPU milli but adds num_gpu × milli). Pods arrive one
 * by one and never leave; a pod that fails is dropped, never retried. After every pod we sample the arrived GPU
 * request (every attempted pod, num_gpu × gpu_milli), allocation, fragmented GPUs and the fragmentation rate,
 * and bin the samples by arrived-% of capacity rounded half to even (`arrivedBin`, the artifact's analysis).
 */
import { Rng } from '../../core/rng.ts';
import { openbCluster, openbClusterSpec, replayWorkload, type OpenbNode } from '../../model/openbTrace.ts';
import type { Binding, Pod } from '../../model/pod.ts';
import { GPU_MILLI } from '../../model/units.ts';
import { SCENARIO_KIND, SCENARIO_VERSION, type Scenario, type TracePod } from '../../scenario/types.ts';
import { createScheduler } from '../profiles/index.ts';
import type { CycleResult, SchedContext, Scheduler } from '../framework.ts';
import { FragTracker, fragRatePct } from './fragment.ts';
import { ShapeCachedScheduler } from './shapeCachedScheduler.ts';
import { artifactCurve, type ReplaySamples } from './goReplay.ts';
import { goReplayDraws } from '../../model/openbGoDraws.ts';
import { targetWorkloadFromScenario, type TargetWorkload } from './target.ts';

/** One row of the replay curve: averages of the samples whose arrived GPU request rounds to this whole percent. */
export interface CurveRow {
  arrivedPct: number;
  /** Allocated milli-GPU / capacity · 100. */
  allocatedPct: number;
  /** Cluster fragment (milli) / 1000 as % of the cluster's GPUs. */
  fragmentedGpuPct: number;
  /** Cluster fragment / idle GPU share · 100. */
  fragRatioPct: number;
}

export interface ReplayResult {
  policy: string;
  seed: number;
  capacityGpus: number;
  curve: CurveRow[];
}

/** Totals of a replay beyond the curve (not part of the `--json` shape). */
export interface ReplayStats {
  arrivedPods: number;
  /** Σ num_gpu × gpu_milli of every arrival: the total arrived GPU demand (÷ capacity milli = arrived share). */
  arrivedMilli: number;
  boundPods: number;
  failedPods: number;
  /** Allocation after the last pod, percent. */
  finalAllocatedPct: number;
}

export interface ReplayOptions {
  nodes: readonly OpenbNode[];
  pods: readonly TracePod[];
  policy: string;
  seed: number;
  /** Workload inflation: copies are appended until this × capacity (default 1.3). */
  inflation?: number;
  /**
   * Random numbers: 'slicebench' (default) our seeded streams and binning; 'go' the artifact's Go math/rand draws
   * in its call order and its analysis script's rounding (goReplay.ts), to reproduce the published runs exactly.
   */
  rng?: 'slicebench' | 'go';
}

function tracePodToPod(p: TracePod, uid: number): Pod {
  return {
    uid,
    name: p.name,
    kind: 'trace',
    workload: 0,
    request: { cpuMilli: p.cpuMilli, memMiB: p.memMiB, gpuCount: p.numGpu, gpuMilli: p.numGpu > 0 ? p.gpuMilli : 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: p.gpuSpec ?? [] },
    priority: 0,
    queue: 'default',
    annotations: {},
    gang: -1,
    gangMin: 0,
    createdS: 0,
    phase: 'pending',
    binding: null,
    boundS: -1,
    attempts: 0,
    lastReason: '',
  };
}

/** A scenario holding the trace (what the profiles read at creation: the FGD target comes from its pods). */
export function openbScenario(nodes: readonly OpenbNode[], pods: readonly TracePod[], policy: string, seed: number): Scenario {
  return {
    kind: SCENARIO_KIND,
    version: SCENARIO_VERSION,
    name: 'openb replay',
    cluster: openbClusterSpec(nodes),
    workloads: [{ kind: 'trace', name: 'openb', pods: [...pods] }],
    schedulers: [{ profile: policy }],
    sim: { durationS: 0, seed, metricsStepS: 1 },
  };
}

/** Runs one replay; returns the binned curve and totals. */
export function replayOpenb(o: ReplayOptions): ReplayResult & { stats: ReplayStats; target: TargetWorkload } {
  const steps = replaySteps(o);
  let r = steps.next();
  while (!r.done) r = steps.next(r.value.scheduler.cycle([r.value.pod], r.value.ctx));
  return r.value;
}

/** One pod's decision the replay waits for (drivers: replayOpenb here; the engine's lockstep sweep awaits a GPU). */
export interface ReplayStep {
  scheduler: Scheduler;
  pod: Pod;
  ctx: SchedContext;
}

/** The replay loop, yielding each pod's scheduling cycle to its driver. `wrap` may swap in an engine scheduler. */
export function* replaySteps(o: ReplayOptions, wrap?: (s: Scheduler, scenario: Scenario) => Scheduler): Generator<ReplayStep, ReplayResult & { stats: ReplayStats; target: TargetWorkload }, CycleResult> {
  const inflation = o.inflation ?? 1.3;
  const cluster = openbCluster(o.nodes);
  const capacityGpus = cluster.totalGpus;
  const capMilli = capacityGpus * GPU_MILLI;
  const rng = new Rng(o.seed);
  const go = o.rng === 'go' ? goReplayDraws(o.pods, o.nodes, capacityGpus, inflation, o.seed) : null;
  const arrivals = go ? go.arrivals : replayWorkload(o.pods, capacityGpus, inflation, rng);
  const scenario = openbScenario(o.nodes, o.pods, o.policy, o.seed);
  const created = createScheduler(o.policy, undefined, { scenario, cluster, rng: rng.fork('scheduler'), nodeRank: go?.nodeRank });
  // The replay counts a failure and never reads its message: skip re-filtering nodes only to word it exactly.
  if (created instanceof ShapeCachedScheduler) created.exactRejections = false;
  const scheduler = wrap ? wrap(created, scenario) : created;
  const ctx: SchedContext = { cluster, rng: rng.fork('scheduler-cycle'), nowS: 0 };
  const target = targetWorkloadFromScenario(scenario);
  const tracker = new FragTracker(cluster, target);

  const bins = Math.max(0, Math.ceil(inflation * 100));
  const sum = Array.from({ length: bins + 1 }, () => ({ n: 0, alloc: 0, frag: 0, ratio: 0, last: { alloc: 0, frag: 0, ratio: 0 } }));
  let arrivedMilli = 0;
  let allocatedMilli = 0;
  let bound = 0;
  let fragMilliNow = 0;
  const samples: ReplaySamples | null = go ? { arrivedMilli: [], allocatedMilli: [], fragMilli: [], fragRatioPct: [] } : null;
  // Only the node a pod lands on changes, so the fragment is a running sum and idle = capacity − allocated.
  const sample = (changedNode: number): { alloc: number; frag: number; ratio: number } => {
    const fragMilli = changedNode < 0 ? tracker.totalMilli() : tracker.refresh(changedNode);
    fragMilliNow = fragMilli;
    return { alloc: (allocatedMilli / capMilli) * 100, frag: (fragMilli / capMilli) * 100, ratio: fragRatePct(fragMilli, capMilli - allocatedMilli) };
  };
  tracker.refresh(0);
  let last = sample(-1);
  const firstSample = last;
  let uid = 0;
  for (const tp of arrivals) {
    const pod = tracePodToPod(tp, uid++);
    const res: CycleResult = yield { scheduler, pod, ctx };
    arrivedMilli += tp.numGpu * tp.gpuMilli;
    let changed = -1;
    if (res.bound.length === 1) {
      bound++;
      allocatedMilli += tp.numGpu * tp.gpuMilli;
      changed = (pod.binding as Binding).nodeId;
    }
    if (changed >= 0 || uid === 1) last = sample(changed);
    if (samples) {
      samples.arrivedMilli.push(arrivedMilli);
      samples.allocatedMilli.push(allocatedMilli);
      samples.fragMilli.push(fragMilliNow);
      samples.fragRatioPct.push(last.ratio);
    }
    const bin = arrivedBin(arrivedMilli, capacityGpus);
    if (bin <= bins) {
      const b = sum[bin];
      b.n++;
      b.alloc += last.alloc;
      b.frag += last.frag;
      b.ratio += last.ratio;
      b.last = last;
    }
  }
  // Its tables, trees and lazy arrays go to the next replay on this thread (fresh memory costs more than reuse).
  if (created instanceof ShapeCachedScheduler) created.release();
  // A bin no sample fell in (one pod jumped over it) holds the state of the last sample before it.
  const curve: CurveRow[] = [];
  let carry = firstSample;
  for (let i = 0; i <= bins; i++) {
    const b = sum[i];
    const row = b.n > 0 ? { alloc: b.alloc / b.n, frag: b.frag / b.n, ratio: b.ratio / b.n } : carry;
    if (b.n > 0) carry = b.last;
    curve.push({ arrivedPct: i, allocatedPct: round4(row.alloc), fragmentedGpuPct: round4(row.frag), fragRatioPct: round4(row.ratio) });
  }
  if (samples) {
    // The artifact leaves a row without samples within ±1 % empty; a curve row needs a value, so it keeps the last.
    let prev = curve[0];
    artifactCurve(samples, capacityGpus, bins).forEach((a, i) => {
      const row = a.allocatedPct === null ? { ...prev, arrivedPct: i } : { arrivedPct: i, allocatedPct: a.allocatedPct, fragmentedGpuPct: a.fragmentedGpuPct as number, fragRatioPct: round4(a.fragRatioPct as number) };
      curve[i] = row;
      prev = row;
    });
  }
  return {
    policy: o.policy,
    seed: o.seed,
    capacityGpus,
    curve,
    stats: { arrivedPods: arrivals.length, arrivedMilli, boundPods: bound, failedPods: arrivals.length - bound, finalAllocatedPct: last.alloc },
    target,
  };
}

/**
 * The whole arrived-% a sample counts for, as the artifact's analysis bins it: arrived milli / GPUs / 10 rounded
 * with Python's round (half to even), so the 100 % row holds the samples in [99.5, 100.5], not [100, 101)
 * (experiments/analysis/merge_alloc_discrete.py: `arrive_ratio = round(arrived_gpu_milli / total_gpu_num / 10, 0)`).
 */
export function arrivedBin(arrivedMilli: number, capacityGpus: number): number {
  const x = arrivedMilli / capacityGpus / 10;
  const f = Math.floor(x);
  const d = x - f;
  // x − floor(x) is exact for doubles of this size, so a tie is exactly 0.5.
  if (d === 0.5) return f % 2 === 0 ? f : f + 1;
  return d < 0.5 ? f : f + 1;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
