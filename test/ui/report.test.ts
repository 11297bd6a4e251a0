/** The HTML report (src/ui/share/exportData.ts): a report exported before the runs started says it is empty. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { reportHtml, type ExportRun } from '../../src/ui/share/exportData.ts';

const r = parseScenario(JSON.parse(readFileSync(new URL('../../public/scenarios/gang-deadlock.json', import.meta.url), 'utf8')));
if (!r.ok) throw new Error(r.errors.join());
const scenario = r.scenario;
const done = simulate(scenario);
const run: ExportRun = { label: 'k8s-default', profile: 'k8s-default', traceHash: done.traceHash, summary: done.summary, series: done.series };

describe('reportHtml', () => {
  it('at t = 0 says the report is empty and shows no table of zeros', () => {
    const html = reportHtml({ scenario, runs: [{ ...run, series: [] }], atS: 0, charts: [], callouts: [] });
    expect(html).toContain('This report is empty');
    expect(html).not.toContain('<h2>Summary</h2>');
    // The scenario is still there, so the report says what would have run.
    expect(html).toContain('<h2>Scenario</h2>');
  });

  it('after the runs it has the summary, with the pods that never started', () => {
    const html = reportHtml({ scenario, runs: [run], atS: scenario.sim.durationS, charts: [] });
    expect(html).not.toContain('This report is empty');
    expect(html).toContain('<h2>Summary</h2>');
    // gang-deadlock under the default scheduler: half of each job's workers never start (2 jobs × 2 workers).
    expect(html).toMatch(/<th scope="row">Pods never started<\/th><td>4<\/td>/);
  });
});
