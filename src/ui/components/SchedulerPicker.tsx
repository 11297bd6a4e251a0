/** Scheduler picker: one to four profiles to run side by side, each with its knobs and what they mean. */
import { For, Show, type JSX } from 'solid-js';
import type { Workbench } from '../stores/workbench.ts';
import { RUN_COLOR } from '../lib/palette.ts';
import { KnobField } from './KnobField.tsx';

export const MAX_PROFILES = 4;

/** Profile checkboxes and knob panels. */
export function SchedulerPicker(props: { wb: Workbench }): JSX.Element {
  const chosen = () => props.wb.scenario.schedulers;
  const indexOf = (name: string): number => chosen().findIndex((s) => s.profile === name);
  const toggle = (name: string, on: boolean): void =>
    props.wb.edit((s) => {
      const i = s.schedulers.findIndex((x) => x.profile === name);
      if (on && i < 0 && s.schedulers.length < MAX_PROFILES) s.schedulers.push({ profile: name });
      if (!on && i >= 0 && s.schedulers.length > 1) s.schedulers.splice(i, 1);
    });
  return (
    <section aria-label="Scheduler picker" class="editor">
      <p class="hint">Pick one to four schedulers; each runs the same scenario with the same seed, clocks in sync.</p>
      <For each={props.wb.profiles()}>
        {(p) => {
          const i = () => indexOf(p.name);
          const on = () => i() >= 0;
          return (
            <div class="card profile" classList={{ chosen: on() }} style={on() ? { 'border-left-color': RUN_COLOR[i()] } : {}}>
              <label class="profile-head">
                <input
                  type="checkbox"
                  checked={on()}
                  disabled={(!on() && chosen().length >= MAX_PROFILES) || (on() && chosen().length === 1)}
                  aria-label={`Run ${p.name}`}
                  aria-describedby={`profile-${p.name}`}
                  onChange={(e) => toggle(p.name, e.currentTarget.checked)}
                />
                <strong>{p.title}</strong> <code>{p.name}</code>
              </label>
              <p class="help" id={`profile-${p.name}`}>
                {p.summary} <em>Models: {p.models}</em>
              </p>
              <Show when={on() && p.knobs.length > 0}>
                <details class="knobs" open={chosen().length === 1}>
                  <summary>Knobs of {p.name}</summary>
                  <For each={p.knobs}>
                    {(k) => (
                      <KnobField
                        knob={k}
                        profile={p.name}
                        value={chosen()[i()]?.options?.[k.key] ?? p.defaults[k.key]}
                        onChange={(v) =>
                          props.wb.edit((s) => {
                            const spec = s.schedulers[i()];
                            spec.options = { ...(spec.options ?? {}), [k.key]: v };
                          })
                        }
                      />
                    )}
                  </For>
                </details>
              </Show>
            </div>
          );
        }}
      </For>
    </section>
  );
}
