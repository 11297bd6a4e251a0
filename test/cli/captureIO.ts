/** A CliIO that keeps what a command prints, for the CLI tests. */
import type { CliIO } from '../../src/cli/io.ts';

/** Captures stdout and stderr as strings, one line per call. */
export function capture(): CliIO & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out(t: string) { io.stdout += t + '\n'; }, err(t: string) { io.stderr += t + '\n'; } };
  return io;
}
