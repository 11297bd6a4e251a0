// IEEE-754 binary64 round-to-nearest-even, emulated with integers (needs lib/wide.wgsl).
// TypeScript twin: JavaScript's own float64 arithmetic in src/engine/cpu/filterScoreK8s.ts (BalancedAllocation).
// A Dbl is m * 2^e with m a 53-bit integer in [2^52, 2^53), or m = 0 for zero. Only non-negative values occur.
// Covers exactly the operations kube's BalancedAllocation (v1.34) does on two fractions of integers < 2^32:
// RN(a/b), |RN(x - y)|, /2, RN(1 - h), RN(100 t), trunc. No subnormals arise (every value is >= 2^-117).

struct Dbl {
  m: vec3<u32>,
  e: i32,
}

fn d_zero() -> Dbl { return Dbl(vec3<u32>(0u, 0u, 0u), 0); }
// 1 = 2^52 * 2^-52
fn d_one() -> Dbl { return Dbl(vec3<u32>(0u, 1u << 20u, 0u), -52); }

// Rounds the exact value v * 2^e to the nearest Dbl (ties to even).
fn d_round(v: vec3<u32>, e: i32) -> Dbl {
  let len = w_bitlen(v);
  if (len == 0u) { return d_zero(); }
  if (len <= 53u) { return Dbl(w_shl(v, 53u - len), e - i32(53u - len)); }
  let s = len - 53u;
  var m = w_shr(v, s);
  let rest = w_sub(v, w_shl(m, s));
  let half = w_shl(vec3<u32>(1u, 0u, 0u), s - 1u);
  var ee = e + i32(s);
  if (w_ge(rest, half) && (!w_eq(rest, half) || (m.x & 1u) == 1u)) {
    m = w_add(m, vec3<u32>(1u, 0u, 0u));
    if (w_bitlen(m) > 53u) {
      m = w_shr(m, 1u);
      ee = ee + 1;
    }
  }
  return Dbl(m, ee);
}

// RN(a / b) for 0 < a < b: restoring division producing 55-56 quotient bits, remainder folded into a sticky bit.
fn d_div(a: u32, b: u32) -> Dbl {
  let k = 55u + (32u - countLeadingZeros(b)) - (32u - countLeadingZeros(a));
  var rem = a;
  var qlo = 0u;
  var qhi = 0u;
  for (var i = 0u; i < k; i = i + 1u) {
    let carry = rem >> 31u;
    var r2 = rem << 1u;
    var bit = 0u;
    if (carry == 1u || r2 >= b) {
      r2 = r2 - b; // true value 2*rem - b < b fits; u32 wrap-around gives it exactly
      bit = 1u;
    }
    rem = r2;
    qhi = (qhi << 1u) | (qlo >> 31u);
    qlo = (qlo << 1u) | bit;
  }
  let q = w_shl(vec3<u32>(qlo, qhi, 0u), 1u);
  return d_round(vec3<u32>(q.x | select(0u, 1u, rem != 0u), q.y, q.z), -i32(k) - 1);
}

fn d_ge(a: Dbl, b: Dbl) -> bool {
  if (w_is_zero(b.m)) { return true; }
  if (w_is_zero(a.m)) { return false; }
  if (a.e != b.e) { return a.e > b.e; }
  return w_ge(a.m, b.m);
}

// RN(big - small) for big >= small >= 0. Exact alignment when the exponents differ by <= 42 bits; beyond that
// the smaller operand is truncated and jammed into a sticky half-unit far below the rounding position, which
// keeps the exact and the jammed difference inside the same open interval between representable neighbours.
fn d_sub(big: Dbl, small: Dbl) -> Dbl {
  if (w_is_zero(small.m)) { return big; }
  let d = u32(big.e - small.e);
  if (d <= 42u) {
    return d_round(w_sub(w_shl(big.m, d), small.m), small.e);
  }
  let bigShifted = w_shl(big.m, 42u);
  let sh = d - 42u;
  var s = vec3<u32>(0u, 0u, 0u);
  var sticky = true;
  if (sh < 96u) {
    s = w_shr(small.m, sh);
    sticky = !w_eq(w_shl(s, sh), small.m);
  }
  let e = big.e - 42;
  if (!sticky) { return d_round(w_sub(bigShifted, s), e); }
  let r = w_sub(w_sub(bigShifted, s), vec3<u32>(1u, 0u, 0u));
  return d_round(w_add(w_shl(r, 1u), vec3<u32>(1u, 0u, 0u)), e - 1);
}

fn d_half(x: Dbl) -> Dbl {
  if (w_is_zero(x.m)) { return x; }
  return Dbl(x.m, x.e - 1);
}

// RN(100 x)
fn d_mul100(x: Dbl) -> Dbl {
  let lo = mul32(x.m.x, 100u);
  return d_round(vec3<u32>(lo.x, lo.y + x.m.y * 100u, 0u), x.e);
}

// trunc(x) as u32 (x < 2^32)
fn d_trunc(x: Dbl) -> u32 {
  if (w_is_zero(x.m)) { return 0u; }
  if (x.e >= 0) { return x.m.x << u32(x.e); }
  let s = u32(-x.e);
  if (s >= 96u) { return 0u; }
  return w_shr(x.m, s).x;
}

// min(1, (used + req) / cap) in float64, for cap > 0.
fn d_fraction(used: u32, req: u32, cap: u32) -> Dbl {
  if (used >= cap || req >= cap - used) { return d_one(); }
  let a = used + req;
  if (a == 0u) { return d_zero(); }
  return d_div(a, cap);
}

// kube BalancedAllocation (v1.34) for two fractions: trunc((1 - |(fc - fm) / 2|) * 100) in float64.
fn balanced_two(fc: Dbl, fm: Dbl) -> u32 {
  var diff: Dbl;
  if (d_ge(fc, fm)) { diff = d_sub(fc, fm); } else { diff = d_sub(fm, fc); }
  return d_trunc(d_mul100(d_sub(d_one(), d_half(diff))));
}
