/**
 * The worker protocol: the only data that crosses the comlink boundary between the simulation worker and the
 * main thread. Everything here is structured-clone friendly (plain objects, arrays, typed arrays).
 * The main thread sends scenario JSON and playback commands; the worker answers with a static layout once per
 * load and compact frames afterwards.
 */
import type { Explanation } from '../sched/framework.ts';
import type { DecisionRecord } from '../sim/simulation.ts';
import type { MetricSample, Summary } from '../sim/metrics.ts';
import type { Scenario } from '../scenario/types.ts';
import type { PodPhase, WorkloadKind } from '../model/pod.ts';
import type { ProfileInfo } from '../scenario/profileCatalog.ts';
import type { LongRunProgress, LongRunResult } from './longRun.ts';
import type { EngineChoice, EngineStatus } from './engineInfo.ts';
import type { PlanRow } from '../plan/rows.ts';
import type { PaperRow } from '../plan/paperGrid.ts';
import type { PlanSpec } from '../scenario/types.ts';

export type { EngineStatus } from './engineInfo.ts';

// The UI takes the simulator's result types from here, never from src/sim/ or src/model/ (docs/architecture.md,
// "Import rules"): type-only re-exports, so the main thread loads none of that code.
export type { MetricSample, PodPhase, ProfileInfo, Summary, WorkloadKind };

/** Workload kinds in the order their codes are sent (`kind` arrays hold the index). */
export const KIND_CODES: readonly WorkloadKind[] = ['training', 'inference', 'agent', 'batch', 'trace', 'raycluster'];

/** One node of the (static) cluster layout. */
export interface LayoutNode {
  name: string;
  pool: string;
  rack: string;
  gpuModel: string;
  gpus: number;
  cpuMilli: number;
  memMiB: number;
  topology: string;
  /** First flat GPU index of this node. */
  gpuOffset: number;
}

/** What does not change during a run: nodes, GPUs, runs. Sent once per load. */
export interface ClusterLayout {
  scenarioName: string;
  durationS: number;
  metricsStepS: number;
  seed: number;
  nodes: LayoutNode[];
  totalGpus: number;
  /** Per flat GPU: memory MiB and NUMA node. */
  gpuMemMiB: Uint32Array;
  gpuNuma: Uint8Array;
  /** One entry per compared scheduler. */
  runs: { label: string; profile: string }[];
}

/** Something worth animating that happened between two frames. */
export interface FrameEvent {
  type: 'bind' | 'evict' | 'oom' | 'finish' | 'delete';
  uid: number;
  pod: string;
  kind: WorkloadKind;
  /** Node index (layout order), or −1. */
  node: number;
  gpus: number[];
  /** For evictions/OOM kills: the pod's last reason. */
  reason?: string;
}

/** A pod waiting in the queue. */
export interface PendingPod {
  uid: number;
  pod: string;
  kind: WorkloadKind;
  reason: string;
  attempts: number;
}

/** The state of one run at frame time. Per-GPU arrays are indexed by flat GPU index. */
export interface RunFrame {
  tS: number;
  finished: boolean;
  traceHash: string;
  summary: Summary;
  /** Booked milli-GPU, booked memory MiB, and compute really used (percent, rounded). */
  gpuMilli: Uint16Array;
  gpuMemMiB: Uint32Array;
  gpuUsedPct: Uint8Array;
  /** Used CPU (milli) and memory (MiB) per node. */
  nodeCpuMilli: Uint32Array;
  nodeMemMiB: Uint32Array;
  /** Tenants, flattened: one entry per (pod, GPU) booking, sorted by GPU. */
  sliceGpu: Uint32Array;
  sliceUid: Uint32Array;
  sliceMilli: Uint16Array;
  sliceKind: Uint8Array;
  /**
   * issue 17: per tenant entry, the MIG instance it holds: 0 = none, else 0x8000 | g << 8 | size << 4 | start
   * (memory slices; src/ui/lib/migGrid.ts reads it). Absent when no booking of the run holds an instance.
   */
  sliceMig?: Uint16Array;
  /** Names of pods (uid → name) this frame mentions for the first time. */
  names: Record<number, string>;
  pendingCount: number;
  /** The first pending pods in queue order (at most 60). */
  pending: PendingPod[];
  /** Events since the previous frame (at most 200; `eventsDropped` counts the rest). */
  changes: FrameEvent[];
  eventsDropped: number;
  /** Metric samples from index `seriesFrom` on (the main thread truncates its copy there and appends). */
  seriesFrom: number;
  samples: MetricSample[];
}

/** One frame of all runs, in lockstep (same simulated time). */
export interface Frame {
  tS: number;
  runs: RunFrame[];
  /** True when the frame follows a jump back (replay): the main thread drops its animation state. */
  replayed: boolean;
}

export type LoadResult = { ok: true; layout: ClusterLayout; scenario: Scenario; frame: Frame } | { ok: false; errors: string[] };

export type ValidateResult = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/** The answer to "why here?" for one pod in one run. */
export interface WhyHere {
  run: number;
  pod: string;
  kind: WorkloadKind;
  phase: PodPhase;
  node: string | null;
  gpus: number[];
  request: { cpuMilli: number; memMiB: number; gpuCount: number; gpuMilli: number; gpuMemMiB: number; gpuCores: number };
  attempts: number;
  lastReason: string;
  /** When the explanation was computed: `decision` = replayed to the cycle that placed the pod; `now` = current state. */
  at: 'decision' | 'now';
  atS: number;
  explanation: Explanation | null;
  /** The scheduler's recorded decisions for this pod (binds and first failures). */
  decisions: DecisionRecord[];
}

/** One change in a GPU's tenants. */
export interface GpuHistoryEntry {
  tS: number;
  action: 'in' | 'out';
  pod: string;
  kind: WorkloadKind;
  milli: number;
  memMiB: number;
  /** Booked milli-GPU and memory right after the change. */
  usedMilli: number;
  usedMemMiB: number;
}

/** A GPU's history up to the current time, from a replay. */
export interface GpuHistory {
  run: number;
  node: string;
  gpu: number;
  model: string;
  memMiB: number;
  entries: GpuHistoryEntry[];
  /** True when more changes happened than `entries` holds (the first ones are kept). */
  truncated: boolean;
}

/** The outcome of an engine change (`setEngine`). */
export interface EngineSwitch {
  /** The engine status in effect (the previous one when the change was cancelled); the UI words it. */
  status: EngineStatus;
  /** The choice in effect. */
  choice: EngineChoice;
  cancelled: boolean;
  /** The runs replayed on the new engine up to the same time (same traceHash), or null (nothing loaded, or cancelled). */
  frame: Frame | null;
}

/** The API the worker exposes through comlink. */
export interface WorkbenchApi {
  /** Registered scheduler profiles with their knobs. */
  profiles(): ProfileInfo[];
  /** Which engine the simulation uses, and why (a value; src/ui/lib/engineLine.ts words it). */
  engine(): Promise<EngineStatus>;
  /**
   * Re-selects the engine for a choice (auto / cpu / gpu forced) and replays the loaded runs on it up to the current
   * time, in slices with progress like `runTo` (`cancel()` keeps the previous engine and runs).
   */
  setEngine(choice: EngineChoice, onProgress?: (p: LongRunProgress) => void): Promise<EngineSwitch>;
  /** Validates scenario JSON (never throws). */
  validate(json: unknown): ValidateResult;
  /** Validates and loads a scenario; one run per scheduler. On failure the current runs stay loaded. */
  load(json: unknown): LoadResult | Promise<LoadResult>;
  /** Advances every run to simulated time tS (clamped to the duration). */
  advanceTo(tS: number): Frame | Promise<Frame>;
  /** Runs the next event (the earliest over all runs); the other runs advance their clocks to that time. */
  stepEvent(): Frame | Promise<Frame>;
  /** Jumps to tS: forwards by running, backwards by replaying from the start (deterministic). */
  seek(tS: number): Frame | Promise<Frame>;
  /** "Why here?" for a pod of a run. */
  explain(run: number, podName: string): WhyHere | null | Promise<WhyHere | null>;
  /** The tenant history of one GPU of a run, up to the current time. */
  gpuHistory(run: number, node: number, gpu: number): GpuHistory | null | Promise<GpuHistory | null>;
  /** seek/advanceTo for long runs: in slices, reporting progress (longRun.ts); `cancel()` stops it. */
  runTo(tS: number, onProgress?: (p: LongRunProgress) => void): Promise<LongRunResult>;
  /** Cancels the long run in progress (not queued behind it). */
  cancel(): void;
}

// ---- The planner's worker (src/worker/planWorker.ts; issue 14) ----

export type { PaperRow, PlanRow };

/** A batch of a plan's replicas for one worker of the pool. */
export interface PlanBatchRequest {
  /** Scenario JSON (validated in the worker); its `plan` is the grid unless `plan` is given. */
  scenario: unknown;
  plan?: PlanSpec;
  /** Grid indices (PlanReplica.index) to run, in this order. */
  indices: number[];
  /** Keep a downsampled series of at most this many points per row (0 or absent: none). */
  seriesPoints?: number;
}

/** What a batch returns: its rows in the order run, whether it was cancelled, and bad-input messages (naming the field). */
export interface PlanBatchResult {
  rows: PlanRow[];
  cancelled: boolean;
  errors: string[];
  /** Candidate (pod, node) evaluations of the rows' runs (sim/candidateCount.ts; absent when refused before running). */
  candidateEvaluations?: number;
}

/** A batch of the paper grid (src/plan/paperGrid.ts: traces × policies × seeds, in that order) for one worker. */
export interface PaperBatchRequest {
  /** Each trace: a name, the openb node list's CSV text and one pod list's CSV text. */
  traces: { name: string; nodesCsv: string; podsCsv: string }[];
  /** FGD policies (PAPER_POLICIES) and seeds: the grid's axes. */
  policies: string[];
  seeds: number[];
  /** Workload inflation (default 1.3, the paper's). */
  inflation?: number;
  /** Random numbers (default 'slicebench'); 'go' replays the FGD artifact's published runs (sim/paperReplay.ts). */
  rng?: 'slicebench' | 'go';
  /** Grid indices (PaperReplay.index) to run, in this order. */
  indices: number[];
}

/** What a paper batch returns. */
export interface PaperBatchResult {
  rows: PaperRow[];
  cancelled: boolean;
  errors: string[];
  /** Candidate (pod, node) evaluations of the rows' replays (sim/paperReplay.ts; absent when refused before running). */
  candidateEvaluations?: number;
}

/**
 * One exact replay of a published FGD run for the app's trace import (planRun.ts runOpenbReplay): the openb node
 * list and one pod list (CSV texts), an FGD policy and a seed, replayed as `slicebench openb --rng go` does.
 */
export interface OpenbReplayRequest {
  /** The pod list's file name (error messages name it: `<podsName>: line N: …`). */
  podsName: string;
  nodesName: string;
  nodesCsv: string;
  podsCsv: string;
  /** One of the six FGD policies (plan/paperGrid.ts PAPER_POLICIES). */
  policy: string;
  seed: number;
  /** Random numbers (default 'go': the artifact's, so the curve is the published run). */
  rng?: 'slicebench' | 'go';
}

/** One row of an exact replay's curve (sched/frag/replay.ts CurveRow): values at this whole arrived % of capacity. */
export interface OpenbReplayRow {
  arrivedPct: number;
  allocatedPct: number;
  fragmentedGpuPct: number;
  fragRatioPct: number;
}

/** What an exact replay returns: its curve and totals, or messages naming the file, line or field. */
export interface OpenbReplayResult {
  errors: string[];
  replay?: {
    policy: string;
    seed: number;
    rng: 'slicebench' | 'go';
    nodes: number;
    capacityGpus: number;
    /** Pods that arrived (the shuffled trace and its copies) and those that fitted nowhere. */
    arrivals: number;
    failedPods: number;
    curve: OpenbReplayRow[];
  };
}

/** What a planner worker's engine check found: a WebGPU engine for lockstep, or the CPU with the status saying why. */
export interface PlanEngineInfo {
  /** True when the plan can run in lockstep on a WebGPU device in this worker. */
  gpu: boolean;
  /** Which engine and why (the UI words it: src/ui/lib/engineLine.ts). */
  status: EngineStatus;
}

/** The planner worker's comlink API. */
export interface PlanWorkerApi {
  /** Selects the engine for the user's choice (Auto / CPU / GPU) in this worker; a GPU stays held for runLockstep. */
  openEngine(choice: EngineChoice): Promise<PlanEngineInfo>;
  /**
   * Runs the replicas at `req.indices` in lockstep on the engine openEngine found (one dispatch per step for every
   * live replica); `onRow` hears each row with its grid index as it finishes, `onCandidates` the candidate
   * evaluations counted since the last call. Rows equal runReplicas' row for row (digests).
   */
  runLockstep(req: PlanBatchRequest, onRow: (index: number, row: PlanRow) => void, onCandidates?: (n: number) => void): Promise<PlanBatchResult>;
  /**
   * Runs the paper-grid replays at `req.indices` in lockstep on the engine openEngine found; `onRow` hears each row
   * with its grid index as it finishes, `onCandidates` its candidate evaluations. Rows equal runPaperReplays'.
   */
  runPaperLockstep(req: PaperBatchRequest, onRow: (index: number, row: PaperRow) => void, onCandidates?: (n: number) => void): Promise<PaperBatchResult>;
  /** Runs the replicas at `req.indices`; `onRow` (a comlink proxy) hears each row as it finishes. */
  runReplicas(req: PlanBatchRequest, onRow?: (row: PlanRow) => void): Promise<PlanBatchResult>;
  /** Runs paper-grid replays (openb, the six FGD policies × seeds); `onRow` hears each as it finishes. */
  runPaperReplays(req: PaperBatchRequest, onRow?: (row: PaperRow) => void): Promise<PaperBatchResult>;
  /** Runs one exact openb replay (the trace import's "Replay as the artifact"); bad input answers errors, never throws. */
  runOpenbReplay(req: OpenbReplayRequest): Promise<OpenbReplayResult>;
  /** Stops the batch in progress after the replica running now; its finished rows are returned. */
  cancel(): void;
}
