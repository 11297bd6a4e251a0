/**
 * The workbench's engine, chosen by the user (Auto / CPU / GPU in the toolbar) and selected through
 * src/engine/wiring/select.ts with `navigator.gpu` and the WGSL bundled by Vite:
 * - `auto`: a real GPU adapter → the WebGPU engine drives the runs of profiles that have a kernel (EngineScheduler;
 *   the others stay on the CPU scheduler code); a fallback/software adapter or none → the CPU engine.
 * - `gpu` (forced): any adapter, a software one included (SwiftShader: correct, not fast); no WebGPU at all →
 *   the CPU engine, and the line says the force failed.
 * - `cpu`: the CPU engine.
 * If the device is lost mid-run, the run finishes on the CPU engine and the line says so.
 */
import { CpuEngine } from '../engine/cpu/cpuEngine.ts';
import { loadShaderFilesVite } from '../engine/gpu/shadersVite.ts';
import { EngineUnavailableError, selectEngine, type EngineFlag, type EngineSelection, type GpuProvider } from '../engine/wiring/select.ts';

/** What the user picked in the workbench (same words as the CLI's `--engine`). */
export type EngineChoice = EngineFlag;

/** The choices in the order the toolbar offers them. */
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'cpu', 'gpu'];

/** An engine selected for a choice, and what happened to it since (a lost device). */
export class WorkbenchEngine {
  /** Set when the GPU device was lost or raised an error; the runs then finish on the CPU engine. */
  failure: string | null = null;

  constructor(
    readonly choice: EngineChoice,
    /** Null only when selection itself threw something unexpected (`refusal` says what). */
    readonly selection: EngineSelection | null,
    /** Why the choice could not be honoured (forced GPU without WebGPU, selection error), or null. */
    readonly refusal: string | null = null,
  ) {}

  /** One line: which engine runs the simulation and why. */
  line(): string {
    return workbenchEngineLine(this.choice, this.selection, this.refusal, this.failure);
  }

  /** Releases the GPU device, if any (the sessions that used it must be gone). */
  destroy(): void {
    this.selection?.engine.destroy();
  }
}

/**
 * The status line for a choice and its outcome, e.g. `WebGPU: Google SwiftShader (software adapter, not a GPU —
 * forced; …)`, `CPU engine: no WebGPU adapter`, `CPU engine: chosen in the workbench`.
 */
export function workbenchEngineLine(choice: EngineChoice, sel: EngineSelection | null, refusal: string | null, failure: string | null): string {
  if (!sel) return `CPU engine: ${refusal ?? 'engine selection failed'}`;
  if (sel.engine.kind === 'gpu') {
    if (failure) return `CPU engine: ${sel.engine.label} failed (${failure}); the runs finish on the CPU engine`;
    const how = `${sel.software ? 'software adapter, not a GPU — ' : ''}${choice === 'gpu' ? 'forced' : 'auto'}`;
    return `WebGPU: ${sel.adapter ?? 'unknown adapter'} (${how}; profiles without a GPU kernel run on the CPU)`;
  }
  if (choice === 'cpu') return 'CPU engine: chosen in the workbench';
  if (choice === 'gpu') return `CPU engine: GPU forced, but ${refusal ?? 'no WebGPU engine could be had'}; staying on the CPU engine`;
  return sel.reason;
}

/** Selects the engine for a choice. Never rejects: every failure ends on the CPU engine with its reason. */
export async function chooseWorkbenchEngine(choice: EngineChoice, provider: GpuProvider | null): Promise<WorkbenchEngine> {
  const cpuOnly = (refusal: string | null): WorkbenchEngine => new WorkbenchEngine(choice, { engine: new CpuEngine(), reason: `CPU engine: ${refusal ?? 'chosen'}`, adapter: null, software: false }, refusal);
  if (choice === 'cpu') return cpuOnly(null);
  let we: WorkbenchEngine | null = null;
  try {
    const sel = await selectEngine(choice, provider, (reason) => {
      if (we) we.failure = reason;
    }, '; choose Engine: GPU to force it');
    we = new WorkbenchEngine(choice, sel);
    return we;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (e instanceof EngineUnavailableError) return cpuOnly(why.replace(/^--engine gpu:\s*/, ''));
    return new WorkbenchEngine(choice, null, `engine selection failed (${why})`);
  }
}

/** The browser's GPU provider: `navigator.gpu` (or why there is none) and the kernels bundled by Vite. */
export function browserGpuProvider(): GpuProvider {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  return { gpu, missing: gpu ? undefined : 'this browser has no WebGPU (navigator.gpu)', files: loadShaderFilesVite() };
}
