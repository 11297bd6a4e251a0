/**
 * k8s-mig on the CPU twin of shaders/filterScoreK8s.wgsl (the `mig` allocator, src/engine/kernels/migRows.ts):
 * whole simulations with the FrameworkEvaluator on the CpuEngine give the plugin path's traceHash, summary and
 * event count (decisions, failure reasons with the MIG resource's name, RNG draws).
 */
import { describe, expect, test } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { profileKernelFor } from '../../src/engine/kernels/specs.ts';
import { engineEvaluatorOf, evaluatorFor } from '../../src/engine/wiring/wire.ts';
import type { Scheduler } from '../../src/sched/framework.ts';
import { simulate } from '../../src/sim/simulation.ts';
import { k8sMigWorlds } from '../parity/k8sMigWorlds.ts';

describe('k8s-mig on the CPU twin = the plugin path', () => {
  for (const [name, scenario] of k8sMigWorlds()) {
    test(name, () => {
      const want = simulate(scenario);
      let used: Scheduler | null = null;
      const got = simulate(scenario, {
        wrapScheduler: (s, setup) => {
          const kernel = profileKernelFor(setup.schedulerSpec.profile, setup.schedulerSpec.options, setup.scenario);
          expect(kernel?.kind).toBe('k8s-fit');
          return (used = evaluatorFor(s, kernel!, new CpuEngine()));
        },
      });
      expect(engineEvaluatorOf(used!)).toBeInstanceOf(FrameworkEvaluator);
      expect(got.traceHash).toBe(want.traceHash);
      expect(got.summary).toEqual(want.summary);
      expect(got.events).toBe(want.events);
    }, 120_000);
  }
});
