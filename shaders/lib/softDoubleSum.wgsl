// Signed binary64 values, products by integers and sums of non-negative terms, round-to-nearest-even, emulated
// with integers (needs lib/wide.wgsl and lib/softDouble.wgsl). TypeScript twin: JavaScript's own float64 steps in
// src/engine/cpu/filterScoreFgd.ts (fragmentOf: f += w * x; Δ = before - after; Δ >= breakpoint).

struct SDbl {
  neg: bool,
  v: Dbl,
}

// A Dbl from its host packing (significand low/high word, exponent as i32 bits); see packDouble in fgdTables.ts.
fn d_unpack(lo: u32, hi: u32, e: u32) -> Dbl {
  return Dbl(vec3<u32>(lo, hi, 0u), bitcast<i32>(e));
}

// RN(x * k) for x >= 0 and an integer k: the exact product of a 53-bit significand and k has at most 85 bits.
fn d_mul_u32(x: Dbl, k: u32) -> Dbl {
  if (k == 0u || w_is_zero(x.m)) { return d_zero(); }
  let lo = mul32(x.m.x, k);
  let hi = mul32(x.m.y, k);
  let mid = lo.y + hi.x;
  let c = select(0u, 1u, mid < lo.y);
  return d_round(vec3<u32>(lo.x, mid, hi.y + c), x.e);
}

// RN(a + b) for a, b >= 0. Exact alignment when the exponents differ by <= 41 bits (fits 96 bits); beyond that
// the smaller operand's bits below 2^(e-41) are jammed into a sticky half-unit 41+ bits under the rounding
// position, which keeps the exact and the jammed sum inside the same open interval between rounding boundaries.
fn d_add(a: Dbl, b: Dbl) -> Dbl {
  if (w_is_zero(a.m)) { return b; }
  if (w_is_zero(b.m)) { return a; }
  var big = a;
  var small = b;
  if (b.e > a.e) {
    big = b;
    small = a;
  }
  let d = u32(big.e - small.e);
  if (d <= 41u) {
    return d_round(w_add(w_shl(big.m, d), small.m), small.e);
  }
  let sh = d - 41u;
  var s = vec3<u32>(0u, 0u, 0u);
  var sticky = true;
  if (sh < 96u) {
    s = w_shr(small.m, sh);
    sticky = !w_eq(w_shl(s, sh), small.m);
  }
  let t = w_add(w_shl(big.m, 41u), s);
  let e = big.e - 41;
  if (!sticky) { return d_round(t, e); }
  return d_round(w_add(w_shl(t, 1u), vec3<u32>(1u, 0u, 0u)), e - 1);
}

// RN(a - b) for a, b >= 0, as sign and magnitude (an exact zero is non-negative).
fn d_diff(a: Dbl, b: Dbl) -> SDbl {
  if (d_ge(a, b)) { return SDbl(false, d_sub(a, b)); }
  return SDbl(true, d_sub(b, a));
}

// a >= b for signed values (-0 = 0).
fn s_ge(a: SDbl, b: SDbl) -> bool {
  let an = a.neg && !w_is_zero(a.v.m);
  let bn = b.neg && !w_is_zero(b.v.m);
  if (an != bn) { return bn; }
  if (!an) { return d_ge(a.v, b.v); }
  return d_ge(b.v, a.v);
}
