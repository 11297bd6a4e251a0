/**
 * A d3 chart of means with 95 % bands: one line per scheduler over a numeric x axis (cluster scale, or simulated
 * time), the band between the interval's bounds drawn under it, an optional target line. The figure carries
 * `data-plan-chart` so the planner's exports find it; its SVG has an accessible name with the latest values.
 */
import { createMemo, For, Show, type JSX } from 'solid-js';
import { area, line, scaleLinear } from 'd3';
import { createMeasuredWidth } from './measuredWidth.ts';
import { ChartAxes } from '../components/ChartAxes.tsx';

/** One point of a banded line: the mean and the interval's bounds at x. */
export interface BandPoint {
  x: number;
  mean: number;
  lo: number;
  hi: number;
}

/** One line with its band. */
export interface BandSeries {
  label: string;
  color: string;
  points: readonly BandPoint[];
}

export interface BandChartProps {
  /** Chart id for exports (file names) and tests. */
  id: string;
  title: string;
  unit?: string;
  xLabel: string;
  xTick?: (x: number) => string;
  series: readonly BandSeries[];
  /** Lower bound of the y maximum (e.g. 100 for percentages). */
  yMin?: number;
  yMax?: number;
  reference?: { value: number; label: string };
  empty?: string;
  height?: number;
  /** Single values, no interval (one run's curves): no bands drawn, and the accessible name says values only. */
  plain?: boolean;
}

/** Lines with confidence bands over a numeric axis. */
export function BandChart(props: BandChartProps): JSX.Element {
  let fig!: HTMLElement;
  const W = createMeasuredWidth(() => fig, 420);
  const H = () => props.height ?? 200;
  const m = { l: 46, r: 10, t: 14, b: 32 };
  const all = () => props.series.flatMap((s) => s.points);
  const x = createMemo(() => {
    const xs = all().map((p) => p.x);
    const lo = xs.length ? Math.min(...xs) : 0;
    const hi = xs.length ? Math.max(...xs) : 1;
    return scaleLinear().domain(lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi]).range([m.l, W() - m.r]);
  });
  const y = createMemo(() => {
    let max = props.yMin ?? 0;
    for (const p of all()) if (Number.isFinite(p.hi)) max = Math.max(max, p.hi);
    if (props.reference) max = Math.max(max, props.reference.value * 1.1);
    if (props.yMax !== undefined) max = props.yMax;
    return scaleLinear().domain([0, max > 0 ? max : 1]).nice(4).range([H() - m.b, m.t]);
  });
  const finite = (p: BandPoint): boolean => Number.isFinite(p.mean) && Number.isFinite(p.lo) && Number.isFinite(p.hi);
  const band = (s: BandSeries): string =>
    area<BandPoint>()
      .defined(finite)
      .x((p) => x()(p.x))
      .y0((p) => y()(p.lo))
      .y1((p) => y()(p.hi))(s.points) ?? '';
  const mean = (s: BandSeries): string =>
    line<BandPoint>()
      .defined(finite)
      .x((p) => x()(p.x))
      .y((p) => y()(p.mean))(s.points) ?? '';
  const tick = (v: number): string => (props.xTick ? props.xTick(v) : String(v));
  const label = () => `${props.title}${props.unit ? ` (${props.unit})` : ''}`;
  const latest = () =>
    props.series
      .map((s) => {
        const p = s.points[s.points.length - 1];
        if (!p || !finite(p)) return '';
        return props.plain ? `${s.label} ${p.mean.toFixed(2)} at ${tick(p.x)}` : `${s.label} ${p.mean.toFixed(1)} [${p.lo.toFixed(1)}–${p.hi.toFixed(1)}] at ${tick(p.x)}`;
      })
      .filter(Boolean)
      .join('; ');
  return (
    <figure class="chart plan-chart" ref={fig} data-plan-chart={props.id}>
      <figcaption>
        {label()}
        <span class="legend">
          <For each={props.series}>
            {(s) => (
              <span class="legend-item">
                <svg width="18" height="8" aria-hidden="true">
                  <rect x="0" y="0" width="18" height="8" style={{ fill: s.color }} fill-opacity="0.25" />
                  <line x1="0" y1="4" x2="18" y2="4" style={{ stroke: s.color }} stroke-width="3" />
                </svg>
                {s.label}
              </span>
            )}
          </For>
        </span>
      </figcaption>
      <Show when={!props.empty && all().length > 0} fallback={<p class="chart-empty">{props.empty ?? 'No replica has finished yet.'}</p>}>
        <svg width={W()} height={H()} viewBox={`0 0 ${W()} ${H()}`} role="img" aria-label={`${label()}${props.plain ? '' : ', mean and 95% band'}: ${latest() || 'no data yet'}`}>
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
            <For each={x().ticks(Math.max(2, Math.floor((W() - m.l - m.r) / 60)))}>
              {(t) => (
                <text x={x()(t)} y={H() - 17} text-anchor="middle">
                  {tick(t)}
                </text>
              )}
            </For>
          </g>
          <ChartAxes leftPx={m.l} rightPx={W() - m.r} heightPx={H()} xTitle={props.xLabel} unit={props.unit} reference={props.reference} y={y()} />
          <Show when={!props.plain}>
            <For each={props.series}>{(s) => <path d={band(s)} style={{ fill: s.color }} fill-opacity="0.18" stroke="none" />}</For>
          </Show>
          <For each={props.series}>{(s) => <path d={mean(s)} fill="none" style={{ stroke: s.color }} stroke-width="2" />}</For>
          <For each={props.series}>
            {(s) => (
              <For each={s.points.filter(finite)}>{(p) => <circle cx={x()(p.x)} cy={y()(p.mean)} r="2.5" style={{ fill: s.color }} />}</For>
            )}
          </For>
        </svg>
      </Show>
    </figure>
  );
}
