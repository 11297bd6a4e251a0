/**
 * The profile registry. Each profile lives in its own file and registers here; the simulator, CLI and UI look
 * profiles up by name and never construct schedulers directly.
 */
import type { Scheduler } from '../framework.ts';
import { k8sDefault } from './k8sDefault.ts';
import { HAMI_PROFILES } from './hami.ts';
import { k8sTimeSlicing } from './timeSlicing.ts';
import { FGD_PROFILES } from './fgd.ts';
import { volcano, volcanoHami } from './volcano.ts';
import type { Knob, ProfileDefinition, ProfileEnv } from './types.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const PROFILES: ProfileDefinition<any>[] = [k8sDefault, k8sTimeSlicing, ...HAMI_PROFILES, ...FGD_PROFILES, volcano, volcanoHami];

/** All registered profiles, in display order. */
export function listProfiles(): readonly ProfileDefinition<Record<string, unknown>>[] {
  return PROFILES;
}

/** A profile by name, or undefined. */
export function getProfile(name: string): ProfileDefinition<Record<string, unknown>> | undefined {
  return PROFILES.find((p) => p.name === name);
}

/** Validates knob values against a profile; returns messages naming the knob (empty when valid). */
export function checkProfileOptions(def: ProfileDefinition<Record<string, unknown>>, options: Record<string, unknown> | undefined, path: string): string[] {
  const errors: string[] = [];
  if (options === undefined) return errors;
  for (const [key, value] of Object.entries(options)) {
    const knob = def.knobs.find((k) => k.key === key);
    if (!knob) {
      errors.push(`${path}.${key}: unknown option for profile ${def.name} (known: ${def.knobs.map((k) => k.key).join(', ') || 'none'})`);
      continue;
    }
    const msg = checkKnob(knob, value);
    if (msg) errors.push(`${path}.${key}: ${msg}`);
  }
  return errors;
}

function checkKnob(knob: Knob, value: unknown): string | null {
  switch (knob.kind) {
    case 'choice':
      return typeof value === 'string' && knob.choices.includes(value) ? null : `must be one of ${knob.choices.join(', ')}`;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer';
      return value < knob.min || value > knob.max ? `must be between ${knob.min} and ${knob.max}` : null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      return value < knob.min || value > knob.max ? `must be between ${knob.min} and ${knob.max}` : null;
    case 'bool':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'string':
      return typeof value === 'string' ? null : 'must be a string';
  }
}

/** Builds a scheduler from a profile name and options (defaults filled in). Throws on an unknown profile. */
export function createScheduler(name: string, options: Record<string, unknown> | undefined, env: ProfileEnv): Scheduler {
  const def = getProfile(name);
  if (!def) throw new Error(`unknown scheduler profile: ${name}`);
  return def.create({ ...def.defaults, ...(options ?? {}) }, env);
}
