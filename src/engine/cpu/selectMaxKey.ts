/**
 * TypeScript twin of shaders/selectMaxKey.wgsl: one Volcano task's reduction over every node (feasible count,
 * rejections per reason bit, the highest 64-bit key and the nodes holding it, ascending).
 */
import { INFEASIBLE } from '../kernels/types.ts';
import { VOLCANO_REASON_BITS, type VolcanoDecision } from '../kernels/volcano.ts';

/** Reduces one task's results (twin of selectMaxKey.wgsl): `results` holds [hi, lo] per node from `at`. */
export function reduceVolcano(results: Uint32Array, at: number, nodeCount: number): VolcanoDecision {
  const rejected = new Array<number>(VOLCANO_REASON_BITS).fill(0);
  let feasible = 0;
  let hi = 0;
  let lo = 0;
  let tied: number[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const h = results[at + 2 * i];
    const l = results[at + 2 * i + 1];
    if (h >= INFEASIBLE) {
      for (let b = 0; b < VOLCANO_REASON_BITS; b++) if ((h >>> b) & 1) rejected[b]++;
      continue;
    }
    if (feasible === 0 || h > hi || (h === hi && l > lo)) {
      hi = h;
      lo = l;
      tied = [i];
    } else if (h === hi && l === lo) tied.push(i);
    feasible++;
  }
  return { feasible, rejected, maxKey: [hi, lo], tied };
}
