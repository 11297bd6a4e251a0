// selectMaxKey: one workgroup per pod reduces its (hi, lo) results over every node to the record Volcano's node
// choice needs: feasible count, rejections per reason bit, the highest key and the nodes holding it.
// TypeScript twin: src/engine/cpu/selectMaxKey.ts; decoded by src/engine/gpu/volcanoGpuEngine.ts.
// Needs volcanoParams.wgsl. Keys are bit patterns of non-negative doubles (filterScoreVolcano.wgsl): the
// maximum is taken on hi, then on lo among the nodes with that hi. Record of pod p at decisions[p * outStride]:
//   [0] feasible  [1] max hi  [2] max lo  [3] tied count  [4..11) rejected count per reason bit
//   [16 .. 16+maskWords)  bit i set = node i holds the maximum (node ids ascending: the tie draw's order)
// The record must be zeroed before the pass (the mask is built with atomicOr).

@group(0) @binding(0) var<uniform> vp: VolcanoParams;
@group(0) @binding(1) var<storage, read> results: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read_write> decisions: array<atomic<u32>>;

const WG: u32 = 256u;
const HEADER: u32 = 16u;
const REASONS: u32 = 7u;

var<workgroup> maxHi: atomic<u32>;
var<workgroup> maxLo: atomic<u32>;
var<workgroup> feasibleCount: atomic<u32>;
var<workgroup> tiedCount: atomic<u32>;
var<workgroup> reasonCounts: array<atomic<u32>, 7>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let pod = wid.y * nwg.x + wid.x;
  if (pod >= vp.podCount) { return; }
  let n = vp.nodeCount;
  let rbase = pod * n;
  let obase = pod * vp.outStride;
  if (lid == 0u) {
    atomicStore(&maxHi, 0u);
    atomicStore(&maxLo, 0u);
    atomicStore(&feasibleCount, 0u);
    atomicStore(&tiedCount, 0u);
  }
  if (lid < REASONS) { atomicStore(&reasonCounts[lid], 0u); }
  workgroupBarrier();

  // Pass 1: feasible count, rejections, highest hi.
  var f = 0u;
  for (var i = lid; i < n; i = i + WG) {
    let r = results[rbase + i];
    if (r.x < INFEASIBLE) {
      f = f + 1u;
      atomicMax(&maxHi, r.x);
    } else {
      for (var b = 0u; b < REASONS; b = b + 1u) {
        if (((r.x >> b) & 1u) == 1u) { atomicAdd(&reasonCounts[b], 1u); }
      }
    }
  }
  atomicAdd(&feasibleCount, f);
  workgroupBarrier();
  let hi = atomicLoad(&maxHi);

  // Pass 2: highest lo among the nodes with that hi (an infeasible hi never equals a feasible one).
  for (var i = lid; i < n; i = i + WG) {
    let r = results[rbase + i];
    if (r.x == hi) { atomicMax(&maxLo, r.y); }
  }
  workgroupBarrier();
  let lo = atomicLoad(&maxLo);

  // Pass 3: the tied set.
  var t = 0u;
  for (var i = lid; i < n; i = i + WG) {
    let r = results[rbase + i];
    if (r.x == hi && r.y == lo) {
      t = t + 1u;
      atomicOr(&decisions[obase + HEADER + i / 32u], 1u << (i % 32u));
    }
  }
  atomicAdd(&tiedCount, t);
  workgroupBarrier();
  if (lid == 0u) {
    atomicStore(&decisions[obase], atomicLoad(&feasibleCount));
    atomicStore(&decisions[obase + 1u], hi);
    atomicStore(&decisions[obase + 2u], lo);
    atomicStore(&decisions[obase + 3u], atomicLoad(&tiedCount));
    for (var b = 0u; b < REASONS; b = b + 1u) { atomicStore(&decisions[obase + 4u + b], atomicLoad(&reasonCounts[b])); }
  }
}
