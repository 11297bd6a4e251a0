// filterPrologue: the packed pod/node/GPU rows and the kube filter prologue that every filterScore* kernel shares.
// TypeScript twin: src/engine/cpu/filterPrologue.ts. Needs params.wgsl or volcanoParams.wgsl (INFEASIBLE); the
// kernel declares binding 0 (its uniform) and binding 4 (results). WGSL module-scope order is free, so the helpers
// below may read these bindings wherever the kernel's own text stands.
// Row layouts (host: src/engine/kernels/state.ts ClusterBuffers and packPods, src/engine/kernels/volcano.ts for Volcano's pods).

// 3 x vec4 per node: (cpuMilli, memMiB, maxPods, podCount), (usedCpu, usedMem, nonZeroCpu, nonZeroMem),
// (gpuOffset, gpuCount, modelIndex, clusteringMask)
@group(0) @binding(1) var<storage, read> nodes: array<vec4<u32>>;
// 2 x vec4 per GPU: (usedMilli, usedMemMiB, usedCores, usedSlots), (memMiB, cores, numa, healthy)
@group(0) @binding(2) var<storage, read> gpus: array<vec4<u32>>;
// 3 x vec4 per pod: (cpuMilli, memMiB, gpuCount, hasModels), (modelMaskLo, modelMaskHi, a, b), (c, nodeBase,
// gpuBase, 0) with (a, b, c) = (windowStart, windowWant, gpuMilli), Volcano: (gpuMilli, gpuMemMiB, gpuCores);
// nodeBase and gpuBase are a lockstep replica's first node and GPU rows (0 for one cluster)
@group(0) @binding(3) var<storage, read> pods: array<vec4<u32>>;

const MILLI: u32 = 1000u;
const MAX_GPUS: u32 = 16u;

// A pod's three rows.
struct PodRow {
  r0: vec4<u32>,
  r1: vec4<u32>,
  r2: vec4<u32>,
}

// A node's three rows and the index of its first GPU row.
struct NodeRow {
  r0: vec4<u32>,
  r1: vec4<u32>,
  r2: vec4<u32>,
  gpuBase: u32,
}

// The rows of pod p.
fn load_pod(p: u32) -> PodRow {
  return PodRow(pods[3u * p], pods[3u * p + 1u], pods[3u * p + 2u]);
}

// Node `local` of the pod's replica: its rows start at nodeBase (r2.y), its GPU rows at gpuBase (r2.z) + gpuOffset.
fn load_node(pod: PodRow, local: u32) -> NodeRow {
  let i = pod.r2.y + local;
  let n2 = nodes[3u * i + 2u];
  return NodeRow(nodes[3u * i], nodes[3u * i + 1u], n2, pod.r2.z + n2.x);
}

// GPU k of the node: its usage row (usedMilli, usedMemMiB, usedCores, usedSlots).
fn gpu_use(node: NodeRow, k: u32) -> vec4<u32> {
  return gpus[2u * (node.gpuBase + k)];
}

// GPU k of the node: its capacity row (memMiB, cores, numa, healthy).
fn gpu_cap(node: NodeRow, k: u32) -> vec4<u32> {
  return gpus[2u * (node.gpuBase + k) + 1u];
}

// NodeResourcesFit (kube-scheduler v1.34 fit.go) on pods, cpu and memory, every reason: 1 pods, 2 cpu, 4 memory.
// used <= capacity always holds, so capacity - used cannot wrap.
fn fit_reasons(pod: PodRow, node: NodeRow) -> u32 {
  var reasons = 0u;
  if (node.r0.w + 1u > node.r0.z) { reasons = reasons | 1u; }
  if (pod.r0.x > 0u && (node.r1.x > node.r0.x || pod.r0.x > node.r0.x - node.r1.x)) { reasons = reasons | 2u; }
  if (pod.r0.y > 0u && (node.r1.y > node.r0.y || pod.r0.y > node.r0.y - node.r1.y)) { reasons = reasons | 4u; }
  return reasons;
}

// NodeAffinity on the GPU model: true when the pod restricts no models or its mask holds the node's model index.
fn model_allowed(pod: PodRow, node: NodeRow) -> bool {
  if (pod.r0.w != 1u) { return true; }
  let m = node.r2.z;
  if (m < 32u) { return ((pod.r1.x >> m) & 1u) == 1u; }
  return ((pod.r1.y >> (m - 32u)) & 1u) == 1u;
}

// The kube prologue of the k8s, FGD, baseline and HAMi kernels, in FrameworkScheduler's order: NodeResourcesFit
// (every reason, plus 8 nvidia.com/gpu when `gpuShort`: the kernel's own slot count), then, only when it passes,
// NodeAffinity for GPU pods (16). Returns INFEASIBLE | reason bits, or 0 when the node passes.
fn kube_filter(pod: PodRow, node: NodeRow, gpuShort: bool) -> u32 {
  let reasons = fit_reasons(pod, node) | select(0u, 8u, gpuShort);
  if (reasons != 0u) { return INFEASIBLE | reasons; }
  if (pod.r0.z > 0u && !model_allowed(pod, node)) { return INFEASIBLE | 16u; }
  return 0u;
}

// Sums of a GPU-share scan (FGD and its baselines): usedSlots, GPUs with >= the pod's share free, free milli-GPU.
struct ShareScan {
  slots: u32,
  fitting: u32,
  freeMilli: u32,
}

// The free share of each of the node's first g GPUs into left (1000 - used on a healthy GPU, else 0) and their sums.
fn scan_shares(node: NodeRow, g: u32, milli: u32, left: ptr<function, array<u32, MAX_GPUS>>) -> ShareScan {
  var s = ShareScan(0u, 0u, 0u);
  for (var k = 0u; k < g; k = k + 1u) {
    let use_ = gpu_use(node, k);
    var r = 0u;
    if (gpu_cap(node, k).w == 1u) { r = MILLI - use_.x; }
    (*left)[k] = r;
    s.slots = s.slots + use_.w;
    s.freeMilli = s.freeMilli + r;
    if (r >= milli) { s.fitting = s.fitting + 1u; }
  }
  return s;
}
