/** A scenario that validates field by field but cannot be set up (an existing pod on an unknown node...). */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}
