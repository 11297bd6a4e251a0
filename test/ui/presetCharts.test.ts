/**
 * The gallery's claim charts: public/preset-charts.json holds the real simulated numbers of every preset's claim
 * metric (scripts/presetCharts.ts), and each thumbnail draws them, one bar per run, so no two look alike.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CHARTS_FILE, computePresetCharts } from '../../scripts/presetChartsLib.ts';
import { chartLine, claimChartSvg, type PresetChartsFile } from '../../src/ui/share/claimChart.ts';
import type { PresetEntry } from '../../src/ui/share/presetManifest.ts';

const shipped = JSON.parse(readFileSync(CHARTS_FILE, 'utf8')) as PresetChartsFile;

describe('preset charts', () => {
  it('public/preset-charts.json is up to date (else: npx tsx scripts/presetCharts.ts)', () => {
    expect(shipped).toEqual(computePresetCharts());
  });

  it('shows the claim: nvlink-placement charts training slowdown, gang-deadlock the jobs finished', () => {
    expect(shipped.charts['nvlink-placement']).toMatchObject({ metric: 'summary.training.meanSlowdown', bars: [{ label: 'hami-topology' }, { label: 'hami-spread' }, { label: 'k8s-default' }] });
    const [topo, spread] = shipped.charts['nvlink-placement'].bars;
    expect(spread.value).toBeGreaterThan(1.3 * topo.value);
    expect(shipped.charts['gang-deadlock'].bars.map((b) => b.value)).toEqual([0, 2]);
    // A one-scheduler preset with a variant charts the variant: cpu-starved, stranded GPUs with 96 and 192 cores.
    expect(shipped.charts['cpu-starved'].bars.map((b) => b.label)).toEqual(['k8s-default', '192 cores per GPU node']);
  });

  it('picks the first line comparing two runs, else the first line', () => {
    const e = (over: Partial<PresetEntry['expect'][number]>): PresetEntry['expect'][number] => ({ metric: 'summary.allocationPct', profile: 'a', op: '>', value: 1, text: 't', ...over });
    const entry = (expect: PresetEntry['expect']): PresetEntry => ({ id: 'x', file: 'x.json', title: 'x', explanation: 'A. B.', claim: 1, profiles: ['a', 'b'], expect });
    const cmp = e({ metric: 'summary.training.meanSlowdown', value: undefined, than: { profile: 'b' } });
    expect(chartLine(entry([e({}), cmp]))).toBe(cmp);
    expect(chartLine(entry([e({ text: 'first' }), e({ than: { metric: 'summary.utilizationPct' }, value: undefined })])).text).toBe('first');
  });

  it('draws one bar per run, as long as its value, and a text alternative with the numbers', () => {
    const svg = claimChartSvg({ metric: 'summary.training.meanSlowdown', text: 'Spread placement makes jobs markedly slower', bars: [{ label: 'topo', value: 1 }, { label: 'spread', value: 2 }] });
    const widths = [...svg.matchAll(/<rect x="92" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    // The longest bar spans 240 − 92 − 52 = 96 px; half the value, half the length.
    expect(widths).toEqual([48, 96]);
    expect(svg).toContain('aria-label="Training time, × ideal: topo 1.00×, spread 2.00×. Spread placement makes jobs markedly slower"');
  });

  it('no two presets have the same thumbnail', () => {
    const svgs = Object.values(shipped.charts).map(claimChartSvg);
    expect(new Set(svgs).size).toBe(svgs.length);
  });
});
