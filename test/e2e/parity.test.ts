/**
 * Engine parity in the real browser: Debian's Chromium (--enable-unsafe-webgpu; SwiftShader, a fallback adapter,
 * here) opens the built parity.html, which runs the CPU engine and the WebGPU engine (forced) on a few hundred
 * seeded random clusters for the k8s-default and fgd kernels and compares every decision record. In CI a browser
 * without WebGPU fails this test; locally it is skipped with a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParityReport } from '../../src/engine/parityPage.ts';
import { browserWanted, startSession, type Session } from './harness.ts';

describe.skipIf(!browserWanted())('engine parity in Chromium (WebGPU vs CPU engine)', () => {
  let s: Session;

  beforeAll(async () => {
    s = await startSession();
  });

  afterAll(async () => {
    await s?.close();
  });

  it('identical decisions on 300 random clusters (240 k8s-default, 60 fgd), GPU engine forced on the fallback adapter', async (ctx) => {
    const page = await s.context.newPage();
    page.setDefaultTimeout(600_000);
    await page.goto(`${s.url}parity.html`);
    await page.waitForFunction(() => typeof window.runParity === 'function');
    const hasGpu = await page.evaluate(() => 'gpu' in navigator);
    const report = (await page.evaluate(() => window.runParity!({ k8sClusters: 240, fgdClusters: 60, pods: 3 }))) as ParityReport;
    if (report.unavailable) {
      if (process.env.CI) expect.fail(`WebGPU is unavailable in Chromium (navigator.gpu: ${hasGpu}): ${report.unavailable}`);
      console.warn(`browser parity skipped: ${report.unavailable}`);
      return ctx.skip();
    }
    console.info(`browser parity on ${report.adapter} (software adapter: ${report.software}): ${report.decisions} decisions, ${report.placed} placed`);
    expect(report.mismatches).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.clusters).toBe(300);
    expect(report.decisions).toBe(900);
    expect(report.placed).toBeGreaterThan(300);
    // this machine's Chromium offers SwiftShader: the run must have gone through it, not silently through the CPU
    expect(report.adapter).toBeTruthy();
    expect(s.problems.filter((p) => !/XDG_RUNTIME_DIR|GPU stall|Automatic fallback/i.test(p))).toEqual([]);
  }, 900_000);
});
