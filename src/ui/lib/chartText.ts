/**
 * How much larger chart text is drawn than at the workbench's size: 1 normally, more in presenter mode, where
 * the charts are read from the back of a room. LineChart scales its tick labels and the margins that hold them.
 */
import { createSignal } from 'solid-js';

const [scale, setScale] = createSignal(1);

/** The current chart text scale (1 = workbench size). */
export const chartTextScale = scale;

/** Sets the chart text scale (presenter mode sets it on entry and back to 1 on exit). */
export function setChartTextScale(k: number): void {
  setScale(k);
}
