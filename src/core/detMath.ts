/**
 * Deterministic elementary functions: exp, log, cos, pow10 and pow2 built only from IEEE-754 basic operations
 * (+ − × ÷ with round-to-nearest) and exact bit manipulation, so they return the same bits on every conforming
 * engine. Math.exp/log/pow/cos are not specified to the last bit, and V8 (Node 20) and Chromium differ on about
 * one input in ten, which made the CLI and the app disagree on the same scenario and seed.
 *
 * Algorithms (reimplemented from their descriptions, not copied): exp and log follow fdlibm as described in
 * golang/go src/math/exp.go and src/math/log.go (BSD-3-Clause): Cody–Waite reduction with ln 2 split into a
 * hi part with trailing zero bits and a lo part, then a fixed minimax polynomial; cos follows the Cephes scheme
 * of golang/go src/math/sin.go (reduction by π/4 in three parts, degree-6 polynomials in z²) and, for
 * |x| ≥ 2^29, the Payne–Hanek idea of src/math/trig_reduce.go (multiply by 4/π to enough bits), done here with
 * BigInt. Accuracy: within about 1 ulp of the correctly rounded result (test/core/detMath.test.ts).
 */

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const u32 = new Uint32Array(f64.buffer);
// Which 32-bit word holds the sign, exponent and top of the mantissa (1 on little-endian machines).
f64[0] = 1;
const HI = u32[1] === 0x3ff00000 ? 1 : 0;

/** The double whose IEEE-754 bits are `bits` (BigInt: used off the hot paths only). */
function fromBits(bits: bigint): number {
  u64[0] = bits;
  return f64[0];
}

/** The IEEE-754 bits of `x` (BigInt: used off the hot paths only). */
function toBits(x: number): bigint {
  f64[0] = x;
  return u64[0];
}

// 2^k for k = −1074..1023, built from bits once (index k + 1074): the hot paths only read this table.
const POW2 = new Float64Array(1023 + 1074 + 1);
for (let k = -1074; k <= 1023; k++) POW2[k + 1074] = k >= -1022 ? fromBits(BigInt(k + 1023) << 52n) : fromBits(1n << BigInt(k + 1074));

/** 2^k exactly for integer k (subnormal down to 2^−1074, 0 below, +Infinity above 2^1023). */
export function pow2(k: number): number {
  if (k > 1023) return Infinity;
  if (k < -1074) return 0;
  return POW2[k + 1074];
}

/** y·2^k with a single rounding (exact unless the result is subnormal, overflows or underflows). */
function scale(y: number, k: number): number {
  if (k > 1023) return y * pow2(1023) * pow2(k - 1023);
  // Stay normal in the first (exact) step so the only rounding is the last one.
  if (k < -1022) return y * pow2(k + 54) * pow2(-54);
  return y * pow2(k);
}

// ln 2 split so that k·LN2_HI is exact for |k| < 2^11 (LN2_HI has its low 32 bits zero).
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LOG2_E = 1.44269504088896338700e0;
// Minimax polynomial for R(r²) ≈ r·(e^r + 1)/(e^r − 1) − 2 on |r| ≤ ln2/2 (fdlibm e_exp.c coefficients).
const EP1 = 1.66666666666666657415e-1;
const EP2 = -2.77777777770155933842e-3;
const EP3 = 6.61375632143793436117e-5;
const EP4 = -1.65339022054652515390e-6;
const EP5 = 4.13813679705723846039e-8;
const EXP_OVERFLOW = 7.09782712893383973096e2;
const EXP_UNDERFLOW = -7.45133219101941108420e2;

/** e^x, deterministic on every engine. */
export function exp(x: number): number {
  if (x !== x) return x;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  if (x > -3.725290298461914e-9 && x < 3.725290298461914e-9) return 1 + x;
  // k = round(x/ln2); r = x − k·ln2 carried as hi − lo.
  const k = x < 0 ? Math.trunc(LOG2_E * x - 0.5) : Math.trunc(LOG2_E * x + 0.5);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  return expReduced(hi, lo, k);
}

/** e^(hi − lo)·2^k for a reduced |hi − lo| ≤ ln2/2. */
function expReduced(hi: number, lo: number, k: number): number {
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (EP1 + t * (EP2 + t * (EP3 + t * (EP4 + t * EP5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return scale(y, k);
}

// Minimax polynomial for log(1+f) in s = f/(2+f) (fdlibm e_log.c coefficients).
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const SQRT1_2 = 7.07106781186547524401e-1;
const MANT_MASK = (1n << 52n) - 1n;

/** Natural logarithm, deterministic on every engine. */
export function log(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x < 0) return NaN;
  if (x === 0) return -Infinity;
  // x = f1·2^ki with f1 in [0.5, 1), read from the bits (subnormals first scaled up by 2^54, exactly).
  let bias = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984;
    bias = -54;
  }
  f64[0] = x;
  const hi = u32[HI];
  let ki = (hi >>> 20) - 1022 + bias;
  u32[HI] = (hi & 0x800fffff) | 0x3fe00000; // same mantissa, exponent of [0.5, 1)
  let f1 = f64[0];
  if (f1 < SQRT1_2) {
    f1 *= 2;
    ki--;
  }
  const f = f1 - 1;
  const k = ki;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (LG1 + s4 * (LG3 + s4 * (LG5 + s4 * LG7)));
  const t2 = s4 * (LG2 + s4 * (LG4 + s4 * LG6));
  const R = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

// ln 10 as a double plus the remainder (ln 10 − LN10, from a 60-digit value).
const LN10 = 2.302585092994046;
const LN10_LO = -2.1707562233822494e-16;
const SPLITTER = 134217729; // 2^27 + 1, Veltkamp split

/** The rounding error of a·b (a·b − fl(a·b)), exact by Dekker's algorithm (no fused multiply-add needed). */
function productError(a: number, b: number, p: number): number {
  const ac = SPLITTER * a;
  const ah = ac - (ac - a);
  const al = a - ah;
  const bc = SPLITTER * b;
  const bh = bc - (bc - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** 10^y, deterministic; exact for integer y in [−22, 22] where the result (or its inverse) is a double. */
export function pow10(y: number): number {
  if (Number.isInteger(y) && y >= -22 && y <= 22) {
    let p = 1;
    for (let i = 0; i < Math.abs(y); i++) p *= 10; // 10^22 < 2^53·2^22: every step is exact
    return y < 0 ? 1 / p : p;
  }
  // 10^y = e^(y·ln10); carry y·ln10 as h + e so the product's rounding does not cost ulps for large y.
  const h = y * LN10;
  if (!Number.isFinite(h)) return exp(h);
  const e = productError(y, LN10, h) + y * LN10_LO;
  const r = exp(h);
  if (r === Infinity || r === 0) return r;
  return r + r * e;
}

// π/4 in three parts (Cephes): y·PI4A and y·PI4B are exact for y < 2^29.
const PI4A = 7.85398125648498535156e-1;
const PI4B = 3.77489470793079817668e-8;
const PI4C = 2.69515142907905952645e-15;
const PI4 = 0.7853981633974483;
const FOUR_OVER_PI = 1.2732395447351628;
const REDUCE_THRESHOLD = 536870912; // 2^29
const SIN = [
  1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6, -1.98412698295895385996e-4,
  8.33333333332211858878e-3, -1.66666666666666307295e-1,
];
const COS = [
  -1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7, 2.48015872888517045348e-5,
  -1.38888888888730564116e-3, 4.16666666666665929218e-2,
];

/** Cosine (radians), deterministic on every engine. */
export function cos(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) return NaN;
  x = Math.abs(x);
  let j: number;
  let z: number;
  if (x >= REDUCE_THRESHOLD) {
    [j, z] = reduceHuge(x);
  } else {
    j = Math.floor(x * FOUR_OVER_PI);
    let y = j;
    // Map odd octants to the next even one so z lies in [−π/4, π/4].
    if (j % 2 === 1) {
      j++;
      y++;
    }
    j %= 8;
    z = x - y * PI4A - y * PI4B - y * PI4C;
  }
  let negative = false;
  if (j > 3) {
    j -= 4;
    negative = !negative;
  }
  if (j > 1) negative = !negative;
  const zz = z * z;
  const r =
    j === 1 || j === 2
      ? z + z * zz * (((((SIN[0] * zz + SIN[1]) * zz + SIN[2]) * zz + SIN[3]) * zz + SIN[4]) * zz + SIN[5])
      : 1 - 0.5 * zz + zz * zz * (((((COS[0] * zz + COS[1]) * zz + COS[2]) * zz + COS[3]) * zz + COS[4]) * zz + COS[5]);
  return negative ? -r : r;
}

// 4/π to FOUR_OVER_PI_BITS fractional bits, computed once on the first huge argument (Machin's formula).
const FOUR_OVER_PI_BITS = 1280n;
let fourOverPiFixed: bigint | undefined;

/** floor(4/π·2^FOUR_OVER_PI_BITS), exact in BigInt. */
function fourOverPi(): bigint {
  if (fourOverPiFixed !== undefined) return fourOverPiFixed;
  const guard = 64n;
  const one = 1n << (FOUR_OVER_PI_BITS + guard);
  // atan(1/n) = Σ (−1)^i / ((2i+1)·n^(2i+1)) in fixed point.
  const atanInv = (n: bigint): bigint => {
    let sum = 0n;
    let power = one / n;
    for (let i = 0n; power !== 0n; i++) {
      const term = power / (2n * i + 1n);
      sum += i % 2n === 0n ? term : -term;
      power /= n * n;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  fourOverPiFixed = (4n * one * one) / pi >> guard;
  return fourOverPiFixed;
}

/** Octant j (0..7, made even) and the reduced z in [−π/4, π/4] for x ≥ 2^29 (x = m·2^e with m < 2^53). */
function reduceHuge(x: number): [number, number] {
  const bits = toBits(x);
  const m = (bits & MANT_MASK) | (1n << 52n);
  const e = BigInt(Number(bits >> 52n) - 1075);
  // x·4/π = m·P·2^(e − B): the integer part's low 3 bits give the octant, the rest the fraction.
  const shift = FOUR_OVER_PI_BITS - e;
  const product = m * fourOverPi();
  let j = Number((product >> shift) & 7n);
  let fraction = product & ((1n << shift) - 1n);
  // Odd octants map to the next even one: z = fraction − 1 (negative), computed exactly before rounding.
  let negative = false;
  if (j % 2 === 1) {
    j = (j + 1) % 8;
    fraction = (1n << shift) - fraction;
    negative = true;
  }
  // The leading 53 significant bits of the fraction (truncated), then the exact power-of-two scaling.
  const length = BigInt(fraction.toString(2).length);
  const drop = length > 53n ? length - 53n : 0n;
  const z = scale(Number(fraction >> drop), Number(drop - shift));
  return [j, (negative ? -z : z) * PI4];
}
