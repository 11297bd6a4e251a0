// Shared uniform block of the engine kernels (host: src/engine/gpu/gpuEngine.ts writeParams).
struct Params {
  nodeCount: u32,
  podCount: u32,
  // 0 = LeastAllocated, 1 = MostAllocated
  strategy: u32,
  gpuReplicas: u32,
  cpuWeight: u32,
  memWeight: u32,
  gpuWeight: u32,
  fitWeight: u32,
  balancedWeight: u32,
  // plateau histogram length = highest possible total + 1
  histSize: u32,
  // u32 words of one pod's decision record in `decisions`
  outStride: u32,
  // u32 words of one pod's tied-node bitmask (ceil(nodeCount / 32))
  maskWords: u32,
  // FGD: classes of the target workload
  classCount: u32,
  // FGD baselines: 0 random, 1 dotprod, 2 clustering, 3 packing, 4 bestfit (filterScoreBaselines.wgsl)
  policy: u32,
  // FGD baselines: added to the plugin score (packed totals >= 0)
  bias: u32,
  // selectBest: best (total, node) pairs at the end of each record, 0..8 (the "why here?" runners-up)
  topK: u32,
  // filterScoreK8s device allocator: 0 = whole GPUs (NVIDIA device plugin), 1 = time-slicing replicas
  allocator: u32,
}

const INFEASIBLE: u32 = 0x80000000u;
