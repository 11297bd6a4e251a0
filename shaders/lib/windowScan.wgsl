// windowScan: kube's numFeasibleNodesToFind window over one pod's results, for the select kernels that examine
// nodes in rotated order from the pod's window start (selectBest.wgsl, selectHami.wgsl; TypeScript twins
// src/engine/cpu/selectBest.ts and src/engine/cpu/selectHami.ts). The scan goes chunk
// by chunk of WG positions: a workgroup prefix sum (Hillis-Steele) of feasibility gives each position the count
// of feasible nodes up to it; the window ends after the want-th feasible node (all n positions when fewer are
// feasible). A kernel that includes this file runs @workgroup_size(256) = WG and calls, in uniform control flow:
//   lane 0: window_init(n); barrier; loop { carry = window_carry(); break when base >= n or carry >= want;
//   incl = window_chunk(lid, pos, n, f, carry, want); ... } then window_processed() and window_found(want).

const WG: u32 = 256u;

var<workgroup> scanBuf: array<u32, 256>;
var<workgroup> carryShared: u32;
var<workgroup> processedShared: u32;

// Lane 0, before the first chunk: nothing counted yet, the window all n positions until its end is found.
fn window_init(n: u32) {
  carryShared = 0u;
  processedShared = n;
}

// The feasible count before the next chunk (the same value in every lane).
fn window_carry() -> u32 {
  return workgroupUniformLoad(&carryShared);
}

// One chunk; f = 1 when this lane's position pos (< n) holds a feasible node. Returns the inclusive count of
// feasible positions up to pos (carry included); the lane of the want-th feasible node records the window's
// end (processed = pos + 1); the carry advances by the chunk's count for the next window_carry().
fn window_chunk(lid: u32, pos: u32, n: u32, f: u32, carry: u32, want: u32) -> u32 {
  scanBuf[lid] = f;
  workgroupBarrier();
  for (var off = 1u; off < WG; off = off << 1u) {
    var add = 0u;
    if (lid >= off) { add = scanBuf[lid - off]; }
    workgroupBarrier();
    scanBuf[lid] = scanBuf[lid] + add;
    workgroupBarrier();
  }
  let incl = carry + scanBuf[lid];
  if (pos < n && f == 1u && incl == want) { processedShared = pos + 1u; }
  let chunk = scanBuf[WG - 1u];
  workgroupBarrier();
  if (lid == 0u) { carryShared = carry + chunk; }
  return incl;
}

// After the loop: the positions examined (the window).
fn window_processed() -> u32 {
  return workgroupUniformLoad(&processedShared);
}

// After the loop: the feasible nodes found in the window.
fn window_found(want: u32) -> u32 {
  return min(workgroupUniformLoad(&carryShared), want);
}
