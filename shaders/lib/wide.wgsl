// Wide unsigned integers for exact arithmetic in WGSL (u32 only; no 64-bit types in WGSL).
// TypeScript twin: plain JS integer arithmetic (exact below 2^53) in src/engine/cpu/filterScoreK8s.ts.
// vec3<u32> is a 96-bit integer: x = low word, y = middle, z = high. vec2<u32> is (low, high).
// Runtime shift amounts in WGSL are taken modulo 32, so every shift below handles 0 and >= 32 explicitly.

// 32 x 32 -> 64-bit product as (low, high), from 16-bit halves.
fn mul32(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu;
  let a1 = a >> 16u;
  let b0 = b & 0xffffu;
  let b1 = b >> 16u;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>((p00 & 0xffffu) | (mid << 16u), p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}

fn w_is_zero(v: vec3<u32>) -> bool {
  return (v.x | v.y | v.z) == 0u;
}

fn w_eq(a: vec3<u32>, b: vec3<u32>) -> bool {
  return a.x == b.x && a.y == b.y && a.z == b.z;
}

// a >= b
fn w_ge(a: vec3<u32>, b: vec3<u32>) -> bool {
  if (a.z != b.z) { return a.z > b.z; }
  if (a.y != b.y) { return a.y > b.y; }
  return a.x >= b.x;
}

fn w_add(a: vec3<u32>, b: vec3<u32>) -> vec3<u32> {
  let x = a.x + b.x;
  let cx = select(0u, 1u, x < a.x);
  let y1 = a.y + b.y;
  let cy1 = select(0u, 1u, y1 < a.y);
  let y = y1 + cx;
  let cy = cy1 | select(0u, 1u, y < y1);
  return vec3<u32>(x, y, a.z + b.z + cy);
}

// a - b, for a >= b
fn w_sub(a: vec3<u32>, b: vec3<u32>) -> vec3<u32> {
  let x = a.x - b.x;
  let bx = select(0u, 1u, a.x < b.x);
  let y1 = a.y - b.y;
  let by1 = select(0u, 1u, a.y < b.y);
  let y = y1 - bx;
  let by = by1 | select(0u, 1u, y1 < bx);
  return vec3<u32>(x, y, a.z - b.z - by);
}

// v << s, s < 96
fn w_shl(v: vec3<u32>, s: u32) -> vec3<u32> {
  var x = v;
  var k = s;
  if (k >= 64u) { x = vec3<u32>(0u, 0u, x.x); k = k - 64u; }
  else if (k >= 32u) { x = vec3<u32>(0u, x.x, x.y); k = k - 32u; }
  if (k == 0u) { return x; }
  return vec3<u32>(x.x << k, (x.y << k) | (x.x >> (32u - k)), (x.z << k) | (x.y >> (32u - k)));
}

// v >> s, s < 96
fn w_shr(v: vec3<u32>, s: u32) -> vec3<u32> {
  var x = v;
  var k = s;
  if (k >= 64u) { x = vec3<u32>(x.z, 0u, 0u); k = k - 64u; }
  else if (k >= 32u) { x = vec3<u32>(x.y, x.z, 0u); k = k - 32u; }
  if (k == 0u) { return x; }
  return vec3<u32>((x.x >> k) | (x.y << (32u - k)), (x.y >> k) | (x.z << (32u - k)), x.z >> k);
}

// Number of significant bits (0 for zero).
fn w_bitlen(v: vec3<u32>) -> u32 {
  if (v.z != 0u) { return 96u - countLeadingZeros(v.z); }
  if (v.y != 0u) { return 64u - countLeadingZeros(v.y); }
  if (v.x != 0u) { return 32u - countLeadingZeros(v.x); }
  return 0u;
}

// floor(x * 100 / d) for x <= d, d > 0: the quotient is at most 100, so 7 restoring steps on 64 bits suffice.
fn mul_div100(x: u32, d: u32) -> u32 {
  let p2 = mul32(x, 100u);
  var p = vec3<u32>(p2.x, p2.y, 0u);
  var q = 0u;
  for (var k = 6u; ; k = k - 1u) {
    let dk = w_shl(vec3<u32>(d, 0u, 0u), k);
    if (w_ge(p, dk)) {
      p = w_sub(p, dk);
      q = q | (1u << k);
    }
    if (k == 0u) { break; }
  }
  return q;
}
