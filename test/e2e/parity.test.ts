/**
 * Engine parity in the real browser: Debian's Chromium (--enable-unsafe-webgpu; SwiftShader, a fallback adapter,
 * here) opens the built test/e2e/parity.html (a `--mode test` build input, vite.config.ts), which runs the CPU engine and the WebGPU engine (forced) on seeded random
 * worlds for every kernel of its table (test/e2e/parityPage.ts: k8s-default, k8s-timeslicing, fgd, the five
 * FGD baselines, hami-binpack, hami-spread, hami-topology, volcano, volcano-hami) and compares every decision record,
 * and for the HAMi and Volcano kernels every (pod, node) result word. In CI a browser without WebGPU fails this test;
 * locally it is skipped with a warning. The page's world generators are first checked in Node (they build, and
 * their decisions are not vacuous).
 */
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import type { GpuEngine } from '../../src/engine/gpu/gpuEngine.ts';
import { PARITY_KERNELS, type ParityReport } from './parityPage.ts';
import { PARITY_PAGE, describeBrowser } from './harness.ts';

/**
 * Worlds per kernel in the browser run: k8s-default's small worlds are cheap; the FGD kernels' worlds are larger;
 * HAMi worlds book slices through HamiScheduler first, and the Volcano kernels compile slowly on SwiftShader.
 */
const WORLDS: Record<string, number> = {
  'k8s-default': 140, 'k8s-timeslicing': 40, fgd: 40, random: 12, dotprod: 12, clustering: 12, packing: 12, bestfit: 12,
  'hami-binpack': 20, 'hami-spread': 20, 'hami-topology': 20, volcano: 24, 'volcano-hami': 24,
};
/** Kernels whose check also compares every (pod, node) result word (their own evaluators). */
const WORD_KERNELS = ['hami-binpack', 'hami-spread', 'hami-topology', 'volcano', 'volcano-hami'];
const PODS = 3;

describe('the parity page’s kernel table (in Node, CPU engine on both sides)', () => {
  it('covers k8s-default, k8s-timeslicing, fgd, the five baselines, HAMi and Volcano; every kernel’s first worlds build and place pods', async () => {
    expect(PARITY_KERNELS.map((k) => k.name)).toEqual(expect.arrayContaining(['k8s-default', 'k8s-timeslicing', 'fgd', 'random', 'dotprod', 'clustering', 'packing', 'bestfit', ...WORD_KERNELS]));
    // every kernel of the table is run by the browser test below
    expect(PARITY_KERNELS.map((k) => k.name).filter((n) => !(n in WORLDS))).toEqual([]);
    const twin = new CpuEngine() as unknown as GpuEngine; // same interface: checks the generators, not the GPU
    for (const k of PARITY_KERNELS) {
      let placed = 0;
      let decisions = 0;
      let words = 0;
      for (let i = 1; i <= 4; i++) {
        const o = await k.check(twin, i, PODS);
        expect(o.got, `${k.name} world ${i}`).toEqual(o.want);
        if (o.words) expect(o.words.got, `${k.name} world ${i}`).toEqual(o.words.want);
        decisions += o.want.length;
        placed += o.placed;
        words += o.words?.want.length ?? 0;
      }
      expect(decisions, k.name).toBe(4 * PODS);
      expect(placed, `${k.name}: decisions with a feasible node`).toBeGreaterThan(0);
      // HAMi and Volcano also hand over their per-node result words: PODS pods × every node of the 4 worlds (≥ 1 each)
      if (WORD_KERNELS.includes(k.name)) expect(words, `${k.name}: result words`).toBeGreaterThanOrEqual(4 * PODS);
      else expect(words, k.name).toBe(0);
    }
  });
});

describeBrowser('engine parity in Chromium (WebGPU vs CPU engine)', { scenario: false }, (w) => {
  it('identical decisions for every kernel on random worlds, GPU engine forced on the fallback adapter', async (ctx) => {
    const page = await w.s.context.newPage();
    page.setDefaultTimeout(600_000);
    await page.goto(`${w.s.url}${PARITY_PAGE}`);
    await page.waitForFunction(() => typeof window.runParity === 'function');
    const hasGpu = await page.evaluate(() => 'gpu' in navigator);
    const report = (await page.evaluate((o) => window.runParity!(o), { worlds: WORLDS, pods: PODS })) as ParityReport;
    if (report.unavailable) {
      if (process.env.CI) expect.fail(`WebGPU is unavailable in Chromium (navigator.gpu: ${hasGpu}): ${report.unavailable}`);
      console.warn(`browser parity skipped: ${report.unavailable}`);
      return ctx.skip();
    }
    console.info(`browser parity on ${report.adapter} (software adapter: ${report.software}): ${report.decisions} decisions, ${report.placed} placed; ${JSON.stringify(report.kernels)}`);
    expect(report.mismatches).toEqual([]);
    expect(report.ok).toBe(true);
    const worlds = Object.values(WORLDS).reduce((a, b) => a + b, 0);
    expect(report.clusters).toBe(worlds);
    expect(report.decisions).toBe(worlds * PODS);
    // every kernel ran all its worlds, and not vacuously
    expect(Object.keys(report.kernels)).toEqual(PARITY_KERNELS.map((k) => k.name));
    for (const [name, t] of Object.entries(report.kernels)) {
      expect(t.decisions, name).toBe(WORLDS[name] * PODS);
      expect(t.placed, `${name}: decisions with a feasible node`).toBeGreaterThan(t.decisions / 4);
      // HAMi and Volcano compared every (pod, node) result word too (one per candidate, two for Volcano's float64)
      if (WORD_KERNELS.includes(name)) expect(t.resultWords, `${name}: result words compared`).toBeGreaterThanOrEqual(t.decisions * (name.startsWith('volcano') ? 2 : 1));
      else expect(t.resultWords, name).toBe(0);
    }
    // this machine's Chromium offers SwiftShader: the run must have gone through it, not silently through the CPU
    expect(report.adapter).toBeTruthy();
    expect(w.s.problems.filter((p) => !/XDG_RUNTIME_DIR|GPU stall|Automatic fallback/i.test(p))).toEqual([]);
  }, 900_000);
});
