/**
 * Turns a freehand mouse sketch of a request-rate curve into a smooth demand curve: the raw samples are
 * averaged into hourly buckets (empty buckets interpolated, wrapping over midnight), then smoothed with a
 * circular [1, 2, 1]/4 kernel, giving 24 points (hour 0.5 … 23.5) for a `points` demand curve.
 */
import type { QpsPoint } from './qpsCsv.ts';

/** Smooth hourly curve from raw (hour, qps) samples. Returns [] when there are no samples. */
export function smoothSketch(samples: readonly QpsPoint[], buckets = 24): QpsPoint[] {
  if (samples.length === 0) return [];
  const sum = new Float64Array(buckets);
  const cnt = new Float64Array(buckets);
  for (const s of samples) {
    const h = ((s.hour % 24) + 24) % 24;
    const b = Math.min(buckets - 1, Math.floor((h / 24) * buckets));
    sum[b] += Math.max(0, s.qps);
    cnt[b]++;
  }
  const filled: number[] = [];
  const known = [...cnt.keys()].filter((b) => cnt[b] > 0);
  for (let b = 0; b < buckets; b++) {
    if (cnt[b] > 0) {
      filled.push(sum[b] / cnt[b]);
      continue;
    }
    // Linear between the nearest known buckets on each side, around the circle.
    let prev = known[0];
    let next = known[0];
    for (const k of known) if (k < b) prev = k;
    for (const k of [...known].reverse()) if (k > b) next = k;
    if (!known.some((k) => k < b)) prev = known[known.length - 1];
    if (!known.some((k) => k > b)) next = known[0];
    const vp = sum[prev] / cnt[prev];
    const vn = sum[next] / cnt[next];
    const span = (next - prev + buckets) % buckets || buckets;
    const into = (b - prev + buckets) % buckets;
    filled.push(vp + ((vn - vp) * into) / span);
  }
  const out: QpsPoint[] = [];
  for (let b = 0; b < buckets; b++) {
    const v = (filled[(b - 1 + buckets) % buckets] + 2 * filled[b] + filled[(b + 1) % buckets]) / 4;
    out.push({ hour: ((b + 0.5) * 24) / buckets, qps: Math.round(v * 100) / 100 });
  }
  return out;
}
