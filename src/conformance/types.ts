/**
 * Conformance: the upstream projects' own unit-test vectors (../shared/conformance/*.json) run through the
 * same plugin, filter, score and allocator functions the simulator uses. An adapter translates the neutral
 * vocabulary into our types; it never re-implements a rule.
 */

/** One vector as stored in the JSON files. */
export interface ConformanceCase {
  id: string;
  source: string;
  description?: string;
  input: { function?: string; strategy?: string; [key: string]: unknown };
  expected: Record<string, unknown>;
}

export type CaseStatus = 'pass' | 'fail' | 'unsupported';

export interface CaseOutcome {
  status: CaseStatus;
  /** For a failure: expected vs got; for unsupported: why. */
  detail: string;
}

/** Runs the cases of one upstream project. */
export interface ConformanceAdapter {
  /** `hami`, `kube_noderesources`, `volcano` or `fgd` (the file's base name). */
  project: string;
  /** Whether this adapter understands the case (by its function or strategy). */
  supports(c: ConformanceCase): boolean;
  run(c: ConformanceCase): CaseOutcome;
}
