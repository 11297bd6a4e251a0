/**
 * CSV exports (issue 19 item 5): a run label that looks like a formula is written as text (a leading '), numbers as
 * they are, and RFC 4180 quoting still applies.
 */
import { describe, expect, it } from 'vitest';
import { csvField, seriesCsv, summaryCsv, type ExportRun } from '../../src/ui/share/exportData.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { readFileSync } from 'node:fs';

describe('csvField', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['plain, with comma', '"plain, with comma"'],
    ['k8s-default', 'k8s-default'],
  ])('text %j → %j', (v, want) => {
    expect(csvField(v)).toBe(want);
  });

  it('writes numbers as numbers (−1 stays −1; non-finite is empty)', () => {
    expect(csvField(-1)).toBe('-1');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(Infinity)).toBe('');
  });

  it('a run named like a formula is text in both exports', () => {
    const r = parseScenario(JSON.parse(readFileSync(new URL('../../public/scenarios/whole-gpu-waste.json', import.meta.url), 'utf8')));
    if (!r.ok) throw new Error(r.errors.join('; '));
    const out = simulate(r.scenario);
    const run: ExportRun = { label: '=cmd|"/c calc"!A1', profile: 'k8s-default', summary: out.summary, series: out.series };
    for (const csv of [seriesCsv([run]), summaryCsv([run])]) {
      const row = csv.split('\r\n')[1];
      expect(row.startsWith(`"'=cmd|""/c calc""!A1",k8s-default,`)).toBe(true);
    }
  });
});
