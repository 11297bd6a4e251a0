/**
 * Where each node card and GPU cell goes in the cluster view: nodes grouped by pool, then rack; cards flow
 * left to right and wrap at the view's width. Pure geometry, shared by the SVG and the canvas renderers.
 */
import type { LayoutNode } from '../../worker/protocol.ts';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ClusterGeometry {
  width: number;
  height: number;
  /** One card per node, in layout order. */
  cards: Rect[];
  /** One cell per flat GPU index. */
  cells: Rect[];
  /** CPU and memory bars per node (drawn under the GPU cells). */
  cpuBars: Rect[];
  memBars: Rect[];
  /** A labelled frame per (pool, rack) group. */
  groups: (Rect & { label: string })[];
}

/** Cell size and spacing; `compact` is used for big clusters (canvas). */
export interface CellMetrics {
  cellW: number;
  cellH: number;
  gap: number;
  pad: number;
  header: number;
  bar: number;
  perRow: number;
}

export const NORMAL_CELLS: CellMetrics = { cellW: 16, cellH: 22, gap: 2, pad: 4, header: 13, bar: 3, perRow: 8 };
export const MEDIUM_CELLS: CellMetrics = { cellW: 8, cellH: 12, gap: 1, pad: 3, header: 10, bar: 2, perRow: 8 };
export const COMPACT_CELLS: CellMetrics = { cellW: 5, cellH: 7, gap: 1, pad: 2, header: 0, bar: 1, perRow: 8 };

/** Lays out the nodes inside `width` pixels. Groups keep the nodes' order of first appearance. */
export function layoutCluster(nodes: readonly LayoutNode[], width: number, m: CellMetrics = NORMAL_CELLS): ClusterGeometry {
  const groupGap = m.header > 0 ? 8 : 4;
  const groupHeader = m.header > 0 ? 14 : 0;
  const cards: Rect[] = new Array(nodes.length);
  const cpuBars: Rect[] = new Array(nodes.length);
  const memBars: Rect[] = new Array(nodes.length);
  const total = nodes.reduce((s, n) => s + n.gpus, 0);
  const cells: Rect[] = new Array(total);
  const groups: (Rect & { label: string })[] = [];
  const order = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    const key = `${n.pool} · ${n.rack}`;
    const list = order.get(key);
    if (list) list.push(i);
    else order.set(key, [i]);
  });
  let y = 0;
  for (const [label, members] of order) {
    const gx = 0;
    const gy = y;
    let x = gx + m.pad;
    let rowY = gy + groupHeader + m.pad;
    let rowH = 0;
    let maxX = x;
    for (const i of members) {
      const n = nodes[i];
      const cols = Math.max(1, Math.min(n.gpus, m.perRow));
      const rows = Math.max(1, Math.ceil(n.gpus / m.perRow));
      const w = m.pad * 2 + cols * (m.cellW + m.gap) - m.gap;
      const h = m.header + m.pad * 2 + (n.gpus > 0 ? rows * (m.cellH + m.gap) : 0) + 2 * (m.bar + m.gap);
      if (x > gx + m.pad && x + w > width - m.pad) {
        x = gx + m.pad;
        rowY += rowH + m.gap * 2;
        rowH = 0;
      }
      cards[i] = { x, y: rowY, w, h };
      for (let g = 0; g < n.gpus; g++) {
        const c = g % m.perRow;
        const r = Math.floor(g / m.perRow);
        cells[n.gpuOffset + g] = { x: x + m.pad + c * (m.cellW + m.gap), y: rowY + m.header + m.pad + r * (m.cellH + m.gap), w: m.cellW, h: m.cellH };
      }
      const barY = rowY + h - m.pad - 2 * m.bar - m.gap;
      cpuBars[i] = { x: x + m.pad, y: barY, w: w - 2 * m.pad, h: m.bar };
      memBars[i] = { x: x + m.pad, y: barY + m.bar + m.gap, w: w - 2 * m.pad, h: m.bar };
      x += w + m.gap * 2;
      maxX = Math.max(maxX, x);
      rowH = Math.max(rowH, h);
    }
    const gh = rowY + rowH + m.pad - gy;
    groups.push({ label, x: gx, y: gy, w: Math.min(Math.max(maxX, 60), width), h: gh });
    y = gy + gh + groupGap;
  }
  return { width, height: Math.max(y - groupGap, 0), cards, cells, cpuBars, memBars, groups };
}

/** The largest cell size whose layout fits `maxHeight` (the compact one when none does). */
export function fitCluster(nodes: readonly LayoutNode[], width: number, maxHeight: number): ClusterGeometry {
  for (const m of [NORMAL_CELLS, MEDIUM_CELLS]) {
    const g = layoutCluster(nodes, width, m);
    if (g.height <= maxHeight) return g;
  }
  return layoutCluster(nodes, width, COMPACT_CELLS);
}

/** The flat GPU index under a point, or −1 (for hover and clicks on the canvas). */
export function cellAt(geo: ClusterGeometry, x: number, y: number): number {
  for (let i = 0; i < geo.cells.length; i++) {
    const c = geo.cells[i];
    if (x >= c.x && x < c.x + c.w && y >= c.y && y < c.y + c.h) return i;
  }
  return -1;
}

/** The node index of a flat GPU index. */
export function nodeOfGpu(nodes: readonly LayoutNode[], gpu: number): number {
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (nodes[mid].gpuOffset <= gpu) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
