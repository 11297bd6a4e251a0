/** Scheduler profiles: a catalog entry (src/scenario/profileCatalog.ts: name, knobs, defaults) plus a factory. */
import type { Rng } from '../../core/rng.ts';
import type { ClusterState } from '../../model/cluster.ts';
import type { ProfileInfo } from '../../scenario/profileCatalog.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { Scheduler } from '../framework.ts';
import type { ProfileKernel } from './kernelSpecs.ts';

/** What a profile factory may look at. */
export interface ProfileEnv {
  scenario: Scenario;
  /** The cluster the scheduler will run on (read-only at creation time). */
  cluster: ClusterState;
  /** The scheduler's own seeded stream. */
  rng: Rng;
  /** A node tie-break ranking to use instead of drawing one (the FGD profiles; the Go-replay mode supplies it). */
  nodeRank?: Int32Array;
}

/** A profile: its catalog entry and the factory that builds its scheduler. */
export interface ProfileDefinition<O extends object = Record<string, unknown>> extends ProfileInfo<O> {
  create(options: O, env: ProfileEnv): Scheduler;
  /**
   * The kernel that evaluates this profile's candidates on an engine (kernelSpecs.ts; src/engine runs it), for the
   * options (defaults filled in) and the scenario, or null where the kernel does not cover them. Absent: the plugin
   * path only.
   */
  kernel?(options: O, scenario: Scenario | undefined): ProfileKernel | null;
}
