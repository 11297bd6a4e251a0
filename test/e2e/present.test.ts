/**
 * Presenter mode for a live talk (issue 18 item 3), in Chromium against the built site: Present starts every preset
 * at step 1 (even after an earlier presentation stopped later), End shows the last step and runs to the end as it
 * asks, a step forward plays from the previous step's time, P plays and pauses, the caption panel never covers the
 * highlighted chart at 1280×720 and the closing checks are readable there, chart tick labels grow, and the closing
 * step shows the share link as a QR code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, finished, ROOT, waitLoaded } from './harness.ts';

interface Entry {
  id: string;
  file?: string;
  title: string;
  story?: { caption: string; atS?: number; highlight?: string }[];
}
const PRESETS = (JSON.parse(readFileSync(join(ROOT, 'public/scenarios/index.json'), 'utf8')) as { presets: Entry[] }).presets;
const steps = (e: Entry): number => e.story?.length || 1;
const hasPlan = (id: string): boolean => {
  const file = PRESETS.find((e) => e.id === id)?.file ?? `${id}.json`;
  return (JSON.parse(readFileSync(join(ROOT, 'public/scenarios', file), 'utf8')) as { plan?: unknown }).plan !== undefined;
};

/** Seconds from the clock's "H:MM:SS / …" (or "Dd H:MM:SS"). */
function seconds(text: string): number {
  const [now] = text.split(' / ');
  const m = /^(?:(\d+)d )?(\d+):(\d\d):(\d\d)$/.exec(now.trim());
  if (!m) throw new Error(`not a clock: ${text}`);
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

async function stepCount(page: Page): Promise<string> {
  return (await page.locator('.sb-step-count').textContent()) ?? '';
}

async function waitStep(page: Page, k: number, of: number): Promise<void> {
  await page.waitForFunction((t) => (document.querySelector('.sb-step-count')?.textContent ?? '').endsWith(t), `step ${k} of ${of}`, { timeout: 30_000 });
}

/** Opens a preset in the workbench and presents it with the toolbar's button. */
async function present(page: Page, id: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Preset scenario' }).selectOption(id);
  // A preset that carries a plan opens in Plan mode (no timeline); presenting it switches to Run mode.
  if (hasPlan(id)) await page.getByRole('heading', { name: /^Plan: / }).waitFor({ timeout: 30_000 });
  else await waitLoaded(page);
  await page.getByRole('button', { name: /^▶ Present$/ }).click();
  await page.getByRole('status', { name: 'Story step' }).waitFor();
  await waitLoaded(page);
}

async function leave(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.documentElement.classList.contains('sb-present'));
}

describeBrowser('presenter mode', {}, (w) => {
  it('Present starts every preset at step 1, also after an earlier presentation stopped at step 2', async () => {
    await w.page.emulateMedia({ reducedMotion: 'reduce' });
    for (const e of PRESETS) {
      await present(w.page, e.id);
      await waitStep(w.page, 1, steps(e));
      if (steps(e) > 1) {
        await w.page.keyboard.press('ArrowRight');
        await waitStep(w.page, 2, steps(e));
        await leave(w.page);
        await w.page.getByRole('button', { name: /^▶ Present$/ }).click();
        await waitStep(w.page, 1, steps(e));
        expect(await stepCount(w.page), e.id).toContain(`step 1 of ${steps(e)}`);
      }
      await leave(w.page);
    }
    await w.page.emulateMedia({ reducedMotion: null });
  });

  it('End shows the last step and runs to the end, so its checks are decided', async () => {
    const e = PRESETS.find((p) => p.id === 'gang-deadlock')!;
    await present(w.page, e.id);
    await w.page.keyboard.press('End');
    await waitStep(w.page, steps(e), steps(e));
    await finished(w.page, 60_000);
    const stated = w.page.getByRole('region', { name: 'Stated numbers' });
    await stated.waitFor();
    await w.page.waitForFunction(() => document.querySelectorAll('.sb-presenter .sb-stated li[data-state="pass"]').length > 0);
    expect(await stated.getByText('Run to the end (End key)').count()).toBe(0);
    expect(await w.page.locator('.sb-presenter .sb-stated li[data-state="pending"]').count()).toBe(0);
    await leave(w.page);
  });

  it('a step forward plays from the previous step\'s time; P plays and pauses', async () => {
    const e = PRESETS.find((p) => p.id === 'gang-deadlock')!;
    const [first, second] = [e.story![0].atS!, e.story![1].atS!];
    await present(w.page, e.id);
    await waitStep(w.page, 1, steps(e));
    await w.page.waitForFunction((t) => document.querySelector('output[aria-label="Simulated time"]')?.textContent?.startsWith(t) ?? false, '0:00:05');
    // Every clock reading while the step plays forward.
    await w.page.evaluate(() => {
      const seen: string[] = ((window as unknown as { __clock: string[] }).__clock = []);
      const out = document.querySelector('output[aria-label="Simulated time"]')!;
      new MutationObserver(() => seen.push(out.textContent ?? '')).observe(out, { characterData: true, childList: true, subtree: true });
    });
    await w.page.keyboard.press('ArrowRight');
    await waitStep(w.page, 2, steps(e));
    await w.page.waitForFunction((t) => document.querySelector('output[aria-label="Simulated time"]')?.textContent?.startsWith(t) ?? false, '1:00:00', { timeout: 30_000 });
    const seen = (await w.page.evaluate(() => (window as unknown as { __clock: string[] }).__clock)).map(seconds);
    expect(seen.some((t) => t > first && t < second), `clock readings ${seen.join(', ')}`).toBe(true);

    const animate = w.page.getByRole('button', { name: 'Animate (P)' });
    expect(await animate.getAttribute('aria-pressed')).toBe('false');
    await w.page.keyboard.press('p');
    await w.page.waitForFunction(() => document.querySelector('.sb-presenter button[aria-keyshortcuts="P"]')?.getAttribute('aria-pressed') === 'true');
    await w.page.waitForFunction((t) => !(document.querySelector('output[aria-label="Simulated time"]')?.textContent ?? '').startsWith(t), '1:00:00', { timeout: 30_000 });
    await w.page.keyboard.press('p');
    await w.page.waitForFunction(() => document.querySelector('.sb-presenter button[aria-keyshortcuts="P"]')?.getAttribute('aria-pressed') === 'false');
    await leave(w.page);
  });

  it('chart tick labels are larger in presenter mode', async () => {
    const size = () => w.page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.chart .grid text')!).fontSize));
    const before = await size();
    await present(w.page, 'gang-deadlock');
    const during = await size();
    await leave(w.page);
    expect(before).toBe(9);
    expect(during).toBeGreaterThanOrEqual(13);
    expect(await size()).toBe(9);
  });

  it('at 1280×720 the caption panel never covers the highlighted view, and the closing checks are readable', async () => {
    const page = await w.s.open({ width: 1280, height: 720 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await waitLoaded(page);
    for (const e of PRESETS.filter((p) => p.story?.length)) {
      await present(page, e.id);
      for (let k = 0; k < steps(e); k++) {
        if (k > 0) await page.keyboard.press('ArrowRight');
        await waitStep(page, k + 1, steps(e));
        await page.waitForFunction(() => !document.querySelector('.sb-presenter button[aria-label="Previous step"]')?.hasAttribute('disabled') || document.querySelector('.sb-step-count')?.textContent?.includes('step 1 '));
        await page.waitForTimeout(200);
        const geo = await page.evaluate(() => {
          const box = (el: Element | null) => {
            const r = el?.getBoundingClientRect();
            return r ? { l: r.left, t: r.top, r: r.right, b: r.bottom } : null;
          };
          return { hi: box(document.querySelector('.sb-highlight')), panel: box(document.querySelector('.sb-presenter')), h: innerHeight };
        });
        const where = `${e.id} step ${k + 1}`;
        if (!e.story![k].highlight) continue;
        expect(geo.hi, where).not.toBeNull();
        const { hi, panel } = geo as { hi: { l: number; t: number; r: number; b: number }; panel: { l: number; t: number; r: number; b: number } };
        const overlap = hi.l < panel.r && panel.l < hi.r && hi.t < panel.b && panel.t < hi.b;
        expect(overlap, `${where}: highlight ${JSON.stringify(hi)} vs panel ${JSON.stringify(panel)}`).toBe(false);
        expect(hi.t, where).toBeGreaterThanOrEqual(-6);
        expect(hi.b, where).toBeLessThanOrEqual(geo.h + 6);
      }
      // The closing step: run to the end; every check visible in the panel, in type of at least 16 px.
      await page.keyboard.press('End');
      await finished(page, 60_000);
      // Every closing step is the preset or one of its variants (issue 18), so it has stated numbers, checked.
      await page.waitForFunction(() => !/Run to the end/.test(document.querySelector('.sb-presenter .sb-stated')?.textContent ?? 'Run to the end'));
      const checks = await page.evaluate(() =>
        [...document.querySelectorAll('.sb-presenter .sb-stated li .sb-text')].map((el) => ({ px: parseFloat(getComputedStyle(el).fontSize), b: el.getBoundingClientRect().bottom })),
      );
      expect(checks.length, e.id).toBeGreaterThan(0);
      expect(await page.locator('.sb-presenter .sb-stated li[data-state="pass"]').count(), `${e.id}: the closing step's checks pass`).toBeGreaterThan(0);
      expect(await page.locator('.sb-presenter .sb-stated li[data-state="fail"]').count(), e.id).toBe(0);
      for (const c of checks) {
        expect(c.px, e.id).toBeGreaterThanOrEqual(16);
        expect(c.b, `${e.id}: a check below the fold`).toBeLessThanOrEqual(720);
      }
      await leave(page);
    }
    await page.close();
  });

  it('the closing step shows the share link as a QR code (Q), Escape closes it first', async () => {
    await present(w.page, 'gang-deadlock');
    await w.page.keyboard.press('End');
    const qrButton = w.page.getByRole('button', { name: 'QR code (Q)' });
    await qrButton.waitFor();
    await w.page.keyboard.press('q');
    const dialog = w.page.getByRole('dialog', { name: 'Share link as a QR code' });
    const img = dialog.getByRole('img', { name: 'QR code of the share link' });
    await img.waitFor();
    const size = await img.evaluate((svg) => Number(svg.getAttribute('viewBox')!.split(' ')[2]));
    // A version of 21 + 4k modules plus the 8-module quiet zone, large enough for a share link.
    expect((size - 8 - 17) % 4).toBe(0);
    expect(size - 8).toBeGreaterThan(41);
    const box = await img.boundingBox();
    expect(box!.height).toBeGreaterThan(500);
    await w.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await w.page.evaluate(() => document.documentElement.classList.contains('sb-present'))).toBe(true);
    await leave(w.page);
    expect(w.s.problems).toEqual([]);
  });
});
