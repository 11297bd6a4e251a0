/**
 * The GPU catalog as data. Vendor figures (dense BF16/FP16, no sparsity; approximate) from domain.md §3.
 * Prices are editable examples, not facts: no price is a fact. Users override any field per scenario.
 */
export interface GpuModel {
  /** Catalog key, e.g. `H100`. */
  id: string;
  /** Human name, e.g. `H100 SXM 80GB`. */
  name: string;
  vendor: 'NVIDIA' | 'AMD' | 'Alibaba';
  /** Usable device memory in MiB. */
  memMiB: number;
  /** Dense BF16 (or FP16 where BF16 is absent) TFLOPS; relative speed of the card. */
  tflops: number;
  /** Device memory bandwidth in GB/s. */
  memBwGBs: number;
  /** NVLink (or Infinity Fabric) bandwidth per GPU in GB/s; 0 = PCIe only. */
  nvlinkGBs: number;
  /** Example price per GPU-hour in USD (editable; labelled as an example in the UI). */
  pricePerHourUsd: number;
  /** True where the figures are assumptions rather than vendor data (undisclosed trace models). */
  assumed?: boolean;
}

const GiB = 1024;

/**
 * Device memory as NVML reports it (`nvmlDeviceGetMemoryInfo` total, what nvidia-smi prints and what the NVIDIA and
 * HAMi device plugins register), for the cards where issue 13 gives the figure: an H100 SXM 80GB reports 81,559 MiB
 * and an H200 SXM 141GB 143,771 MiB, less than the marketing size (part of the HBM is reserved). So a request of
 * "80 GiB" (81,920 MiB) does not fit an H100, as it would not on a real one. The other models keep their nominal
 * size (GB × 1024) until a sourced NVML figure exists (docs/fidelity.md).
 */
export const NVML_TOTAL_MIB = Object.freeze({ H100: 81559, H200: 143771 });

/** Built-in catalog, keyed by id. */
export const GPU_CATALOG: Readonly<Record<string, GpuModel>> = Object.freeze({
  B200: { id: 'B200', name: 'B200 SXM 192GB', vendor: 'NVIDIA', memMiB: 180 * GiB, tflops: 2250, memBwGBs: 8000, nvlinkGBs: 1800, pricePerHourUsd: 6.0 },
  H200: { id: 'H200', name: 'H200 SXM 141GB', vendor: 'NVIDIA', memMiB: NVML_TOTAL_MIB.H200, tflops: 989, memBwGBs: 4800, nvlinkGBs: 900, pricePerHourUsd: 3.8 },
  H100: { id: 'H100', name: 'H100 SXM 80GB', vendor: 'NVIDIA', memMiB: NVML_TOTAL_MIB.H100, tflops: 989, memBwGBs: 3350, nvlinkGBs: 900, pricePerHourUsd: 2.9 },
  'A100-80G': { id: 'A100-80G', name: 'A100 SXM 80GB', vendor: 'NVIDIA', memMiB: 80 * GiB, tflops: 312, memBwGBs: 2000, nvlinkGBs: 600, pricePerHourUsd: 1.8 },
  'A100-40G': { id: 'A100-40G', name: 'A100 SXM 40GB', vendor: 'NVIDIA', memMiB: 40 * GiB, tflops: 312, memBwGBs: 1600, nvlinkGBs: 600, pricePerHourUsd: 1.3 },
  MI300X: { id: 'MI300X', name: 'MI300X 192GB', vendor: 'AMD', memMiB: 192 * GiB, tflops: 1300, memBwGBs: 5300, nvlinkGBs: 896, pricePerHourUsd: 3.5 },
  L40S: { id: 'L40S', name: 'L40S 48GB', vendor: 'NVIDIA', memMiB: 48 * GiB, tflops: 362, memBwGBs: 864, nvlinkGBs: 0, pricePerHourUsd: 1.0 },
  A10: { id: 'A10', name: 'A10 24GB', vendor: 'NVIDIA', memMiB: 24 * GiB, tflops: 125, memBwGBs: 600, nvlinkGBs: 0, pricePerHourUsd: 0.75 },
  L4: { id: 'L4', name: 'L4 24GB', vendor: 'NVIDIA', memMiB: 24 * GiB, tflops: 121, memBwGBs: 300, nvlinkGBs: 0, pricePerHourUsd: 0.7 },
  'V100-32G': { id: 'V100-32G', name: 'V100 SXM 32GB', vendor: 'NVIDIA', memMiB: 32 * GiB, tflops: 125, memBwGBs: 900, nvlinkGBs: 300, pricePerHourUsd: 0.9 },
  'V100-16G': { id: 'V100-16G', name: 'V100 SXM 16GB', vendor: 'NVIDIA', memMiB: 16 * GiB, tflops: 125, memBwGBs: 900, nvlinkGBs: 300, pricePerHourUsd: 0.8 },
  T4: { id: 'T4', name: 'T4 16GB', vendor: 'NVIDIA', memMiB: 16 * GiB, tflops: 65, memBwGBs: 320, nvlinkGBs: 0, pricePerHourUsd: 0.35 },
  // Models named in the Alibaba openb trace (cluster-trace-gpu-v2023). The trace gives only names.
  P100: { id: 'P100', name: 'P100 16GB (openb)', vendor: 'NVIDIA', memMiB: 16 * GiB, tflops: 19, memBwGBs: 732, nvlinkGBs: 0, pricePerHourUsd: 0.3 },
  V100M16: { id: 'V100M16', name: 'V100 16GB (openb)', vendor: 'NVIDIA', memMiB: 16 * GiB, tflops: 125, memBwGBs: 900, nvlinkGBs: 300, pricePerHourUsd: 0.8 },
  V100M32: { id: 'V100M32', name: 'V100 32GB (openb)', vendor: 'NVIDIA', memMiB: 32 * GiB, tflops: 125, memBwGBs: 900, nvlinkGBs: 300, pricePerHourUsd: 0.9 },
  G1: { id: 'G1', name: 'G1 (undisclosed, openb)', vendor: 'Alibaba', memMiB: 16 * GiB, tflops: 65, memBwGBs: 320, nvlinkGBs: 0, pricePerHourUsd: 0.35, assumed: true },
  G2: { id: 'G2', name: 'G2 (undisclosed, openb)', vendor: 'Alibaba', memMiB: 16 * GiB, tflops: 65, memBwGBs: 320, nvlinkGBs: 0, pricePerHourUsd: 0.35, assumed: true },
  G3: { id: 'G3', name: 'G3 (undisclosed, openb)', vendor: 'Alibaba', memMiB: 32 * GiB, tflops: 125, memBwGBs: 900, nvlinkGBs: 0, pricePerHourUsd: 0.8, assumed: true },
});

/** Reference card for "speed 1.0" in the workload models: an A100 (312 TFLOPS). */
export const REFERENCE_TFLOPS = 312;

/** The catalog with a scenario's overrides applied (overrides may add new models). */
export function resolveCatalog(overrides: Record<string, Partial<GpuModel>> | undefined): Record<string, GpuModel> {
  const out: Record<string, GpuModel> = {};
  for (const [id, m] of Object.entries(GPU_CATALOG)) out[id] = { ...m };
  if (overrides) {
    for (const [id, o] of Object.entries(overrides)) {
      const base = out[id];
      out[id] = { ...(base ?? { id, name: id, vendor: 'NVIDIA', memMiB: 0, tflops: 0, memBwGBs: 0, nvlinkGBs: 0, pricePerHourUsd: 0 }), ...o, id };
    }
  }
  return out;
}
