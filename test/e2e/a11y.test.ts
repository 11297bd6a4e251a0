/**
 * Accessibility sweep of the main views in Chromium (built site, `vite preview`): every control Chromium's
 * accessibility tree exposes (buttons, fields, selects, sliders, tabs, links, disclosure summaries) has a
 * non-empty accessible name; keyboard focus is visible (an outline of at least 2 px on the focused control, or on
 * the visible box of an invisible one such as a styled file input); the summary labels are not cut at 1280×720
 * and 1920×1080; and no console error or warning appears across the views.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, finished, waitLoaded, whyWaitingInDeadlock } from './harness.ts';

/** Roles of interactive controls in Chromium's accessibility tree. */
const CONTROL_ROLES = new Set(['button', 'checkbox', 'combobox', 'link', 'listbox', 'menuitem', 'radio', 'searchbox', 'slider', 'spinbutton', 'switch', 'tab', 'textbox', 'DisclosureTriangle']);

interface Nameless {
  role: string;
  html: string;
}

/** Controls with an empty accessible name, as Chromium computes it (CDP Accessibility.getFullAXTree). */
async function namelessControls(page: Page): Promise<{ checked: number; nameless: Nameless[] }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Accessibility.enable');
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    let checked = 0;
    const nameless: Nameless[] = [];
    for (const n of nodes) {
      const role = String(n.role?.value ?? '');
      if (n.ignored || !CONTROL_ROLES.has(role)) continue;
      checked++;
      if (String(n.name?.value ?? '').trim()) continue;
      let html = '(no DOM node)';
      if (n.backendDOMNodeId !== undefined) {
        const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: n.backendDOMNodeId });
        const r = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId!, functionDeclaration: 'function () { return this.outerHTML ? this.outerHTML.slice(0, 160) : String(this.nodeName); }', returnByValue: true });
        html = String(r.result.value);
      }
      nameless.push({ role, html });
    }
    return { checked, nameless };
  } finally {
    await cdp.detach();
  }
}

/** Asserts that every control of the page as it is now has a name; returns how many were checked. */
async function expectNamed(page: Page, view: string): Promise<number> {
  const { checked, nameless } = await namelessControls(page);
  expect(nameless, `nameless controls in ${view}`).toEqual([]);
  return checked;
}

/**
 * Presses Tab `count` times and returns the focused controls whose focus is not visible: no outline of at least
 * 2 px on the control, or (when the control itself is transparent, e.g. a file input laid over its label) on the
 * nearest visible ancestor through :focus-within.
 */
async function invisibleFocus(page: Page, count: number): Promise<string[]> {
  const bad: string[] = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const outlined = (e: Element): boolean => {
        const cs = getComputedStyle(e);
        return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none';
      };
      const opacity = (e: Element): number => {
        let o = 1;
        for (let x: Element | null = e; x; x = x.parentElement) o *= Number(getComputedStyle(x).opacity);
        return o;
      };
      let shown = false;
      if (opacity(el) > 0) shown = outlined(el);
      else for (let x = el.parentElement; x && !shown; x = x.parentElement) if (opacity(x) > 0) shown = outlined(x);
      return shown ? null : `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}"`;
    });
    if (r) bad.push(r);
  }
  return bad;
}

/** Summary labels (dt) cut by their box. */
async function cutLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('.summary dt')].filter((d) => d.scrollWidth > d.clientWidth + 1 || d.scrollHeight > d.clientHeight + 1).map((d) => d.textContent ?? ''));
}

describeBrowser('accessibility sweep in Chromium', { viewport: { width: 1280, height: 720 } }, (w) => {
  it('the first-visit steps open the editor tabs, and hiding them is remembered across a reload', async () => {
    const strip = w.page.getByRole('region', { name: 'Getting started' });
    await strip.waitFor();
    await strip.getByRole('button', { name: 'Add workloads' }).click();
    await expect(w.page.getByRole('tab', { name: 'Workloads' }).getAttribute('aria-selected')).resolves.toBe('true');
    await strip.getByRole('button', { name: 'Tick two or more schedulers' }).click();
    await expect(w.page.getByRole('tab', { name: 'Schedulers' }).getAttribute('aria-selected')).resolves.toBe('true');
    await strip.getByRole('button', { name: 'Hide the getting-started steps' }).click();
    await expect(strip.count()).resolves.toBe(0);
    await w.page.reload();
    await waitLoaded(w.page);
    await w.page.getByRole('region', { name: /^Run / }).first().waitFor();
    await expect(w.page.getByRole('region', { name: 'Getting started' }).count()).resolves.toBe(0);
    // Bring it back for the rest of the sweep (its controls are part of the first screen).
    await w.page.evaluate(() => localStorage.removeItem('slicebench.hints-dismissed'));
    await w.page.reload();
    await waitLoaded(w.page, 'Small mixed cluster');
    await w.page.getByRole('region', { name: 'Getting started' }).waitFor();
  });

  it('every control of the editors, the runs, the summaries and the charts has an accessible name', async () => {
    let checked = 0;
    for (const tab of ['Cluster', 'Workloads', 'Schedulers']) {
      await w.page.getByRole('tab', { name: tab }).click();
      // Open the disclosures (GPU catalog, knobs of the chosen schedulers) so their controls are checked too.
      const closed = w.page.locator('.editors details:not([open]) > summary');
      for (let k = 0; k < 12 && (await closed.count()) > 0; k++) await closed.first().click();
      checked += await expectNamed(w.page, `the ${tab} tab`);
    }
    await w.page.getByRole('button', { name: 'Run to the end' }).click();
    await finished(w.page);
    checked += await expectNamed(w.page, 'the finished comparison');
    expect(checked).toBeGreaterThan(100);
  });

  it('the dialogs, menus and side panels name their controls too', async () => {
    await w.page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await w.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await expectNamed(w.page, 'the help dialog');
    await w.page.keyboard.press('Escape');

    await w.page.locator('summary', { hasText: 'Export' }).click();
    await expectNamed(w.page, 'the export menu');
    await w.page.locator('summary', { hasText: 'Export' }).click();

    await w.page.getByRole('button', { name: 'Import real trace…' }).click();
    const dialog = w.page.getByRole('dialog', { name: 'Import the real trace (openb)' });
    await dialog.waitFor();
    await expectNamed(w.page, 'the openb import dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await whyWaitingInDeadlock(w.page);
    await expectNamed(w.page, 'the why-here panel');
    await w.page.getByRole('button', { name: 'Close why-here panel' }).click();

    await w.page.getByRole('link', { name: 'Gallery' }).click();
    await w.page.getByRole('button', { name: 'Present Training gang deadlock' }).waitFor();
    await expectNamed(w.page, 'the gallery');
    await w.page.getByRole('button', { name: 'Present Training gang deadlock' }).click();
    await w.page.getByRole('status', { name: 'Story step' }).waitFor();
    await expectNamed(w.page, 'presenter mode');
    await w.page.keyboard.press('Escape');
    await w.page.waitForFunction(() => !document.documentElement.classList.contains('sb-present'));
  });

  it('keyboard focus is visible on every control it reaches, from the toolbar and from the playback bar', async () => {
    await w.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await w.page.mouse.click(2, 400); // a neutral spot: the next Tab starts at the top of the w.page
    await w.page.getByRole('tab', { name: 'Workloads' }).click();
    await w.page.getByRole('tab', { name: 'Workloads' }).focus();
    const fromTabs = await invisibleFocus(w.page, 60);
    await w.page.getByRole('button', { name: 'Step one event' }).focus();
    const fromPlayback = await invisibleFocus(w.page, 30);
    await w.page.getByRole('combobox', { name: 'Preset scenario' }).focus();
    const fromToolbar = await invisibleFocus(w.page, 20);
    expect([...fromToolbar, ...fromTabs, ...fromPlayback]).toEqual([]);
  });

  it('summary labels are readable without being cut at 1280×720 and 1920×1080', async () => {
    for (const vp of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
      await w.page.setViewportSize(vp);
      await w.page.waitForTimeout(200);
      expect(await w.page.locator('.summary dt').count()).toBeGreaterThan(10);
      expect(await cutLabels(w.page), `cut labels at ${vp.width}×${vp.height}`).toEqual([]);
      // Each label explains itself on hover and to assistive technology (title → accessible description).
      const untitled = await w.page.evaluate(() => [...document.querySelectorAll('.summary dt')].filter((d) => !d.getAttribute('title')).map((d) => d.textContent));
      expect(untitled).toEqual([]);
    }
  });

  it('the toolbar keeps one row from a 1280-px laptop to a 1080p projector', async () => {
    for (const width of [1280, 1440, 1600, 1920]) {
      await w.page.setViewportSize({ width, height: 900 });
      await w.page.waitForTimeout(150);
      // One row: every item's vertical centre lies within the first item's box.
      const rows = await w.page.evaluate(() => {
        const items = [...document.querySelectorAll('.toolbar > *')].filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().width > 0);
        const first = items[0].getBoundingClientRect();
        return items.filter((e) => {
          const r = e.getBoundingClientRect();
          const mid = r.top + r.height / 2;
          return mid < first.top || mid > first.bottom;
        }).map((e) => e.textContent?.trim() || e.tagName);
      });
      expect(rows, `toolbar items on a second row at ${width} px`).toEqual([]);
    }
  });

  it('no console errors or warnings across the views', () => {
    expect(w.s.problems).toEqual([]);
  });
});
