/** Loading a scenario file for the CLI: every problem becomes an InputError that names the file and field. */
import { parseScenario } from '../scenario/validate.ts';
import type { Scenario } from '../scenario/types.ts';
import { InputError, MAX_SCENARIO_BYTES, parseJsonText, readText } from './io.ts';

/** Reads, parses and validates a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  const json = parseJsonText(readText(path, MAX_SCENARIO_BYTES), path);
  const r = parseScenario(json);
  if (!r.ok) {
    const shown = r.errors.slice(0, 25);
    const more = r.errors.length > shown.length ? `\n  ... and ${r.errors.length - shown.length} more` : '';
    throw new InputError(`${path}: invalid scenario:\n  ${shown.join('\n  ')}${more}`);
  }
  return r.scenario;
}
