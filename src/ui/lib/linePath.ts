/**
 * The SVG path of a chart line, decimated to the pixel columns it covers: of the points that fall in one column
 * (a run of a long series on a chart a few hundred pixels wide), only the first, the lowest, the highest and the
 * last are drawn, in their order. The line leaves and enters each column at the same place and spans the same
 * height in it, so it looks the same as the full line, but a path of tens of thousands of points becomes one of at
 * most four per column, and no point object is made per sample (a playing run redraws its charts four times a
 * second). Points whose value is not finite or negative (`not computed`) break the line, as d3's line().defined did.
 */

/** A line's points, read by index: `n` points, each with an x and y in chart pixels. */
export interface PixelPoints {
  n: number;
  /** x of point i, px. */
  xPx(i: number): number;
  /** y of point i, px (NaN where the value is missing: the line breaks there). */
  yPx(i: number): number;
}

/** Two decimals of a pixel: finer than any screen, and short path strings. */
const r2 = (v: number): number => Math.round(v * 100) / 100;

/** The `d` attribute of the line through the points, at most four points per pixel column (see the file's note). */
export function linePath(p: PixelPoints): string {
  let d = '';
  let open = false;
  // The current column's points: first, extremes (with their order) and last.
  let col = NaN;
  let fx = 0, fy = 0, lx = 0, ly = 0, minX = 0, minY = 0, maxX = 0, maxY = 0, minI = 0, maxI = 0, firstI = 0, lastI = 0;
  let count = 0;
  const put = (x: number, y: number): void => {
    d += `${open ? 'L' : 'M'}${r2(x)},${r2(y)}`;
    open = true;
  };
  const flush = (): void => {
    if (!count) return;
    put(fx, fy);
    // Extremes in the order they came, each drawn once, and not again as the first or last point.
    const lowFirst = minI <= maxI;
    const aI = lowFirst ? minI : maxI;
    const bI = lowFirst ? maxI : minI;
    if (aI !== firstI && aI !== lastI) put(lowFirst ? minX : maxX, lowFirst ? minY : maxY);
    if (bI !== aI && bI !== lastI) put(lowFirst ? maxX : minX, lowFirst ? maxY : minY);
    if (lastI !== firstI) put(lx, ly);
    count = 0;
  };
  for (let i = 0; i < p.n; i++) {
    const y = p.yPx(i);
    if (!Number.isFinite(y)) {
      flush();
      open = false;
      col = NaN;
      continue;
    }
    const x = p.xPx(i);
    const c = Math.floor(x);
    if (c !== col) {
      flush();
      col = c;
    }
    if (!count) {
      fx = minX = maxX = x;
      fy = minY = maxY = y;
      firstI = minI = maxI = i;
    } else {
      if (y < minY) (minY = y), (minX = x), (minI = i);
      if (y > maxY) (maxY = y), (maxX = x), (maxI = i);
    }
    lx = x;
    ly = y;
    lastI = i;
    count++;
  }
  flush();
  return d;
}
