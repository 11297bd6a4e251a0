/**
 * Exact FGD scoring data shared by the FGD kernel and its TypeScript twin.
 *
 * The CPU plugin (src/sched/plugins/fgdScore.ts; hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641
 * fgd_score.go) scores trunc(100·sigmoid(Δ/1000)) with Δ = F_n − F_n′ computed in float64, F from the terms fl(p_m·X_m)
 * (X_m an integer milli-GPU amount) summed per fragment category in class order, then the categories in the
 * artifact's order. WGSL has no float64 and no exp of matching accuracy,
 * so the engines (1) reproduce F and Δ bit for bit in emulated binary64 (shaders/lib/softDoubleSum.wgsl; JS
 * doubles in the twin), and (2) replace the sigmoid by its breakpoints: B_s = the smallest float64 Δ with
 * fgdScoreOfDelta(Δ) ≥ s, found here by bisection over the ordered doubles with the plugin's own function. The
 * score is then #{s ∈ 1..100 : Δ ≥ B_s} (exact because the float64 score is monotone in Δ; checked around every
 * breakpoint by test/engine/fgdTwin.test.ts).
 */
import type { ClusterBuffers } from './state.ts';
import { fgdScoreOfDelta } from '../../sched/plugins/fgdScore.ts';
import type { FgdKernelSpec } from './types.ts';

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const u32 = new Uint32Array(f64.buffer);
const SIGN = 1n << 63n;

/** A key that orders doubles like their values (−0 and 0 share one key). */
export function orderedKey(x: number): bigint {
  f64[0] = x;
  const b = u64[0];
  return b & SIGN ? -(b & ~SIGN) : b;
}

/** The double of an ordered key. */
export function fromOrderedKey(k: bigint): number {
  u64[0] = k < 0n ? -k | SIGN : k;
  return f64[0];
}

let cached: Float64Array | null = null;

/** B_1..B_100 (index s − 1): the smallest double Δ with fgdScoreOfDelta(Δ) ≥ s; ascending. */
export function fgdBreakpoints(): Float64Array {
  if (cached) return cached;
  const out = new Float64Array(100);
  const loKey = orderedKey(-1e7); // score 0
  const hiKey = orderedKey(1e7); // score 100
  for (let s = 1; s <= 100; s++) {
    let lo = loKey; // fgdScoreOfDelta(lo) < s
    let hi = hiKey; // fgdScoreOfDelta(hi) ≥ s
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (fgdScoreOfDelta(fromOrderedKey(mid)) >= s) hi = mid;
      else lo = mid;
    }
    out[s - 1] = fromOrderedKey(hi);
  }
  cached = out;
  return out;
}

/** The FGD score of Δ from the breakpoints (twin of `score_of_delta` in shaders/filterScoreFgd.wgsl). */
export function scoreFromBreakpoints(delta: number, b: Float64Array): number {
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (delta >= b[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A non-negative normal double as the kernel's Dbl: 53-bit significand m (low, high word) and exponent e with
 * value m·2^e; zero → m = 0. Sign as a fourth word (1 = negative).
 */
export function packDouble(x: number, out: Uint32Array, at: number): void {
  f64[0] = Math.abs(x);
  const lo = u32[0];
  const hi = u32[1];
  const exp = hi >>> 20;
  if (x === 0) {
    out.fill(0, at, at + 4);
    return;
  }
  if (exp === 0 || exp === 0x7ff) throw new Error(`packDouble: ${x} is not a normal double`);
  out[at] = lo;
  out[at + 1] = (hi & 0xfffff) | 0x100000;
  out[at + 2] = (exp - 1075) >>> 0;
  out[at + 3] = x < 0 ? 1 : 0;
}

/** Words per class row: (cpu, d, k, flags), (maskLo, maskHi, 0, 0), weight Dbl (lo, hi, e, 0). */
export const CLASS_WORDS = 12;
/** Class flags: bit 0 CPU-only class, bit 1 restricts GPU models. */
export const CLASS_CPU_ONLY = 1;
export const CLASS_HAS_MODELS = 2;
/** Most GPUs per node the FGD kernel handles (its per-thread free-share array). */
export const FGD_MAX_GPUS = 16;

/** The class table of a spec against a cluster's model indices (twin and kernel read the same words). */
export function packFgdClasses(spec: FgdKernelSpec, state: Pick<ClusterBuffers, 'modelIndex'>): { words: Uint32Array; weights: Float64Array } {
  const n = spec.classes.length;
  const words = new Uint32Array(Math.max(1, n) * CLASS_WORDS);
  const weights = new Float64Array(n);
  spec.classes.forEach((c, m) => {
    const o = m * CLASS_WORDS;
    words[o] = c.cpuMilli;
    words[o + 1] = c.gpuMilli;
    words[o + 2] = c.gpuCount;
    words[o + 3] = (c.gpuMilli === 0 || c.gpuCount === 0 ? CLASS_CPU_ONLY : 0) | (c.models.length > 0 ? CLASS_HAS_MODELS : 0);
    let lo = 0;
    let hi = 0;
    for (const model of c.models) {
      const k = state.modelIndex.get(model);
      if (k === undefined) continue;
      if (k < 32) lo |= 1 << k;
      else hi |= 1 << (k - 32);
    }
    words[o + 4] = lo >>> 0;
    words[o + 5] = hi >>> 0;
    packDouble(c.weight, words, o + 8);
    weights[m] = c.weight;
  });
  return { words, weights };
}

/** Breakpoints as 4 words each (Dbl magnitude + sign word), for the kernel. */
export function packBreakpoints(): Uint32Array {
  const b = fgdBreakpoints();
  const out = new Uint32Array(b.length * 4);
  for (let s = 0; s < b.length; s++) packDouble(b[s], out, s * 4);
  return out;
}
