/**
 * Inference latency from an M/M/1 queue per replica (Poisson arrivals, exponential service): the sojourn time
 * of a stable M/M/1 queue is exponential with rate μ − λ, so P(T ≤ t) = 1 − e^{−(μ−λ)t} and the q-quantile is
 * −ln(1 − q)/(μ − λ). A replica with λ ≥ μ is saturated: its requests miss any SLO.
 */
import { exp } from '../core/detMath.ts';

/** One replica's queue: arrival rate λ and service rate μ, requests per second. */
export interface ReplicaQueue {
  lambda: number;
  mu: number;
}

/** Fraction of requests answered within `sloS` for one replica (0 when saturated). */
export function mm1Attainment(q: ReplicaQueue, sloS: number): number {
  if (q.lambda <= 0) return 1;
  if (q.lambda >= q.mu) return 0;
  return 1 - exp(-(q.mu - q.lambda) * sloS);
}

/**
 * The q-quantile (seconds) of latency over a mixture of replicas weighted by their arrival rates (bisection on
 * the mixture CDF). Infinity when more than 1 − q of the requests go to saturated replicas.
 */
export function mixtureQuantile(queues: readonly ReplicaQueue[], q: number): number {
  let total = 0;
  let stable = 0;
  for (const r of queues) {
    total += r.lambda;
    if (r.lambda < r.mu) stable += r.lambda;
  }
  if (total <= 0) return 0;
  if (stable / total < q) return Infinity;
  const cdf = (t: number): number => {
    let s = 0;
    for (const r of queues) if (r.lambda > 0 && r.lambda < r.mu) s += r.lambda * (1 - exp(-(r.mu - r.lambda) * t));
    return s / total;
  };
  let lo = 0;
  let hi = 1e-3;
  while (cdf(hi) < q && hi < 1e9) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return hi;
}
