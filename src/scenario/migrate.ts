/**
 * Migration chain for the scenario format: each step takes version v to v + 1 and fills in what changed.
 * Version 1 is the first version, so the chain is empty today; a new version adds a step here and a
 * fixture under test/scenario/fixtures/ that an old file still opens.
 */

type Obj = Record<string, unknown>;
type Step = (s: Obj) => Obj;

/** MIGRATIONS[v] upgrades a version-v scenario to version v + 1. */
const MIGRATIONS: Record<number, Step> = {};

export type MigrateResult = { ok: true; value: Obj } | { ok: false; errors: string[] };

/** Upgrades a scenario object of `version` to the current version (a deep copy; the input is untouched). */
export function migrate(input: Obj, version: number): MigrateResult {
  let s = JSON.parse(JSON.stringify(input)) as Obj; // scenarios are plain JSON
  for (let v = version; MIGRATIONS[v]; v++) {
    s = MIGRATIONS[v](s);
    s.version = v + 1;
  }
  return { ok: true, value: s };
}
