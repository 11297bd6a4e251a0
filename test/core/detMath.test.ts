import { describe, expect, it } from 'vitest';
import { cos, exp, log, pow10, pow2 } from '../../src/core/detMath.ts';
import { Rng } from '../../src/core/rng.ts';

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Bits of x as a hex string, so a pinned value shows exactly which bits changed. */
function hexBits(x: number): string {
  f64[0] = x;
  return BigInt.asUintN(64, i64[0]).toString(16).padStart(16, '0');
}

/** Distance in ulps between two finite doubles (counting across zero through the ordered integer keys). */
function ulps(a: number, b: number): number {
  const key = (x: number): bigint => {
    f64[0] = x;
    const v = i64[0];
    return v < 0n ? -(v & 0x7fffffffffffffffn) : v;
  };
  const d = key(a) - key(b);
  return Number(d < 0n ? -d : d);
}

/** Worst ulp distance from the engine's Math.* over n seeded inputs drawn by `draw`. */
function worstUlps(n: number, draw: (r: Rng) => number, ours: (x: number) => number, ref: (x: number) => number): number {
  const r = new Rng(20261206);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const x = draw(r);
    const d = ulps(ours(x), ref(x));
    if (d > worst) worst = d;
  }
  return worst;
}

// Engines round their Math.* within about 1 ulp and so do we: 2 ulps apart at most on typical inputs.
const TOLERANCE_ULPS = 2;
const N = 100_000;

describe('detMath against Math.* (100,000 seeded inputs per range)', () => {
  it('exp on [−745, 709] and on the small arguments the simulator uses', () => {
    expect(worstUlps(N, (r) => -745 + r.float() * 1454, exp, Math.exp)).toBeLessThanOrEqual(TOLERANCE_ULPS);
    expect(worstUlps(N, (r) => -20 + r.float() * 40, exp, Math.exp)).toBeLessThanOrEqual(TOLERANCE_ULPS);
  });
  it('exp near the subnormal range stays within a few ulps (the one rounding is the last step)', () => {
    // Results below 2^−1022 have fewer significant bits; compare absolutely in units of the smallest subnormal.
    expect(worstUlps(10_000, (r) => -745 + r.float() * 37, exp, Math.exp)).toBeLessThanOrEqual(1);
  });
  it('log over (0, 1), [1, 1e6] and the whole double range', () => {
    expect(worstUlps(N, (r) => r.float(), log, Math.log)).toBeLessThanOrEqual(TOLERANCE_ULPS);
    expect(worstUlps(N, (r) => 1 + r.float() * 1e6, log, Math.log)).toBeLessThanOrEqual(TOLERANCE_ULPS);
    expect(worstUlps(N, (r) => 10 ** (-320 + r.float() * 628), log, Math.log)).toBeLessThanOrEqual(TOLERANCE_ULPS);
  });
  it('cos on [−2π, 2π], [−1e6, 1e6] and huge arguments (Payne–Hanek path)', () => {
    expect(worstUlps(N, (r) => (r.float() - 0.5) * 4 * Math.PI, cos, Math.cos)).toBeLessThanOrEqual(TOLERANCE_ULPS);
    expect(worstUlps(N, (r) => (r.float() - 0.5) * 2e6, cos, Math.cos)).toBeLessThanOrEqual(TOLERANCE_ULPS);
    expect(worstUlps(2_000, (r) => 2 ** (29 + r.float() * 994), cos, Math.cos)).toBeLessThanOrEqual(TOLERANCE_ULPS);
  });
  it('pow10 on [−8, 8] (the latency histogram edges) and [−300, 300]', () => {
    expect(worstUlps(N, (r) => (r.float() - 0.5) * 16, pow10, (y) => Math.pow(10, y))).toBeLessThanOrEqual(TOLERANCE_ULPS);
    expect(worstUlps(N, (r) => (r.float() - 0.5) * 600, pow10, (y) => Math.pow(10, y))).toBeLessThanOrEqual(TOLERANCE_ULPS);
  });
});

describe('detMath special cases', () => {
  it('exp', () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(1)).toBe(Math.E);
    expect(exp(NaN)).toBeNaN();
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(710)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(-745)).toBe(5e-324); // rounds to the smallest subnormal
    expect(exp(1e-300)).toBe(1);
  });
  it('log', () => {
    expect(log(1)).toBe(0);
    expect(log(0)).toBe(-Infinity);
    expect(log(-0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(NaN)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(log(Math.E)).toBe(1);
    expect(log(2)).toBe(Math.LN2);
    expect(log(5e-324)).toBe(-744.4400719213812); // subnormal: −1074·ln 2, correctly rounded
    expect(log(Number.MAX_VALUE)).toBe(709.782712893384);
  });
  it('cos', () => {
    expect(cos(0)).toBe(1);
    expect(cos(Math.PI)).toBe(-1);
    expect(cos(-Math.PI)).toBe(-1);
    expect(cos(NaN)).toBeNaN();
    expect(cos(Infinity)).toBeNaN();
    expect(cos(-Infinity)).toBeNaN();
    expect(cos(1e-300)).toBe(1);
    expect(Math.abs(cos(Math.PI / 2))).toBeLessThan(1e-16);
  });
  it('pow10 and pow2 are exact where the result is a double', () => {
    for (let k = 0; k <= 22; k++) expect(pow10(k)).toBe(Number(`1e${k}`));
    for (let k = 1; k <= 22; k++) expect(pow10(-k)).toBe(Number(`1e-${k}`));
    expect(pow10(400)).toBe(Infinity);
    expect(pow10(-400)).toBe(0);
    expect(pow10(NaN)).toBeNaN();
    expect(pow2(0)).toBe(1);
    expect(pow2(31)).toBe(2147483648);
    expect(pow2(1023)).toBe(Number.MAX_VALUE / (2 - Number.EPSILON));
    expect(pow2(1024)).toBe(Infinity);
    expect(pow2(-1022)).toBe(2.2250738585072014e-308);
    expect(pow2(-1074)).toBe(5e-324);
    expect(pow2(-1075)).toBe(0);
  });
});

describe('detMath pinned bit patterns (a change to a polynomial or a reduction shows here)', () => {
  // Inputs as the simulator sees them: a sigmoid argument, an exponential draw, a histogram edge, a demand phase.
  // Each pinned value is the correctly rounded result (worked out independently with Python's decimal module at
  // 50 digits, and glibc's cos), so these pins also show the implementation is exact on them.
  it.each([
    ['exp(-0.5)', () => exp(-0.5), '3fe368b2fc6f960a'],
    ['exp(3.7)', () => exp(3.7), '4044394144eeec81'],
    ['log(0.3)', () => log(0.3), 'bff34378fcbda721'],
    ['log(7)', () => log(7), '3fff2272ae325a57'],
    ['cos(2.5)', () => cos(2.5), 'bfe9a2f7ef858b7d'],
    ['cos(1e10)', () => cos(1e10), '3febf098901c931a'],
    ['pow10(0.1)', () => pow10(0.1), '3ff4248ef8fc2604'],
  ])('%s', (_, f, bits) => {
    expect(hexBits(f())).toBe(bits);
  });
});
