/**
 * The plan's replicas in a worker: a batch of grid indices run one after another on the CPU, each row reported as
 * it finishes, the event loop given a turn between replicas so a cancel is heard. A browser pool (one planWorker
 * per core, the UI's) hands each worker its share of the indices; a row depends only on (scenario, plan, index),
 * so the pool's rows equal one worker's whatever the split or order (test/worker/planRun.test.ts).
 */
import { OpenbParseError, parseOpenbNodes, parseOpenbPods } from '../io/openb.ts';
import { expandPlan, PlanError, type PlanGrid } from '../plan/grid.ts';
import type { Scenario } from '../scenario/types.ts';
import type { GpuEngine } from '../engine/gpu/gpuEngine.ts';
import { paperLockstep, planOnGpu } from '../engine/lockstep/planLockstep.ts';
import type { ReplicaEngine } from '../engine/lockstep/lockstep.ts';
import type { EngineSelection } from '../engine/wiring/select.ts';
import { expandPaperGrid, type PaperReplay, type PaperRow } from '../plan/paperGrid.ts';
import type { PlanRow } from '../plan/rows.ts';
import { parseScenario } from '../scenario/validate.ts';
import { PAPER_RNGS, replayPaperTrace, runPaperReplay, type PaperRng, type PaperTrace } from '../sim/paperReplay.ts';
import { runPlanReplica } from '../sim/planReplica.ts';
import type { OpenbReplayRequest, OpenbReplayResult, PaperBatchRequest, PaperBatchResult, PlanBatchRequest, PlanBatchResult } from './protocol.ts';
import { countCandidates } from '../sim/candidateCount.ts';
import type { Scheduler } from '../sched/framework.ts';

/** The worker's side of a batch: a turn for the event loop, cancellation, and where each row goes. */
export interface PlanBatchHooks<R = PlanRow> {
  yieldToEvents(): Promise<void>;
  cancelled(): boolean;
  onRow?(row: R): void;
}

/** A batch's scenario (validated here, as every worker validates what it loads) and grid, or messages naming the field. */
function loadPlanBatch(req: PlanBatchRequest): { scenario: Scenario; grid: PlanGrid } | { errors: string[] } {
  const parsed = parseScenario(req.scenario);
  if (!parsed.ok) return { errors: parsed.errors };
  let grid: PlanGrid;
  try {
    grid = expandPlan(parsed.scenario, req.plan ?? parsed.scenario.plan);
  } catch (e) {
    if (e instanceof PlanError) return { errors: [e.message] };
    throw e;
  }
  const bad = req.indices.find((k) => !Number.isInteger(k) || k < 0 || k >= grid.replicas.length);
  if (bad !== undefined) return { errors: [`indices: ${String(bad)} is not a replica of this ${grid.replicas.length}-replica grid`] };
  return { scenario: parsed.scenario, grid };
}

/**
 * Runs the replicas `req.indices` of the scenario's plan (validated here, as every worker validates what it loads).
 * Bad input is a result with messages naming the field, never a throw; a cancel keeps the rows finished so far.
 */
export async function runPlanBatch(req: PlanBatchRequest, hooks: PlanBatchHooks): Promise<PlanBatchResult> {
  const loaded = loadPlanBatch(req);
  if ('errors' in loaded) return { rows: [], cancelled: false, errors: loaded.errors };
  const { scenario, grid } = loaded;
  const rows: PlanRow[] = [];
  // Candidate (pod, node) evaluations of the finished replicas, for the UI's throughput line (sim/candidateCount.ts).
  let candidateEvaluations = 0;
  const wrapScheduler = (s: Scheduler): Scheduler => countCandidates(s, (n) => void (candidateEvaluations += n));
  for (const k of req.indices) {
    if (hooks.cancelled()) return { rows, cancelled: true, errors: [], candidateEvaluations };
    const row = runPlanReplica(scenario, grid, grid.replicas[k], { seriesPoints: req.seriesPoints, wrapScheduler });
    rows.push(row);
    hooks.onRow?.(row);
    await hooks.yieldToEvents();
  }
  return { rows, cancelled: hooks.cancelled() && rows.length < req.indices.length, errors: [], candidateEvaluations };
}

/** An openb CSV parsed, its OpenbParseError prefixed with the file's name (`<name>: line N: …`). */
function parseNamed<T>(name: string, csv: string, parse: (text: string) => T): T {
  try {
    return parse(csv);
  } catch (e) {
    if (e instanceof OpenbParseError) throw new Error(`${name}: ${e.message}`);
    throw e;
  }
}

/** A paper batch's traces (the CSVs parsed: `<trace>: line N: …`), grid and random numbers, or messages naming the field. */
function loadPaperBatch(req: PaperBatchRequest): { traces: PaperTrace[]; replays: PaperReplay[]; rng: PaperRng } | { errors: string[] } {
  let traces: PaperTrace[];
  let replays: PaperReplay[];
  try {
    replays = expandPaperGrid(req.traces.map((t) => t.name), req.policies, req.seeds);
    traces = req.traces.map((t) => ({ name: t.name, nodes: parseNamed(t.name, t.nodesCsv, parseOpenbNodes), pods: parseNamed(t.name, t.podsCsv, parseOpenbPods) }));
  } catch (e) {
    return { errors: [(e as Error).message] };
  }
  const bad = req.indices.find((k) => !Number.isInteger(k) || k < 0 || k >= replays.length);
  if (bad !== undefined) return { errors: [`indices: ${String(bad)} is not a replay of this ${replays.length}-replay grid`] };
  const rng = req.rng ?? 'slicebench';
  if (!PAPER_RNGS.includes(rng)) return { errors: [`rng: must be ${PAPER_RNGS.join(' or ')}, got ${JSON.stringify(String(rng)).slice(0, 80)}`] };
  return { traces, replays, rng };
}

/**
 * Runs the paper-grid replays `req.indices` (src/plan/paperGrid.ts: traces × policies × seeds) from the openb CSV
 * texts (parsed here; a malformed file answers `<trace>: line N: …`), with `req.rng`'s random numbers. Cancel
 * keeps the finished rows.
 */
export async function runPaperBatch(req: PaperBatchRequest, hooks: PlanBatchHooks<PaperRow>): Promise<PaperBatchResult> {
  const loaded = loadPaperBatch(req);
  if ('errors' in loaded) return { rows: [], cancelled: false, errors: loaded.errors };
  const { traces, replays, rng } = loaded;
  const rows: PaperRow[] = [];
  let candidateEvaluations = 0;
  for (const k of req.indices) {
    if (hooks.cancelled()) return { rows, cancelled: true, errors: [], candidateEvaluations };
    const row = runPaperReplay(traces, replays[k], req.inflation, (n) => void (candidateEvaluations += n), rng);
    rows.push(row);
    hooks.onRow?.(row);
    await hooks.yieldToEvents();
  }
  return { rows, cancelled: hooks.cancelled() && rows.length < req.indices.length, errors: [], candidateEvaluations };
}

/**
 * One exact replay for the app's trace import: the CSVs parsed here (a malformed file answers `<file>: line N: …`),
 * the policy and seed checked as the paper grid checks them (expandPaperGrid), then sim/paperReplay.ts
 * replayPaperTrace with Go's random numbers unless `req.rng` says otherwise: the curve `slicebench openb --rng go`
 * prints. Bad input is a result with messages, never a throw.
 */
export function runOpenbReplay(req: OpenbReplayRequest): OpenbReplayResult {
  const rng = req.rng ?? 'go';
  let trace: PaperTrace;
  try {
    if (!PAPER_RNGS.includes(rng)) throw new Error(`rng: must be ${PAPER_RNGS.join(' or ')}, got ${JSON.stringify(String(rng)).slice(0, 80)}`);
    if (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 4294967295) throw new Error(`seed: must be a whole number from 0 to 4294967295, got ${String(req.seed).slice(0, 40)}`);
    expandPaperGrid([req.podsName], [req.policy], [req.seed]);
    trace = { name: req.podsName, nodes: parseNamed(req.nodesName, req.nodesCsv, parseOpenbNodes), pods: parseNamed(req.podsName, req.podsCsv, parseOpenbPods) };
    if (trace.nodes.length === 0) throw new Error(`${req.nodesName}: no nodes`);
  } catch (e) {
    return { errors: [(e as Error).message] };
  }
  const r = replayPaperTrace(trace, req.policy, req.seed, undefined, undefined, rng);
  return {
    errors: [],
    replay: { policy: r.policy, seed: r.seed, rng, nodes: trace.nodes.length, capacityGpus: r.capacityGpus, arrivals: r.stats.arrivedPods, failedPods: r.stats.failedPods, curve: r.curve.map((c) => ({ ...c })) },
  };
}

/**
 * Runs the replicas `req.indices` in lockstep on the GPU engine `gpu` (src/engine/lockstep/planLockstep.ts: one
 * dispatch per step scores every live replica's pending decisions; profiles without a kernel run alongside on the
 * CPU). Each row goes to `onRow` with its grid index as it finishes; the rows equal runPlanBatch's. Candidate
 * evaluations are counted as on the CPU (sim/candidateCount.ts) and reported through `onCandidates` per replica.
 */
export async function runPlanLockstep(req: PlanBatchRequest, sel: EngineSelection, gpu: GpuEngine, onRow: (index: number, row: PlanRow) => void, onCandidates?: (n: number) => void): Promise<PlanBatchResult> {
  const loaded = loadPlanBatch(req);
  if ('errors' in loaded) return { rows: [], cancelled: false, errors: loaded.errors };
  const { scenario, grid } = loaded;
  const rows: PlanRow[] = [];
  let candidateEvaluations = 0;
  let unreported = 0;
  try {
    await planOnGpu(sel, gpu, scenario, grid, req.indices.map((k) => grid.replicas[k]), {
      seriesPoints: req.seriesPoints,
      wrapLane: (x) =>
        countCandidates(x, (n) => {
          candidateEvaluations += n;
          unreported += n;
        }),
      onRow: (r, row) => {
        rows.push(row);
        if (unreported) onCandidates?.(unreported);
        unreported = 0;
        onRow(r.index, row);
      },
    });
  } catch (e) {
    return { rows, cancelled: false, errors: [e instanceof Error ? e.message : String(e)], candidateEvaluations };
  }
  return { rows, cancelled: false, errors: [], candidateEvaluations };
}

/**
 * Runs the paper-grid replays `req.indices` in lockstep on `engine` (the GPU engine in the planner worker; the CPU
 * twin in tests): engine/lockstep/planLockstep.ts paperLockstep, one dispatch per step places the next pod of every
 * replay with a kernel. Each row goes to `onRow` with its grid index as it finishes, its candidate evaluations to
 * `onCandidates` first; the rows equal runPaperBatch's, for either random numbers. Bad input answers as runPaperBatch.
 */
export async function runPaperLockstep(req: PaperBatchRequest, engine: ReplicaEngine, onRow: (index: number, row: PaperRow) => void, onCandidates?: (n: number) => void): Promise<PaperBatchResult> {
  const loaded = loadPaperBatch(req);
  if ('errors' in loaded) return { rows: [], cancelled: false, errors: loaded.errors };
  const { traces, replays, rng } = loaded;
  const rows: PaperRow[] = [];
  let candidateEvaluations = 0;
  const out = await paperLockstep(engine, traces, req.indices.map((k) => replays[k]), {
    inflation: req.inflation,
    rng,
    onRow: (row, candidates) => {
      rows.push(row);
      candidateEvaluations += candidates;
      onCandidates?.(candidates);
      onRow(row.index, row);
    },
  });
  const errors = out.failures.length ? [`${out.failures.length} of ${req.indices.length} paper replays failed (the others finished): ${out.failures.map((f) => `replay ${f.name}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ')}`] : [];
  return { rows, cancelled: false, errors, candidateEvaluations };
}
