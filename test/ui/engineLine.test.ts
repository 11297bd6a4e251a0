/** The engine badge's words for each status src/engine/wiring/select.ts and the worker can give (no parsing: statuses are values). */
import { describe, expect, it } from 'vitest';
import { CHECKING_ENGINE, engineLine, engineSentence } from '../../src/ui/lib/engineLine.ts';
import { cpuStatus, type EngineStatus } from '../../src/engine/wiring/status.ts';

const gpu = (adapter: string, cause: 'auto' | 'requested', software = false): EngineStatus => ({ engine: 'gpu', cause, adapter, detail: '', software });

describe('engineLine and engineSentence', () => {
  it.each<[EngineStatus, string, string, string]>([
    [CHECKING_ENGINE, 'CPU engine', 'checking for WebGPU…', 'CPU engine: checking for WebGPU…'],
    [{ ...cpuStatus('software-only'), adapter: 'Google SwiftShader', software: true }, 'CPU engine', 'software WebGPU only', 'CPU engine: the only WebGPU adapter is a software one (Google SwiftShader), slower than the CPU engine; choose Engine: GPU to force it'],
    [cpuStatus('no-webgpu', 'this browser has no WebGPU (navigator.gpu)'), 'CPU engine', 'no WebGPU here', 'CPU engine: this browser has no WebGPU (navigator.gpu)'],
    [cpuStatus('no-adapter'), 'CPU engine', 'no WebGPU adapter', 'CPU engine: no WebGPU adapter'],
    [cpuStatus('device-failed', 'out of memory'), 'CPU engine', 'WebGPU device failed', 'CPU engine: requesting a WebGPU device failed: out of memory'],
    [cpuStatus('compile-failed', 'bad shader'), 'CPU engine', 'GPU kernels failed', 'CPU engine: compiling the kernels failed: bad shader'],
    [{ ...cpuStatus('gpu-failed', 'device lost: reset'), adapter: 'WebGPU: NVIDIA H100' }, 'CPU engine', 'GPU lost: on CPU', 'CPU engine: WebGPU: NVIDIA H100 failed (device lost: reset); the runs finish on the CPU engine'],
    [cpuStatus('selection-failed', 'TypeError'), 'CPU engine', 'selection failed', 'CPU engine: engine selection failed (TypeError)'],
    [gpu('NVIDIA H100 80GB HBM3', 'auto'), 'WebGPU', 'NVIDIA H100 80GB HBM3', 'WebGPU: NVIDIA H100 80GB HBM3 (auto; profiles without a GPU kernel run on the CPU)'],
    // 'NVIDIA GeForce RTX 4090 Laptop GPU' has 34 characters: cut to 23 and an ellipsis.
    [gpu('NVIDIA GeForce RTX 4090 Laptop GPU', 'auto'), 'WebGPU', 'NVIDIA GeForce RTX 4090…', 'WebGPU: NVIDIA GeForce RTX 4090 Laptop GPU (auto; profiles without a GPU kernel run on the CPU)'],
    // the workbench's engine choice (src/worker/engineInfo.ts): forced GPU on SwiftShader, forced GPU refused, CPU chosen
    [gpu('Google / swiftshader', 'requested', true), 'WebGPU', 'software adapter, forced', 'WebGPU: Google / swiftshader (software adapter, not a GPU — forced; profiles without a GPU kernel run on the CPU)'],
    [gpu('NVIDIA H100', 'requested'), 'WebGPU', 'NVIDIA H100', 'WebGPU: NVIDIA H100 (forced; profiles without a GPU kernel run on the CPU)'],
    [{ ...cpuStatus('gpu-unavailable'), base: cpuStatus('no-webgpu', 'this browser has no WebGPU (navigator.gpu)') }, 'CPU engine', 'GPU forced: unavailable', 'CPU engine: GPU forced, but this browser has no WebGPU (navigator.gpu); staying on the CPU engine'],
    [cpuStatus('requested'), 'CPU engine', 'chosen', 'CPU engine: chosen in the workbench'],
    [cpuStatus('no-kernel', 'my-profile'), 'CPU engine', 'no GPU kernel', 'CPU engine: profile my-profile has no GPU kernel'],
    [cpuStatus('no-kernel', 'k8s-dra'), 'CPU engine', 'no GPU kernel', "CPU engine: profile k8s-dra has no GPU kernel; its DRA allocator's search (depth-first with backtracking per node) runs on the CPU"],
  ])('%j', (status, engine, short, sentence) => {
    expect(engineLine(status)).toEqual({ engine, short });
    expect(engineLine(status).short.length).toBeLessThanOrEqual(24);
    expect(engineSentence(status)).toBe(sentence);
  });
});
