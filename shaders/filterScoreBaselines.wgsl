// filterScoreBaselines: fused filter + score of every (pod, node) candidate for the five baselines of the FGD
// paper (profiles random, dotprod, clustering, packing, bestfit), one kernel with a policy switch.
// TypeScript twin: src/engine/cpu/filterScoreBaselines.ts (same packing, same order of checks, same float64 steps).
// Needs params.wgsl, lib/wide.wgsl, lib/softDouble.wgsl, lib/softDoubleSum.wgsl, lib/softDoubleMul.wgsl and
// lib/filterPrologue.wgsl (bindings 1-3, MILLI, MAX_GPUS, the kube filter and the GPU-share scan).
// Output results[pod * nodeCount + node]: feasible -> plugin score + params.bias (bestfit: raw + 2^30, rewritten by
// normalizeMinMax.wgsl); infeasible -> INFEASIBLE | reason bits (1 pods, 2 cpu, 4 memory, 8 nvidia.com/gpu,
// 16 node affinity). Scores (src/sched/plugins/fgdBaselines.ts; hkust-adsl/kubernetes-scheduler-simulator @
// 8f3d641 {random,dot_product,gpu_clustering,gpu_packing,best_fit}_score.go), 128000 / 8000 the artifact's
// MaxSpecCpu / MaxSpecGpu:
//   random      0 (the seeded draw over the feasible set is on the CPU)
//   dotprod     trunc(100 (1 - (cl/128000 * pc/128000 + gl/8000 * pg/8000) / 2)), binary64 step by step
//   clustering  bands 75/50/25/0 by the node's class set + trunc(25 (8000 - gl) / 8000) (integers)
//   packing     getPackingScore on the free share per GPU (integers)
//   bestfit     trunc((1 - (0.5 (cl - pc)/128000 + 0.5 (gl - pg)/8000)) 100), binary64 step by step
// Grid: 64 threads per workgroup on a 2-D grid of workgroups (x <= 65535), index = (y * nx + x) * 64 + local.

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(4) var<storage, read_write> results: array<u32>;

override WORKGROUP_SIZE: u32 = 64u;
const MAX_SPEC_CPU: u32 = 128000u;
const MAX_SPEC_GPU: u32 = 8000u;
const RAW_BIAS: i32 = 0x40000000;

// gpu_packing_score.go getPackingScore (fgdBaselines.ts packingScoreOf, then max(., 0)).
fn packing(left: ptr<function, array<u32, MAX_GPUS>>, g: u32, podMilli: u32, podCount: u32) -> i32 {
  if (podMilli == 0u || podCount == 0u) { return 0; }
  var fullyFree = 0u;
  for (var k = 0u; k < g; k = k + 1u) { if ((*left)[k] == MILLI) { fullyFree = fullyFree + 1u; } }
  if (fullyFree == g) { return max(33 - i32(fullyFree), i32(fullyFree)); }
  // the fitting GPUs tightest first (least free, lowest index on ties), podCount of them
  var chosen = 0u;
  var freeUsed = 0u;
  var ratioSum = 0u;
  var taken = 0u;
  for (; taken < podCount; taken = taken + 1u) {
    var pick = MAX_GPUS;
    for (var k = 0u; k < g; k = k + 1u) {
      if (((chosen >> k) & 1u) == 1u || (*left)[k] < podMilli) { continue; }
      if (pick == MAX_GPUS || (*left)[k] < (*left)[pick]) { pick = k; }
    }
    if (pick == MAX_GPUS) { break; }
    chosen = chosen | (1u << pick);
    if ((*left)[pick] == MILLI) { freeUsed = freeUsed + 1u; }
    ratioSum = ratioSum + ((*left)[pick] * 100u) / MILLI;
  }
  if (taken < podCount) { return 0; }
  if (freeUsed > 0u) { return max(50 - i32(freeUsed), 33); }
  return max(100 - i32(ratioSum / 10u), 50);
}

fn evaluate(p: u32, local: u32) -> u32 {
  let pod = load_pod(p);
  let node = load_node(pod, local);
  let g = min(node.r2.y, MAX_GPUS);
  let reqCpu = pod.r0.x;
  let want = pod.r0.z;
  let milli = pod.r2.x;
  var left: array<u32, MAX_GPUS>;
  let shares = scan_shares(node, g, milli, &left);
  let gpuLeft = shares.freeMilli;
  // NodeResourcesFit with 1000 slots per GPU (all reasons), then GPU model affinity
  let infeasible = kube_filter(pod, node, want > 0u && shares.slots + want > g * MILLI);
  if (infeasible != 0u) { return infeasible; }
  // GPU-share fit
  if (want > 0u && milli > 0u && shares.fitting < want) { return INFEASIBLE | 8u; }

  let cpuLeft = node.r0.x - node.r1.x;
  var podGpu = 0u;
  if (milli > 0u) { podGpu = want * milli; }
  let bias = i32(params.bias);
  switch (params.policy) {
    case 1u: {
      // dotprod: RN(RN(RN(cl/128000) RN(pc/128000)) + RN(RN(gl/8000) RN(pg/8000))), /2, RN(1 - .), RN(100 .), trunc
      let dot = d_add(d_mul(d_divu(cpuLeft, MAX_SPEC_CPU), d_divu(reqCpu, MAX_SPEC_CPU)),
                      d_mul(d_divu(gpuLeft, MAX_SPEC_GPU), d_divu(podGpu, MAX_SPEC_GPU)));
      return u32(s_trunc100(d_diff(d_one(), d_half(dot))) + bias);
    }
    case 2u: {
      // clustering: pod class -1 CPU-only, 0 shared, k whole GPUs
      if (want == 0u || milli == 0u) { return u32(bias); }
      var podClass = want;
      if (milli < MILLI) { podClass = 0u; }
      let mask = node.r2.w;
      let size = i32(countOneBits(mask));
      let inBand = (25 * (i32(MAX_SPEC_GPU) - i32(gpuLeft))) / i32(MAX_SPEC_GPU);
      var has = false;
      if (podClass < 32u) { has = ((mask >> podClass) & 1u) == 1u; }
      var band = 0;
      if (has) { band = select(50, 75, size == 1); } else if (size == 0) { band = 25; }
      return u32(inBand + band + bias);
    }
    case 3u: {
      var pm = 0u;
      if (want > 0u) { pm = milli; }
      var pc = 0u;
      if (milli > 0u) { pc = want; }
      return u32(packing(&left, g, pm, pc) + bias);
    }
    case 4u: {
      // bestfit raw: s = RN(RN((cl - pc)/128000)/2 + RN((gl - pg)/8000)/2); trunc(RN(RN(1 - s) 100)); both
      // differences are >= 0 on a feasible node (the filters passed)
      let s = d_add(d_half(d_divu(cpuLeft - reqCpu, MAX_SPEC_CPU)), d_half(d_divu(gpuLeft - podGpu, MAX_SPEC_GPU)));
      return u32(s_trunc100(d_diff(d_one(), s)) + RAW_BIAS);
    }
    default: {
      return 0u;
    }
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let idx = (wid.y * nwg.x + wid.x) * WORKGROUP_SIZE + lid;
  let n = params.nodeCount;
  if (idx >= n * params.podCount) { return; }
  results[idx] = evaluate(idx / n, idx % n);
}
