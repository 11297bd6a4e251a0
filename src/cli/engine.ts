/**
 * `--engine cpu|gpu|auto` for the CLI commands that schedule (run, place, sweep, openb): parses the flag,
 * selects the engine through Dawn in Node (engine/wiring/nodeGpu.ts), and turns "no adapter for --engine gpu" into an
 * InputError (exit 2); and the CLI's words for an engine status (status.ts): the stderr line `engine: <name> — <reason>`
 * and the `engine: {name, reason}` of --json. The human line goes to stderr, so stdout stays the command's own output.
 */
import { InputError, type CliIO } from './io.ts';
import { nodeGpuProvider } from '../engine/wiring/nodeGpu.ts';
import { EngineUnavailableError, selectEngine, type EngineFlag, type EngineSelection } from '../engine/wiring/select.ts';
import type { EngineStatus } from '../engine/wiring/status.ts';

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
    if (e instanceof EngineUnavailableError) throw new InputError(`--engine gpu: ${whyNoGpu(e.status)}. Use --engine cpu or --engine auto.`);
    throw e;
  }
}

/** Which engine ran and why, in words (the `engine` field of run/place/sweep --json). */
export interface EngineReport {
  name: 'cpu' | 'gpu';
  reason: string;
}

/** Why no GPU engine runs, for the CPU-side causes of selection (e.g. `no WebGPU adapter`). */
export function whyNoGpu(s: EngineStatus): string {
  switch (s.cause) {
    case 'no-webgpu':
      return s.detail;
    case 'no-adapter':
      return 'no WebGPU adapter';
    case 'adapter-failed':
      return `requesting a WebGPU adapter failed: ${s.detail}`;
    case 'device-failed':
      return `requesting a WebGPU device failed: ${s.detail}`;
    case 'compile-failed':
      return `compiling the kernels failed: ${s.detail}`;
    default:
      return s.detail || s.cause;
  }
}

/** An engine status in the CLI's words, e.g. `WebGPU: NVIDIA H100 (requested with --engine gpu)`. */
export function engineReason(s: EngineStatus): string {
  const gpu = (): string => `WebGPU: ${s.adapter ?? 'unknown adapter'}${s.software ? ' (software, not a GPU)' : ''}`;
  switch (s.cause) {
    case 'requested':
      return s.engine === 'gpu' ? `${gpu()} (requested with --engine gpu)` : 'CPU engine (requested with --engine cpu)';
    case 'auto':
      return gpu();
    case 'software-only':
      return `CPU engine: the only WebGPU adapter is a software one (${s.adapter}), slower than the CPU engine; use --engine gpu to force it`;
    case 'gpu-failed':
      return `${s.adapter} failed (${s.detail}); finished on the CPU engine`;
    case 'no-kernel':
      return `${s.base ? engineReason(s.base) : 'WebGPU'}; profile ${s.detail} has no GPU kernel yet, so it ran on the CPU`;
    default:
      return `CPU engine: ${whyNoGpu(s)}`;
  }
}

/** One report for the runs of a command (their distinct statuses): GPU when any ran on it, the reasons joined; `note` appended. */
export function engineReport(statuses: readonly EngineStatus[], note = ''): EngineReport {
  const name = statuses.some((st) => st.engine === 'gpu') ? 'gpu' : 'cpu';
  return { name, reason: statuses.map(engineReason).join(' | ') + note };
}

/** The stderr line naming the engine that ran. */
export function engineLine(report: EngineReport): string {
  return `engine: ${report.name} — ${report.reason}`;
}
