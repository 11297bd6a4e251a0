/**
 * Shared setup of the parity suites: Dawn (the `webgpu` package) on whatever Vulkan driver is configured, else
 * SwiftShader from Debian's chromium (VK_ICD_FILENAMES is set when unset and the ICD exists). With `CI` set, no
 * adapter is a failure (a skipped parity test proves nothing); locally the suites skip.
 */
import { nodeGpuProvider, useSwiftShaderIfUnset } from '../../src/engine/wiring/nodeGpu.ts';
import { EngineUnavailableError, selectEngine, type EngineSelection } from '../../src/engine/wiring/select.ts';
import { engineWrap } from '../../src/engine/wiring/wire.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import type { Scheduler } from '../../src/sched/framework.ts';
import { simulate, simulateAsync } from '../../src/sim/simulation.ts';
import { expect } from 'vitest';
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

/**
 * One scenario simulated twice: the plain CPU run (`simulate`) and the GPU run (`simulateAsync` with the profile's
 * engine scheduler on `gpu`); asserts the same traceHash, summary and event count, and returns the scheduler the
 * GPU run used (callers check its class and that it stayed on the GPU) and the selection it got.
 */
export async function expectSimulationParity(gpu: ParityGpu, scenario: Scenario): Promise<{ used: Scheduler; sel: EngineSelection }> {
  const want = simulate(scenario);
  const sel: EngineSelection = { engine: gpu.engine, status: { engine: 'gpu', cause: 'requested', adapter: gpu.adapter, detail: 'parity' }, adapter: gpu.adapter, software: true };
  let used: Scheduler | null = null;
  const wrap = engineWrap(sel);
  const got = await simulateAsync(scenario, { wrapScheduler: (s, setup) => (used = wrap(s, setup)) });
  expect(got.traceHash).toBe(want.traceHash);
  expect(got.summary).toEqual(want.summary);
  expect(got.events).toBe(want.events);
  return { used: used!, sel };
}
