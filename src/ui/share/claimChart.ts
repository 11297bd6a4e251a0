/**
 * The gallery's thumbnail of a preset's claim: a tiny bar chart of the claim's metric under each scheduler (or,
 * for a one-scheduler preset, under each variant), drawn from real simulated numbers that
 * scripts/presetCharts.ts computes at build time into public/preset-charts.json (test/ui/presetCharts.test.ts
 * checks the file is up to date).
 */
import { formatMetric, type Expectation, type PresetEntry } from './presetManifest.ts';

/** One preset's chart: the claim line it shows, and one bar per run. */
export interface PresetChart {
  metric: string;
  /** The claim line's words (what the bars show). */
  text: string;
  bars: { label: string; value: number }[];
}

/** The file scripts/presetCharts.ts writes. */
export interface PresetChartsFile {
  version: 1;
  charts: Record<string, PresetChart>;
}

/** The runs a preset's chart shows: each scheduler as shipped, or the one scheduler as shipped and in each variant. */
export function chartRuns(entry: PresetEntry): { label: string; profile: string; variant: string | null }[] {
  if (entry.profiles.length > 1 || !entry.variants) return entry.profiles.map((p) => ({ label: p, profile: p, variant: null }));
  const p = entry.profiles[0];
  return [{ label: p, profile: p, variant: null }, ...Object.entries(entry.variants).map(([id, v]) => ({ label: v.title, profile: p, variant: id }))];
}

/**
 * The claim line a preset's chart shows: the first line of the preset as shipped that compares two of its
 * runs (that is where the claim is), else its first summary line.
 */
export function chartLine(entry: PresetEntry): Expectation {
  const shipped = entry.expect.filter((e) => !e.variant && e.metric.startsWith('summary.'));
  const compared = shipped.find((e) => e.than && ((e.than.profile !== undefined && e.than.profile !== e.profile) || e.than.variant !== undefined) && (e.than.metric === undefined || e.than.metric === e.metric));
  return compared ?? shipped[0] ?? entry.expect[0];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** People's names of the metrics a chart can show (the summary fields the presets' claims name). */
const METRIC_NAME: Readonly<Record<string, string>> = {
  'summary.allocationPct': 'GPU allocation',
  'summary.utilizationPct': 'GPU utilization',
  'summary.gpuMemBookedPct': 'GPU memory booked',
  'summary.gpuMemUsedPct': 'GPU memory really used',
  'summary.strandedGpusAvg': 'Stranded GPUs (average)',
  'summary.fragmentedGpusAvg': 'Fragmented GPUs (average)',
  'summary.podsBound': 'Pods placed',
  'summary.podsPendingAtEnd': 'Pods still waiting at the end',
  'summary.meanWaitS': 'Mean wait',
  'summary.training.completed': 'Training jobs finished',
  'summary.training.meanSlowdown': 'Training time, × ideal',
  'summary.inference.sloAttainmentPct': 'Requests within their SLO',
  'summary.agents.bursts': 'Agent bursts served',
  'summary.agents.meanBurstLatencyS': 'Agent burst latency',
  'summary.cost.costPerUsefulGpuHourUsd': 'Cost per useful GPU-hour',
};

/** A chart value with its unit (slowdowns as "1.69×"). */
function value(metric: string, v: number): string {
  return metric.endsWith('Slowdown') ? `${v.toFixed(2)}×` : formatMetric(metric, v);
}

/** Bar colours of runs 1–4 (the workbench's run colours, dark theme: the thumbnails have their own dark ground). */
const BAR = ['#56B4E9', '#FF8C42', '#3DDC97', '#E78AC3'];

/** A 240×150 SVG bar chart of the claim's metric, one labelled bar per run, with a text alternative. */
export function claimChartSvg(c: PresetChart): string {
  const W = 240;
  const H = 150;
  const top = 34;
  const n = Math.max(1, c.bars.length);
  const rowH = Math.min(30, (H - top - 6) / n);
  const labelW = 92;
  const max = Math.max(...c.bars.map((b) => Math.abs(b.value)), 1e-9);
  const parts: string[] = [];
  // The metric's name, then the claim's words when they stand alone (a line continuing another, "and …", does not).
  const name = METRIC_NAME[c.metric] ?? c.metric.split('.').at(-1) ?? c.metric;
  parts.push(`<text x="6" y="13" font-size="11" font-weight="600" fill="#e6edf3" font-family="system-ui, sans-serif">${esc(name)}</text>`);
  if (/^[A-Z]/.test(c.text)) parts.push(`<text x="6" y="26" font-size="10" fill="#b3bcc6" font-family="system-ui, sans-serif">${esc(c.text.length > 40 ? `${c.text.slice(0, 39)}…` : c.text)}</text>`);
  c.bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, ((W - labelW - 52) * Math.abs(b.value)) / max);
    const label = b.label.length > 15 ? `${b.label.slice(0, 14)}…` : b.label;
    parts.push(`<text x="${labelW - 4}" y="${(y + rowH * 0.65).toFixed(1)}" text-anchor="end" font-size="10" fill="#b3bcc6" font-family="system-ui, sans-serif">${esc(label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${(y + 2).toFixed(1)}" width="${w.toFixed(1)}" height="${Math.max(2, rowH - 5).toFixed(1)}" rx="2" fill="${BAR[i % BAR.length]}"/>`);
    parts.push(`<text x="${(labelW + w + 4).toFixed(1)}" y="${(y + rowH * 0.65).toFixed(1)}" font-size="10" fill="#e6edf3" font-family="system-ui, sans-serif">${esc(value(c.metric, b.value))}</text>`);
  });
  const alt = `${name}: ${c.bars.map((b) => `${b.label} ${value(c.metric, b.value)}`).join(', ')}. ${c.text}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" data-chart="claim" aria-label="${esc(alt)}"><title>${esc(alt)}</title><rect width="${W}" height="${H}" fill="#0d1117"/>${parts.join('')}</svg>`;
}
