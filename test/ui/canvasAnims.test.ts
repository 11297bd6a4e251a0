import { describe, expect, it } from 'vitest';
import { canvasAnimsOf, drawAnims, FLASH_MS, FLY_MS, flyerAt, liveAnims, MAX_FLYERS, type AnimContext, type CanvasAnim } from '../../src/ui/lib/canvasAnims.ts';
import { COMPACT_CELLS, layoutCluster } from '../../src/ui/lib/clusterLayout.ts';
import type { FrameEvent, LayoutNode } from '../../src/worker/protocol.ts';

/** Three 8-GPU nodes in one rack (the canvas view's compact cells). */
const NODES: LayoutNode[] = [0, 1, 2].map((i) => ({ name: `n${i}`, pool: 'p', rack: 'r', gpuModel: 'A100', gpus: 8, cpuMilli: 64000, memMiB: 512 * 1024, topology: 'none', gpuOffset: i * 8 }));
const GEO = layoutCluster(NODES, 600, COMPACT_CELLS);
const OFFSETS = NODES.map((n) => n.gpuOffset);
const color = (k: string): string => `colour-of-${k}`;

const ev = (type: FrameEvent['type'], node: number, gpus: number[] = []): FrameEvent => ({ type, uid: 1, pod: 'p', kind: 'training', node, gpus });

/** A context that records what is drawn (a canvas without a browser). */
function recorder(): AnimContext & { ops: string[] } {
  const ops: string[] = [];
  const ctx = {
    ops,
    fillStyle: '' as AnimContext['fillStyle'],
    strokeStyle: '' as AnimContext['strokeStyle'],
    lineWidth: 1,
    globalAlpha: 1,
    font: '',
    beginPath: () => ops.push('beginPath'),
    arc: (x: number, y: number, r: number) => ops.push(`arc ${x.toFixed(2)} ${y.toFixed(2)} ${r.toFixed(2)}`),
    fill: () => ops.push(`fill ${String(ctx.fillStyle)}`),
    stroke: () => ops.push('stroke'),
    strokeRect: (x: number, y: number, w: number, h: number) => ops.push(`strokeRect ${x} ${y} ${w} ${h} alpha ${ctx.globalAlpha.toFixed(2)}`),
    fillText: (t: string) => ops.push(`text ${t}`),
  };
  return ctx as unknown as AnimContext & { ops: string[] };
}

describe('canvas animations (dense cluster views)', () => {
  it('starts a flyer to the bound GPU and a flash on the node of an eviction or OOM kill', () => {
    const anims = canvasAnimsOf(GEO, OFFSETS, { changes: [ev('bind', 1, [3]), ev('oom', 2), ev('evict', 0), ev('finish', 1)] }, 1000, false, color);
    const cell = GEO.cells[8 + 3];
    expect(anims).toEqual([
      { kind: 'fly', t0: 1000, ms: FLY_MS, from: { x: 12, y: -8 }, to: { x: cell.x + cell.w / 2, y: cell.y + cell.h / 2 }, color: 'colour-of-training' },
      { kind: 'flash', t0: 1000, ms: FLASH_MS, card: GEO.cards[2], label: 'OOM kill' },
      { kind: 'flash', t0: 1000, ms: FLASH_MS, card: GEO.cards[0], label: 'evicted' },
    ]);
  });

  it('draws a flyer moving from the queue to its GPU, then nothing once it landed', () => {
    const [fly] = canvasAnimsOf(GEO, OFFSETS, { changes: [ev('bind', 2, [7])] }, 0, false, color) as Extract<CanvasAnim, { kind: 'fly' }>[];
    const at = (t: number): string[] => {
      const ctx = recorder();
      drawAnims(ctx, [fly], t, 'red', 'white');
      return ctx.ops;
    };
    // Start: at the queue, radius 5; half way (cubic in-out is ½ at ½): the midpoint; the end: gone.
    expect(at(0)[1]).toBe(`arc 12.00 -8.00 5.00`);
    const mid = flyerAt(fly, FLY_MS / 2)!;
    expect(mid.x).toBeCloseTo((12 + fly.to.x) / 2, 9);
    expect(mid.y).toBeCloseTo((-8 + fly.to.y) / 2, 9);
    expect(at(FLY_MS / 2)).toEqual(['beginPath', `arc ${mid.x.toFixed(2)} ${mid.y.toFixed(2)} 4.00`, 'fill colour-of-training', 'stroke']);
    expect(at(FLY_MS)).toEqual([]);
    expect(liveAnims([fly], FLY_MS - 1)).toHaveLength(1);
    expect(liveAnims([fly], FLY_MS)).toHaveLength(0);
  });

  it('fades a flash over its time and labels it', () => {
    const anims = canvasAnimsOf(GEO, OFFSETS, { changes: [ev('oom', 1)] }, 0, false, color);
    const ctx = recorder();
    drawAnims(ctx, anims, FLASH_MS * 0.75, 'red', 'white');
    const c = GEO.cards[1];
    expect(ctx.ops).toEqual([`strokeRect ${c.x - 2} ${c.y - 2} ${c.w + 4} ${c.h + 4} alpha 0.25`, 'text OOM kill']);
    expect(ctx.globalAlpha).toBe(1);
  });

  it('flies nothing with reduced motion or in a burst, but still flashes', () => {
    const burst = Array.from({ length: MAX_FLYERS + 1 }, (_, i) => ev('bind', i % 3, [i % 8]));
    expect(canvasAnimsOf(GEO, OFFSETS, { changes: burst }, 0, false, color)).toEqual([]);
    expect(canvasAnimsOf(GEO, OFFSETS, { changes: burst.slice(0, MAX_FLYERS) }, 0, false, color)).toHaveLength(MAX_FLYERS);
    const reduced = canvasAnimsOf(GEO, OFFSETS, { changes: [ev('bind', 0, [0]), ev('evict', 0)] }, 0, true, color);
    expect(reduced.map((a) => [a.kind, a.ms])).toEqual([['flash', 1]]);
  });
});
