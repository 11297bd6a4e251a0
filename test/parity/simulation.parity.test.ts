/**
 * Whole simulations on the WebGPU engine (Dawn/SwiftShader) through Simulation.resultAsync: every shipped preset
 * under k8s-default gives the same traceHash and summary as the synchronous CPU run.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { acquireParityGpu, type ParityGpu, expectSimulationParity } from './setup.ts';
import { engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';

const dir = new URL('../../public/scenarios/', import.meta.url);
const presets = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .sort();

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

describe('simulations on the GPU engine equal the CPU run (every preset, k8s-default)', () => {
  test('there are presets to check', () => {
    expect(presets.length).toBeGreaterThanOrEqual(8);
  });
  for (const file of presets) test(file, async (t) => {
    if (!gpu) return t.skip();
    const base = loadScenarioFile(fileURLToPath(new URL(file, dir)));
    const scenario: Scenario = { ...base, schedulers: [base.schedulers.find((s) => s.profile === 'k8s-default') ?? { profile: 'k8s-default' }] };
    const { used } = await expectSimulationParity(gpu!, scenario);
    expect(engineEvaluatorOf(used!)).toBeInstanceOf(FrameworkEvaluator);
    expect(engineEvaluatorOf(used!)!.activeEngine.kind).toBe('gpu');
  }, 300_000);
});
