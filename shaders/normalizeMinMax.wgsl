// normalizeMinMax: the min-max normalize step of a score plugin over each pod's feasible nodes (one workgroup per
// pod), between the filter+score kernel and selectBest. Used by bestfit (fgdBaselines.ts minMaxNormalize, the
// FGD artifact's NormalizeScore): r -> floor((r - lo) * 100 / (hi - lo)), 0 when hi = lo; infeasible results
// stay as they are. Raw results carry a constant offset (2^30), which cancels in r - lo and hi - lo.
// TypeScript twin: src/engine/cpu/normalizeMinMax.ts. Needs params.wgsl and
// lib/wide.wgsl. The window must cover every node (the FGD profiles score all nodes; both engines check it).

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> results: array<u32>;

const WG: u32 = 256u;

var<workgroup> lo: atomic<u32>;
var<workgroup> hi: atomic<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let pod = wid.y * nwg.x + wid.x;
  if (pod >= params.podCount) { return; }
  let n = params.nodeCount;
  let base = pod * n;
  if (lid == 0u) {
    atomicStore(&lo, 0xffffffffu);
    atomicStore(&hi, 0u);
  }
  workgroupBarrier();
  for (var i = lid; i < n; i = i + WG) {
    let r = results[base + i];
    if (r < INFEASIBLE) {
      atomicMin(&lo, r);
      atomicMax(&hi, r);
    }
  }
  workgroupBarrier();
  let l = atomicLoad(&lo);
  let h = atomicLoad(&hi);
  for (var i = lid; i < n; i = i + WG) {
    let r = results[base + i];
    if (r < INFEASIBLE) {
      var v = 0u;
      if (h > l) { v = mul_div100(r - l, h - l); }
      results[base + i] = v;
    }
  }
}
