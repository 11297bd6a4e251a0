// selectBest: reduces each pod's candidates (one workgroup per pod) to the record kube's selectHost needs.
// TypeScript twin: src/engine/cpu/selectBest.ts; decoded by src/engine/gpu/gpuEngine.ts.
// Needs params.wgsl and lib/windowScan.wgsl. Window: nodes are examined in rotated order from windowStart and the scan stops after
// windowWant feasible nodes (kube's numFeasibleNodesToFind); a workgroup prefix sum finds that cut.
// Record of pod p at decisions[p * outStride]:
//   [0] processed  [1] feasible  [2] max total (0xffffffff = none)  [3..7] rejected count per reason bit
//   [16 .. 16+histSize)  tie count of each running-maximum plateau, by total (0 = not a plateau)
//   [16+histSize .. +maskWords)  bit k set = the k-th examined node scores the max total
//   then params.topK pairs (total, node): the best feasible nodes of the window, total descending, node index
//   ascending on ties (the "why here?" ranking); total 0xffffffff = no more feasible nodes. Each thread keeps its
//   own best topK in pass 2; topK rounds then take the workgroup's best head (max total, then min node).
// Plateau of total v: positions from v's first occurrence up to the first occurrence of any higher total.

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> pods: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> results: array<u32>;
@group(0) @binding(3) var<storage, read_write> decisions: array<atomic<u32>>;

const HIST: u32 = 1024u;
const HEADER: u32 = 16u;
const NONE: u32 = 0xffffffffu;

var<workgroup> firstPos: array<atomic<u32>, 1024>;
var<workgroup> counts: array<atomic<u32>, 1024>;
var<workgroup> nextRecord: array<u32, 1024>;
var<workgroup> reasons: array<atomic<u32>, 5>;
var<workgroup> maxPlusOne: atomic<u32>;
var<workgroup> topTotal: atomic<u32>;
var<workgroup> topNode: atomic<u32>;

const MAX_TOP: u32 = 8u;

// (t, n) ranks before (t2, n2): higher total, then lower node index.
fn ranks_before(t: u32, n: u32, t2: u32, n2: u32) -> bool {
  return t > t2 || (t == t2 && n < n2);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let pod = wid.y * nwg.x + wid.x;
  if (pod >= params.podCount) { return; }
  let n = params.nodeCount;
  let hist = params.histSize;
  let window = pods[3u * pod + 1u];
  let start = window.z;
  let want = window.w;
  let rbase = pod * n;
  let obase = pod * params.outStride;

  for (var v = lid; v < hist; v = v + WG) {
    atomicStore(&firstPos[v], NONE);
    atomicStore(&counts[v], 0u);
  }
  if (lid < 5u) { atomicStore(&reasons[lid], 0u); }
  if (lid == 0u) {
    atomicStore(&maxPlusOne, 0u);
    window_init(n);
  }
  workgroupBarrier();

  // Pass 1: the window (prefix sum of feasibility, chunk by chunk) and the rejection counts inside it.
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
        for (var b = 0u; b < 5u; b = b + 1u) {
          if (((r >> b) & 1u) == 1u) { atomicAdd(&reasons[b], 1u); }
        }
      }
    }
    base = base + WG;
  }
  let processed = window_processed();
  let found = window_found(want);

  // Pass 2: first position of every total, and the maximum; each thread's best topK (sorted insert).
  let k = min(params.topK, MAX_TOP);
  var lt: array<u32, 8>;
  var ln: array<u32, 8>;
  var lcount = 0u;
  for (var pos = lid; pos < processed; pos = pos + WG) {
    let r = results[rbase + (start + pos) % n];
    if (r < INFEASIBLE) {
      atomicMin(&firstPos[r], pos);
      atomicMax(&maxPlusOne, r + 1u);
      if (k > 0u) {
        let node = (start + pos) % n;
        if (lcount < k || ranks_before(r, node, lt[k - 1u], ln[k - 1u])) {
          var j = min(lcount, k - 1u);
          if (lcount < k) { lcount = lcount + 1u; }
          loop {
            if (j == 0u) { break; }
            if (!ranks_before(r, node, lt[j - 1u], ln[j - 1u])) { break; }
            lt[j] = lt[j - 1u];
            ln[j] = ln[j - 1u];
            j = j - 1u;
          }
          lt[j] = r;
          ln[j] = node;
        }
      }
    }
  }
  workgroupBarrier();
  if (lid == 0u) {
    var m = NONE;
    for (var v = hist; v > 0u; v = v - 1u) {
      nextRecord[v - 1u] = m;
      m = min(m, atomicLoad(&firstPos[v - 1u]));
    }
  }
  workgroupBarrier();
  let best = atomicLoad(&maxPlusOne);

  // Pass 3: plateau counts and the tied set.
  let maskBase = obase + HEADER + hist;
  for (var pos = lid; pos < processed; pos = pos + WG) {
    let r = results[rbase + (start + pos) % n];
    if (r < INFEASIBLE) {
      if (pos < nextRecord[r]) { atomicAdd(&counts[r], 1u); }
      if (r + 1u == best) { atomicOr(&decisions[maskBase + pos / 32u], 1u << (pos % 32u)); }
    }
  }
  workgroupBarrier();
  for (var v = lid; v < hist; v = v + WG) {
    var c = 0u;
    if (atomicLoad(&firstPos[v]) < nextRecord[v]) { c = atomicLoad(&counts[v]); }
    atomicStore(&decisions[obase + HEADER + v], c);
  }
  // Top-k rounds: the workgroup's best remaining head (max total, then min node) moves to the record.
  let topBase = obase + HEADER + hist + params.maskWords;
  var head = 0u;
  for (var j = 0u; j < k; j = j + 1u) {
    if (lid == 0u) {
      atomicStore(&topTotal, 0u);
      atomicStore(&topNode, NONE);
    }
    workgroupBarrier();
    let has = head < lcount;
    var t = 0u;
    var nd = NONE;
    if (has) {
      t = lt[head] + 1u;
      nd = ln[head];
      atomicMax(&topTotal, t);
    }
    workgroupBarrier();
    let bt = atomicLoad(&topTotal);
    if (has && t == bt) { atomicMin(&topNode, nd); }
    workgroupBarrier();
    let bn = atomicLoad(&topNode);
    if (has && t == bt && nd == bn) { head = head + 1u; }
    if (lid == 0u) {
      atomicStore(&decisions[topBase + 2u * j], bt - 1u);
      atomicStore(&decisions[topBase + 2u * j + 1u], bn);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    atomicStore(&decisions[obase], processed);
    atomicStore(&decisions[obase + 1u], found);
    atomicStore(&decisions[obase + 2u], best - 1u);
    for (var b = 0u; b < 5u; b = b + 1u) { atomicStore(&decisions[obase + 3u + b], atomicLoad(&reasons[b])); }
  }
}
