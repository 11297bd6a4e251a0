/**
 * Share and teach in Chromium against the built dist/: every preset opened by its link shows its stated numbers
 * (all checks pass at the end of the run), a share link round trip restores the same run, a broken or
 * future-version link shows a message and keeps the work, a link's malformed view field is named in a notice while
 * its scenario opens, opening a link loads that scenario and nothing before it, a dial drag is one undo step
 * (keyboard undo and redo), presenter mode follows the keyboard, exports produce files, the app keeps working
 * offline once loaded (the lazily loaded openb importer included), and nothing is refused by the
 * Content-Security-Policy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { encodeShareHash } from '../../src/scenario/urlCodec.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { describeBrowser, finished, ROOT, waitLoaded } from './harness.ts';

const manifest = JSON.parse(readFileSync(join(ROOT, 'public/scenarios/index.json'), 'utf8')) as { presets: { id: string; file: string; title: string; expect: { variant?: string }[] }[] };
const scenario = (file: string): Scenario => JSON.parse(readFileSync(join(ROOT, 'public/scenarios', file), 'utf8')) as Scenario;

async function simTime(page: Page): Promise<string> {
  return (await page.locator('output[aria-label="Simulated time"]').textContent()) ?? '';
}

/** Opens a URL in a fresh page load and waits until the scenario named `name` is loaded. */
async function openUrl(page: Page, url: string, name: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(url);
  await waitLoaded(page);
  await page.waitForFunction((n) => document.querySelector('.scenario-title h2')?.textContent === n, name, { timeout: 20_000 });
}

/**
 * Init script: records the scenario name of every load the page sends its simulation worker (a comlink APPLY of
 * `load`) in `window.__loads`, so a test sees exactly which scenarios were loaded and simulated.
 */
function recordWorkerLoads(): void {
  const loads: string[] = [];
  (window as unknown as { __loads: string[] }).__loads = loads;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, ...args: unknown[]) {
    const m = args[0] as { type?: string; path?: string[]; argumentList?: { value?: { name?: unknown } }[] } | null;
    if (m?.type === 'APPLY' && m.path?.[0] === 'load') loads.push(String(m.argumentList?.[0]?.value?.name));
    return (post as (...a: unknown[]) => void).apply(this, args);
  } as typeof Worker.prototype.postMessage;
}

describeBrowser('share and teach in Chromium', { scenario: null }, (w) => {
  it.each(manifest.presets.filter((p) => p.id !== 'openb-like').map((p) => [p.id, p] as const))('preset %s opened by URL shows its stated numbers', async (_id, p) => {
    await openUrl(w.page, `${w.s.url}${encodeShareHash(scenario(p.file), { preset: p.id })}`, scenario(p.file).name);
    await w.page.getByRole('button', { name: 'Stated numbers' }).click();
    const panel = w.page.getByRole('region', { name: 'Stated numbers' });
    await panel.waitFor();
    await w.page.locator('body').click({ position: { x: 5, y: 300 } });
    await w.page.keyboard.press('End');
    await finished(w.page, 60_000);
    // Every assertion about the preset as shipped is measured and holds; variant ones offer to open the variant.
    const shipped = p.expect.filter((e) => !e.variant).length;
    await w.page.waitForFunction((n) => document.querySelectorAll('section[aria-label="Stated numbers"] li[data-state="pass"]').length >= n, shipped, { timeout: 20_000 });
    expect(await panel.locator('li[data-state="fail"]').count()).toBe(0);
    expect(await panel.locator('li[data-state="pass"]').count()).toBe(shipped);
    await w.page.getByRole('button', { name: 'Stated numbers' }).click();
  });

  it('a variant opened from the stated numbers is checked too', async () => {
    const p = manifest.presets.find((x) => x.id === 'cpu-starved')!;
    await openUrl(w.page, `${w.s.url}${encodeShareHash(scenario(p.file), { preset: p.id })}`, scenario(p.file).name);
    await w.page.getByRole('button', { name: 'Stated numbers' }).click();
    await w.page.getByRole('button', { name: /open 192 cores per GPU node/ }).first().click();
    await w.page.getByRole('heading', { name: /variant|192 cores/ }).or(w.page.getByText('— 192 cores per GPU node')).first().waitFor();
    await w.page.locator('body').click({ position: { x: 5, y: 300 } });
    await w.page.keyboard.press('End');
    await finished(w.page, 60_000);
    const panel = w.page.getByRole('region', { name: 'Stated numbers' });
    await w.page.waitForFunction(() => document.querySelectorAll('section[aria-label="Stated numbers"] li[data-variant="more-cpu"][data-state="pass"]').length === 2, undefined, { timeout: 20_000 });
    expect(await panel.locator('li[data-state="fail"]').count()).toBe(0);
    await w.page.getByRole('button', { name: 'Stated numbers' }).click();
  });

  it('share link round trip: same scenario, same seed, same time, same trace hash', async () => {
    await openUrl(w.page, `${w.s.url}${encodeShareHash(scenario('gang-deadlock.json'))}`, scenario('gang-deadlock.json').name);
    await w.page.locator('body').click({ position: { x: 5, y: 300 } });
    await w.page.keyboard.press('End');
    await finished(w.page, 60_000);
    const hash = await w.page.locator('[data-metric="traceHash"]').first().textContent();
    const t = await simTime(w.page);
    await w.page.getByRole('button', { name: /Share/ }).click();
    const link = await w.page.getByRole('textbox', { name: 'Share link URL' }).inputValue();
    expect(link).toMatch(/#s1\.[A-Za-z0-9_-]+$/);
    const other = await w.s.open({ width: 1400, height: 900 });
    await other.goto(link);
    await waitLoaded(other, 'Training gang deadlock');
    await other.waitForFunction((want) => document.querySelector('output[aria-label="Simulated time"]')?.textContent === want, t, { timeout: 30_000 });
    await other.waitForFunction(() => document.querySelector('[data-metric="traceHash"]')?.textContent?.trim().length, undefined);
    expect(await other.locator('[data-metric="traceHash"]').first().textContent()).toBe(hash);
    await other.close();
  });

  it('opening a link loads the linked scenario only: the starting preset and the saved work are never loaded', async () => {
    const p = await w.s.context.newPage();
    const problems: string[] = [];
    p.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await p.addInitScript(recordWorkerLoads);
    // Saved work exists in this profile (earlier tests); the link must win over it without loading it first.
    await p.goto(`${w.s.url}${encodeShareHash(scenario('tidal-day.json'))}`);
    await waitLoaded(p, scenario('tidal-day.json').name);
    await p.waitForTimeout(500);
    expect(await p.evaluate(() => (window as unknown as { __loads: string[] }).__loads)).toEqual([scenario('tidal-day.json').name]);
    // The recorder does see the starting preset when there is no link and nothing saved.
    await p.evaluate(() => localStorage.clear());
    await p.goto(w.s.url);
    await waitLoaded(p, 'Small mixed cluster');
    expect(await p.evaluate(() => (window as unknown as { __loads: string[] }).__loads)).toEqual(['Small mixed cluster']);
    expect(problems).toEqual([]);
    await p.close();
  });

  it('a link with a malformed view field opens its scenario and a notice names the ignored field; Escape dismisses it', async () => {
    // view.paper.seeds must be text ("42..51"): a number is dropped with a warning naming the field.
    const view = { paper: { seeds: 42 } } as unknown as Parameters<typeof encodeShareHash>[1];
    const seen = w.s.problems.length;
    await openUrl(w.page, `${w.s.url}${encodeShareHash(scenario('tidal-day.json'), view)}`, scenario('tidal-day.json').name);
    const notice = w.page.getByRole('status', { name: 'Notice about what was opened' });
    await expect.poll(() => notice.textContent()).toMatch(/view\.paper\.seeds: ignored/);
    await notice.getByRole('button', { name: 'Dismiss notice' }).focus();
    await w.page.keyboard.press('Escape');
    await expect.poll(() => notice.textContent()).toBe('');
    expect(await w.page.evaluate(() => document.activeElement?.id)).toBe('run-controls');
    expect(w.s.problems.slice(seen).filter((p) => /^(error|pageerror):/.test(p))).toEqual([]);
  });

  it('a dial drag is one undo step; Ctrl+Z undoes it, Ctrl+Shift+Z and Ctrl+Y redo it', async () => {
    await openUrl(w.page, `${w.s.url}${encodeShareHash(scenario('gang-deadlock.json'))}`, scenario('gang-deadlock.json').name);
    await w.page.getByRole('tab', { name: 'Cluster' }).click();
    const dial = w.page.getByRole('spinbutton', { name: /^Node count of pool / }).first();
    const before = Number(await dial.getAttribute('aria-valuenow'));
    const box = (await dial.boundingBox())!;
    const y = box.y + box.height / 2;
    await w.page.mouse.move(box.x + box.width / 2, y);
    await w.page.mouse.down();
    for (let i = 1; i <= 20; i++) await w.page.mouse.move(box.x + box.width / 2 + i * 8, y);
    await w.page.mouse.up();
    expect(Number(await dial.getAttribute('aria-valuenow'))).toBe(before + 20);
    const count = (n: number) => w.page.waitForFunction(([want]) => document.querySelector('[role="spinbutton"][aria-label^="Node count of pool "]')?.getAttribute('aria-valuenow') === String(want), [n], { timeout: 10_000 });
    // Twenty values shown during the drag, one step in the history.
    await w.page.keyboard.press('Control+z');
    await count(before);
    await w.page.keyboard.press('Control+Shift+z');
    await count(before + 20);
    await w.page.getByRole('button', { name: 'Undo' }).click();
    await count(before);
    await w.page.keyboard.press('Control+y');
    await count(before + 20);
    await waitLoaded(w.page, scenario('gang-deadlock.json').name);
  });

  it.each([
    ['truncated', (h: string) => h.slice(0, 60), /damaged/],
    ['from a newer version', (h: string) => `#s9.${h.slice(4)}`, /newer Slicebench/],
    ['garbage', () => '#s1.not*a*link', /damaged/],
  ])('a %s link shows a message and keeps the current work', async (_what, mutate, message) => {
    await openUrl(w.page, `${w.s.url}${encodeShareHash(scenario('cpu-starved.json'))}`, scenario('cpu-starved.json').name);
    await w.page.getByRole('heading', { name: /CPUs matter/ }).first().waitFor();
    await w.page.evaluate((h) => {
      location.hash = h;
    }, mutate(encodeShareHash(scenario('tidal-day.json'))));
    await w.page.getByText('This link could not be opened — your current work is kept.').waitFor();
    await expect(w.page.locator('.error-banner').textContent()).resolves.toMatch(message);
    expect(await w.page.getByRole('heading', { name: /CPUs matter/ }).count()).toBeGreaterThan(0);
    // A reload restores the saved work (the broken link never replaced it).
    await w.page.evaluate(() => history.replaceState(null, '', location.pathname));
    await w.page.reload();
    await waitLoaded(w.page, /CPUs matter/);
  });

  it('undo and redo walk the edits; the work survives a reload', async () => {
    await openUrl(w.page, `${w.s.url}${encodeShareHash(scenario('gang-deadlock.json'))}`, scenario('gang-deadlock.json').name);
    await w.page.evaluate(() => history.replaceState(null, '', location.pathname));
    const undo = w.page.getByRole('button', { name: 'Undo' });
    await w.page.getByRole('button', { name: 'Gallery' }).or(w.page.getByRole('link', { name: 'Gallery' })).first().click();
    await w.page.getByRole('button', { name: 'Open Agents: mostly idle, with bursts' }).click();
    await waitLoaded(w.page, 'Agents: mostly idle, with bursts');
    await undo.click();
    await w.page.waitForFunction(() => document.querySelector('.scenario-title h2')?.textContent === 'Training gang deadlock', undefined, { timeout: 10_000 }).catch(async () => {
      throw new Error(`after undo the scenario is ${await w.page.locator('.scenario-title h2').textContent()}`);
    });
    await w.page.getByRole('button', { name: 'Redo' }).click();
    await waitLoaded(w.page, 'Agents: mostly idle, with bursts');
    await w.page.reload();
    await waitLoaded(w.page, 'Agents: mostly idle, with bursts');
  });

  it('the gallery lists every preset with a thumbnail and its claim', async () => {
    await w.page.goto(`${w.s.url}#/gallery`);
    const cards = w.page.getByRole('article');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(manifest.presets.length);
    expect(await w.page.locator('.sb-thumb svg[role="img"]').count()).toBe(manifest.presets.length);
    for (let c = 1; c <= 8; c++) expect(await w.page.getByText(new RegExp(`^Claim ${c}:`)).count()).toBeGreaterThan(0);
  });

  it('presenter mode: large type, editors hidden, arrow keys and PageUp/PageDown move through the story', async () => {
    await w.page.goto(`${w.s.url}#/gallery`);
    await w.page.getByRole('button', { name: 'Present Training gang deadlock' }).click();
    const caption = w.page.getByRole('status', { name: 'Story step' });
    await caption.waitFor();
    await expect(caption.textContent()).resolves.toMatch(/arrive together/);
    expect(await w.page.locator('.editors').isVisible()).toBe(false);
    expect(await w.page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('20px');
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => /Workers interleave/.test(document.querySelector('.sb-caption')?.textContent ?? ''));
    await w.page.waitForFunction(() => document.querySelector('output[aria-label="Simulated time"]')?.textContent?.startsWith('1:00:00') ?? false, undefined, { timeout: 20_000 }).catch(() => undefined);
    expect(await w.page.locator('.sb-highlight').count()).toBe(1);
    await w.page.keyboard.press('PageDown');
    await w.page.waitForFunction(() => /Volcano places a gang/.test(document.querySelector('.sb-caption')?.textContent ?? ''));
    await w.page.keyboard.press('PageUp');
    await w.page.waitForFunction(() => /Workers interleave/.test(document.querySelector('.sb-caption')?.textContent ?? ''));
    await w.page.keyboard.press('ArrowLeft');
    await w.page.waitForFunction(() => /arrive together/.test(document.querySelector('.sb-caption')?.textContent ?? ''));
    await w.page.keyboard.press('Escape');
    await w.page.waitForFunction(() => !document.documentElement.classList.contains('sb-present'));
    expect(await w.page.locator('.editors').isVisible()).toBe(true);
  });

  it('?present=1 with a preset link starts presenter mode on that preset, loading nothing else first', async () => {
    const p = await w.s.context.newPage();
    await p.addInitScript(recordWorkerLoads);
    await p.goto(`${w.s.url}?present=1${encodeShareHash(scenario('gang-deadlock.json'), { preset: 'gang-deadlock' })}`);
    const caption = p.getByRole('status', { name: 'Story step' });
    await caption.waitFor();
    await expect(caption.textContent()).resolves.toMatch(/arrive together/);
    expect(await p.evaluate(() => document.documentElement.classList.contains('sb-present'))).toBe(true);
    expect((await p.evaluate(() => (window as unknown as { __loads: string[] }).__loads))[0]).toBe(scenario('gang-deadlock.json').name);
    await p.close();
  });

  it('?embed=1 hides the chrome', async () => {
    const p = await w.s.open();
    await p.goto(`${w.s.url}?embed=1${encodeShareHash(scenario('gang-deadlock.json'))}`);
    await waitLoaded(p, 'Training gang deadlock');
    expect(await p.locator('.toolbar').isVisible()).toBe(false);
    expect(await p.locator('.editors').isVisible()).toBe(false);
    expect(await p.locator('.charts').isVisible()).toBe(true);
    await p.getByRole('link', { name: /Open in Slicebench/ }).waitFor();
    await p.close();
  });

  it('exports produce files: charts and cluster as SVG and PNG, CSV, JSON, an HTML report', async () => {
    await openUrl(w.page, `${w.s.url}${encodeShareHash(scenario('whole-gpu-waste.json'))}`, scenario('whole-gpu-waste.json').name);
    await w.page.locator('body').click({ position: { x: 5, y: 300 } });
    await w.page.keyboard.press('End');
    await finished(w.page, 60_000);
    const files: Record<string, string> = {};
    const names = ['Charts as SVG', 'Charts as PNG', 'Cluster view as SVG', 'Cluster view as PNG', 'Metric series (CSV)', 'Summary (CSV)', 'Series and summary (JSON)', 'Scenario (JSON)', 'Comparison report (HTML)'];
    for (const name of names) {
      await w.page.locator('details.sb-menu > summary').click();
      const [dl] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name }).click()]);
      const path = await dl.path();
      files[name] = readFileSync(path!).toString('latin1');
      expect(dl.suggestedFilename()).toMatch(/^whole-gpu-waste/);
      await w.page.keyboard.press('Escape');
      await w.page.locator('details.sb-menu').evaluate((d) => d.removeAttribute('open'));
    }
    expect(files['Charts as SVG']).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(files['Charts as SVG']).toContain('GPU allocation');
    expect(files['Charts as PNG'].slice(1, 4)).toBe('PNG');
    expect(files['Cluster view as PNG'].slice(1, 4)).toBe('PNG');
    expect(files['Cluster view as SVG']).toContain('<svg');
    expect(files['Metric series (CSV)'].split('\r\n')[0]).toBe('run,profile,tS,allocationPct,utilizationPct,gpuMemBookedPct,gpuMemUsedPct,strandedGpus,fragmentedGpus,pending,meanWaitS,inferenceQps,inferenceReplicas,sloAttainmentPct,p50LatencyMs,p99LatencyMs,agentBurstLatencyS,trainingRunning,trainingCompleted,trainingProgressPct,costUsd,oomKills');
    // 6 h at a 300 s step = 72 samples per run, 2 runs, plus the header and a final empty line.
    expect(files['Metric series (CSV)'].split('\r\n').length).toBe(2 * 72 + 2);
    expect(files['Summary (CSV)'].split('\r\n')[1]).toMatch(/^k8s-default,k8s-default,/);
    expect(JSON.parse(files['Series and summary (JSON)']).runs).toHaveLength(2);
    expect(JSON.parse(files['Scenario (JSON)']).name).toMatch(/Whole-GPU waste/);
    expect(files['Comparison report (HTML)']).toMatch(/^<!doctype html>/);
    expect(files['Comparison report (HTML)']).not.toMatch(/<script/);
    expect(files['Comparison report (HTML)']).toContain('Stated numbers');
  });

  it('keeps working offline once loaded (service worker), "Import real trace" included', async () => {
    const p = await w.s.open();
    await waitLoaded(p);
    // The worker precaches the page, its assets (the simulation worker and the lazily loaded openb importer
    // included) and the presets, and claims the page.
    const ready = async () =>
      p.evaluate(async () => {
        const keys = (await (await caches.open('slicebench-v1')).keys()).map((r) => r.url);
        return (
          !!navigator.serviceWorker.controller &&
          keys.some((k) => /assets\/simWorker-[\w-]+\.js$/.test(k)) &&
          keys.some((k) => /assets\/main-[\w-]+\.js$/.test(k)) &&
          keys.some((k) => /assets\/openbScenario-[\w-]+\.js$/.test(k)) &&
          keys.some((k) => k.endsWith('scenarios/gang-deadlock.json'))
        );
      });
    for (let i = 0; i < 120 && !(await ready()); i++) await p.waitForTimeout(250);
    if (!(await ready())) {
      const d = await p.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return { reg: !!r, installing: r?.installing?.state, waiting: r?.waiting?.state, active: r?.active?.state, controller: !!navigator.serviceWorker.controller, keys: (await (await caches.open('slicebench-v1')).keys()).length };
      });
      throw new Error(`service worker not ready: ${JSON.stringify(d)}`);
    }
    await w.s.context.setOffline(true);
    try {
      await p.reload();
      await waitLoaded(p);
      await p.goto(`${w.s.url}#/gallery`);
      await p.getByRole('article').first().waitFor();
      // The openb importer is a lazily loaded chunk: offline it comes from the cache (docs/deploy.md promises it).
      await p.goto(w.s.url);
      await waitLoaded(p);
      await p.getByRole('button', { name: 'Import real trace…' }).click();
      const dialog = p.getByRole('dialog', { name: 'Import the real trace (openb)' });
      const nodes = ['sn,cpu_milli,memory_mib,gpu,model', 'n-0,96000,786432,8,G2', 'n-1,64000,262144,4,T4'].join('\n');
      const pods = ['name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time', 'p-0,4000,8192,1,500,,LS,Running,0,600,0', 'p-1,8000,16384,1,1000,,LS,Running,60,900,60'].join('\n');
      await dialog.getByLabel('Node list CSV file').setInputFiles({ name: 'nodes.csv', mimeType: 'text/csv', buffer: Buffer.from(nodes) });
      await dialog.getByLabel('Pod list CSV file').setInputFiles({ name: 'pods.csv', mimeType: 'text/csv', buffer: Buffer.from(pods) });
      await dialog.getByRole('button', { name: 'Import and load' }).click();
      await waitLoaded(p, 'openb replay: pods.csv');
      expect(await p.getByRole('dialog').count()).toBe(0);
    } finally {
      await w.s.context.setOffline(false);
      await p.close();
    }
  });

  it('runs under its Content-Security-Policy: nothing above was refused', () => {
    // index.html's meta tag (docs/deploy.md); every test above (presets, links, exports with their PNG blobs, the
    // gallery's thumbnails, presenter mode, offline and the lazily loaded importer) ran under it.
    const html = readFileSync(join(ROOT, 'dist/index.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self';/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(w.s.problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
  });
});
