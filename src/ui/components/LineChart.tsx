/**
 * A small d3 line chart: one or more lines over simulated time, an optional reference line (e.g. the SLO) and
 * the shared time cursor. Clicking the plot seeks there. Ticks come from d3-scale; paths from lib/linePath, which
 * draws at most four points per pixel column (a run's series has far more samples than the chart has pixels).
 */
import { createMemo, createSignal, For, Index, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { scaleLinear, type ScaleLinear } from 'd3';
import type { MetricSample } from '../../worker/protocol.ts';
import { formatSimTime } from '../lib/format.ts';
import { chartTextScale } from '../lib/chartText.ts';
import { linePath } from '../lib/linePath.ts';
import { ChartAxes } from './ChartAxes.tsx';

/**
 * One line: (time s, value) pairs, or a run's metric samples and the value to draw from each (no pair is made per
 * sample: the run charts redraw series of thousands of samples while playing).
 */
export type ChartLine = { label: string; color: string; dash?: string } & (
  | { points: readonly (readonly [number, number])[] }
  | { samples: readonly MetricSample[]; value: (s: MetricSample) => number }
);

/** A line's point count and, by index, each point's time (s) and value. */
function pointsOf(l: ChartLine): { n: number; tS: (i: number) => number; v: (i: number) => number } {
  if ('points' in l) {
    const p = l.points;
    return { n: p.length, tS: (i) => p[i][0], v: (i) => p[i][1] };
  }
  const s = l.samples;
  const f = l.value;
  return { n: s.length, tS: (i) => s[i].tS, v: (i) => f(s[i]) };
}

export interface LineChartProps {
  title: string;
  unit?: string;
  /** Unit written above the y axis when the title carries none (defaults to `unit`). */
  axisUnit?: string;
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

/** The slope and offset of a linear scale: scale(v) = a·v + b. */
function linear(s: ScaleLinear<number, number>): [number, number] {
  const [d0, d1] = s.domain();
  const [r0, r1] = s.range();
  const a = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return [a, r0 - a * d0];
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
  // Presenter mode scales the text (and the margins that hold it); the plot grows by half as much.
  const k = chartTextScale;
  const H = () => Math.round((props.height ?? 130) * (1 + (k() - 1) / 2));
  // Margins: y tick labels on the left, the y unit above them, x ticks and the x-axis title below.
  const m = {
    get l() {
      return 40 * k();
    },
    get r() {
      return 12 * k();
    },
    get t() {
      return 14 * k();
    },
    get b() {
      return 30 * k();
    },
  };
  const x = createMemo(() => scaleLinear().domain([0, Math.max(props.xMaxS, 1)]).range([m.l, W() - m.r]));
  const y = createMemo(() => {
    let max = props.yMin ?? 0;
    for (const l of props.lines) {
      const p = pointsOf(l);
      for (let i = 0; i < p.n; i++) {
        const v = p.v(i);
        if (Number.isFinite(v) && v > max) max = v;
      }
    }
    if (props.reference) max = Math.max(max, props.reference.value * 1.1);
    if (props.yMax !== undefined) max = props.yMax;
    return scaleLinear().domain([0, max > 0 ? max : 1]).nice(4).range([H() - m.b, m.t]);
  });
  const path = (l: ChartLine): string => {
    // The scales are linear: px = a·v + b, applied inline (a d3 scale call per sample costs more than the rest).
    const [ax, bx] = linear(x());
    const [ay, by] = linear(y());
    const p = pointsOf(l);
    // A missing value (not finite, or negative: `not computed`) breaks the line.
    return linePath({ n: p.n, xPx: (i) => ax * p.tS(i) + bx, yPx: (i) => {
      const v = p.v(i);
      return Number.isFinite(v) && v >= 0 ? ay * v + by : NaN;
    } });
  };
  /** Time ticks: the smallest round step that leaves about 50 px per label. */
  const xTicks = () => {
    const room = Math.max(2, Math.floor((W() - m.l - m.r) / (50 * k())));
    const steps = [3600, 2 * 3600, 3 * 3600, 4 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400];
    const step = steps.find((st) => props.xMaxS / st <= room) ?? steps[steps.length - 1];
    const out: number[] = [];
    for (let t = 0; t <= props.xMaxS; t += step) out.push(t);
    return out;
  };
  const tickText = (t: number): string => (t % 86400 === 0 && t > 0 ? `${t / 86400}d` : t >= 86400 ? `${Math.floor(t / 86400)}d${Math.round((t % 86400) / 3600)}h` : `${Math.round(t / 3600)}h`);
  const label = () => `${props.title}${props.unit ? ` (${props.unit})` : ''}`;
  const latest = () =>
    props.lines
      .map((l) => {
        const p = pointsOf(l);
        if (!p.n) return '';
        const v = p.v(p.n - 1);
        return `${l.label} ${v < 0 ? '—' : v.toFixed(1)}`;
      })
      .filter(Boolean)
      .join(', ');
  return (
    <figure class="chart" ref={fig} style={{ '--chart-k': k() }}>
      <figcaption>
        {label()}
        <Show when={props.lines.length > 1 || props.lines[0]?.label}>
          <span class="legend">
            {/* Index, not For: the lines are new objects at every redraw, and For would rebuild their DOM each time. */}
            <Index each={props.lines}>
              {(l) => (
                <span class="legend-item">
                  <svg width="18" height="8" aria-hidden="true">
                    <line x1="0" y1="4" x2="18" y2="4" style={{ stroke: l().color }} stroke-width="3" stroke-dasharray={l().dash} />
                  </svg>
                  {l().label}
                </span>
              )}
            </Index>
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
                  <text x={m.l - 4} y={y()(t) + 4 * k()} text-anchor="end">
                    {t >= 10000 ? `${Math.round(t / 1000)}k` : t}
                  </text>
                </>
              )}
            </For>
            <For each={xTicks()}>
              {(t) => (
                <text x={x()(t)} y={H() - 17 * k()} text-anchor="middle">
                  {tickText(t)}
                </text>
              )}
            </For>
          </g>
          <ChartAxes leftPx={m.l} rightPx={W() - m.r} heightPx={H()} xTitle="simulated time since start" unit={props.axisUnit ?? props.unit} k={k()} reference={props.reference} y={y()} />
          <Index each={props.lines}>{(l) => <path d={path(l())} fill="none" style={{ stroke: l().color }} stroke-width="2" stroke-dasharray={l().dash} />}</Index>
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
