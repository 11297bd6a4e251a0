/**
 * GPU product names as nodes report them (GFD `nvidia.com/gpu.product` like `NVIDIA-H100-80GB-HBM3`,
 * `Tesla-T4-SHARED`; HAMi's type like `NVIDIA-Tesla V100-PCIE-32GB`) to catalog ids, and back.
 */
import { GPU_CATALOG } from '../../scenario/gpuCatalog.ts';

/** How a product was mapped: by name, or to the nearest catalog card by memory (an approximation). */
export interface ProductMatch {
  model: string;
  byMemory: boolean;
}

/** Tokens of a product name: upper case, split on anything not a letter or digit. */
function tokens(product: string): string[] {
  return product.toUpperCase().split(/[^A-Z0-9]+/).filter((t) => t !== '');
}

/** Catalog id by model name; memory (MiB, 0 = unknown) tells the 40/80 GB and 16/32 GB variants apart. */
function byName(t: readonly string[], memMiB: number): string | undefined {
  const has = (x: string) => t.includes(x);
  const gb = (n: number) => has(`${n}GB`) || has(`${n}G`);
  if (has('B200')) return 'B200';
  if (has('H200')) return 'H200';
  if (has('H100') || has('H800')) return 'H100';
  if (has('A100') || has('A800')) return gb(40) || (memMiB > 0 && memMiB < 60 * 1024) ? 'A100-40G' : 'A100-80G';
  if (has('MI300X')) return 'MI300X';
  if (has('L40S') || has('L40')) return 'L40S';
  if (has('A10') || has('A10G')) return 'A10';
  if (has('L4')) return 'L4';
  if (has('V100')) return gb(16) || (memMiB > 0 && memMiB < 24 * 1024) ? 'V100-16G' : 'V100-32G';
  if (has('T4')) return 'T4';
  return undefined;
}

/** Maps a product name to the catalog; unknown names go to the card with the nearest memory (byMemory). */
export function matchGpuProduct(product: string, memMiB: number): ProductMatch {
  const name = byName(tokens(product), memMiB);
  if (name) return { model: name, byMemory: false };
  let best = 'A100-80G';
  let bestGap = Infinity;
  if (memMiB > 0) {
    for (const m of Object.values(GPU_CATALOG)) {
      if (m.assumed) continue;
      const gap = Math.abs(m.memMiB - memMiB);
      if (gap < bestGap) {
        best = m.id;
        bestGap = gap;
      }
    }
  }
  return { model: best, byMemory: true };
}

/** GFD's product label for a catalog id (what the exporter writes; byName reads it back). */
export function gfdProductOf(model: string): string {
  const m = GPU_CATALOG[model];
  const name = m ? m.name : model;
  return `${m?.vendor === 'AMD' ? 'AMD' : 'NVIDIA'}-${name.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^NVIDIA-/, '')}`.replace(/-+$/, '');
}
