/**
 * The gallery's claim charts (src/ui/share/claimChart.ts): simulates every preset's runs and writes the claim's
 * metric per scheduler to public/preset-charts.json. Run after a model change or a preset edit (the pins move
 * then too); test/ui/presetCharts.test.ts fails while the file is out of date.
 *   npx tsx scripts/presetCharts.ts
 */
import { writeFileSync } from 'node:fs';
import { CHARTS_FILE, computePresetCharts } from './presetChartsLib.ts';

const charts = computePresetCharts();
writeFileSync(CHARTS_FILE, `${JSON.stringify(charts, null, 1)}\n`);
console.log(`wrote ${CHARTS_FILE.pathname}: ${Object.keys(charts.charts).length} presets`);
