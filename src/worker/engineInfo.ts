/**
 * The workbench's engine: selected once per worker through src/engine/select.ts with `navigator.gpu` and the
 * WGSL bundled by Vite. A real GPU adapter → the WebGPU engine drives the runs of profiles that have a kernel
 * (EngineScheduler; the others stay on the CPU scheduler code); a fallback/software adapter or none → the CPU
 * engine. If the device is lost mid-run, the run finishes on the CPU engine and the line says so.
 */
import { selectEngine, type EngineSelection } from '../engine/select.ts';
import { loadShaderFilesVite } from '../engine/gpu/shadersVite.ts';

let selection: Promise<EngineSelection | null> | null = null;
let failure: string | null = null;

/** The worker's engine selection (memoized); null when selection itself failed. Never rejects. */
export function workbenchEngine(): Promise<EngineSelection | null> {
  selection ??= (async () => {
    try {
      const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
      return await selectEngine('auto', { gpu, missing: gpu ? undefined : 'this browser has no WebGPU (navigator.gpu)', files: loadShaderFilesVite() }, (reason) => {
        failure = reason;
      }, '');
    } catch (e) {
      failure = `engine selection failed (${e instanceof Error ? e.message : String(e)})`;
      return null;
    }
  })();
  return selection;
}

/** One line: which engine runs the simulation and why. Never throws. */
export async function engineReason(): Promise<string> {
  const sel = await workbenchEngine();
  if (!sel) return `CPU engine: ${failure ?? 'engine selection failed'}`;
  if (sel.engine.kind === 'gpu' && failure) return `CPU engine: ${sel.engine.label} failed (${failure}); the runs finish on the CPU engine`;
  if (sel.engine.kind === 'gpu') return `${sel.reason} (profiles without a GPU kernel run on the CPU)`;
  return sel.reason;
}
