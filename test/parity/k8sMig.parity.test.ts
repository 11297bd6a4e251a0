/**
 * k8s-mig on the WebGPU engine (Dawn, SwiftShader here): shaders/filterScoreK8s.wgsl with the `mig` allocator
 * (free MIG instances per profile in the GPU rows, src/engine/kernels/migRows.ts) runs whole simulations of the MIG
 * presets and of their workloads on a cluster of mixed layouts, both MIG strategies, and gives the CPU run's
 * traceHash, summary and event count (the CPU twin = the plugin path: test/engine/k8sMigTwin.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';
import { acquireParityGpu, expectSimulationParity, type ParityGpu } from './setup.ts';
import { k8sMigWorlds } from './k8sMigWorlds.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

describe('k8s-mig parity (WebGPU engine vs the CPU run)', () => {
  for (const [name, scenario] of k8sMigWorlds()) {
    test(`simulation ${name}: GPU async traceHash = CPU sync`, async (t) => {
      if (!gpu) return t.skip();
      const { used } = await expectSimulationParity(gpu!, scenario);
      expect(engineEvaluatorOf(used)).toBeInstanceOf(FrameworkEvaluator);
      expect(engineEvaluatorOf(used)!.activeEngine.kind).toBe('gpu');
    }, 180_000);
  }
});
