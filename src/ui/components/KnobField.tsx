/** One scheduler knob, with what it means shown next to it (and as the control's description). */
import { createUniqueId, For, Match, Switch, type JSX } from 'solid-js';
import type { Knob } from '../../scenario/profileCatalog.ts';

/** Input for a profile knob, by knob kind. */
export function KnobField(props: { knob: Knob; value: unknown; profile: string; onChange: (v: unknown) => void }): JSX.Element {
  const id = createUniqueId();
  const name = (): string => `${props.knob.label} (${props.profile})`;
  const k = () => props.knob;
  return (
    <div class="knob">
      <label class="field">
        <span class="field-label">{k().label}</span>
        <Switch>
          <Match when={k().kind === 'choice'}>
            <select aria-label={name()} aria-describedby={id} value={String(props.value)} onChange={(e) => props.onChange(e.currentTarget.value)}>
              <For each={(k() as Extract<Knob, { kind: 'choice' }>).choices}>{(c) => <option value={c} selected={c === props.value}>{c}</option>}</For>
            </select>
          </Match>
          <Match when={k().kind === 'bool'}>
            <input type="checkbox" aria-label={name()} aria-describedby={id} checked={props.value === true} onChange={(e) => props.onChange(e.currentTarget.checked)} />
          </Match>
          <Match when={k().kind === 'int' || k().kind === 'number'}>
            <input
              type="number"
              aria-label={name()}
              aria-describedby={id}
              min={(k() as { min: number }).min}
              max={(k() as { max: number }).max}
              step={k().kind === 'int' ? 1 : 'any'}
              value={Number(props.value)}
              onChange={(e) => {
                const v = Number(e.currentTarget.value);
                if (Number.isFinite(v)) props.onChange(k().kind === 'int' ? Math.round(v) : v);
              }}
            />
          </Match>
          <Match when={k().kind === 'string'}>
            <input type="text" aria-label={name()} aria-describedby={id} value={String(props.value ?? '')} onChange={(e) => props.onChange(e.currentTarget.value)} />
          </Match>
        </Switch>
      </label>
      <p class="help" id={id}>
        {k().help}
      </p>
    </div>
  );
}
