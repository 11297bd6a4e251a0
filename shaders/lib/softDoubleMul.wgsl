// More binary64 operations on integers (needs lib/wide.wgsl, lib/softDouble.wgsl, lib/softDoubleSum.wgsl):
// RN(a / b) for any integers, RN(x * y) of two doubles, and trunc of a signed value.
// TypeScript twin: JavaScript's own float64 arithmetic in src/sched/plugins/fgdBaselines.ts (dotProdScoreOf,
// bestFitRawOf), called by src/engine/cpu/filterScoreBaselines.ts.

// RN(a / b) for any a and b > 0 (d_div covers a < b). For a >= b: the integer quotient q >= 1, then 56 fraction
// bits by restoring division (>= 57 significant bits), the remainder folded into a sticky bit below them.
fn d_divu(a: u32, b: u32) -> Dbl {
  if (a == 0u) { return d_zero(); }
  if (a < b) { return d_div(a, b); }
  let q = a / b;
  var rem = a - q * b;
  var flo = 0u;
  var fhi = 0u;
  for (var i = 0u; i < 56u; i = i + 1u) {
    let carry = rem >> 31u;
    var r2 = rem << 1u;
    var bit = 0u;
    if (carry == 1u || r2 >= b) {
      r2 = r2 - b;
      bit = 1u;
    }
    rem = r2;
    fhi = (fhi << 1u) | (flo >> 31u);
    flo = (flo << 1u) | bit;
  }
  // q * 2^56 + fraction < 2^88; one more bit for the sticky
  let v = w_shl(w_add(w_shl(vec3<u32>(q, 0u, 0u), 56u), vec3<u32>(flo, fhi, 0u)), 1u);
  return d_round(vec3<u32>(v.x | select(0u, 1u, rem != 0u), v.y, v.z), -57);
}

// RN(x * y) for x, y >= 0: the exact 106-bit product of the significands from 32 x 32 partial products, shifted
// down 10 bits with the dropped bits jammed into bit 0 (>= 94 bits remain, so bit 0 is far below the round bit).
fn d_mul(x: Dbl, y: Dbl) -> Dbl {
  if (w_is_zero(x.m) || w_is_zero(y.m)) { return d_zero(); }
  let p00 = mul32(x.m.x, y.m.x);
  let p01 = mul32(x.m.x, y.m.y);
  let p10 = mul32(x.m.y, y.m.x);
  let p11 = mul32(x.m.y, y.m.y);
  // words 1..3 of the product (word 0 is p00.x); < 2^74, so no carry out
  let mid = w_add(w_add(vec3<u32>(p01.x, p01.y, 0u), vec3<u32>(p10.x, p10.y, 0u)), vec3<u32>(p00.y, p11.x, p11.y));
  let sticky = select(0u, 1u, (p00.x & 0x3ffu) != 0u);
  let v = vec3<u32>((p00.x >> 10u) | (mid.x << 22u) | sticky, (mid.x >> 10u) | (mid.y << 22u), (mid.y >> 10u) | (mid.z << 22u));
  return d_round(v, x.e + y.e + 10);
}

// trunc(RN(100 * v)) of a signed value as i32 (|100 v| < 2^31).
fn s_trunc100(v: SDbl) -> i32 {
  let t = i32(d_trunc(d_mul100(v.v)));
  return select(t, -t, v.neg);
}
