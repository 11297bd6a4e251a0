/**
 * The MIG slice grid of the cluster view (issue 17): on each GPU with MIG on under a MIG profile, eight memory-slice
 * columns; each booked instance drawn over the columns of its placement; under `k8s-mig` the static layout's free
 * instances as outlines (idle capacity the layout holds for profiles nobody asks for). Pure geometry.
 */
import { layoutInstances, migEnabled, migModelOf, placementIsFree } from '../../scenario/migCatalog.ts';
import type { NodePoolSpec } from '../../scenario/types.ts';

/** The profiles that run MIG (src/sched/profiles/mig.ts); others see MIG pools' GPUs whole. */
export const MIG_PROFILE_NAMES: readonly string[] = ['k8s-mig', 'hami-mig'];

/** A frame's packed MIG placement (RunFrame.sliceMig), or null for a booking without an instance. */
export function decodeMig(code: number): { start: number; size: number; g: number } | null {
  if ((code & 0x8000) === 0) return null;
  return { start: code & 0xf, size: (code >> 4) & 0xf, g: (code >> 8) & 0x7f };
}

/** The profile of a model with g compute and `size` memory slices (the small, non-media one), or `<g>g`. */
export function migProfileName(modelId: string, g: number, size: number): string {
  return migModelOf(modelId)?.profiles.find((p) => p.g === g && p.memSlices === size && !p.name.includes('+'))?.name ?? `${g}g`;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One drawn instance: its rectangle, its profile, and the tenant entry holding it (−1: a free static instance). */
export interface MigInstanceRect extends Rect {
  /** Flat GPU index. */
  gpu: number;
  profile: string;
  tenant: number;
}

export interface MigGrid {
  /** Flat indices of the GPUs drawn as MIG grids. */
  gpus: Set<number>;
  /** Memory-slice column boundaries, as vertical lines. */
  lines: { x: number; y1: number; y2: number }[];
  instances: MigInstanceRect[];
}

/** The node fields the grid needs (worker/protocol.ts LayoutNode has them). */
export interface GridNode {
  pool: string;
  gpuModel: string;
  gpus: number;
  gpuOffset: number;
}

/**
 * The MIG grid of one run: `cells` are the flat GPU cells of the view, `sliceGpu`/`sliceMig` the frame's tenant
 * entries. Nothing for a profile that does not run MIG.
 */
export function migGrid(cells: readonly Rect[], nodes: readonly GridNode[], pools: readonly NodePoolSpec[], profile: string, sliceGpu: ArrayLike<number>, sliceMig: ArrayLike<number> | undefined): MigGrid {
  const out: MigGrid = { gpus: new Set(), lines: [], instances: [] };
  if (!MIG_PROFILE_NAMES.includes(profile)) return out;
  const byPool = new Map(pools.filter((p) => migEnabled(p.mig) && migModelOf(p.gpuModel)).map((p) => [p.name, p]));
  const held = new Map<number, { start: number; size: number; g: number; tenant: number }[]>();
  if (sliceMig) {
    for (let i = 0; i < sliceGpu.length; i++) {
      const m = decodeMig(sliceMig[i]);
      if (!m) continue;
      const list = held.get(sliceGpu[i]) ?? [];
      list.push({ ...m, tenant: i });
      held.set(sliceGpu[i], list);
    }
  }
  for (const node of nodes) {
    const pool = byPool.get(node.pool);
    if (!pool) continue;
    const model = migModelOf(node.gpuModel)!;
    const cols = model.memorySlices;
    const layout = profile === 'k8s-mig' ? layoutInstances(node.gpuModel, pool.mig!) : null;
    for (let k = 0; k < node.gpus; k++) {
      const flat = node.gpuOffset + k;
      const c = cells[flat];
      if (!c) continue;
      out.gpus.add(flat);
      const colW = c.w / cols;
      for (let j = 1; j < cols; j++) out.lines.push({ x: c.x + j * colW, y1: c.y, y2: c.y + c.h - 4 });
      const mine = held.get(flat) ?? [];
      for (const m of mine) out.instances.push({ x: c.x + m.start * colW, y: c.y, w: Math.max(1, m.size * colW - 0.5), h: c.h - 4, gpu: flat, profile: migProfileName(node.gpuModel, m.g, m.size), tenant: m.tenant });
      if (layout?.ok) {
        for (const inst of layout.instances) {
          if (!placementIsFree(inst, mine)) continue;
          out.instances.push({ x: c.x + inst.start * colW + 0.5, y: c.y + 0.5, w: Math.max(1, inst.size * colW - 1.5), h: c.h - 5, gpu: flat, profile: inst.profile, tenant: -1 });
        }
      }
    }
  }
  return out;
}
