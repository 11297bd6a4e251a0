/**
 * The workbench's engine choice on Dawn (the `webgpu` package): auto refuses a software adapter, a forced GPU
 * takes it and says so. With CI set, no adapter is a failure.
 */
import { describe, expect, test } from 'vitest';
import { nodeGpuProvider, useSwiftShaderIfUnset } from '../../src/engine/wiring/nodeGpu.ts';
import { chooseWorkbenchEngine } from '../../src/worker/engineInfo.ts';
import { engineSentence } from '../../src/ui/lib/engineLine.ts';

describe('the engine choice on Dawn', () => {
  useSwiftShaderIfUnset();
  test('Dawn here: auto refuses the software adapter, forced GPU takes it and says so', async (t) => {
    const provider = await nodeGpuProvider();
    const forced = await chooseWorkbenchEngine('gpu', provider);
    try {
      if (forced.selection?.engine.kind !== 'gpu') {
        if (process.env.CI) expect.fail(`WebGPU (Dawn) unavailable in CI: ${engineSentence(forced.status())}`);
        return t.skip();
      }
      expect(engineSentence(forced.status())).toMatch(forced.selection.software ? /^WebGPU: .+ \(software adapter, not a GPU — forced; / : /^WebGPU: .+ \(forced; /);
      const auto = await chooseWorkbenchEngine('auto', provider);
      if (forced.selection.software) expect(engineSentence(auto.status())).toMatch(/^CPU engine: the only WebGPU adapter is a software one .*choose Engine: GPU to force it$/);
      auto.destroy();
    } finally {
      forced.destroy();
    }
  }, 60_000);
});
