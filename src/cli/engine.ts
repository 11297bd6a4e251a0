/**
 * `--engine cpu|gpu|auto` for the CLI commands that schedule (run, place, sweep, openb): parses the flag,
 * selects the engine through Dawn in Node (engine/wiring/nodeGpu.ts), and turns "no adapter for --engine gpu" into an
 * InputError (exit 2). The human line goes to stderr, so stdout stays the command's own output.
 */
import { InputError, type CliIO } from './io.ts';
import { nodeGpuProvider } from '../engine/wiring/nodeGpu.ts';
import { EngineUnavailableError, selectEngine, type EngineFlag, type EngineSelection } from '../engine/wiring/select.ts';
import type { EngineReport } from '../engine/wiring/wire.ts';

/** The parseArgs option every scheduling command declares. */
export const ENGINE_OPTION = { engine: { type: 'string' } } as const;

/** Usage text of the flag. */
export const ENGINE_USAGE = '[--engine cpu|gpu|auto]';

/** Parses the flag value (default auto); a bad value is an InputError. */
export function engineFlagOf(value: unknown): EngineFlag {
  if (value === undefined) return 'auto';
  if (value === 'cpu' || value === 'gpu' || value === 'auto') return value;
  throw new InputError(`--engine: must be cpu, gpu or auto, got "${String(value)}"`);
}

/** Selects the engine for a CLI run; `--engine gpu` without a usable adapter → InputError (exit 2). */
export async function selectCliEngine(value: unknown, io?: CliIO): Promise<EngineSelection> {
  const flag = engineFlagOf(value);
  if (flag === 'cpu') return selectEngine('cpu', null);
  try {
    return await selectEngine(flag, await nodeGpuProvider(), (reason) => io?.err(`engine: ${reason}; finishing on the CPU engine`));
  } catch (e) {
    if (e instanceof EngineUnavailableError) throw new InputError(`${e.message}. Use --engine cpu or --engine auto.`);
    throw e;
  }
}

/** The stderr line naming the engine that ran. */
export function engineLine(report: EngineReport): string {
  return `engine: ${report.name} — ${report.reason}`;
}
