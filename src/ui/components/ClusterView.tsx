/**
 * The animated cluster view of one run: node cards grouped by pool and rack, each GPU a cell filled by its
 * slices (coloured by workload kind) with a bar for the compute really used, CPU and memory bars per node.
 * SVG for small clusters; canvas beyond CANVAS_NODES nodes or CANVAS_GPUS GPUs. Zoom and pan with d3-zoom; pods
 * fly from the queue into their GPUs and evictions and OOM kills flash on their cards (d3 transitions in SVG, the
 * same motions drawn each animation frame on the canvas). Hover or focus a GPU for
 * its memory, cores and tenants; click it, or press Enter on it, for its history. The GPUs are one Tab stop (the
 * cells in SVG, the canvas itself): the arrow keys move between them (←/→ the next GPU, ↑/↓ the next node). The tooltip is placed in the
 * window, never clipped by the view's edges.
 */
import { createEffect, createMemo, createSignal, Index, onCleanup, onMount, Show, untrack, type JSX } from 'solid-js';
import { select, zoom, zoomIdentity, type ZoomTransform } from 'd3';
import 'd3-transition';
import { KIND_CODES, type Frame, type RunFrame } from '../../worker/protocol.ts';
import { cellAt, COMPACT_CELLS, fitCluster, layoutCluster, nodeOfGpu, type ClusterGeometry } from '../lib/clusterLayout.ts';
import { gib } from '../lib/format.ts';
import { KIND_COLOR } from '../lib/palette.ts';
import type { Workbench } from '../stores/workbench.ts';
import { decodeMig, migGrid, migProfileName, type MigGrid } from '../lib/migGrid.ts';
import { canvasAnimsOf, drawAnims, liveAnims, type CanvasAnim } from '../lib/canvasAnims.ts';

/** Above this many nodes the view draws on a canvas. */
export const CANVAS_NODES = 300;
/** Above this many GPUs too: thousands of SVG cells updated each frame are what slows playback of dense views. */
export const CANVAS_GPUS = 256;

interface Hover {
  gpu: number;
  x: number;
  y: number;
}

/** Per-slice rectangles of a frame (slices share a cell side by side, in proportion to their milli-GPU). */
function sliceRects(geo: ClusterGeometry, r: RunFrame): { x: number; y: number; w: number; h: number; color: string }[] {
  const total = new Map<number, number>();
  for (let i = 0; i < r.sliceGpu.length; i++) total.set(r.sliceGpu[i], (total.get(r.sliceGpu[i]) ?? 0) + r.sliceMilli[i]);
  const acc = new Map<number, number>();
  const out: { x: number; y: number; w: number; h: number; color: string }[] = [];
  for (let i = 0; i < r.sliceGpu.length; i++) {
    const g = r.sliceGpu[i];
    const c = geo.cells[g];
    // MIG instances are drawn at their placement by the MIG grid (lib/migGrid.ts), not stacked
    if (!c || (r.sliceMig && r.sliceMig[i] !== 0)) continue;
    const denom = Math.max(1000, total.get(g) ?? 0);
    const a = acc.get(g) ?? 0;
    acc.set(g, a + r.sliceMilli[i]);
    out.push({ x: c.x + (a / denom) * c.w, y: c.y, w: Math.max(1, (r.sliceMilli[i] / denom) * c.w - 0.5), h: c.h - 4, color: KIND_COLOR[KIND_CODES[r.sliceKind[i]]] });
  }
  return out;
}

/** Cluster view of run `run`. */
export function ClusterView(props: { wb: Workbench; run: number; height?: number }): JSX.Element {
  let box!: HTMLDivElement;
  let svg: SVGSVGElement | undefined;
  let canvas: HTMLCanvasElement | undefined;
  let flyers: SVGGElement | undefined;
  const [width, setWidth] = createSignal(600);
  const [transform, setTransform] = createSignal<ZoomTransform>(zoomIdentity);
  const [hover, setHover] = createSignal<Hover | null>(null);
  /** The GPU cell that takes the Tab stop (roving tabindex). */
  const [focusGpu, setFocusGpu] = createSignal(0);
  let tip: HTMLDivElement | undefined;
  const layout = () => props.wb.layout();
  const big = () => (layout()?.nodes.length ?? 0) > CANVAS_NODES || (layout()?.totalGpus ?? 0) > CANVAS_GPUS;
  const [canvasFocused, setCanvasFocused] = createSignal(false);
  const geo = createMemo(() => {
    const L = layout();
    if (!L) return null;
    return big() ? layoutCluster(L.nodes, width(), COMPACT_CELLS) : fitCluster(L.nodes, width(), props.height ?? 300);
  });
  const runFrame = (): RunFrame | undefined => props.wb.frame()?.runs[props.run];
  const slices = createMemo(() => {
    const g = geo();
    const r = runFrame();
    return g && r && !big() ? sliceRects(g, r) : [];
  });
  const emptyGrid: MigGrid = { gpus: new Set(), lines: [], instances: [] };
  const mig = createMemo((): MigGrid => {
    const g = geo();
    const r = runFrame();
    const L = layout();
    if (!g || !r || !L || big()) return emptyGrid;
    return migGrid(g.cells, L.nodes, props.wb.scenario.cluster.pools, L.runs[props.run]?.profile ?? '', r.sliceGpu, r.sliceMig);
  });
  // SVG views take the height of their drawing (up to the given maximum); canvas views the maximum.
  const height = (): number => {
    const max = props.height ?? 300;
    const g = geo();
    return big() || !g ? max : Math.max(90, Math.min(max, Math.ceil(g.height) + 6));
  };

  onMount(() => {
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0].contentRect.width);
      if (w > 0) setWidth(w);
    });
    ro.observe(box);
    onCleanup(() => ro.disconnect());
    const off = props.wb.onFrame((f) => animate(f));
    onCleanup(off);
  });

  // Zoom and pan on whichever surface is shown; a new scenario resets the view.
  createEffect(() => {
    props.wb.loads();
    const el = (big() ? canvas : svg) as Element | undefined;
    if (!el) return;
    const z = zoom<Element, unknown>()
      .scaleExtent([0.3, 12])
      .on('zoom', (e: { transform: ZoomTransform }) => setTransform(e.transform));
    const sel = select(el);
    sel.call(z);
    sel.call(z.transform, zoomIdentity);
    sel.on('dblclick.zoom', null);
    onCleanup(() => sel.on('.zoom', null));
  });

  const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

  // Canvas views animate the same way as SVG ones: flyers and flashes kept here, drawn by the canvas renderer
  // on each animation frame while any is alive.
  const canvasAnims: CanvasAnim[] = [];
  const [animClock, setAnimClock] = createSignal(0);
  let animLoop = 0;
  const runAnims = (): void => {
    if (animLoop) return;
    const step = (now: number): void => {
      const alive = liveAnims(canvasAnims, now);
      canvasAnims.splice(0, canvasAnims.length, ...alive);
      setAnimClock(now);
      animLoop = alive.length ? requestAnimationFrame(step) : 0;
    };
    animLoop = requestAnimationFrame(step);
  };
  onCleanup(() => cancelAnimationFrame(animLoop));

  /** Flyers for binds (queue → GPU) and flashes for evictions and OOM kills. */
  function animate(f: Frame): void {
    const g = geo();
    const r = f.runs[props.run];
    if (!g || !r || f.replayed) return;
    if (big()) {
      animateCanvas(g, r);
      return;
    }
    if (!flyers) return;
    const layer = select(flyers);
    const binds = r.changes.filter((e) => e.type === 'bind');
    if (!reduced && binds.length <= 40) {
      binds.forEach((e, k) => {
        const c = g.cells[(layout()?.nodes[e.node]?.gpuOffset ?? 0) + (e.gpus[0] ?? 0)];
        const card = g.cards[e.node];
        const to = c ? { x: c.x + c.w / 2, y: c.y + c.h / 2 } : { x: card.x + card.w / 2, y: card.y + card.h / 2 };
        layer
          .append('circle')
          .attr('r', 5)
          .attr('cx', 12 + k * 10)
          .attr('cy', -8)
          .attr('fill', KIND_COLOR[e.kind])
          .style('stroke', 'var(--fg)')
          .transition()
          .duration(650)
          .attr('cx', to.x)
          .attr('cy', to.y)
          .attr('r', 3)
          .remove();
      });
    }
    for (const e of r.changes) {
      if (e.type !== 'oom' && e.type !== 'evict') continue;
      const card = g.cards[e.node];
      if (!card) continue;
      layer
        .append('rect')
        .attr('class', `flash ${e.type}`)
        .attr('x', card.x - 2)
        .attr('y', card.y - 2)
        .attr('width', card.w + 4)
        .attr('height', card.h + 4)
        .transition()
        .duration(reduced ? 1 : 2500)
        .style('opacity', 0)
        .remove();
      layer
        .append('text')
        .attr('class', `flash-label ${e.type}`)
        .attr('x', card.x + 2)
        .attr('y', card.y + card.h + 10)
        .text(e.type === 'oom' ? 'OOM kill' : 'evicted')
        .transition()
        .duration(reduced ? 1 : 2500)
        .style('opacity', 0)
        .remove();
    }
  }

  /** Queues a frame's flyers and flashes for the canvas (the SVG path's durations and limits). */
  function animateCanvas(g: ClusterGeometry, r: RunFrame): void {
    const offsets = (layout()?.nodes ?? []).map((n) => n.gpuOffset);
    canvasAnims.push(...canvasAnimsOf(g, offsets, r, performance.now(), reduced, (k) => KIND_COLOR[k]));
    if (canvasAnims.length) runAnims();
  }

  // Canvas renderer for big clusters. What it draws is tracked here; the drawing itself runs once per animation
  // frame (a frame applied and an animation step in the same animation frame paint the canvas once, not twice).
  let drawQueued = 0;
  /**
   * The theme's colours the canvas paints with, read once per theme: getComputedStyle in every draw made the page
   * recompute its styles each animation frame. A class or style change on the app (the theme toggle, the system's
   * theme followed live) clears them and repaints.
   */
  let colors: { card: string; cell: string; danger: string; fg: string; focus: string } | null = null;
  const [themeVersion, setThemeVersion] = createSignal(0);
  onMount(() => {
    const mo = new MutationObserver(() => {
      colors = null;
      setThemeVersion((v) => v + 1);
    });
    for (const el of new Set([box.closest('.app'), document.documentElement])) if (el) mo.observe(el, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
    onCleanup(() => mo.disconnect());
  });
  const themeColors = (): NonNullable<typeof colors> => {
    if (colors) return colors;
    const css = getComputedStyle(box);
    const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
    colors = { card: v('--card', '#222'), cell: v('--cell', '#444'), danger: v('--danger', '#ff6b6b'), fg: v('--fg', '#fff'), focus: v('--focus', '#ffd33d') };
    return colors;
  };
  let backdrop: { canvas: HTMLCanvasElement; geo: ClusterGeometry; t: ZoomTransform; w: number; h: number; card: string; cell: string } | null = null;
  onCleanup(() => cancelAnimationFrame(drawQueued));
  createEffect(() => {
    if (!big() || !canvas) return;
    geo();
    runFrame();
    transform();
    animClock();
    width();
    height();
    canvasFocused();
    focusGpu();
    themeVersion();
    if (!drawQueued) {
      drawQueued = requestAnimationFrame((now) => {
        drawQueued = 0;
        drawCanvas(now);
      });
    }
  });
  /** Paints the canvas view: cards, cells filled by kind and booked share, the animations, the focused GPU. */
  function drawCanvas(now: number): void {
    if (!big() || !canvas) return;
    const g = geo();
    const r = runFrame();
    const t = transform();
    const ctx = canvas.getContext('2d');
    if (!g || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    // Resizing a canvas reallocates it: only when its size changed.
    const [cw, ch] = [Math.floor(width() * dpr), Math.floor(height() * dpr)];
    if (canvas.width !== cw) canvas.width = cw;
    if (canvas.height !== ch) canvas.height = ch;
    const theme = themeColors();
    const cardColor = theme.card;
    const cellColor = theme.cell;
    // The empty cards and cells (thousands of rectangles in the full openb trace) change only with the layout,
    // the zoom, the size or the theme: painted once into a backdrop and copied each frame.
    const b = backdrop;
    if (!b || b.geo !== g || b.t !== t || b.w !== cw || b.h !== ch || b.card !== cardColor || b.cell !== cellColor) {
      const off = b?.canvas ?? document.createElement('canvas');
      off.width = cw;
      off.height = ch;
      const o = off.getContext('2d');
      if (!o) return;
      o.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
      o.fillStyle = cardColor;
      for (const c of g.cards) o.fillRect(c.x, c.y, c.w, c.h);
      o.fillStyle = cellColor;
      for (const c of g.cells) o.fillRect(c.x, c.y, c.w, c.h);
      backdrop = { canvas: off, geo: g, t, w: cw, h: ch, card: cardColor, cell: cellColor };
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, cw, ch);
    ctx.drawImage(backdrop!.canvas, 0, 0);
    ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
    if (!r) return;
    // Big clusters: each cell coloured by its largest tenant's kind, its height by booked share.
    for (let i = 0; i < r.sliceGpu.length; i++) {
      const c = g.cells[r.sliceGpu[i]];
      const milli = Math.min(1000, r.gpuMilli[r.sliceGpu[i]]);
      ctx.fillStyle = KIND_COLOR[KIND_CODES[r.sliceKind[i]]];
      const h = (c.h * milli) / 1000;
      ctx.fillRect(c.x, c.y + c.h - h, c.w, h);
    }
    drawAnims(ctx, canvasAnims, now, theme.danger, theme.fg);
    const fc = canvasFocused() ? g.cells[focusGpu()] : undefined;
    if (fc) {
      ctx.strokeStyle = theme.focus;
      ctx.lineWidth = 2 / t.k;
      ctx.strokeRect(fc.x - 1, fc.y - 1, fc.w + 2, fc.h + 2);
    }
  }

  const tooltip = createMemo(() => {
    const h = hover();
    const L = layout();
    const r = runFrame();
    if (!h || !L || !r) return null;
    const node = nodeOfGpu(L.nodes, h.gpu);
    const n = L.nodes[node];
    const tenants: string[] = [];
    for (let i = 0; i < r.sliceGpu.length; i++) {
      if (r.sliceGpu[i] !== h.gpu) continue;
      const m = r.sliceMig ? decodeMig(r.sliceMig[i]) : null;
      const what = m ? `MIG ${migProfileName(n.gpuModel, m.g, m.size)} on memory slices ${m.start}–${m.start + m.size - 1}` : `${r.sliceMilli[i]} milli`;
      tenants.push(`${props.wb.nameOf(props.run, r.sliceUid[i])} (${KIND_CODES[r.sliceKind[i]]}, ${what})`);
    }
    const free = mig().instances.filter((x) => x.tenant < 0 && x.gpu === h.gpu).map((x) => x.profile);
    return {
      x: h.x,
      y: h.y,
      title: `${n.name} · GPU ${h.gpu - n.gpuOffset} · ${n.gpuModel}`,
      lines: [
        `Booked: ${r.gpuMilli[h.gpu]} milli-GPU, memory ${gib(r.gpuMemMiB[h.gpu])} of ${gib(L.gpuMemMiB[h.gpu])}`,
        `Compute used: ${r.gpuUsedPct[h.gpu]}% of the cores · NUMA ${L.gpuNuma[h.gpu]}`,
        tenants.length ? `Tenants: ${tenants.join(', ')}` : 'No tenants',
        ...(free.length ? [`Idle MIG instances: ${free.join(', ')}`] : []),
      ],
    };
  });

  const gpuFromEvent = (e: MouseEvent): number => {
    if (big()) {
      const g = geo();
      if (!g || !canvas) return -1;
      const rect = canvas.getBoundingClientRect();
      const t = transform();
      return cellAt(g, (e.clientX - rect.left - t.x) / t.k, (e.clientY - rect.top - t.y) / t.k);
    }
    const target = (e.target as Element).closest('[data-gpu]');
    return target ? Number(target.getAttribute('data-gpu')) : -1;
  };
  const onMove = (e: MouseEvent): void => {
    const gpu = gpuFromEvent(e);
    if (gpu < 0) {
      setHover(null);
      return;
    }
    setHover({ gpu, x: e.clientX + 12, y: e.clientY + 12 });
  };
  const openGpu = (gpu: number): void => {
    const L = layout();
    if (gpu < 0 || !L) return;
    const node = nodeOfGpu(L.nodes, gpu);
    props.wb.select({ type: 'gpu', run: props.run, node, gpu: gpu - L.nodes[node].gpuOffset });
  };
  const onClick = (e: MouseEvent): void => openGpu(gpuFromEvent(e));
  const cellEl = (gpu: number): SVGRectElement | null => svg?.querySelector<SVGRectElement>(`.cell[data-gpu="${gpu}"]`) ?? null;
  /** Shows the tooltip beside a focused cell. */
  const hoverCell = (gpu: number): void => {
    if (big()) {
      // The cell's place on the canvas, through the zoom.
      const c = geo()?.cells[gpu];
      const r = canvas?.getBoundingClientRect();
      const t = transform();
      if (c && r) setHover({ gpu, x: r.left + t.x + (c.x + c.w) * t.k + 6, y: r.top + t.y + (c.y + c.h) * t.k + 6 });
      return;
    }
    const r = cellEl(gpu)?.getBoundingClientRect();
    if (r) setHover({ gpu, x: r.right + 6, y: r.bottom + 6 });
  };
  const onCellKey = (e: KeyboardEvent, gpu: number): void => {
    const L = layout();
    if (!L) return;
    let to = -1;
    if (e.key === 'Enter' || e.key === ' ') {
      openGpu(gpu);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      to = Math.max(0, Math.min(L.totalGpus - 1, gpu + (e.key === 'ArrowRight' ? 1 : -1)));
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      // The first GPU of the next (or previous) node that has GPUs.
      const node = nodeOfGpu(L.nodes, gpu);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      for (let n = node + step; n >= 0 && n < L.nodes.length; n += step) {
        if (L.nodes[n].gpus > 0) {
          to = L.nodes[n].gpuOffset;
          break;
        }
      }
      if (to < 0) to = gpu;
    } else if (e.key === 'Home' || e.key === 'End') {
      to = e.key === 'Home' ? 0 : L.totalGpus - 1;
    } else return;
    // The cells own these keys: playback's arrows, Space, Home and End (App.tsx) must not act too.
    e.preventDefault();
    e.stopPropagation();
    if (to >= 0) {
      setFocusGpu(to);
      if (big()) hoverCell(to);
      else cellEl(to)?.focus();
    }
  };
  // Keeps the tooltip inside the window: shifted left at the right edge, above the pointer at the bottom.
  createEffect(() => {
    const t = tooltip();
    if (!t || !tip) return;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    const left = Math.max(4, Math.min(t.x, innerWidth - w - 4));
    const top = t.y + h > innerHeight - 4 ? Math.max(4, t.y - h - 24) : t.y;
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  });

  /** A GPU's accessible name: which GPU of which node (the tooltip and the why-here panel tell the rest). */
  const gpuName = (gpu: number): string => {
    const L = layout();
    if (!L) return `GPU ${gpu}`;
    const n = L.nodes[nodeOfGpu(L.nodes, gpu)];
    return `GPU ${gpu - n.gpuOffset} of ${n.name}, why here?`;
  };

  /**
   * What a screen reader hears when a GPU of the canvas view takes focus (the canvas is one image, so its focused
   * GPU is announced in a live region): which GPU, and its booking when it was focused (not re-read every frame).
   */
  const focusAnnouncement = createMemo((): string => {
    if (!big() || !canvasFocused()) return '';
    const gpu = focusGpu();
    const L = layout();
    if (!L) return '';
    const n = L.nodes[nodeOfGpu(L.nodes, gpu)];
    const r = untrack(runFrame);
    let tenants = 0;
    if (r) for (let i = 0; i < r.sliceGpu.length; i++) if (r.sliceGpu[i] === gpu) tenants++;
    const booked = r ? `${r.gpuMilli[gpu]} milli-GPU booked, ${tenants} ${tenants === 1 ? 'tenant' : 'tenants'}` : 'no run';
    return `GPU ${gpu - n.gpuOffset} of ${n.name} (${n.gpuModel}): ${booked}. Enter for its history.`;
  });

  const label = (): string => {
    const L = layout();
    const r = runFrame();
    if (!L || !r) return 'Cluster view';
    let booked = 0;
    for (let i = 0; i < r.gpuMilli.length; i++) if (r.gpuMilli[i] > 0) booked++;
    return `Cluster under ${L.runs[props.run]?.label}: ${L.nodes.length} nodes, ${booked} of ${L.totalGpus} GPUs hold pods, ${r.pendingCount} pods pending. Hover or focus a GPU for details, click it or press Enter for its history.`;
  };

  return (
    <div class="cluster-view" ref={box} style={{ height: `${height()}px` }} onMouseLeave={() => setHover(null)}>
      <Show
        when={!big()}
        fallback={
          <canvas
            ref={canvas}
            style={{ width: `${width()}px`, height: `${height()}px` }}
            role="img"
            tabindex="0"
            aria-label={`${label()} Arrow keys choose a GPU.`}
            onMouseMove={onMove}
            onClick={onClick}
            onKeyDown={(e) => onCellKey(e, focusGpu())}
            onFocus={() => {
              setCanvasFocused(true);
              hoverCell(focusGpu());
            }}
            onBlur={() => {
              setCanvasFocused(false);
              setHover(null);
            }}
          />
        }
      >
        <svg ref={svg} width={width()} height={height()} role="group" aria-label={label()} onMouseMove={onMove} onClick={onClick}>
          <g transform={transform().toString()}>
            <Show when={geo()}>
              {(g) => (
                <>
                  <Index each={g().groups}>
                    {(gr) => (
                      <g class="group" aria-hidden="true">
                        <rect x={gr().x} y={gr().y} width={gr().w} height={gr().h} rx="4" />
                        <text x={gr().x + 6} y={gr().y + 11}>
                          {gr().label}
                        </text>
                      </g>
                    )}
                  </Index>
                  <Index each={g().cards}>
                    {(c, i) => (
                      <g class="node" aria-hidden="true">
                        <rect x={c().x} y={c().y} width={c().w} height={c().h} rx="3" />
                        <Show when={c().w >= 40 && g().cells.length > 0 && g().cells[0].h >= 12}>
                          <text x={c().x + 3} y={c().y + (g().cells[0].h >= 20 ? 10 : 8)} classList={{ small: g().cells[0].h < 20 }}>
                            {layout()!.nodes[i].name}
                          </text>
                        </Show>
                      </g>
                    )}
                  </Index>
                  <Index each={g().cells}>
                    {(c, i) => (
                      <rect
                        class="cell"
                        data-gpu={i}
                        x={c().x}
                        y={c().y}
                        width={c().w}
                        height={c().h}
                        rx="2"
                        role="button"
                        tabindex={i === focusGpu() ? 0 : -1}
                        aria-label={gpuName(i)}
                        onKeyDown={(e) => onCellKey(e, i)}
                        onFocus={() => {
                          setFocusGpu(i);
                          hoverCell(i);
                        }}
                        onBlur={() => setHover(null)}
                      />
                    )}
                  </Index>
                  <g class="slices" aria-hidden="true">
                    <Index each={slices()}>{(s) => <rect x={s().x} y={s().y} width={s().w} height={s().h} fill={s().color} rx="1" />}</Index>
                  </g>
                  <g class="mig" aria-hidden="true">
                    <Index each={mig().lines}>{(l) => <line x1={l().x} x2={l().x} y1={l().y1} y2={l().y2} />}</Index>
                    <Index each={mig().instances}>
                      {(m) => (
                        <rect
                          classList={{ free: m().tenant < 0 }}
                          x={m().x}
                          y={m().y}
                          width={m().w}
                          height={m().h}
                          rx="1"
                          fill={m().tenant < 0 ? 'none' : KIND_COLOR[KIND_CODES[runFrame()?.sliceKind[m().tenant] ?? 0]]}
                        />
                      )}
                    </Index>
                  </g>
                  <g class="util" aria-hidden="true">
                    <Index each={g().cells}>{(c, i) => <rect x={c().x} y={c().y + c().h - 3} width={(c().w * (runFrame()?.gpuUsedPct[i] ?? 0)) / 100} height="3" />}</Index>
                  </g>
                  <g class="cpu" aria-hidden="true">
                    <Index each={g().cpuBars}>
                      {(b, i) => <rect x={b().x} y={b().y} width={(b().w * (runFrame()?.nodeCpuMilli[i] ?? 0)) / Math.max(1, layout()!.nodes[i].cpuMilli)} height={b().h} />}
                    </Index>
                  </g>
                  <g class="mem" aria-hidden="true">
                    <Index each={g().memBars}>
                      {(b, i) => <rect x={b().x} y={b().y} width={(b().w * (runFrame()?.nodeMemMiB[i] ?? 0)) / Math.max(1, layout()!.nodes[i].memMiB)} height={b().h} />}
                    </Index>
                  </g>
                  <g ref={flyers} class="flyers" aria-hidden="true" />
                </>
              )}
            </Show>
          </g>
        </svg>
      </Show>
      <Show when={big()}>
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" aria-label="Focused GPU">
          {focusAnnouncement()}
        </div>
      </Show>
      <Show when={tooltip()}>
        {(t) => (
          <div class="tooltip" role="tooltip" ref={tip} style={{ left: `${t().x}px`, top: `${t().y}px` }}>
            <strong>{t().title}</strong>
            <Index each={t().lines}>{(l) => <div>{l()}</div>}</Index>
          </div>
        )}
      </Show>
    </div>
  );
}
