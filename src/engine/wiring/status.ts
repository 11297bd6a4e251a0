/**
 * Which engine runs, and why, as a value: selection (select.ts), the evaluators (a fallback after a GPU failure),
 * wiring (wire.ts) and the worker (src/worker/engineInfo.ts) return an `EngineStatus`; only the CLI
 * (src/cli/engine.ts) and the UI (src/ui/lib/engineLine.ts) put it into words.
 */

/** Why this engine runs. */
export type EngineCause =
  /** The worker has not selected an engine yet (the UI's first state). */
  | 'checking'
  /** The engine asked for: `--engine cpu|gpu`, the workbench's CPU or GPU (forced) choice. */
  | 'requested'
  /** `auto` found a real GPU adapter. */
  | 'auto'
  /** No WebGPU entry point (`detail`: why, as the platform says it). */
  | 'no-webgpu'
  /** WebGPU without an adapter. */
  | 'no-adapter'
  /** requestAdapter threw (`detail`: the error). */
  | 'adapter-failed'
  /** requestDevice threw (`detail`: the error). */
  | 'device-failed'
  /** The kernels did not compile (`detail`: the error). */
  | 'compile-failed'
  /** `auto` found only a software adapter (`adapter`), slower than the CPU engine. */
  | 'software-only'
  /** The GPU failed mid-run (device lost, an error: `detail`); the CPU twin finished (`adapter`: the GPU engine's label). */
  | 'gpu-failed'
  /** A GPU selection (`base`), but the run's profile declares no kernel (`detail`: the profile), so it ran on the CPU. */
  | 'no-kernel'
  /** A GPU was forced but none could be had (`base`: why). */
  | 'gpu-unavailable'
  /** Selection itself threw something unexpected (`detail`). */
  | 'selection-failed';

/** Which engine runs (`engine`), why (`cause`), on which adapter, with the platform's own words (`detail`). */
export interface EngineStatus {
  engine: 'cpu' | 'gpu';
  cause: EngineCause;
  /** The adapter's name (or the failed engine's label), when there is one. */
  adapter: string | null;
  /** An error message, the profile without a kernel, or why WebGPU is missing; '' when none. */
  detail: string;
  /** The adapter is a software rasterizer (SwiftShader, llvmpipe…): its speed is not a GPU's. */
  software?: boolean;
  /** The status this one qualifies (`no-kernel`: the GPU selection; `gpu-unavailable`: why none). */
  base?: EngineStatus;
}

/** A status with no adapter and no detail. */
export function cpuStatus(cause: EngineCause, detail = ''): EngineStatus {
  return { engine: 'cpu', cause, adapter: null, detail };
}
