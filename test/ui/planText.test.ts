/** The plan editor's list fields (src/ui/plan/planText.ts): lists, ranges, stepped ranges, and their messages. */
import { describe, expect, it } from 'vitest';
import { formatNumberList, parseNumberList } from '../../src/ui/plan/planText.ts';

describe('plan list fields', () => {
  it.each([
    ['0.5, 1, 2', {}, [0.5, 1, 2]],
    ['1 2 3', {}, [1, 2, 3]],
    ['1..5', {}, [1, 2, 3, 4, 5]],
    // 0.5 + i·0.25 for i = 0..6: seven values, the last exactly 2.
    ['0.5..2:0.25', {}, [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]],
    // 0.1 steps computed from the start: 0.7, not 0.7000000000000001.
    ['0.5..0.8:0.1', {}, [0.5, 0.6, 0.7, 0.8]],
    ['7', { integer: true }, [7]],
  ] as const)('%s → values', (text, rules, values) => {
    expect(parseNumberList(text, rules)).toEqual({ ok: true, values });
  });

  it.each([
    ['', {}, 'is empty: type at least one value'],
    ['1, x', {}, '"x" is not a number (type e.g. 1, 2, 4 or 0.5..2:0.25)'],
    ['5..1', {}, 'range 5..1 ends before it starts'],
    ['1..2:0', {}, 'step 0 must be greater than 0'],
    ['1.5', { integer: true }, '1.5 must be a whole number'],
    ['0, 1', { min: 0.01 }, '0 is below 0.01'],
    ['1, 1', {}, '1 appears twice'],
    ['1..100', { maxValues: 10 }, 'range 1..100 has 100 values (at most 10)'],
  ] as const)('%j is refused: %s', (text, rules, error) => {
    expect(parseNumberList(text, rules)).toEqual({ ok: false, error });
  });

  it('writes consecutive integers as a range and anything else as a list', () => {
    expect(formatNumberList([1, 2, 3, 4])).toBe('1..4');
    expect(formatNumberList([1, 2])).toBe('1, 2');
    expect(formatNumberList([0.5, 1, 2])).toBe('0.5, 1, 2');
  });
});
