/**
 * TypeScript twin of `shaders/filterScoreVolcano.wgsl`: predicates and the float64 node score of one task on one
 * node, for the `volcano` and `volcano-hami` profiles, on the packed state (state.ts nodes and GPUs, kernels/volcano.ts
 * pod rows). Mirrors src/sched/volcano/session.ts NodePlugins.fit and .scores, check by check:
 * - predicates: pods, cpu, memory (all reasons), then the devices: whole GPUs — GPU model affinity, then the
 *   device plugin's `gpuCount` free healthy cards; vGPU — deviceshare's card walk (deviceshare.ts fitVgpu: cards
 *   by used memory descending (binpack) or used count ascending (spread), lower index first on ties).
 * - total (the session's Σ weight·score, float64, in plugin order): nodeorder leastrequested (kube LeastAllocated
 *   on cpu and memory with the 100 m / 200 MiB non-zero defaults, integer) + balancedresource (kube v1.34,
 *   float64 then trunc) + binpack (binpack.go: 100·weight·Σ w_r·(used_r + req_r)/alloc_r ÷ Σ w_r) +
 *   deviceshare weight × the node device score: Σ GPUScore of the cards taken (100·usedMem/memory after the add;
 *   spread: 0) rounded to an integer, floor(Σ + 0.5) (deviceshare.ts nodeDeviceScore).
 * The float64 steps are JavaScript's own, through the plugins' pure functions (binpackScore,
 * balancedAllocationScore, gpuScore); the kernel reproduces them bit for bit with integers.
 */
import { balancedAllocationScore, balancedVarianceThresholds } from '../../sched/plugins/balancedAllocation.ts';
import { packDouble } from '../kernels/fgdTables.ts';
import { leastAllocatedScore } from '../../sched/plugins/nodeResourcesFit.ts';
import { binpackScore, type BinpackArgs, type BinpackResource } from '../../sched/volcano/binpack.ts';
import { gpuScore, nodeDeviceScore } from '../../sched/volcano/deviceshare.ts';
import { DEFAULT_CPU_MILLI_REQUEST, DEFAULT_MEM_MIB_REQUEST } from '../../model/units.ts';
import { GPU_WORDS, NODE_WORDS } from '../kernels/state.ts';
import { VOLCANO_POD_WORDS, type VolcanoKernelSpec } from '../kernels/volcano.ts';
import { MILLI, fitReasons, modelAllowed as modelAllowedOn } from './filterPrologue.ts';

/** Volcano reason bits (VOLCANO_REASON_TEXT order; 1 pods, 2 cpu, 4 memory as filterPrologue.ts fitReasons). */
const R_AFFINITY = 8;
const R_GPU = 16;
const R_CARDS = 32;
const R_FITTED = 64;
const CORES = 100;

/** binpack's arguments from the spec (a weight of 0 adds nothing, listed or not: binpack.ts). */
export function binpackArgsOf(spec: VolcanoKernelSpec): BinpackArgs | null {
  if (!spec.binpack) return null;
  const b = spec.binpack;
  const resources: Record<string, number> = { cpu: b.cpu, memory: b.memory };
  if (b.gpu > 0) resources['nvidia.com/gpu'] = b.gpu;
  return { weight: b.weight, resources };
}

/** One candidate: the float64 total when feasible (reasons 0), else the reason bits (VOLCANO_REASON_TEXT). */
export interface VolcanoCandidate {
  total: number;
  reasons: number;
}

/**
 * Filters and scores pod row `p` of `pods` on node `i` (rows of `nodes` / `gpus`). `binpack` is binpackArgsOf(spec)
 * (passed in so that a batch builds it once).
 */
export function filterScoreVolcano(spec: VolcanoKernelSpec, binpack: BinpackArgs | null, nodes: Uint32Array, gpus: Uint32Array, i: number, pods: Uint32Array, p: number): VolcanoCandidate {
  const q = p * VOLCANO_POD_WORDS;
  const o = i * NODE_WORDS;
  const cpu = nodes[o];
  const mem = nodes[o + 1];
  const usedCpu = nodes[o + 4];
  const usedMem = nodes[o + 5];
  const gpuBase = nodes[o + 8];
  const g = nodes[o + 9];
  const reqCpu = pods[q];
  const reqMem = pods[q + 1];
  const want = pods[q + 2];
  // predicates: every resource reason first
  const reasons = fitReasons(nodes, o, pods, q);
  if (reasons !== 0) return { total: 0, reasons };
  const modelAllowed = modelAllowedOn(nodes, o, pods, q);
  let usedMilli = 0;
  for (let k = 0; k < g; k++) usedMilli += gpus[(gpuBase + k) * GPU_WORDS];
  let deviceScore = 0;
  if (want > 0) {
    if (!spec.vgpu) {
      if (!modelAllowed) return { total: 0, reasons: R_AFFINITY };
      let free = 0;
      for (let k = 0; k < g; k++) {
        const b = (gpuBase + k) * GPU_WORDS;
        if (gpus[b + 7] === 1 && gpus[b + 3] === 0 && gpus[b] === 0) free++;
      }
      if (free < want) return { total: 0, reasons: R_GPU };
    } else {
      if (want > g) return { total: 0, reasons: R_CARDS };
      const ds = spec.deviceShare!;
      const milli = pods[q + 6];
      const cores = pods[q + 8];
      // deviceOrder: binpack by used memory descending, spread by used count ascending, lower index on ties
      const order = Array.from({ length: g }, (_, k) => k);
      const at = (k: number): number => (gpuBase + k) * GPU_WORDS;
      if (ds.spread) order.sort((a, b) => gpus[at(a) + 3] - gpus[at(b) + 3] || a - b);
      else order.sort((a, b) => gpus[at(b) + 1] - gpus[at(a) + 1] || a - b);
      let taken = 0;
      for (const k of order) {
        const b = at(k);
        const cardUsedMem = gpus[b + 1];
        const cardUsedCores = gpus[b + 2];
        const cardUsedSlots = gpus[b + 3];
        const cardMem = gpus[b + 4];
        const cardCores = gpus[b + 5];
        if (gpus[b + 7] !== 1) continue;
        if (cardUsedSlots >= ds.splitCount) continue;
        const m = pods[q + 7] > 0 ? pods[q + 7] : cardMem;
        if (cardMem - cardUsedMem < m) continue;
        if (cardUsedCores + cores > cardCores) continue;
        if (cores === CORES && cardUsedSlots > 0) continue;
        if (cardUsedCores === cardCores && cores === 0) continue;
        if (!modelAllowed) continue;
        if (gpus[b] + milli > MILLI) continue;
        deviceScore += gpuScore(ds.spread ? 'spread' : 'binpack', cardUsedMem + m, cardMem, cardUsedSlots + 1);
        if (++taken === want) break;
      }
      if (taken < want) return { total: 0, reasons: R_FITTED };
      deviceScore = nodeDeviceScore(deviceScore);
    }
  }
  // Σ weight·score in the order NodePlugins.scores lists the plugins
  let total = 0;
  if (spec.leastRequestedWeight > 0) {
    const lr = leastAllocatedScore([
      { requested: nodes[o + 6] + (reqCpu || DEFAULT_CPU_MILLI_REQUEST), allocatable: cpu, weight: 1 },
      { requested: nodes[o + 7] + (reqMem || DEFAULT_MEM_MIB_REQUEST), allocatable: mem, weight: 1 },
    ]);
    total += spec.leastRequestedWeight * lr;
  }
  if (spec.balancedWeight > 0) {
    let br = 0;
    // nodeorder lists cpu, memory and nvidia.com/gpu; the GPU counts for a whole-GPU pod that asks for some
    const gpuAsked = !spec.vgpu && want > 0;
    if (reqCpu !== 0 || reqMem !== 0 || gpuAsked) {
      const fractions: number[] = [];
      if (cpu > 0) fractions.push(Math.min(1, (usedCpu + reqCpu) / cpu));
      if (mem > 0) fractions.push(Math.min(1, (usedMem + reqMem) / mem));
      if (gpuAsked && g > 0) {
        let usedSlots = 0;
        for (let k = 0; k < g; k++) usedSlots += gpus[(gpuBase + k) * GPU_WORDS + 3];
        fractions.push(Math.min(1, (usedSlots + want) / g));
      }
      br = balancedAllocationScore(fractions);
    }
    total += spec.balancedWeight * br;
  }
  if (binpack) {
    const resources: BinpackResource[] = [
      { name: 'cpu', request: reqCpu, used: usedCpu, allocatable: cpu },
      { name: 'memory', request: reqMem, used: usedMem, allocatable: mem },
    ];
    if (!spec.vgpu && want > 0) resources.push({ name: 'nvidia.com/gpu', request: want * MILLI, used: usedMilli, allocatable: g * MILLI });
    total += 1 * binpackScore(binpack, resources);
  }
  if (spec.vgpu && spec.deviceShare!.weight > 0) total += spec.deviceShare!.weight * deviceScore;
  return { total, reasons: 0 };
}

/**
 * The threshold table of shaders/lib/balancedThree.wgsl as a WGSL function (a switch: no per-invocation array to
 * initialise): balancedVarianceThresholds() packed as packDouble packs a Dbl. test/engine/balancedThree.test.ts
 * checks that the file holds exactly this text.
 */
export function balancedVarianceThresholdsWgsl(): string {
  const words = new Uint32Array(4);
  const rows = balancedVarianceThresholds().map((v, k) => {
    packDouble(v, words, 0);
    return `    case ${k}u: { return vec3<u32>(0x${words[0].toString(16)}u, 0x${words[1].toString(16)}u, 0x${words[2].toString(16)}u); }`;
  });
  return `fn balanced_threshold(k: u32) -> vec3<u32> {\n  switch (k) {\n${rows.join('\n')}\n    default: { return vec3<u32>(0u, 0u, 0u); }\n  }\n}\n`;
}
