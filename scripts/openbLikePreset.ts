/**
 * Generates public/scenarios/openb-like.json from the published statistics of the Alibaba openb trace (no rows
 * copied): node models and counts scaled to 1/10, and the most common pod shapes (CPU, GPU count, per-GPU milli;
 * memory = the shape's median) with their frequencies, inflated so the GPU request reaches 1.3 × capacity over
 * the day, as the FGD paper loads the cluster. Run: `npx tsx scripts/openbLikePreset.ts` (reads
 * ../shared/data/openb; prints the statistics it used on stderr).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOpenbNodes, parseOpenbPods } from '../src/io/openb.ts';
import type { BatchWorkload, NodePoolSpec, Scenario } from '../src/scenario/types.ts';

const DATA = fileURLToPath(new URL('../../shared/data/openb/', import.meta.url));
const OUT = fileURLToPath(new URL('../public/scenarios/openb-like.json', import.meta.url));
const SCALE = 10;
const SHAPE_COVERAGE = 0.9;
const DAY_S = 86400;

const nodes = parseOpenbNodes(readFileSync(DATA + 'openb_node_list_gpu_node.csv', 'utf8'));
const pods = parseOpenbPods(readFileSync(DATA + 'openb_pod_list_default.csv', 'utf8'));

// Node types → pools of round(count / 10) nodes (types that round to 0 are left out).
const types = new Map<string, { n: (typeof nodes)[number]; count: number }>();
for (const n of nodes) {
  const k = `${n.model}/${n.gpus}/${n.cpuMilli}/${n.memMiB}`;
  const t = types.get(k);
  if (t) t.count++;
  else types.set(k, { n, count: 1 });
}
const pools: NodePoolSpec[] = [];
for (const { n, count } of [...types.values()].sort((a, b) => b.count - a.count)) {
  const scaled = Math.round(count / SCALE);
  process.stderr.write(`node type ${n.model} ×${n.gpus} ${n.cpuMilli}m ${n.memMiB}MiB: ${count} → ${scaled}\n`);
  if (scaled === 0) continue;
  pools.push({ name: `${n.model.toLowerCase()}-${n.gpus}g-${n.cpuMilli / 1000}c`, count: scaled, gpuModel: n.model, gpusPerNode: n.gpus, cpuMilli: n.cpuMilli, memMiB: n.memMiB, topology: 'pcie', numaNodes: 1, maxPods: 1001 });
}
const capacityMilli = pools.reduce((s, p) => s + p.count * p.gpusPerNode, 0) * 1000;

// Pod shapes by frequency until 90 % of pods are covered.
const shapes = new Map<string, { cpu: number; gpus: number; milli: number; mem: number[] }>();
for (const p of pods) {
  const k = `${p.cpuMilli}/${p.numGpu}/${p.gpuMilli}`;
  const s = shapes.get(k);
  if (s) s.mem.push(p.memMiB);
  else shapes.set(k, { cpu: p.cpuMilli, gpus: p.numGpu, milli: p.gpuMilli, mem: [p.memMiB] });
}
const sorted = [...shapes.values()].sort((a, b) => b.mem.length - a.mem.length || b.cpu - a.cpu);
const taken: typeof sorted = [];
let covered = 0;
for (const s of sorted) {
  if (covered >= SHAPE_COVERAGE * pods.length) break;
  taken.push(s);
  covered += s.mem.length;
}
// The multi-GPU pods are rare but carry a large share of the GPU request: keep the most common shape of every
// category (CPU-only, sharing, 1/2/4/8 GPUs) even when it is not among the most common shapes overall.
const category = (s: { gpus: number; milli: number }): string => (s.gpus === 0 ? 'cpu' : s.milli < 1000 ? 'share' : `${s.gpus}gpu`);
for (const s of sorted) {
  if (taken.some((t) => category(t) === category(s))) continue;
  taken.push(s);
  covered += s.mem.length;
}
// Pods so that Σ gpu request = 1.3 × capacity, split by the shapes' frequencies.
const gpuPerPod = taken.reduce((s, x) => s + x.mem.length * x.gpus * x.milli, 0) / covered;
const totalPods = Math.round((1.3 * capacityMilli) / gpuPerPod);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const kindOf = (s: (typeof taken)[number]): string => (s.gpus === 0 ? 'cpu' : s.milli < 1000 ? `share${s.milli}` : `${s.gpus}gpu`);
const workloads: BatchWorkload[] = taken.map((s) => {
  const count = Math.max(1, Math.round((s.mem.length / covered) * totalPods));
  return {
    kind: 'batch',
    name: `${kindOf(s)}-${s.cpu / 1000}c`,
    count,
    cpuMilli: s.cpu,
    memMiB: median(s.mem),
    gpus: s.gpus,
    gpuMilli: s.milli,
    // Pods never leave within the day (the paper's replay never deletes pods); arrivals spread over the day.
    durationS: 10 * DAY_S,
    arrivalS: 0,
    interarrivalS: Math.round(DAY_S / count),
  };
});
const mix: Record<string, number> = {};
for (const p of pods) {
  const k = p.numGpu === 0 ? 'CPU-only' : p.gpuMilli < 1000 ? 'sharing' : `${p.numGpu}-GPU`;
  mix[k] = (mix[k] ?? 0) + 1;
}
process.stderr.write(`pod mix: ${JSON.stringify(mix)}; ${taken.length} shapes cover ${covered}/${pods.length}; ${totalPods} pods for ${capacityMilli / 1000} GPUs\n`);

const scenario: Scenario = {
  kind: 'slicebench/scenario',
  version: 1,
  name: 'Fragmentation: FGD vs packing on a trace-shaped cluster',
  description:
    `Built from the published statistics of the Alibaba openb trace (cluster-trace-gpu-v2023, studied in the FGD paper at USENIX ATC'23): ` +
    `the node types of the 1,213-node, 6,212-GPU cluster scaled down about 1/${SCALE} (${pools.reduce((s, p) => s + p.count, 0)} nodes, ${capacityMilli / 1000} GPUs; types with fewer than 5 nodes dropped), ` +
    `and its most common pod shapes (${taken.length} shapes, ${Math.round((covered / pods.length) * 100)} % of its pods, with at least one of each kind: CPU-only, GPU-sharing, 1-, 2-, 4- and 8-GPU) in their proportions, arriving over a day until the GPU request reaches 1.3 × capacity; pods never leave. ` +
    'Compare how much each policy allocates before pods start failing, and the fragmented GPUs it leaves.',
  cluster: { pools },
  workloads,
  schedulers: [{ profile: 'fgd' }, { profile: 'packing' }, { profile: 'bestfit' }, { profile: 'random' }],
  sim: { durationS: DAY_S, seed: 42, metricsStepS: 900 },
};
writeFileSync(OUT, JSON.stringify(scenario, null, 2) + '\n');
process.stderr.write(`wrote ${OUT}\n`);
