// selectHami: reduces each pod's HAMi candidates (one workgroup per pod) to the record HamiScheduler.attempt needs.
// TypeScript twin: src/engine/cpu/selectHami.ts; decoded by src/engine/gpu/hamiGpu.ts.
// Needs params.wgsl and lib/windowScan.wgsl. Window: nodes are examined in rotated order from windowStart and the scan stops after
// windowWant kube-feasible nodes (results < INFEASIBLE; kube's numFeasibleNodesToFind counts those, HAMi's Fit
// then drops some); a workgroup prefix sum finds that cut.
// Record of pod p at decisions[p * outStride]:
//   [0] processed  [1] kube-feasible  [2] highest key of the fitting nodes (0xffffffff = none)
//   [3..7] kube-infeasible count per kube reason bit  [8..20] HAMi-unfit count per HAMi reason bit  [21] fitting
//   [32 .. 32+maskWords)  bit k set = the k-th examined node fits with the highest key (pickNode's tie set)

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> pods: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> results: array<u32>;
@group(0) @binding(3) var<storage, read_write> decisions: array<atomic<u32>>;

const HEADER: u32 = 32u;
const NONE: u32 = 0xffffffffu;
const UNFIT: u32 = 0x60000000u;
const KUBE_BITS: u32 = 5u;
const HAMI_BITS: u32 = 13u;

var<workgroup> reasons: array<atomic<u32>, 18>;
var<workgroup> fitCount: atomic<u32>;
var<workgroup> maxPlusOne: atomic<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let pod = wid.y * nwg.x + wid.x;
  if (pod >= params.podCount) { return; }
  let n = params.nodeCount;
  let window = pods[3u * pod + 1u];
  let start = window.z;
  let want = window.w;
  let rbase = pod * n;
  let obase = pod * params.outStride;

  if (lid < KUBE_BITS + HAMI_BITS) { atomicStore(&reasons[lid], 0u); }
  if (lid == 0u) {
    atomicStore(&fitCount, 0u);
    atomicStore(&maxPlusOne, 0u);
    window_init(n);
  }
  workgroupBarrier();

  // Pass 1: the window (prefix sum of kube-feasibility, chunk by chunk); inside it the kube and HAMi reason
  // counts, the fitting count and the highest key.
  var base = 0u;
  loop {
    let carry = window_carry();
    if (base >= n || carry >= want) { break; }
    let pos = base + lid;
    var r = INFEASIBLE;
    if (pos < n) { r = results[rbase + (start + pos) % n]; }
    let f = select(0u, 1u, r < INFEASIBLE);
    let incl = window_chunk(lid, pos, n, f, carry, want);
    let excl = incl - f;
    if (pos < n) {
      if (f == 0u && excl < want) {
        for (var b = 0u; b < KUBE_BITS; b = b + 1u) {
          if (((r >> b) & 1u) == 1u) { atomicAdd(&reasons[b], 1u); }
        }
      }
      if (f == 1u && incl <= want) {
        if (r >= UNFIT) {
          for (var b = 0u; b < HAMI_BITS; b = b + 1u) {
            if (((r >> b) & 1u) == 1u) { atomicAdd(&reasons[KUBE_BITS + b], 1u); }
          }
        } else {
          atomicAdd(&fitCount, 1u);
          atomicMax(&maxPlusOne, r + 1u);
        }
      }
    }
    base = base + WG;
  }
  let processed = window_processed();
  let found = window_found(want);
  let best = atomicLoad(&maxPlusOne);

  // Pass 2: the tie set (fitting nodes with the highest key) as a bitmask over scan positions.
  let maskBase = obase + HEADER;
  if (best > 0u) {
    for (var pos = lid; pos < processed; pos = pos + WG) {
      let r = results[rbase + (start + pos) % n];
      if (r + 1u == best) { atomicOr(&decisions[maskBase + pos / 32u], 1u << (pos % 32u)); }
    }
  }
  if (lid == 0u) {
    atomicStore(&decisions[obase], processed);
    atomicStore(&decisions[obase + 1u], found);
    atomicStore(&decisions[obase + 2u], best - 1u);
    for (var b = 0u; b < KUBE_BITS + HAMI_BITS; b = b + 1u) { atomicStore(&decisions[obase + 3u + b], atomicLoad(&reasons[b])); }
    atomicStore(&decisions[obase + 21u], atomicLoad(&fitCount));
  }
}
