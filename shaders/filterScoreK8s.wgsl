// filterScoreK8s: fused filter + score of every (pod, node) candidate for k8s-default, k8s-timeslicing and k8s-mig.
// TypeScript twin: src/engine/cpu/filterScoreK8s.ts (same packing, same order of checks).
// Needs params.wgsl, lib/wide.wgsl, lib/softDouble.wgsl and lib/filterPrologue.wgsl (bindings 1-3, the kube filter;
// concatenated by src/engine/gpu/shaders.ts).
// Output results[pod * nodeCount + node]: feasible -> weighted total; infeasible -> INFEASIBLE | reason bits
// (1 pods, 2 cpu, 4 memory, 8 nvidia.com/gpu, 16 node affinity).
// Grid: 64 threads per workgroup on a 2-D grid of workgroups (x <= 65535), index = (y * nx + x) * 64 + local.

@group(0) @binding(0) var<uniform> params: Params;
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

// k8s-mig (params.allocator 2, src/engine/kernels/migRows.ts): free instances in a GPU's MIG word for the pod's
// MIG word: 0 every profile's 4 bits, 1..8 that profile's, above 8 a profile no layout creates (none).
fn mig_free(word: u32, ask: u32) -> u32 {
  if (ask > 8u) { return 0u; }
  if (ask != 0u) { return (word >> (4u * (ask - 1u))) & 15u; }
  var n = 0u;
  for (var k = 0u; k < 8u; k = k + 1u) { n = n + ((word >> (4u * k)) & 15u); }
  return n;
}

fn evaluate(p: u32, local: u32) -> u32 {
  let pod = load_pod(p);
  let node = load_node(pod, local);
  let n1 = node.r1;
  let cpu = node.r0.x;
  let mem = node.r0.y;
  let reqCpu = pod.r0.x;
  let reqMem = pod.r0.y;
  let want = pod.r0.z;
  let gpuCount = node.r2.y;
  let replicas = params.gpuReplicas;
  var slots = 0u;
  var freeWhole = 0u;
  var freeReplicas = 0u;
  for (var g = 0u; g < gpuCount; g = g + 1u) {
    let use_ = gpu_use(node, g);
    let healthy = gpu_cap(node, g).w == 1u;
    slots = slots + use_.w;
    if (use_.w == 0u && use_.x == 0u && healthy) { freeWhole = freeWhole + 1u; }
    if (healthy && use_.w < replicas) { freeReplicas = freeReplicas + (replicas - use_.w); }
  }
  let ask = pod.r2.w;
  let migNode = node.r2.w;
  if (params.allocator == 2u && (migNode != 0u || ask != 0u)) {
    // k8s-mig: cpu, memory and pods as usual; the pod's resource short when its free instances on the node (GPU
    // word 6, 4 bits per profile; every profile for a single-strategy whole-GPU pod) are fewer than it asks
    var freeMig = 0u;
    if (migNode != 0u && (ask != 0u || migNode == 2u)) {
      for (var g = 0u; g < gpuCount; g = g + 1u) { freeMig = freeMig + mig_free(gpu_cap(node, g).z, ask); }
    }
    let migRejected = kube_filter(pod, node, want > freeMig);
    if (migRejected != 0u) { return migRejected; }
  } else {
    // NodeResourcesFit filter (all reasons, gpuReplicas slots per GPU), then NodeAffinity on the GPU model
    let infeasible = kube_filter(pod, node, want > 0u && slots + want > gpuCount * replicas);
    if (infeasible != 0u) { return infeasible; }
    // the allocator (params.allocator): 0 whole GPUs (free healthy GPUs), 1 time-slicing (free replicas on healthy GPUs)
    let freeForPod = select(freeWhole, freeReplicas, params.allocator == 1u);
    if (want > 0u && freeForPod < want) { return INFEASIBLE | 8u; }
  }

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
  let gpuAlloc = gpuCount * replicas;
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
