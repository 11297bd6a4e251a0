/**
 * Shared setup of the parity suites: Dawn (the `webgpu` package) on whatever Vulkan driver is configured, else
 * SwiftShader from Debian's chromium (VK_ICD_FILENAMES is set when unset and the ICD exists). With `CI` set, no
 * adapter is a failure (a skipped parity test proves nothing); locally the suites skip.
 */
import { nodeGpuProvider, useSwiftShaderIfUnset } from '../../src/engine/nodeGpu.ts';
import { EngineUnavailableError, selectEngine } from '../../src/engine/select.ts';
import type { GpuEngine } from '../../src/engine/gpu/gpuEngine.ts';

export interface ParityGpu {
  engine: GpuEngine;
  adapter: string;
}

/** A WebGPU engine for parity tests (software adapters accepted), or null when none can be had locally. */
export async function acquireParityGpu(): Promise<ParityGpu | null> {
  useSwiftShaderIfUnset();
  try {
    const sel = await selectEngine('gpu', await nodeGpuProvider());
    return { engine: sel.engine as GpuEngine, adapter: sel.adapter ?? 'unknown adapter' };
  } catch (err) {
    if (process.env.CI) throw new Error(`parity tests need a WebGPU adapter in CI: ${err instanceof Error ? err.message : String(err)}`);
    if (!(err instanceof EngineUnavailableError)) throw err;
    console.warn(`parity tests skipped: ${err.message}`);
    return null;
  }
}
