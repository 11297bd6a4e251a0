/**
 * The axis titles (the x axis's title under the plot, the y unit in the corner) and the dashed reference line
 * (an SLO, a target) that the run charts (LineChart) and the planner's band charts (plan/BandChart) both draw.
 */
import { Show, type JSX } from 'solid-js';

export interface ChartAxesProps {
  /** The plot area's left and right edges and the SVG's height, in px. */
  leftPx: number;
  rightPx: number;
  heightPx: number;
  xTitle: string;
  /** The y axis's unit, written in the top-left corner (none: nothing). */
  unit?: string;
  /** Text scale (presenter mode enlarges chart text); default 1. */
  k?: number;
  reference?: { value: number; label: string };
  /** The y scale: a value to its y in px. */
  y: (v: number) => number;
}

/** Axis titles and the optional reference line of a chart; placed inside its SVG after the grid. */
export function ChartAxes(props: ChartAxesProps): JSX.Element {
  const k = (): number => props.k ?? 1;
  return (
    <>
      <g class="grid">
        <text class="axis-title" x={(props.leftPx + props.rightPx) / 2} y={props.heightPx - 3 * k()} text-anchor="middle">
          {props.xTitle}
        </text>
        <Show when={props.unit}>
          <text class="axis-title" x={2} y={9 * k()} text-anchor="start">
            {props.unit}
          </text>
        </Show>
      </g>
      <Show when={props.reference}>
        {(ref) => (
          <g class="reference">
            <line x1={props.leftPx} x2={props.rightPx} y1={props.y(ref().value)} y2={props.y(ref().value)} />
            <text x={props.rightPx} y={props.y(ref().value) - 3} text-anchor="end">
              {ref().label}
            </text>
          </g>
        )}
      </Show>
    </>
  );
}
