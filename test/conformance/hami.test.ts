// @vitest-environment node
/**
 * HAMi v2.10.0's own unit-test vectors (../shared/conformance/hami.json) through the adapter, one test per case.
 * A supported case must pass; an unsupported one must be a function we chose not to model.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hamiAdapter } from '../../src/conformance/hami.ts';
import type { ConformanceCase } from '../../src/conformance/types.ts';

const cases: ConformanceCase[] = JSON.parse(readFileSync(new URL('../../../shared/conformance/hami.json', import.meta.url), 'utf8'));

describe('hami.json conformance', () => {
  it('has the 98 cases of HAMi v2.10.0 and the device plugin (README §8)', () => {
    expect(cases.length).toBe(98);
  });
  for (const c of cases) {
    it(`${c.id} (${String(c.input.function)})`, () => {
      const out = hamiAdapter.run(c);
      expect(out.status, out.detail).toBe('pass');
    });
  }
});

describe('hami adapter', () => {
  it('reports an unknown function as unsupported, never as passed', () => {
    const out = hamiAdapter.run({ id: 'x', source: 'test', input: { function: 'no_such_function' }, expected: {} });
    expect(out.status).toBe('unsupported');
  });
  it('fails a case whose expectation we do not meet', () => {
    const out = hamiAdapter.run({ id: 'x', source: 'test', input: { function: 'numa_bind_flag', raw_value: 'true' }, expected: { numa_bind: false } });
    expect(out.status).toBe('fail');
  });
});
