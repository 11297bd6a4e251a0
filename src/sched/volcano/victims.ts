/**
 * Volcano's tiered victim selection (pkg/scheduler/framework/session_plugins.go Preemptable, Reclaimable, v1.15):
 * the plugins of a tier that register a PreemptableFn (preempt) or ReclaimableFn (reclaim) are asked in order; a
 * plugin returning no candidates voids the tier (victims = nil, the tier's loop breaks), otherwise the victims are
 * the intersection of the lists so far (an empty intersection is nil again, so a later plugin of the same tier
 * starts a new list); the first tier left with a list decides, and later tiers are never consulted.
 *
 * Which plugins register which function (release-1.15): priority (PreemptableFn), gang (both), conformance (both),
 * drf (PreemptableFn; its ReclaimableFn only with hierarchy on, which we do not model), proportion (ReclaimableFn).
 * A plugin's `enablePreemptable` / `enableReclaimable` (default true, plugins/defaults.go) takes it out.
 */

/** A plugin that can register a victim function. */
export type VictimPlugin = 'priority' | 'gang' | 'conformance' | 'drf' | 'proportion';

/** Plugin tiers asked for victims, tier by tier, each in configuration order. */
export interface VictimTiers {
  preemptable: readonly (readonly VictimPlugin[])[];
  reclaimable: readonly (readonly VictimPlugin[])[];
}

/** The two configurations a user meets: the scheduler binary's built-in one, and the Helm chart's. */
export type VictimTierPreset = 'helm' | 'code';

/**
 * code: pkg/scheduler/util.go DefaultSchedulerConf, tiers [priority, gang, conformance], [overcommit, drf,
 * predicates, proportion, nodeorder], every victim function on. helm: installer/helm/chart/volcano/config/
 * volcano-scheduler.conf (release-1.15), the same tiers plus binpack, with `enablePreemptable: false` on gang and
 * drf (their reclaimable functions stay on, so reclaim is the same under both).
 */
export const VICTIM_TIER_PRESETS: Readonly<Record<VictimTierPreset, VictimTiers>> = {
  code: {
    preemptable: [['priority', 'gang', 'conformance'], ['drf']],
    reclaimable: [['gang', 'conformance'], ['proportion']],
  },
  helm: {
    preemptable: [['priority', 'conformance'], []],
    reclaimable: [['gang', 'conformance'], ['proportion']],
  },
};

/** One plugin's victim function: the candidates it would let go, from the preemptees in the order given. */
export type VictimFn<T> = (preemptees: readonly T[]) => T[];

/**
 * The tier walk of ssn.Preemptable / ssn.Reclaimable: `fnOf` gives a plugin's function, or null when the plugin
 * is off or registers none for this action (skipped as upstream's `found` check does). Every function of ours
 * answers with util.Permit, so none abstains. Returns the deciding tier's victims, or none.
 */
export function tieredVictims<T>(tiers: readonly (readonly VictimPlugin[])[], fnOf: (plugin: VictimPlugin) => VictimFn<T> | null, preemptees: readonly T[]): T[] {
  for (const tier of tiers) {
    let victims: T[] | null = null;
    for (const plugin of tier) {
      const fn = fnOf(plugin);
      if (!fn) continue;
      const candidates = fn(preemptees);
      if (candidates.length === 0) {
        victims = null;
        break;
      }
      if (victims === null) victims = candidates;
      else {
        const keep = new Set(candidates);
        const both: T[] = victims.filter((v) => keep.has(v));
        victims = both.length > 0 ? both : null;
      }
    }
    if (victims !== null) return victims;
  }
  return [];
}
