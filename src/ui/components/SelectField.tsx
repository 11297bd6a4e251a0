/** A labelled select over string options; a refused choice goes back to the value the scenario holds. */
import { For, type JSX } from 'solid-js';

export interface SelectFieldProps {
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (v: string) => void;
  ariaLabel?: string;
  help?: string;
}

/** Select with a visible label. */
export function SelectField(props: SelectFieldProps): JSX.Element {
  return (
    <label class="field" title={props.help}>
      <span class="field-label">{props.label}</span>
      <select aria-label={props.ariaLabel ?? props.label} value={props.value} onChange={(e) => {
          const el = e.currentTarget;
          props.onChange(el.value);
          queueMicrotask(() => {
            if (el.value !== props.value) el.value = props.value;
          });
        }}>
        <For each={props.options}>{(o) => <option value={o.value} selected={o.value === props.value}>{o.label}</option>}</For>
      </select>
    </label>
  );
}
