/**
 * The seeded fuzz suite of the unit tier (issue 19 item 7): a few thousand mutated scenarios, share links and CSV
 * rows per run, and generated scenarios run through the simulator, each against its target's rule
 * (test/property/fuzzTargets.ts). The same targets run long under `npm run fuzz`, which saves failing inputs.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { FUZZ_TARGETS } from './fuzzTargets.ts';

describe('fuzz targets (seeded)', () => {
  for (const t of FUZZ_TARGETS) {
    it(`${t.name}: ${t.rule}`, () => {
      fc.assert(
        fc.property(t.arb, (input) => {
          t.check(input);
        }),
        { seed: 1919, numRuns: t.unitRuns },
      );
    });
  }
});
