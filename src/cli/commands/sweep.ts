/**
 * `slicebench sweep`: a grid of independent runs, one row per replica and a summary per group (mean ± sd).
 *   slicebench sweep <scenario.json> [--profiles a,b] [--seeds 1..10] [--set knob=v1,v2]... [--json]
 * With `--engine gpu` (or `auto` on a real GPU) the replicas run in lockstep (engine/lockstep/lockstep.ts and, for
 * --openb, engine/lockstep/lockstep.ts): one dispatch scores the pending decisions of all replicas sharing a kernel.
 * Both kinds shard (src/cli/shards.ts runShardable, docs/scale-out.md): `--shard i/N --out rows.jsonl` runs replicas
 * k ≡ i (mod N) and writes their rows; `slicebench merge` prints them as this command would (the whole run prints
 * through the same printer); `--workers N` does both on N child processes; `--emit-job --shards N` (scenario
 * sweeps) writes the Kubernetes Indexed Job that runs the shards on a cluster (shardJob.ts).
 *   slicebench sweep --openb --nodes <csv> --pods <csv> [--policies fgd,...] [--seeds 42..51] [--inflation 1.3] [--json]
 */
import { createHash } from 'node:crypto';
import { OpenbParseError, parseOpenbNodes, parseOpenbPods } from '../../io/openb.ts';
import { ENGINE_OPTION, ENGINE_USAGE, engineLine, engineReason, engineReport, selectCliEngine, type EngineReport } from '../engine.ts';
import { distinctStatuses, engineStatusOf, engineWrap, replayOpenbOn } from '../../engine/wiring/wire.ts';
import type { EngineStatus } from '../../engine/wiring/status.ts';
import type { EngineSelection } from '../../engine/wiring/select.ts';
import { GpuEngine } from '../../engine/gpu/gpuEngine.ts';
import { kernelSpecFor } from '../../engine/kernels/specs.ts';
import { replayOpenbLockstep } from '../../engine/lockstep/lockstep.ts';
import { sweepOnGpu } from '../../engine/lockstep/lockstep.ts';
import { openbScenario } from '../../sched/frag/replay.ts';
import type { Scheduler } from '../../sched/framework.ts';
import { simulateAsync } from '../../sim/simulation.ts';
import { FGD_PROFILES } from '../../sched/profiles/fgd.ts';
import { getProfile, listProfiles } from '../../sched/profiles/index.ts';
import { expandGrid, parseSeeds, replicaRow, replicaScenario, summarize, type Replica, type ReplicaRow } from '../../sim/sweep.ts';
import { checkSeed, InputError, intFlag, numberFlag, quoteInput, readText, type CliIO } from '../io.ts';
import { checkProfileOptions, profileInfo } from '../../scenario/profileCatalog.ts';
import { gridIdentity, runShardable, SHARD_OPTIONS, type ShardableGrid, type ShardRow } from '../shards.ts';
import { shardJobYaml } from '../shardJob.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { Command } from '../main.ts';
import { loadScenarioFile } from '../scenarioFile.ts';

const f1 = (x: number): string => (x < 0 ? '—' : x.toFixed(1));

function seedsOf(value: string | undefined, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  const seeds = parseSeeds(value);
  if (!seeds || seeds.length === 0) throw new InputError(`--seeds: expected a range like 42..51 or a list like 1,2,3, got ${quoteInput(value)}`);
  for (const seed of seeds) checkSeed(seed, '--seeds');
  return seeds;
}

function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const w = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  ')).join('\n');
}

function parseKnobValue(v: string): unknown {
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v;
}

export const sweepCommand: Command = {
  name: 'sweep',
  usage: `sweep <scenario.json> [--profiles a,b] [--seeds 1..10] [--set knob=v1,v2] [--json] [--shard i/N --out rows.jsonl | --workers N | --emit-job --shards N [--image I] [--pvc P] [--job-name J]] ${ENGINE_USAGE} | sweep --openb --nodes <csv> --pods <csv> [--policies ...] [--seeds 42..51] [--json] [--shard i/N --out rows.jsonl | --workers N] ${ENGINE_USAGE}`,
  summary: 'Run a grid of replicas (profiles × knob values × seeds); one row per replica and a mean ± sd summary per group.',
  options: {
    profiles: { type: 'string' },
    seeds: { type: 'string' },
    set: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    ...SHARD_OPTIONS,
    'emit-job': { type: 'boolean' },
    shards: { type: 'string' },
    'job-name': { type: 'string' },
    image: { type: 'string' },
    pvc: { type: 'string' },
    openb: { type: 'boolean' },
    nodes: { type: 'string' },
    pods: { type: 'string' },
    policies: { type: 'string' },
    inflation: { type: 'string' },
    ...ENGINE_OPTION,
  },
  async run(positionals, values, io) {
    if (values.openb) {
      if (values['emit-job']) throw new InputError('--emit-job is for scenario sweeps, not --openb (yet): shard it with --shard i/N --out and the trace files on a shared volume');
      return runShardable(openbGrid(positionals, values, io), values, io);
    }
    const grid = scenarioGrid(positionals, values);
    if (values['emit-job']) return emitSweepJob(grid, values, io);
    if (values.shards !== undefined) throw new InputError('--shards goes with --emit-job (to run one shard: --shard i/N --out rows.jsonl)');
    return runShardable(scenarioShardable(grid, values, io), values, io);
  },
};

/** What a scenario sweep runs: the scenario and its axes (profiles, seeds, knob values), expanded into replicas. */
interface ScenarioGrid {
  /** The scenario file, as given (a --workers child reads it again). */
  path: string;
  scenario: Scenario;
  profiles: string[];
  seeds: number[];
  knobs: Record<string, unknown[]>;
  replicas: Replica[];
}

/** Reads the scenario and the axes flags and expands the grid; bad input is an InputError naming the flag. */
function scenarioGrid(positionals: string[], values: Record<string, unknown>): ScenarioGrid {
  if (positionals.length !== 1) throw new InputError('expects exactly one scenario file (or --openb with --nodes and --pods)');
  const scenario = loadScenarioFile(positionals[0]);
  const profiles = values.profiles ? String(values.profiles).split(',').map((s) => s.trim()) : scenario.schedulers.map((s) => s.profile);
  for (const p of profiles) if (!getProfile(p)) throw new InputError(`--profiles: unknown profile ${quoteInput(p)} (known: ${listProfiles().map((d) => d.name).join(', ')})`);
  const seeds = seedsOf(values.seeds as string | undefined, [scenario.sim.seed]);
  const knobs: Record<string, unknown[]> = {};
  for (const s of (values.set as unknown as string[] | undefined) ?? []) {
    const m = /^([A-Za-z][\w-]*)=(.+)$/.exec(s);
    if (!m) throw new InputError(`--set: expected knob=v1,v2, got ${quoteInput(s)}`);
    knobs[m[1]] = m[2].split(',').map(parseKnobValue);
    if (!profiles.some((p) => getProfile(p)!.knobs.some((k) => k.key === m[1]))) throw new InputError(`--set: no selected profile has a knob ${quoteInput(m[1])}`);
  }
  const replicas = expandGrid({ profiles, seeds, knobs });
  if (replicas.length > 2000) throw new InputError(`the grid has ${replicas.length} replicas; at most 2,000`);
  for (const r of replicas) {
    // Knob values are checked by the same validation a scenario file gets (names the knob: "--set splitCount: …").
    for (const [k, v] of Object.entries(r.options)) {
      const [error] = checkProfileOptions(profileInfo(r.profile)!, { [k]: v }, '--set');
      if (error) throw new InputError(`${error.replace('--set.', '--set ')} (profile ${r.profile}), got ${quoteInput(String(v))}`);
    }
  }
  return { path: positionals[0], scenario, profiles, seeds, knobs, replicas };
}

/** A sweep's identity for its rows files: the scenario and the axes, never the engine, the shard or --workers. */
function sweepIdentity(g: ScenarioGrid): string {
  return gridIdentity('sweep', { scenario: g.scenario, profiles: g.profiles, seeds: g.seeds, knobs: g.knobs });
}

/** The flags that rebuild a grid's axes on another process or machine (the engine flag too, when given). */
function gridArgs(g: ScenarioGrid, values: Record<string, unknown>): string[] {
  const args = ['--profiles', g.profiles.join(','), '--seeds', values.seeds !== undefined ? String(values.seeds) : g.seeds.join(',')];
  for (const s of (values.set as unknown as string[] | undefined) ?? []) args.push('--set', s);
  if (values.engine !== undefined) args.push('--engine', String(values.engine));
  return args;
}

/** A scenario sweep as a grid runShardable runs (whole, one shard, or on --workers). */
function scenarioShardable(g: ScenarioGrid, values: Record<string, unknown>, io: CliIO): ShardableGrid {
  return {
    command: 'sweep',
    identity: sweepIdentity(g),
    replicas: g.replicas.length,
    argv: ['sweep', g.path, ...gridArgs(g, values)],
    run: (ks) => runSweepReplicas(g.scenario, ks.map((k) => g.replicas[k]), values.engine, io),
    print: printMergedSweep,
    describe: (engine) => engineLine(engine as EngineReport),
  };
}

/** Runs some replicas of a scenario on the selected engine; each row with its run's engine status (null in lockstep). */
async function runSweepReplicas(scenario: Scenario, replicas: readonly Replica[], engineFlag: unknown, io: CliIO): Promise<{ rows: { row: ReplicaRow; engine: EngineStatus | null }[]; engine: EngineReport }> {
  const sel = await selectCliEngine(engineFlag, io);
  try {
    if (sel.engine instanceof GpuEngine && replicas.length > 0) {
      const rows: ReplicaRow[] = [];
      const engine = await sweepScenarioLockstep(sel, sel.engine, scenario, replicas, rows);
      return { rows: rows.map((row) => ({ row, engine: null })), engine };
    }
    const statuses: EngineStatus[] = [];
    const rows: ReplicaRow[] = [];
    for (const r of replicas) rows.push(await runReplicaOn(sel, scenario, r, statuses));
    return { rows: rows.map((row, i) => ({ row, engine: statuses[i] })), engine: engineReport(distinctStatuses(statuses, sel)) };
  } finally {
    sel.engine.destroy();
  }
}

/**
 * The engine report of merged rows: the single run's report when every row knows its run's status (the CPU path:
 * the same distinct statuses in grid order); otherwise (a shard ran in lockstep) the shards' reports, distinct, joined.
 */
function mergedEngineReport(rows: readonly { engine: unknown }[], shardReports: readonly EngineReport[]): EngineReport {
  if (rows.length > 0 && rows.every((r) => r.engine !== null)) {
    const distinct = [...new Map(rows.map((r) => [JSON.stringify(r.engine), r.engine as EngineStatus])).values()];
    return engineReport(distinct);
  }
  const reasons = [...new Set(shardReports.map((e) => e.reason))];
  return { name: shardReports.some((e) => e.name === 'gpu') ? 'gpu' : 'cpu', reason: reasons.join(' | ') };
}

/** Prints a scenario sweep's rows and per-group summary: JSON (`--json`) or the two tables. Merge prints through it too. */
function printSweep(rows: ReplicaRow[], engine: EngineReport, json: boolean, io: CliIO): void {
  const cols = ['allocationPct', 'utilizationPct', 'gpusInUseAvg', 'fragmentedGpusAvg', 'meanWaitS', 'sloAttainmentPct', 'costPerUsefulGpuHourUsd'] as const;
  const summary = summarize(rows, cols);
  if (json) {
    io.out(JSON.stringify({ engine, replicas: rows, summary }));
    return;
  }
  io.out(table(['group', 'seed', 'alloc %', 'util %', 'GPUs in use', 'frag GPUs', 'wait s', 'SLO %', '$/useful GPU-h', 'traceHash'], rows.map((r) => [r.group, String(r.seed), f1(r.allocationPct), f1(r.utilizationPct), f1(r.gpusInUseAvg), f1(r.fragmentedGpusAvg), f1(r.meanWaitS), f1(r.sloAttainmentPct), r.costPerUsefulGpuHourUsd < 0 ? '—' : r.costPerUsefulGpuHourUsd.toFixed(2), r.traceHash])));
  io.out('');
  io.out(table(['group', 'n', 'alloc % (mean ± sd)', 'GPUs in use', 'util %', 'SLO %', 'wait s'], summary.map((g) => [g.group, String(g.n), `${f1(g.stats.allocationPct.mean)} ± ${f1(g.stats.allocationPct.sd)}`, `${f1(g.stats.gpusInUseAvg.mean)} ± ${f1(g.stats.gpusInUseAvg.sd)}`, `${f1(g.stats.utilizationPct.mean)} ± ${f1(g.stats.utilizationPct.sd)}`, `${f1(g.stats.sloAttainmentPct.mean)} ± ${f1(g.stats.sloAttainmentPct.sd)}`, `${f1(g.stats.meanWaitS.mean)} ± ${f1(g.stats.meanWaitS.sd)}`])));
}

/** Prints merged sweep rows exactly as the unsharded sweep prints them (merge.ts's renderer for `sweep`). */
export function printMergedSweep(rows: readonly ShardRow[], shardReports: readonly unknown[], json: boolean, io: CliIO): void {
  const engine = mergedEngineReport(rows, shardReports as EngineReport[]);
  io.err(engineLine(engine));
  printSweep(rows.map((r) => r.row as ReplicaRow), engine, json, io);
}

/** `--emit-job --shards N`: the Kubernetes Indexed Job that runs this sweep as N shards, and its merge Job (shardJob.ts). */
function emitSweepJob(g: ScenarioGrid, values: Record<string, unknown>, io: CliIO): number {
  // The scenario verbatim, so the shards hash the very scenario a local run hashes.
  io.out(shardJobYaml(values, g.replicas.length, { name: 'slicebench-sweep', scenarioJson: readText(g.path), command: 'sweep', args: gridArgs(g, values) }));
  return 0;
}

/** One replica of a scenario sweep on the selected engine (runReplica's row; the GPU engine when it applies). */
async function runReplicaOn(sel: EngineSelection, scenario: Scenario, r: Replica, statuses: EngineStatus[]): Promise<ReplicaRow> {
  const s = replicaScenario(scenario, r);
  let used: Scheduler | null = null;
  const res = await simulateAsync(s, { seed: r.seed, wrapScheduler: (x, setup) => (used = engineWrap(sel)(x, setup)) });
  statuses.push(engineStatusOf(sel, used!));
  return replicaRow(r, res);
}

/** A scenario sweep in lockstep on the GPU engine (engine/lockstep/lockstep.ts sweepOnGpu); rows in grid order. */
async function sweepScenarioLockstep(sel: EngineSelection, gpu: GpuEngine, scenario: Scenario, replicas: readonly Replica[], rows: ReplicaRow[]): Promise<EngineReport> {
  const { rows: got, statuses, stats } = await sweepOnGpu(sel, gpu, scenario, replicas);
  rows.push(...got);
  return engineReport(statuses, `; lockstep: ${stats.batched} of ${replicas.length} replicas scored together, ${stats.dispatches} dispatches for ${stats.decisions} decisions`);
}

interface OpenbRow {
  group: string;
  policy: string;
  seed: number;
  /** Allocation % of capacity at 100% arrived (the paper's headline point). */
  allocatedPctAt100: number;
  fragRatioPctAt100: number;
  finalAllocatedPct: number;
}

/** The grid of an openb sweep: policies × seeds replaying the trace files (identity: their contents, not their paths). */
function openbGrid(positionals: string[], values: Record<string, unknown>, io: CliIO): ShardableGrid {
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}" (--openb takes --nodes and --pods)`);
  const nodesPath = values.nodes as string | undefined;
  const podsPath = values.pods as string | undefined;
  if (!nodesPath || !podsPath) throw new InputError('--openb needs --nodes <node csv> and --pods <pod csv>');
  const all = FGD_PROFILES.map((p) => p.name);
  const policies = values.policies ? String(values.policies).split(',').map((s) => s.trim()) : all;
  for (const p of policies) if (!all.includes(p)) throw new InputError(`--policies: "${p}" is not one of ${all.join(', ')}`);
  const seeds = seedsOf(values.seeds as string | undefined, Array.from({ length: 10 }, (_, i) => 42 + i));
  const inflation = numberFlag(values.inflation as string | undefined, '--inflation', 1.3) as number;
  if (inflation < 1 || inflation > 5) throw new InputError(`--inflation: must be between 1 and 5, got ${inflation}`);
  const texts = { nodes: readText(nodesPath), pods: readText(podsPath) };
  const read = <T>(path: string, text: string, fn: (t: string) => T): T => {
    try {
      return fn(text);
    } catch (e) {
      if (e instanceof OpenbParseError) throw new InputError(`${path}: ${e.message}`);
      throw e;
    }
  };
  const nodes = read(nodesPath, texts.nodes, parseOpenbNodes);
  const pods = read(podsPath, texts.pods, parseOpenbPods);
  const runs = policies.flatMap((policy) => seeds.map((seed) => ({ nodes, pods, policy, seed, inflation })));
  const sha = (t: string): string => createHash('sha256').update(t).digest('hex');
  const argv = ['sweep', '--openb', '--nodes', nodesPath, '--pods', podsPath, '--policies', policies.join(','), '--seeds', values.seeds !== undefined ? String(values.seeds) : seeds.join(','), '--inflation', String(inflation)];
  if (values.engine !== undefined) argv.push('--engine', String(values.engine));
  return {
    command: 'sweep-openb',
    identity: gridIdentity('sweep-openb', { nodes: sha(texts.nodes), pods: sha(texts.pods), policies, seeds, inflation }),
    replicas: runs.length,
    argv,
    run: (ks) => replayOpenbRuns(ks.map((k) => runs[k]), values.engine, io),
    print: printMergedOpenb,
    describe: (engine) => engineLine(engine as EngineReport),
  };
}

type OpenbRun = { nodes: ReturnType<typeof parseOpenbNodes>; pods: ReturnType<typeof parseOpenbPods>; policy: string; seed: number; inflation: number };

/** Replays some openb runs on the selected engine (in lockstep on a GPU); each row with its run's engine status (null in lockstep). */
async function replayOpenbRuns(runs: readonly OpenbRun[], engineFlag: unknown, io: CliIO): Promise<{ rows: { row: OpenbRow; engine: EngineStatus | null }[]; engine: EngineReport }> {
  const sel = await selectCliEngine(engineFlag, io);
  const row = (policy: string, seed: number, r: Awaited<ReturnType<typeof replayOpenbOn>>['result']): OpenbRow => {
    const at = r.curve.find((c) => c.arrivedPct === 100) ?? r.curve[r.curve.length - 1];
    return { group: policy, policy, seed, allocatedPctAt100: at?.allocatedPct ?? 0, fragRatioPctAt100: at?.fragRatioPct ?? 0, finalAllocatedPct: r.stats.finalAllocatedPct };
  };
  try {
    if (sel.engine instanceof GpuEngine && runs.length > 0) {
      // Replicas in lockstep: every replica with a kernel places its next pod, all scored in one dispatch.
      const { results, stats } = await replayOpenbLockstep(sel.engine, [...runs]);
      const policies = [...new Set(runs.map((o) => o.policy))];
      const cpuPolicies = policies.filter((p) => kernelSpecFor(p, undefined, openbScenario(runs[0].nodes, runs[0].pods, p, 0)) === null);
      const engine: EngineReport = {
        name: stats.batched > 0 ? 'gpu' : 'cpu',
        reason: `${engineReason(sel.status)}; lockstep: ${stats.batched} of ${stats.replicas} replicas scored together (${stats.dispatches} dispatches)${cpuPolicies.length ? `; no GPU kernel yet for ${cpuPolicies.join(', ')}: CPU` : ''}`,
      };
      return { rows: runs.map((o, i) => ({ row: row(o.policy, o.seed, results[i]), engine: null })), engine };
    }
    const statuses: EngineStatus[] = [];
    const rows: { row: OpenbRow; engine: EngineStatus }[] = [];
    for (const o of runs) {
      const { result: r, engine } = await replayOpenbOn(sel, o);
      statuses.push(engine);
      rows.push({ row: row(o.policy, o.seed, r), engine });
    }
    return { rows, engine: engineReport(distinctStatuses(statuses, sel)) };
  } finally {
    sel.engine.destroy();
  }
}

/** Prints an openb sweep's rows (grid order) and per-policy summary, as one process or merged shards (merge.ts). */
export function printMergedOpenb(shardRows: readonly ShardRow[], shardEngines: readonly unknown[], json: boolean, io: CliIO): void {
  const engine = mergedEngineReport(shardRows, shardEngines as EngineReport[]);
  io.err(engineLine(engine));
  const rows = shardRows.map((r) => r.row as OpenbRow);
  const summary = summarize(rows, ['allocatedPctAt100', 'fragRatioPctAt100', 'finalAllocatedPct']);
  if (json) {
    io.out(JSON.stringify({ engine, replicas: rows, summary }));
    return;
  }
  io.out(table(['policy', 'seed', 'alloc % @100% arrived', 'frag rate %', 'final alloc %'], rows.map((r) => [r.policy, String(r.seed), f1(r.allocatedPctAt100), f1(r.fragRatioPctAt100), f1(r.finalAllocatedPct)])));
  io.out('');
  io.out(table(['policy', 'n', 'alloc % @100% (mean ± sd)', 'frag rate %', 'final alloc %'], summary.map((g) => [g.group, String(g.n), `${f1(g.stats.allocatedPctAt100.mean)} ± ${f1(g.stats.allocatedPctAt100.sd)}`, `${f1(g.stats.fragRatioPctAt100.mean)} ± ${f1(g.stats.fragRatioPctAt100.sd)}`, `${f1(g.stats.finalAllocatedPct.mean)} ± ${f1(g.stats.finalAllocatedPct.sd)}`])));
}
