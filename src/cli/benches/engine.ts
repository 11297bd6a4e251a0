/**
 * Engine benchmark: candidates per second and wall time of one full decision step (filter + score every
 * (pod, node) candidate, reduce to each pod's decision record, read back decisions only) on the CPU engine and
 * the WebGPU engine, for k8s-default's NodeResourcesFit + BalancedAllocation kernel and for the FGD kernel. A
 * step is P pods × N nodes against one cluster state. A software adapter's figures (SwiftShader) are labelled as
 * such: not GPU figures.
 */
import { Rng } from '../../core/rng.ts';
import { ClusterState, buildNodes } from '../../model/cluster.ts';
import { resolveCatalog } from '../../scenario/gpuCatalog.ts';
import type { PodRequest } from '../../model/pod.ts';
import type { NodePoolSpec } from '../../scenario/types.ts';
import { CpuEngine } from '../../engine/cpu/cpuEngine.ts';
import { kernelSpecFor } from '../../engine/kernels/specs.ts';
import { typicalPods, type PodShape } from '../../sched/frag/target.ts';
import type { EngineSelection } from '../../engine/wiring/select.ts';
import type { Engine, KernelSpec } from '../../engine/kernels/types.ts';

/** Kernels the benchmark measures. */
export type BenchKernel = 'k8s-default' | 'fgd';

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
    c.touch(node);
  }
  return c;
}

/** `count` pod requests of mixed shapes (FGD: a third share one GPU, openb-style). */
export function benchPods(count: number, kernel: BenchKernel = 'k8s-default'): PodRequest[] {
  const rng = new Rng(2);
  return Array.from({ length: count }, () => {
    const shared = kernel === 'fgd' && rng.int(3) === 0;
    return {
      cpuMilli: 1000 * (1 + rng.int(16)), memMiB: 1024 * (1 + rng.int(64)), gpuCount: shared ? 1 : rng.int(5), gpuMilli: shared ? [100, 250, 460, 500][rng.int(4)] : 1000, gpuMemMiB: 0, gpuCores: 0,
      gpuModels: rng.int(4) === 0 ? ['H100'] : [],
    };
  });
}

/** The FGD spec of the benchmark: the typical pods (95 %) of 2,000 seeded openb-like shapes (68 classes). */
export function benchFgdSpec(): KernelSpec {
  const rng = new Rng(3);
  const shapes: PodShape[] = Array.from({ length: 2000 }, () => {
    const k = [0, 1, 1, 1, 2, 4, 8][rng.int(7)];
    return { cpuMilli: 1000 * [2, 4, 6, 8, 12, 16][rng.int(6)], gpuMilli: k === 0 ? 0 : k === 1 ? [1000, 1000, 500, 250, 460, 100][rng.int(6)] : 1000, gpuCount: k, models: rng.int(10) === 0 ? ['T4'] : [] };
  });
  const t = typicalPods(shapes, 95);
  return { kind: 'fgd', classes: t.classes.map((c) => ({ cpuMilli: c.cpuMilli, gpuMilli: c.gpuMilli, gpuCount: c.gpuCount, models: c.models, weight: c.weight })) };
}

/** benchCluster with partly used GPU shares (what FGD's fragment depends on). */
export function benchFgdCluster(n: number): ClusterState {
  const c = benchCluster(n);
  const rng = new Rng(4);
  for (const node of c.nodes) {
    for (const g of node.gpus) if (g.usedMilli === 0 && rng.int(3) === 0) g.usedMilli = [250, 500, 540, 900][rng.int(4)];
    c.touch(node);
  }
  return c;
}

/** Submits a GPU engine has made so far (0 for the CPU engine). */
function submitsOf(engine: Engine): number {
  return (engine as Partial<{ submits: number }>).submits ?? 0;
}

async function timeStep(engine: Engine, pods: PodRequest[], nodes: number, reps: number): Promise<number> {
  // one window per pod covering every node (the reduction scans all candidates)
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
export async function benchEngines(gpu: EngineSelection | null, sizes: number[], budgetMs = 4000, nodes = 10_000, kernel: BenchKernel = 'k8s-default'): Promise<EngineBenchRow[]> {
  const spec = kernel === 'fgd' ? benchFgdSpec() : kernelSpecFor('k8s-default')!;
  const cluster = kernel === 'fgd' ? benchFgdCluster(nodes) : benchCluster(nodes);
  const label = kernel === 'fgd' ? `fgd filter+score+select (${spec.kind === 'fgd' ? spec.classes.length : 0} target classes)` : 'k8s-default filter+score+select';
  const engines: { engine: Engine; adapter: string | null; software: boolean }[] = [{ engine: new CpuEngine(), adapter: null, software: false }];
  if (gpu && gpu.engine.kind === 'gpu') engines.push({ engine: gpu.engine, adapter: gpu.adapter, software: gpu.software });
  const rows: EngineBenchRow[] = [];
  for (const { engine, adapter, software } of engines) {
    engine.attach(cluster, spec);
    let over = false;
    for (const size of sizes) {
      const pods = Math.max(1, Math.round(size / nodes));
      const base = { engine: engine.label, adapter, software, kernel: label, nodes, pods, candidates: pods * nodes };
      if (over) {
        rows.push({ ...base, wallMs: null, candidatesPerS: null, note: `skipped: the previous size took over ${budgetMs} ms` });
        continue;
      }
      let wallMs: number;
      const submitsBefore = submitsOf(engine);
      const reps = size >= 1e7 ? 1 : 3;
      try {
        wallMs = await timeStep(engine, benchPods(pods, kernel), nodes, reps);
      } catch (err) {
        rows.push({ ...base, wallMs: null, candidatesPerS: null, note: `failed: ${err instanceof Error ? err.message : String(err)}` });
        over = true;
        continue;
      }
      // a step larger than one storage binding is split into pod chunks (GpuEngine): say how many submits it took
      const perStep = (submitsOf(engine) - submitsBefore) / (reps + 1);
      const notes = [software ? 'software adapter: not a GPU figure' : '', perStep > 1 ? `split into ${perStep} submits per step` : ''].filter(Boolean);
      rows.push({ ...base, wallMs: Math.round(wallMs * 100) / 100, candidatesPerS: Math.round((pods * nodes) / (wallMs / 1000)), note: notes.join('; ') });
      if (wallMs > budgetMs) over = true;
    }
  }
  return rows;
}
