/**
 * One scheduler knob, with what it means shown next to it (and as the control's description). A value out of the
 * knob's range is refused at the field with a message; a refused value never stays in the control.
 */
import { createSignal, createUniqueId, For, Match, Show, Switch, type JSX } from 'solid-js';
import type { Knob } from '../../scenario/profileCatalog.ts';
import { fieldError } from '../stores/editCheck.ts';

/** After a change, puts the control back to the value the scenario holds (a refused edit changed nothing). */
function settle(el: HTMLInputElement | HTMLSelectElement, value: () => unknown): void {
  queueMicrotask(() => {
    const v = value();
    if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = v === true;
    else if (el.value !== String(v ?? '')) el.value = String(v ?? '');
  });
}

/** Input for a profile knob, by knob kind. */
export function KnobField(props: { knob: Knob; value: unknown; profile: string; onChange: (v: unknown) => void }): JSX.Element {
  const id = createUniqueId();
  const errId = createUniqueId();
  const [error, setError] = createSignal<string | null>(null);
  const name = (): string => `${props.knob.label} (${props.profile})`;
  const k = () => props.knob;
  return (
    <div class="knob">
      <label class="field">
        <span class="field-label">{k().label}</span>
        <Switch>
          <Match when={k().kind === 'choice'}>
            <select aria-label={name()} aria-describedby={id} value={String(props.value)} onChange={(e) => {
              props.onChange(e.currentTarget.value);
              settle(e.currentTarget, () => props.value);
            }}>
              <For each={(k() as Extract<Knob, { kind: 'choice' }>).choices}>{(c) => <option value={c} selected={c === props.value}>{c}</option>}</For>
            </select>
          </Match>
          <Match when={k().kind === 'bool'}>
            <input type="checkbox" aria-label={name()} aria-describedby={id} checked={props.value === true} onChange={(e) => {
                props.onChange(e.currentTarget.checked);
                settle(e.currentTarget, () => props.value);
              }} />
          </Match>
          <Match when={k().kind === 'int' || k().kind === 'number'}>
            <input
              type="number"
              aria-label={name()}
              aria-describedby={error() ? `${id} ${errId}` : id}
              aria-invalid={error() ? 'true' : undefined}
              min={(k() as { min: number }).min}
              max={(k() as { max: number }).max}
              step={k().kind === 'int' ? 1 : 'any'}
              value={Number(props.value)}
              onChange={(e) => {
                const el = e.currentTarget;
                const range = k() as { min: number; max: number };
                const bad = fieldError(k().label, el.value, { min: range.min, max: range.max, integer: k().kind === 'int' });
                setError(bad ? `${bad}; still running with ${String(props.value)}.` : null);
                if (!bad) props.onChange(Number(el.value));
                settle(el, () => Number(props.value));
              }}
            />
          </Match>
          <Match when={k().kind === 'string'}>
            <input type="text" aria-label={name()} aria-describedby={id} value={String(props.value ?? '')} onChange={(e) => {
              props.onChange(e.currentTarget.value);
              settle(e.currentTarget, () => props.value);
            }} />
          </Match>
        </Switch>
      </label>
      <Show when={error()}>
        <p class="field-error" id={errId} aria-live="polite">
          {error()}
        </p>
      </Show>
      <p class="help" id={id}>
        {k().help}
      </p>
    </div>
  );
}
