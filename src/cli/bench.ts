/**
 * `npm run bench` (`tsx src/cli/bench.ts [--json] [--quick] [--only name,...] [--sizes 1e4,...] [--engine cpu|gpu|auto]`): runs the
 * registered benchmark sections and prints one table per section (or one JSON document with --json).
 * The engine section forces the WebGPU engine when any adapter exists (a software one is labelled as such).
 */
import { benchSections, registerBench, type BenchRow } from './benchRegistry.ts';
import { benchSimulator } from './benches/simulator.ts';
import { benchEngines } from './benches/engine.ts';
import { benchSweep } from './benches/sweep.ts';
import { benchPaperGrid, benchSmallMixedPlan } from './benches/plan.ts';
import { nodeGpuProvider } from '../engine/wiring/nodeGpu.ts';
import { parseEngineFlag, selectEngine, type EngineSelection } from '../engine/wiring/select.ts';

const { engine: engineFlag, rest } = parseEngineFlag(process.argv.slice(2));
const json = rest.includes('--json');
const quick = rest.includes('--quick');
const onlyAt = rest.indexOf('--only');
const only = onlyAt >= 0 ? new Set((rest[onlyAt + 1] ?? '').split(',')) : null;
const sizesAt = rest.indexOf('--sizes');
// the engine sections' candidate counts per step (the GPU kit's --quick runs the smallest alone)
const sizesFlag = sizesAt >= 0 ? (rest[sizesAt + 1] ?? '').split(',').map(Number) : null;
if (sizesFlag?.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--sizes: positive whole numbers, e.g. 1e4,1e5 (got ${rest[sizesAt + 1]})`);

/** The GPU engine for a section (any adapter, SwiftShader included: rows label it), or why there is none. */
async function acquireGpu(): Promise<{ gpu: EngineSelection | null; gpuNote: string }> {
  if (engineFlag === 'cpu') return { gpu: null, gpuNote: '' };
  try {
    return { gpu: await selectEngine('gpu', await nodeGpuProvider()), gpuNote: '' };
  } catch (err) {
    return { gpu: null, gpuNote: err instanceof Error ? err.message : String(err) };
  }
}

registerBench({
  name: 'engine',
  title: 'Candidate evaluation, CPU vs WebGPU engine (k8s-default kernel, 10,000 nodes, P pods per step)',
  async run(options) {
    const { gpu, gpuNote } = await acquireGpu();
    const sizes = sizesFlag ?? (options.quick ? [1e4, 1e5] : [1e4, 1e5, 1e6, 1e7, 1e8]);
    const rows: BenchRow[] = await benchEngines(gpu, sizes);
    if (!gpu) rows.push({ engine: 'WebGPU', adapter: null, note: `not measured: ${gpuNote || 'CPU engine requested'}` });
    gpu?.engine.destroy();
    return rows;
  },
});

registerBench({
  name: 'engine-fgd',
  title: 'Candidate evaluation, CPU vs WebGPU engine (FGD kernel, 10,000 nodes, P pods per step)',
  async run(options) {
    const { gpu, gpuNote } = await acquireGpu();
    const sizes = sizesFlag ?? (options.quick ? [1e4, 1e5] : [1e4, 1e5, 1e6, 1e7, 1e8]);
    const rows: BenchRow[] = await benchEngines(gpu, sizes, 4000, 10_000, 'fgd');
    if (!gpu) rows.push({ engine: 'WebGPU', adapter: null, note: `not measured: ${gpuNote || 'CPU engine requested'}` });
    gpu?.engine.destroy();
    return rows;
  },
});

registerBench({
  name: 'sweep',
  title: 'Sweeps: openb replay, six FGD-paper policies × seeds (60 replicas; --quick: 6), and two scenario grids (whole-gpu-waste × k8s-default, fgd, k8s-timeslicing and × hami-binpack, volcano-hami; 10 seeds, --quick: 3); CPU sequential vs lockstep',
  async run(options) {
    const { gpu } = await acquireGpu();
    const rows = await benchSweep(gpu, options.quick ? 1 : 10);
    gpu?.engine.destroy();
    return rows;
  },
});

registerBench({
  name: 'simulator',
  title: 'Simulator: 1,000 nodes, 8,000 GPUs, 7 days, k8s-default (CPU path)',
  run(options) {
    const r = benchSimulator(options.quick ? 1 : 3);
    const { wallsS: _walls, ...row } = r;
    return [row as unknown as BenchRow];
  },
});

registerBench({
  name: 'plan-paper-grid',
  title: 'Planner: the FGD paper grid, openb traces × 6 policies × 10 seeds (1,020 replays with the 17 traces; --quick: 1 trace × 6 × 2), CPU worker threads (and lockstep on a real GPU)',
  async run(options) {
    const { gpu } = await acquireGpu();
    const rows = await benchPaperGrid(gpu, options.quick);
    gpu?.engine.destroy();
    return rows;
  },
});

registerBench({
  name: 'plan-small-mixed',
  title: 'Planner: small-mixed, 4 profiles × 10 cluster scales × 5 seeds = 200 replicas (--quick: 16), CPU worker threads in Node',
  run: (options) => benchSmallMixedPlan(options.quick),
});

const results: { section: string; title: string; rows: BenchRow[] }[] = [];
for (const s of benchSections()) {
  if (only && !only.has(s.name)) continue;
  if (!json) console.log(`\n## ${s.name}: ${s.title}`);
  const rows = await s.run({ quick });
  results.push({ section: s.name, title: s.title, rows });
  if (!json) {
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    console.log(cols.join('\t'));
    for (const r of rows) console.log(cols.map((c) => String(r[c] ?? '')).join('\t'));
  }
}
if (json) console.log(JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2));
