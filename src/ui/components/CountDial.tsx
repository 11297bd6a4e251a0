/**
 * A count set by direct manipulation: drag sideways (one step per 8 px), scroll, or use the keyboard
 * (arrows ±1, Page Up/Down ±10, Home/End). Exposed as an ARIA spinbutton.
 */
import { createSignal, type JSX } from 'solid-js';

export interface CountDialProps {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (v: number) => void;
}

/** Drag/scroll/keyboard count control. */
export function CountDial(props: CountDialProps): JSX.Element {
  const [dragging, setDragging] = createSignal(false);
  const clamp = (v: number): number => Math.min(props.max, Math.max(props.min, Math.round(v)));
  const set = (v: number): void => {
    const c = clamp(v);
    if (c !== props.value) props.onChange(c);
  };
  let startX = 0;
  let startV = 0;
  const onKey = (e: KeyboardEvent): void => {
    const d: Record<string, number> = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1, PageUp: 10, PageDown: -10 };
    if (e.key in d) set(props.value + d[e.key]);
    else if (e.key === 'Home') set(props.min);
    else if (e.key === 'End') set(props.max);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div
      class="dial"
      classList={{ dragging: dragging() }}
      role="spinbutton"
      tabindex="0"
      aria-label={props.label}
      aria-valuenow={props.value}
      aria-valuemin={props.min}
      aria-valuemax={props.max}
      title="Drag sideways, scroll, or use the arrow keys"
      onKeyDown={onKey}
      onWheel={(e) => {
        e.preventDefault();
        set(props.value + (e.deltaY < 0 ? 1 : -1));
      }}
      onPointerDown={(e) => {
        startX = e.clientX;
        startV = props.value;
        setDragging(true);
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (dragging()) set(startV + Math.trunc((e.clientX - startX) / 8));
      }}
      onPointerUp={() => setDragging(false)}
      onPointerCancel={() => setDragging(false)}
    >
      <span aria-hidden="true">◀</span>
      <strong>{props.value}</strong>
      <span aria-hidden="true">▶</span>
    </div>
  );
}
