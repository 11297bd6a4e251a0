/**
 * The workbench's engine, chosen by the user (Auto / CPU / GPU in the toolbar) and selected through
 * src/engine/wiring/select.ts with `navigator.gpu` and the WGSL bundled by Vite:
 * - `auto`: a real GPU adapter → the WebGPU engine drives the runs of profiles that have a kernel (FrameworkEvaluator;
 *   the others stay on the CPU scheduler code); a fallback/software adapter or none → the CPU engine.
 * - `gpu` (forced): any adapter, a software one included (SwiftShader: correct, not fast); no WebGPU at all →
 *   the CPU engine, and the line says the force failed.
 * - `cpu`: the CPU engine.
 * If the device is lost mid-run, the run finishes on the CPU engine and the status says so (a value: the UI words it).
 */
import { CpuEngine } from '../engine/cpu/cpuEngine.ts';
import { loadShaderFilesVite } from '../engine/gpu/shadersVite.ts';
import { EngineUnavailableError, selectEngine, type EngineFlag, type EngineSelection, type GpuProvider } from '../engine/wiring/select.ts';
import { cpuStatus, type EngineStatus } from '../engine/wiring/status.ts';

export type { EngineStatus } from '../engine/wiring/status.ts';

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
    /** Why the choice could not be honoured (forced GPU without WebGPU: the selection's status; or selection threw), or null. */
    readonly refusal: EngineStatus | null = null,
  ) {}

  /** Which engine runs the simulation and why, as a value (the UI puts it into words: src/ui/lib/engineLine.ts). */
  status(): EngineStatus {
    return workbenchEngineStatus(this.choice, this.selection, this.refusal, this.failure);
  }

  /** Releases the GPU device, if any (the sessions that used it must be gone). */
  destroy(): void {
    this.selection?.engine.destroy();
  }
}

/**
 * The status for a choice and its outcome: a GPU selection (`requested` when forced, `auto`), `gpu-failed` after a
 * lost device, `requested` for the CPU choice, `gpu-unavailable` (its `base` says why) when forcing failed,
 * `selection-failed`, or auto's own CPU status (no WebGPU, a software adapter only, …).
 */
export function workbenchEngineStatus(choice: EngineChoice, sel: EngineSelection | null, refusal: EngineStatus | null, failure: string | null): EngineStatus {
  if (!sel) return refusal ?? cpuStatus('selection-failed');
  if (sel.engine.kind === 'gpu') {
    if (failure) return { engine: 'cpu', cause: 'gpu-failed', adapter: sel.engine.label, detail: failure };
    return sel.status;
  }
  if (choice === 'cpu') return cpuStatus('requested');
  if (choice === 'gpu') return { ...cpuStatus('gpu-unavailable'), ...(refusal ? { base: refusal } : {}) };
  return sel.status;
}

/** Selects the engine for a choice. Never rejects: every failure ends on the CPU engine with its status. */
export async function chooseWorkbenchEngine(choice: EngineChoice, provider: GpuProvider | null): Promise<WorkbenchEngine> {
  const cpuOnly = (refusal: EngineStatus | null): WorkbenchEngine => new WorkbenchEngine(choice, { engine: new CpuEngine(), status: refusal ?? cpuStatus('requested'), adapter: null, software: false }, refusal);
  if (choice === 'cpu') return cpuOnly(null);
  let we: WorkbenchEngine | null = null;
  try {
    const sel = await selectEngine(choice, provider, (reason) => {
      if (we) we.failure = reason;
    });
    we = new WorkbenchEngine(choice, sel);
    return we;
  } catch (e) {
    if (e instanceof EngineUnavailableError) return cpuOnly(e.status);
    return new WorkbenchEngine(choice, null, cpuStatus('selection-failed', e instanceof Error ? e.message : String(e)));
  }
}

/** The browser's GPU provider: `navigator.gpu` (or why there is none) and the kernels bundled by Vite. */
export function browserGpuProvider(): GpuProvider {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  return { gpu, missing: gpu ? undefined : 'this browser has no WebGPU (navigator.gpu)', files: loadShaderFilesVite() };
}
