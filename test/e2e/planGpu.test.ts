/**
 * The plan on the GPU engine in Chromium (WebGPU on SwiftShader here): with Engine: GPU (forced, `?engine=gpu` for
 * the page) the plan's replicas run in lockstep in one planner worker, the progress line names "GPU lockstep" and
 * the adapter with candidate evaluations/s, and every row equals the CPU pool's (`?engine=cpu`, the same page)
 * digest for digest; every decision (trace hash) and every CSV metric equals a Node run's (runPlanReplica, the
 * code each CPU Web Worker runs). The grid has one profile per engine interface (k8s-default: the k8s kernel,
 * hami-binpack: the HAMi evaluator, volcano-hami: the Volcano engine) on one hour of small-mixed, so lanes of every
 * kind finish beside the others; SwiftShader compiles each kernel once (about a minute at load 15 on 2 cores). The
 * paper grid after an openb import (a 3-node trace × the six FGD policies × one seed) runs in lockstep too, and its
 * CSV equals the CPU pool's (Engine: CPU picked in the same page) and a Node run's, byte for byte; about 80 s at load 8
 * here, nearly all of it SwiftShader compiling the FGD and baseline kernels in the planner worker's device (a 12-node
 * trace took as long, so fewer steps or policies would not make it cheaper). In CI a Chromium
 * without WebGPU fails (the GPU run must really happen); locally those tests are skipped with a warning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { encodeShareHash } from '../../src/scenario/urlCodec.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { expandPlan, type PlanRow } from '../../src/plan/index.ts';
import { CSV_COLUMNS, csvCell } from '../../src/plan/rows.ts';
import { runPlanReplica } from '../../src/sim/planReplica.ts';
import { expandPaperGrid, paperCsv, PAPER_POLICIES } from '../../src/plan/paperGrid.ts';
import { runPaperReplay } from '../../src/sim/paperReplay.ts';
import { parseOpenbNodes, parseOpenbPods } from '../../src/io/openb.ts';
import { describeBrowser, ROOT, waitLoaded } from './harness.ts';
import { importOpenb, smallOpenbCsv } from './openbImport.ts';

/** Console lines Chromium's WebGPU on SwiftShader may print that are not the app's problems (as in engine.test.ts). */
const GPU_NOISE = /XDG_RUNTIME_DIR|GPU stall|Automatic fallback/i;

/** small-mixed, one simulated hour, with a 3-replica plan: k8s-default, hami-binpack, volcano-hami × scale 1 × seed 1. */
function smallPlan(): Scenario {
  const raw = JSON.parse(readFileSync(join(ROOT, 'public/scenarios/small-mixed.json'), 'utf8')) as Scenario;
  raw.sim = { ...raw.sim, durationS: 3600 };
  raw.plan = { profiles: [{ profile: 'k8s-default' }, { profile: 'hami-binpack' }, { profile: 'volcano-hami' }], scale: { factors: [1] }, seeds: [1], targets: { p95WaitS: 600 } };
  const r = parseScenario(raw);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

/** Downloads the plan's rows as CSV: one record per row, header names as keys. */
async function csvRows(page: Page): Promise<Record<string, string>[]> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Export CSV/ }).click()]);
  const [header, ...lines] = readFileSync((await dl.path())!, 'utf8').trimEnd().split('\n');
  const keys = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [keys[k], v])));
}

/** Opens the plan with `?engine=<engine>`, runs it and waits for the progress line's engine to show. */
async function runPlan(page: Page, url: string, s: Scenario, engine: 'cpu' | 'gpu'): Promise<string> {
  await page.goto('about:blank');
  await page.goto(`${url}?engine=${engine}${encodeShareHash(s, { panel: 'plan' })}`);
  // A link with a plan opens in Plan mode (no timeline there): wait for the planner's heading.
  await page.getByRole('heading', { name: `Plan: ${s.name}` }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Run plan' }).click();
  const line = page.getByTestId('plan-engine');
  await expect.poll(() => line.textContent(), { timeout: 120_000 }).toMatch(/^(GPU lockstep|CPU)/);
  return (await line.textContent()) ?? '';
}

/** Waits until the progress bar shows all `total` replicas done and the run has ended. */
async function allDone(page: Page, total: number, timeoutMs: number): Promise<void> {
  const bar = page.getByRole('progressbar');
  await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: timeoutMs, interval: 500 }).toBe(total);
  await page.getByText(/^done in /).waitFor();
}

describeBrowser('plan on the GPU engine in Chromium', {}, (w) => {
  it('GPU forced: the plan runs in lockstep in one worker, names the engine and its throughput, and gives the CPU pool’s rows', async (ctx) => {
    const page = w.page;
    const s = smallPlan();
    const grid = expandPlan(s);
    expect(grid.replicas.length).toBe(3);

    const line = await runPlan(page, w.s.url, s, 'gpu');
    if (line.startsWith('CPU')) {
      if (process.env.CI) expect.fail(`WebGPU is unavailable to the planner in Chromium: ${line}`);
      console.warn(`planGpu e2e: GPU plan skipped (${line})`);
      return ctx.skip();
    }
    // every replica comes back (the first version stopped at all but the last: lockstepRun.ts)
    await allDone(page, grid.replicas.length, 540_000);
    expect(await page.getByTestId('plan-engine').textContent()).toMatch(/^GPU lockstep, .+ \(software adapter, not a GPU\) · [\d.]+k? replicas\/s · [\d.]+[kMG]? candidate evaluations\/s$/);
    const gpu = await csvRows(page);

    // The CPU pool in the same browser: the same rows, digest for digest (series included).
    expect(await runPlan(page, w.s.url, s, 'cpu')).toMatch(/^CPU, \d+ Web Workers? /);
    await allDone(page, grid.replicas.length, 120_000);
    const cpu = await csvRows(page);
    expect(gpu.map((r) => [r.index, r.id, r.digest])).toEqual(cpu.map((r) => [r.index, r.id, r.digest]));

    // Node, one replica after another: the same decisions (trace hash) and every metric the CSV carries. Not the
    // digest: it covers the downsampled series too, and hami-binpack's differ between Node and Chromium on the CPU
    // pool as on the GPU (a simulator matter, noted in docs/engine.md), so the engines are compared in one browser.
    const rows: PlanRow[] = grid.replicas.map((r) => runPlanReplica(s, grid, r, { seriesPoints: 96 }));
    const metrics = CSV_COLUMNS.filter((c) => c !== 'digest');
    expect(gpu.map((r) => metrics.map((c) => r[c]))).toEqual(rows.map((r) => metrics.map((c) => csvCell(r[c]))));
    expect(w.s.problems.filter((p) => !GPU_NOISE.test(p))).toEqual([]);
  }, 600_000);
});
