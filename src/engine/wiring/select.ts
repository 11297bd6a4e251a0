/**
 * Engine selection, in one place: WebGPU when a real adapter is there, the CPU engine otherwise (no
 * `navigator.gpu`, no adapter, a fallback/software adapter unless the user forces `gpu`). Returns the engine and
 * its status as a value (status.ts; the CLI and the app put it into words). `watchDevice` is the one place that watches `device.lost` and
 * `uncapturederror`; FrameworkEvaluator.cycleAsync then finishes the run on the CPU engine.
 * Platform-neutral: the caller passes the GPU object (browser: `navigator.gpu`; Node: engine/wiring/nodeGpu.ts).
 */
import { CpuEngine } from '../cpu/cpuEngine.ts';
import { GpuEngine } from '../gpu/gpuEngine.ts';
import type { ShaderFiles } from '../gpu/shaders.ts';
import type { Engine } from '../kernels/types.ts';
import { cpuStatus, type EngineStatus } from './status.ts';

export type EngineFlag = 'cpu' | 'gpu' | 'auto';

/** Where a GPU may come from: the WebGPU entry point (or why there is none) and the kernel sources. */
export interface GpuProvider {
  gpu: GPU | undefined;
  /** Why `gpu` is undefined (e.g. `no navigator.gpu in this browser`). */
  missing?: string;
  files: ShaderFiles;
}

export interface EngineSelection {
  engine: Engine;
  /** Which engine and why, as a value (the CLI and the UI put it into words). */
  status: EngineStatus;
  /** The adapter's name, when one was found. */
  adapter: string | null;
  /** True when the adapter is a software rasterizer (SwiftShader, llvmpipe…): its speed is not a GPU's. */
  software: boolean;
}

/** Thrown when a GPU is asked for (`--engine gpu`) and none can be had; `status` says why. */
export class EngineUnavailableError extends Error {
  constructor(readonly status: EngineStatus) {
    super(`no WebGPU engine (${status.cause}${status.detail ? `: ${status.detail}` : ''})`);
  }
}

/** Parses `--engine cpu|gpu|auto` (or `--engine=…`) out of CLI arguments; default auto. */
export function parseEngineFlag(args: readonly string[]): { engine: EngineFlag; rest: string[] } {
  const rest: string[] = [];
  let engine: EngineFlag = 'auto';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let value: string | undefined;
    if (a === '--engine') value = args[++i];
    else if (a.startsWith('--engine=')) value = a.slice('--engine='.length);
    else {
      rest.push(a);
      continue;
    }
    if (value !== 'cpu' && value !== 'gpu' && value !== 'auto') throw new Error(`invalid --engine: ${value ?? '(missing)'} (cpu, gpu or auto)`);
    engine = value;
  }
  return { engine, rest };
}

/** A readable adapter name from GPUAdapterInfo (fields differ between implementations). */
export function adapterName(info: Partial<GPUAdapterInfo> | undefined): string {
  if (!info) return 'unknown adapter';
  const parts = [info.description, info.vendor, info.architecture, info.device].filter((s): s is string => typeof s === 'string' && s.length > 0);
  return parts.length ? [...new Set(parts)].join(' / ') : 'unknown adapter';
}

/** True for fallback/software adapters (`isFallbackAdapter`, or a known software rasterizer's name). */
export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = adapter.info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
  if (info?.isFallbackAdapter) return true;
  if ((adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter) return true;
  return /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i.test(adapterName(info));
}

/** Watches a device for loss and uncaptured errors; marks the engine failed and reports once. */
export function watchDevice(device: GPUDevice, engine: GpuEngine, onFailure?: (reason: string) => void): void {
  let reported = false;
  const report = (reason: string): void => {
    engine.fail(reason);
    if (!reported) {
      reported = true;
      onFailure?.(reason);
    }
  };
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') report(`device lost: ${info.message || info.reason}`);
  });
  device.addEventListener('uncapturederror', (ev) => report(`GPU error: ${(ev as GPUUncapturedErrorEvent).error.message}`));
}

/**
 * Chooses the engine for a flag. `gpu` uses any adapter (software included) or throws EngineUnavailableError with
 * the status saying why; `auto` refuses a software adapter (status `software-only`) and falls back to the CPU.
 */
export async function selectEngine(flag: EngineFlag, provider: GpuProvider | null, onFailure?: (reason: string) => void): Promise<EngineSelection> {
  const cpu = (status: EngineStatus, software = false): EngineSelection => ({ engine: new CpuEngine(), status, adapter: status.adapter, software });
  if (flag === 'cpu') return cpu(cpuStatus('requested'));
  const refuse = (status: EngineStatus): EngineSelection => {
    if (flag === 'gpu') throw new EngineUnavailableError(status);
    return cpu(status);
  };
  const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  if (!provider?.gpu) return refuse(cpuStatus('no-webgpu', provider?.missing ?? 'WebGPU is not available (no navigator.gpu)'));
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await provider.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return refuse(cpuStatus('adapter-failed', message(err)));
  }
  if (!adapter) return refuse(cpuStatus('no-adapter'));
  const name = adapterName(adapter.info);
  const software = isSoftwareAdapter(adapter);
  if (software && flag === 'auto') return cpu({ engine: 'cpu', cause: 'software-only', adapter: name, detail: '', software }, software);
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
  } catch (err) {
    return refuse(cpuStatus('device-failed', message(err)));
  }
  const label = `WebGPU: ${name}${software ? ' (software, not a GPU)' : ''}`;
  let engine: GpuEngine;
  try {
    engine = await GpuEngine.create(device, provider.files, label, [provider.gpu, adapter]);
  } catch (err) {
    device.destroy();
    return refuse(cpuStatus('compile-failed', message(err)));
  }
  watchDevice(device, engine, onFailure);
  return { engine, status: { engine: 'gpu', cause: flag === 'gpu' ? 'requested' : 'auto', adapter: name, detail: '', software }, adapter: name, software };
}
