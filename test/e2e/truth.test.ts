/**
 * Every number tells the truth (issue 18 items 1 and 2), in Chromium against the built dist/: one name per preset
 * in the picker, the heading and the gallery; the run header agrees with the drawing; "What differs" leads with
 * the claim and counts pods that never started; a report exported at t = 0 says it is empty; the gallery's
 * thumbnails chart each claim; time-slicing's missing memory isolation is said where it runs; "New (blank)".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, finished, metric, ROOT, waitLoaded } from './harness.ts';

const manifest = JSON.parse(readFileSync(join(ROOT, 'public/scenarios/index.json'), 'utf8')) as { presets: { id: string; title: string }[] };
const title = (id: string): string => manifest.presets.find((p) => p.id === id)!.title;

/** Opens a preset from the picker and waits for its heading. */
async function pick(page: Page, id: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Preset scenario' }).selectOption(id);
  await waitLoaded(page, title(id));
}

/** The items of "What differs", in order. */
async function differences(page: Page): Promise<string[]> {
  const list = page.getByRole('region', { name: 'Differences' }).getByRole('listitem');
  await list.first().waitFor();
  return (await list.allTextContents()).map((t) => t.trim());
}

describeBrowser('every number tells the truth', {}, (w) => {
  it('one name per preset: the picker shows the title the heading and the gallery show', async () => {
    const picker = w.page.getByRole('combobox', { name: 'Preset scenario' });
    const options = (await picker.locator('option').allTextContents()).map((t) => t.trim());
    for (const p of manifest.presets) expect(options).toContain(p.title);
    await pick(w.page, 'gang-deadlock');
    expect(await w.page.locator('.scenario-title h2').textContent()).toBe(title('gang-deadlock'));
  });

  it('gang-deadlock: the header agrees with the drawing between samples, and waits count the workers that never start', async () => {
    await pick(w.page, 'gang-deadlock');
    // 150 s: before the first metric sample (300 s), every GPU already holds a worker under the default scheduler.
    await w.page.getByRole('slider', { name: 'Timeline' }).fill('150');
    const head = w.page.getByRole('region', { name: 'Run k8s-default' }).locator('.run-head .live');
    await w.page.waitForFunction(() => /16 of 16 GPUs hold pods/.test(document.querySelector('section.run .run-head .live')?.textContent ?? ''), undefined, { timeout: 20_000 });
    expect(await head.textContent()).toMatch(/^16 of 16 GPUs hold pods · allocated 100% · used 0%/);
    const drawn = await w.page.getByRole('region', { name: 'Run k8s-default' }).locator('svg[role="group"]').first().getAttribute('aria-label');
    expect(drawn).toContain('16 of 16 GPUs hold pods');
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page, 60_000);
    const lines = await differences(w.page);
    expect(lines[0]).toBe('volcano completes 2 of 2 training jobs; k8s-default completes 0 of 2.');
    const wait = lines.find((l) => l.startsWith('Pods wait'));
    expect(wait).toMatch(/less on average under volcano .*counting 0 and 4 pods that never started/);
    expect(await metric(w.page, 'k8s-default', 'wait')).toMatch(/\(4 never started\)$/);
  });

  it('a report exported at t = 0 says it is empty', async () => {
    await pick(w.page, 'whole-gpu-waste');
    await w.page.getByRole('button', { name: 'Restart' }).click();
    await w.page.waitForFunction(() => (document.querySelector('output[aria-label="Simulated time"]')?.textContent ?? '').startsWith('0:00:00'));
    await w.page.locator('details.sb-menu > summary').click();
    const [dl] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Comparison report (HTML)' }).click()]);
    const html = readFileSync((await dl.path())!, 'utf8');
    await w.page.locator('details.sb-menu').evaluate((d) => d.removeAttribute('open'));
    expect(html).toContain('This report is empty');
    expect(html).not.toContain('<h2>Summary</h2>');
  });

  it('nvlink-placement: "What differs" leads with the claim\'s metric, training slowdown', async () => {
    await pick(w.page, 'nvlink-placement');
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page, 60_000);
    const lines = await differences(w.page);
    expect(lines[0]).toMatch(/^Training jobs take [\d.]+× their ideal time under hami-spread vs [\d.]+× under hami-topology \(slower/);
    for (const l of lines) expect(l).not.toMatch(/give the same results/);
  });

  it("small-mixed with time-slicing ticked: its missing memory isolation is said on its card and in the comparison", async () => {
    await pick(w.page, 'small-mixed');
    await w.page.getByRole('tab', { name: 'Schedulers' }).click();
    await w.page.getByRole('checkbox', { name: 'Run k8s-timeslicing' }).check();
    await w.page.getByRole('article', { name: 'Summary of k8s-timeslicing' }).waitFor();
    await w.page.getByRole('tab', { name: 'Cluster' }).click();
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page, 60_000);
    expect(await metric(w.page, 'k8s-timeslicing', 'mem')).toMatch(/not isolated: OOM risk/);
    expect((await differences(w.page)).some((l) => l.startsWith('k8s-timeslicing shares GPUs without memory isolation'))).toBe(true);
  });

  it('"New (blank)" opens an empty scenario to build on, and the picker reads (custom)', async () => {
    const picker = w.page.getByRole('combobox', { name: 'Preset scenario' });
    await picker.selectOption({ label: 'New (blank)' });
    await waitLoaded(w.page, 'New scenario');
    expect(await picker.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent?.trim())).toBe('(custom)');
    await w.page.getByRole('tab', { name: 'Workloads' }).click();
    expect(await w.page.getByRole('button', { name: 'Undo' }).isEnabled()).toBe(true);
  });

  it('the gallery thumbnails chart each claim with real numbers, none alike', async () => {
    await w.page.goto(`${w.s.url}#/gallery`);
    const thumbs = w.page.locator('.sb-thumb svg[role="img"]');
    // Until preset-charts.json has loaded, the cards show cluster thumbnails (several presets share a cluster):
    // wait for the claim charts themselves.
    await w.page.waitForFunction((n) => document.querySelectorAll('.sb-thumb svg[role="img"][data-chart="claim"]').length === n && [...document.querySelectorAll('.sb-thumb svg')].every((s) => s.querySelectorAll('rect').length > 1 && /\d/.test(s.getAttribute('aria-label') ?? '')), manifest.presets.length, { timeout: 20_000 });
    const labels = await thumbs.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(new Set(labels).size).toBe(manifest.presets.length);
    const nvlink = w.page.getByRole('article', { name: title('nvlink-placement') }).locator('.sb-thumb svg');
    expect(await nvlink.getAttribute('aria-label')).toMatch(/^Training time, × ideal: hami-topology [\d.]+×, hami-spread [\d.]+×, k8s-default [\d.]+×\. Spread placement makes jobs markedly slower$/);
    // The card's heading is the preset's one name.
    expect(await w.page.getByRole('heading', { name: title('gang-deadlock'), exact: true }).count()).toBe(1);
  });
});
