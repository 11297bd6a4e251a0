// filterScoreK8s: fused filter + score of every (pod, node) candidate for k8s-default and k8s-timeslicing.
// TypeScript twin: src/engine/cpu/filterScoreK8s.ts (same packing, same order of checks).
// Needs params.wgsl, lib/wide.wgsl and lib/softDouble.wgsl (concatenated by src/engine/gpu/shaders.ts).
// Output results[pod * nodeCount + node]: feasible -> weighted total; infeasible -> INFEASIBLE | reason bits
// (1 pods, 2 cpu, 4 memory, 8 nvidia.com/gpu, 16 node affinity).
// Grid: 64 threads per workgroup on a 2-D grid of workgroups (x <= 65535), index = (y * nx + x) * 64 + local.

@group(0) @binding(0) var<uniform> params: Params;
// 3 x vec4 per node: (cpuMilli, memMiB, maxPods, podCount), (usedCpu, usedMem, nonZeroCpu, nonZeroMem),
// (gpuOffset, gpuCount, modelIndex, 0)
@group(0) @binding(1) var<storage, read> nodes: array<vec4<u32>>;
// 2 x vec4 per GPU: (usedMilli, usedMemMiB, usedCores, usedSlots), (memMiB, cores, numa, healthy)
@group(0) @binding(2) var<storage, read> gpus: array<vec4<u32>>;
// 3 x vec4 per pod: (cpuMilli, memMiB, gpuCount, hasModels), (modelMaskLo, modelMaskHi, windowStart, windowWant),
// (gpuMilli, nodeBase, gpuBase, 0): a replica's rows in concatenated buffers (lockstep sweeps; 0 otherwise)
@group(0) @binding(3) var<storage, read> pods: array<vec4<u32>>;
@group(0) @binding(4) var<storage, read_write> results: array<u32>;

override WORKGROUP_SIZE: u32 = 64u;

// LeastAllocated / MostAllocated per resource with requested = base + add (may exceed 2^32: compare first).
fn resource_score(most: bool, base: u32, add: u32, alloc: u32) -> u32 {
  let over = base > alloc || add > alloc - base;
  if (most) {
    return mul_div100(select(base + add, alloc, over), alloc);
  }
  if (over) { return 0u; }
  return mul_div100(alloc - base - add, alloc);
}

fn evaluate(p: u32, local: u32) -> u32 {
  let p0 = pods[3u * p];
  let p1 = pods[3u * p + 1u];
  let p2 = pods[3u * p + 2u];
  let i = p2.y + local;
  let n0 = nodes[3u * i];
  let n1 = nodes[3u * i + 1u];
  let n2 = nodes[3u * i + 2u];
  let gbase = p2.z + n2.x;
  let cpu = n0.x;
  let mem = n0.y;
  let reqCpu = p0.x;
  let reqMem = p0.y;
  let want = p0.z;
  let replicas = params.gpuReplicas;
  var slots = 0u;
  var freeWhole = 0u;
  var freeReplicas = 0u;
  for (var g = 0u; g < n2.y; g = g + 1u) {
    let use_ = gpus[2u * (gbase + g)];
    let cap = gpus[2u * (gbase + g) + 1u];
    slots = slots + use_.w;
    if (use_.w == 0u && use_.x == 0u && cap.w == 1u) { freeWhole = freeWhole + 1u; }
    if (cap.w == 1u && use_.w < replicas) { freeReplicas = freeReplicas + (replicas - use_.w); }
  }
  // NodeResourcesFit filter (all reasons); used <= capacity always holds, so capacity - used cannot wrap.
  var reasons = 0u;
  if (n0.w + 1u > n0.z) { reasons = reasons | 1u; }
  if (reqCpu > 0u && (n1.x > cpu || reqCpu > cpu - n1.x)) { reasons = reasons | 2u; }
  if (reqMem > 0u && (n1.y > mem || reqMem > mem - n1.y)) { reasons = reasons | 4u; }
  if (want > 0u && slots + want > n2.y * params.gpuReplicas) { reasons = reasons | 8u; }
  if (reasons != 0u) { return INFEASIBLE | reasons; }
  // NodeAffinity on the GPU model
  if (want > 0u && p0.w == 1u) {
    var allowed = 0u;
    if (n2.z < 32u) { allowed = (p1.x >> n2.z) & 1u; } else { allowed = (p1.y >> (n2.z - 32u)) & 1u; }
    if (allowed == 0u) { return INFEASIBLE | 16u; }
  }
  // the allocator (params.allocator): 0 whole GPUs (free healthy GPUs), 1 time-slicing (free replicas on healthy GPUs)
  let freeForPod = select(freeWhole, freeReplicas, params.allocator == 1u);
  if (want > 0u && freeForPod < want) { return INFEASIBLE | 8u; }

  // NodeResourcesFit score
  let most = params.strategy == 1u;
  var sum = 0u;
  var weights = 0u;
  if (cpu > 0u) {
    sum = sum + params.cpuWeight * resource_score(most, n1.z, select(100u, reqCpu, reqCpu != 0u), cpu);
    weights = weights + params.cpuWeight;
  }
  if (mem > 0u) {
    sum = sum + params.memWeight * resource_score(most, n1.w, select(200u, reqMem, reqMem != 0u), mem);
    weights = weights + params.memWeight;
  }
  let gpuAlloc = n2.y * params.gpuReplicas;
  if (params.gpuWeight > 0u && want > 0u && gpuAlloc > 0u) {
    sum = sum + params.gpuWeight * resource_score(most, slots, want, gpuAlloc);
    weights = weights + params.gpuWeight;
  }
  var fit = 0u;
  if (weights > 0u) { fit = sum / weights; }

  // BalancedAllocation v1.34 in emulated float64
  var balanced = 0u;
  if (reqCpu != 0u || reqMem != 0u) {
    if (cpu > 0u && mem > 0u) {
      balanced = balanced_two(d_fraction(n1.x, reqCpu, cpu), d_fraction(n1.y, reqMem, mem));
    } else if (cpu > 0u || mem > 0u) {
      balanced = 100u;
    }
  }
  return params.fitWeight * fit + params.balancedWeight * balanced;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let idx = (wid.y * nwg.x + wid.x) * WORKGROUP_SIZE + lid;
  let n = params.nodeCount;
  if (idx >= n * params.podCount) { return; }
  results[idx] = evaluate(idx / n, idx % n);
}
