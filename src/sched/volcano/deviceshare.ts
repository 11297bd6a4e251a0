/**
 * Volcano's deviceshare plugin with vGPU (HAMi-core slices scheduled by Volcano itself), as in Volcano v1.15
 * pkg/scheduler/api/devices/nvidia/vgpu/utils.go (checkNodeGPUSharingPredicateAndScore, GPUScore):
 * - GPU order: `binpack` sorts by used memory descending, `spread` by used count ascending, ties to the lower
 *   index; the first cards that fit are taken.
 * - Per card: used count < split count; free memory ≥ request (no memory asked ⇒ the whole card, as
 *   `vgpu-memory-percentage: 100`); used cores + cores ≤ 100; cores = 100 wants the card alone; cores 0 does
 *   not fit a card whose cores are all used.
 * - GPU score, after the card took the pod: binpack 100·usedMem/memory; spread 100 only when the card's used
 *   count is 0, which it never is after the add, so spread scores 0 in v1.15 (see DEVICESHARE_SPREAD_NOTE in src/scenario/profileCatalog.ts).
 * - Node device score: the GPU scores summed and rounded to an integer, floor(s + 0.5), before the plugin
 *   multiplies it by ScheduleWeight (plugins/deviceshare/deviceshare.go getDeviceScore, NodeOrderFn).
 * Our model keeps one more invariant: a card never books over 1000 milli-GPU.
 */
import type { GpuState, NodeState } from '../../model/cluster.ts';
import type { GpuBooking, Pod } from '../../model/pod.ts';
import { GPU_CORES, GPU_MILLI } from '../../model/units.ts';
import { unschedulable, type Status } from '../status.ts';

export type DeviceSharePolicy = 'binpack' | 'spread';

export interface DeviceShareConfig {
  policy: DeviceSharePolicy;
  /** Sharers per card (the device plugin's deviceSplitCount, default 10). */
  splitCount: number;
  /** `deviceshare.ScheduleWeight`: multiplies the node's device score (0 = not scored). */
  weight: number;
}

const BINPACK_MULTIPLIER = 100;
const SPREAD_MULTIPLIER = 100;

/** Card indices in the order the policy tries them. */
export function deviceOrder(gpus: readonly GpuState[], policy: DeviceSharePolicy): number[] {
  const idx = gpus.map((_, i) => i);
  if (policy === 'binpack') idx.sort((a, b) => gpus[b].usedMemMiB - gpus[a].usedMemMiB || a - b);
  else idx.sort((a, b) => gpus[a].usedSlots - gpus[b].usedSlots || a - b);
  return idx;
}

/** GPUScore of one card given its usage after the pod was added. */
export function gpuScore(policy: DeviceSharePolicy, usedMemMiB: number, memMiB: number, usedSlots: number): number {
  if (policy === 'binpack') return memMiB === 0 ? 0 : BINPACK_MULTIPLIER * (usedMemMiB / memMiB);
  return usedSlots === 0 ? SPREAD_MULTIPLIER : 0;
}

/** deviceshare.go getDeviceScore: the summed GPU scores rounded half up to an integer, int64(math.Floor(s + 0.5)). */
export function nodeDeviceScore(sum: number): number {
  return Math.floor(sum + 0.5);
}

/** Result of fitting a pod's vGPU request on a node (`score`: the node device score, an integer), or deviceshare's status. */
export type DeviceFit = { gpus: GpuBooking[]; score: number } | { status: Status };

/** Fits the pod's GPUs on the node by the deviceshare rules; the score is nodeDeviceScore(Σ GPUScore of the chosen cards). */
export function fitVgpu(pod: Pod, node: NodeState, cfg: DeviceShareConfig): DeviceFit {
  const r = pod.request;
  if (r.gpuCount === 0) return { gpus: [], score: 0 };
  if (r.gpuCount > node.gpus.length) return { status: unschedulable('deviceshare', 'no enough gpu cards on node') };
  const cores = Math.min(r.gpuCores, GPU_CORES);
  const out: GpuBooking[] = [];
  let score = 0;
  for (const i of deviceOrder(node.gpus, cfg.policy)) {
    const g = node.gpus[i];
    if (!g.healthy) continue;
    if (g.usedSlots >= cfg.splitCount) continue;
    const mem = r.gpuMemMiB > 0 ? r.gpuMemMiB : g.memMiB;
    if (g.memMiB - g.usedMemMiB < mem) continue;
    if (g.usedCores + cores > g.cores) continue;
    if (cores === GPU_CORES && g.usedSlots > 0) continue;
    if (g.usedCores === g.cores && cores === 0) continue;
    if (r.gpuModels.length > 0 && !r.gpuModels.includes(g.model)) continue;
    if (g.usedMilli + r.gpuMilli > GPU_MILLI) continue;
    out.push({ gpu: g.index, milli: r.gpuMilli, memMiB: mem, cores, slots: 1 });
    score += gpuScore(cfg.policy, g.usedMemMiB + mem, g.memMiB, g.usedSlots + 1);
    if (out.length === r.gpuCount) return { gpus: out, score: nodeDeviceScore(score) };
  }
  return { status: unschedulable('deviceshare', 'not enough gpu fitted on this node') };
}
