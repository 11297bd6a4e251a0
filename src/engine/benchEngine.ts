/**
 * Engine benchmark: candidates per second and wall time of one full decision step (filter + score every
 * (pod, node) candidate, reduce to each pod's decision record, read back decisions only) on the CPU engine and
 * the WebGPU engine, for k8s-default's NodeResourcesFit + BalancedAllocation kernel. A step is P pods × N nodes
 * against one cluster state. A software adapter's figures (SwiftShader) are labelled as such: not GPU figures.
 */
import { Rng } from '../core/rng.ts';
import { ClusterState, buildNodes } from '../model/cluster.ts';
import { resolveCatalog } from '../model/gpuCatalog.ts';
import type { PodRequest } from '../model/pod.ts';
import type { NodePoolSpec } from '../scenario/types.ts';
import { CpuEngine } from './cpu/cpuEngine.ts';
import { kernelSpecFor } from './kernels.ts';
import type { EngineSelection } from './select.ts';
import type { Engine } from './types.ts';

export interface EngineBenchRow {
  [key: string]: string | number | boolean | null;
  engine: string;
  adapter: string | null;
  software: boolean;
  kernel: string;
  nodes: number;
  pods: number;
  candidates: number;
  /** Median wall time of one step, ms (null when skipped). */
  wallMs: number | null;
  candidatesPerS: number | null;
  note: string;
}

/** A cluster of `n` nodes in four pools, half-used, deterministic. */
export function benchCluster(n: number): ClusterState {
  const shapes: Omit<NodePoolSpec, 'name' | 'count'>[] = [
    { gpuModel: 'A100-80G', gpusPerNode: 8, cpuMilli: 96000, memMiB: 786432, topology: 'nvswitch', numaNodes: 2 },
    { gpuModel: 'H100', gpusPerNode: 8, cpuMilli: 128000, memMiB: 1048576, topology: 'nvswitch', numaNodes: 2 },
    { gpuModel: 'T4', gpusPerNode: 2, cpuMilli: 64000, memMiB: 262144, topology: 'pcie', numaNodes: 1 },
    { gpuModel: 'V100M32', gpusPerNode: 4, cpuMilli: 80000, memMiB: 393216, topology: 'pcie', numaNodes: 1 },
  ];
  const pools = shapes.map((s, i) => ({ ...s, name: `p${i}`, count: Math.floor(n / 4) + (i < n % 4 ? 1 : 0) })).filter((p) => p.count > 0);
  const c = new ClusterState(buildNodes({ pools }, resolveCatalog(undefined)), resolveCatalog(undefined));
  const rng = new Rng(1);
  for (const node of c.nodes) {
    node.usedCpuMilli = rng.int(node.cpuMilli / 2);
    node.nonZeroCpuMilli = node.usedCpuMilli;
    node.usedMemMiB = rng.int(node.memMiB / 2);
    node.nonZeroMemMiB = node.usedMemMiB;
    node.podCount = rng.int(20);
    for (const g of node.gpus) if (rng.int(2) === 0) { g.usedMilli = 1000; g.usedSlots = 1; g.usedMemMiB = g.memMiB; g.usedCores = 100; }
    node.version++;
  }
  return c;
}

/** `count` pod requests of mixed shapes. */
export function benchPods(count: number): PodRequest[] {
  const rng = new Rng(2);
  return Array.from({ length: count }, () => ({
    cpuMilli: 1000 * (1 + rng.int(16)), memMiB: 1024 * (1 + rng.int(64)), gpuCount: rng.int(5), gpuMilli: 1000, gpuMemMiB: 0, gpuCores: 0,
    gpuModels: rng.int(4) === 0 ? ['H100'] : [],
  }));
}

async function timeStep(engine: Engine, pods: PodRequest[], nodes: number, reps: number): Promise<number> {
  const windows = pods.map(() => ({ start: 0, want: nodes }));
  const times: number[] = [];
  await engine.evaluate(pods, windows); // warm-up (JIT, pipeline caches, buffer allocation)
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await engine.evaluate(pods, windows);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Runs the sizes on the CPU engine and, when given, the GPU engine. Stops growing an engine's sizes once a step
 * takes longer than `budgetMs` (the next size would take ~10× longer).
 */
export async function benchEngines(gpu: EngineSelection | null, sizes: number[], budgetMs = 4000, nodes = 10_000): Promise<EngineBenchRow[]> {
  const spec = kernelSpecFor('k8s-default')!;
  const cluster = benchCluster(nodes);
  const engines: { engine: Engine; adapter: string | null; software: boolean }[] = [{ engine: new CpuEngine(), adapter: null, software: false }];
  if (gpu && gpu.engine.kind === 'gpu') engines.push({ engine: gpu.engine, adapter: gpu.adapter, software: gpu.software });
  const rows: EngineBenchRow[] = [];
  for (const { engine, adapter, software } of engines) {
    engine.attach(cluster, spec);
    let over = false;
    for (const size of sizes) {
      const pods = Math.max(1, Math.round(size / nodes));
      const base = { engine: engine.label, adapter, software, kernel: 'k8s-default filter+score+select', nodes, pods, candidates: pods * nodes };
      if (over) {
        rows.push({ ...base, wallMs: null, candidatesPerS: null, note: `skipped: the previous size took over ${budgetMs} ms` });
        continue;
      }
      let wallMs: number;
      try {
        wallMs = await timeStep(engine, benchPods(pods), nodes, size >= 1e7 ? 1 : 3);
      } catch (err) {
        rows.push({ ...base, wallMs: null, candidatesPerS: null, note: `failed: ${err instanceof Error ? err.message : String(err)}` });
        over = true;
        continue;
      }
      rows.push({ ...base, wallMs: Math.round(wallMs * 100) / 100, candidatesPerS: Math.round((pods * nodes) / (wallMs / 1000)), note: software ? 'software adapter: not a GPU figure' : '' });
      if (wallMs > budgetMs) over = true;
    }
  }
  return rows;
}
