/**
 * Takes docs/screenshot.png for the README: the workbench comparing k8s-default and hami-binpack on
 * public/scenarios/whole-gpu-waste.json, in Debian's Chromium (same harness as the e2e tests).
 * Usage: npx tsx scripts/screenshot.ts [out.png]
 */
import { join } from 'node:path';
import { ROOT, startSession, waitLoaded } from '../test/e2e/harness.ts';

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(ROOT, 'docs', 'screenshot.png');
  const s = await startSession();
  try {
    const page = await s.open({ width: 1600, height: 1000 });
    await waitLoaded(page);
    await page.getByRole('combobox', { name: 'Preset scenario' }).selectOption('whole-gpu-waste');
    await waitLoaded(page, /Whole-GPU waste/);
    await page.getByRole('tab', { name: 'Schedulers' }).click();
    await page.getByRole('checkbox', { name: 'Run hami-binpack' }).check();
    await page.getByRole('article', { name: 'Summary of hami-binpack' }).waitFor();
    await page.getByRole('tab', { name: 'Cluster' }).click();
    // Mid-run, when the notebooks queue under the device plugin: seek there, then let the animation settle.
    await page.getByRole('slider', { name: 'Timeline' }).fill(String(4 * 3600));
    await page.waitForFunction(() => document.querySelector('output[aria-label="Simulated time"]')?.textContent?.startsWith('4:00:00'));
    await page.waitForTimeout(800);
    const cell = page.locator('.cluster-view svg .cell').nth(3);
    await cell.hover();
    await page.waitForTimeout(300);
    await page.screenshot({ path: out });
    if (s.problems.length) throw new Error(`console problems: ${s.problems.join('; ')}`);
    console.log(`wrote ${out}`);
  } finally {
    await s.close();
  }
}

await main();
