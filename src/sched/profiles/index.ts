/**
 * The profile registry. Each profile lives in its own file and registers here; the simulator, CLI and UI look
 * profiles up by name and never construct schedulers directly. Their metadata (and the knob checks) live in the
 * data-only catalog src/scenario/profileCatalog.ts, in the same order.
 */
import type { Scheduler } from '../framework.ts';
import { k8sDefault } from './k8sDefault.ts';
import { HAMI_PROFILES } from './hami.ts';
import { k8sTimeSlicing } from './timeSlicing.ts';
import { FGD_PROFILES } from './fgd.ts';
import { volcano, volcanoHami } from './volcano.ts';
import { MIG_PROFILES } from './mig.ts';
import { hamiDra, k8sDra } from './dra.ts';
import type { ProfileDefinition, ProfileEnv } from './types.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const PROFILES: ProfileDefinition<any>[] = [k8sDefault, k8sTimeSlicing, ...HAMI_PROFILES, ...FGD_PROFILES, volcano, volcanoHami, ...MIG_PROFILES, k8sDra, hamiDra];

/** All registered profiles, in display order. */
export function listProfiles(): readonly ProfileDefinition<Record<string, unknown>>[] {
  return PROFILES;
}

/** A profile by name, or undefined. */
export function getProfile(name: string): ProfileDefinition<Record<string, unknown>> | undefined {
  return PROFILES.find((p) => p.name === name);
}

/** Builds a scheduler from a profile name and options (defaults filled in). Throws on an unknown profile. */
export function createScheduler(name: string, options: Record<string, unknown> | undefined, env: ProfileEnv): Scheduler {
  const def = getProfile(name);
  if (!def) throw new Error(`unknown scheduler profile: ${name}`);
  return def.create({ ...def.defaults, ...(options ?? {}) }, env);
}
