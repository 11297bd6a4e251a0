/** Request-rate curves over the day (periodic every 24 h), evaluated at simulated time. */
import type { DemandCurve } from './types.ts';
import { cos } from '../core/detMath.ts';

const DAY_S = 86400;

/** Requests per second at simulated time `tS` (seconds from start; the run starts at midnight). */
export function demandAt(curve: DemandCurve, tS: number): number {
  const hour = ((((tS % DAY_S) + DAY_S) % DAY_S) / 3600);
  switch (curve.shape) {
    case 'flat':
      return curve.qps;
    case 'diurnal': {
      // Cosine between trough and peak, peaking at peakHour: busy by day, idle at night.
      const phase = ((hour - curve.peakHour) / 24) * 2 * Math.PI;
      return curve.troughQps + ((curve.peakQps - curve.troughQps) * (1 + cos(phase))) / 2;
    }
    case 'spiky': {
      // Spikes evenly spaced over the day, each spikeMinutes long, on top of the base rate.
      if (curve.spikesPerDay <= 0) return curve.baseQps;
      const period = 24 / curve.spikesPerDay;
      const into = (hour % period) * 60;
      return into < curve.spikeMinutes ? curve.spikeQps : curve.baseQps;
    }
    case 'points':
      return interpolatePoints(curve.points, hour);
  }
}

/** Piecewise-linear, wrapping from the last point back to the first across midnight. */
function interpolatePoints(points: readonly { hour: number; qps: number }[], hour: number): number {
  const n = points.length;
  if (n === 0) return 0;
  if (n === 1) return points[0].qps;
  for (let i = 0; i < n - 1; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (hour >= a.hour && hour <= b.hour) return a.qps + ((b.qps - a.qps) * (hour - a.hour)) / (b.hour - a.hour || 1);
  }
  // Wrap: between the last point and the first point of the next day.
  const last = points[n - 1];
  const first = points[0];
  const span = first.hour + 24 - last.hour;
  const h = hour < first.hour ? hour + 24 : hour;
  return span <= 0 ? last.qps : last.qps + ((first.qps - last.qps) * (h - last.hour)) / span;
}

/** Peak of a curve over a day (sampled every minute), for sizing and previews. */
export function peakDemand(curve: DemandCurve): number {
  let peak = 0;
  for (let m = 0; m < 1440; m++) peak = Math.max(peak, demandAt(curve, m * 60));
  return peak;
}
