/**
 * The scheduler × scale heatmap: one cell per (scheduler, cluster scale), coloured by the share of seeds that
 * meet every target, labelled with the binding target (the one missed most often; "ok" when all are met).
 * An SVG like the other charts, so it exports the same way; each cell has a title for pointer and screen reader.
 */
import { For, Show, type JSX } from 'solid-js';
import { interpolateRdYlGn, scaleBand } from 'd3';
import { createMeasuredWidth } from './measuredWidth.ts';

/** One cell: how many seeds finished and met every target, and the target that failed most. */
export interface HeatCell {
  row: string;
  col: number;
  seeds: number;
  metPct: number;
  /** Short name of the binding target, or null when every seed met every target. */
  binding: string | null;
}

export interface PlanHeatmapProps {
  rows: readonly string[];
  cols: readonly number[];
  colLabel: (c: number) => string;
  cells: readonly HeatCell[];
}

/** Scheduler × scale heatmap of the binding target. */
export function PlanHeatmap(props: PlanHeatmapProps): JSX.Element {
  let fig!: HTMLElement;
  const W = createMeasuredWidth(() => fig, 560);
  const m = { l: 120, r: 8, t: 8, b: 34 };
  const rowH = 30;
  const H = () => m.t + m.b + rowH * Math.max(1, props.rows.length);
  const x = () => scaleBand<number>().domain([...props.cols]).range([m.l, W() - m.r]).padding(0.06);
  const y = () => scaleBand<string>().domain([...props.rows]).range([m.t, H() - m.b]).padding(0.08);
  const cell = (r: string, c: number) => props.cells.find((k) => k.row === r && k.col === c);
  const text = (k: HeatCell): string => (k.binding === null ? 'ok' : k.binding);
  const summary = () =>
    props.rows
      .map((r) => {
        const ok = props.cols.filter((c) => (cell(r, c)?.metPct ?? 0) >= 95);
        return ok.length ? `${r} meets every target from ${props.colLabel(ok[0])}` : `${r} meets the targets at no scale so far`;
      })
      .join('; ');
  return (
    <figure class="chart plan-chart plan-heatmap" ref={fig} data-plan-chart="heatmap">
      <figcaption>Binding target by scheduler and cluster scale (colour: share of seeds meeting every target)</figcaption>
      <Show when={props.cells.length > 0} fallback={<p class="chart-empty">No replica has finished yet.</p>}>
        <svg width={W()} height={H()} viewBox={`0 0 ${W()} ${H()}`} role="img" aria-label={`Binding target heatmap: ${summary()}`}>
          <g class="grid">
            <For each={[...props.rows]}>
              {(r) => (
                <text x={m.l - 6} y={(y()(r) ?? 0) + y().bandwidth() / 2 + 4} text-anchor="end">
                  {r}
                </text>
              )}
            </For>
            <For each={[...props.cols]}>
              {(c) => (
                <text x={(x()(c) ?? 0) + x().bandwidth() / 2} y={H() - m.b + 14} text-anchor="middle">
                  {props.colLabel(c)}
                </text>
              )}
            </For>
            <text class="axis-title" x={(m.l + W() - m.r) / 2} y={H() - 3} text-anchor="middle">
              cluster scale
            </text>
          </g>
          <For each={[...props.rows]}>
            {(r) => (
              <For each={[...props.cols]}>
                {(c) => (
                  <Show when={cell(r, c)}>
                    {(k) => (
                      <g>
                        <rect x={x()(c)} y={y()(r)} width={x().bandwidth()} height={y().bandwidth()} rx="3" style={{ fill: interpolateRdYlGn(k().metPct / 100) }}>
                          <title>{`${r} at ${props.colLabel(c)}: ${k().metPct.toFixed(0)}% of ${k().seeds} seeds meet every target${k().binding ? `; binding: ${k().binding}` : ''}`}</title>
                        </rect>
                        <text x={(x()(c) ?? 0) + x().bandwidth() / 2} y={(y()(r) ?? 0) + y().bandwidth() / 2 + 4} text-anchor="middle" class="heat-label" style={{ fill: '#000', 'font-size': '11px' }}>
                          {x().bandwidth() > 34 ? text(k()) : ''}
                        </text>
                      </g>
                    )}
                  </Show>
                )}
              </For>
            )}
          </For>
        </svg>
      </Show>
    </figure>
  );
}
