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
import { jsonEqual } from '../share/history.ts';

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
  if (!RUN_SHAPING.every((k) => jsonEqual(current[k], claimed[k]))) return false;
  return names.every((n) => {
    const shipped = claimed.schedulers.find((s) => runName(s) === n);
    const now = current.schedulers.find((s) => runName(s) === n);
    return shipped !== undefined && now !== undefined && jsonEqual(now, shipped);
  });
}
