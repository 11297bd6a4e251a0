/**
 * Nodes → node pools. Nodes of identical shape (GPU model and count, CPU, memory, max pods, NUMA, topology,
 * zone, rack) become one pool, in order of first appearance; each real node gets the simulator's name
 * `<pool>-<i>` (model/cluster.ts), which the pod importer uses to place running pods.
 */
import { GPU_CATALOG, resolveCatalog } from '../../scenario/gpuCatalog.ts';
import type { NodePoolSpec, Topology } from '../../scenario/types.ts';
import { buildNodes } from '../../model/cluster.ts';
import { matchGpuProduct } from './gpuProduct.ts';
import { parseHamiRegister, type HamiDevice } from './hamiAnnotations.ts';
import { GFD_COUNT, GFD_MEMORY, GFD_PRODUCT, GFD_REPLICAS, HAMI_NODE_REGISTER, LABEL_ZONE, RACK_LABELS, RES_GPU, VOLCANO_NODE_REGISTER, SB_GPU_MODEL, SB_LABELS, SB_NUMA_NODES, SB_POOL, SB_RACKS, SB_TOPOLOGY } from './kubeNames.ts';
import { cpuMilliOf, memMiBOf, parseQuantity } from './quantity.ts';
import { isObj, refOf, type KubeObject } from './snapshot.ts';
import type { ImportReport } from './report.ts';

/** What the pod importer needs to know about an imported node. */
export interface ImportedNode {
  /** The simulator's node name. */
  simName: string;
  cpuMilli: number;
  memMiB: number;
  maxPods: number;
  /** Per GPU index: memory (the catalog card's) and whether it is there. */
  gpuMemMiB: number[];
  /** HAMi device UUID → GPU index. */
  uuidIndex: Map<string, number>;
  /** Time-slicing replicas per GPU (1 = none). */
  replicas: number;
}

interface NodeShape {
  pool: NodePoolSpec;
  key: string;
  realNames: string[];
}

const VALID_TOPOLOGIES: readonly Topology[] = ['nvswitch', 'nvlink-pairs', 'pcie'];

function str(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}

/** A generated pool name: `h100-8gpu-96c-1024g`, `cpu-16c-64g`, plus the zone when there is one. */
function poolNameOf(model: string, gpus: number, cpuMilli: number, memMiB: number, zone: string | undefined): string {
  const cpu = cpuMilli % 1000 === 0 ? `${cpuMilli / 1000}` : (cpuMilli / 1000).toFixed(1);
  const base = gpus > 0 ? `${model.toLowerCase()}-${gpus}gpu-${cpu}c-${Math.round(memMiB / 1024)}g` : `cpu-${cpu}c-${Math.round(memMiB / 1024)}g`;
  return (zone ? `${base}-${zone}` : base).replace(/[^a-z0-9.-]+/g, '-');
}

/** The JSON of SB_LABELS when it is an object of strings. */
function parseLabels(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (isObj(v) && Object.values(v).every((x) => typeof x === 'string')) return v as Record<string, string>;
  } catch {
    // not JSON: fall back to the node's labels
  }
  return undefined;
}

/** Imports the nodes; problems go to `errors`, approximations to the report. */
export function importNodes(nodes: readonly KubeObject[], errors: string[], report: ImportReport): { pools: NodePoolSpec[]; byName: Map<string, ImportedNode> } {
  const shapes = new Map<string, NodeShape>();
  const perNode: { real: string; shape: NodeShape; gpuMemMiB: number[]; uuidIndex: Map<string, number>; replicas: number }[] = [];
  const seen = new Set<string>();
  let unhealthy = 0;
  let guessedTopology = 0;
  for (const n of nodes) {
    const ref = refOf(n);
    const md = isObj(n.metadata) ? n.metadata : {};
    const name = str(md, 'name');
    if (!name) {
      errors.push(`${ref}: metadata.name: is required`);
      continue;
    }
    if (seen.has(name)) {
      errors.push(`${ref}: metadata.name: duplicate node`);
      continue;
    }
    seen.add(name);
    const labels: Record<string, unknown> = isObj(md.labels) ? md.labels : {};
    const ann: Record<string, unknown> = isObj(md.annotations) ? md.annotations : {};
    const status = isObj(n.status) ? n.status : {};
    const alloc = isObj(status.allocatable) ? status.allocatable : undefined;
    if (!alloc) {
      errors.push(`${ref}: status.allocatable: missing (export nodes with -o json so their status is included)`);
      continue;
    }
    const cpuMilli = cpuMilliOf(alloc.cpu);
    const memMiB = memMiBOf(alloc.memory);
    if (!(cpuMilli > 0)) errors.push(`${ref}: status.allocatable.cpu: ${alloc.cpu === undefined ? 'missing' : `not a positive quantity: ${JSON.stringify(alloc.cpu)}`}`);
    if (!(memMiB > 0)) errors.push(`${ref}: status.allocatable.memory: ${alloc.memory === undefined ? 'missing' : `not a positive quantity: ${JSON.stringify(alloc.memory)}`}`);
    const maxPodsQ = alloc.pods === undefined ? 110 : parseQuantity(alloc.pods);
    if (!(Number.isInteger(maxPodsQ) && maxPodsQ >= 1)) errors.push(`${ref}: status.allocatable.pods: not a positive integer: ${JSON.stringify(alloc.pods)}`);
    const gpuAlloc = alloc[RES_GPU] === undefined ? 0 : parseQuantity(alloc[RES_GPU]);
    if (!(Number.isInteger(gpuAlloc) && gpuAlloc >= 0)) errors.push(`${ref}: status.allocatable["${RES_GPU}"]: not a whole number: ${JSON.stringify(alloc[RES_GPU])}`);
    let devices: HamiDevice[] | undefined;
    // HAMi's registration, or Volcano vGPU's (the same device list under its own key).
    const regKey = [HAMI_NODE_REGISTER, VOLCANO_NODE_REGISTER].find((k) => str(ann, k) !== undefined);
    if (regKey !== undefined) {
      const r = parseHamiRegister(str(ann, regKey)!);
      if (r.ok) devices = r.value.slice().sort((a, b) => a.index - b.index);
      else errors.push(`${ref}: metadata.annotations["${regKey}"]: ${r.error}`);
    }
    const replicasL = str(labels, GFD_REPLICAS);
    const replicas = replicasL !== undefined && /^\d+$/.test(replicasL) && Number(replicasL) > 1 ? Number(replicasL) : 1;
    const countL = str(labels, GFD_COUNT);
    if (countL !== undefined && !/^\d+$/.test(countL)) errors.push(`${ref}: metadata.labels["${GFD_COUNT}"]: not a whole number: "${countL}"`);
    const gpus = devices ? devices.length : countL !== undefined && /^\d+$/.test(countL) ? Number(countL) : Math.floor(gpuAlloc / replicas);
    if (gpus > 64) errors.push(`${ref}: GPUs: ${gpus} on one node; at most 64 are supported`);
    if (errors.length > 200) break;
    let model = '';
    if (gpus > 0) {
      const own = str(ann, SB_GPU_MODEL);
      const product = (str(labels, GFD_PRODUCT) ?? devices?.[0]?.type ?? '').replace(/-SHARED$/, '');
      const memL = str(labels, GFD_MEMORY);
      const gpuMem = memL !== undefined && /^\d+$/.test(memL) ? Number(memL) : devices?.[0]?.memMiB ?? 0;
      if (own && GPU_CATALOG[own]) model = own;
      else {
        const m = matchGpuProduct(product, gpuMem);
        model = m.model;
        if (m.byMemory) {
          report.approximated.push(`${ref}: GPU product "${product || 'none'}"${gpuMem ? ` (${gpuMem} MiB)` : ''} is not in the catalog: modelled as ${model}${gpuMem ? ', the card with the nearest memory' : ''}`);
        }
      }
      if (devices) unhealthy += devices.filter((d) => !d.healthy).length;
    }
    const numaSet = new Set((devices ?? []).map((d) => d.numa));
    const ownNuma = Number(str(ann, SB_NUMA_NODES));
    const numaNodes = Number.isInteger(ownNuma) && ownNuma >= 1 && (gpus === 0 || gpus % ownNuma === 0) ? ownNuma : numaSet.size > 1 && gpus % numaSet.size === 0 ? numaSet.size : 1;
    const topoAnn = str(ann, SB_TOPOLOGY) as Topology | undefined;
    let topology: Topology = 'pcie';
    if (topoAnn && VALID_TOPOLOGIES.includes(topoAnn)) topology = topoAnn;
    else if (gpus >= 4 && (GPU_CATALOG[model]?.nvlinkGBs ?? 0) > 0) {
      // No label says how the cards are linked; SXM cards in groups of 4 or 8 sit on NVSwitch boards.
      topology = 'nvswitch';
      guessedTopology++;
    }
    const ownPool = str(ann, SB_POOL);
    const zone = str(labels, LABEL_ZONE);
    let poolLabels: Record<string, string> = {};
    let racks: number | undefined;
    let rack: string | undefined;
    if (ownPool !== undefined) {
      // A Slicebench export: its annotations carry the pool's labels and rack count (nodes are spread over racks).
      const own = parseLabels(str(ann, SB_LABELS));
      if (own) poolLabels = own;
      const r = Number(str(ann, SB_RACKS));
      if (Number.isInteger(r) && r >= 1) racks = r;
    } else {
      rack = RACK_LABELS.map((k) => str(labels, k)).find((v) => v !== undefined);
      if (zone !== undefined) poolLabels[LABEL_ZONE] = zone;
      if (rack !== undefined) poolLabels.rack = rack;
    }
    const key = JSON.stringify([ownPool ?? '', model, gpus, cpuMilli, memMiB, maxPodsQ, topology, numaNodes, zone ?? '', rack ?? '', poolLabels, racks ?? 0]);
    let shape = shapes.get(key);
    if (!shape) {
      const pool: NodePoolSpec = { name: ownPool ?? poolNameOf(model, gpus, cpuMilli, memMiB, zone), count: 0, gpuModel: model, gpusPerNode: gpus, cpuMilli, memMiB, topology, numaNodes };
      if (racks !== undefined) pool.racks = racks;
      if (maxPodsQ !== 110) pool.maxPods = maxPodsQ;
      if (Object.keys(poolLabels).length) pool.labels = poolLabels;
      shape = { pool, key, realNames: [] };
      shapes.set(key, shape);
    }
    shape.pool.count++;
    shape.realNames.push(name);
    const cardMem = GPU_CATALOG[model]?.memMiB ?? 0;
    const uuidIndex = new Map<string, number>();
    (devices ?? []).forEach((d, i) => uuidIndex.set(d.uuid, i));
    perNode.push({ real: name, shape, gpuMemMiB: Array.from({ length: gpus }, () => cardMem), uuidIndex, replicas });
  }
  const pools = [...shapes.values()].map((s) => s.pool);
  const used = new Set<string>();
  for (const p of pools) {
    let name = p.name;
    for (let i = 2; used.has(name); i++) name = `${p.name}-${i}`;
    p.name = name;
    used.add(name);
  }
  if (unhealthy) report.approximated.push(`${unhealthy} GPU(s) HAMi registers as unhealthy are modelled as healthy (a pool has no per-card health)`);
  if (guessedTopology) report.approximated.push(`${guessedTopology} node(s) with 4+ NVLink-capable GPUs modelled as NVSwitch boards (no label says how cards are linked)`);
  const byName = new Map<string, ImportedNode>();
  if (errors.length) return { pools, byName };
  // The simulator's own names, so running pods land on the node the simulator builds.
  const simNodes = buildNodes({ pools }, resolveCatalog(undefined));
  const simNameOf = new Map<NodeShape, string[]>();
  let k = 0;
  for (const s of shapes.values()) simNameOf.set(s, simNodes.slice(k, (k += s.pool.count)).map((x) => x.name));
  const next = new Map<NodeShape, number>();
  for (const n of perNode) {
    const i = next.get(n.shape) ?? 0;
    next.set(n.shape, i + 1);
    byName.set(n.real, { simName: simNameOf.get(n.shape)![i], cpuMilli: n.shape.pool.cpuMilli, memMiB: n.shape.pool.memMiB, maxPods: n.shape.pool.maxPods ?? 110, gpuMemMiB: n.gpuMemMiB, uuidIndex: n.uuidIndex, replicas: n.replicas });
  }
  return { pools, byName };
}
