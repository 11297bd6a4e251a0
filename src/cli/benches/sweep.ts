/**
 * Sweep benchmark: end-to-end wall time of an openb replay sweep (the FGD paper's six policies × seeds on the
 * default trace, ../shared/data/openb) — sequential on the CPU, and in lockstep on the GPU engine (one dispatch
 * per step for the replicas with a kernel; the others on the CPU). A software adapter is not timed: its speed is
 * not a GPU's (see the engine-fgd rows for its per-candidate rate).
 * Then scenario sweeps (event-driven simulations, engine/lockstep/lockstep.ts; SCENARIO_SWEEPS: the FrameworkEvaluator
 * profiles, and HAMi + Volcano): sequential on the CPU plugin path, in lockstep on the CPU twins, and in lockstep on
 * the GPU engine — timed on SwiftShader too (its pipelines compiled by a warm-up run first), labelled as not a GPU.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOpenbNodes, parseOpenbPods } from '../../io/openb.ts';
import { parseScenario } from '../../scenario/validate.ts';
import { replayOpenb } from '../../sched/frag/replay.ts';
import { FGD_PROFILES } from '../../sched/profiles/fgd.ts';
import { expandGrid, runReplica, type Replica } from '../../sim/sweep.ts';
import type { GpuEngine } from '../../engine/gpu/gpuEngine.ts';
import { replayOpenbLockstep } from '../../engine/lockstep/lockstep.ts';
import { cpuLockstepEngines, cpuTwinWrap, sweepLockstep, sweepOnGpu, type LockstepSimStats } from '../../engine/lockstep/lockstep.ts';
import type { EngineSelection } from '../../engine/wiring/select.ts';

export interface SweepBenchRow {
  [key: string]: string | number | boolean | null;
  /** Which sweep: the openb replay or a scenario grid. */
  sweep: string;
  engine: string;
  adapter: string | null;
  replicas: number;
  /** Replicas scored on the GPU (policies with a kernel). */
  onGpu: number | null;
  wallS: number | null;
  note: string;
}

const DATA = new URL('../../../../shared/data/openb/', import.meta.url);

/** The openb sweep's rows (`seeds` seeds), then the scenario sweeps' (benchScenarioSweep, ≥ 3 seeds); `gpu` adds the lockstep rows. */
export async function benchSweep(gpu: EngineSelection | null, seeds: number): Promise<SweepBenchRow[]> {
  // the scenario grid keeps ≥ 3 seeds, so its lockstep rows batch even with --quick
  return [...(await benchOpenbSweep(gpu, seeds)), ...(await benchScenarioSweep(gpu, Math.max(3, seeds)))];
}

/** Runs the openb sweep of `seeds` seeds × the six policies; `gpu` adds the lockstep row. */
async function benchOpenbSweep(gpu: EngineSelection | null, seeds: number): Promise<SweepBenchRow[]> {
  const nodesFile = new URL('openb_node_list_gpu_node.csv', DATA);
  const podsFile = new URL('openb_pod_list_default.csv', DATA);
  if (!existsSync(nodesFile) || !existsSync(podsFile)) return [{ sweep: 'openb', engine: 'CPU (TypeScript)', adapter: null, replicas: 0, onGpu: null, wallS: null, note: 'skipped: ../shared/data/openb not found' }];
  const nodes = parseOpenbNodes(readFileSync(nodesFile, 'utf8'));
  const pods = parseOpenbPods(readFileSync(podsFile, 'utf8'));
  const runs = FGD_PROFILES.flatMap((p) => Array.from({ length: seeds }, (_, i) => ({ nodes, pods, policy: p.name, seed: 42 + i })));
  const rows: SweepBenchRow[] = [];
  const t0 = performance.now();
  for (const o of runs) replayOpenb(o);
  rows.push({ sweep: 'openb', engine: 'CPU (TypeScript), sequential', adapter: null, replicas: runs.length, onGpu: 0, wallS: round((performance.now() - t0) / 1000), note: `openb default: ${nodes.length} nodes, ${pods.length} pods, inflation 1.3` });
  if (gpu?.engine.kind !== 'gpu') {
    rows.push({ sweep: 'openb', engine: 'WebGPU, lockstep', adapter: gpu?.adapter ?? null, replicas: runs.length, onGpu: null, wallS: null, note: 'not measured: no GPU adapter' });
  } else if (gpu.software) {
    rows.push({ sweep: 'openb', engine: 'WebGPU, lockstep', adapter: gpu.adapter, replicas: runs.length, onGpu: null, wallS: null, note: 'not measured: software adapter (SwiftShader), not a GPU; lockstep correctness is tested in test/parity/lockstep.parity.test.ts' });
  } else {
    const t1 = performance.now();
    const { stats } = await replayOpenbLockstep(gpu.engine as GpuEngine, runs);
    rows.push({ sweep: 'openb', engine: 'WebGPU, lockstep', adapter: gpu.adapter, replicas: runs.length, onGpu: stats.batched, wallS: round((performance.now() - t1) / 1000), note: `${stats.dispatches} dispatches, ${stats.candidates} candidates; policies without a kernel on the CPU` });
  }
  return rows;
}

/**
 * The scenario grids of the scenario-sweep rows: a preset under the FrameworkEvaluator profiles (k8s-default, fgd,
 * k8s-timeslicing: one kernel spec each), and under HAMi and Volcano (GpuHamiEngine, VolcanoGpuEngine).
 */
export const SCENARIO_SWEEPS = [
  { preset: 'whole-gpu-waste', profiles: ['k8s-default', 'fgd', 'k8s-timeslicing'] },
  { preset: 'whole-gpu-waste', profiles: ['hami-binpack', 'volcano-hami'] },
] as const;

const lockstepNote = (s: LockstepSimStats): string => `${s.batched} replicas batched: ${s.dispatches} dispatches for ${s.decisions} decisions`;

/**
 * Scenario sweeps of `seeds` seeds × each SCENARIO_SWEEPS grid: sequential on the CPU plugin path (what
 * `sweep --engine cpu` runs), in lockstep on the CPU twins (every evaluator: cpuTwinWrap), and in lockstep on
 * `gpu` when there is one.
 */
export async function benchScenarioSweep(gpu: EngineSelection | null, seeds: number): Promise<SweepBenchRow[]> {
  const rows: SweepBenchRow[] = [];
  for (const grid of SCENARIO_SWEEPS) rows.push(...(await benchScenarioGrid(gpu, seeds, grid.preset, grid.profiles)));
  return rows;
}

/** One scenario grid's rows (benchScenarioSweep). */
async function benchScenarioGrid(gpu: EngineSelection | null, seeds: number, preset: string, profiles: readonly string[]): Promise<SweepBenchRow[]> {
  const file = fileURLToPath(new URL(`../../../public/scenarios/${preset}.json`, import.meta.url));
  const parsed = parseScenario(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.errors.join('; ')}`);
  const scenario = parsed.scenario;
  const grid = (n: number): Replica[] => expandGrid({ profiles: [...profiles], seeds: Array.from({ length: n }, (_, i) => 1 + i), knobs: {} });
  const replicas = grid(seeds);
  const sweep = `${preset} × ${profiles.join(', ')} × ${seeds} seeds`;
  const rows: SweepBenchRow[] = [];
  // process CPU time (all threads: SwiftShader's included) beside the wall, since wall is noisy on a shared machine
  const cpuS = (since: NodeJS.CpuUsage): string => {
    const u = process.cpuUsage(since);
    return `process CPU ${round((u.user + u.system) / 1e6)} s`;
  };
  let c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const r of replicas) runReplica(scenario, r);
  rows.push({ sweep, engine: 'CPU (TypeScript), sequential', adapter: null, replicas: replicas.length, onGpu: 0, wallS: round((performance.now() - t0) / 1000), note: `the profiles' plugin path (sweep --engine cpu); ${cpuS(c0)}` });
  // every evaluator on its CPU twin (FrameworkEvaluator, HamiEvaluator, VolcanoEvaluator), on lanes
  const engines = cpuLockstepEngines();
  c0 = process.cpuUsage();
  const t1 = performance.now();
  const cpu = await sweepLockstep(engines.kernel, scenario, replicas, cpuTwinWrap(engines));
  if (cpu.failures.length) throw new Error(`CPU-twin lockstep sweep: ${cpu.failures.length} replicas failed`, { cause: cpu.failures[0].error });
  rows.push({ sweep, engine: 'CPU (TypeScript twin), lockstep', adapter: null, replicas: replicas.length, onGpu: 0, wallS: round((performance.now() - t1) / 1000), note: `${lockstepNote(cpu.stats)}; the batcher's overhead on the CPU; ${cpuS(c0)}` });
  if (gpu?.engine.kind !== 'gpu') {
    rows.push({ sweep, engine: 'WebGPU, lockstep', adapter: gpu?.adapter ?? null, replicas: replicas.length, onGpu: null, wallS: null, note: 'not measured: no GPU adapter' });
    return rows;
  }
  // warm-up: one replica per profile compiles the pipelines, so the timed run measures the sweep itself
  await sweepOnGpu(gpu, gpu.engine as GpuEngine, scenario, grid(1));
  c0 = process.cpuUsage();
  const t2 = performance.now();
  const g = await sweepOnGpu(gpu, gpu.engine as GpuEngine, scenario, replicas);
  const wallS = round((performance.now() - t2) / 1000);
  rows.push({
    sweep,
    engine: gpu.software ? 'WebGPU on SwiftShader (software, NOT a GPU), lockstep' : 'WebGPU, lockstep',
    adapter: gpu.adapter,
    replicas: replicas.length,
    onGpu: g.stats.batched,
    wallS,
    note: `${lockstepNote(g.stats)}; ${cpuS(c0)}${gpu.software ? '; a CPU running WGSL: not a GPU figure' : ''}`,
  });
  return rows;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
