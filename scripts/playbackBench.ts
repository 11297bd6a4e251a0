/**
 * Playback frame rate in headless Chromium (issue 18 item 7): opens a preset in the built app (the e2e harness:
 * `vite preview` of dist/, built first when stale), plays it at a fixed speed and records every animation frame
 * the page paints (requestAnimationFrame timestamps); reports frames per second, the worst frame and the 95th
 * percentile frame time, and how far the simulated clock got. With --openb DIR it also imports the full openb
 * trace (DIR/openb_node_list_gpu_node.csv and DIR/openb_pod_list_default.csv) and plays that.
 *
 * Usage: npx tsx scripts/playbackBench.ts [--preset openb-like] [--seconds 10] [--speed 1000] [--openb DIR] [--json]
 * `npm run bench -- --only playback` runs it through src/cli/bench.ts (which passes --json and reads the rows).
 * A machine shared with other work gives pessimistic figures: say so next to any figure you write down.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startSession, waitLoaded } from '../test/e2e/harness.ts';

interface Row {
  view: string;
  nodes: number;
  speed: number;
  wallS: number;
  frames: number;
  fps: number;
  worstFrameMs: number;
  p95FrameMs: number;
  simulatedS: number;
  note: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Seconds from the clock's "H:MM:SS" or "Dd H:MM:SS". */
function clockSeconds(text: string): number {
  const m = /^(?:(\d+)d )?(\d+):(\d\d):(\d\d)/.exec(text.trim());
  return m ? Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) : 0;
}

/** Plays what is loaded for `seconds` of wall time at `speed` and measures the frames. */
async function measure(page: Page, view: string, seconds: number, speed: number): Promise<Row> {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption(String(speed));
  await page.getByRole('button', { name: 'Restart from the beginning' }).click();
  const nodes = await page.evaluate(() => {
    const label = document.querySelector('.cluster-view [aria-label^="Cluster under"]')?.getAttribute('aria-label') ?? '';
    return Number(/: (\d+) nodes/.exec(label)?.[1] ?? 0);
  });
  // A string, not a function: tsx's name helper (__name) does not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const tick = (t) => {
      if (!window.__recording) return;
      window.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const t0 = await page.locator('output[aria-label="Simulated time"]').textContent();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(seconds * 1000);
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames;
  });
  const t1 = await page.locator('output[aria-label="Simulated time"]').textContent();
  // No actionability wait: a slow page may repaint the button between the check and the click.
  await page.evaluate(`document.querySelector('.playback button[aria-label="Pause"]')?.click()`);
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const wall = (frames[frames.length - 1] - frames[0]) / 1000;
  const finished = (t1 ?? '').split(' / ')[0] === (t1 ?? '').split(' / ')[1];
  return {
    view,
    nodes,
    speed,
    wallS: Number(wall.toFixed(2)),
    frames: frames.length,
    fps: Number(((frames.length - 1) / Math.max(wall, 1e-9)).toFixed(1)),
    worstFrameMs: Number((gaps[gaps.length - 1] ?? 0).toFixed(1)),
    p95FrameMs: Number((gaps[Math.floor(gaps.length * 0.95)] ?? 0).toFixed(1)),
    simulatedS: clockSeconds(t1 ?? '') - clockSeconds(t0 ?? ''),
    note: finished ? 'reached the end before the time was up' : '',
  };
}

async function main(): Promise<void> {
  const preset = arg('--preset') ?? 'openb-like';
  const seconds = Number(arg('--seconds') ?? 10);
  const speed = Number(arg('--speed') ?? 1000);
  const openb = arg('--openb');
  const json = process.argv.includes('--json');
  const s = await startSession();
  const rows: Row[] = [];
  try {
    const page = await s.open({ width: 1600, height: 1000 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await waitLoaded(page);
    await page.getByRole('combobox', { name: 'Preset scenario' }).selectOption(preset);
    await waitLoaded(page);
    await page.waitForTimeout(1000);
    rows.push(await measure(page, preset, seconds, speed));
    if (openb) {
      const nodesCsv = join(openb, 'openb_node_list_gpu_node.csv');
      const podsCsv = join(openb, 'openb_pod_list_default.csv');
      if (!existsSync(nodesCsv) || !existsSync(podsCsv)) throw new Error(`--openb ${openb}: needs openb_node_list_gpu_node.csv and openb_pod_list_default.csv`);
      await page.getByRole('button', { name: 'Import real trace…' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Import the real trace (openb)' });
      await dialog.getByLabel('Node list CSV file').setInputFiles(nodesCsv);
      await dialog.getByLabel('Pod list CSV file').setInputFiles(podsCsv);
      // The whole trace: every node and every pod (the dialog's defaults thin them out).
      await dialog.getByLabel('Keep every k-th node').fill('1');
      await dialog.getByLabel('Keep every k-th pod').fill('1');
      await dialog.getByRole('button', { name: 'Import and load' }).click();
      await dialog.waitFor({ state: 'detached', timeout: 300_000 });
      await waitLoaded(page);
      await page.waitForTimeout(1000);
      rows.push(await measure(page, 'openb full trace', seconds, speed));
    }
    if (s.problems.length) throw new Error(`console problems: ${s.problems.join('; ')}`);
  } finally {
    await s.close();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, headless Chromium, 1600×1000, load average ${loadavg()[0].toFixed(1)} at the end`;
  if (json) console.log(JSON.stringify({ date: new Date().toISOString(), machine, rows }));
  else {
    console.log(`# playback: ${machine}, ${new Date().toISOString()}`);
    const cols = Object.keys(rows[0]) as (keyof Row)[];
    console.log(cols.join('\t'));
    for (const r of rows) console.log(cols.map((c) => String(r[c])).join('\t'));
  }
}

await main();
