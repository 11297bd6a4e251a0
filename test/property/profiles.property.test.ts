/**
 * Issue 19 item 1: generated valid scenarios under EVERY profile (and the knobs that change how a card is shared)
 * never throw, and every metric stays in its physical range: percentages in [0, 100], counts, times and money
 * finite and ≥ 0. The generator includes existing pods that book whole GPUs without memory or cores, and pods whose
 * GPU memory is far above their share (the FGD family places by share alone, so those tenants get OOM-killed).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simulate } from '../../src/sim/simulate.ts';
import { metricRangeProblems, scenarioArb, schedulerSpecs } from './arbitraries.ts';

describe('generated scenarios under every profile', () => {
  for (const spec of schedulerSpecs) {
    const label = spec.options ? `${spec.profile} ${JSON.stringify(spec.options)}` : spec.profile;
    it(`${label}: no throw, every metric in range`, () => {
      fc.assert(
        fc.property(scenarioArb, (s) => {
          const r = simulate({ ...s, schedulers: [spec] });
          const problems = [...metricRangeProblems(r.summary, 'summary'), ...metricRangeProblems(r.series, 'series')];
          expect(problems).toEqual([]);
        }),
        { seed: Number(process.env.PROPERTY_SEED ?? 19), numRuns: Number(process.env.PROPERTY_RUNS ?? 20) },
      );
    });
  }
});
