/**
 * Planner benchmarks (issue 14, "Performance"): the paper grid (openb: every trace found in ../shared/data/openb ×
 * the six FGD policies × 10 seeds = 1,020 replays with the 17 traces; --quick: the default trace × 6 × 2) and a
 * 200-replica plan of the small-mixed preset (4 profiles × 10 cluster scales × 5 seeds; --quick: 4 × 2 × 2), both on
 * the CLI's worker-thread pool (`--workers`, default: the cores Node reports), through the same code the CLI runs
 * (threadPool.ts). Lockstep on a GPU is timed only on a real GPU (never on a software adapter).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseOpenbNodes, parseOpenbPods } from '../../io/openb.ts';
import { expandPaperGrid, PAPER_POLICIES, type PaperRow } from '../../plan/paperGrid.ts';
import { expandPlan } from '../../plan/grid.ts';
import type { PlanRow } from '../../plan/rows.ts';
import { parseScenario } from '../../scenario/validate.ts';
import type { GpuEngine } from '../../engine/gpu/gpuEngine.ts';
import { replayOpenbLockstep } from '../../engine/lockstep/lockstep.ts';
import type { EngineSelection } from '../../engine/wiring/select.ts';
import type { BenchRow } from '../benchRegistry.ts';
import { runOnThreads } from '../threadPool.ts';
import { pow10 } from '../../core/detMath.ts';

const DATA = new URL('../../../../shared/data/openb/', import.meta.url);
const round = (x: number, d = 2): number => Math.round(x * pow10(d)) / pow10(d);
/** CPU seconds (user + system) this process used since `from`, its worker threads included: a figure a busy machine skews less than wall time. */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

/** The paper grid on `threads` worker threads (and in lockstep on a real GPU when `gpu` is one). */
export async function benchPaperGrid(gpu: EngineSelection | null, quick: boolean, threads = availableParallelism()): Promise<BenchRow[]> {
  const nodesFile = new URL('openb_node_list_gpu_node.csv', DATA);
  if (!existsSync(nodesFile)) return [{ grid: 'paper', engine: 'CPU threads', replays: 0, wallS: null, note: 'skipped: ../shared/data/openb not found' }];
  const podFiles = readdirSync(fileURLToPath(DATA)).filter((f) => /^openb_pod_list_.*\.csv$/.test(f)).sort();
  const chosen = quick ? podFiles.filter((f) => f === 'openb_pod_list_default.csv') : podFiles;
  const nodesCsv = readFileSync(nodesFile, 'utf8');
  const traces = chosen.map((f) => ({ name: f.replace(/^openb_pod_list_|\.csv$/g, ''), nodesCsv, podsCsv: readFileSync(new URL(f, DATA), 'utf8') }));
  const policies = [...PAPER_POLICIES];
  const seeds = Array.from({ length: quick ? 2 : 10 }, (_, i) => 42 + i);
  const replays = expandPaperGrid(traces.map((t) => t.name), policies, seeds);
  const rows: BenchRow[] = [];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const got = await runOnThreads<PaperRow>({ kind: 'paper', request: { traces, policies, seeds, indices: replays.map((r) => r.index) } }, threads);
  const wallS = (performance.now() - t0) / 1000;
  rows.push({ grid: 'paper', engine: `CPU, ${threads} worker threads`, adapter: null, replays: got.length, traces: traces.length, wallS: round(wallS), cpuS: round(cpuSince(c0)), replaysPerS: round(got.length / wallS), note: `${traces.length} traces × 6 policies × ${seeds.length} seeds, inflation 1.3; wall includes thread start-up` });
  if (gpu?.engine.kind === 'gpu' && !gpu.software) {
    const runs = replays.map((r) => ({ nodes: parseOpenbNodes(nodesCsv), pods: parseOpenbPods(traces[r.traceIndex].podsCsv), policy: r.policy, seed: r.seed }));
    const t1 = performance.now();
    const { stats } = await replayOpenbLockstep(gpu.engine as GpuEngine, runs);
    const s = (performance.now() - t1) / 1000;
    rows.push({ grid: 'paper', engine: 'WebGPU, lockstep', adapter: gpu.adapter, replays: runs.length, traces: traces.length, wallS: round(s), cpuS: null, replaysPerS: round(runs.length / s), note: `${stats.dispatches} dispatches, ${stats.candidates} candidates (${round(stats.candidates / s / 1e9, 3)} × 10⁹/s); policies without a kernel on the CPU` });
  } else {
    rows.push({ grid: 'paper', engine: 'WebGPU, lockstep', adapter: gpu?.adapter ?? null, replays: replays.length, traces: traces.length, wallS: null, cpuS: null, replaysPerS: null, note: gpu?.software ? 'not measured: software adapter, not a GPU' : 'not measured: no GPU adapter' });
  }
  return rows;
}

/** The PROFILES × SCALES × seeds plan of small-mixed on `threads` worker threads. */
export async function benchSmallMixedPlan(quick: boolean, threads = availableParallelism()): Promise<BenchRow[]> {
  const file = new URL('../../../public/scenarios/small-mixed.json', import.meta.url);
  const plan = {
    profiles: ['k8s-default', 'k8s-timeslicing', 'hami-binpack', 'volcano-hami'].map((profile) => ({ profile })),
    scale: { factors: quick ? [0.5, 1] : { from: 0.5, to: 2.75, step: 0.25 } },
    seeds: { from: 1, to: quick ? 2 : 5 },
    targets: { sloAttainmentPct: 99, p95WaitS: 300 },
  };
  const parsed = parseScenario({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), plan });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const grid = expandPlan(parsed.scenario);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const got = await runOnThreads<PlanRow>({ kind: 'plan', request: { scenario: parsed.scenario, indices: grid.replicas.map((r) => r.index), seriesPoints: 120 } }, threads);
  const wallS = (performance.now() - t0) / 1000;
  return [{ grid: 'small-mixed plan', engine: `CPU (Node), ${threads} worker threads`, replicas: got.length, wallS: round(wallS), cpuS: round(cpuSince(c0)), replicasPerS: round(got.length / wallS), note: `4 profiles × ${grid.scales.length} scales × ${grid.seeds.length} seeds, 1 simulated day each, series of 120 points; wall includes thread start-up` }];
}
