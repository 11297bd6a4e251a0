/** A labelled number input with its unit; commits only valid numbers (others leave the value as it was). */
import type { JSX } from 'solid-js';

export interface NumberFieldProps {
  label: string;
  value: number;
  onCommit: (v: number) => void;
  unit?: string;
  min?: number;
  max?: number;
  step?: number;
  /** Accessible name when the visible label is shared (e.g. `CPU cores of pool a100`). */
  ariaLabel?: string;
  help?: string;
  integer?: boolean;
}

/** Number input with label, unit and optional help text. */
export function NumberField(props: NumberFieldProps): JSX.Element {
  const onInput = (e: Event): void => {
    const el = e.currentTarget as HTMLInputElement;
    if (el.value.trim() === '') return;
    const v = Number(el.value);
    if (!Number.isFinite(v)) return;
    props.onCommit(props.integer ? Math.round(v) : v);
  };
  return (
    <label class="field" title={props.help}>
      <span class="field-label">{props.label}</span>
      <span class="field-input">
        <input type="number" value={props.value} min={props.min} max={props.max} step={props.step ?? (props.integer ? 1 : 'any')} aria-label={props.ariaLabel ?? props.label} onChange={onInput} />
        {props.unit && <span class="unit">{props.unit}</span>}
      </span>
    </label>
  );
}
