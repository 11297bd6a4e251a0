/**
 * The canvas view's animations (dense clusters, ClusterView.tsx): a flyer for each pod bound (from the queue
 * above the view to its GPU, 650 ms, d3's default cubic easing, as the SVG flyers) and a flash on the node of
 * each eviction or OOM kill (2.5 s, fading). Kept apart from the component so the state machine (queued from a
 * frame, alive until its time is up, drawn at a time) is tested without a browser.
 */
import type { RunFrame, WorkloadKind } from '../../worker/protocol.ts';
import type { ClusterGeometry } from './clusterLayout.ts';

/** A flyer (a bound pod on its way from the queue to its GPU) or a flash (an eviction or OOM kill on its node). */
export type CanvasAnim =
  | { kind: 'fly'; t0: number; ms: number; from: { x: number; y: number }; to: { x: number; y: number }; color: string }
  | { kind: 'flash'; t0: number; ms: number; card: { x: number; y: number; w: number; h: number }; label: string };

/** Flyer duration (ms), as the SVG view's transition. */
export const FLY_MS = 650;
/** Flash duration (ms), as the SVG view's transition. */
export const FLASH_MS = 2500;
/** More binds than this in one frame fly none (a burst would be a blur, and costs a frame). */
export const MAX_FLYERS = 40;

/**
 * The animations a run's frame starts at `nowMs`: flyers for its binds (none with reduced motion or over
 * MAX_FLYERS), flashes for its evictions and OOM kills (1 ms with reduced motion).
 */
export function canvasAnimsOf(
  g: ClusterGeometry,
  gpuOffsets: readonly number[],
  r: Pick<RunFrame, 'changes'>,
  nowMs: number,
  reduced: boolean,
  colorOf: (kind: WorkloadKind) => string,
): CanvasAnim[] {
  const out: CanvasAnim[] = [];
  const binds = r.changes.filter((e) => e.type === 'bind');
  if (!reduced && binds.length <= MAX_FLYERS) {
    binds.forEach((e, k) => {
      const c = g.cells[(gpuOffsets[e.node] ?? 0) + (e.gpus[0] ?? 0)];
      const card = g.cards[e.node];
      if (!c && !card) return;
      const to = c ? { x: c.x + c.w / 2, y: c.y + c.h / 2 } : { x: card.x + card.w / 2, y: card.y + card.h / 2 };
      out.push({ kind: 'fly', t0: nowMs, ms: FLY_MS, from: { x: 12 + k * 10, y: -8 }, to, color: colorOf(e.kind) });
    });
  }
  for (const e of r.changes) {
    if (e.type !== 'oom' && e.type !== 'evict') continue;
    const card = g.cards[e.node];
    if (card) out.push({ kind: 'flash', t0: nowMs, ms: reduced ? 1 : FLASH_MS, card, label: e.type === 'oom' ? 'OOM kill' : 'evicted' });
  }
  return out;
}

/** The animations still running at `nowMs` (ms). */
export function liveAnims(anims: readonly CanvasAnim[], nowMs: number): CanvasAnim[] {
  return anims.filter((a) => nowMs - a.t0 < a.ms);
}

/** The part of a 2D context the animations draw with. */
export type AnimContext = Pick<
  CanvasRenderingContext2D,
  'beginPath' | 'arc' | 'fill' | 'stroke' | 'strokeRect' | 'fillText' | 'fillStyle' | 'strokeStyle' | 'lineWidth' | 'globalAlpha' | 'font'
>;

/** Where a flyer is at `nowMs` (its centre and radius), or null once it landed. */
export function flyerAt(a: Extract<CanvasAnim, { kind: 'fly' }>, nowMs: number): { x: number; y: number; r: number } | null {
  const k = Math.min(1, Math.max(0, (nowMs - a.t0) / a.ms));
  if (k >= 1) return null;
  // d3's default easing (cubic in-out), as the SVG flyers use.
  const e = k < 0.5 ? 4 * k * k * k : 1 - (-2 * k + 2) ** 3 / 2;
  return { x: a.from.x + (a.to.x - a.from.x) * e, y: a.from.y + (a.to.y - a.from.y) * e, r: 5 - 2 * e };
}

/** Draws the live flyers and flashes at time `nowMs`, in the view's coordinates (the zoom is already set). */
export function drawAnims(ctx: AnimContext, anims: readonly CanvasAnim[], nowMs: number, danger: string, fg: string): void {
  for (const a of anims) {
    const k = Math.min(1, Math.max(0, (nowMs - a.t0) / a.ms));
    if (k >= 1) continue;
    if (a.kind === 'fly') {
      const p = flyerAt(a, nowMs);
      if (!p) continue;
      ctx.beginPath();
      ctx.arc(p.x, p.y, p.r, 0, 2 * Math.PI);
      ctx.fillStyle = a.color;
      ctx.fill();
      ctx.strokeStyle = fg;
      ctx.lineWidth = 1;
      ctx.stroke();
    } else {
      ctx.globalAlpha = 1 - k;
      ctx.strokeStyle = danger;
      ctx.lineWidth = 3;
      ctx.strokeRect(a.card.x - 2, a.card.y - 2, a.card.w + 4, a.card.h + 4);
      ctx.fillStyle = danger;
      ctx.font = 'bold 10px system-ui, sans-serif';
      ctx.fillText(a.label, a.card.x + 2, a.card.y + a.card.h + 10);
      ctx.globalAlpha = 1;
    }
  }
}
