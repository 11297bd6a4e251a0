/**
 * The workbench in a real browser (Debian's Chromium via playwright-core) against the built dist/: load,
 * play, numbers equal to a Node run of the same scenario and seed, compare, keyboard, why-here, editors,
 * bad imports. Controls are found by role and accessible name.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate } from '../../src/sim/simulation.ts';
import { describeBrowser, finished, metric, ROOT, waitLoaded, whyWaitingInDeadlock } from './harness.ts';

function presetJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, 'public/scenarios', `${name}.json`), 'utf8'));
}

function scenarioOf(json: unknown): Scenario {
  const r = parseScenario(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

/** Writes a file for an upload and returns its path. */
function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'slicebench-upload-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('Import scenario JSON file').setInputFiles(tempFile(name, text));
}

describeBrowser('workbench in Chromium', {}, (w) => {
  it('loads with the starting preset, an engine line and no console errors or warnings', async () => {
    await expect(w.page.getByRole('status', { name: /^Engine: / }).textContent()).resolves.toMatch(/CPU engine|WebGPU/);
    expect(await w.page.getByRole('region', { name: /^Run / }).count()).toBeGreaterThan(0);
    expect(w.s.problems).toEqual([]);
  });

  it('plays a preset to the end and shows the same numbers and traceHash as a Node run', async () => {
    await w.page.getByRole('combobox', { name: 'Preset scenario' }).selectOption('whole-gpu-waste');
    await waitLoaded(w.page, /Whole-GPU waste/);
    await w.page.getByRole('combobox', { name: 'Speed' }).selectOption('10000');
    const clock = w.page.getByRole('status', { name: 'Simulated time' }).or(w.page.locator('output[aria-label="Simulated time"]'));
    const t0 = await clock.textContent();
    await w.page.getByRole('button', { name: 'Play' }).click();
    // Time advances and the charts fill while playing.
    await w.page.waitForFunction((t) => document.querySelector('output[aria-label="Simulated time"]')?.textContent !== t, t0);
    await finished(w.page);
    const json = presetJson('whole-gpu-waste');
    const node = simulate(scenarioOf(json), { schedulerIndex: 0 });
    expect(await metric(w.page, node.label, 'traceHash')).toBe(node.traceHash);
    expect(await metric(w.page, node.label, 'alloc')).toBe(`${node.summary.allocationPct.toFixed(1)}%`);
    expect(await metric(w.page, node.label, 'util')).toBe(`${node.summary.utilizationPct.toFixed(1)}%`);
    expect(await metric(w.page, node.label, 'pods')).toBe(`${node.summary.podsBound} / ${node.summary.podsCreated}`);
    const chart = w.page.getByRole('img', { name: /^GPU allocation \(solid\) vs utilization/ });
    await expect(chart.getAttribute('aria-label')).resolves.toContain(`k8s-default ${node.series[node.series.length - 1].allocationPct.toFixed(1)}`);
    expect(await w.page.locator('.chart path[stroke-dasharray]').count()).toBeGreaterThan(0);
  });

  it('compares two profiles side by side with differences in plain words', async () => {
    await w.page.getByRole('tab', { name: 'Schedulers' }).click();
    await w.page.getByRole('checkbox', { name: 'Run hami-binpack' }).check();
    await w.page.getByRole('article', { name: 'Summary of hami-binpack' }).waitFor();
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page);
    const json = presetJson('whole-gpu-waste');
    json.schedulers = [{ profile: 'k8s-default' }, { profile: 'hami-binpack' }];
    const sc = scenarioOf(json);
    const [a, b] = [0, 1].map((i) => simulate(sc, { schedulerIndex: i }));
    expect(await metric(w.page, 'k8s-default', 'traceHash')).toBe(a.traceHash);
    expect(await metric(w.page, 'hami-binpack', 'traceHash')).toBe(b.traceHash);
    const diffs = await w.page.getByRole('region', { name: 'Differences' }).textContent();
    // HAMi packs the 10 GiB replicas onto shared cards: it books fewer GPUs than the whole-GPU device plugin.
    expect(diffs).toMatch(/hami-binpack (fits the same load on|books) \d+% fewer GPUs than k8s-default/);
    expect(await w.page.getByRole('region', { name: /^Run / }).count()).toBe(2);
    expect(await w.page.locator('.cluster-view svg').count()).toBe(2);
  });

  it('keyboard: ? opens help, Escape closes it, Space plays and pauses, → steps, ↑ speeds up, Home restarts', async () => {
    await w.page.locator('h2').first().click();
    await w.page.keyboard.press('Home');
    await w.page.waitForFunction(() => document.querySelector('output[aria-label="Simulated time"]')?.textContent?.startsWith('0:00:00 /'));
    await w.page.keyboard.press('?');
    await expect(w.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).resolves.toBe(true);
    await w.page.keyboard.press('Escape');
    await expect(w.page.getByRole('dialog').count()).resolves.toBe(0);
    await w.page.keyboard.press('ArrowRight');
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => {
      const runs = document.querySelectorAll('.cluster-view .slices rect').length;
      return runs > 0;
    });
    await w.page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
    await w.page.locator('h2').first().click();
    await w.page.keyboard.press('ArrowUp');
    await expect(w.page.getByRole('combobox', { name: 'Speed' }).inputValue()).resolves.toBe('100');
    await w.page.keyboard.press(' ');
    await w.page.getByRole('button', { name: 'Pause' }).waitFor();
    await w.page.keyboard.press(' ');
    await w.page.getByRole('button', { name: 'Play' }).waitFor();
  });

  it('why here: a GPU shows its tenants and history, a tenant its scheduling decision with plugin scores', async () => {
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page);
    await w.page.getByRole('slider', { name: 'Timeline' }).fill('3600');
    await w.page.waitForFunction(() => document.querySelector('output[aria-label="Simulated time"]')?.textContent?.startsWith('1:00:00'));
    // The first GPU that holds a slice in the first run.
    const gpu = await w.page.evaluate(() => {
      const view = document.querySelector('.cluster-view svg')!;
      const slice = view.querySelector('.slices rect')!.getBoundingClientRect();
      for (const cell of view.querySelectorAll<SVGRectElement>('.cell')) {
        const r = cell.getBoundingClientRect();
        if (slice.x >= r.x - 0.5 && slice.x < r.right && slice.y >= r.y - 0.5 && slice.y < r.bottom) return cell.getAttribute('data-gpu');
      }
      return null;
    });
    expect(gpu).not.toBeNull();
    await w.page.locator(`.cluster-view svg .cell[data-gpu="${gpu}"]`).first().hover();
    await expect(w.page.getByRole('tooltip').textContent()).resolves.toMatch(/Tenants: /);
    await w.page.locator(`.cluster-view svg .cell[data-gpu="${gpu}"]`).first().click();
    const panel = w.page.getByRole('complementary', { name: 'Why here?' });
    await panel.getByRole('list', { name: 'GPU history' }).waitFor();
    expect(await panel.getByRole('list', { name: 'GPU history' }).getByRole('listitem').count()).toBeGreaterThan(0);
    await panel.getByRole('button', { name: /^Why is .* here\?$/ }).first().click();
    await panel.getByRole('table', { name: 'Top nodes by score' }).waitFor();
    await expect(panel.textContent()).resolves.toMatch(/Explained as the cluster was when it was placed/);
    await w.page.keyboard.press('Escape');
    await expect(panel.count()).resolves.toBe(0);
  });

  it('a waiting pod explains itself with rejections counted by reason', async () => {
    const panel = await whyWaitingInDeadlock(w.page);
    await expect(panel.textContent()).resolves.toMatch(/0 feasible nodes/);
    await w.page.getByRole('button', { name: 'Close why-here panel' }).click();
  });

  it('an invalid import shows a message naming the field and keeps the current scenario', async () => {
    const bad = presetJson('small-mixed');
    (bad.workloads as Record<string, unknown>[])[1].minReplicas = -1;
    await importFile(w.page, 'bad.json', JSON.stringify(bad));
    const alert = w.page.getByRole('alert');
    await expect(alert.textContent()).resolves.toMatch(/workloads\[1\]\.minReplicas: must be ≥ \d/);
    await expect(alert.textContent()).resolves.toMatch(/current scenario is kept/);
    await w.page.getByRole('heading', { name: 'Training gang deadlock' }).waitFor();
    await importFile(w.page, 'broken.json', '{ "kind": ');
    await alert.filter({ hasText: /broken\.json is not valid JSON/ }).waitFor();
    await w.page.getByRole('heading', { name: 'Training gang deadlock' }).waitFor();
    await w.page.getByRole('button', { name: 'Dismiss message' }).click();
  });

  it('editors: the dial changes the node count and the view follows; a bad edit is refused with its field; workloads and knobs edit', async () => {
    await w.page.getByRole('tab', { name: 'Cluster' }).click();
    const dial = w.page.getByRole('spinbutton', { name: 'Node count of pool h100' });
    await dial.focus();
    await w.page.keyboard.press('ArrowUp');
    await expect(dial.getAttribute('aria-valuenow')).resolves.toBe('3');
    await w.page.waitForFunction(() => /3 nodes/.test(document.querySelector('.cluster-view svg')?.getAttribute('aria-label') ?? ''));
    await w.page.getByRole('spinbutton', { name: 'Nodes in pool h100' }).fill('4');
    await w.page.getByRole('spinbutton', { name: 'Nodes in pool h100' }).press('Tab');
    await w.page.waitForFunction(() => /4 nodes/.test(document.querySelector('.cluster-view svg')?.getAttribute('aria-label') ?? ''));
    await w.page.getByRole('button', { name: 'Add pool' }).click();
    await w.page.getByRole('group', { name: /Pool h100-2|Pool h100/ }).last().waitFor();
    await w.page.waitForFunction(() => /6 nodes/.test(document.querySelector('.cluster-view svg')?.getAttribute('aria-label') ?? ''));
    // 8 GPUs cannot be split evenly over 3 sockets... the NUMA choice offers 1, 2, 4: use 4 sockets on 2 GPUs.
    await w.page.getByRole('combobox', { name: 'GPUs per node in pool h100', exact: true }).selectOption('2');
    await w.page.getByRole('combobox', { name: 'NUMA layout of pool h100', exact: true }).selectOption('4');
    await expect(w.page.getByRole('alert').textContent()).resolves.toMatch(/Pool "h100", NUMA layout: 2 GPUs cannot be split evenly over 4 NUMA nodes/);
    await w.page.waitForFunction(() => /6 nodes/.test(document.querySelector('.cluster-view svg')?.getAttribute('aria-label') ?? ''));
    await w.page.getByRole('combobox', { name: 'NUMA layout of pool h100', exact: true }).selectOption('2');
    await w.page.waitForFunction(() => !document.querySelector('[role="alert"]'));

    await w.page.getByRole('tab', { name: 'Workloads' }).click();
    await w.page.getByRole('button', { name: '+ Inference service' }).click();
    const pad = w.page.getByRole('img', { name: /^Request rate of chat over the day/ });
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await w.page.mouse.move(box.x + 10, box.y + box.height - 10);
    await w.page.mouse.down();
    for (let i = 1; i <= 20; i++) await w.page.mouse.move(box.x + 10 + (i * (box.width - 20)) / 20, box.y + box.height / 2 - Math.sin(i / 3) * 30);
    await w.page.mouse.up();
    await expect(w.page.getByRole('combobox', { name: 'Request-rate shape of chat' }).inputValue()).resolves.toBe('points');
    await w.page.getByRole('img', { name: /^Demand preview: GPUs asked for/ }).waitFor();

    await w.page.getByRole('tab', { name: 'Schedulers' }).click();
    await w.page.getByRole('checkbox', { name: 'Run hami-binpack' }).check();
    await w.page.getByText('Knobs of hami-binpack').click();
    const knob = w.page.getByRole('combobox', { name: /\(hami-binpack\)$/ }).first();
    await expect(knob.getAttribute('aria-describedby')).resolves.toBeTruthy();
    await w.page.getByRole('article', { name: 'Summary of hami-binpack' }).waitFor();
    expect(w.s.problems).toEqual([]);
  });

  it('draws big clusters on a canvas and stays readable at 1280×720 without horizontal scrolling', async () => {
    const big = presetJson('small-mixed');
    (big.cluster as { pools: { count: number }[] }).pools[1].count = 400;
    (big.sim as { durationS: number }).durationS = 3600;
    await importFile(w.page, 'big.json', JSON.stringify(big));
    await w.page.locator('.cluster-view canvas').first().waitFor();
    await w.page.setViewportSize({ width: 1280, height: 720 });
    const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await w.page.setViewportSize({ width: 1920, height: 1080 });
    expect(await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(w.s.problems).toEqual([]);
  });
});
