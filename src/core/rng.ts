/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32.
 * The RNG is always passed in explicitly (never a module global), so a simulation is a pure function of
 * (scenario, seed). `fork(label)` derives an independent stream, so that for example the workload arrivals
 * do not change when a different scheduler consumes a different number of tie-break draws.
 */
import { log } from './detMath.ts';
export class Rng {
  /** xoshiro128** state (typed storage keeps every word an unsigned 32-bit integer). */
  private readonly s = new Uint32Array(4);
  /** The seed this stream was created from (for forking). */
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    let x = this.seed;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const st = this.s;
    st[0] = next();
    st[1] = next();
    st[2] = next();
    st[3] = next();
    if ((st[0] | st[1] | st[2] | st[3]) === 0) st[0] = 1;
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const st = this.s;
    const s0 = st[0];
    const s1 = st[1];
    const s2 = st[2] ^ s0;
    const s3 = st[3] ^ s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    st[0] = s0 ^ s3;
    st[1] = s1 ^ s2;
    st[2] = s2 ^ (s1 << 9);
    st[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** Uniform float in [0, 1) with 53 bits of randomness. */
  float(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). `n` must be in 1..2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Math.floor(n) === n)) throw new RangeError(`invalid rng range: ${n}`);
    if (n === 1) return 0;
    // Accept v < limit = 2^32 − (2^32 mod n) and return v mod n, without a float remainder (slow in V8):
    // floor(a / n) is exact for integers a ≤ 2^32 (the quotient is ≥ 1/n away from the next integer, far
    // more than its rounding error), and v < 2^32 − n is below every limit, so most draws divide once.
    for (;;) {
      const v = this.nextU32();
      if (v < 4294967296 - n || v < Math.floor(4294967296 / n) * n) return v - Math.floor(v / n) * n;
    }
  }

  /** Exponentially distributed sample with the given rate (mean 1/rate). */
  exp(rate: number): number {
    return -log(1 - this.float()) / rate;
  }

  /** Fisher–Yates shuffle in place, returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** An independent stream derived from this stream's seed and a label; does not advance this stream. */
  fork(label: string): Rng {
    return new Rng(hashString(label, this.seed));
  }
}

/** 32-bit FNV-1a of a string, mixed with a seed. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
