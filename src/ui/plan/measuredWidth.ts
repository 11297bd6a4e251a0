/** The width of a planner chart's box, followed with a ResizeObserver (charts fill their grid cell). */
import { createSignal, onCleanup, onMount, type Accessor } from 'solid-js';

/** The element's content width in whole pixels (`initial` until measured; widths at or below `min` are ignored). Call in a component. */
export function createMeasuredWidth(el: () => HTMLElement, initial: number, min = 80): Accessor<number> {
  const [width, setWidth] = createSignal(initial);
  onMount(() => {
    const ro = new ResizeObserver((e) => {
      const w = Math.floor(e[0].contentRect.width);
      if (w > min) setWidth(w);
    });
    ro.observe(el());
    onCleanup(() => ro.disconnect());
  });
  return width;
}
