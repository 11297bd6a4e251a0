/**
 * IEEE binary32 round-to-nearest-even arithmetic on non-negative values with integers only: the TypeScript twin of
 * shaders/lib/softFloat32.wgsl, step for step. WGSL's f32 division is only accurate to 2.5 ULP and its int→f32
 * conversion may round either way, so the HAMi kernel computes HAMi's float32 node score (ComputeDefaultScore,
 * HAMi v2.10.0 pkg/scheduler/policy/node_policy.go; src/sched/hami/score.ts nodeScore) with these operations.
 * Values are f32 bit patterns (u32); only zero and normal numbers occur (operands are integers < 2^32 and their
 * quotients, far from the subnormal and overflow ranges). test/engine/hamiTwin.test.ts checks every operation
 * against Math.fround.
 */
import { pow2 } from '../../core/detMath.ts';

const TWO23 = 0x800000;
const TWO24 = 0x1000000;

/** Bit length of a non-negative integer < 2^53. */
function bitLength(v: number): number {
  let n = 0;
  while (v >= 1) {
    v = Math.floor(v / 2);
    n++;
  }
  return n;
}

/**
 * Rounds v·2^e (+ a positive amount below v's last bit when `sticky`) to binary32, ties to even. v is an integer
 * < 2^33; when `sticky` is set v has ≥ 26 significant bits, so the sticky bit lies below the rounding position.
 */
export function f32Round(v: number, e: number, sticky: boolean): number {
  if (v === 0) return 0;
  let s = bitLength(v) - 24;
  let q: number;
  if (s > 0) {
    const p = pow2(s);
    q = Math.floor(v / p);
    const rem = v - q * p;
    const half = p / 2;
    if (rem > half || (rem === half && (sticky || q % 2 === 1))) q++;
    if (q === TWO24) {
      q = TWO23;
      s++;
    }
  } else {
    q = v * pow2(-s);
  }
  return ((e + s + 150) * TWO23 + (q - TWO23)) >>> 0;
}

/** Mantissa (24 bits with the hidden one) and exponent of a normal f32 bit pattern: value = m·2^e. */
function unpack(bits: number): { m: number; e: number } {
  return { m: (bits & 0x7fffff) + TWO23, e: (bits >>> 23) - 150 };
}

/** RN(x) for an integer 0 ≤ x < 2^32 (Go's float32(x)). */
export function f32FromU32(x: number): number {
  return f32Round(x, 0, false);
}

/** RN(a / b) of two f32 bit patterns, b > 0: a 27-bit quotient by restoring division, the remainder as sticky bit. */
export function f32Div(a: number, b: number): number {
  if (a === 0) return 0;
  const x = unpack(a);
  const y = unpack(b);
  let r = x.m;
  let q = 0;
  for (let i = 0; i < 27; i++) {
    q *= 2;
    if (r >= y.m) {
      r -= y.m;
      q += 1;
    }
    r *= 2;
  }
  return f32Round(q, x.e - y.e - 26, r !== 0);
}

/** RN(a + b) of two non-negative f32 bit patterns: 7 guard bits, bits shifted out of the smaller one jammed into a sticky bit. */
export function f32Add(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  let x = unpack(a);
  let y = unpack(b);
  if (x.e < y.e) [x, y] = [y, x];
  const d = x.e - y.e;
  const big = x.m * 128;
  const small = y.m * 128;
  let shifted: number;
  let sticky: boolean;
  if (d >= 31) {
    shifted = 0;
    sticky = true;
  } else {
    const p = pow2(d);
    shifted = Math.floor(small / p);
    sticky = shifted * p !== small;
  }
  return f32Round(big + shifted, x.e - 7, sticky);
}

/** RN(10·a) of an f32 bit pattern (HAMi's util.Weight scaling; the product is exact before rounding). */
export function f32Mul10(a: number): number {
  if (a === 0) return 0;
  const x = unpack(a);
  return f32Round(x.m * 10, x.e, false);
}

/** The value of an f32 bit pattern. */
export function f32Value(bits: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, bits >>> 0);
  return v.getFloat32(0);
}

/** The bit pattern of an f32 value. */
export function f32Bits(value: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, value);
  return v.getUint32(0);
}

/**
 * HAMi's node score as an f32 bit pattern: 10·((used/split + usedCores/cores) + usedMem/mem), every operation
 * rounded to binary32 (src/sched/hami/score.ts nodeScore); 0 when a capacity sum is 0.
 */
export function hamiNodeScoreBits(used: number, split: number, usedCores: number, cores: number, usedMem: number, mem: number): number {
  if (split === 0 || cores === 0 || mem === 0) return 0;
  const slots = f32Div(f32FromU32(used), f32FromU32(split));
  const compute = f32Div(f32FromU32(usedCores), f32FromU32(cores));
  const memory = f32Div(f32FromU32(usedMem), f32FromU32(mem));
  return f32Mul10(f32Add(f32Add(slots, compute), memory));
}
