// spreadPass: kube's default PodTopologySpread score (v1.34 podtopologyspread/scoring.go, system-default
// constraints) added to one owned pod's filterScoreK8s results, one workgroup per pod, between filterScoreK8s and
// selectBest. Needs lib/wide.wgsl, lib/softDouble.wgsl, lib/softDoubleSum.wgsl and lib/windowScan.wgsl.
// TypeScript twin: src/engine/cpu/spreadPass.ts (host inputs: src/engine/kernels/spread.ts; dispatched by
// src/engine/gpu/gpuEngine.ts for the pods FrameworkEvaluator packs inputs for).
// Steps: the window (rotated start, first `want` feasible nodes: windowScan) with its F feasible nodes and the Z
// distinct zone ids among them; weights ln(F + 2), ln(Z + 2) from the host's float64 table; per feasible node
// round(c·wh + 2 [+ zc·wz + 4 when it carries the zone label]) in soft-double, rounded half up (Go's math.Round
// on positive values); min/max; results += weight · floor(100·(max + min − s)/max), 100 when max = 0.

struct SpreadParams {
  podCount: u32,
  nodeCount: u32,
  // PodTopologySpread's weight in the profile (2)
  weight: u32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> sp: SpreadParams;
@group(0) @binding(1) var<storage, read_write> results: array<u32>;
// per pod: window start, window want, offset of its matching-pod counts in `words` (0xffffffff: not owned, the
// pass leaves its row alone), offset of its per-zone totals in `words`
@group(0) @binding(2) var<storage, read> spods: array<vec4<u32>>;
// per owned pod: matching-pod counts per node, then its replica's zone word per node (id in bits 0..30, bit 31 set
// when the node carries the zone label), then per-zone totals (each pod's cluster may differ: lockstep replicas)
@group(0) @binding(3) var<storage, read> words: array<u32>;
// ln(k + 2) for k = 0..nodeCount, packDouble layout (significand low, high, exponent, sign)
@group(0) @binding(4) var<storage, read> logTable: array<vec4<u32>>;

const INFEASIBLE: u32 = 0x80000000u;
const NOT_OWNED: u32 = 0xffffffffu;
const ZONE_LABELLED: u32 = 0x80000000u;
const ZONE_ID_MASK: u32 = 0x7fffffffu;
// zone ids the workgroup tracks (the host refuses a cluster with more distinct zone values)
const MAX_ZONES: u32 = 256u;

var<workgroup> present: array<atomic<u32>, 256>;
var<workgroup> zoneSet: atomic<u32>;
var<workgroup> lo: atomic<u32>;
var<workgroup> hi: atomic<u32>;

// Go's math.Round of a non-negative Dbl below 2^32: floor(x + 1/2) from the significand's bits.
fn d_round_half_up(x: Dbl) -> u32 {
  if (w_is_zero(x.m)) { return 0u; }
  if (x.e >= 0) { return w_shl(x.m, u32(x.e)).x; }
  let sh = u32(-x.e);
  if (sh > 54u) { return 0u; }
  let half = w_shr(x.m, sh - 1u).x & 1u;
  return w_shr(x.m, sh).x + half;
}

fn table_weight(k: u32) -> Dbl {
  let t = logTable[k];
  return d_unpack(t.x, t.y, t.z);
}

// The plugin's score of one feasible node before normalize, float64 steps in the twin's order.
fn raw_score(node: u32, counts: u32, totals: u32, hw: Dbl, zw: Dbl) -> u32 {
  var s = d_add(d_mul_u32(hw, words[counts + node]), d_round(vec3<u32>(2u, 0u, 0u), 0));
  let z = words[counts + sp.nodeCount + node];
  if ((z & ZONE_LABELLED) != 0u) {
    s = d_add(s, d_add(d_mul_u32(zw, words[totals + (z & ZONE_ID_MASK)]), d_round(vec3<u32>(4u, 0u, 0u), 0)));
  }
  return d_round_half_up(s);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let pod = wid.y * nwg.x + wid.x;
  if (pod >= sp.podCount) { return; }
  let info = spods[pod];
  if (info.z == NOT_OWNED) { return; }
  let n = sp.nodeCount;
  let start = info.x;
  let want = info.y;
  let rbase = pod * n;

  for (var z = lid; z < MAX_ZONES; z = z + WG) { atomicStore(&present[z], 0u); }
  if (lid == 0u) {
    atomicStore(&zoneSet, 0u);
    atomicStore(&lo, 0xffffffffu);
    atomicStore(&hi, 0u);
    window_init(n);
  }
  workgroupBarrier();

  // Pass 1: the window and the distinct zone ids of its feasible nodes.
  var base = 0u;
  loop {
    let carry = window_carry();
    if (base >= n || carry >= want) { break; }
    let pos = base + lid;
    var f = 0u;
    var node = 0u;
    if (pos < n) {
      node = (start + pos) % n;
      f = select(0u, 1u, results[rbase + node] < INFEASIBLE);
    }
    let incl = window_chunk(lid, pos, n, f, carry, want);
    if (f == 1u && incl <= want) {
      if (atomicExchange(&present[words[info.z + n + node] & ZONE_ID_MASK], 1u) == 0u) { atomicAdd(&zoneSet, 1u); }
    }
    base = base + WG;
  }
  let processed = window_processed();
  let found = window_found(want);
  workgroupBarrier();
  if (found == 0u) { return; }
  let hw = table_weight(found);
  let zw = table_weight(atomicLoad(&zoneSet));

  // Pass 2: raw scores of the window's feasible nodes, their min and max.
  for (var pos = lid; pos < processed; pos = pos + WG) {
    let node = (start + pos) % n;
    if (results[rbase + node] < INFEASIBLE) {
      let s = raw_score(node, info.z, info.w, hw, zw);
      atomicMin(&lo, s);
      atomicMax(&hi, s);
    }
  }
  workgroupBarrier();
  let l = atomicLoad(&lo);
  let h = atomicLoad(&hi);

  // Pass 3: NormalizeScore (int64 division in kube; the quotient is at most 100) times the weight, added.
  for (var pos = lid; pos < processed; pos = pos + WG) {
    let node = (start + pos) % n;
    let r = results[rbase + node];
    if (r < INFEASIBLE) {
      var norm = 100u;
      if (h != 0u) { norm = mul_div100(h + l - raw_score(node, info.z, info.w, hw, zw), h); }
      results[rbase + node] = r + sp.weight * norm;
    }
  }
}
