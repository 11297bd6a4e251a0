/** Scheduler profiles as data: a name, knobs the UI can show and edit, defaults, and a factory. */
import type { Rng } from '../../core/rng.ts';
import type { ClusterState } from '../../model/cluster.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { Scheduler } from '../framework.ts';
import type { ProfileKernel } from './kernelSpecs.ts';

/** One editable knob of a profile. */
export type Knob =
  | { key: string; label: string; kind: 'choice'; choices: string[]; help: string }
  | { key: string; label: string; kind: 'int'; min: number; max: number; help: string }
  | { key: string; label: string; kind: 'number'; min: number; max: number; help: string }
  | { key: string; label: string; kind: 'bool'; help: string }
  | { key: string; label: string; kind: 'string'; help: string };

/** What a profile factory may look at. */
export interface ProfileEnv {
  scenario: Scenario;
  /** The cluster the scheduler will run on (read-only at creation time). */
  cluster: ClusterState;
  /** The scheduler's own seeded stream. */
  rng: Rng;
}

export interface ProfileDefinition<O extends object = Record<string, unknown>> {
  name: string;
  title: string;
  /** One sentence for the picker. */
  summary: string;
  /** Which upstream version/behaviour it models. */
  models: string;
  knobs: Knob[];
  defaults: O;
  create(options: O, env: ProfileEnv): Scheduler;
  /**
   * The kernel that evaluates this profile's candidates on an engine (kernelSpecs.ts; src/engine runs it), for the
   * options (defaults filled in) and the scenario, or null where the kernel does not cover them. Absent: the plugin
   * path only.
   */
  kernel?(options: O, scenario: Scenario | undefined): ProfileKernel | null;
}
