/** Computing the gallery's claim charts (scripts/presetCharts.ts writes them, test/ui/presetCharts.test.ts checks them). */
import { readFileSync } from 'node:fs';
import { parseScenario } from '../src/scenario/validate.ts';
import { simulate } from '../src/sim/simulate.ts';
import { chartLine, chartRuns, type PresetChartsFile } from '../src/ui/share/claimChart.ts';
import { metricValue, parseManifest, schedulerIndex, variantScenario } from '../src/ui/share/presetManifest.ts';

const dir = new URL('../public/scenarios/', import.meta.url);

/** Where the charts live (served with the app, read by the gallery). */
export const CHARTS_FILE = new URL('../public/preset-charts.json', import.meta.url);

/** Simulates each preset's chart runs and reads the claim's metric from each. */
export function computePresetCharts(): PresetChartsFile {
  const m = parseManifest(JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')));
  if (!m.ok) throw new Error(`index.json: ${m.errors.join('; ')}`);
  const charts: PresetChartsFile['charts'] = {};
  for (const entry of m.manifest.presets) {
    const r = parseScenario(JSON.parse(readFileSync(new URL(entry.file, dir), 'utf8')));
    if (!r.ok) throw new Error(`${entry.file}: ${r.errors.join('; ')}`);
    const line = chartLine(entry);
    const bars = chartRuns(entry).map((run) => {
      const v = variantScenario(r.scenario, entry, run.variant);
      if (!v.ok) throw new Error(`${entry.id}: ${v.error}`);
      const res = simulate(v.value, { schedulerIndex: schedulerIndex(v.value, run.profile) });
      const value = metricValue({ summary: res.summary, series: res.series }, line.metric);
      if (value === undefined) throw new Error(`${entry.id}: ${line.metric} has no value`);
      return { label: run.label, value: Number(value.toPrecision(6)) };
    });
    charts[entry.id] = { metric: line.metric, text: line.text, bars };
  }
  return { version: 1, charts };
}
