/** The Export menu's actions: gather the runs and views on screen, build the file, download it. */
import type { Scenario } from '../../scenario/types.ts';
import { scenarioFileName, scenarioToJson } from './scenarioFile.ts';
import { reportHtml, runsJson, seriesCsv, summaryCsv, type ExportRun } from './exportData.ts';
import { canvasToPng, combineSvgs, downloadBlob, downloadText, standaloneSvg, svgSize, svgToPng } from './exportDom.ts';
import { shareCtx } from './controller.ts';
import { appChecks } from './ShareTools.tsx';
import { describeCheck } from './presetManifest.ts';

function ctx() {
  const c = shareCtx();
  if (!c) throw new Error('the app has not started yet');
  return c;
}

function scenario(): Scenario {
  return ctx().wb.ws.scenario;
}

/** The runs on screen (summary and series at the current time). */
export function currentRuns(): ExportRun[] {
  const { wb } = ctx();
  const L = wb.layout();
  const f = wb.frame();
  if (!L || !f) throw new Error('no run is loaded');
  return L.runs.map((r, i) => ({ label: r.label, profile: r.profile, summary: f.runs[i].summary, series: wb.series()[i] ?? [], traceHash: f.runs[i].traceHash }));
}

function themeColors(): { bg: string; fg: string } {
  const app = document.querySelector('.app') ?? document.body;
  const cs = getComputedStyle(app);
  return { bg: cs.getPropertyValue('--bg').trim() || '#0d1117', fg: cs.getPropertyValue('--fg').trim() || '#f0f3f6' };
}

/** Every chart on screen as standalone SVG with its title. */
export function chartSvgs(): { title: string; svg: string; width: number; height: number }[] {
  const { bg } = themeColors();
  return [...document.querySelectorAll<HTMLElement>('.charts figure.chart')]
    .map((fig) => {
      const svg = fig.querySelector<SVGSVGElement>(':scope > svg');
      if (!svg) return null;
      const title = fig.querySelector('figcaption')?.firstChild?.textContent?.trim() ?? 'chart';
      return { title, svg: standaloneSvg(svg, bg), ...svgSize(svg) };
    })
    .filter((x): x is NonNullable<typeof x> => x !== null);
}

const stamp = (): string => {
  const f = ctx().wb.frame();
  return f ? `-t${Math.round(f.tS)}s` : '';
};

/** Downloads all charts as one SVG or PNG. */
export async function exportCharts(kind: 'svg' | 'png'): Promise<void> {
  const charts = chartSvgs();
  if (charts.length === 0) throw new Error('no chart to export');
  const { bg, fg } = themeColors();
  const svg = combineSvgs(charts, 2, bg, fg);
  const base = scenarioFileName(scenario(), '').replace(/\.$/, '');
  if (kind === 'svg') return downloadText(`${base}-charts${stamp()}.svg`, svg, 'image/svg+xml');
  const m = /width="(\d+)" height="(\d+)"/.exec(svg)!;
  downloadBlob(`${base}-charts${stamp()}.png`, await svgToPng(svg, Number(m[1]), Number(m[2])));
}

/** Downloads the cluster views (one per run): SVG when drawn as SVG, PNG always (a canvas view is wrapped for SVG). */
export async function exportCluster(kind: 'svg' | 'png'): Promise<void> {
  const { bg, fg } = themeColors();
  const L = ctx().wb.layout();
  const items: { title: string; svg: string; width: number; height: number }[] = [];
  const views = [...document.querySelectorAll<HTMLElement>('.cluster-view')];
  if (views.length === 0) throw new Error('no cluster view on screen');
  for (const [i, v] of views.entries()) {
    const title = L?.runs[i]?.label ?? `run ${i + 1}`;
    const svg = v.querySelector<SVGSVGElement>(':scope > svg');
    const canvas = v.querySelector<HTMLCanvasElement>(':scope > canvas');
    if (svg) items.push({ title, svg: standaloneSvg(svg, bg), ...svgSize(svg) });
    else if (canvas) {
      const png = await canvasToPng(canvas);
      const data = await new Promise<string>((ok) => {
        const r = new FileReader();
        r.onload = () => ok(String(r.result));
        r.readAsDataURL(png);
      });
      const w = canvas.clientWidth || canvas.width;
      const h = canvas.clientHeight || canvas.height;
      items.push({ title, svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><image href="${data}" width="${w}" height="${h}"/></svg>`, width: w, height: h });
    }
  }
  const svg = combineSvgs(items, 1, bg, fg);
  const base = scenarioFileName(scenario(), '').replace(/\.$/, '');
  if (kind === 'svg') return downloadText(`${base}-cluster${stamp()}.svg`, svg, 'image/svg+xml');
  const m = /width="(\d+)" height="(\d+)"/.exec(svg)!;
  downloadBlob(`${base}-cluster${stamp()}.png`, await svgToPng(svg, Number(m[1]), Number(m[2])));
}

/** Downloads data: series or summary CSV, results JSON, the scenario JSON, or the HTML report. */
export function exportData(kind: 'series-csv' | 'summary-csv' | 'results-json' | 'scenario-json' | 'report-html'): void {
  const s = scenario();
  const base = scenarioFileName(s, '').replace(/\.$/, '');
  if (kind === 'scenario-json') return downloadText(scenarioFileName(s), scenarioToJson(s), 'application/json');
  const runs = currentRuns();
  if (kind === 'series-csv') return downloadText(`${base}-series.csv`, seriesCsv(runs), 'text/csv');
  if (kind === 'summary-csv') return downloadText(`${base}-summary.csv`, summaryCsv(runs), 'text/csv');
  if (kind === 'results-json') return downloadText(`${base}-results.json`, runsJson(s, runs), 'application/json');
  const c = ctx();
  const cur = c.current();
  const checks = cur ? appChecks(c, cur.entry, cur.variant).results.filter((r) => r.actual !== undefined).map((r) => ({ text: r.expect.text, line: describeCheck(r), pass: r.pass })) : undefined;
  const callouts = [...document.querySelectorAll('.callouts li, .compare li')].map((li) => li.textContent?.trim() ?? '').filter(Boolean);
  const html = reportHtml({ scenario: s, runs, atS: c.wb.frame()?.tS ?? 0, charts: chartSvgs().map(({ title, svg }) => ({ title, svg })), checks, callouts, link: c.shareUrl() });
  downloadText(`${base}-report.html`, html, 'text/html');
}
