/**
 * Exports that do not need a browser: metric series and summaries as CSV and JSON, and a self-contained HTML
 * report of a comparison (inline CSS and SVG charts, the scenario and its share link; no script, no network).
 */
import type { MetricSample, Summary } from '../../worker/protocol.ts';
import type { Scenario } from '../../scenario/types.ts';

/** One run as the exports see it. */
export interface ExportRun {
  label: string;
  profile: string;
  summary: Summary;
  series: readonly MetricSample[];
  traceHash?: string;
}

/** Columns of the series CSV, in order (the MetricSample fields). */
export const SERIES_COLUMNS: readonly (keyof MetricSample)[] = [
  'tS', 'allocationPct', 'utilizationPct', 'gpuMemBookedPct', 'gpuMemUsedPct', 'strandedGpus', 'fragmentedGpus', 'pending', 'meanWaitS',
  'inferenceQps', 'inferenceReplicas', 'sloAttainmentPct', 'p50LatencyMs', 'p99LatencyMs', 'agentBurstLatencyS', 'trainingRunning',
  'trainingCompleted', 'trainingProgressPct', 'costUsd', 'oomKills',
];

/**
 * RFC 4180 field: quoted when it holds a comma, a quote or a line break. A text cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows a run named `=HYPERLINK(…)` as text
 * instead of evaluating it (OWASP "CSV injection"); numbers are written as they are (−1 stays a number).
 */
export function csvField(v: unknown): string {
  let s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v ?? '');
  if (typeof v !== 'number' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The metric time series of every run, one row per (run, sample), CRLF line ends. */
export function seriesCsv(runs: readonly ExportRun[]): string {
  const rows = [['run', 'profile', ...SERIES_COLUMNS].join(',')];
  for (const r of runs) for (const s of r.series) rows.push([r.label, r.profile, ...SERIES_COLUMNS.map((c) => s[c])].map(csvField).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/** Flattens a summary into dotted keys (`training.completed`), in its own key order. */
export function flattenSummary(s: object, prefix = ''): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(s)) {
    if (typeof v === 'number') out.push([prefix + k, v]);
    else if (typeof v === 'object' && v !== null) out.push(...flattenSummary(v, `${prefix}${k}.`));
  }
  return out;
}

/** One row per run, one column per summary number. */
export function summaryCsv(runs: readonly ExportRun[]): string {
  if (runs.length === 0) return 'run,profile\r\n';
  const keys = flattenSummary(runs[0].summary).map(([k]) => k);
  const rows = [['run', 'profile', ...keys].join(',')];
  for (const r of runs) {
    const m = new Map(flattenSummary(r.summary));
    rows.push([r.label, r.profile, ...keys.map((k) => m.get(k))].map(csvField).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** Series and summaries of every run as JSON (what "Export JSON" saves). */
export function runsJson(scenario: Scenario, runs: readonly ExportRun[]): string {
  return `${JSON.stringify({ kind: 'slicebench/results', scenario: scenario.name, seed: scenario.sim.seed, runs: runs.map((r) => ({ label: r.label, profile: r.profile, traceHash: r.traceHash, summary: r.summary, series: r.series })) }, null, 2)}\n`;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** What the report shows. */
export interface ReportInput {
  scenario: Scenario;
  runs: readonly ExportRun[];
  /** Time the runs reached, seconds. */
  atS: number;
  /** Charts as standalone SVG markup (already self-contained: inline styles, no external references). */
  charts: { title: string; svg: string }[];
  /** Stated numbers of a preset with their outcome, if the scenario is a preset. */
  checks?: { text: string; line: string; pass: boolean }[];
  /** Plain-words comparison lines. */
  callouts?: string[];
  /** The share link that reopens this comparison. */
  link?: string;
}

const ROWS: [string, (s: Summary) => number, (v: number) => string][] = [
  ['GPU allocation (time-average)', (s) => s.allocationPct, (v) => `${v.toFixed(1)} %`],
  ['GPU utilization (time-average)', (s) => s.utilizationPct, (v) => `${v.toFixed(1)} %`],
  ['GPU memory booked', (s) => s.gpuMemBookedPct, (v) => `${v.toFixed(1)} %`],
  ['GPU memory really used', (s) => s.gpuMemUsedPct, (v) => `${v.toFixed(1)} %`],
  ['Stranded GPUs (mean)', (s) => s.strandedGpusAvg, (v) => v.toFixed(2)],
  ['Fragmented GPUs (mean)', (s) => s.fragmentedGpusAvg, (v) => (v < 0 ? '—' : v.toFixed(2))],
  ['Pods bound', (s) => s.podsBound, (v) => String(v)],
  ['Pods pending at end', (s) => s.podsPendingAtEnd, (v) => String(v)],
  ['Mean wait (pods still pending count with their wait so far)', (s) => s.meanWaitS, (v) => `${v.toFixed(0)} s`],
  ['Pods never started', (s) => s.podsNeverStarted, (v) => String(v)],
  ['Training jobs completed', (s) => s.training.completed, (v) => String(v)],
  ['Training slowdown (mean)', (s) => s.training.meanSlowdown, (v) => v.toFixed(2)],
  ['Inference SLO attainment', (s) => s.inference.sloAttainmentPct, (v) => `${v.toFixed(1)} %`],
  ['Inference p99 latency', (s) => s.inference.p99LatencyMs, (v) => (v < 0 ? 'saturated' : `${v.toFixed(0)} ms`)],
  ['Agent burst latency (mean)', (s) => s.agents.meanBurstLatencyS, (v) => `${v.toFixed(1)} s`],
  ['Cost', (s) => s.cost.totalUsd, (v) => `$${v.toFixed(2)}`],
  ['Cost per useful GPU-hour', (s) => s.cost.costPerUsefulGpuHourUsd, (v) => (v < 0 ? '—' : `$${v.toFixed(2)}`)],
];

/**
 * A self-contained HTML report of a comparison: opens offline, prints on A4/Letter, no script. Exported before
 * the runs started (t = 0) it says it is empty instead of showing a table of zeros.
 */
export function reportHtml(r: ReportInput): string {
  const e = escapeHtml;
  const empty = r.atS <= 0;
  const hours = (r.atS / 3600).toFixed(r.atS % 3600 === 0 ? 0 : 1);
  const head = r.runs.map((x) => `<th scope="col">${e(x.label)}</th>`).join('');
  const body = ROWS.map(([name, get, fmt]) => `<tr><th scope="row">${e(name)}</th>${r.runs.map((x) => `<td>${e(fmt(get(x.summary)))}</td>`).join('')}</tr>`).join('\n');
  const checks = r.checks?.length
    ? `<h2>Stated numbers</h2><ul class="checks">${r.checks.map((c) => `<li class="${c.pass ? 'pass' : 'fail'}"><span aria-hidden="true">${c.pass ? '✓' : '✗'}</span> ${e(c.text)} — ${e(c.line)}</li>`).join('')}</ul>`
    : '';
  const callouts = r.callouts?.length ? `<ul class="callouts">${r.callouts.map((c) => `<li>${e(c)}</li>`).join('')}</ul>` : '';
  const charts = r.charts.map((c) => `<figure>${c.svg}<figcaption>${e(c.title)}</figcaption></figure>`).join('\n');
  const link = r.link ? `<p>Reopen this comparison: <a href="${e(r.link)}">${e(r.link.length > 90 ? `${r.link.slice(0, 90)}…` : r.link)}</a></p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(r.scenario.name)} — Slicebench report</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #111; background: #fff; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.3rem; } h2 { font-size: 1.15rem; margin: 1.6rem 0 0.5rem; }
.meta { color: #444; } table { border-collapse: collapse; width: 100%; } th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #ccc; text-align: right; }
th[scope=row] { text-align: left; font-weight: 500; } thead th { border-bottom: 2px solid #333; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 1rem; } figure { margin: 0; } figcaption { font-size: 0.85rem; color: #333; }
figure svg { width: 100%; height: auto; background: #0d1117; border-radius: 4px; }
.empty { padding: 0.6rem; border: 2px solid #b3261e; } .checks { list-style: none; padding: 0; } .checks li { padding: 0.15rem 0; } .pass span { color: #0a7a2f; } .fail span { color: #b3261e; }
pre { background: #f4f4f4; padding: 0.6rem; overflow: auto; font-size: 0.8rem; max-height: 24rem; }
@media print { pre { max-height: none; } a { color: inherit; } }
</style>
</head>
<body>
<h1>${e(r.scenario.name)}</h1>
<p class="meta">Slicebench comparison, seed ${r.scenario.sim.seed}, at ${hours} h of ${(r.scenario.sim.durationS / 3600).toFixed(1)} h simulated. Numbers come from a deterministic simulation, not from a real cluster.</p>
${r.scenario.description ? `<p>${e(r.scenario.description)}</p>` : ''}
${link}
${empty ? `<p class="empty"><strong>This report is empty:</strong> it was exported at 0 h, before the runs started, so there are no results yet. Play the runs (or press End to run them to the end) and export the report again.</p>` : `${callouts}
<h2>Summary</h2>
<table><thead><tr><th scope="col">Metric</th>${head}</tr></thead><tbody>
${body}
</tbody></table>
${checks}
<h2>Charts</h2>
<div class="charts">
${charts}
</div>`}
<h2>Scenario</h2>
<pre>${e(JSON.stringify(r.scenario, null, 2))}</pre>
</body>
</html>
`;
}
