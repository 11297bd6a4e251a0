// filterScoreFgd: fused filter + FGD score of every (pod, node) candidate for the `fgd` profile.
// TypeScript twin: src/engine/cpu/filterScoreFgd.ts (same packing, same order of checks, same float64 steps).
// Needs params.wgsl, lib/wide.wgsl, lib/softDouble.wgsl, lib/softDoubleSum.wgsl and lib/filterPrologue.wgsl (bindings
// 1-3, MILLI, MAX_GPUS, the kube filter and the GPU-share scan).
// Output results[pod * nodeCount + node]: feasible -> FGD score 0..100; infeasible -> INFEASIBLE | reason bits
// (1 pods, 2 cpu, 4 memory, 8 nvidia.com/gpu, 16 node affinity).
// Score (src/sched/plugins/fgdScore.ts, hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641 fgd_score.go):
// F = per-category bucket sums of RN(p_m * X_m) in class order, then the buckets in the artifact's order, in
// emulated binary64; delta = RN(F_n - F_n');
// score = #{s : delta >= B_s} with the breakpoints B_s of trunc(100 sigmoid(delta / 1000)) (fgdTables.ts).
// Grid: 64 threads per workgroup on a 2-D grid of workgroups (x <= 65535), index = (y * nx + x) * 64 + local.

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(4) var<storage, read_write> results: array<u32>;
// 3 x vec4 per class: (cpuMilli, gpuMilli d, gpuCount k, flags: 1 CPU-only, 2 restricts models),
// (modelMaskLo, modelMaskHi, 0, 0), (weight significand lo, hi, exponent, 0)
@group(0) @binding(5) var<storage, read> classes: array<vec4<u32>>;
// B_1..B_100: (significand lo, hi, exponent, negative)
@group(0) @binding(6) var<storage, read> breakpoints: array<vec4<u32>>;

override WORKGROUP_SIZE: u32 = 64u;

// F_n of a node state (FragEvaluator.fragment): each class adds RN(p_m * X_m) to the bucket of its category, in
// class order; then Q1 + Q2 + Q4 + XL + XR + NA (the artifact's NodeGpuShareFragAmount and FragAmountSumExceptQ3).
// One product and one sum per class into an indexed bucket (acc: Q1 0, Q2 1, Q4 2, XL 3, XR 4, NA 5), not one
// branch per category: on SIMD back ends (SwiftShader) every branch would run, masked, for every lane.
fn fragment(model: u32, cpuLeft: i32, left: ptr<function, array<u32, MAX_GPUS>>, g: u32) -> Dbl {
  var total = 0u;
  for (var i = 0u; i < g; i = i + 1u) { total = total + (*left)[i]; }
  if (total == 0u) { return d_zero(); }
  var acc: array<Dbl, 6>;
  for (var m = 0u; m < params.classCount; m = m + 1u) {
    let c0 = classes[3u * m];
    let c1 = classes[3u * m + 1u];
    let c2 = classes[3u * m + 2u];
    let cpuOk = cpuLeft >= i32(c0.x);
    var allowed = true;
    if ((c0.w & 2u) != 0u) {
      if (model < 32u) { allowed = ((c1.x >> model) & 1u) == 1u; } else { allowed = ((c1.y >> (model - 32u)) & 1u) == 1u; }
    }
    var b = 5u;
    var x = total;
    if ((c0.w & 1u) != 0u) {
      b = select(4u, 3u, cpuOk);
    } else if (allowed) {
      var fits = 0u;
      var small = 0u;
      for (var i = 0u; i < g; i = i + 1u) {
        let r = (*left)[i];
        if (r >= c0.y) { fits = fits + 1u; } else { small = small + r; }
      }
      if (fits >= c0.z) {
        b = select(2u, 1u, cpuOk);
        if (cpuOk) { x = small; }
      } else {
        b = select(0u, 1u, cpuOk);
      }
    }
    acc[b] = d_add(acc[b], d_mul_u32(d_unpack(c2.x, c2.y, c2.z), x));
  }
  return d_add(d_add(d_add(d_add(d_add(acc[0], acc[1]), acc[2]), acc[3]), acc[4]), acc[5]);
}

// #{s : delta >= B_s} by bisection over the ascending breakpoints.
fn score_of_delta(delta: SDbl) -> u32 {
  var lo = 0u;
  var hi = 100u;
  loop {
    if (lo >= hi) { break; }
    let mid = (lo + hi) / 2u;
    let b = breakpoints[mid];
    if (s_ge(delta, SDbl(b.w == 1u, d_unpack(b.x, b.y, b.z)))) { lo = mid + 1u; } else { hi = mid; }
  }
  return lo;
}

fn evaluate(p: u32, local: u32) -> u32 {
  let pod = load_pod(p);
  let node = load_node(pod, local);
  let g = min(node.r2.y, MAX_GPUS);
  let reqCpu = pod.r0.x;
  let reqMem = pod.r0.y;
  let want = pod.r0.z;
  let milli = pod.r2.x;
  var left: array<u32, MAX_GPUS>;
  let shares = scan_shares(node, g, milli, &left);
  // NodeResourcesFit with 1000 slots per GPU (all reasons), then GPU model affinity
  let infeasible = kube_filter(pod, node, want > 0u && shares.slots + want > g * MILLI);
  if (infeasible != 0u) { return infeasible; }
  let model = node.r2.z;
  // GPU-share fit
  if (want > 0u && milli > 0u && shares.fitting < want) { return INFEASIBLE | 8u; }

  if (reqCpu == 0u && reqMem == 0u && want == 0u) { return 100u; }
  var podMilli = 0u;
  if (want > 0u) { podMilli = milli; }
  var podCount = 0u;
  if (milli > 0u) { podCount = want; }
  let cpuLeft = i32(node.r0.x - node.r1.x);
  let cpuAfter = cpuLeft - i32(reqCpu);
  let before = fragment(model, cpuLeft, &left, g);
  var after = left;
  if (podCount == 1u && podMilli > 0u && podMilli < MILLI) {
    // shared pod: every distinct free share that fits, lowest index first; the best score counts
    var best = 0u;
    for (var k = 0u; k < g; k = k + 1u) {
      let r = left[k];
      if (r < podMilli) { continue; }
      var seen = false;
      for (var j = 0u; j < k; j = j + 1u) { if (left[j] == r) { seen = true; } }
      if (seen) { continue; }
      after[k] = r - podMilli;
      let s = score_of_delta(d_diff(before, fragment(model, cpuAfter, &after, g)));
      after[k] = r;
      best = max(best, s);
    }
    return best;
  }
  if (podMilli > 0u && podCount > 0u) {
    var taken = 0u;
    if (podMilli >= MILLI) {
      // whole GPUs: the lowest-indexed fully free ones
      for (var k = 0u; k < g && taken < podCount; k = k + 1u) {
        if (left[k] == MILLI && left[k] >= podMilli) {
          after[k] = after[k] - podMilli;
          taken = taken + 1u;
        }
      }
    } else {
      // fractional multi-GPU: the tightest fitting ones (least free, lowest index on ties)
      var chosen = 0u;
      for (; taken < podCount; taken = taken + 1u) {
        var pick = MAX_GPUS;
        for (var k = 0u; k < g; k = k + 1u) {
          if (((chosen >> k) & 1u) == 1u || left[k] < podMilli) { continue; }
          if (pick == MAX_GPUS || left[k] < left[pick]) { pick = k; }
        }
        if (pick == MAX_GPUS) { break; }
        chosen = chosen | (1u << pick);
        after[pick] = after[pick] - podMilli;
      }
    }
  }
  return score_of_delta(d_diff(before, fragment(model, cpuAfter, &after, g)));
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let idx = (wid.y * nwg.x + wid.x) * WORKGROUP_SIZE + lid;
  let n = params.nodeCount;
  if (idx >= n * params.podCount) { return; }
  results[idx] = evaluate(idx / n, idx % n);
}
