/**
 * Work that is never lost and forms that agree with the run, in Chromium against the built dist/ (issue 18 items
 * 4 and 6, issue 19 item 3): a refused edit leaves the form and the run consistent and later edits apply; values
 * that can never fit are warned about; a link restores the speed and the preset name; a broken link opened by a
 * returning visitor asks before the saved work is shown; two tabs ask before overwriting each other; a full
 * storage is reported and the saved work still restored; presenter mode on a custom shared scenario keeps it;
 * a worker error stops the run and says so.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeShareHash, encodeShareHash } from '../../src/scenario/urlCodec.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { describeBrowser, ROOT, waitLoaded } from './harness.ts';

const scenario = (file: string): Scenario => JSON.parse(readFileSync(join(ROOT, 'public/scenarios', file), 'utf8')) as Scenario;

const heading = (page: Page): Promise<string | null> => page.locator('.scenario-title h2').textContent();

async function waitHeading(page: Page, name: string): Promise<void> {
  await page.waitForFunction((n) => document.querySelector('.scenario-title h2')?.textContent === n, name, { timeout: 20_000 });
}

/** The nodes the cluster view draws (its accessible name says `N nodes`). */
async function drawnNodes(page: Page): Promise<number> {
  const label = (await page.locator('.cluster-view svg, .cluster-view canvas').first().getAttribute('aria-label')) ?? '';
  return Number(/(\d+) nodes/.exec(label)?.[1] ?? NaN);
}

/** Types a value into a number field and leaves it (the change event commits it). */
async function typeInto(page: Page, name: string | RegExp, value: string): Promise<void> {
  const field = page.getByRole('spinbutton', { name, exact: typeof name === 'string' }).first();
  await field.fill(value);
  await field.press('Tab');
}

/** The saved work's scenario name and seed in this browser profile. */
async function savedWork(page: Page): Promise<{ name: string; seed: number } | null> {
  return page.evaluate(() => {
    const t = localStorage.getItem('slicebench.autosave');
    if (!t) return null;
    const r = JSON.parse(t) as { scenario: { name: string; sim: { seed: number } } };
    return { name: r.scenario.name, seed: r.scenario.sim.seed };
  });
}

async function shareLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share link', exact: true }).click();
  const link = await page.getByRole('textbox', { name: 'Share link URL' }).inputValue();
  await page.getByRole('dialog', { name: 'Share link' }).getByRole('button', { name: 'Close' }).click();
  return link;
}

describeBrowser('work that is never lost, forms that agree with the run', {}, (w) => {
  it('a refused edit leaves the form and the run consistent, says why in words, and later edits apply', async () => {
    const p = w.page;
    await p.getByRole('tab', { name: 'Cluster' }).click();
    const exact = p.getByRole('spinbutton', { name: 'Nodes in pool h100 (type an exact number)' });
    const nodes = await drawnNodes(p);
    const h100 = await exact.inputValue();
    for (const [typed, message] of [
      ['-3', 'Node count must be at least 1'],
      ['0', 'Node count must be at least 1'],
      ['100000', 'Node count must be at most 2,000'],
      ['2.5', 'Node count must be a whole number'],
    ]) {
      await typeInto(p, 'Nodes in pool h100 (type an exact number)', typed);
      await p.getByText(`${message}; still running with ${h100}.`).waitFor();
      // The form shows what runs: the refused value is not left in the field, the dial and the view are unchanged.
      expect(await exact.inputValue()).toBe(h100);
      expect(await exact.getAttribute('aria-invalid')).toBe('true');
      expect(await p.getByRole('spinbutton', { name: /^Node count of pool h100/ }).getAttribute('aria-valuenow')).toBe(h100);
      expect(await drawnNodes(p)).toBe(nodes);
    }
    // An unrelated edit applies (the refused value did not stay behind to fail it).
    await typeInto(p, 'Racks of pool h100', '2');
    await p.waitForTimeout(600);
    expect(await p.getByRole('alert').count()).toBe(0);
    expect(await p.getByRole('spinbutton', { name: 'Racks of pool h100' }).inputValue()).toBe('2');
    // A valid count clears the field's message and the view follows.
    await typeInto(p, 'Nodes in pool h100 (type an exact number)', String(Number(h100) + 1));
    await p.waitForFunction((n) => new RegExp(`${n} nodes`).test(document.querySelector('.cluster-view svg, .cluster-view canvas')?.getAttribute('aria-label') ?? ''), nodes + 1);
    expect(await exact.getAttribute('aria-invalid')).toBeNull();
    // A refused choice (8 GPUs over 3... here 2 GPUs over 4 sockets) names the pool and goes back in the control.
    await p.getByRole('combobox', { name: 'GPUs per node in pool h100', exact: true }).selectOption('2');
    const numa = p.getByRole('combobox', { name: 'NUMA layout of pool h100', exact: true });
    const numaBefore = await numa.inputValue();
    await numa.selectOption('4');
    await p.getByRole('alert').filter({ hasText: 'This change was not applied' }).waitFor();
    await expect(p.getByRole('alert').textContent()).resolves.toMatch(/Pool "h100", NUMA layout: 2 GPUs cannot be split evenly over 4 NUMA nodes/);
    expect(await numa.inputValue()).toBe(numaBefore);
    await p.getByRole('button', { name: 'Dismiss message' }).click();
    // A bad duration is refused at its field.
    await p.getByRole('tab', { name: 'Workloads' }).click();
    await typeInto(p, 'Simulated duration in hours', '-1');
    await p.getByText(/^Duration must be at least 0\.1 h; still running with [0-9.,]+ h\.$/).waitFor();
    expect(w.s.problems).toEqual([]);
  });

  it('the GPU catalog refuses a value at its field, in words, and keeps what runs', async () => {
    const p = w.page;
    await p.getByRole('tab', { name: 'Cluster' }).click();
    await p.locator('summary', { hasText: 'GPU catalog' }).click();
    const mem = p.getByRole('spinbutton', { name: 'Memory of H100 in GiB', exact: true });
    const price = p.getByRole('spinbutton', { name: 'Price per GPU-hour of H100', exact: true });
    const [memBefore, priceBefore] = [await mem.inputValue(), await price.inputValue()];
    await typeInto(p, 'Memory of H100 in GiB', '0');
    await p.getByText(`Memory of H100 SXM 80GB must be at least 1 GiB; still running with ${memBefore} GiB.`).waitFor();
    expect(await mem.inputValue()).toBe(memBefore);
    expect(await mem.getAttribute('aria-invalid')).toBe('true');
    await typeInto(p, 'Price per GPU-hour of H100', '-1');
    await p.getByText(/^Price of H100 SXM 80GB must be at least 0 \$\/h; still running with [0-9.]+ \$\/h\.$/).waitFor();
    expect(await price.inputValue()).toBe(priceBefore);
    // A valid price applies and clears the field's message; undo puts the old one back.
    await typeInto(p, 'Price per GPU-hour of H100', '3.5');
    await p.waitForFunction(() => !document.querySelector('[aria-label="Price per GPU-hour of H100"][aria-invalid]'));
    expect(await price.inputValue()).toBe('3.5');
    await p.getByRole('button', { name: 'Undo' }).click();
    await p.waitForFunction((v) => (document.querySelector('[aria-label="Price per GPU-hour of H100"]') as HTMLInputElement | null)?.value === v, priceBefore);
    expect(await p.getByRole('alert').count()).toBe(0);
    await p.locator('summary', { hasText: 'GPU catalog' }).click();
    await p.getByRole('tab', { name: 'Workloads' }).click();
  });

  it('values that can never fit are warned about on the workload', async () => {
    const p = w.page;
    await typeInto(p, 'GPUs/worker of llm-finetune', '64');
    await p.getByRole('note', { name: 'Warning about llm-finetune' }).getByText(/64 GPUs per worker can never fit: the largest node has \d+ GPUs?; its pods would wait forever\./).waitFor();
    await typeInto(p, 'GPUs/worker of llm-finetune', '1');
    await typeInto(p, 'GPU mem (GiB) of llm-finetune', '500');
    await p.getByRole('note', { name: 'Warning about llm-finetune' }).getByText(/500 GiB of GPU memory per GPU can never fit: the largest GPU here has 79.6 GiB/).waitFor();
    await p.getByRole('button', { name: 'Undo' }).click();
    await p.waitForFunction(() => !document.querySelector('[aria-label="Warning about llm-finetune"]'));
  });

  it('a link restores the speed and the preset name (an edited preset stays that preset when shared again)', async () => {
    const p = w.page;
    await p.getByRole('combobox', { name: 'Preset scenario' }).selectOption('gang-deadlock');
    await waitLoaded(p, 'Training gang deadlock');
    await p.getByRole('tab', { name: 'Workloads' }).click();
    await typeInto(p, 'Random seed', '7');
    // The picker names the preset the edited work came from.
    const picker = p.getByRole('combobox', { name: 'Preset scenario' });
    await p.waitForFunction(() => (document.querySelector('select.preset-picker') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent?.trim() === 'Training gang deadlock (edited)');
    expect(await picker.inputValue()).toBe('');
    await p.getByRole('combobox', { name: 'Speed' }).selectOption('10');
    const link = await shareLink(p);
    const d = decodeShareHash(new URL(link).hash);
    expect(d.ok && d.state.view).toMatchObject({ speed: 10, preset: 'gang-deadlock' });
    const other = await w.s.open({ width: 1400, height: 900 });
    await other.goto(link);
    await waitLoaded(other, 'Training gang deadlock');
    expect(await other.getByRole('combobox', { name: 'Speed' }).inputValue()).toBe('10');
    // The preset the edited scenario came from is known here too: shared again, the link still names it.
    await other.locator('summary', { hasText: 'Export' }).click();
    await other.getByRole('button', { name: 'Reset to preset' }).waitFor();
    await other.locator('summary', { hasText: 'Export' }).click();
    const again = decodeShareHash(new URL(await shareLink(other)).hash);
    expect(again.ok && again.state.view).toMatchObject({ speed: 10, preset: 'gang-deadlock' });
    expect(again.ok && again.state.scenario.sim.seed).toBe(7);
    await other.close();
  });

  it('a broken link opened by a returning visitor shows its error until dismissed and asks before the saved work is shown', async () => {
    const saved = await savedWork(w.page);
    expect(saved).not.toBeNull();
    const p = await w.s.open({ width: 1400, height: 900 });
    // A fresh load of the page with the link (not a hash change in a page already open).
    await p.goto('about:blank');
    await p.goto(`${w.s.url}#s1.this-is-not-a-link`);
    const alert = p.getByRole('alert').filter({ hasText: 'This link could not be opened.' });
    await alert.getByText(`Your saved work ("${saved!.name}") is safe and was not changed. Open it instead?`).waitFor();
    await p.waitForTimeout(500);
    // Nothing was opened over the saved work meanwhile; the run area asks too and says what will load.
    expect(await heading(p)).toBe('Nothing is running yet');
    const waiting = p.getByRole('region', { name: 'Waiting for your choice' });
    await expect(waiting.textContent()).resolves.toContain(`Your saved work ("${saved!.name}") is safe and was not changed. Open it instead?`);
    await expect(waiting.textContent()).resolves.toContain(`What will load: "${saved!.name}": `);
    await expect(waiting.textContent()).resolves.toMatch(/": \d+ nodes? with \d+ GPUs? in \d+ pools?, \d+ workloads?, under .+\.$/);
    expect(await savedWork(p)).toEqual(saved);
    await alert.getByRole('button', { name: 'Open my saved work' }).click();
    await waitLoaded(p);
    await waitHeading(p, saved!.name);
    // The link's message stays until dismissed.
    await p.waitForTimeout(300);
    await expect(alert.textContent()).resolves.toMatch(/damaged/);
    await alert.getByRole('button', { name: 'Dismiss message' }).click();
    await p.waitForFunction(() => !document.querySelector('[role="alert"]'));
    expect(await savedWork(p)).toEqual(saved);
    await p.close();
  });

  it('two tabs ask before one overwrites the other', async () => {
    const a = w.page;
    const name = (await heading(a))!;
    const b = await w.s.open({ width: 1400, height: 900 });
    await waitLoaded(b, name);
    await b.getByRole('combobox', { name: 'Preset scenario' }).selectOption('tidal-day');
    await waitLoaded(b);
    const tidal = (await heading(b))!;
    expect(tidal).not.toBe(name);
    // Tab A hears of it and stops saving until asked.
    const askA = a.getByRole('alert', { name: 'Saved in another tab' });
    await askA.getByText(`Your saved work was changed in another tab (now "${tidal}").`).waitFor();
    await a.getByRole('tab', { name: 'Workloads' }).click();
    await typeInto(a, 'Random seed', '99');
    await a.waitForTimeout(400);
    expect((await savedWork(a))?.name).toBe(tidal);
    await askA.getByRole('button', { name: "Keep this tab's work" }).click();
    await a.waitForFunction(() => !document.querySelector('[aria-label="Saved in another tab"]'));
    expect(await savedWork(a)).toEqual({ name, seed: 99 });
    // Now tab B asks; it opens tab A's work (its own is an undo away).
    const askB = b.getByRole('alert', { name: 'Saved in another tab' });
    await askB.getByRole('button', { name: "Open the other tab's work" }).click();
    await waitHeading(b, name);
    await b.getByRole('button', { name: 'Undo' }).click();
    await waitHeading(b, tidal);
    await b.close();
  });

  it('a full storage is reported, and the saved work is still restored on the next load', async () => {
    const p = await w.s.open({ width: 1400, height: 900 });
    const saved = (await savedWork(p))!;
    await waitLoaded(p, saved.name);
    // Fill the origin's storage: 1 MiB strings, then smaller ones, until the browser refuses.
    await p.evaluate(() => {
      let i = 0;
      for (let size = 1 << 20; size >= 1; size >>= 1) {
        for (;;) {
          try {
            localStorage.setItem(`fill.${i++}`, 'x'.repeat(size));
          } catch {
            break;
          }
        }
      }
    });
    await p.getByRole('tab', { name: 'Workloads' }).click();
    await p.getByRole('button', { name: '+ Batch pods' }).click();
    await p.getByRole('alert', { name: 'Not saved' }).getByText(/Your work is not being saved: .*storage .* is full/).waitFor();
    expect(await savedWork(p)).toEqual(saved);
    await p.reload();
    await waitLoaded(p, saved.name);
    await p.getByRole('tab', { name: 'Workloads' }).click();
    expect(await p.getByRole('spinbutton', { name: 'Random seed' }).inputValue()).toBe(String(saved.seed));
    await p.evaluate(() => {
      for (const k of Object.keys(localStorage)) if (k.startsWith('fill.')) localStorage.removeItem(k);
    });
    await p.close();
  });

  it('presenter mode on a custom shared scenario presents it as it is: neither it nor the saved work is replaced', async () => {
    const custom = { ...scenario('small-mixed.json'), name: 'My own cluster' };
    custom.sim = { ...custom.sim, seed: 5 };
    const p = await w.s.open({ width: 1280, height: 720 });
    await p.goto(`${w.s.url}?present=1${encodeShareHash(custom)}`);
    await waitLoaded(p, 'My own cluster');
    await p.waitForFunction(() => document.documentElement.classList.contains('sb-present'));
    await p.getByRole('region', { name: 'Presenter' }).getByText('My own cluster — step 1 of 1').waitFor();
    await p.waitForTimeout(800);
    expect(await heading(p)).toBe('My own cluster');
    expect(await savedWork(p)).toEqual({ name: 'My own cluster', seed: 5 });
    await p.keyboard.press('Escape');
    await p.close();
  });

  it('a worker error stops the run where it was and says so; the scenario is kept', async () => {
    const p = await w.s.context.newPage();
    // Fault injection: from the third playback call on, the worker's answer is a thrown InvariantError, as comlink
    // delivers one (a crash inside the simulator). Everything else goes to the real worker.
    await p.addInitScript(() => {
      const post = Worker.prototype.postMessage;
      let calls = 0;
      Worker.prototype.postMessage = function (this: Worker, ...args: unknown[]) {
        const m = args[0] as { id?: string; type?: string; path?: string[] } | null;
        const armed = (window as unknown as { __failFrom?: number }).__failFrom;
        if (armed !== undefined && m?.type === 'APPLY' && ['advanceTo', 'stepEvent', 'runTo'].includes(m.path?.[0] ?? '') && ++calls >= armed) {
          const data = { id: m.id, type: 'HANDLER', name: 'throw', value: { isError: true, value: { name: 'InvariantError', message: 'ClusterState.bind: GPU 3 of node h100-0 would be over 1000 milli', stack: '' } } };
          setTimeout(() => this.dispatchEvent(new MessageEvent('message', { data })), 0);
          return;
        }
        return (post as (...a: unknown[]) => void).apply(this, args);
      } as typeof Worker.prototype.postMessage;
    });
    await p.goto(w.s.url);
    await waitLoaded(p);
    const name = (await heading(p))!;
    await p.evaluate(() => void ((window as unknown as { __failFrom: number }).__failFrom = 3));
    await p.getByRole('button', { name: 'Play' }).click();
    const alert = p.getByRole('alert').filter({ hasText: 'The simulation stopped with an error' });
    await alert.waitFor({ timeout: 20_000 });
    await expect(alert.textContent()).resolves.toMatch(/not a finished run\. Your scenario is kept\..*InvariantError: ClusterState\.bind/);
    await p.getByText(/^Stopped by an error at .*: these numbers are not a finished run\.$/).first().waitFor();
    // Playback stopped and the clock stays where it was (no jump to the end).
    const clock = await p.locator('output[aria-label="Simulated time"]').textContent();
    const [now, end] = (clock ?? '').split(' / ');
    expect(now).not.toBe(end);
    await p.keyboard.press('End');
    await p.getByRole('button', { name: 'Play' }).click();
    await p.waitForTimeout(800);
    expect(await p.locator('output[aria-label="Simulated time"]').textContent()).toBe(clock);
    expect(await heading(p)).toBe(name);
    await p.close();
  });
});

