/**
 * A small d3 line chart: one or more lines over simulated time, an optional reference line (e.g. the SLO) and
 * the shared time cursor. Clicking the plot seeks there. Paths come from d3-shape, ticks from d3-scale.
 */
import { createMemo, createSignal, For, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { line, scaleLinear } from 'd3';
import { formatSimTime } from '../lib/format.ts';

export interface ChartLine {
  label: string;
  color: string;
  dash?: string;
  /** (time s, value) pairs. */
  points: readonly (readonly [number, number])[];
}

export interface LineChartProps {
  title: string;
  unit?: string;
  lines: readonly ChartLine[];
  xMaxS: number;
  /** Lower bound of the y maximum (e.g. 100 for percentages). */
  yMin?: number;
  yMax?: number;
  cursorS?: number;
  reference?: { value: number; label: string };
  /** Shown instead of the plot when set (e.g. `not computed`). */
  empty?: string;
  onSeek?: (tS: number) => void;
  width?: number;
  height?: number;
}

/** Line chart with a time cursor. */
export function LineChart(props: LineChartProps): JSX.Element {
  let fig!: HTMLElement;
  const [measured, setMeasured] = createSignal(300);
  onMount(() => {
    if (props.width !== undefined) return;
    // Without a fixed width the chart fills its grid cell.
    const ro = new ResizeObserver((e) => {
      const w = Math.floor(e[0].contentRect.width);
      if (w > 50) setMeasured(w);
    });
    ro.observe(fig);
    onCleanup(() => ro.disconnect());
  });
  const W = () => props.width ?? measured();
  const H = () => props.height ?? 130;
  const m = { l: 40, r: 8, t: 6, b: 18 };
  const x = createMemo(() => scaleLinear().domain([0, Math.max(props.xMaxS, 1)]).range([m.l, W() - m.r]));
  const y = createMemo(() => {
    let max = props.yMin ?? 0;
    for (const l of props.lines) for (const p of l.points) if (Number.isFinite(p[1])) max = Math.max(max, p[1]);
    if (props.reference) max = Math.max(max, props.reference.value * 1.1);
    if (props.yMax !== undefined) max = props.yMax;
    return scaleLinear().domain([0, max > 0 ? max : 1]).nice(4).range([H() - m.b, m.t]);
  });
  const path = (l: ChartLine): string => {
    const sx = x();
    const sy = y();
    return line<readonly [number, number]>().defined((p) => Number.isFinite(p[1]) && p[1] >= 0).x((p) => sx(p[0])).y((p) => sy(p[1]))(l.points) ?? '';
  };
  const xTicks = () => {
    const step = props.xMaxS > 3 * 86400 ? 86400 : props.xMaxS > 86400 ? 6 * 3600 : props.xMaxS > 6 * 3600 ? 3600 * 2 : 3600;
    const out: number[] = [];
    for (let t = 0; t <= props.xMaxS; t += step) out.push(t);
    return out.slice(0, 10);
  };
  const label = () => `${props.title}${props.unit ? ` (${props.unit})` : ''}`;
  const latest = () =>
    props.lines
      .map((l) => {
        const p = l.points[l.points.length - 1];
        return p ? `${l.label} ${p[1] < 0 ? '—' : p[1].toFixed(1)}` : '';
      })
      .filter(Boolean)
      .join(', ');
  return (
    <figure class="chart" ref={fig}>
      <figcaption>
        {label()}
        <Show when={props.lines.length > 1 || props.lines[0]?.label}>
          <span class="legend">
            <For each={props.lines}>
              {(l) => (
                <span class="legend-item">
                  <svg width="18" height="8" aria-hidden="true">
                    <line x1="0" y1="4" x2="18" y2="4" style={{ stroke: l.color }} stroke-width="3" stroke-dasharray={l.dash} />
                  </svg>
                  {l.label}
                </span>
              )}
            </For>
          </span>
        </Show>
      </figcaption>
      <Show when={!props.empty} fallback={<p class="chart-empty">{props.empty}</p>}>
        <svg
          width={W()}
          height={H()}
          viewBox={`0 0 ${W()} ${H()}`}
          role="img"
          aria-label={`${label()}: ${latest() || 'no data yet'}`}
          onClick={(e) => {
            if (!props.onSeek) return;
            const r = (e.currentTarget as SVGSVGElement).getBoundingClientRect();
            const px = ((e.clientX - r.left) / r.width) * W();
            props.onSeek(Math.max(0, Math.min(props.xMaxS, x().invert(px))));
          }}
        >
          <g class="grid">
            <For each={y().ticks(4)}>
              {(t) => (
                <>
                  <line x1={m.l} x2={W() - m.r} y1={y()(t)} y2={y()(t)} />
                  <text x={m.l - 4} y={y()(t) + 4} text-anchor="end">
                    {t >= 10000 ? `${Math.round(t / 1000)}k` : t}
                  </text>
                </>
              )}
            </For>
            <For each={xTicks()}>
              {(t) => (
                <text x={x()(t)} y={H() - 4} text-anchor="middle">
                  {t % 86400 === 0 && t > 0 ? `${t / 86400}d` : `${Math.round((t % 86400) / 3600)}h`}
                </text>
              )}
            </For>
          </g>
          <Show when={props.reference}>
            {(ref) => (
              <g class="reference">
                <line x1={m.l} x2={W() - m.r} y1={y()(ref().value)} y2={y()(ref().value)} />
                <text x={W() - m.r} y={y()(ref().value) - 3} text-anchor="end">
                  {ref().label}
                </text>
              </g>
            )}
          </Show>
          <For each={props.lines}>{(l) => <path d={path(l)} fill="none" style={{ stroke: l.color }} stroke-width="2" stroke-dasharray={l.dash} />}</For>
          <Show when={props.cursorS !== undefined}>
            <line class="cursor" x1={x()(props.cursorS!)} x2={x()(props.cursorS!)} y1={m.t} y2={H() - m.b}>
              <title>{formatSimTime(props.cursorS!)}</title>
            </line>
          </Show>
        </svg>
      </Show>
    </figure>
  );
}
