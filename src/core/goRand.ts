/**
 * Go's `math/rand` generator, bit for bit, so that a replay can draw exactly the numbers a Go program drew (the
 * FGD artifact seeds Go's global source with the run's seed; src/sched/frag/goReplay.ts). The algorithm is Go's
 * published one (golang/go src/math/rand/rng.go and rand.go, unchanged from Go 1.10 to 1.19; the artifact's
 * go.mod names Go 1.15): Mitchell and Reeds' additive lagged Fibonacci generator x[n] = x[n−607] + x[n−273]
 * (mod 2^63), seeded from the Lehmer generator 48271·x mod (2^31 − 1) XORed with the `rngCooked` table
 * (goRandCooked.ts, BSD-3-Clause data). Written here from the algorithm's description, not copied; the golden
 * outputs in test/core/goRand.test.ts come from Go's own regress_test.go.
 *
 * The 63-bit words are held as two unsigned 32-bit halves (hi: 31 bits, lo: 32 bits), so drawing needs no BigInt.
 */
import { GO_RNG_COOKED } from './goRandCooked.ts';

/** Length of the feedback register (Go's rngLen). */
const LEN = 607;
/** The register's tap (Go's rngTap): x[n] = x[n − 607] + x[n − 273]. */
const TAP = 273;
/** 2^31 − 1, the Lehmer modulus and Go's int32max. */
const INT32_MAX = 2147483647;
const TWO32 = 4294967296;
const TWO31 = 2147483648;
const MASK63 = (1n << 63n) - 1n;

/** One step of the Lehmer generator 48271·x mod (2^31 − 1) by Schrage's method (Go's seedrand); exact in doubles. */
function seedrand(x: number): number {
  const hi = Math.trunc(x / 44488);
  const lo = x % 44488;
  let y = 48271 * lo - 3399 * hi;
  if (y < 0) y += INT32_MAX;
  return y;
}

/** Go's `rand.New(rand.NewSource(seed))`: the same numbers from the same seed and the same calls. */
export class GoRand {
  private readonly hi = new Uint32Array(LEN);
  private readonly lo = new Uint32Array(LEN);
  private tap = 0;
  private feed = LEN - TAP;
  /** Low 32 bits of the last Int63 (its high 31 bits are the return value of `next`). */
  private lastLo = 0;

  constructor(seed: number | bigint) {
    this.seed(seed);
  }

  /** Go's Source.Seed: reduces the seed mod 2^31 − 1 (0 becomes 89482311) and refills the register. */
  seed(seed: number | bigint): void {
    const s64 = BigInt.asIntN(64, BigInt(seed));
    // Go's % truncates toward zero; a negative remainder is lifted into [0, 2^31 − 1).
    let s = Number(s64 % BigInt(INT32_MAX));
    if (s < 0) s += INT32_MAX;
    if (s === 0) s = 89482311;
    this.tap = 0;
    this.feed = LEN - TAP;
    let x = s;
    for (let i = -20; i < LEN; i++) {
      x = seedrand(x);
      if (i < 0) continue;
      let u = BigInt(x) << 40n;
      x = seedrand(x);
      u ^= BigInt(x) << 20n;
      x = seedrand(x);
      u ^= BigInt(x);
      u = (u ^ GO_RNG_COOKED[i]) & MASK63;
      this.hi[i] = Number(u >> 32n);
      this.lo[i] = Number(u & 0xffffffffn);
    }
  }

  /** Advances the register; returns the high 31 bits of the new Int63 (the low 32 bits land in `lastLo`). */
  private next(): number {
    if (--this.tap < 0) this.tap += LEN;
    if (--this.feed < 0) this.feed += LEN;
    const f = this.feed;
    const t = this.tap;
    const lo = this.lo[f] + this.lo[t];
    const carry = lo >= TWO32 ? 1 : 0;
    const hi = (this.hi[f] + this.hi[t] + carry) & 0x7fffffff;
    this.hi[f] = hi;
    this.lo[f] = lo >>> 0;
    this.lastLo = lo >>> 0;
    return hi;
  }

  /** Go's Int63: a non-negative 63-bit integer. */
  int63(): bigint {
    const hi = this.next();
    return (BigInt(hi) << 32n) | BigInt(this.lastLo);
  }

  /** Go's Int (64-bit platforms): the same value as Int63. */
  int(): bigint {
    return this.int63();
  }

  /** Go's Int31: Int63 >> 32. */
  int31(): number {
    return this.next();
  }

  /** Go's Uint32: Int63 >> 31. */
  uint32(): number {
    const hi = this.next();
    return ((hi << 1) | (this.lastLo >>> 31)) >>> 0;
  }

  /** Go's Int31n: uniform in [0, n) by rejection on Int31 (n in 1..2^31 − 1). */
  int31n(n: number): number {
    if (!(Number.isInteger(n) && n > 0 && n <= INT32_MAX)) throw new RangeError(`invalid argument to int31n: ${n}`);
    if ((n & (n - 1)) === 0) return this.int31() & (n - 1);
    const max = INT32_MAX - (TWO31 % n);
    let v = this.int31();
    while (v > max) v = this.int31();
    return v % n;
  }

  /** Go's Int63n: uniform in [0, n) by rejection on Int63. */
  int63n(n: bigint): bigint {
    if (n <= 0n) throw new RangeError(`invalid argument to int63n: ${n}`);
    if ((n & (n - 1n)) === 0n) return this.int63() & (n - 1n);
    const max = MASK63 - ((1n << 63n) % n);
    let v = this.int63();
    while (v > max) v = this.int63();
    return v % n;
  }

  /** Go's Intn (64-bit platforms): Int31n below 2^31, else Int63n; n up to 2^53 here. */
  intn(n: number): number {
    if (!(Number.isSafeInteger(n) && n > 0)) throw new RangeError(`invalid argument to intn: ${n}`);
    if (n <= INT32_MAX) return this.int31n(n);
    return Number(this.int63n(BigInt(n)));
  }

  /** Go's Float64: Int63 / 2^63 (rounded to a double once), drawing again on 1. */
  float64(): number {
    for (;;) {
      const hi = this.next();
      // hi·2^32 is exact and the one addition rounds the 63-bit value to nearest-even, as Go's float64(int64) does.
      const f = (hi * TWO32 + this.lastLo) / 9223372036854775808;
      if (f !== 1) return f;
    }
  }

  /** Go's unexported int31n (Lemire's multiply-shift), which Shuffle uses: uniform in [0, n). */
  private int31nLemire(n: number): number {
    let v = this.uint32();
    let low = Math.imul(v, n) >>> 0;
    if (low < n) {
      const thresh = (TWO32 - n) % n;
      while (low < thresh) {
        v = this.uint32();
        low = Math.imul(v, n) >>> 0;
      }
    }
    // floor(v·n / 2^32) without a 64-bit product: v = vh·2^16 + vl, each partial product below 2^47.
    const t = (v >>> 16) * n;
    const w = (v & 0xffff) * n;
    return Math.floor((t + Math.floor(w / 65536)) / 65536);
  }

  /** Go's Perm: a permutation of 0..n−1 (inside-out Fisher–Yates with Intn). */
  perm(n: number): number[] {
    const m = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const j = this.intn(i + 1);
      m[i] = m[j];
      m[j] = i;
    }
    return m;
  }

  /** Go's Shuffle: Fisher–Yates from the end, j = int31n(i + 1) (n below 2^31). */
  shuffle(n: number, swap: (i: number, j: number) => void): void {
    if (!(Number.isInteger(n) && n >= 0 && n < TWO31)) throw new RangeError(`invalid argument to shuffle: ${n}`);
    for (let i = n - 1; i > 0; i--) swap(i, this.int31nLemire(i + 1));
  }
}
