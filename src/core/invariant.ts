/** Thrown when an internal invariant breaks: always a bug, never an expected outcome. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

/** Asserts an internal invariant; a failure is a bug in Slicebench, not bad input. */
export function invariant(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantError(typeof message === 'function' ? message() : message);
}
