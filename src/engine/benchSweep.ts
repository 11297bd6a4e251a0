/**
 * Sweep benchmark: end-to-end wall time of an openb replay sweep (the FGD paper's six policies × seeds on the
 * default trace, ../shared/data/openb) — sequential on the CPU, and in lockstep on the GPU engine (one dispatch
 * per step for the replicas with a kernel; the others on the CPU). A software adapter is not timed: its speed is
 * not a GPU's (see the engine-fgd rows for its per-candidate rate).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseOpenbNodes, parseOpenbPods } from '../io/openb.ts';
import { replayOpenb } from '../sched/frag/replay.ts';
import { FGD_PROFILES } from '../sched/profiles/fgd.ts';
import type { GpuEngine } from './gpu/gpuEngine.ts';
import { replayOpenbLockstep } from './lockstep.ts';
import type { EngineSelection } from './select.ts';

export interface SweepBenchRow {
  [key: string]: string | number | boolean | null;
  engine: string;
  adapter: string | null;
  replicas: number;
  /** Replicas scored on the GPU (policies with a kernel). */
  onGpu: number | null;
  wallS: number | null;
  note: string;
}

const DATA = new URL('../../../shared/data/openb/', import.meta.url);

/** Runs the sweep of `seeds` seeds × the six policies; `gpu` adds the lockstep row. */
export async function benchSweep(gpu: EngineSelection | null, seeds: number): Promise<SweepBenchRow[]> {
  const nodesFile = new URL('openb_node_list_gpu_node.csv', DATA);
  const podsFile = new URL('openb_pod_list_default.csv', DATA);
  if (!existsSync(nodesFile) || !existsSync(podsFile)) return [{ engine: 'CPU (TypeScript)', adapter: null, replicas: 0, onGpu: null, wallS: null, note: 'skipped: ../shared/data/openb not found' }];
  const nodes = parseOpenbNodes(readFileSync(nodesFile, 'utf8'));
  const pods = parseOpenbPods(readFileSync(podsFile, 'utf8'));
  const runs = FGD_PROFILES.flatMap((p) => Array.from({ length: seeds }, (_, i) => ({ nodes, pods, policy: p.name, seed: 42 + i })));
  const rows: SweepBenchRow[] = [];
  const t0 = performance.now();
  for (const o of runs) replayOpenb(o);
  rows.push({ engine: 'CPU (TypeScript), sequential', adapter: null, replicas: runs.length, onGpu: 0, wallS: round((performance.now() - t0) / 1000), note: `openb default: ${nodes.length} nodes, ${pods.length} pods, inflation 1.3` });
  if (gpu?.engine.kind !== 'gpu') {
    rows.push({ engine: 'WebGPU, lockstep', adapter: gpu?.adapter ?? null, replicas: runs.length, onGpu: null, wallS: null, note: 'not measured: no GPU adapter' });
  } else if (gpu.software) {
    rows.push({ engine: 'WebGPU, lockstep', adapter: gpu.adapter, replicas: runs.length, onGpu: null, wallS: null, note: 'not measured: software adapter (SwiftShader), not a GPU; lockstep correctness is tested in test/parity/lockstep.parity.test.ts' });
  } else {
    const t1 = performance.now();
    const { stats } = await replayOpenbLockstep(gpu.engine as GpuEngine, runs);
    rows.push({ engine: 'WebGPU, lockstep', adapter: gpu.adapter, replicas: runs.length, onGpu: stats.onGpu, wallS: round((performance.now() - t1) / 1000), note: `${stats.dispatches} dispatches, ${stats.candidates} candidates; policies without a kernel on the CPU` });
  }
  return rows;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
