/**
 * HAMi v2.10.0 utilization scores, float32 like the Go code (every operation rounded with Math.fround):
 * the per-GPU score (pkg/scheduler/policy/gpu_policy.go ComputeScore) and the node score
 * (pkg/scheduler/policy/node_policy.go ComputeDefaultScore), plus the `hami.io/device-scoring-weights` parser.
 */
import { DEFAULT_SCORING_WEIGHTS, type HamiGpu, type HamiRequest, type ScoringWeights } from './types.ts';

const f32 = Math.fround;
/** util.Weight: scores are scaled by 10. */
export const SCORE_SCALE = 10;

/** Whether a request's own terms count in a GPU's score. */
export type RequestTerms =
  /** As HAMi: only when the request's type string equals the card's type (true in HAMi's tests). */
  | 'byType'
  /** Always (the tests' situation on nodes that register their model name). */
  | 'on'
  /** Never (what real nodes get: they register `NVIDIA-<model>`, the request says `NVIDIA`). */
  | 'off';

/** Memory a request counts in the GPU score: floor(total·pct/100) when a percentage is set, else its MiB. */
export function scoreMemMiB(req: HamiRequest, gpu: HamiGpu): number {
  return req.memPercent !== null ? Math.floor((gpu.memTotalMiB * req.memPercent) / 100) : req.memMiB;
}

/**
 * Per-GPU score: 10·(ws·(n + used)/split + wc·(Σcores + usedcores)/totalcores + wm·(Σmem + usedmem)/totalmem),
 * n = one per matching request whatever its gpuCount; 0 when any capacity is 0.
 */
export function gpuScore(gpu: HamiGpu, requests: readonly HamiRequest[], weights: ScoringWeights = DEFAULT_SCORING_WEIGHTS, terms: RequestTerms = 'byType'): number {
  if (gpu.splitCount === 0 || gpu.coresTotal === 0 || gpu.memTotalMiB === 0) return 0;
  let n = 0;
  let cores = 0;
  let mem = 0;
  for (const r of requests) {
    if (terms === 'off' || (terms === 'byType' && r.gpuType !== gpu.type)) continue;
    n += 1;
    cores += r.cores;
    mem += scoreMemMiB(r, gpu);
  }
  const slotScore = f32(f32(n + gpu.usedSlots) / f32(gpu.splitCount));
  const coreScore = f32(f32(cores + gpu.usedCores) / f32(gpu.coresTotal));
  const memScore = f32(f32(mem + gpu.usedMemMiB) / f32(gpu.memTotalMiB));
  const sum = f32(f32(f32(f32(weights.slot) * slotScore) + f32(f32(weights.core) * coreScore)) + f32(f32(weights.memory) * memScore));
  return f32(SCORE_SCALE * sum);
}

/**
 * Node score on the node's current usage (types and health ignored):
 * 10·(Σused/Σsplit + Σusedcores/Σtotalcores + Σusedmem/Σtotalmem); 0 when any sum of capacities is 0.
 */
export function nodeScore(gpus: readonly HamiGpu[]): number {
  let used = 0;
  let split = 0;
  let usedCores = 0;
  let cores = 0;
  let usedMem = 0;
  let mem = 0;
  for (const g of gpus) {
    used += g.usedSlots;
    split += g.splitCount;
    usedCores += g.usedCores;
    cores += g.coresTotal;
    usedMem += g.usedMemMiB;
    mem += g.memTotalMiB;
  }
  if (split === 0 || cores === 0 || mem === 0) return 0;
  const sum = f32(f32(f32(used) / f32(split)) + f32(f32(usedCores) / f32(cores)));
  return f32(SCORE_SCALE * f32(sum + f32(f32(usedMem) / f32(mem))));
}

/** Result of parsing `hami.io/device-scoring-weights`. */
export type WeightsParse = { ok: true; weights: ScoringWeights } | { ok: false; error: string };

/** The pod annotation the weights come from (named in the error text, as HAMi names it). */
const WEIGHTS_ANNOTATION = 'hami.io/device-scoring-weights';

/** Go's strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, within int64. */
function parseGoInt64(text: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const v = BigInt(text);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return Number(v);
}

/**
 * Parses `hami.io/device-scoring-weights` strictly, as HAMi v2.10.0 does (pkg/util/device_scoring_weights.go
 * ParseDeviceScoringWeights): exactly three comma-separated `key=value` entries (spaces around entries, keys and
 * values allowed), keys slot, core and memory each once, base-10 integers, none negative, not all zero. Any
 * other value (an empty one included) is an error, and HAMi then fails the pod on every node.
 */
export function parseScoringWeights(raw: string): WeightsParse {
  const weights: ScoringWeights = { slot: 0, core: 0, memory: 0 };
  const bad = (why: string): WeightsParse => ({ ok: false, error: `invalid ${WEIGHTS_ANNOTATION} annotation ${JSON.stringify(raw)}: ${why}` });
  const parts = raw.split(',');
  if (parts.length !== 3) return bad('expected slot, core, and memory weights');
  const seen = new Set<string>();
  for (const part of parts) {
    const entry = part.trim();
    const eq = entry.indexOf('=');
    if (eq < 0) return bad('expected key=value entries');
    const key = entry.slice(0, eq).trim();
    if (seen.has(key)) return bad(`duplicate ${JSON.stringify(key)} weight`);
    const value = parseGoInt64(entry.slice(eq + 1).trim());
    if (value === null) return bad(`${JSON.stringify(key)} weight must be an integer`);
    if (value < 0) return bad(`${JSON.stringify(key)} weight must not be negative`);
    if (key !== 'slot' && key !== 'core' && key !== 'memory') return bad(`unknown weight ${JSON.stringify(key)}`);
    weights[key] = value;
    seen.add(key);
  }
  if (weights.slot === 0 && weights.core === 0 && weights.memory === 0) return bad('at least one weight must be positive');
  return { ok: true, weights };
}
