/**
 * Keyboard and screen (issue 18 item 5), in Chromium against the built site: arrow keys move between the editor
 * tabs without driving playback; GPU cells and pending pods are reached by keyboard and open "why here?" with
 * Enter; a skip link leads to the run controls; the theme follows the system and remembers the toggle; the wheel
 * over an unfocused node-count dial scrolls instead of changing the cluster; no sideways scroll at 390 px; the GPU
 * tooltip is never clipped; the why-here panel does not hide the run it explains.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, finished, waitLoaded } from './harness.ts';

const clock = (page: Page): Promise<string> => page.locator('output[aria-label="Simulated time"]').textContent().then((t) => t ?? '');
const activeGpu = (page: Page): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-gpu') ?? null);

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
const box = (page: Page, selector: string, i = 0): Promise<Box | null> =>
  page.evaluate(
    ([s, k]) => {
      const r = document.querySelectorAll(s)[k as number]?.getBoundingClientRect();
      return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null;
    },
    [selector, i] as const,
  );

describeBrowser('keyboard and screen', {}, (w) => {
  it('arrow keys, Home and End move between the editor tabs and leave playback alone', async () => {
    const t0 = await clock(w.page);
    await w.page.getByRole('tab', { name: 'Cluster' }).click();
    await w.page.keyboard.press('ArrowRight');
    const workloads = w.page.getByRole('tab', { name: 'Workloads' });
    expect(await workloads.getAttribute('aria-selected')).toBe('true');
    expect(await workloads.evaluate((el) => el === document.activeElement)).toBe(true);
    await w.page.keyboard.press('ArrowLeft');
    await w.page.keyboard.press('ArrowLeft');
    expect(await w.page.getByRole('tab', { name: 'Schedulers' }).getAttribute('aria-selected')).toBe('true');
    await w.page.keyboard.press('Home');
    expect(await w.page.getByRole('tab', { name: 'Cluster' }).getAttribute('aria-selected')).toBe('true');
    await w.page.keyboard.press('End');
    expect(await w.page.getByRole('tab', { name: 'Schedulers' }).getAttribute('aria-selected')).toBe('true');
    await w.page.waitForTimeout(300);
    // → is "step one event" and End "run to the end" elsewhere: on the tabs neither may act.
    expect(await clock(w.page)).toBe(t0);
    await w.page.getByRole('tab', { name: 'Cluster' }).click();
  });

  it('a GPU cell takes the focus, arrows move between GPUs, Enter opens "why here?" for it', async () => {
    const t0 = await clock(w.page);
    const first = w.page.locator('.cluster-view svg .cell[tabindex="0"]').first();
    await first.focus();
    expect(await activeGpu(w.page)).toBe('0');
    await w.page.getByRole('tooltip').waitFor();
    await w.page.keyboard.press('ArrowRight');
    expect(await activeGpu(w.page)).toBe('1');
    await w.page.keyboard.press('ArrowLeft');
    await w.page.keyboard.press('ArrowDown');
    const firstOfNext = await activeGpu(w.page);
    expect(Number(firstOfNext)).toBeGreaterThan(1);
    expect(await clock(w.page)).toBe(t0);
    const name = await w.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    expect(name).toMatch(/^GPU 0 of .+, why here\?$/);
    await w.page.keyboard.press('Enter');
    const panel = w.page.getByRole('complementary', { name: 'Why here?' });
    await panel.waitFor();
    await expect(panel.textContent()).resolves.toContain(name.replace(/^GPU 0 of (.+), why here\?$/, '$1'));
    await w.page.getByRole('button', { name: 'Close why-here panel' }).click();
  });

  it('a dense view drawn on a canvas is one Tab stop too: arrows choose a GPU, Enter opens "why here?"', async () => {
    await w.page.getByRole('combobox', { name: 'Preset scenario' }).selectOption('openb-like');
    await waitLoaded(w.page);
    const canvas = w.page.locator('.cluster-view canvas').first();
    await canvas.focus();
    const tip = w.page.getByRole('tooltip');
    await tip.waitFor();
    await expect(tip.textContent()).resolves.toMatch(/· GPU 0 ·/);
    // The canvas is one image to a screen reader: its focused GPU is announced in a live region of the view.
    const live = w.page.locator('.cluster-view').first().getByRole('status', { name: 'Focused GPU' });
    await expect(live.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(live.textContent()).resolves.toMatch(/^GPU 0 of .+ \(.+\): \d+ milli-GPU booked, \d+ tenants?\. Enter for its history\.$/);
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => /· GPU 1 ·/.test(document.querySelector('.tooltip')?.textContent ?? ''));
    const node = ((await tip.textContent()) ?? '').split(' · ')[0];
    expect((await live.textContent()) ?? '').toContain(`GPU 1 of ${node} (`);
    await w.page.keyboard.press('Enter');
    const panel = w.page.getByRole('complementary', { name: 'Why here?' });
    // The panel opens first and fills when the worker's explanation arrives.
    await panel.getByText(node).first().waitFor();
    await expect(panel.textContent()).resolves.toContain(node);
    await w.page.getByRole('button', { name: 'Close why-here panel' }).click();
  });

  it('a pending pod opens "why is it waiting?" with Enter', async () => {
    await w.page.getByRole('combobox', { name: 'Preset scenario' }).selectOption('gang-deadlock');
    await waitLoaded(w.page);
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page);
    await w.page.getByRole('button', { name: /^Why is .* waiting\?$/ }).first().focus();
    await w.page.keyboard.press('Enter');
    await w.page.getByRole('complementary', { name: 'Why here?' }).getByRole('table', { name: 'Rejected nodes by reason' }).waitFor();
  });

  it('the why-here panel does not hide the run it explains', async () => {
    // Explain a GPU of the rightmost run (two runs side by side at 1600 px).
    const runs = await w.page.locator('.runs > .run').count();
    expect(runs).toBeGreaterThan(1);
    await w.page.locator('.runs > .run').nth(runs - 1).locator('.cell').first().click();
    await w.page.getByRole('complementary', { name: 'Why here?' }).waitFor();
    const run = (await box(w.page, '.runs > .run', runs - 1))!;
    const panel = (await box(w.page, '.why'))!;
    const overlap = run.left < panel.right && panel.left < run.right && run.top < panel.bottom && panel.top < run.bottom;
    expect(overlap, `run ${JSON.stringify(run)} vs panel ${JSON.stringify(panel)}`).toBe(false);
    await w.page.keyboard.press('Escape');
  });

  it('the GPU tooltip is never clipped, also at the right edge of a view', async () => {
    const views = await w.page.locator('.cluster-view svg').count();
    const last = w.page.locator('.cluster-view svg').nth(views - 1).locator('.cell').last();
    await last.scrollIntoViewIfNeeded();
    await last.hover();
    const tip = w.page.getByRole('tooltip');
    await tip.waitFor();
    const clipped = await tip.evaluate((el) => {
      const r = el.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) return 'outside the window';
      // Clipped by an ancestor's overflow unless fixed to the window (and no ancestor makes a containing block).
      if (getComputedStyle(el).position === 'fixed') return '';
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflow === 'visible') continue;
        const b = a.getBoundingClientRect();
        if (r.left < b.left || r.right > b.right || r.top < b.top || r.bottom > b.bottom) return `clipped by ${a.className}`;
      }
      return '';
    });
    expect(clipped).toBe('');
    await w.page.mouse.move(2, 2);
  });

  it('a skip link leads from the top of the page to the run controls', async () => {
    const page = await w.s.open();
    await waitLoaded(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to the run controls' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    const hash = await page.evaluate(() => location.hash);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('run-controls');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^(Play|Pause)$/);
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    await page.close();
  });

  it('the theme follows the system until toggled, and the toggle is remembered', async () => {
    const page = await w.s.open();
    await page.evaluate(() => localStorage.removeItem('slicebench.theme'));
    const light = () => page.evaluate(() => document.querySelector('.app')!.classList.contains('light'));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    await waitLoaded(page);
    expect(await light()).toBe(true);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => !document.querySelector('.app')!.classList.contains('light'));
    await page.getByRole('button', { name: 'Light theme' }).click();
    expect(await light()).toBe(true);
    await page.reload();
    await waitLoaded(page);
    // The system says dark; the visitor chose light.
    expect(await light()).toBe(true);
    await page.evaluate(() => localStorage.removeItem('slicebench.theme'));
    await page.close();
  });

  it('the wheel over the node-count dial scrolls the page unless the dial has the focus', async () => {
    await w.page.getByRole('tab', { name: 'Cluster' }).click();
    const dial = w.page.getByRole('spinbutton', { name: /^Node count of pool/ }).first();
    await dial.scrollIntoViewIfNeeded();
    const v0 = await dial.getAttribute('aria-valuenow');
    const scrolled = () => w.page.evaluate(() => window.scrollY + (document.querySelector('.editors')?.scrollTop ?? 0));
    await w.page.locator('body').click({ position: { x: 2, y: 2 } });
    const s0 = await scrolled();
    const b = (await dial.boundingBox())!;
    await w.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await w.page.mouse.wheel(0, 200);
    await w.page.waitForFunction((s) => window.scrollY + (document.querySelector('.editors')?.scrollTop ?? 0) !== s, s0);
    expect(await dial.getAttribute('aria-valuenow')).toBe(v0);
    await dial.focus();
    const b2 = (await dial.boundingBox())!;
    await w.page.mouse.move(b2.x + b2.width / 2, b2.y + b2.height / 2);
    await w.page.mouse.wheel(0, -100);
    await w.page.waitForFunction((v) => document.activeElement?.getAttribute('aria-valuenow') !== v, v0);
    await w.page.keyboard.press('Control+z');
  });

  it('no sideways scroll at 390 px, before and after running, with "why here?" open', async () => {
    const page = await w.s.open({ width: 390, height: 844 });
    await waitLoaded(page);
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await sideways()).toBe(0);
    await page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(page);
    expect(await sideways()).toBe(0);
    await page.locator('.cluster-view .cell').first().click();
    await page.getByRole('complementary', { name: 'Why here?' }).waitFor();
    expect(await sideways()).toBe(0);
    await page.close();
    expect(w.s.problems).toEqual([]);
  });
});
