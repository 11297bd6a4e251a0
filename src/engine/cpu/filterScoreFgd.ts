/**
 * TypeScript twin of `shaders/filterScoreFgd.wgsl`: one packed result per (pod, node) candidate of the `fgd`
 * profile. Feasible → the FGD score (0..100); infeasible → INFEASIBLE | reason bits.
 *
 * Filters as src/sched/profiles/fgd.ts runs them, in order: NodeResourcesFit with 1000 `nvidia.com/gpu` slots per
 * GPU (all its reasons), GPU model affinity, the GPU-share fit (src/sched/plugins/fgdGpuShare.ts gpuShareFilter).
 * Score: fgdChoose of src/sched/plugins/fgdScore.ts (hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641
 * fgd_score.go): F_n and F_n′ by FragEvaluator.fragment's float64 steps (category buckets in class order),
 * Δ = F_n − F_n′, the score from the sigmoid's breakpoints (engine/kernels/fgdTables.ts). For a shared pod the
 * best GPU (lowest index on ties) counts; whole-GPU pods take the lowest free GPUs, fractional multi-GPU pods the tightest fitting ones.
 */
import { POD_WORDS } from '../kernels/state.ts';
import { CLASS_CPU_ONLY, CLASS_HAS_MODELS, CLASS_WORDS, scoreFromBreakpoints } from '../kernels/fgdTables.ts';
import { INFEASIBLE } from '../kernels/types.ts';
import { MILLI, R_GPU, gpuBaseOf, kubeFilter, nodeRowOf, scanShares, type ShareScan } from './filterPrologue.ts';

/** The FGD tables a candidate evaluation reads. */
export interface FgdTables {
  /** Class rows (engine/kernels/fgdTables.ts packFgdClasses). */
  classes: Uint32Array;
  classCount: number;
  /** p_m as float64 (the kernel reads the same bits from `classes`). */
  weights: Float64Array;
  breakpoints: Float64Array;
}

/**
 * F_n for a node of model `model` with `cpuLeft` free CPU and free shares `left[0..g)` (FragEvaluator.fragment):
 * per-category buckets in class order, then Q1 + Q2 + Q4 + XL + XR + NA, the artifact's order of operations.
 */
export function fragmentOf(t: FgdTables, model: number, cpuLeft: number, left: Int32Array, g: number): number {
  let total = 0;
  for (let i = 0; i < g; i++) total += left[i];
  if (total === 0) return 0;
  let q1 = 0;
  let q2 = 0;
  let q4 = 0;
  let xl = 0;
  let xr = 0;
  let na = 0;
  const c = t.classes;
  for (let m = 0; m < t.classCount; m++) {
    const o = m * CLASS_WORDS;
    const flags = c[o + 3];
    const w = t.weights[m];
    const cpuOk = cpuLeft >= c[o];
    if ((flags & CLASS_CPU_ONLY) !== 0) {
      if (cpuOk) xl += w * total;
      else xr += w * total;
      continue;
    }
    const allowed = (flags & CLASS_HAS_MODELS) === 0 || (model < 32 ? (c[o + 4] >>> model) & 1 : (c[o + 5] >>> (model - 32)) & 1) === 1;
    if (!allowed) {
      na += w * total;
      continue;
    }
    const d = c[o + 1];
    let fits = 0;
    let small = 0;
    for (let i = 0; i < g; i++) {
      if (left[i] >= d) fits++;
      else small += left[i];
    }
    if (fits >= c[o + 2]) {
      if (cpuOk) q2 += w * small;
      else q4 += w * total;
    } else if (cpuOk) q2 += w * total;
    else q1 += w * total;
  }
  return q1 + q2 + q4 + xl + xr + na;
}

const left = new Int32Array(64);
const after = new Int32Array(64);
const shares: ShareScan = { slots: 0, fitting: 0, freeMilli: 0 };

/** Packed result of pod `p` (row of `pods`) on node `local` of its cluster. */
export function filterScoreFgd(t: FgdTables, nodes: Uint32Array, gpus: Uint32Array, local: number, pods: Uint32Array, p: number): number {
  const q = p * POD_WORDS;
  const o = nodeRowOf(pods, p, local);
  const g = nodes[o + 9];
  const reqCpu = pods[q];
  const reqMem = pods[q + 1];
  const want = pods[q + 2];
  const milli = pods[q + 8];
  scanShares(gpus, gpuBaseOf(pods, p, nodes, o), g, milli, left, shares);
  // NodeResourcesFit (1000 slots per GPU, every reason), then GPU model affinity, then the GPU-share fit.
  const infeasible = kubeFilter(nodes, o, pods, q, want > 0 && shares.slots + want > g * MILLI);
  if (infeasible !== 0) return infeasible;
  const model = nodes[o + 10];
  if (want > 0 && milli > 0 && shares.fitting < want) return (INFEASIBLE | R_GPU) >>> 0;

  // FGD score (a pod that requests nothing scores the maximum everywhere, as in the artifact).
  if (reqCpu === 0 && reqMem === 0 && want === 0) return 100;
  const podMilli = want > 0 ? milli : 0;
  const podCount = milli > 0 ? want : 0;
  const cpuLeft = nodes[o] - nodes[o + 4];
  const cpuAfter = cpuLeft - reqCpu;
  const before = fragmentOf(t, model, cpuLeft, left, g);
  for (let i = 0; i < g; i++) after[i] = left[i];
  if (podCount === 1 && podMilli > 0 && podMilli < MILLI) {
    let best = -1;
    for (let i = 0; i < g; i++) {
      const r = left[i];
      if (r < podMilli) continue;
      let seen = false;
      for (let j = 0; j < i; j++) if (left[j] === r) seen = true;
      if (seen) continue;
      after[i] = r - podMilli;
      const s = scoreFromBreakpoints(before - fragmentOf(t, model, cpuAfter, after, g), t.breakpoints);
      after[i] = r;
      if (s > best) best = s;
    }
    return Math.max(best, 0);
  }
  if (podMilli > 0 && podCount > 0) {
    let taken = 0;
    if (podMilli >= MILLI) {
      for (let i = 0; i < g && taken < podCount; i++) {
        if (left[i] === MILLI && left[i] >= podMilli) {
          after[i] -= podMilli;
          taken++;
        }
      }
    } else {
      // tightest fitting first (least free, lowest index on ties), podCount of them
      let chosen = 0;
      for (; taken < podCount; taken++) {
        let pick = -1;
        for (let i = 0; i < g; i++) {
          if ((chosen >>> i) & 1 || left[i] < podMilli) continue;
          if (pick < 0 || left[i] < left[pick]) pick = i;
        }
        if (pick < 0) break;
        chosen |= 1 << pick;
        after[pick] -= podMilli;
      }
    }
  }
  return scoreFromBreakpoints(before - fragmentOf(t, model, cpuAfter, after, g), t.breakpoints);
}
