/** Computing and comparing the pinned results (scripts/pins.ts writes them, pins.test.ts checks them). */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { listProfiles } from '../../src/sched/profiles/index.ts';

/** key → [traceHash, summary digest, series digest]. */
export type Pins = Record<string, [string, string, string]>;

const presetsDir = new URL('../../public/scenarios/', import.meta.url);

/** Every shipped preset's name (public/scenarios/*.json but the index). */
export function presetNames(): string[] {
  return readdirSync(presetsDir).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.slice(0, -5)).sort();
}

/** A preset, parsed and validated. */
export function preset(name: string): Scenario {
  const r = parseScenario(JSON.parse(readFileSync(new URL(`${name}.json`, presetsDir), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

/** sha256 of a value's JSON, first 16 hex digits: any change in any metric's bits changes it. */
export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** The runs one preset pins: `name/label` for each of its own schedulers, `name/*profile` for every profile's defaults. */
export function pinRuns(name: string): { key: string; scenario: Scenario; schedulerIndex: number }[] {
  const s = preset(name);
  const own = s.schedulers.map((x, i) => ({ key: `${name}/${x.label ?? x.profile}`, scenario: s, schedulerIndex: i }));
  const all = listProfiles().map((p) => ({ key: `${name}/*${p.name}`, scenario: { ...s, schedulers: [{ profile: p.name }] }, schedulerIndex: 0 }));
  return [...own, ...all];
}

/** One run's pin. */
export function pinOf(scenario: Scenario, schedulerIndex: number): [string, string, string] {
  const r = simulate(scenario, { schedulerIndex });
  return [r.traceHash, digest(r.summary), digest(r.series)];
}

/** Pins of the given presets (default: all). */
export function computePins(names: string[] = presetNames()): Pins {
  const out: Pins = {};
  for (const n of names) for (const run of pinRuns(n)) out[run.key] = pinOf(run.scenario, run.schedulerIndex);
  return out;
}

/** Lines saying what moved between two pin sets (partial: ignore keys absent from `fresh`). */
export function diffPins(old: Pins, fresh: Pins, partial = false): string[] {
  const lines: string[] = [];
  const what = ['traceHash', 'summary', 'series'];
  for (const [k, v] of Object.entries(fresh)) {
    const o = old[k];
    if (!o) { lines.push(`new     ${k}`); continue; }
    const changed = what.filter((_, i) => o[i] !== v[i]);
    if (changed.length) lines.push(`moved   ${k}: ${changed.map((w) => `${w} ${o[what.indexOf(w)]} → ${v[what.indexOf(w)]}`).join(', ')}`);
  }
  if (!partial) for (const k of Object.keys(old)) if (!(k in fresh)) lines.push(`gone    ${k}`);
  return lines;
}
