/** Shared CLI plumbing: output streams, bad-input errors (exit 2), reading files (with size caps), flag parsing. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { quoteInput } from '../core/quoteInput.ts';

export { quoteInput };

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

/** Caps on what the CLI reads: a trace (CSV, rows files, snapshots) and a scenario or conformance case file. */
export const MAX_TRACE_BYTES = 256 * 1024 * 1024;
export const MAX_SCENARIO_BYTES = 64 * 1024 * 1024;

function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/**
 * Reads a text file of at most `maxBytes` or throws an InputError naming it. A regular file's size is checked
 * before reading; anything else (/dev/zero, a pipe) is read in chunks and stopped at the cap, so no input reads
 * forever. A UTF-8 byte order mark is dropped, as the app's file pickers do.
 */
export function readText(path: string, maxBytes = MAX_TRACE_BYTES): string {
  const tooBig = (): InputError => new InputError(`${path}: larger than the ${mib(maxBytes)} limit for this file`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError(`cannot read ${path}: EISDIR`);
    if (st.isFile() && st.size > maxBytes) throw tooBig();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooBig();
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    const text = Buffer.concat(chunks, total).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${path}: ${code ?? String(e)}`);
  } finally {
    closeSync(fd);
  }
}

/** Parses JSON text or throws an InputError naming the file and the position. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what}: invalid JSON: ${clipLines((e as Error).message)}`);
  }
}

/** Parses an integer flag value or throws an InputError naming the flag. */
export function intFlag(value: string | undefined, flag: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new InputError(`${flag}: must be an integer, got ${quoteInput(value)}`);
  return Number(value);
}

/** Parses a number flag value or throws an InputError naming the flag. */
export function numberFlag(value: string | undefined, flag: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InputError(`${flag}: must be a number, got ${quoteInput(value)}`);
  return n;
}

/** Seeds, in every command: integers in [0, 2^32 − 1] (the RNG's seed space; larger values would wrap). */
export const MAX_SEED = 0xffffffff;

/** Parses a `--seed` value (undefined when absent) or throws an InputError naming the flag and the range. */
export function seedFlag(value: string | undefined, flag = '--seed'): number | undefined {
  const seed = intFlag(value, flag);
  if (seed !== undefined) checkSeed(seed, flag);
  return seed;
}

/** Throws an InputError unless `seed` is in the seed range. */
export function checkSeed(seed: number, flag: string): void {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > MAX_SEED) throw new InputError(`${flag}: a seed must be an integer between 0 and ${MAX_SEED}, got ${quoteInput(String(seed))}`);
}

/** Longest line an error message prints; longer lines (user input quoted by a validator) are cut. */
const MAX_LINE_CHARS = 400;

/** Cuts every line of a message to MAX_LINE_CHARS, with an ellipsis and the line's length, so no message echoes megabytes. */
export function clipLines(message: string): string {
  return message
    .split('\n')
    .map((l) => (l.length <= MAX_LINE_CHARS ? l : `${l.slice(0, MAX_LINE_CHARS)}… (${l.length.toLocaleString('en-US')} chars)`))
    .join('\n');
}
