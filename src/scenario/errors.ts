/**
 * A scenario a run cannot be set up from. Validation checks everything a scenario holds (existing pods against
 * their nodes included), so today only a scheduler index the scenario does not have raises it (sim/setup.ts).
 */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}
