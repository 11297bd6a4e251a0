/** The engine badge's short reason for each line src/engine/wiring/select.ts and the worker can give. */
import { describe, expect, it } from 'vitest';
import { engineLine } from '../../src/ui/lib/engineLine.ts';

describe('engineLine', () => {
  it.each([
    ['CPU engine: checking for WebGPU…', 'CPU engine', 'checking for WebGPU…'],
    ['CPU engine: the only WebGPU adapter is a software one (Google SwiftShader), slower than the CPU engine', 'CPU engine', 'software WebGPU only'],
    ['CPU engine: this browser has no WebGPU (navigator.gpu)', 'CPU engine', 'no WebGPU here'],
    ['CPU engine: no WebGPU adapter', 'CPU engine', 'no WebGPU adapter'],
    ['CPU engine: requesting a WebGPU device failed: out of memory', 'CPU engine', 'WebGPU device failed'],
    ['CPU engine: compiling the kernels failed: bad shader', 'CPU engine', 'GPU kernels failed'],
    ['CPU engine: WebGPU: NVIDIA H100 failed (device lost: reset); the runs finish on the CPU engine', 'CPU engine', 'GPU lost: on CPU'],
    ['CPU engine: engine selection failed (TypeError)', 'CPU engine', 'selection failed'],
    ['WebGPU: NVIDIA H100 80GB HBM3 (profiles without a GPU kernel run on the CPU)', 'WebGPU', 'NVIDIA H100 80GB HBM3'],
    // 'NVIDIA GeForce RTX 4090 Laptop GPU' has 34 characters: cut to 23 and an ellipsis.
    ['WebGPU: NVIDIA GeForce RTX 4090 Laptop GPU', 'WebGPU', 'NVIDIA GeForce RTX 4090…'],
    ['CPU engine: something new; details', 'CPU engine', 'something new'],
    // the workbench's engine choice (src/worker/engineInfo.ts): forced GPU on SwiftShader, forced GPU refused, CPU chosen
    ['WebGPU: Google / swiftshader (software adapter, not a GPU — forced; profiles without a GPU kernel run on the CPU)', 'WebGPU', 'software adapter, forced'],
    ['WebGPU: NVIDIA H100 (forced; profiles without a GPU kernel run on the CPU)', 'WebGPU', 'NVIDIA H100'],
    ['WebGPU: NVIDIA H100 (auto; profiles without a GPU kernel run on the CPU)', 'WebGPU', 'NVIDIA H100'],
    ['CPU engine: GPU forced, but this browser has no WebGPU (navigator.gpu); staying on the CPU engine', 'CPU engine', 'GPU forced: unavailable'],
    ['CPU engine: chosen in the workbench', 'CPU engine', 'chosen'],
    ['CPU engine (requested with --engine cpu)', 'CPU engine', 'chosen'],
  ])('%s', (reason, engine, short) => {
    expect(engineLine(reason)).toEqual({ engine, short });
    expect(engineLine(reason).short.length).toBeLessThanOrEqual(24);
  });
});
