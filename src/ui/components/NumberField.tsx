/**
 * A labelled number input with its unit. A typed value is checked at the field (editCheck.ts fieldError) and then
 * by the whole-scenario validator; a refused one never stays in the field: the input goes back to the value the
 * runs use, and a message under it says why and what is still running (issue 18: form and run never disagree).
 */
import { createSignal, createUniqueId, Show, type JSX } from 'solid-js';
import { fieldError } from '../stores/editCheck.ts';
import type { EditRefusal } from '../stores/workspace.ts';

export interface NumberFieldProps {
  label: string;
  value: number;
  /** Applies the value; returns the refusal's messages when the scenario refused it (nothing changed). */
  onCommit: (v: number) => EditRefusal | void;
  unit?: string;
  min?: number;
  max?: number;
  step?: number;
  /** Accessible name when the visible label is shared (e.g. `CPU cores of pool a100`). */
  ariaLabel?: string;
  /** The field's name in messages (`Node count must be at least 1`; default: the label). */
  name?: string;
  help?: string;
  integer?: boolean;
}

/** Number input with label, unit, optional help text, and its message when a value was refused. */
export function NumberField(props: NumberFieldProps): JSX.Element {
  const id = createUniqueId();
  const [error, setError] = createSignal<string | null>(null);
  const shown = (): string => `${Number(props.value.toPrecision(12)).toLocaleString('en-US', { maximumFractionDigits: 6 })}${props.unit ? ` ${props.unit}` : ''}`;
  const onChange = (e: Event): void => {
    const el = e.currentTarget as HTMLInputElement;
    const bad = fieldError(props.name ?? props.label, el.value, { min: props.min, max: props.max, integer: props.integer, unit: props.unit });
    if (bad) {
      setError(`${bad}; still running with ${shown()}.`);
      el.value = String(props.value);
      return;
    }
    const refused = props.onCommit(Number(el.value));
    setError(refused && refused.length ? `${refused[0]}; still running with ${shown()}.` : null);
    // The input shows what the scenario holds: the new value once applied, the old one when refused.
    queueMicrotask(() => {
      if (Number(el.value) !== props.value) el.value = String(props.value);
    });
  };
  return (
    <label class="field" title={props.help}>
      <span class="field-label">{props.label}</span>
      <span class="field-input">
        <input
          type="number"
          value={props.value}
          min={props.min}
          max={props.max}
          step={props.step ?? (props.integer ? 1 : 'any')}
          aria-label={props.ariaLabel ?? props.label}
          aria-invalid={error() ? 'true' : undefined}
          aria-describedby={error() ? id : undefined}
          onChange={onChange}
        />
        {props.unit && <span class="unit">{props.unit}</span>}
      </span>
      <Show when={error()}>
        <span class="field-error" id={id} aria-live="polite">
          {error()}
        </span>
      </Show>
    </label>
  );
}
