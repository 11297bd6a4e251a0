// filterScoreVolcano: predicates and the float64 node score of every (task, node) candidate for the volcano and
// volcano-hami profiles: where a Volcano session's allocate/backfill action puts one task.
// TypeScript twin: src/engine/cpu/filterScoreVolcano.ts (same packing, same order of checks, same float64 steps).
// Needs volcanoParams.wgsl, lib/wide.wgsl, lib/softDouble.wgsl, lib/softDoubleSum.wgsl, lib/softDoubleMul.wgsl,
// lib/balancedThree.wgsl and lib/filterPrologue.wgsl
// (bindings 1-3 with Volcano's pod row, MILLI, fit_reasons, model_allowed).
// Replicas: the node and GPU buffers may hold R clusters of one node count side by side (lockstep sweeps); a pod
// row's bases select its replica, and node indices below are the replica's own.
// Output results[pod * nodeCount + node] = vec2(hi, lo): the IEEE-754 bit pattern of the total (non-negative, so
// bit patterns order as values), or (INFEASIBLE | reason bits, 0) with bits 1 pods, 2 cpu, 4 memory, 8 node
// affinity, 16 nvidia.com/gpu, 32 "no enough gpu cards on node", 64 "not enough gpu fitted on this node".
// Total, summed in float64 in Volcano's plugin order (src/sched/volcano/session.ts NodePlugins.scores):
//   t = leastRequestedWeight * leastrequested + balancedWeight * balancedresource     (integers, exact;
//       balancedresource over cpu, memory and, for a whole-GPU pod, nvidia.com/gpu: lib/balancedThree.wgsl)
//   t = RN(t + S),  S = binpack (Volcano v1.15 binpack.go):
//       S = RN(RN(RN(sum / Σw) * 100) * weight),  sum = Σ RN(RN(w_r (used_r + req_r)) / alloc_r) in cpu, memory,
//       gpu order (0 when a resource overflows)
//   t = RN(t + deviceShareWeight * ds),  ds = floor(RN(Σ RN(100 RN(usedMem'/memory)) + 0.5)) over the cards taken
//       (binpack policy; spread scores 0 in v1.15): the node device score is an integer (deviceshare.go
//       getDeviceScore), so the product with the weight is exact
// Grid: 64 threads per workgroup on a 2-D grid of workgroups (x <= 65535), index = (y * nx + x) * 64 + local.

@group(0) @binding(0) var<uniform> vp: VolcanoParams;
@group(0) @binding(4) var<storage, read_write> results: array<vec2<u32>>;

override WORKGROUP_SIZE: u32 = 64u;
const CORES: u32 = 100u;

// Bit i of a 96-bit integer.
fn w_bit(v: vec3<u32>, i: u32) -> u32 {
  let w = i / 32u;
  var word = v.x;
  if (w == 1u) { word = v.y; } else if (w == 2u) { word = v.z; }
  return (word >> (i % 32u)) & 1u;
}

// RN(a / b) for any a < 2^64 and b > 0: a is shifted left until the quotient has >= 55 bits, divided bit by bit
// (restoring division; the remainder stays < b < 2^32), and the remainder folded into a sticky bit below them.
fn d_divw(a: vec3<u32>, b: u32) -> Dbl {
  let la = w_bitlen(a);
  if (la == 0u) { return d_zero(); }
  let lb = 32u - countLeadingZeros(b);
  var k = 0u;
  if (55u + lb > la) { k = 55u + lb - la; }
  let num = w_shl(a, k);
  var rem = 0u;
  var q = vec3<u32>(0u, 0u, 0u);
  for (var i = la + k; i > 0u; i = i - 1u) {
    let carry = rem >> 31u;
    var r2 = (rem << 1u) | w_bit(num, i - 1u);
    var bit = 0u;
    if (carry == 1u || r2 >= b) {
      r2 = r2 - b; // true value 2 rem + bit - b < b; u32 wrap-around gives it exactly
      bit = 1u;
    }
    rem = r2;
    q = w_shl(q, 1u);
    q.x = q.x | bit;
  }
  let q2 = w_shl(q, 1u);
  return d_round(vec3<u32>(q2.x | select(0u, 1u, rem != 0u), q2.y, q2.z), -i32(k) - 1);
}

// RN(x / k) for a double x >= 0 and an integer k > 0 (scaling by 2^e commutes with rounding: no subnormals here).
fn d_div_int(x: Dbl, k: u32) -> Dbl {
  if (w_is_zero(x.m)) { return x; }
  let q = d_divw(x.m, k);
  return Dbl(q.m, q.e + x.e);
}

// binpack's term of one resource: RN(RN(usedFinally * w) / alloc); the product is exact (< 2^48).
fn binpack_term(usedFinally: u32, w: u32, alloc: u32) -> Dbl {
  let p = mul32(usedFinally, w);
  return d_divw(vec3<u32>(p.x, p.y, 0u), alloc);
}

// kube LeastAllocated for one resource with requested = base + add (may exceed 2^32: compare first).
fn least_allocated(base: u32, add: u32, alloc: u32) -> u32 {
  if (base > alloc || add > alloc - base) { return 0u; }
  return mul_div100(alloc - base - add, alloc);
}

// The IEEE-754 bit pattern (hi, lo) of a non-negative double.
fn key_of(x: Dbl) -> vec2<u32> {
  if (w_is_zero(x.m)) { return vec2<u32>(0u, 0u); }
  let biased = u32(x.e + 1075);
  return vec2<u32>((biased << 20u) | (x.m.y & 0xfffffu), x.m.x);
}

// deviceshare's card order as an ascending key with the card index: spread by used count, binpack by used memory
// descending; the lower index first on ties.
fn card_key(spread: bool, use_: vec4<u32>) -> u32 {
  if (spread) { return use_.w; }
  return 0xffffffffu - use_.y;
}

fn evaluate(p: u32, local: u32) -> vec2<u32> {
  let pod = load_pod(p);
  // the pod's replica: its node and GPU rows start at nodeBase and gpuBase (0 for a single cluster)
  let node = load_node(pod, local);
  let n1 = node.r1;
  let cpu = node.r0.x;
  let mem = node.r0.y;
  let usedCpu = n1.x;
  let usedMem = n1.y;
  let g = node.r2.y;
  let reqCpu = pod.r0.x;
  let reqMem = pod.r0.y;
  let want = pod.r0.z;
  // predicates (session.ts NodePlugins.fit): every resource reason first
  let reasons = fit_reasons(pod, node);
  if (reasons != 0u) { return vec2<u32>(INFEASIBLE | reasons, 0u); }
  let allowed = model_allowed(pod, node);
  var usedMilli = 0u;
  for (var k = 0u; k < g; k = k + 1u) { usedMilli = usedMilli + gpu_use(node, k).x; }
  var ds = d_zero();
  if (want > 0u) {
    if (vp.vgpu == 0u) {
      // NVIDIA device plugin: GPU model affinity, then `want` free healthy cards
      if (!allowed) { return vec2<u32>(INFEASIBLE | 8u, 0u); }
      var freeCards = 0u;
      for (var k = 0u; k < g; k = k + 1u) {
        let use_ = gpu_use(node, k);
        let cap = gpu_cap(node, k);
        if (cap.w == 1u && use_.w == 0u && use_.x == 0u) { freeCards = freeCards + 1u; }
      }
      if (freeCards < want) { return vec2<u32>(INFEASIBLE | 16u, 0u); }
    } else {
      // deviceshare fitVgpu: walk the cards in policy order (next smallest (key, index) each step), take fitting ones
      if (want > g) { return vec2<u32>(INFEASIBLE | 32u, 0u); }
      let spread = vp.deviceShareSpread == 1u;
      let milli = pod.r1.z;
      let memReq = pod.r1.w;
      let cores = pod.r2.x;
      var taken = 0u;
      var prevKey = 0u;
      var prevIdx = 0u;
      for (var step = 0u; step < g && taken < want; step = step + 1u) {
        var best = g;
        var bestKey = 0u;
        for (var k = 0u; k < g; k = k + 1u) {
          let key = card_key(spread, gpu_use(node, k));
          if (step > 0u && (key < prevKey || (key == prevKey && k <= prevIdx))) { continue; }
          if (best == g || key < bestKey) {
            best = k;
            bestKey = key;
          }
        }
        prevKey = bestKey;
        prevIdx = best;
        let use_ = gpu_use(node, best);
        let cap = gpu_cap(node, best);
        if (cap.w != 1u) { continue; }
        if (use_.w >= vp.splitCount) { continue; }
        var m = cap.x;
        if (memReq > 0u) { m = memReq; }
        if (use_.y > cap.x || cap.x - use_.y < m) { continue; }
        if (use_.z + cores > cap.y) { continue; }
        if (cores == CORES && use_.w > 0u) { continue; }
        if (use_.z == cap.y && cores == 0u) { continue; }
        if (!allowed) { continue; }
        if (use_.x + milli > MILLI) { continue; }
        // GPUScore after the add: binpack 100 * usedMem / memory (0 for a card without memory); spread 0
        if (!spread && cap.x != 0u) { ds = d_add(ds, d_mul100(d_divw(vec3<u32>(use_.y + m, 0u, 0u), cap.x))); }
        taken = taken + 1u;
      }
      if (taken < want) { return vec2<u32>(INFEASIBLE | 64u, 0u); }
    }
  }

  // nodeorder leastrequested: kube LeastAllocated, cpu and memory weight 1, non-zero requests (100 m / 200 MiB)
  var lr = 0u;
  if (vp.leastRequestedWeight > 0u) {
    var sum = 0u;
    var ws = 0u;
    if (cpu > 0u) {
      sum = sum + least_allocated(n1.z, select(100u, reqCpu, reqCpu != 0u), cpu);
      ws = ws + 1u;
    }
    if (mem > 0u) {
      sum = sum + least_allocated(n1.w, select(200u, reqMem, reqMem != 0u), mem);
      ws = ws + 1u;
    }
    if (ws > 0u) { lr = sum / ws; }
  }
  // nodeorder balancedresource: kube v1.34 over cpu, memory and nvidia.com/gpu (the GPU only for a whole-GPU pod
  // that asks for some) in emulated float64; fewer than two fractions give 100
  var br = 0u;
  let gpuAsked = vp.vgpu == 0u && want > 0u;
  if (vp.balancedWeight > 0u && (reqCpu != 0u || reqMem != 0u || gpuAsked)) {
    if (gpuAsked && g > 0u) {
      var usedSlots = 0u;
      for (var k = 0u; k < g; k = k + 1u) { usedSlots = usedSlots + gpu_use(node, k).w; }
      let fg = d_fraction(usedSlots, want, g);
      if (cpu > 0u && mem > 0u) {
        br = balanced_three(d_fraction(usedCpu, reqCpu, cpu), d_fraction(usedMem, reqMem, mem), fg);
      } else if (cpu > 0u) {
        br = balanced_two(d_fraction(usedCpu, reqCpu, cpu), fg);
      } else if (mem > 0u) {
        br = balanced_two(d_fraction(usedMem, reqMem, mem), fg);
      } else {
        br = 100u;
      }
    } else if (cpu > 0u && mem > 0u) {
      br = balanced_two(d_fraction(usedCpu, reqCpu, cpu), d_fraction(usedMem, reqMem, mem));
    } else {
      br = 100u;
    }
  }
  var t = d_round(vec3<u32>(vp.leastRequestedWeight * lr + vp.balancedWeight * br, 0u, 0u), 0);

  if (vp.binpackOn == 1u) {
    var s = d_zero();
    var ws = 0u;
    var over = false;
    if (reqCpu > 0u) {
      if (cpu != 0u && vp.binpackCpu != 0u) {
        let uf = usedCpu + reqCpu;
        if (uf > cpu) { over = true; } else { s = d_add(s, binpack_term(uf, vp.binpackCpu, cpu)); }
      }
      ws = ws + vp.binpackCpu;
    }
    if (!over && reqMem > 0u) {
      if (mem != 0u && vp.binpackMemory != 0u) {
        let uf = usedMem + reqMem;
        if (uf > mem) { over = true; } else { s = d_add(s, binpack_term(uf, vp.binpackMemory, mem)); }
      }
      ws = ws + vp.binpackMemory;
    }
    if (!over && vp.vgpu == 0u && want > 0u) {
      let alloc = g * MILLI;
      if (alloc != 0u && vp.binpackGpu != 0u) {
        let uf = usedMilli + want * MILLI;
        if (uf > alloc) { over = true; } else { s = d_add(s, binpack_term(uf, vp.binpackGpu, alloc)); }
      }
      ws = ws + vp.binpackGpu;
    }
    if (!over) {
      if (ws > 0u) { s = d_div_int(s, ws); }
      t = d_add(t, d_mul_u32(d_mul100(s), vp.binpackWeight));
    }
  }
  if (vp.vgpu == 1u && vp.deviceShareWeight > 0u) {
    // nodeDeviceScore: floor(RN(ds + 0.5)); ds <= 100 per card, so the integer and its product fit u32
    let dsInt = d_trunc(d_add(ds, d_half(d_one())));
    t = d_add(t, d_round(vec3<u32>(dsInt * vp.deviceShareWeight, 0u, 0u), 0));
  }
  return key_of(t);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let idx = (wid.y * nwg.x + wid.x) * WORKGROUP_SIZE + lid;
  let n = vp.nodeCount;
  if (idx >= n * vp.podCount) { return; }
  results[idx] = evaluate(idx / n, idx % n);
}
