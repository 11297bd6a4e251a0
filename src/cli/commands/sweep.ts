/**
 * `slicebench sweep`: a grid of independent runs, one row per replica and a summary per group (mean ± sd).
 *   slicebench sweep <scenario.json> [--profiles a,b] [--seeds 1..10] [--set knob=v1,v2]... [--json]
 * With `--engine gpu` (or `auto` on a real GPU) the replicas run in lockstep (engine/lockstep/lockstep.ts and, for
 * --openb, engine/lockstep/lockstep.ts): one dispatch scores the pending decisions of all replicas sharing a kernel.
 *   slicebench sweep --openb --nodes <csv> --pods <csv> [--policies fgd,...] [--seeds 42..51] [--inflation 1.3] [--json]
 */
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
import { InputError, numberFlag, readText, type CliIO } from '../io.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { Command } from '../main.ts';
import { loadScenarioFile } from '../scenarioFile.ts';

const f1 = (x: number): string => (x < 0 ? '—' : x.toFixed(1));

function seedsOf(value: string | undefined, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  const seeds = parseSeeds(value);
  if (!seeds || seeds.length === 0) throw new InputError(`--seeds: expected a range like 42..51 or a list like 1,2,3, got "${value}"`);
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
  usage: `sweep <scenario.json> [--profiles a,b] [--seeds 1..10] [--set knob=v1,v2] [--json] ${ENGINE_USAGE} | sweep --openb --nodes <csv> --pods <csv> [--policies ...] [--seeds 42..51] [--json] ${ENGINE_USAGE}`,
  summary: 'Run a grid of replicas (profiles × knob values × seeds); one row per replica and a mean ± sd summary per group.',
  options: {
    profiles: { type: 'string' },
    seeds: { type: 'string' },
    set: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    openb: { type: 'boolean' },
    nodes: { type: 'string' },
    pods: { type: 'string' },
    policies: { type: 'string' },
    inflation: { type: 'string' },
    ...ENGINE_OPTION,
  },
  async run(positionals, values, io) {
    if (values.openb) return sweepOpenb(positionals, values, io);
    if (positionals.length !== 1) throw new InputError('expects exactly one scenario file (or --openb with --nodes and --pods)');
    const scenario = loadScenarioFile(positionals[0]);
    const profiles = values.profiles ? String(values.profiles).split(',').map((s) => s.trim()) : scenario.schedulers.map((s) => s.profile);
    for (const p of profiles) if (!getProfile(p)) throw new InputError(`--profiles: unknown profile "${p}" (known: ${listProfiles().map((d) => d.name).join(', ')})`);
    const seeds = seedsOf(values.seeds as string | undefined, [scenario.sim.seed]);
    const knobs: Record<string, unknown[]> = {};
    for (const s of (values.set as unknown as string[] | undefined) ?? []) {
      const m = /^([A-Za-z][\w-]*)=(.+)$/.exec(s);
      if (!m) throw new InputError(`--set: expected knob=v1,v2, got "${s}"`);
      knobs[m[1]] = m[2].split(',').map(parseKnobValue);
      if (!profiles.some((p) => getProfile(p)!.knobs.some((k) => k.key === m[1]))) throw new InputError(`--set: no selected profile has a knob "${m[1]}"`);
    }
    const replicas = expandGrid({ profiles, seeds, knobs });
    if (replicas.length > 2000) throw new InputError(`the grid has ${replicas.length} replicas; at most 2,000`);
    for (const r of replicas) {
      // Knob values are checked by the same validation a scenario file gets.
      const def = getProfile(r.profile)!;
      for (const [k, v] of Object.entries(r.options)) {
        const knob = def.knobs.find((x) => x.key === k)!;
        if ((knob.kind === 'int' || knob.kind === 'number') && typeof v !== 'number') throw new InputError(`--set ${k}: must be a number, got "${String(v)}"`);
      }
    }
    const sel = await selectCliEngine(values.engine, io);
    const rows: ReplicaRow[] = [];
    const statuses: EngineStatus[] = [];
    let engine: EngineReport;
    try {
      if (sel.engine instanceof GpuEngine) {
        engine = await sweepScenarioLockstep(sel, sel.engine, scenario, replicas, rows);
      } else {
        for (const r of replicas) rows.push(await runReplicaOn(sel, scenario, r, statuses));
        engine = engineReport(distinctStatuses(statuses, sel));
      }
    } finally {
      sel.engine.destroy();
    }
    io.err(engineLine(engine));
    const cols = ['allocationPct', 'utilizationPct', 'gpusInUseAvg', 'fragmentedGpusAvg', 'meanWaitS', 'sloAttainmentPct', 'costPerUsefulGpuHourUsd'] as const;
    const summary = summarize(rows, cols);
    if (values.json) {
      io.out(JSON.stringify({ engine, replicas: rows, summary }));
      return 0;
    }
    io.out(table(['group', 'seed', 'alloc %', 'util %', 'GPUs in use', 'frag GPUs', 'wait s', 'SLO %', '$/useful GPU-h', 'traceHash'], rows.map((r) => [r.group, String(r.seed), f1(r.allocationPct), f1(r.utilizationPct), f1(r.gpusInUseAvg), f1(r.fragmentedGpusAvg), f1(r.meanWaitS), f1(r.sloAttainmentPct), r.costPerUsefulGpuHourUsd < 0 ? '—' : r.costPerUsefulGpuHourUsd.toFixed(2), r.traceHash])));
    io.out('');
    io.out(table(['group', 'n', 'alloc % (mean ± sd)', 'GPUs in use', 'util %', 'SLO %', 'wait s'], summary.map((g) => [g.group, String(g.n), `${f1(g.stats.allocationPct.mean)} ± ${f1(g.stats.allocationPct.sd)}`, `${f1(g.stats.gpusInUseAvg.mean)} ± ${f1(g.stats.gpusInUseAvg.sd)}`, `${f1(g.stats.utilizationPct.mean)} ± ${f1(g.stats.utilizationPct.sd)}`, `${f1(g.stats.sloAttainmentPct.mean)} ± ${f1(g.stats.sloAttainmentPct.sd)}`, `${f1(g.stats.meanWaitS.mean)} ± ${f1(g.stats.meanWaitS.sd)}`])));
    return 0;
  },
};

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

async function sweepOpenb(positionals: string[], values: Record<string, unknown>, io: CliIO): Promise<number> {
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
  const read = <T>(path: string, fn: (t: string) => T): T => {
    try {
      return fn(readText(path));
    } catch (e) {
      if (e instanceof OpenbParseError) throw new InputError(`${path}: ${e.message}`);
      throw e;
    }
  };
  const nodes = read(nodesPath, parseOpenbNodes);
  const pods = read(podsPath, parseOpenbPods);
  const rows: OpenbRow[] = [];
  const statuses: EngineStatus[] = [];
  let lockstep: EngineReport | null = null;
  const sel = await selectCliEngine(values.engine, io);
  const row = (policy: string, seed: number, r: Awaited<ReturnType<typeof replayOpenbOn>>['result']): OpenbRow => {
    const at = r.curve.find((c) => c.arrivedPct === 100) ?? r.curve[r.curve.length - 1];
    return { group: policy, policy, seed, allocatedPctAt100: at?.allocatedPct ?? 0, fragRatioPctAt100: at?.fragRatioPct ?? 0, finalAllocatedPct: r.stats.finalAllocatedPct };
  };
  try {
    if (sel.engine instanceof GpuEngine) {
      // Replicas in lockstep: every replica with a kernel places its next pod, all scored in one dispatch.
      const runs = policies.flatMap((policy) => seeds.map((seed) => ({ nodes, pods, policy, seed, inflation })));
      const { results, stats } = await replayOpenbLockstep(sel.engine, runs);
      runs.forEach((o, i) => rows.push(row(o.policy, o.seed, results[i])));
      const cpuPolicies = policies.filter((p) => kernelSpecFor(p, undefined, openbScenario(nodes, pods, p, 0)) === null);
      lockstep = {
        name: stats.batched > 0 ? 'gpu' : 'cpu',
        reason: `${engineReason(sel.status)}; lockstep: ${stats.batched} of ${stats.replicas} replicas scored together (${stats.dispatches} dispatches)${cpuPolicies.length ? `; no GPU kernel yet for ${cpuPolicies.join(', ')}: CPU` : ''}`,
      };
    } else {
      for (const policy of policies) {
        for (const seed of seeds) {
          const { result: r, engine } = await replayOpenbOn(sel, { nodes, pods, policy, seed, inflation });
          statuses.push(engine);
          rows.push(row(policy, seed, r));
        }
      }
    }
  } finally {
    sel.engine.destroy();
  }
  const engine = lockstep ?? engineReport(distinctStatuses(statuses, sel));
  io.err(engineLine(engine));
  const summary = summarize(rows, ['allocatedPctAt100', 'fragRatioPctAt100', 'finalAllocatedPct']);
  if (values.json) {
    io.out(JSON.stringify({ engine, replicas: rows, summary }));
    return 0;
  }
  io.out(table(['policy', 'seed', 'alloc % @100% arrived', 'frag rate %', 'final alloc %'], rows.map((r) => [r.policy, String(r.seed), f1(r.allocatedPctAt100), f1(r.fragRatioPctAt100), f1(r.finalAllocatedPct)])));
  io.out('');
  io.out(table(['policy', 'n', 'alloc % @100% (mean ± sd)', 'frag rate %', 'final alloc %'], summary.map((g) => [g.group, String(g.n), `${f1(g.stats.allocatedPctAt100.mean)} ± ${f1(g.stats.allocatedPctAt100.sd)}`, `${f1(g.stats.fragRatioPctAt100.mean)} ± ${f1(g.stats.fragRatioPctAt100.sd)}`, `${f1(g.stats.finalAllocatedPct.mean)} ± ${f1(g.stats.finalAllocatedPct.sd)}`])));
  return 0;
}
