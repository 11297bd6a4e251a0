/**
 * Gallery thumbnails drawn from a preset's cluster (no binary assets): one rounded card per node (up to 48,
 * then a "+N nodes" note), one cell per GPU coloured by pool, a bar per workload kind under it.
 */
import type { Scenario, WorkloadSpec } from '../../scenario/types.ts';

const POOL_COLORS = ['#58a6ff', '#3fb950', '#d29922', '#bc8cff', '#ff7b72', '#39c5cf'];
const KIND_COLORS: Record<WorkloadSpec['kind'], string> = { training: '#0072B2', inference: '#E69F00', agent: '#CC79A7', batch: '#009E73', trace: '#56B4E9', raycluster: '#D55E00' } as Record<WorkloadSpec['kind'], string>;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A 240×150 SVG of the scenario's cluster and workload mix, with a text alternative in `<title>`. */
export function clusterThumbnailSvg(s: Scenario, maxNodes = 48): string {
  const W = 240;
  const H = 150;
  const nodes: { pool: number; gpus: number }[] = [];
  let total = 0;
  s.cluster.pools.forEach((p, i) => {
    total += p.count;
    for (let n = 0; n < p.count && nodes.length < maxNodes; n++) nodes.push({ pool: i, gpus: p.gpusPerNode });
  });
  const cols = Math.max(1, Math.ceil(Math.sqrt(nodes.length * 1.8)));
  const rows = Math.max(1, Math.ceil(nodes.length / cols));
  const cw = (W - 8) / cols;
  const ch = Math.min(36, (H - 34) / rows);
  const parts: string[] = [];
  nodes.forEach((n, k) => {
    const x = 4 + (k % cols) * cw;
    const y = 4 + Math.floor(k / cols) * ch;
    parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(cw - 3).toFixed(1)}" height="${(ch - 3).toFixed(1)}" rx="2" fill="#1c232c" stroke="#3d4a58"/>`);
    const g = Math.max(1, n.gpus);
    const per = Math.ceil(Math.sqrt(g * 2));
    const gw = (cw - 7) / per;
    const gh = (ch - 7) / Math.ceil(g / per);
    for (let i = 0; i < n.gpus; i++) {
      const gx = x + 2 + (i % per) * gw;
      const gy = y + 2 + Math.floor(i / per) * gh;
      parts.push(`<rect x="${gx.toFixed(1)}" y="${gy.toFixed(1)}" width="${Math.max(0.8, gw - 1).toFixed(1)}" height="${Math.max(0.8, gh - 1).toFixed(1)}" fill="${POOL_COLORS[n.pool % POOL_COLORS.length]}"/>`);
    }
  });
  if (total > nodes.length) parts.push(`<text x="${W - 6}" y="${H - 24}" text-anchor="end" font-size="10" fill="#b3bcc6" font-family="system-ui, sans-serif">+${total - nodes.length} nodes</text>`);
  // Workload mix: one bar segment per workload kind, width by number of workloads of that kind.
  const kinds = new Map<string, number>();
  for (const w of s.workloads) kinds.set(w.kind, (kinds.get(w.kind) ?? 0) + 1);
  let x = 4;
  const sum = [...kinds.values()].reduce((a, b) => a + b, 0) || 1;
  for (const [k, c] of kinds) {
    const w = ((W - 8) * c) / sum;
    parts.push(`<rect x="${x.toFixed(1)}" y="${H - 14}" width="${Math.max(1, w - 2).toFixed(1)}" height="8" rx="2" fill="${KIND_COLORS[k as WorkloadSpec['kind']] ?? '#888'}"><title>${esc(k)}</title></rect>`);
    x += w;
  }
  const gpus = s.cluster.pools.reduce((a, p) => a + p.count * p.gpusPerNode, 0);
  const title = `${total} nodes, ${gpus} GPUs (${s.cluster.pools.map((p) => `${p.count} × ${p.gpusPerNode} ${p.gpuModel}`).join(', ')}); workloads: ${[...kinds.keys()].join(', ') || 'none'}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title><rect width="${W}" height="${H}" fill="#0d1117"/>${parts.join('')}</svg>`;
}
