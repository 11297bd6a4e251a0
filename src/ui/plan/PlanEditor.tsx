/**
 * The plan's axes and targets. The editor keeps a draft of the plan: every change is checked at once, a bad
 * field (an empty axis, an impossible target, a typo) shows its message beside it and changes nothing else, and
 * a draft that checks out is committed to the scenario's `plan` (one undo step; the share link carries it).
 */
import { createEffect, createSignal, For, on, Show, type JSX } from 'solid-js';
import type { PlanSpec } from '../../scenario/types.ts';
import { PROFILE_CATALOG, type Knob } from '../../scenario/profileCatalog.ts';
import { planScaleFactors, planSeeds } from '../../scenario/planSpec.ts';
import { formatNumberList, parseNumberList, type ListRules } from './planText.ts';
import { planColor } from './planColors.ts';

export interface PlanEditorProps {
  plan: PlanSpec;
  /** Pool names of the scenario (for explicit node counts per pool). */
  pools: readonly { name: string; count: number }[];
  /** The scenario's seed (a plan without seeds runs it). */
  scenarioSeed: number;
  /** Checks a whole plan; returns messages whose paths start with `plan.` (empty: fine). */
  check: (plan: PlanSpec) => string[];
  /** A checked plan replaces the scenario's. */
  onCommit: (plan: PlanSpec) => void;
  disabled?: boolean;
}

/** A text field holding a list of numbers, with its own message. */
function ListField(props: { label: string; id: string; value: readonly number[]; rules: ListRules; onValues: (v: number[]) => string | null; hint?: string; disabled?: boolean }): JSX.Element {
  const [text, setText] = createSignal(formatNumberList(props.value));
  const [error, setError] = createSignal<string | null>(null);
  // A new plan (undo, a preset) rewrites the field unless the user is in the middle of fixing it.
  createEffect(on(() => formatNumberList(props.value), (v) => { if (!error()) setText(v); }, { defer: true }));
  const commit = (t: string): void => {
    setText(t);
    const r = parseNumberList(t, props.rules);
    if (!r.ok) return void setError(`${props.label}: ${r.error}`);
    setError(props.onValues(r.values));
  };
  return (
    <label class="field plan-field">
      <span class="field-label">{props.label}</span>
      <input type="text" id={props.id} value={text()} disabled={props.disabled} aria-invalid={error() ? 'true' : undefined} aria-describedby={error() ? `${props.id}-error` : props.hint ? `${props.id}-hint` : undefined} onChange={(e) => commit(e.currentTarget.value)} />
      <Show when={props.hint && !error()}>
        <span class="hint plan-hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      </Show>
      <Show when={error()}>
        <span class="field-error" id={`${props.id}-error`} role="alert">
          {error()}
        </span>
      </Show>
    </label>
  );
}

/** Knobs a plan can sweep: numbers, whole numbers and choices. */
function sweepable(k: Knob): boolean {
  return k.kind === 'int' || k.kind === 'number' || k.kind === 'choice';
}

/** The editor of a plan's axes, targets and cap. */
export function PlanEditor(props: PlanEditorProps): JSX.Element {
  const [messages, setMessages] = createSignal<string[]>([]);
  /** Applies a change to a copy of the plan; commits it when the whole plan checks out, else returns the message for the field. */
  const change = (path: string, fn: (p: PlanSpec) => void): string | null => {
    const next = structuredClone(props.plan) as PlanSpec;
    fn(next);
    const errs = props.check(next);
    setMessages(errs);
    const mine = errs.filter((e) => e.startsWith(path));
    if (errs.length) return (mine[0] ?? errs[0]).replace(/^plan\./, '');
    props.onCommit(next);
    return null;
  };
  const [profileError, setProfileError] = createSignal<string | null>(null);
  const [targetError, setTargetError] = createSignal<Record<string, string | null>>({});
  const chosen = (name: string) => props.plan.profiles.find((p) => p.profile === name);
  const toggle = (name: string, on: boolean): void => {
    if (!on && props.plan.profiles.length === 1) return void setProfileError('Schedulers: pick at least one (the axis cannot be empty)');
    setProfileError(
      change('plan.profiles', (p) => {
        if (on) p.profiles.push({ profile: name });
        else p.profiles = p.profiles.filter((x) => x.profile !== name);
      }),
    );
  };
  const factors = (): number[] => planScaleFactors(props.plan);
  const seeds = (): number[] => planSeeds(props.plan, props.scenarioSeed);
  const perPool = () => props.plan.scale?.poolCounts !== undefined;
  const setTarget = (key: keyof PlanSpec['targets'], value: number | boolean | undefined): void => {
    const msg = change(`plan.targets.${key}`, (p) => {
      if (value === undefined) delete p.targets[key];
      else (p.targets as Record<string, unknown>)[key] = value;
    });
    setTargetError({ ...targetError(), [key]: msg });
  };
  const numTarget = (key: 'sloAttainmentPct' | 'p95WaitS' | 'trainingSlowdown' | 'maxCostPerHourUsd', label: string, unit: string, fallback: number): JSX.Element => {
    const on = () => props.plan.targets[key] !== undefined;
    return (
      <div class="plan-target">
        <label class="field inline">
          <input type="checkbox" checked={on()} disabled={props.disabled} aria-label={`Check ${label}`} onChange={(e) => setTarget(key, e.currentTarget.checked ? fallback : undefined)} />
          <span>{label}</span>
        </label>
        <span class="field-input">
          <input
            type="number"
            step="any"
            value={props.plan.targets[key] ?? fallback}
            disabled={!on() || props.disabled}
            aria-label={label}
            aria-invalid={targetError()[key] ? 'true' : undefined}
            aria-describedby={targetError()[key] ? `target-${key}-error` : undefined}
            onChange={(e) => {
              const v = e.currentTarget.value.trim() === '' ? Number.NaN : Number(e.currentTarget.value);
              if (!Number.isFinite(v)) return void setTargetError({ ...targetError(), [key]: `${label}: type a number` });
              setTarget(key, v);
            }}
          />
          <span class="unit">{unit}</span>
        </span>
        <Show when={targetError()[key]}>
          <span class="field-error" id={`target-${key}-error`} role="alert">
            {targetError()[key]}
          </span>
        </Show>
      </div>
    );
  };
  return (
    <section class="editor plan-editor" aria-label="Plan axes and targets">
      <fieldset class="card">
        <legend>Schedulers</legend>
        <div class="plan-profiles">
          <For each={PROFILE_CATALOG}>
            {(p) => {
              const spec = () => chosen(p.name);
              const knobs = p.knobs.filter(sweepable);
              return (
                <div class="plan-profile" classList={{ chosen: !!spec() }}>
                  <label class="field inline">
                    <input type="checkbox" checked={!!spec()} disabled={props.disabled} aria-label={`Plan with ${p.name}`} onChange={(e) => toggle(p.name, e.currentTarget.checked)} />
                    <span class="swatch" style={{ background: planColor(p.name) }} aria-hidden="true" />
                    <code>{p.name}</code>
                  </label>
                  <Show when={spec() && knobs.length > 0}>
                    <KnobAxis profile={p.name} knobs={knobs} defaults={p.defaults as Record<string, unknown>} value={spec()!.knob} disabled={props.disabled} onChange={(knob) => change(`plan.profiles`, (pl) => {
                      const s = pl.profiles.find((x) => x.profile === p.name)!;
                      if (knob) s.knob = knob;
                      else delete s.knob;
                    })} />
                  </Show>
                </div>
              );
            }}
          </For>
        </div>
        <Show when={profileError()}>
          <p class="field-error" role="alert">
            {profileError()}
          </p>
        </Show>
      </fieldset>
      <fieldset class="card">
        <legend>Cluster scale</legend>
        <div class="row" role="radiogroup" aria-label="How the cluster is scaled">
          <label class="field inline">
            <input type="radio" name="plan-scale-mode" checked={!perPool()} disabled={props.disabled} onChange={() => change('plan.scale', (p) => (p.scale = { factors: factors() }))} />
            factor on every pool
          </label>
          <label class="field inline">
            <input type="radio" name="plan-scale-mode" checked={perPool()} disabled={props.disabled} onChange={() => change('plan.scale', (p) => (p.scale = { poolCounts: Object.fromEntries(props.pools.map((x) => [x.name, [x.count]])) }))} />
            node counts per pool
          </label>
        </div>
        <Show
          when={perPool()}
          fallback={<ListField label="Scale factors" id="plan-factors" value={factors()} rules={{ min: 0.01, max: 100, maxValues: 200 }} hint="e.g. 0.5..2:0.25 or 0.5, 1, 2" disabled={props.disabled} onValues={(v) => change('plan.scale', (p) => (p.scale = { factors: v }))} />}
        >
          <For each={[...props.pools]}>
            {(pool) => (
              <ListField
                label={`Nodes in ${pool.name}`}
                id={`plan-pool-${pool.name}`}
                value={props.plan.scale?.poolCounts?.[pool.name] ?? [pool.count]}
                rules={{ integer: true, min: 0, max: 10_000, maxValues: 200 }}
                hint="e.g. 4..12:2"
                disabled={props.disabled}
                onValues={(v) => change('plan.scale', (p) => (p.scale = { poolCounts: { ...(p.scale?.poolCounts ?? {}), [pool.name]: v } }))}
              />
            )}
          </For>
        </Show>
      </fieldset>
      <fieldset class="card">
        <legend>Demand and seeds</legend>
        <ListField label="Demand scale" id="plan-demand" value={props.plan.demandScale ?? [1]} rules={{ min: 0.01, max: 100, maxValues: 50 }} hint="× every workload's rate and count" disabled={props.disabled} onValues={(v) => change('plan.demandScale', (p) => (p.demandScale = v))} />
        <ListField label="Seeds" id="plan-seeds" value={seeds()} rules={{ integer: true, min: 0, max: 4294967295, maxValues: 10_000 }} hint="replicas per cell, e.g. 1..5" disabled={props.disabled} onValues={(v) => change('plan.seeds', (p) => (p.seeds = v.length >= 3 && v.every((x, i) => i === 0 || x === v[i - 1] + 1) ? { from: v[0], to: v[v.length - 1] } : v))} />
      </fieldset>
      <fieldset class="card">
        <legend>Targets</legend>
        {numTarget('sloAttainmentPct', 'Inference SLO attainment at least', '%', 99)}
        {numTarget('p95WaitS', 'p95 pod wait at most', 's', 60)}
        {numTarget('trainingSlowdown', 'Training slowdown at most', '×', 1.5)}
        <label class="field inline plan-target">
          <input type="checkbox" checked={props.plan.targets.nothingPending === true} disabled={props.disabled} aria-label="Nothing pending at the end" onChange={(e) => setTarget('nothingPending', e.currentTarget.checked ? true : undefined)} />
          <span>Nothing pending at the end</span>
        </label>
        {numTarget('maxCostPerHourUsd', 'Cost at most', 'USD/h', 100)}
        <label class="field inline">
          <span>Seeds that must meet every target</span>
          <span class="field-input">
            <input type="number" value={props.plan.confidencePct ?? 95} min="1" max="100" step="1" disabled={props.disabled} aria-label="Share of seeds that must meet every target" onChange={(e) => setTargetError({ ...targetError(), confidencePct: change('plan.confidencePct', (p) => (p.confidencePct = Number(e.currentTarget.value))) })} />
            <span class="unit">%</span>
          </span>
        </label>
        <Show when={targetError().confidencePct}>
          <span class="field-error" role="alert">
            {targetError().confidencePct}
          </span>
        </Show>
      </fieldset>
      <fieldset class="card">
        <legend>Cap</legend>
        <label class="field inline">
          <span>Ask before running more than</span>
          <input type="number" value={props.plan.maxReplicas ?? 10_000} min="1" step="1" disabled={props.disabled} aria-label="Replica cap" onChange={(e) => setTargetError({ ...targetError(), maxReplicas: change('plan.maxReplicas', (p) => (p.maxReplicas = Number(e.currentTarget.value))) })} />
          <span class="unit">replicas</span>
        </label>
        <Show when={targetError().maxReplicas}>
          <span class="field-error" role="alert">
            {targetError().maxReplicas}
          </span>
        </Show>
      </fieldset>
      <Show when={messages().length > 0 && !profileError() && !Object.values(targetError()).some(Boolean)}>
        <ul class="field-error plan-messages" aria-label="Plan problems">
          <For each={messages()}>{(m) => <li>{m}</li>}</For>
        </ul>
      </Show>
    </section>
  );
}

/** The one knob of a profile the plan sweeps: which knob and its values. */
function KnobAxis(props: { profile: string; knobs: Knob[]; defaults: Record<string, unknown>; value: PlanSpec['profiles'][number]['knob']; disabled?: boolean; onChange: (k: { key: string; values: unknown[] } | undefined) => string | null }): JSX.Element {
  const [error, setError] = createSignal<string | null>(null);
  const knob = () => props.knobs.find((k) => k.key === props.value?.key);
  const parse = (k: Knob, text: string): { ok: true; values: unknown[] } | { ok: false; error: string } => {
    if (k.kind === 'choice') {
      const vs = text.split(/[\s,]+/).filter(Boolean);
      const bad = vs.find((v) => !k.choices.includes(v));
      if (vs.length === 0) return { ok: false, error: 'is empty: type at least one value' };
      if (bad) return { ok: false, error: `"${bad.slice(0, 40)}" is not one of ${k.choices.join(', ')}` };
      return { ok: true, values: vs };
    }
    if (k.kind !== 'int' && k.kind !== 'number') return { ok: false, error: `${k.key} cannot be swept` };
    return parseNumberList(text, { integer: k.kind === 'int', min: k.min, max: k.max, maxValues: 50 });
  };
  return (
    <div class="plan-knob">
      <label class="field inline">
        <span class="field-label">Sweep</span>
        <select
          aria-label={`Knob of ${props.profile} to sweep`}
          disabled={props.disabled}
          onChange={(e) => {
            const k = props.knobs.find((x) => x.key === e.currentTarget.value);
            // A new knob starts at its default value: one value, so the axis is never empty.
            setError(k ? props.onChange({ key: k.key, values: [props.defaults[k.key]] }) : props.onChange(undefined));
          }}
        >
          <option value="" selected={!props.value}>
            no knob
          </option>
          <For each={props.knobs}>{(k) => <option value={k.key} selected={props.value?.key === k.key}>{k.label}</option>}</For>
        </select>
      </label>
      <Show when={knob()}>
        {(k) => (
          <label class="field inline">
            <span class="field-label">values</span>
            <input
              type="text"
              value={(props.value?.values ?? []).join(', ')}
              disabled={props.disabled}
              aria-label={`Values of ${k().key} for ${props.profile}`}
              aria-invalid={error() ? 'true' : undefined}
              onChange={(e) => {
                const r = parse(k(), e.currentTarget.value);
                setError(r.ok ? props.onChange({ key: k().key, values: r.values }) : `${k().key}: ${r.error}`);
              }}
            />
          </label>
        )}
      </Show>
      <Show when={error()}>
        <span class="field-error" role="alert">
          {error()}
        </span>
      </Show>
    </div>
  );
}
