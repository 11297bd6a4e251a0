/**
 * "Import the real trace" in Chromium: small generated openb CSVs go through the dialog (page.setInputFiles
 * with buffers), a malformed one shows its line and keeps the scenario, the replay runs to the same traceHash
 * as a Node run of the same conversion; long runs show progress and can be cancelled; the Cluster tab's two
 * node-count controls have distinct names; the engine badge shows its whole line on focus; the exact replay of one
 * of the authors' published runs (their files, read from ../shared/data) equals their expected CSV at every row.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openbImportScenario, type OpenbImportOptions } from '../../src/io/openbScenario.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate } from '../../src/sim/simulation.ts';
import { describeBrowser, finished, metric, waitLoaded } from './harness.ts';
import { SHARED_DATA } from '../../scripts/openbExpectedLib.ts';

const NODE_HEADER = 'sn,cpu_milli,memory_mib,gpu,model';
const POD_HEADER = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';

/**
 * `count` nodes cycling through openb-like shapes (8×G2, 4×T4, 2×P100, CPU-only). `distinct`: every node gets its
 * own CPU size, so no two are identical (no shared evaluations: a slow run, for the progress test).
 */
function nodeCsv(count: number, distinct = false): string {
  const shapes = ['786432,8,G2', '262144,4,T4', '262144,2,P100', '131072,0,'];
  const cpu = (i: number): number => (distinct ? 64000 + i * 100 : [96000, 64000, 64000, 32000][i % 4]);
  return [NODE_HEADER, ...Array.from({ length: count }, (_, i) => `node-${String(i).padStart(4, '0')},${cpu(i)},${shapes[i % shapes.length]}`)].join('\n');
}

/** `count` pods cycling through shapes like the trace's: sharing, whole, 2- and 8-GPU, CPU-only, a gpu_spec. */
function podCsv(count: number): string {
  const shapes = ['6000,12288,1,460,', '12000,24576,1,1000,', '8000,16384,1,250,T4|P100', '16000,65536,2,1000,', '32000,131072,8,1000,G2', '4000,8192,0,0,', '4000,8192,1,500,'];
  return [POD_HEADER, ...Array.from({ length: count }, (_, i) => `pod-${String(i).padStart(5, '0')},${shapes[i % shapes.length]},LS,Running,${i * 60},${i * 60 + 7200},${i * 60}`)].join('\n');
}

function scenarioOf(nodes: string, pods: string, o: OpenbImportOptions): Scenario {
  const r = parseScenario(JSON.parse(JSON.stringify(openbImportScenario(nodes, pods, o).scenario)));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

async function clock(page: Page): Promise<[string, string]> {
  const [now, end] = ((await page.locator('output[aria-label="Simulated time"]').textContent()) ?? '').split(' / ');
  return [now, end];
}

/** Chooses both files in the open dialog. */
async function chooseFiles(page: Page, nodes: string, pods: string, podName = 'pods.csv'): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Import the real trace (openb)' });
  await dialog.getByLabel('Node list CSV file').setInputFiles({ name: 'nodes.csv', mimeType: 'text/csv', buffer: Buffer.from(nodes) });
  await dialog.getByLabel('Pod list CSV file').setInputFiles({ name: podName, mimeType: 'text/csv', buffer: Buffer.from(pods) });
}

describeBrowser('openb import in Chromium', {}, (w) => {
  it('a malformed pod CSV: the dialog shows the error with its line and the current scenario stays', async () => {
    await w.page.getByRole('button', { name: 'Import real trace…' }).click();
    const dialog = w.page.getByRole('dialog', { name: 'Import the real trace (openb)' });
    await dialog.waitFor();
    // The first file input has the focus (keyboard users start there).
    await expect(w.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Node list CSV file');
    const bad = `${podCsv(3)}\npod-x,4000,8192,2,300,,LS,Running,0,1,0`;
    await chooseFiles(w.page, nodeCsv(4), bad, 'bad-pods.csv');
    await dialog.getByRole('button', { name: 'Import and load' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    // Header + 3 pods = lines 1–4: the bad row is line 5.
    await expect(alert.textContent()).resolves.toContain('bad-pods.csv: line 5: gpu_milli: must be 1000 when num_gpu > 1');
    await expect(alert.textContent()).resolves.toContain('the current scenario is kept');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(w.page.getByRole('dialog').count()).resolves.toBe(0);
    await w.page.getByRole('heading', { name: 'Small mixed cluster' }).waitFor();
  });

  it('replay: imports, preselects fgd/packing/bestfit/random, and runs to the traceHash of a Node run', async () => {
    const nodes = nodeCsv(24);
    const pods = podCsv(120);
    await w.page.getByRole('button', { name: 'Import real trace…' }).click();
    const dialog = w.page.getByRole('dialog', { name: 'Import the real trace (openb)' });
    await chooseFiles(w.page, nodes, pods);
    for (const p of ['fgd', 'packing', 'bestfit', 'random']) await expect(dialog.getByRole('checkbox', { name: `Compare ${p}` }).isChecked()).resolves.toBe(true);
    // Four chosen: the others are disabled until one is unticked.
    await expect(dialog.getByRole('checkbox', { name: 'Compare dotprod' }).isDisabled()).resolves.toBe(true);
    await dialog.getByRole('spinbutton', { name: 'Keep every k-th node' }).fill('2');
    await dialog.getByRole('spinbutton', { name: 'Keep every k-th pod' }).fill('1');
    await dialog.getByRole('spinbutton', { name: 'Seed of the replay shuffle and tie-breaks' }).fill('7');
    await dialog.getByRole('button', { name: 'Import and load' }).click();
    await waitLoaded(w.page, 'openb replay: pods.csv');
    await expect(w.page.getByRole('dialog').count()).resolves.toBe(0);
    await expect(w.page.getByRole('combobox', { name: 'Preset scenario' }).inputValue()).resolves.toBe('');
    await expect(w.page.locator('.scenario-title .hint').textContent()).resolves.toContain('every 2nd node (12 of 24)');
    expect(await w.page.getByRole('region', { name: /^Run / }).count()).toBe(4);
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page, 60_000);
    const sc = scenarioOf(nodes, pods, { mode: 'replay', seed: 7, profiles: ['fgd', 'packing', 'bestfit', 'random'], nodeEvery: 2, podEvery: 1, nodeFile: 'nodes.csv', podFile: 'pods.csv' });
    for (const [i, p] of ['fgd', 'packing', 'bestfit', 'random'].entries()) {
      const node = simulate(sc, { schedulerIndex: i });
      expect(await metric(w.page, p, 'traceHash')).toBe(node.traceHash);
      expect(await metric(w.page, p, 'alloc')).toBe(`${node.summary.allocationPct.toFixed(1)}%`);
    }
  });

  it('opens from the Workloads tab; real arrival times with a compression factor; Escape closes and gives the focus back', async () => {
    await w.page.getByRole('tab', { name: 'Workloads' }).click();
    const opener = w.page.getByRole('button', { name: 'Import the openb trace…' });
    await opener.click();
    const dialog = w.page.getByRole('dialog', { name: 'Import the real trace (openb)' });
    await dialog.waitFor();
    await w.page.keyboard.press('Escape');
    await expect(w.page.getByRole('dialog').count()).resolves.toBe(0);
    await expect(w.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Import the openb trace…');
    await w.page.keyboard.press('Enter');
    await dialog.waitFor();
    const nodes = nodeCsv(8);
    const pods = podCsv(50);
    await chooseFiles(w.page, nodes, pods, 'timed.csv');
    await dialog.getByRole('radio', { name: /Real arrival times/ }).check();
    await dialog.getByRole('spinbutton', { name: /Compression factor/ }).fill('60');
    await dialog.getByRole('spinbutton', { name: 'Keep every k-th node' }).fill('1');
    await dialog.getByRole('spinbutton', { name: 'Keep every k-th pod' }).fill('1');
    await dialog.getByRole('checkbox', { name: 'Compare random' }).uncheck();
    await dialog.getByRole('checkbox', { name: 'Compare bestfit' }).uncheck();
    await dialog.getByRole('button', { name: 'Import and load' }).click();
    await waitLoaded(w.page, 'openb arrivals: timed.csv');
    // Pod i arrives at 60·i s and leaves 7,200 s later: compressed 60× → i and i + 120; the last (49) leaves at 169 → 170 w.s.
    await expect(clock(w.page)).resolves.toEqual(['0:00:00', '0:02:50']);
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page, 60_000);
    expect(await w.page.getByRole('region', { name: /^Run / }).count()).toBe(2);
    const sc = scenarioOf(nodes, pods, { mode: 'arrivals', seed: 42, profiles: ['fgd', 'packing'], compression: 60, nodeEvery: 1, podEvery: 1, nodeFile: 'nodes.csv', podFile: 'timed.csv' });
    for (const [i, p] of ['fgd', 'packing'].entries()) expect(await metric(w.page, p, 'traceHash')).toBe(simulate(sc, { schedulerIndex: i }).traceHash);
  });

  it('a long run shows progress and Cancel; cancelling leaves a usable state that runs on to the Node result', async () => {
    const nodes = nodeCsv(600, true);
    const pods = podCsv(4000);
    await w.page.getByRole('button', { name: 'Import real trace…' }).click();
    const dialog = w.page.getByRole('dialog', { name: 'Import the real trace (openb)' });
    await chooseFiles(w.page, nodes, pods, 'big.csv');
    await dialog.getByRole('spinbutton', { name: 'Keep every k-th node' }).fill('1');
    await dialog.getByRole('spinbutton', { name: 'Keep every k-th pod' }).fill('1');
    await dialog.getByRole('spinbutton', { name: 'Seed of the replay shuffle and tie-breaks' }).fill('3');
    await dialog.getByRole('button', { name: 'Import and load' }).click();
    await waitLoaded(w.page, 'openb replay: big.csv');
    const [, end] = await clock(w.page);
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    const progress = w.page.getByRole('region', { name: 'Long run in progress' });
    await progress.waitFor({ timeout: 10_000 });
    await expect(progress.getByRole('progressbar').count()).resolves.toBe(1);
    await progress.getByRole('button', { name: 'Cancel the long run' }).click();
    await progress.waitFor({ state: 'detached' });
    const [now] = await clock(w.page);
    expect(now).not.toBe(end);
    expect(now).not.toBe('0:00:00');
    // Usable: it runs on to the end, to the same result as a Node run.
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page, 60_000);
    const sc = scenarioOf(nodes, pods, { mode: 'replay', seed: 3, profiles: ['fgd', 'packing', 'bestfit', 'random'], nodeEvery: 1, podEvery: 1, nodeFile: 'nodes.csv', podFile: 'big.csv' });
    const node = simulate(sc, { schedulerIndex: 1 });
    expect(await metric(w.page, 'packing', 'traceHash')).toBe(node.traceHash);
    // A jump back replays from the start; cancelling it keeps the end state.
    await w.page.getByRole('slider', { name: 'Timeline' }).fill('60');
    await progress.waitFor({ timeout: 10_000 }).then(
      // The replay may also end between the bar showing and the click landing: nothing left to cancel then.
      () => progress.getByRole('button', { name: 'Cancel the long run' }).click({ timeout: 5_000 }).catch(() => undefined),
      () => undefined, // a fast machine may replay 60 s in under 300 ms: nothing to cancel
    );
    await w.page.waitForFunction(() => !document.querySelector('[aria-label="Long run in progress"]'));
  });

  it("exact replay of a published run: chart and two-decimal table, equal at 131 of 131 rows to the authors' CSV; a bad CSV names its line", async () => {
    await w.page.getByRole('button', { name: 'Import real trace…' }).click();
    const dialog = w.page.getByRole('dialog', { name: 'Import the real trace (openb)' });
    // The authors' node list and their smallest pod list, read where they lie (../shared/data/openb).
    await dialog.getByLabel('Node list CSV file').setInputFiles(`${SHARED_DATA}openb/openb_node_list_gpu_node.csv`);
    await dialog.getByLabel('Pod list CSV file').setInputFiles(`${SHARED_DATA}openb/openb_pod_list_multigpu20.csv`);
    await dialog.getByRole('combobox', { name: 'Policy of the exact replay' }).selectOption('packing');
    await dialog.getByRole('spinbutton', { name: 'Seed of the replay shuffle and tie-breaks' }).fill('42');
    await dialog.getByRole('button', { name: 'Replay as the artifact (exact)' }).click();
    const result = dialog.getByRole('region', { name: 'Exact replay result' });
    await result.waitFor({ timeout: 60_000 });
    await expect(result.locator('.openb-exact-summary').textContent()).resolves.toContain('packing, seed 42, Go');
    await expect(result.getByRole('img', { name: /allocation \(packing\) [\d.]+ at 130%/ }).count()).resolves.toBe(1);
    const table = result.getByRole('region', { name: 'Exact replay table' });
    await expect(table.locator('tbody tr').count()).resolves.toBe(131);
    await expect(table.locator('tbody tr').first().locator('td').first().textContent()).resolves.toMatch(/^\d+\.\d\d$/);
    await dialog.getByLabel("Authors' expected allocation CSV (analysis_allo_discrete.csv)").setInputFiles(`${SHARED_DATA}openb-expected/analysis_allo_discrete.csv`);
    await expect(result.getByRole('list', { name: 'Comparison with the published run' }).textContent()).resolves.toContain('Allocation: equal at 131 of 131 rows');
    await expect(table.getByRole('columnheader', { name: 'Published allocation %' }).count()).resolves.toBe(1);
    // A malformed expected CSV: its line named, the replay and the loaded comparison kept.
    await dialog.getByLabel("Authors' expected fragmented-GPU CSV (analysis_frag_discrete.csv)").setInputFiles({ name: 'frag.csv', mimeType: 'text/csv', buffer: Buffer.from('workload,sc_policy,tune,seed,0\nx,01-Random,1.3,42,1\n') });
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain('frag.csv: line 1: column 6 must be "1"');
    await expect(result.getByRole('list', { name: 'Comparison with the published run' }).textContent()).resolves.toContain('equal at 131 of 131 rows');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(w.page.getByRole('dialog').count()).resolves.toBe(0);
  });

  it('the Cluster tab names its two node-count controls apart; the engine badge shows the whole line on focus and in help', async () => {
    await w.page.getByRole('combobox', { name: 'Preset scenario' }).selectOption('small-mixed');
    await waitLoaded(w.page, 'Small mixed cluster');
    await w.page.getByRole('tab', { name: 'Cluster' }).click();
    const pool = (await w.page.locator('fieldset.pool legend').first().textContent())?.replace(/^Pool /, '') ?? '';
    await expect(w.page.getByRole('spinbutton', { name: `Node count of pool ${pool} (drag, scroll or arrow keys)`, exact: true }).count()).resolves.toBe(1);
    await expect(w.page.getByRole('spinbutton', { name: `Nodes in pool ${pool} (type an exact number)`, exact: true }).count()).resolves.toBe(1);
    await expect(w.page.locator('fieldset.pool').first().getByText('Exact count', { exact: true }).isVisible()).resolves.toBe(true);
    const badge = w.page.getByRole('status', { name: /^Engine: / });
    const full = ((await badge.getAttribute('aria-label')) ?? '').replace(/^Engine: /, '');
    // The panel (the whole line, then the engine choice) is visually hidden until the badge has focus or hover.
    const panel = w.page.locator('.engine-menu .badge-tip');
    const panelWidth = async (): Promise<number> => (await panel.boundingBox())?.width ?? 0;
    await expect(panelWidth()).resolves.toBeLessThanOrEqual(1);
    await badge.focus();
    await expect(panelWidth()).resolves.toBeGreaterThan(100);
    await expect(panel.locator('.badge-line').textContent()).resolves.toBe(full);
    await expect(panel.getByRole('group', { name: 'Engine' }).getByRole('button').count()).resolves.toBe(3);
    // The toolbar's text stays short: the engine and a few words.
    expect(((await badge.locator('.badge-reason').textContent()) ?? '').length).toBeLessThanOrEqual(24);
    await w.page.locator('h2').first().click();
    await w.page.keyboard.press('?');
    await expect(w.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).textContent()).resolves.toContain(full);
    await w.page.keyboard.press('Escape');
    expect(w.s.problems).toEqual([]);
  });
});
