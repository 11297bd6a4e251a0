/**
 * `slicebench` command line. Each command lives in `commands/<name>.ts` and registers in COMMANDS.
 * Bad input → message on stderr, exit code 2; any other exception is a bug and propagates (exit 1).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { clipLines, InputError, processIO, quoteInput, type CliIO } from './io.ts';
import { runCommand } from './commands/run.ts';
import { openbCommand } from './commands/openb.ts';
import { sweepCommand } from './commands/sweep.ts';
import { validateCommand } from './commands/validate.ts';
import { conformanceCommand } from './commands/conformance.ts';
import { placeCommand } from './commands/place.ts';
import { importCommand } from './commands/import.ts';
import { exportCommand } from './commands/export.ts';
import { mergeCommand } from './commands/merge.ts';
import { planCommand } from './commands/plan.ts';

/** A CLI command: parses its own flags, returns the exit code. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: Record<string, string | boolean | undefined>, io: CliIO): Promise<number> | number;
}

const COMMANDS: Command[] = [runCommand, validateCommand, conformanceCommand, placeCommand, openbCommand, sweepCommand, planCommand, mergeCommand, importCommand, exportCommand];

function usage(): string {
  const lines = ['usage: slicebench <command> [options]', '', 'commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  return lines.join('\n');
}

/** Runs the CLI with the given arguments; returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`slicebench: unknown command ${quoteInput(name)}\n\n${usage()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (values.help) {
      io.out(`usage: slicebench ${cmd.usage}\n${cmd.summary}`);
      return 0;
    }
    return await cmd.run(positionals, values as Record<string, string | boolean | undefined>, io);
  } catch (e) {
    if (e instanceof InputError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`slicebench ${name}: ${clipLines((e as Error).message)}`);
      return 2;
    }
    throw e;
  }
}
