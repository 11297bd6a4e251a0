/**
 * Plan mode in Chromium against the built dist/: a plan preset opens straight into Plan mode; Run shows progress
 * (a progressbar with replicas done, ETA, the engine and throughput) and fills the "Plan answer" region; the rows a
 * pool of Web Workers computed equal a Node run of the same grid, row digest for row digest, and the answer the
 * same; Cancel keeps the finished rows; the CSV and each chart export; a bad field shows its message and loses
 * nothing; the share link carries the plan (and Plan mode) and opens it again; after an openb replay import the paper
 * grid replays the trace under the six FGD policies × seeds and draws the bands a Node run gives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeShareHash } from '../../src/scenario/urlCodec.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { expandPlan, planAnswer, type PlanRow } from '../../src/plan/index.ts';
import { runPlanReplica } from '../../src/sim/planReplica.ts';
import { expandPaperGrid, paperBands, paperCsv, PAPER_POLICIES } from '../../src/plan/paperGrid.ts';
import { runPaperReplay } from '../../src/sim/paperReplay.ts';
import { parseOpenbNodes, parseOpenbPods } from '../../src/io/openb.ts';
import { describeBrowser, ROOT, waitLoaded } from './harness.ts';
import { importOpenb, smallOpenbCsv } from './openbImport.ts';

function preset(file: string): Scenario {
  const r = parseScenario(JSON.parse(readFileSync(join(ROOT, 'public/scenarios', file), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

/** Opens a preset from the picker and waits for Plan mode. */
async function openPlanPreset(page: Page, id: string, name: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Preset scenario' }).selectOption(id);
  await page.getByRole('heading', { name: `Plan: ${name}` }).waitFor({ timeout: 20_000 });
  expect(await page.getByRole('button', { name: 'Plan', exact: true }).getAttribute('aria-pressed')).toBe('true');
}

async function progressValue(page: Page): Promise<{ value: number; max: number }> {
  const bar = page.getByRole('progressbar');
  return { value: Number(await bar.getAttribute('value')), max: Number(await bar.getAttribute('max')) };
}

/** Downloads the rows as CSV and returns its lines (header first). */
async function csvLines(page: Page): Promise<string[]> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Export CSV/ }).click()]);
  expect(dl.suggestedFilename()).toMatch(/-plan\.csv$/);
  return readFileSync((await dl.path())!, 'utf8').trimEnd().split('\n');
}

describeBrowser('plan mode in Chromium', {}, (w) => {
  it('a plan preset opens in Plan mode, runs on the worker pool with progress, and answers as a Node run does', async () => {
    const page = w.page;
    await openPlanPreset(page, 'training-plan', 'Training gangs: how many 8-GPU nodes, default vs Volcano?');
    const s = preset('training-plan.json');
    const grid = expandPlan(s);
    await expect.poll(() => page.getByTestId('plan-size').textContent()).toMatch(new RegExp(`^${grid.replicas.length} replicas on \\d+ Web Workers?$`));
    await page.getByRole('button', { name: 'Run plan' }).click();
    const bar = page.getByRole('progressbar');
    await bar.waitFor();
    expect((await progressValue(page)).max).toBe(grid.replicas.length);
    await expect.poll(async () => (await progressValue(page)).value, { timeout: 120_000, interval: 250 }).toBe(grid.replicas.length);
    await page.getByText(/^done in /).waitFor();
    expect(await page.getByTestId('plan-engine').textContent()).toMatch(/^CPU, \d+ Web Workers?(?: \(no GPU: [^)]+\))? · [\d.]+k? replicas\/s · [\d.]+[kMG]? candidate evaluations\/s$/);

    // The same grid in Node, one replica after another: the browser's rows (any worker count, any order) equal it.
    const rows: PlanRow[] = grid.replicas.map((r) => runPlanReplica(s, grid, r, { seriesPoints: 96 }));
    const lines = await csvLines(page);
    const header = lines[0].split(',');
    const digest = header.indexOf('digest');
    const index = header.indexOf('index');
    expect(lines.length - 1).toBe(rows.length);
    expect(lines.slice(1).map((l) => [Number(l.split(',')[index]), l.split(',')[digest]])).toEqual(rows.map((r) => [r.index, r.digest]));

    const answer = page.getByRole('region', { name: 'Plan answer' });
    for (const a of planAnswer(grid, rows)) {
      const line = answer.locator(`li[data-profile="${a.profile}"]`);
      expect(await line.getAttribute('data-meets')).toBe(String(a.meets));
      if (a.meets) {
        expect(await line.locator('[data-metric="nodes"]').textContent()).toBe(`${a.nodes} nodes`);
        expect(await line.locator('[data-metric="gpus"]').textContent()).toBe(`${a.gpus} GPUs`);
      }
    }
    // Every chart has drawn and exports as SVG and PNG.
    const scaleChart = page.locator('[data-plan-chart="scale"] svg[role="img"]');
    expect(await scaleChart.getAttribute('aria-label')).toMatch(/mean and 95% band: .*k8s-default/);
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save Binding target heatmap as SVG' }).click()]);
    expect(readFileSync((await svg.path())!, 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Save .* over time as PNG$/ }).click()]);
    expect(readFileSync((await png.path())!).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(w.s.problems).toEqual([]);
  });

  it('a bad field shows its message at the field and loses nothing; the share link carries the plan into Plan mode', async () => {
    const page = w.page;
    const before = (await page.getByRole('button', { name: /^Export CSV/ }).textContent()) ?? '';
    const seeds = page.getByRole('textbox', { name: 'Seeds' });
    await seeds.fill('5..1');
    await seeds.press('Enter');
    await expect.poll(() => page.locator('#plan-seeds-error').textContent()).toBe('Seeds: range 5..1 ends before it starts');
    expect(await seeds.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('checkbox', { name: 'Plan with k8s-default' }).uncheck();
    await page.getByRole('checkbox', { name: 'Plan with volcano', exact: true }).uncheck();
    await page.getByText('Schedulers: pick at least one (the axis cannot be empty)').waitFor();
    // The rows computed are still there.
    expect(await page.getByRole('button', { name: /^Export CSV/ }).textContent()).toBe(before);
    await seeds.fill('1..3');
    await seeds.press('Enter');
    await expect.poll(() => page.getByTestId('plan-size').textContent()).toMatch(/^18 replicas/);

    await page.getByRole('button', { name: 'Share link' }).click();
    const url = await page.getByRole('textbox', { name: 'Share link URL' }).inputValue();
    const d = decodeShareHash(new URL(url).hash);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.state.scenario.plan?.seeds).toEqual({ from: 1, to: 3 });
    expect(d.state.scenario.plan?.profiles.map((p) => p.profile)).toEqual(['volcano']);
    expect(d.state.view.panel).toBe('plan');
    const other = await w.s.open();
    await other.goto('about:blank');
    await other.goto(url);
    await other.getByRole('heading', { name: 'Plan: Training gangs: how many 8-GPU nodes, default vs Volcano?' }).waitFor({ timeout: 20_000 });
    expect(await other.getByRole('textbox', { name: 'Seeds' }).inputValue()).toBe('1..3');
    expect(await other.getByRole('checkbox', { name: 'Plan with volcano', exact: true }).isChecked()).toBe(true);
    expect(await other.getByRole('checkbox', { name: 'Plan with k8s-default' }).isChecked()).toBe(false);
    await other.close();

    // A grid over the cap asks first: "Not now" runs nothing, agreeing runs all of it.
    const cap = page.getByRole('spinbutton', { name: 'Replica cap' });
    await cap.fill('5');
    await cap.press('Enter');
    await page.getByRole('button', { name: 'Run plan' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Grid over the cap' });
    await ask.getByText('This grid has 18 replicas, over the cap of 5. Run all of them?').waitFor();
    await ask.getByRole('button', { name: 'Not now' }).click();
    expect(await page.getByRole('button', { name: /^Export CSV/ }).textContent()).toBe(before);
    await page.getByRole('button', { name: 'Run plan' }).click();
    await ask.getByRole('button', { name: 'Run 18 replicas' }).click();
    await expect.poll(async () => (await progressValue(page)).value, { timeout: 60_000, interval: 250 }).toBe(18);
  });

  it('Cancel keeps the finished rows', async () => {
    const page = w.page;
    await openPlanPreset(page, 'chat-h100-plan', 'How many H100s for this chat service, whole GPUs vs slices?');
    await page.getByRole('button', { name: 'Run plan' }).click();
    await expect.poll(async () => (await progressValue(page)).value, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: 'Cancel the plan' }).click();
    await page.getByText('cancelled: finished replicas kept').waitFor();
    const { value, max } = await progressValue(page);
    expect(value).toBeLessThan(max);
    const lines = await csvLines(page);
    expect(lines.length - 1).toBe(value);
    await page.getByRole('region', { name: 'Plan answer' }).locator('li').first().waitFor();
    // Back to the runs: the mode switch is a pair of toggle buttons.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitLoaded(page, 'How many H100s for this chat service, whole GPUs vs slices?');
    expect(w.s.problems).toEqual([]);
  });

  it('after an openb replay import, the paper grid replays all policies × seeds with the bands of a Node run', async () => {
    const page = w.page;
    const { nodes, pods } = smallOpenbCsv(12, 60);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await importOpenb(page, nodes, pods);
    await waitLoaded(page);
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Paper grid' });
    await panel.getByRole('textbox', { name: 'Paper grid seeds' }).fill('1..3');
    await panel.getByRole('button', { name: 'Run all policies × seeds' }).click();
    await panel.getByText(/^done in /).waitFor({ timeout: 120_000 });

    const traces = [{ name: 'pods.csv', nodes: parseOpenbNodes(nodes), pods: parseOpenbPods(pods) }];
    const rows = expandPaperGrid(['pods.csv'], PAPER_POLICIES, [1, 2, 3]).map((r) => runPaperReplay(traces, r));
    const last = paperBands(rows).map((b) => `${b.policy} (${b.n} seeds) ${b.mean.at(-1)!.toFixed(1)} [${b.lo.at(-1)!.toFixed(1)}–${b.hi.at(-1)!.toFixed(1)}] at ${b.arrivedPct.at(-1)}%`);
    const label = await panel.locator('[data-plan-chart="paper"] svg[role="img"]').getAttribute('aria-label');
    expect(label).toBe(`GPU allocation vs arrived demand, pods.csv (% of capacity), mean and 95% band: ${last.join('; ')}`);
    // The progress line counts candidate evaluations (arrivals × nodes); the CSV holds every replay's row.
    expect(await panel.getByTestId('plan-engine').textContent()).toMatch(/ [\d.]+[kMG]? candidate evaluations\/s$/);
    const [dl] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export paper grid CSV (18 rows)' }).click()]);
    expect(dl.suggestedFilename()).toBe('paper-grid-pods.csv');
    expect(readFileSync((await dl.path())!, 'utf8')).toBe(paperCsv(rows));

    // Go's random numbers: the rows are Node's `rng: 'go'` replays (slicebench openb --rng go), one seed here.
    await panel.getByRole('combobox', { name: 'Paper grid random numbers' }).selectOption({ label: "Go's (replays the paper's published runs)" });
    await panel.getByRole('textbox', { name: 'Paper grid seeds' }).fill('7');
    await panel.getByRole('button', { name: 'Run all policies × seeds' }).click();
    const goExport = panel.getByRole('button', { name: 'Export paper grid CSV (6 rows)' });
    await goExport.waitFor({ timeout: 120_000 });
    const goRows = expandPaperGrid(['pods.csv'], PAPER_POLICIES, [7]).map((r) => runPaperReplay(traces, r, 1.3, undefined, 'go'));
    expect(goRows.map((r) => r.digest)).not.toEqual(expandPaperGrid(['pods.csv'], PAPER_POLICIES, [7]).map((r) => runPaperReplay(traces, r).digest));
    const [goDl] = await Promise.all([page.waitForEvent('download'), goExport.click()]);
    expect(goDl.suggestedFilename()).toBe('paper-grid-pods-go.csv');
    expect(readFileSync((await goDl.path())!, 'utf8')).toBe(paperCsv(goRows));
    // The share link carries the grid's seeds as typed and its random numbers (ViewState.paper; the files stay here).
    await page.getByRole('button', { name: 'Share link' }).click();
    const link = decodeShareHash(new URL(await page.getByRole('textbox', { name: 'Share link URL' }).inputValue()).hash);
    expect(link.ok && link.state.view.paper).toEqual({ seeds: '7', rng: 'go' });
    await page.keyboard.press('Escape');
    expect(w.s.problems).toEqual([]);
  });
});
