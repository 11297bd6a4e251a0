import { describe, expect, it } from 'vitest';
import { linePath } from '../../src/ui/lib/linePath.ts';

/** Points from (x, y) pairs; y NaN is a missing value. */
const pts = (xy: [number, number][]) => ({ n: xy.length, xPx: (i: number) => xy[i][0], yPx: (i: number) => xy[i][1] });

describe('linePath', () => {
  it('draws every point when each has its own pixel column', () => {
    expect(linePath(pts([[0, 5], [1, 6], [2.5, 7]]))).toBe('M0,5L1,6L2.5,7');
  });

  it('keeps first, lowest, highest and last of a column in order, and drops the points between', () => {
    // Column 10: first 50, then 20 (lowest y), 30, 90 (highest y), 40, last 60; column 11: one point.
    const d = linePath(pts([[10, 50], [10.1, 20], [10.2, 30], [10.3, 90], [10.4, 40], [10.5, 60], [11, 55]]));
    expect(d).toBe('M10,50L10.1,20L10.3,90L10.5,60L11,55');
  });

  it('orders the extremes as they came (highest before lowest)', () => {
    expect(linePath(pts([[3, 50], [3.2, 90], [3.4, 10], [3.6, 50]]))).toBe('M3,50L3.2,90L3.4,10L3.6,50');
  });

  it('does not repeat a point that is both an extreme and the first or last', () => {
    expect(linePath(pts([[0, 10], [0.5, 20], [0.9, 30]]))).toBe('M0,10L0.9,30');
  });

  it('breaks the line at a missing value and starts a new subpath after it', () => {
    expect(linePath(pts([[0, 1], [1, 2], [2, NaN], [3, 4], [4, 5]]))).toBe('M0,1L1,2M3,4L4,5');
  });

  it('makes at most four points per column of a long series', () => {
    const n = 100_000;
    const d = linePath({ n, xPx: (i) => (i / n) * 300, yPx: (i) => 50 + 40 * Math.sin(i) });
    expect(d.split(/[ML]/).length - 1).toBeLessThanOrEqual(4 * 300);
    expect(d.startsWith('M0,50')).toBe(true);
  });

  it('is empty for no points', () => {
    expect(linePath(pts([]))).toBe('');
  });
});
