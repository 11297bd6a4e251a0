// Uniform block of the Volcano kernels (filterScoreVolcano.wgsl, selectMaxKey.wgsl); host:
// src/engine/gpu/volcanoGpuEngine.ts writeParams. Weights are integers (src/engine/kernels/volcano.ts).
struct VolcanoParams {
  nodeCount: u32,
  podCount: u32,
  // 1 = deviceshare vGPU slices (volcano-hami), 0 = whole GPUs (volcano)
  vgpu: u32,
  // nodeorder weights (0 = off)
  leastRequestedWeight: u32,
  balancedWeight: u32,
  // binpack: 1 = plugin on; its weight and the per-resource weights (0 = not listed)
  binpackOn: u32,
  binpackWeight: u32,
  binpackCpu: u32,
  binpackMemory: u32,
  binpackGpu: u32,
  // deviceshare: 1 = spread card order (score 0), 0 = binpack; split count; score weight (0 = not scored)
  deviceShareSpread: u32,
  splitCount: u32,
  deviceShareWeight: u32,
  // u32 words of one pod's record in selectMaxKey's `decisions`, and of its tied-node bitmask
  outStride: u32,
  maskWords: u32,
  pad: u32,
}

const INFEASIBLE: u32 = 0x80000000u;
