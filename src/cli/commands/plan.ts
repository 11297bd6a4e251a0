/**
 * `slicebench plan`: how large must the cluster be to meet the targets under each scheduler, and what does it cost?
 *   slicebench plan <scenario.json> [--profiles a,b] [--scale 0.5..2:0.25 | --pool-counts pool=1,2,4 …]
 *     [--demand 1,1.5] [--knob profile.key=v1,v2 …] [--seeds 1..20] [--target 'slo>=99' …] [--confidence 95]
 *     [--max-replicas N] [--series N] [--csv rows.csv] [--json] [--workers N] [--shard i/N --out rows.jsonl] [--engine …]
 *     [--emit-job --shards N [--image I] [--pvc P] [--job-name J]]
 *   slicebench plan --paper-grid --nodes <node csv> <pod csv>… [--policies fgd,…] [--seeds 42..51] [--inflation 1.3] [--rng slicebench|go] [--json] [--workers N] [--shard i/N --out …]
 * The flags override the scenario's own `plan` field (src/scenario/types.ts PlanSpec), which gives the defaults;
 * without either the grid is the scenario's schedulers at its own size and seed. The grid, the answer and the rows
 * are src/plan/'s; replicas run on `--workers` threads (threadPool.ts; default: the cores), or in lockstep on a GPU
 * (engine/lockstep/planLockstep.ts; `--engine gpu`, or `auto` on a real GPU). Shards like sweep (shards.ts), and
 * `--emit-job` writes the Kubernetes Jobs that run a scenario plan's shards (shardJob.ts, as sweep's).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { GpuEngine } from '../../engine/gpu/gpuEngine.ts';
import { replayOpenbLockstep } from '../../engine/lockstep/lockstep.ts';
import { planOnGpu } from '../../engine/lockstep/planLockstep.ts';
import { OpenbParseError, parseOpenbNodes, parseOpenbPods } from '../../io/openb.ts';
import { planAnswer, planCells, type PlanAnswer } from '../../plan/answer.ts';
import { expandPlan, gridReplicas, PlanError, type PlanAxes, type PlanGrid } from '../../plan/grid.ts';
import { band } from '../../plan/answer.ts';
import { expandPaperGrid, PAPER_POLICIES, paperRowOf, type PaperRow } from '../../plan/paperGrid.ts';
import { planCsv, type PlanRow } from '../../plan/rows.ts';
import { profileInfo, PROFILE_CATALOG } from '../../scenario/profileCatalog.ts';
import type { PlanProfileSpec, PlanSpec, PlanTargets, Scenario } from '../../scenario/types.ts';
import { parseScenario } from '../../scenario/validate.ts';
import { ENGINE_OPTION, ENGINE_USAGE, engineLine, engineReport, selectCliEngine, type EngineReport } from '../engine.ts';
import { checkSeed, InputError, intFlag, numberFlag, quoteInput, readText, type CliIO } from '../io.ts';
import type { Command } from '../main.ts';
import { loadScenarioFile } from '../scenarioFile.ts';
import { gridIdentity, runShardable, SHARD_OPTIONS, type ShardableGrid, type ShardRow } from '../shards.ts';
import { runOnThreads } from '../threadPool.ts';
import { PAPER_RNGS } from '../../sim/paperReplay.ts';
import { shardJobYaml } from '../shardJob.ts';

export const planCommand: Command = {
  name: 'plan',
  usage: `plan <scenario.json> [--profiles a,b] [--scale 0.5..2:0.25 | --pool-counts pool=1,2,4] [--demand 1,1.5] [--knob profile.key=v1,v2] [--seeds 1..20] [--target 'slo>=99'] [--confidence 95] [--max-replicas N] [--series N] [--csv rows.csv] [--json] [--workers N] [--shard i/N --out rows.jsonl | --emit-job --shards N [--image I] [--pvc P] [--job-name J]] ${ENGINE_USAGE} | plan --paper-grid --nodes <csv> <pod csv>… [--policies fgd,…] [--seeds 42..51] [--inflation 1.3] [--rng slicebench|go] [--json] [--workers N] [--shard i/N --out rows.jsonl] ${ENGINE_USAGE}`,
  summary: "Find, per scheduler, the smallest cluster meeting every target (inference SLO, p95 wait, training slowdown, nothing pending, cost) in ≥ 95 % of seeds, its GPUs and $/h; or replay openb traces under the FGD paper's six policies × seeds.",
  options: {
    profiles: { type: 'string' },
    scale: { type: 'string' },
    'pool-counts': { type: 'string', multiple: true },
    demand: { type: 'string' },
    knob: { type: 'string', multiple: true },
    seeds: { type: 'string' },
    target: { type: 'string', multiple: true },
    confidence: { type: 'string' },
    'max-replicas': { type: 'string' },
    series: { type: 'string' },
    csv: { type: 'string' },
    json: { type: 'boolean' },
    'paper-grid': { type: 'boolean' },
    rng: { type: 'string' },
    nodes: { type: 'string' },
    policies: { type: 'string' },
    inflation: { type: 'string' },
    ...SHARD_OPTIONS,
    'emit-job': { type: 'boolean' },
    shards: { type: 'string' },
    'job-name': { type: 'string' },
    image: { type: 'string' },
    pvc: { type: 'string' },
    ...ENGINE_OPTION,
  },
  async run(positionals, values, io) {
    const workers = intFlag(values.workers as string | undefined, '--workers', availableParallelism()) as number;
    if (workers < 1 || workers > 256) throw new InputError(`--workers: must be between 1 and 256, got ${workers}`);
    // --workers means threads here (threadPool.ts), not runShardable's child processes: it is withheld from it.
    const shardValues = { ...values, workers: undefined };
    if (values['paper-grid']) {
      // The pod lists (17 × ~0.6 MB) do not fit the ConfigMap a Job carries its input in (1 MiB).
      if (values['emit-job']) throw new InputError('--emit-job is for scenario plans, not --paper-grid: shard it with --shard i/N --out and the trace files on a shared volume');
      return runShardable(paperGrid(positionals, values, workers, io), shardValues, io);
    }
    if (values.rng !== undefined) throw new InputError("--rng goes with --paper-grid (a scenario plan draws Slicebench's random numbers)");
    const g = planGrid(positionals, values);
    if (values['emit-job']) return emitPlanJob(g, values, io);
    if (values.shards !== undefined) throw new InputError('--shards goes with --emit-job (to run one shard: --shard i/N --out rows.jsonl)');
    const grid = planShardable(g, values, workers, io);
    if (values.csv !== undefined) {
      if (values.shard !== undefined) throw new InputError('--csv writes the whole grid\'s rows; a shard writes --out (merge the shards, then export)');
      const print = grid.print;
      grid.print = (rows, engines, json, io2, meta) => {
        writeCsv(String(values.csv), rows.map((r) => r.row as PlanRow));
        print(rows, engines, json, io2, meta);
      };
    }
    return runShardable(grid, shardValues, io);
  },
};

/** A plan ready to run: the scenario (its plan the effective one), the expanded grid, the flags it came from. */
interface LoadedPlan {
  path: string;
  scenario: Scenario;
  grid: PlanGrid;
  seriesPoints: number;
}

/** Flag names of the plan's fields, for messages that name the field and the flag that sets it. */
const FLAG_OF: [string, string][] = [
  ['plan.profiles', '--profiles / --knob'],
  ['plan.scale', '--scale / --pool-counts'],
  ['plan.demandScale', '--demand'],
  ['plan.seeds', '--seeds'],
  ['plan.targets', '--target'],
  ['plan.confidencePct', '--confidence'],
  ['plan.maxReplicas', '--max-replicas'],
];
const withFlag = (msg: string): string => {
  const hit = FLAG_OF.find(([field]) => msg.startsWith(field));
  return hit ? `${msg} (${hit[1]})` : msg;
};

/** Reads the scenario and the flags into a plan and expands it; bad input is an InputError naming the field and flag. */
function planGrid(positionals: string[], values: Record<string, unknown>): LoadedPlan {
  if (positionals.length !== 1) throw new InputError('expects exactly one scenario file (or --paper-grid with --nodes and pod lists)');
  const path = positionals[0];
  const scenario = loadScenarioFile(path);
  const plan = planFromFlags(scenario, values);
  const checked = parseScenario({ ...scenario, plan });
  if (!checked.ok) throw new InputError(`${path}: invalid plan:\n  ${checked.errors.slice(0, 25).map(withFlag).join('\n  ')}`);
  const seriesPoints = intFlag(values.series as string | undefined, '--series', 0) as number;
  if (seriesPoints < 0 || seriesPoints > 10_000) throw new InputError(`--series: must be between 0 and 10000 points, got ${seriesPoints}`);
  try {
    return { path, scenario: checked.scenario, grid: expandPlan(checked.scenario), seriesPoints };
  } catch (e) {
    if (e instanceof PlanError) throw new InputError(withFlag(e.message).replace('raise maxReplicas to run it', 'raise it with --max-replicas to run it'));
    throw e;
  }
}

/** The effective plan: the scenario's `plan` (or its schedulers at its own size) with the flags applied over it. */
export function planFromFlags(scenario: Scenario, values: Record<string, unknown>): PlanSpec {
  const base = scenario.plan;
  let profiles: PlanProfileSpec[] = base?.profiles ?? scenario.schedulers.map((s) => ({ profile: s.profile, ...(s.options ? { options: s.options } : {}) }));
  if (values.profiles !== undefined) {
    const names = String(values.profiles).split(',').map((s) => s.trim()).filter(Boolean);
    for (const p of names) if (!profileInfo(p)) throw new InputError(`--profiles: unknown profile ${quoteInput(p)} (known: ${PROFILE_CATALOG.map((d) => d.name).join(', ')})`);
    profiles = names.map((p) => profiles.find((x) => x.profile === p) ?? { profile: p });
  }
  for (const k of (values.knob as string[] | undefined) ?? []) profiles = applyKnob(profiles, k);
  const plan: PlanSpec = { ...(base ?? {}), profiles, targets: base?.targets ?? {} };
  if (values.scale !== undefined && values['pool-counts'] !== undefined) throw new InputError('--scale and --pool-counts: give one of them');
  if (values.scale !== undefined) plan.scale = { factors: rangeFlag(String(values.scale), '--scale') };
  if (values['pool-counts'] !== undefined) plan.scale = { poolCounts: poolCountsFlag(values['pool-counts'] as string[]) };
  if (values.demand !== undefined) plan.demandScale = listOrRange(String(values.demand), '--demand');
  if (values.seeds !== undefined) plan.seeds = seedsFlag(String(values.seeds));
  if (values.target !== undefined) plan.targets = targetsFlag(values.target as string[]);
  if (values.confidence !== undefined) plan.confidencePct = numberFlag(String(values.confidence), '--confidence');
  if (values['max-replicas'] !== undefined) plan.maxReplicas = intFlag(String(values['max-replicas']), '--max-replicas');
  if (!Object.keys(plan.targets).length) throw new InputError("--target: give at least one target, e.g. --target 'slo>=99' --target 'wait<=60' (or a plan with targets in the scenario)");
  return plan;
}

/** `--knob profile.key=v1,v2` (or `key=v1,v2` for every listed profile that has the knob): the profile's one swept knob. */
function applyKnob(profiles: PlanProfileSpec[], text: string): PlanProfileSpec[] {
  const m = /^(?:([\w-]+)\.)?([A-Za-z][\w-]*)=(.+)$/.exec(text.trim());
  if (!m) throw new InputError(`--knob: expected profile.key=v1,v2 (e.g. hami-binpack.splitCount=4,8), got ${quoteInput(text)}`);
  const [, profile, key, list] = m;
  const values = list.split(',').map((v) => v.trim()).map((v) => (v === 'true' || v === 'false' ? v === 'true' : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v));
  const targets = profiles.filter((p) => (profile ? p.profile === profile : profileInfo(p.profile)?.knobs.some((k) => k.key === key)));
  if (targets.length === 0) throw new InputError(`--knob: ${profile ? `profile ${quoteInput(profile)} is not in the plan (--profiles)` : `no profile of the plan has a knob ${quoteInput(key)}`}`);
  return profiles.map((p) => (targets.includes(p) ? { ...p, knob: { key, values } } : p));
}

/** `a..b:step` → a range; `x,y,z` → a list; one number → a one-value list. */
function rangeFlag(text: string, flag: string): number[] | { from: number; to: number; step: number } {
  const m = /^\s*([\d.]+)\s*\.\.\s*([\d.]+)\s*(?::\s*([\d.]+))?\s*$/.exec(text);
  if (m) {
    const [from, to, step] = [Number(m[1]), Number(m[2]), m[3] === undefined ? NaN : Number(m[3])];
    if (!Number.isFinite(step)) throw new InputError(`${flag}: a range needs a step, e.g. 0.5..2:0.25, got ${quoteInput(text)}`);
    if ([from, to, step].some((x) => !Number.isFinite(x))) throw new InputError(`${flag}: expected numbers in from..to:step, got ${quoteInput(text)}`);
    return { from, to, step };
  }
  return numberList(text, flag);
}

function listOrRange(text: string, flag: string): number[] {
  const r = rangeFlag(text, flag);
  if (Array.isArray(r)) return r;
  const n = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
  if (!(n >= 1)) throw new InputError(`${flag}: empty axis: ${quoteInput(text)} holds no value`);
  if (n > 10_000) throw new InputError(`${flag}: at most 10,000 values, got ${n}`);
  return Array.from({ length: n }, (_, i) => Math.round((r.from + i * r.step) * 1e9) / 1e9);
}

function numberList(text: string, flag: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^-?\d+(\.\d+)?$/.test(p))) throw new InputError(`${flag}: expected a range like 0.5..2:0.25 or a list like 0.5,1,2, got ${quoteInput(text)}`);
  return parts.map(Number);
}

/** `--pool-counts h100=1,2,3` (repeatable): explicit node counts per pool. */
function poolCountsFlag(list: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const text of list) {
    const m = /^([^=]+)=(.+)$/.exec(text.trim());
    if (!m) throw new InputError(`--pool-counts: expected pool=n1,n2 (e.g. h100=1,2,4), got ${quoteInput(text)}`);
    const counts = listOrRange(m[2], `--pool-counts ${m[1]}`);
    if (counts.some((c) => !Number.isInteger(c) || c < 0)) throw new InputError(`--pool-counts ${m[1]}: node counts are whole numbers ≥ 0, got ${quoteInput(m[2])}`);
    out[m[1].trim()] = counts;
  }
  return out;
}

/** `1..20` → a range; `1,2,3` → a list. */
function seedsFlag(text: string): number[] | { from: number; to: number } {
  const m = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text);
  if (m) {
    const [from, to] = [Number(m[1]), Number(m[2])];
    checkSeed(from, '--seeds');
    checkSeed(to, '--seeds');
    return { from, to };
  }
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw new InputError(`--seeds: expected a range like 1..20 or a list like 1,2,3, got ${quoteInput(text)}`);
  const seeds = parts.map(Number);
  for (const s of seeds) checkSeed(s, '--seeds');
  return seeds;
}

/** The target words: name, PlanTargets key, the one operator it takes, and what it means. */
const TARGET_WORDS: { names: string[]; op: '>=' | '<=' | '='; key: keyof PlanTargets; says: string }[] = [
  { names: ['slo'], op: '>=', key: 'sloAttainmentPct', says: 'inference SLO attainment ≥ x %' },
  { names: ['wait', 'p95wait'], op: '<=', key: 'p95WaitS', says: 'p95 pod wait ≤ x seconds' },
  { names: ['slowdown'], op: '<=', key: 'trainingSlowdown', says: 'mean training slowdown ≤ x' },
  { names: ['pending'], op: '=', key: 'nothingPending', says: 'pending=0: nothing pending at the end' },
  { names: ['cost'], op: '<=', key: 'maxCostPerHourUsd', says: 'cluster price ≤ x $/h' },
];

/** `--target 'slo>=99'` (repeatable, or comma-separated): the plan's targets. */
export function targetsFlag(list: readonly string[]): PlanTargets {
  const out: PlanTargets = {};
  const known = TARGET_WORDS.map((t) => `${t.names[0]}${t.op}x (${t.says})`).join(', ');
  for (const text of list.flatMap((t) => t.split(','))) {
    const m = /^\s*([a-z0-9]+)\s*(>=|<=|=)\s*(-?[\d.]+)\s*$/i.exec(text);
    const word = m ? TARGET_WORDS.find((t) => t.names.includes(m[1].toLowerCase())) : undefined;
    if (!m || !word) throw new InputError(`--target: expected one of ${known}; got ${quoteInput(text)}`);
    if (m[2] !== word.op) throw new InputError(`--target: ${m[1]} takes ${word.op} (${word.says}), got ${quoteInput(text)}`);
    const x = Number(m[3]);
    if (!Number.isFinite(x)) throw new InputError(`--target: ${quoteInput(m[3])} is not a number`);
    if (word.key === 'nothingPending') {
      if (x !== 0) throw new InputError(`--target: pending takes =0 (nothing pending at the end), got ${quoteInput(text)}`);
      out.nothingPending = true;
    } else out[word.key] = x as never;
  }
  return out;
}

/** The plan as a grid runShardable runs: whole, one shard, its rows on threads or in lockstep on a GPU. */
function planShardable(g: LoadedPlan, values: Record<string, unknown>, workers: number, io: CliIO): ShardableGrid {
  const { replicas: _r, ...axes } = g.grid;
  return {
    command: 'plan',
    identity: gridIdentity('plan', { scenario: g.scenario, series: g.seriesPoints }),
    replicas: g.grid.replicas.length,
    argv: ['plan', g.path, ...flagArgs(values, PLAN_FLAGS)],
    meta: axes,
    run: (ks) => runPlanReplicas(g, ks, values.engine, workers, io),
    print: printMergedPlan,
    describe: (engine) => engineLine(engine as EngineReport),
  };
}

/** The plan flags a shard in another process rebuilds the same grid from. */
const PLAN_FLAGS = ['profiles', 'scale', 'pool-counts', 'demand', 'knob', 'seeds', 'target', 'confidence', 'max-replicas', 'series', 'engine'] as const;

/** `--emit-job --shards N`: the Kubernetes Indexed Job that runs this plan as N shards, and its merge Job (shardJob.ts). */
function emitPlanJob(g: LoadedPlan, values: Record<string, unknown>, io: CliIO): number {
  if (values.csv !== undefined) throw new InputError('--csv writes the rows of a run here; with --emit-job the merge Job prints them (--json for every row)');
  io.out(
    shardJobYaml(values, g.grid.replicas.length, {
      name: 'slicebench-plan',
      scenarioJson: readText(g.path), // verbatim, so the shards hash the very scenario a local run hashes
      command: 'plan',
      args: flagArgs(values, PLAN_FLAGS),
    }),
  );
  return 0;
}

/** The given flags among `names`, as arguments that rebuild the grid in another process. */
function flagArgs(values: Record<string, unknown>, names: readonly string[]): string[] {
  return names.flatMap((n) => {
    const v = values[n];
    if (v === undefined) return [];
    return (Array.isArray(v) ? v : [v]).flatMap((x) => [`--${n}`, String(x)]);
  });
}

/** Runs the replicas at grid indices `ks`: in lockstep on a GPU engine, else on `workers` threads. */
async function runPlanReplicas(g: LoadedPlan, ks: readonly number[], engineFlag: unknown, workers: number, io: CliIO): Promise<{ rows: { row: PlanRow; engine: null }[]; engine: EngineReport }> {
  const sel = await selectCliEngine(engineFlag, io);
  try {
    if (sel.engine instanceof GpuEngine && ks.length > 0) {
      const { rows, statuses, stats } = await planOnGpu(sel, sel.engine, g.scenario, g.grid, ks.map((k) => g.grid.replicas[k]), { seriesPoints: g.seriesPoints });
      return { rows: rows.map((row) => ({ row, engine: null })), engine: engineReport(statuses, `; lockstep: ${stats.batched} of ${ks.length} replicas scored together, ${stats.dispatches} dispatches for ${stats.decisions} decisions`) };
    }
    const rows = await runOnThreads<PlanRow>({ kind: 'plan', request: { scenario: g.scenario, indices: [...ks], seriesPoints: g.seriesPoints } }, workers);
    const threads = Math.max(1, Math.min(workers, ks.length));
    return { rows: rows.map((row) => ({ row, engine: null })), engine: engineReport([sel.status], `; ${threads} worker thread${threads === 1 ? '' : 's'}`) };
  } finally {
    sel.engine.destroy();
  }
}

/** The engine report of merged shards: the shards' reports, distinct, joined. */
function mergedReport(shardReports: readonly unknown[]): EngineReport {
  const reports = shardReports as EngineReport[];
  const reasons = [...new Set(reports.map((e) => e.reason))];
  return { name: reports.some((e) => e.name === 'gpu') ? 'gpu' : 'cpu', reason: reasons.join(' | ') };
}

/** The answer entry as `--json` prints it: the issue's six fields first, then the details. */
function answerJson(a: PlanAnswer): Record<string, unknown> {
  return {
    profile: a.profile,
    scale: a.scale,
    nodes: a.nodes,
    gpus: a.gpus,
    costPerHour: a.costPerHour,
    meets: a.meets,
    demandScale: a.demandScale,
    scaleLabel: a.scaleLabel,
    knob: a.knob,
    seedsMeeting: a.seedsMeeting,
    seedsRun: a.seedsRun,
    savingPct: a.savingPct,
    saving: a.savingText,
    bindingTarget: a.bindingTarget,
  };
}

const TARGET_TEXT: Record<string, (v: unknown) => string> = {
  sloAttainmentPct: (v) => `SLO ≥ ${String(v)} %`,
  p95WaitS: (v) => `p95 wait ≤ ${String(v)} s`,
  trainingSlowdown: (v) => `training slowdown ≤ ${String(v)}`,
  nothingPending: () => 'nothing pending at the end',
  maxCostPerHourUsd: (v) => `≤ $${String(v)}/h`,
};

function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const w = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  ')).join('\n');
}

/** Prints a plan's rows (grid order) and answer: `{"answer", "rows"}` with --json, else the answer and the seeds-meeting matrix. Merge prints through it. */
export function printMergedPlan(shardRows: readonly ShardRow[], shardEngines: readonly unknown[], json: boolean, io: CliIO, meta?: unknown): void {
  const axes = meta as PlanAxes;
  const grid: PlanGrid = { ...axes, replicas: gridReplicas(axes) };
  const rows = shardRows.map((r) => r.row as PlanRow);
  io.err(engineLine(mergedReport(shardEngines)));
  const answer = planAnswer(grid, rows);
  if (json) {
    io.out(JSON.stringify({ answer: answer.map(answerJson), rows }));
    return;
  }
  const targets = Object.entries(grid.targets).filter(([, v]) => v !== undefined && v !== false).map(([k, v]) => TARGET_TEXT[k](v)).join(', ');
  io.out(`${grid.replicas.length} replicas: ${grid.profiles.length} profiles × ${grid.scales.length} cluster scales × ${grid.demandScales.length} demand scales × ${grid.seeds.length} seeds. Targets: ${targets}; a cluster counts when ≥ ${grid.confidencePct} % of seeds meet every target.`);
  io.out('');
  const multiDemand = grid.demandScales.length > 1;
  const money = (x: number | null): string => (x === null ? '—' : `$${x.toFixed(2)}`);
  io.out(table(
    ['profile', ...(multiDemand ? ['demand'] : []), 'meets', 'cluster', 'nodes', 'GPUs', '$/h', 'vs k8s-default', 'seeds meeting', 'knob'],
    answer.map((a) => [a.profile, ...(multiDemand ? [`×${a.demandScale}`] : []), a.meets ? 'yes' : 'no', a.scaleLabel ?? (a.bindingTarget ? `none (misses ${a.bindingTarget})` : 'none'), a.nodes === null ? '—' : String(a.nodes), a.gpus === null ? '—' : String(a.gpus), money(a.costPerHour), a.savingText || '—', a.meets ? `${a.seedsMeeting}/${a.seedsRun}` : '—', a.knob || '—']),
  ));
  io.out('');
  io.out('Seeds meeting every target, by cluster scale (and the target missed most):');
  const cells = planCells(grid, rows);
  const lines = new Map<string, string[]>();
  for (const c of cells) {
    const key = [c.profile, c.knob, multiDemand ? `×${c.demandScale}` : ''].filter(Boolean).join(' ');
    const list = lines.get(key) ?? [];
    list[c.scaleIndex] = `${c.seedsMeeting}/${c.seedsRun}${c.bindingTarget && c.seedsMeeting < c.seedsRun ? ` ${c.bindingTarget}` : ''}`;
    lines.set(key, list);
  }
  io.out(table(['profile', ...grid.scales.map((s) => s.label)], [...lines].map(([k, list]) => [k, ...grid.scales.map((_, i) => list[i] ?? '')])));
  io.out('');
  io.out('Every replica: --json or --csv rows.csv.');
}

/** Writes the rows as CSV (src/plan/rows.ts planCsv: formula-safe cells). */
function writeCsv(path: string, rows: readonly PlanRow[]): void {
  try {
    writeFileSync(path, planCsv(rows));
  } catch (e) {
    throw new InputError(`--csv ${path}: cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

// ---- The paper grid (issue 14 item 2): openb traces × the six FGD policies × seeds ----

/** `--paper-grid --nodes <csv> <pod csv>…`: the grid, each trace named after its pod file (openb_pod_list_<name>.csv → <name>). */
function paperGrid(positionals: string[], values: Record<string, unknown>, workers: number, io: CliIO): ShardableGrid {
  const nodesPath = values.nodes as string | undefined;
  if (!nodesPath) throw new InputError('--paper-grid needs --nodes <openb node list csv>');
  if (positionals.length === 0) throw new InputError('--paper-grid needs one or more openb pod list files (e.g. openb_pod_list_default.csv)');
  const policies = values.policies ? String(values.policies).split(',').map((s) => s.trim()) : [...PAPER_POLICIES];
  const seeds = values.seeds === undefined ? Array.from({ length: 10 }, (_, i) => 42 + i) : seedList(String(values.seeds));
  const inflation = numberFlag(values.inflation as string | undefined, '--inflation', 1.3) as number;
  if (inflation < 1 || inflation > 5) throw new InputError(`--inflation: must be between 1 and 5, got ${inflation}`);
  const rng = (values.rng as string | undefined) ?? 'slicebench';
  if (!(PAPER_RNGS as readonly string[]).includes(rng)) throw new InputError(`--rng: must be ${PAPER_RNGS.join(' or ')}, got ${quoteInput(rng)}`);
  const rngGo = rng === 'go' ? ('go' as const) : undefined;
  const nodesCsv = readText(nodesPath);
  const names = positionals.map((p) => p.replace(/^.*[\\/]/, '').replace(/^openb_pod_list_/, '').replace(/\.csv$/, ''));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new InputError(`${quoteInput(dup)}: the same trace is given twice`);
  const traces = positionals.map((p, i) => ({ name: names[i], nodesCsv, podsCsv: readText(p) }));
  let replays;
  try {
    replays = expandPaperGrid(names, policies, seeds);
  } catch (e) {
    throw new InputError(`--${(e as Error).message.replace(/^traces:/, 'paper-grid:')}`);
  }
  const sha = (t: string): string => createHash('sha256').update(t).digest('hex');
  const goNote = rngGo ? "; Go's random numbers (the artifact's published runs)" : '';
  return {
    command: 'plan-paper',
    // rng only when 'go', so a Slicebench grid keeps the identity its shards were written under.
    identity: gridIdentity('plan-paper', { nodes: sha(nodesCsv), traces: traces.map((t) => [t.name, sha(t.podsCsv)]), policies, seeds, inflation, ...(rngGo ? { rng: rngGo } : {}) }),
    replicas: replays.length,
    argv: ['plan', '--paper-grid', ...positionals, ...flagArgs(values, ['nodes', 'policies', 'seeds', 'inflation', 'rng', 'engine'])],
    run: async (ks) => {
      const sel = await selectCliEngine(values.engine, io);
      try {
        if (sel.engine instanceof GpuEngine && ks.length > 0) {
          // Lockstep on the GPU: every replay with a kernel places its next pod, all scored in one dispatch.
          const parsed = traces.map((t) => parseTrace(nodesPath, t));
          const runs = ks.map((k) => replays[k]).map((r) => ({ nodes: parsed[r.traceIndex].nodes, pods: parsed[r.traceIndex].pods, policy: r.policy, seed: r.seed, inflation, rng: rngGo }));
          const { results, stats } = await replayOpenbLockstep(sel.engine, runs);
          return { rows: ks.map((k, i) => ({ row: paperRowOf(replays[k], results[i]), engine: null })), engine: engineReport([sel.status], `; lockstep: ${stats.batched} of ${stats.replicas} replays scored together (${stats.dispatches} dispatches)${goNote}`) };
        }
        const rows = await runOnThreads<PaperRow>({ kind: 'paper', request: { traces, policies, seeds, inflation, rng: rngGo, indices: [...ks] } }, workers);
        const threads = Math.max(1, Math.min(workers, ks.length));
        return { rows: rows.map((row) => ({ row, engine: null })), engine: engineReport([sel.status], `; ${threads} worker thread${threads === 1 ? '' : 's'}${goNote}`) };
      } finally {
        sel.engine.destroy();
      }
    },
    print: printMergedPaperGrid,
    describe: (engine) => engineLine(engine as EngineReport),
  };
}

function parseTrace(nodesPath: string, t: { name: string; nodesCsv: string; podsCsv: string }): { nodes: ReturnType<typeof parseOpenbNodes>; pods: ReturnType<typeof parseOpenbPods> } {
  let at = nodesPath;
  try {
    const nodes = parseOpenbNodes(t.nodesCsv);
    at = t.name;
    return { nodes, pods: parseOpenbPods(t.podsCsv) };
  } catch (e) {
    if (e instanceof OpenbParseError) throw new InputError(`${at}: ${e.message}`);
    throw e;
  }
}

function seedList(text: string): number[] {
  const s = seedsFlag(text);
  if (Array.isArray(s)) return s;
  if (s.to < s.from) throw new InputError(`--seeds: empty axis: ${quoteInput(text)}`);
  if (s.to - s.from >= 10_000) throw new InputError('--seeds: at most 10,000 seeds');
  return Array.from({ length: s.to - s.from + 1 }, (_, i) => s.from + i);
}

/** Prints the paper grid: per (trace, policy) allocation at 100 % arrived (mean and 95 % interval over seeds); --json: `{"summary", "rows"}`. */
export function printMergedPaperGrid(shardRows: readonly ShardRow[], shardEngines: readonly unknown[], json: boolean, io: CliIO): void {
  io.err(engineLine(mergedReport(shardEngines)));
  const rows = shardRows.map((r) => r.row as PaperRow);
  const groups = new Map<string, PaperRow[]>();
  for (const r of rows) groups.set(`${r.trace}\u0000${r.policy}`, [...(groups.get(`${r.trace}\u0000${r.policy}`) ?? []), r]);
  const summary = [...groups.values()].map((list) => ({ trace: list[0].trace, policy: list[0].policy, n: list.length, allocatedPctAt100: band(list.map((r) => r.allocatedPctAt100)), fragRatioPctAt100: band(list.map((r) => r.fragRatioPctAt100)), finalAllocatedPct: band(list.map((r) => r.finalAllocatedPct)) }));
  if (json) {
    io.out(JSON.stringify({ summary, rows }));
    return;
  }
  const f = (b: { mean: number; lo: number; hi: number }): string => `${b.mean.toFixed(1)} [${b.lo.toFixed(1)}, ${b.hi.toFixed(1)}]`;
  io.out(table(['trace', 'policy', 'seeds', 'alloc % @100% arrived (mean [95 % CI])', 'frag rate %', 'final alloc %'], summary.map((s) => [s.trace, s.policy, String(s.n), f(s.allocatedPctAt100), f(s.fragRatioPctAt100), f(s.finalAllocatedPct)])));
}
