/** The live headline of a run, from the frame the cluster view draws. */

/**
 * GPUs holding pods, allocation % (Σ booked milli-GPU, each card capped at a whole GPU, / (GPUs · 1000)) and
 * utilization % (mean compute used per card) of one frame: the numbers the drawing shows, at the same instant.
 */
export function frameHeadline(gpuMilli: ArrayLike<number>, gpuUsedPct: ArrayLike<number>): { holding: number; gpus: number; allocationPct: number; utilizationPct: number } {
  const n = gpuMilli.length;
  let holding = 0;
  let milli = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (gpuMilli[i] > 0) holding++;
    milli += Math.min(1000, gpuMilli[i]);
    used += gpuUsedPct[i] ?? 0;
  }
  return { holding, gpus: n, allocationPct: n ? (milli / (n * 1000)) * 100 : 0, utilizationPct: n ? used / n : 0 };
}
