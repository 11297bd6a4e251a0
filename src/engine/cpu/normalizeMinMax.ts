/** TypeScript twin of shaders/normalizeMinMax.wgsl: bestfit's min–max normalize over one pod's feasible nodes. */
import { INFEASIBLE } from '../kernels/types.ts';

/**
 * Twin of normalizeMinMax.wgsl: rewrites the feasible results of one pod's row in place, raw r (packed with
 * RAW_SCORE_BIAS) → (r − lo)·100 / (hi − lo) over the feasible set, 0 when hi = lo (fgdBaselines.ts
 * minMaxNormalize, the artifact's NormalizeScore).
 */
export function normalizeMinMaxRow(row: Float64Array | Uint32Array | number[], at: number, n: number): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = row[at + i];
    if (r >= INFEASIBLE) continue;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  const range = hi - lo;
  for (let i = 0; i < n; i++) {
    const r = row[at + i];
    if (r < INFEASIBLE) row[at + i] = range === 0 ? 0 : Math.trunc(((r - lo) * 100) / range);
  }
}
