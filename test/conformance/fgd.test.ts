/** Every vector of ../shared/conformance/fgd.json through the FGD adapter (our real fragment and packing code). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fgdAdapter } from '../../src/conformance/fgd.ts';
import type { ConformanceCase } from '../../src/conformance/types.ts';

const cases = JSON.parse(readFileSync(new URL('../../../shared/conformance/fgd.json', import.meta.url), 'utf8')) as ConformanceCase[];

describe('fgd.json conformance', () => {
  it('has the 12 vectors the README lists', () => {
    expect(cases).toHaveLength(12);
  });

  for (const c of cases) {
    it(`${c.id}`, () => {
      // Every function of the file is modelled, the Bellman variant included (issue 13: no "unsupported").
      expect(fgdAdapter.supports(c)).toBe(true);
      const out = fgdAdapter.run(c);
      expect(out.detail).toBe('');
      expect(out.status).toBe('pass');
    });
  }

  it('reports a wrong expectation as a failure, not a pass', () => {
    const c = cases.find((x) => x.input.function === 'gpu_packing_score') as ConformanceCase;
    const out = fgdAdapter.run({ ...c, expected: { score: (c.expected.score as number) + 1 } });
    expect(out.status).toBe('fail');
  });
});
