// filterScoreHami: fused filter + HAMi Fit + node score of every (pod, node) candidate for the HAMi profiles
// (hami-binpack, hami-spread, hami-topology) for pods with a HAMi request and no HAMi annotations.
// TypeScript twin: src/engine/cpu/filterScoreHami.ts (same packing, same order of checks).
// Needs params.wgsl, lib/softFloat32.wgsl and lib/filterPrologue.wgsl (bindings 1-3, the kube filter; concatenated
// by src/engine/gpu/shaders.ts).
// Output results[pod * nodeCount + node] (classes in src/engine/kernels/hami.ts):
//   kube-infeasible -> INFEASIBLE | kube bits (1 pods, 2 cpu, 4 memory, 16 node affinity);
//   kube-feasible, HAMi-unfit -> HAMI_UNFIT | HAMi reason bits (HAMI_REASON_TEXT order);
//   fits -> the node score's f32 bit pattern (binpack) or SPREAD_KEY_BASE - bits (spread).
// Grid: 64 threads per workgroup on a 2-D grid of workgroups (x <= 65535), index = (y * nx + x) * 64 + local.

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(4) var<storage, read_write> results: array<u32>;
// [0] splitCount, [1] flags (1 mutex, 2 spread), [2..3] 0, then per GPU: registered MiB | 1<<30 cordoned | 1<<31 not NVIDIA
@group(0) @binding(5) var<storage, read> conf: array<u32>;
// per pod: (gpuCount, memMiB (0 = unset), memPercent (0 = unset), cores (<= 100)) after HAMi's webhook
@group(0) @binding(6) var<storage, read> hamiPods: array<vec4<u32>>;

override WORKGROUP_SIZE: u32 = 64u;

const HAMI_UNFIT: u32 = 0x60000000u;
const SPREAD_KEY_BASE: u32 = 0x5fffffffu;
const CONF_HEADER: u32 = 4u;
const GPU_MEM_MASK: u32 = 0x3fffffffu;
const GPU_CORDONED: u32 = 0x40000000u;
const GPU_NOT_NVIDIA: u32 = 0x80000000u;

fn evaluate(p: u32, local: u32) -> u32 {
  let pod = load_pod(p);
  let node = load_node(pod, local);
  // kube-scheduler: NodeResourcesFit without nvidia.com/gpu (all reasons), then GPU-model affinity.
  let infeasible = kube_filter(pod, node, false);
  if (infeasible != 0u) { return infeasible; }
  // HAMi Fit over the node's NVIDIA cards; the node score's sums over all of its cards.
  let h = hamiPods[p];
  let want = h.x;
  let split = conf[0];
  let mutex = (conf[1] & 1u) == 1u;
  var nvidia = 0u;
  var taken = 0u;
  var bits = 0u;
  var used = 0u;
  var usedCores = 0u;
  var cores = 0u;
  var usedMem = 0u;
  var mem = 0u;
  for (var g = 0u; g < node.r2.y; g = g + 1u) {
    let use_ = gpu_use(node, g);
    let cap = gpu_cap(node, g);
    let aux = conf[CONF_HEADER + node.gpuBase + g];
    let total = aux & GPU_MEM_MASK;
    used = used + use_.w;
    usedCores = usedCores + use_.z;
    cores = cores + cap.y;
    usedMem = usedMem + use_.y;
    mem = mem + total;
    if ((aux & GPU_NOT_NVIDIA) != 0u) { continue; }
    nvidia = nvidia + 1u;
    if (cap.w != 1u) {
      bits = bits | 1u; // CardNotHealth
      continue;
    }
    if ((aux & GPU_CORDONED) != 0u) {
      bits = bits | 2u; // CardCordoned
      continue;
    }
    // bookedMemMiB: the MiB asked, else floor(total * pct / 100) = (total / 100) * pct + ((total % 100) * pct) / 100
    var book = h.y;
    if (h.y == 0u && h.z > 0u) { book = (total / 100u) * h.z + ((total % 100u) * h.z) / 100u; }
    if (use_.w >= split) {
      bits = bits | 32u; // CardTimeSlicingExhausted
    } else if (mutex && use_.w > 0u) {
      bits = bits | 64u; // ExclusiveDeviceAllocateConflict
    } else if (use_.y > total || book > total - use_.y) {
      bits = bits | 128u; // CardInsufficientMemory
    } else if (use_.z > cap.y || h.w > cap.y - use_.z) {
      bits = bits | 256u; // CardInsufficientCore
    } else if (cap.y == 100u && h.w == 100u && use_.w > 0u) {
      bits = bits | 64u; // ExclusiveDeviceAllocateConflict
    } else if (cap.y != 0u && use_.z == cap.y && h.w == 0u) {
      bits = bits | 512u; // CardComputeUnitsExhausted
    } else {
      taken = taken + 1u;
    }
  }
  if (want > nvidia) { return HAMI_UNFIT | 2048u; } // NodeInsufficientDevice
  if (taken < want) {
    var unfit = HAMI_UNFIT | bits;
    if (taken > 0u) { unfit = unfit | 1024u; } // AllocatedCardsInsufficientRequest
    return unfit;
  }
  let score = hami_node_score(used, split * node.r2.y, usedCores, cores, usedMem, mem);
  if ((conf[1] & 2u) != 0u) { return SPREAD_KEY_BASE - score; }
  return score;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let idx = (wid.y * nwg.x + wid.x) * WORKGROUP_SIZE + lid;
  let n = params.nodeCount;
  if (idx >= n * params.podCount) { return; }
  results[idx] = evaluate(idx / n, idx % n);
}
