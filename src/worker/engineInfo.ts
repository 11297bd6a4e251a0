/**
 * The engine line the app shows. The simulator schedules through the profiles' CPU code; engine selection
 * (src/engine/select.ts) is asked what this browser offers, and its reason is shown as it is, except that a
 * WebGPU adapter is reported as found but not yet driving the workbench's runs.
 */
import { selectEngine } from '../engine/select.ts';
import { loadShaderFilesVite } from '../engine/gpu/shadersVite.ts';

/** One line: which engine runs the simulation and why. Never throws. */
export async function engineReason(): Promise<string> {
  try {
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    const sel = await selectEngine('auto', { gpu, missing: gpu ? undefined : 'this browser has no WebGPU (navigator.gpu)', files: loadShaderFilesVite() });
    if (sel.engine.kind === 'cpu') return sel.reason;
    return `CPU engine: the workbench's runs use the CPU scheduler code (${sel.reason} found, used by the CLI and benchmarks)`;
  } catch (e) {
    return `CPU engine: engine selection failed (${e instanceof Error ? e.message : String(e)})`;
  }
}
