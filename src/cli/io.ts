/** Shared CLI plumbing: output streams, bad-input errors (exit 2), reading files. */
import { readFileSync } from 'node:fs';

/** Where a command writes; tests pass buffers. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

/** Bad input from the user: printed on stderr, exit code 2. Anything else thrown is a bug. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Reads a text file or throws an InputError naming it. */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
  }
}

/** Parses JSON text or throws an InputError naming the file and the position. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what}: invalid JSON: ${(e as Error).message}`);
  }
}

/** Parses an integer flag value or throws an InputError naming the flag. */
export function intFlag(value: string | undefined, flag: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new InputError(`${flag}: must be an integer, got "${value}"`);
  return Number(value);
}

/** Parses a number flag value or throws an InputError naming the flag. */
export function numberFlag(value: string | undefined, flag: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InputError(`${flag}: must be a number, got "${value}"`);
  return n;
}
