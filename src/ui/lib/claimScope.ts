/**
 * Whether a preset's claim (its `expect` lines) still speaks for an edited scenario (issue 18): "What differs"
 * orders its sentences by the claim and never states a reversal of it, which is only honest while the runs the
 * claim names are the runs it was checked on. It is, when everything that shapes those runs is the preset's (or
 * its variant's): cluster, catalog, workloads, existing pods, queues, simulation settings, and each claimed
 * scheduler as shipped. Schedulers the claim does not name may be added, removed or edited; the name and
 * description may change. Anything else and the claim no longer applies (the callouts say so).
 */
import type { Scenario, SchedulerSpec } from '../../scenario/types.ts';
import type { Expectation } from '../share/presetManifest.ts';

/** The scenario fields besides `schedulers` that decide what the runs do. */
const RUN_SHAPING = ['catalog', 'cluster', 'workloads', 'existingPods', 'queues', 'sim'] as const;

/** The schedulers (labels or profile names) a variant's claim lines name, on either side of a comparison. */
export function claimedRuns(claims: readonly Expectation[], variant: string | null): string[] {
  const names = new Set<string>();
  for (const e of claims) {
    if ((e.variant ?? null) !== variant) continue;
    names.add(e.profile);
    if (e.than?.profile !== undefined) names.add(e.than.profile);
  }
  return [...names];
}

const runName = (s: SchedulerSpec): string => s.label ?? s.profile;

/**
 * True when the claim of `variant` (checked on `claimed`, the preset or variant as shipped) holds for the runs of
 * `current`: see the module comment.
 */
export function claimStillApplies(current: Scenario, claimed: Scenario, claims: readonly Expectation[], variant: string | null): boolean {
  const names = claimedRuns(claims, variant);
  if (names.length === 0) return false;
  if (!RUN_SHAPING.every((k) => sameValue(current[k], claimed[k]))) return false;
  return names.every((n) => {
    const shipped = claimed.schedulers.find((s) => runName(s) === n);
    const now = current.schedulers.find((s) => runName(s) === n);
    return shipped !== undefined && now !== undefined && sameValue(now, shipped);
  });
}

/** Deep equality of JSON values; a key holding `undefined` counts as absent, key order does not matter. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = (o: Record<string, unknown>): string[] => Object.keys(o).filter((k) => o[k] !== undefined);
  const ka = keys(ao);
  return ka.length === keys(bo).length && ka.every((k) => Object.hasOwn(bo, k) && sameValue(ao[k], bo[k]));
}
