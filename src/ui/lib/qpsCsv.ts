/**
 * Reads the Alibaba GenAI gateway QPS trace (`qps.csv`: timestamp_anon, value, container_ip, request_type; see
 * data/alibaba_genai_qps_2026/README.md) into a day curve: values summed over all containers in fixed time
 * bins, hours counted from the first sample, then scaled so the busiest bin is the chosen peak QPS.
 */
import { quoteInput } from '../../core/quoteInput.ts';

export interface QpsPoint {
  hour: number;
  qps: number;
}

/** A decimal cell (`12`, `0.5`, `1.2e3`; a sign only where `signed`) or null: empty, hex, `NaN` and `Infinity` are not numbers here. */
function decimalCell(cell: string, signed: boolean): number | null {
  const c = cell.trim();
  if (!(signed ? /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/ : /^\d+(\.\d+)?([eE][+-]?\d+)?$/).test(c)) return null;
  const n = Number(c);
  return Number.isFinite(n) ? n : null;
}

/** Parses the CSV into binned totals (trace units). Throws an Error naming the line on malformed input. */
export function parseQpsCsv(text: string, opts: { binMinutes?: number; requestType?: string } = {}): QpsPoint[] {
  const binS = (opts.binMinutes ?? 30) * 60;
  const type = opts.requestType ?? 'Generative Requests';
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split(',').map((h) => h.trim());
  const ti = header?.indexOf('timestamp_anon') ?? -1;
  const vi = header?.indexOf('value') ?? -1;
  const ri = header?.indexOf('request_type') ?? -1;
  if (ti < 0 || vi < 0 || ri < 0) throw new Error('qps.csv: the header must name timestamp_anon, value and request_type');
  const rows: { t: number; v: number }[] = [];
  const width = header.length;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    const cols = line.split(',');
    // Every row is checked, whatever its type: a short or malformed row is a damaged file, not a row to skip.
    if (cols.length < width) throw new Error(`qps.csv line ${i + 1}: expected ${width} columns (${header.join(',')}), got ${cols.length}`);
    const t = decimalCell(cols[ti], true);
    const v = decimalCell(cols[vi], false);
    if (t === null) throw new Error(`qps.csv line ${i + 1}: timestamp_anon must be a decimal number, got ${quoteInput(cols[ti])}`);
    if (v === null) throw new Error(`qps.csv line ${i + 1}: value must be a decimal number ≥ 0, got ${quoteInput(cols[vi])}`);
    if (cols[ri].trim() !== type) continue;
    rows.push({ t, v });
  }
  if (rows.length === 0) throw new Error(`qps.csv: no rows with request_type "${type}"`);
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const r of rows) {
    t0 = Math.min(t0, r.t);
    t1 = Math.max(t1, r.t);
  }
  const bins = Math.min(Math.floor((t1 - t0) / binS) + 1, Math.floor((24 * 3600) / binS));
  const sum = new Float64Array(bins);
  for (const r of rows) {
    const b = Math.floor((r.t - t0) / binS);
    if (b < bins) sum[b] += r.v;
  }
  // Bin centres, in hours from the first sample (the curve wraps over 24 h like every demand curve).
  return Array.from(sum, (v, b) => ({ hour: ((b + 0.5) * binS) / 3600, qps: v }));
}

/** Scales a curve so its maximum is `peakQps` (rounded to 0.01). */
export function scaleToPeak(points: readonly QpsPoint[], peakQps: number): QpsPoint[] {
  const max = points.reduce((m, p) => Math.max(m, p.qps), 0);
  const k = max > 0 ? peakQps / max : 0;
  return points.map((p) => ({ hour: Math.round(p.hour * 1000) / 1000, qps: Math.round(p.qps * k * 100) / 100 }));
}
