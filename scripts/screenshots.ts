/**
 * Regenerates the screenshots of the main views in Debian's Chromium against the built site (same harness as
 * the e2e tests: `vite preview` of dist/, built first when stale):
 *   docs/screenshot.png                    README hero: k8s-default vs hami-binpack on whole-gpu-waste
 *   docs/screenshots/compare.png           the same comparison, scrolled to the differences, summaries and charts
 *   docs/screenshots/cluster-sketcher.png  first screen: getting-started steps, pool editors, cluster views
 *   docs/screenshots/workload-sketcher.png an inference service's request rate drawn with the mouse
 *   docs/screenshots/why-here.png          "why here?" on a pod waiting in the gang deadlock
 *   docs/screenshots/gallery.png           the presets gallery
 *   docs/screenshots/presenter.png         presenter mode, step 2 of the gang-deadlock story
 *   docs/screenshots/presenter-720.png     the same step on a 1280×720 projector (caption panel docked right)
 *   docs/screenshots/presenter-720-end.png its closing step after End (run to the end, checks decided)
 *   docs/screenshots/presenter-720-qr.png  the closing step's share link as a QR code (Q)
 *   docs/screenshots/openb-import.png      the openb import dialog with the real trace files chosen
 *   docs/screenshots/compare-claim.png     nvlink-placement at the end: "What differs" leads with its claim (slowdown)
 *   docs/screenshots/deadlock-header.png   gang-deadlock at 150 s: the run headers agree with the drawing
 *   docs/screenshots/planner.png           Plan mode: the chat-h100-plan preset's plan run, its answer and bands
 * (docs/screenshots/openb-replay.png, the real trace replayed, is a separate, slower capture.)
 * Usage: npx tsx scripts/screenshots.ts [outDir] [--only=compare,gallery,…]   (outDir defaults to docs/; it holds
 * screenshot.png and screenshots/; --only takes the capture names of main() below)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, startSession, waitLoaded, type Session } from '../test/e2e/harness.ts';

const VIEWPORT = { width: 1600, height: 1000 };
const OPENB = join(ROOT, '..', 'shared', 'data', 'openb');

/** Waits until the clock reads `prefix` (e.g. '4:00:00'). */
async function clockAt(page: Page, prefix: string): Promise<void> {
  await page.waitForFunction((p) => document.querySelector('output[aria-label="Simulated time"]')?.textContent?.startsWith(p) ?? false, prefix, { timeout: 30_000 });
}

/** Waits until every run has reached the end. */
async function finished(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const [now, end] = (document.querySelector('output[aria-label="Simulated time"]')?.textContent ?? '').split(' / ');
    return !!end && now === end;
  }, undefined, { timeout: 60_000 });
}

/** A page with the given preset loaded; the getting-started steps hidden unless `hints`. */
async function openPreset(s: Session, preset: string, title: RegExp | string, hints = false, viewport = VIEWPORT): Promise<Page> {
  const page = await s.open(viewport);
  // The theme follows the system: capture the default dark theme whatever the machine's setting.
  await page.emulateMedia({ colorScheme: 'dark' });
  await waitLoaded(page);
  // Start from the first preset, not from the work an earlier capture autosaved.
  await page.evaluate((h) => {
    localStorage.removeItem('slicebench.autosave');
    if (h) localStorage.removeItem('slicebench.hints-dismissed');
    else localStorage.setItem('slicebench.hints-dismissed', '1');
  }, hints);
  await page.reload();
  await waitLoaded(page);
  if (preset !== 'small-mixed') await page.getByRole('combobox', { name: 'Preset scenario' }).selectOption(preset);
  await waitLoaded(page, title);
  return page;
}

/** Whole-GPU waste under k8s-default and hami-binpack, at 4:00 of the run (the notebooks queue under the device plugin). */
async function comparison(s: Session, hero: string, out: string): Promise<void> {
  const page = await openPreset(s, 'whole-gpu-waste', /Whole-GPU waste/);
  await page.getByRole('tab', { name: 'Schedulers' }).click();
  await page.getByRole('checkbox', { name: 'Run hami-binpack' }).check();
  await page.getByRole('article', { name: 'Summary of hami-binpack' }).waitFor();
  await page.getByRole('tab', { name: 'Cluster' }).click();
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(4 * 3600));
  await clockAt(page, '4:00:00');
  await page.waitForTimeout(800);
  await page.locator('.cluster-view svg .cell').nth(3).hover();
  await page.waitForTimeout(300);
  await page.screenshot({ path: hero });
  await page.mouse.move(5, 5);
  await page.getByRole('region', { name: 'Differences' }).scrollIntoViewIfNeeded();
  await page.evaluate(() => document.querySelector('.compare')?.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  await page.screenshot({ path: out });
  await page.close();
}

/** The first screen: steps strip, pool editors and the cluster views (a pool grown with the dial's keys). */
async function clusterSketcher(s: Session, out: string): Promise<void> {
  const page = await openPreset(s, 'small-mixed', 'Small mixed cluster', true);
  await page.getByRole('region', { name: 'Getting started' }).waitFor();
  const dial = page.getByRole('spinbutton', { name: 'Node count of pool h100' });
  await dial.focus();
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => /7 nodes/.test(document.querySelector('.cluster-view svg')?.getAttribute('aria-label') ?? ''));
  await page.waitForTimeout(400);
  await page.screenshot({ path: out });
  await page.close();
}

/** The chat service's request rate sketched as a two-peak day with the mouse. */
async function workloadSketcher(s: Session, out: string): Promise<void> {
  const page = await openPreset(s, 'small-mixed', 'Small mixed cluster');
  // Taller, so the demand preview at the top of the tab and the chat service's sketch pad show together.
  await page.setViewportSize({ width: 1600, height: 1300 });
  await page.getByRole('tab', { name: 'Workloads' }).click();
  const pad = page.getByRole('img', { name: /^Request rate of chat over the day/ });
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  // Morning and evening peaks: y is a fraction of the pad's height from the top (0 = highest rate).
  const shape = (f: number): number => 0.85 - 0.6 * Math.exp(-(((f - 0.38) / 0.1) ** 2)) - 0.7 * Math.exp(-(((f - 0.8) / 0.08) ** 2));
  const at = (f: number): [number, number] => [box.x + 8 + f * (box.width - 16), box.y + 6 + shape(f) * (box.height - 20)];
  await page.mouse.move(...at(0));
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(...at(i / 60), { steps: 2 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector('[aria-label^="Request-rate shape of chat"]') !== null);
  await page.waitForTimeout(800);
  await page.evaluate(() => document.querySelector('.editors')?.scrollTo(0, 0));
  await page.waitForTimeout(200);
  await page.screenshot({ path: out });
  await page.close();
}

/** "Why here?" on a training worker that waits for good under the default scheduler. */
async function whyHere(s: Session, out: string): Promise<void> {
  const page = await openPreset(s, 'gang-deadlock', 'Training gang deadlock');
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(3600));
  await clockAt(page, '1:00:00');
  await page.getByRole('button', { name: /^Why is .* waiting\?$/ }).first().click();
  await page.getByRole('complementary', { name: 'Why here?' }).getByRole('table', { name: 'Rejected nodes by reason' }).waitFor();
  await page.waitForTimeout(400);
  await page.screenshot({ path: out });
  await page.close();
}

/** The gallery, and presenter mode on the gang-deadlock story (second step). */
async function galleryAndPresenter(s: Session, gallery: string, presenter: string): Promise<void> {
  const page = await openPreset(s, 'small-mixed', 'Small mixed cluster');
  await page.getByRole('link', { name: 'Gallery' }).click();
  const present = page.getByRole('button', { name: 'Present Training gang deadlock' });
  await present.waitFor();
  await page.waitForTimeout(400);
  await page.screenshot({ path: gallery });
  await present.click();
  await page.getByRole('status', { name: 'Story step' }).waitFor();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /Workers interleave/.test(document.querySelector('.sb-caption')?.textContent ?? ''));
  await clockAt(page, '1:00:00').catch(() => undefined);
  await page.waitForTimeout(800);
  await page.screenshot({ path: presenter });
  await page.keyboard.press('Escape');
  await page.close();
}

/** Presenter mode at 1280×720: step 2 of the gang-deadlock story, its closing step after End, and the QR code. */
async function presenter720(s: Session, step: string, end: string, qr: string): Promise<void> {
  const page = await openPreset(s, 'gang-deadlock', 'Training gang deadlock', false, { width: 1280, height: 720 });
  await page.getByRole('button', { name: /^▶ Present$/ }).click();
  await page.getByRole('status', { name: 'Story step' }).waitFor();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /Workers interleave/.test(document.querySelector('.sb-caption')?.textContent ?? ''));
  await clockAt(page, '1:00:00');
  await page.waitForTimeout(800);
  await page.screenshot({ path: step });
  await page.keyboard.press('End');
  await finished(page);
  await page.waitForFunction(() => !/Run to the end/.test(document.querySelector('.sb-presenter .sb-stated')?.textContent ?? 'Run to the end'));
  await page.waitForTimeout(800);
  await page.screenshot({ path: end });
  await page.keyboard.press('q');
  await page.getByRole('img', { name: 'QR code of the share link' }).waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: qr });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.close();
}

/** The openb import dialog with the real node list and the default pod list chosen. */
async function openbImport(s: Session, out: string): Promise<void> {
  const page = await openPreset(s, 'small-mixed', 'Small mixed cluster');
  await page.getByRole('button', { name: 'Import real trace…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import the real trace (openb)' });
  await dialog.waitFor();
  await dialog.getByLabel('Node list CSV file').setInputFiles(join(OPENB, 'openb_node_list_gpu_node.csv'));
  await dialog.getByLabel('Pod list CSV file').setInputFiles(join(OPENB, 'openb_pod_list_default.csv'));
  await page.waitForTimeout(600);
  await page.screenshot({ path: out });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.close();
}

/** nvlink-placement run to the end, scrolled to "What differs": the claim's metric (training slowdown) comes first. */
async function claimFirst(s: Session, out: string): Promise<void> {
  const page = await openPreset(s, 'nvlink-placement', 'NVLink-aware placement of training jobs');
  await page.getByRole('button', { name: 'Run to the end' }).click();
  await finished(page);
  await page.getByRole('region', { name: 'Differences' }).waitFor();
  await page.evaluate(() => document.querySelector('.compare')?.scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(400);
  await page.screenshot({ path: out });
  await page.close();
}

/** gang-deadlock at 150 s, before the first metric sample: each run header counts the GPUs its drawing fills. */
async function deadlockHeader(s: Session, out: string): Promise<void> {
  const page = await openPreset(s, 'gang-deadlock', 'Training gang deadlock');
  await page.getByRole('slider', { name: 'Timeline' }).fill('150');
  await clockAt(page, '0:02:30');
  await page.waitForTimeout(800);
  await page.screenshot({ path: out });
  await page.close();
}

/** Plan mode on the chat-h100-plan preset: the plan run to the end, the answer card, curves with bands, heatmap. */
async function planner(s: Session, out: string): Promise<void> {
  const page = await openPreset(s, 'small-mixed', 'Small mixed cluster');
  await page.getByRole('combobox', { name: 'Preset scenario' }).selectOption('chat-h100-plan');
  await page.getByRole('heading', { name: /^Plan: / }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Run plan' }).click();
  await page.getByText(/^done in /).waitFor({ timeout: 300_000 });
  await page.waitForTimeout(600);
  await page.screenshot({ path: out });
  await page.close();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const docs = args.find((a) => !a.startsWith('--')) ?? join(ROOT, 'docs');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const dir = join(docs, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const captures: Record<string, (s: Session) => Promise<void>> = {
    compare: (s) => comparison(s, join(docs, 'screenshot.png'), join(dir, 'compare.png')),
    'cluster-sketcher': (s) => clusterSketcher(s, join(dir, 'cluster-sketcher.png')),
    'workload-sketcher': (s) => workloadSketcher(s, join(dir, 'workload-sketcher.png')),
    'why-here': (s) => whyHere(s, join(dir, 'why-here.png')),
    gallery: (s) => galleryAndPresenter(s, join(dir, 'gallery.png'), join(dir, 'presenter.png')),
    'presenter-720': (s) =>
      presenter720(s, join(dir, 'presenter-720.png'), join(dir, 'presenter-720-end.png'), join(dir, 'presenter-720-qr.png')),
    'openb-import': (s) => openbImport(s, join(dir, 'openb-import.png')),
    'compare-claim': (s) => claimFirst(s, join(dir, 'compare-claim.png')),
    'deadlock-header': (s) => deadlockHeader(s, join(dir, 'deadlock-header.png')),
    planner: (s) => planner(s, join(dir, 'planner.png')),
  };
  const unknown = (only ?? []).filter((n) => !(n in captures));
  if (unknown.length) throw new Error(`--only: unknown capture ${unknown.join(', ')} (known: ${Object.keys(captures).join(', ')})`);
  const s = await startSession();
  try {
    const names = only ?? Object.keys(captures);
    for (const n of names) await captures[n](s);
    if (s.problems.length) throw new Error(`console problems: ${s.problems.join('; ')}`);
    console.log(`wrote ${names.join(', ')} in ${docs}`);
  } finally {
    await s.close();
  }
}

await main();
