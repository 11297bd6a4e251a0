// softFloat32: IEEE binary32 round-to-nearest-even on non-negative values, integers only (values are f32 bit
// patterns in u32). TypeScript twin: src/engine/cpu/softFloat32.ts, step for step. WGSL's f32 division is only
// accurate to 2.5 ULP and its u32 -> f32 conversion may round either way, so HAMi's float32 node score is
// emulated. Only zero and normal numbers occur (operands are integers < 2^31 and their quotients).

// Rounds v * 2^e (+ a positive amount below v's last bit when `sticky`) to binary32, ties to even.
// When `sticky` is set, v has >= 26 significant bits, so the sticky bit lies below the rounding position.
fn f_round(v: u32, e: i32, sticky: bool) -> u32 {
  if (v == 0u) { return 0u; }
  var s = i32(32u - countLeadingZeros(v)) - 24;
  var q: u32;
  if (s > 0) {
    let su = u32(s);
    q = v >> su;
    let rem = v & ((1u << su) - 1u);
    let half = 1u << (su - 1u);
    if (rem > half || (rem == half && (sticky || (q & 1u) == 1u))) { q = q + 1u; }
    if (q == 0x1000000u) {
      q = 0x800000u;
      s = s + 1;
    }
  } else {
    q = v << u32(-s);
  }
  return (u32(e + s + 150) << 23u) | (q - 0x800000u);
}

// RN(x) for an integer x (Go's float32(x)).
fn f_from_u32(x: u32) -> u32 {
  return f_round(x, 0, false);
}

fn f_mant(a: u32) -> u32 { return (a & 0x7fffffu) | 0x800000u; }
fn f_exp(a: u32) -> i32 { return i32(a >> 23u) - 150; }

// RN(a / b), b > 0: a 27-bit quotient by restoring division, the remainder as sticky bit.
fn f_div(a: u32, b: u32) -> u32 {
  if (a == 0u) { return 0u; }
  let mb = f_mant(b);
  var r = f_mant(a);
  var q = 0u;
  for (var i = 0u; i < 27u; i = i + 1u) {
    q = q << 1u;
    if (r >= mb) {
      r = r - mb;
      q = q | 1u;
    }
    r = r << 1u;
  }
  return f_round(q, f_exp(a) - f_exp(b) - 26, r != 0u);
}

// RN(a + b) of non-negative values: 7 guard bits, the bits shifted out of the smaller one jammed into a sticky bit.
fn f_add(a: u32, b: u32) -> u32 {
  if (a == 0u) { return b; }
  if (b == 0u) { return a; }
  var x = a;
  var y = b;
  if (f_exp(x) < f_exp(y)) {
    x = b;
    y = a;
  }
  let d = u32(f_exp(x) - f_exp(y));
  let big = f_mant(x) << 7u;
  let small = f_mant(y) << 7u;
  var shifted = 0u;
  var sticky = true;
  if (d < 31u) {
    shifted = small >> d;
    sticky = (shifted << d) != small;
  }
  return f_round(big + shifted, f_exp(x) - 7, sticky);
}

// RN(10 * a) (HAMi's util.Weight scaling; the product is exact before rounding).
fn f_mul10(a: u32) -> u32 {
  if (a == 0u) { return 0u; }
  return f_round(f_mant(a) * 10u, f_exp(a), false);
}

// HAMi's node score (node_policy.go ComputeDefaultScore) as an f32 bit pattern; 0 when a capacity sum is 0.
fn hami_node_score(used: u32, split: u32, usedCores: u32, cores: u32, usedMem: u32, mem: u32) -> u32 {
  if (split == 0u || cores == 0u || mem == 0u) { return 0u; }
  let slots = f_div(f_from_u32(used), f_from_u32(split));
  let compute = f_div(f_from_u32(usedCores), f_from_u32(cores));
  let memory = f_div(f_from_u32(usedMem), f_from_u32(mem));
  return f_mul10(f_add(f_add(slots, compute), memory));
}
