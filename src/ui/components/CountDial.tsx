/**
 * A count set by direct manipulation: drag sideways (one step per 8 px), scroll while it has the focus (the
 * wheel over an unfocused dial scrolls the page), or use the keyboard (arrows ±1, Page Up/Down ±10, Home/End). Exposed as an ARIA spinbutton. Each change says how it enters the
 * undo history: a drag is one gesture (one step, closed on pointer up); keys and the wheel on one dial coalesce.
 */
import { createSignal, type JSX } from 'solid-js';
import type { Capture } from '../stores/workspace.ts';

export interface CountDialProps {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (v: number, capture: Capture) => void;
}

/** Drag/scroll/keyboard count control. */
export function CountDial(props: CountDialProps): JSX.Element {
  const [dragging, setDragging] = createSignal(false);
  const clamp = (v: number): number => Math.min(props.max, Math.max(props.min, Math.round(v)));
  const keyed = (): Capture => ({ kind: 'coalesce', key: `dial:${props.label}` });
  const set = (v: number, capture: Capture): void => {
    const c = clamp(v);
    if (c !== props.value) props.onChange(c, capture);
  };
  let startX = 0;
  let startV = 0;
  let moved = false;
  const endDrag = (): void => {
    if (!dragging()) return;
    setDragging(false);
    if (moved) props.onChange(props.value, { kind: 'gesture', end: true });
  };
  const onKey = (e: KeyboardEvent): void => {
    const d: Record<string, number> = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1, PageUp: 10, PageDown: -10 };
    if (e.key in d) set(props.value + d[e.key], keyed());
    else if (e.key === 'Home') set(props.min, keyed());
    else if (e.key === 'End') set(props.max, keyed());
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
      title="Drag sideways, use the arrow keys, or click and scroll"
      onKeyDown={onKey}
      onWheel={(e) => {
        // Only a focused dial takes the wheel: scrolling the page past it must not change the cluster.
        if (document.activeElement !== e.currentTarget) return;
        e.preventDefault();
        set(props.value + (e.deltaY < 0 ? 1 : -1), keyed());
      }}
      onPointerDown={(e) => {
        startX = e.clientX;
        startV = props.value;
        moved = false;
        setDragging(true);
        (e.currentTarget as HTMLElement).focus();
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (!dragging()) return;
        const before = props.value;
        set(startV + Math.trunc((e.clientX - startX) / 8), { kind: 'gesture' });
        if (props.value !== before) moved = true;
      }}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
    >
      <span aria-hidden="true">◀</span>
      <strong>{props.value}</strong>
      <span aria-hidden="true">▶</span>
    </div>
  );
}
