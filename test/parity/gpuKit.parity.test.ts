/**
 * The GPU benchmark kit (scripts/gpuKit.ts, `npm run gpu-kit`): builds gpu-kit/ (the downloads cached), checks its
 * size and contents, then runs `gpu-kit/run.sh OUT --quick` in an empty environment (`env -i`, PATH=/usr/bin:/bin:
 * the kit's own Node must run, not this one) on SwiftShader, and once with a Vulkan driver file that does not exist
 * (the kit falls back to its SwiftShader and says so). In the parity tier: it needs Dawn and takes minutes.
 * Locally a failed download or a machine without SwiftShader skips; with CI set both fail the test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildGpuKit } from '../../scripts/gpuKit.ts';
import { SWIFTSHADER_ICD } from '../../src/engine/wiring/nodeGpu.ts';

const MIB = 1024 * 1024;

/** Runs gpu-kit/run.sh with only PATH and `env` set (no inherited Node, no inherited Vulkan settings). */
function runKit(kit: string, out: string, env: Record<string, string>, ...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync('env', ['-i', 'PATH=/usr/bin:/bin', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), join(kit, 'run.sh'), out, ...args], { encoding: 'utf8', timeout: 12 * 60_000 });
  return { status: r.status, stderr: r.stderr };
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

type Row = Record<string, string | number | boolean | null>;
const rowsOf = (doc: Record<string, unknown>): Row[] => (doc.results as { rows: Row[] }[]).flatMap((r) => r.rows);

/** Every measured figure of a row (wallMs, candidatesPerS, wallS) is finite and > 0; unmeasured ones are null. */
function expectFiguresPositive(rows: Row[]): void {
  for (const r of rows) {
    for (const k of ['wallMs', 'candidatesPerS', 'wallS'] as const) {
      if (!(k in r) || r[k] === null) continue;
      expect(Number.isFinite(r[k]) && (r[k] as number) > 0, `${k} of ${JSON.stringify(r)}`).toBe(true);
    }
  }
}

function folderFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? folderFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('GPU benchmark kit', () => {
  test('builds, and run.sh --quick runs the benches with its own Node on SwiftShader', { timeout: 25 * 60_000 }, async (t) => {
    if (!existsSync(SWIFTSHADER_ICD)) {
      if (process.env.CI) throw new Error(`the GPU kit test needs SwiftShader (${SWIFTSHADER_ICD}) in CI`);
      return t.skip(`no ${SWIFTSHADER_ICD}`);
    }
    let kit: string;
    try {
      kit = (await buildGpuKit()).dir;
    } catch (err) {
      // a download that fails is a failure in CI; locally (offline) the test skips
      if (!process.env.CI && /could not fetch/.test((err as Error).message)) return t.skip((err as Error).message);
      throw err;
    }

    const files = folderFiles(kit);
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    expect(bytes).toBeLessThanOrEqual(50 * MIB);
    expect(files.filter((f) => /\.csv$/i.test(f)), 'no trace data in the kit').toEqual([]);
    for (const f of ['run.sh', 'README.md', 'manifest.json', 'slicebench.mjs', 'runtime/node.gz', 'runtime/dawn.node.gz', 'lib/libvulkan.so.1']) expect(existsSync(join(kit, f)), f).toBe(true);
    const manifest = readJson(join(kit, 'manifest.json'));
    expect(runKit(kit, mkdtempSync(join(tmpdir(), 'gpu-kit-usage-')), {}, '--bogus').status).toBe(2);

    const out = mkdtempSync(join(tmpdir(), 'gpu-kit-out-'));
    const r = runKit(kit, out, { VK_ICD_FILENAMES: SWIFTSHADER_ICD }, '--quick');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/SOFTWARE adapter/);
    expect(readdirSync(out).sort()).toEqual(['engine-fgd.json', 'engine.json', 'run.log', 'summary.json', 'sweep.json']);

    const summary = readJson(join(out, 'summary.json'));
    expect(summary.adapter).toMatch(/swiftshader/i);
    expect(summary.software).toBe(true);
    expect(summary.gpu).toBe(false);
    expect(summary.complete).toBe(true);
    expect(summary.quick).toBe(true);
    expect(summary.vulkanIcd).toBe(SWIFTSHADER_ICD);
    expect(summary.vulkanIcdSource).toBe('VK_ICD_FILENAMES');
    // the kit's own Node ran (unpacked into run.sh's temporary folder), the version the kit was built with
    expect(summary.node).toBe(`v${String(manifest.node)}`);
    expect(String(summary.nodeExecPath)).toMatch(/slicebench-kit\.[^/]+\/bin\/node$/);
    expect(summary.nodeExecPath).not.toBe(process.execPath);
    expect(summary.kitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(Number.isNaN(Date.parse(String(summary.date)))).toBe(false);
    expect(summary.rowAdapters).toEqual([summary.adapter]);

    for (const name of ['engine', 'engine-fgd']) {
      const rows = rowsOf(readJson(join(out, `${name}.json`)));
      expectFiguresPositive(rows);
      expect(rows.map((row) => row.candidates)).toEqual([1e4, 1e4]);
      const gpuRow = rows.find((row) => row.adapter !== null)!;
      expect(gpuRow.adapter).toBe(summary.adapter);
      expect(gpuRow.software).toBe(true);
      expect(gpuRow.candidatesPerS).toBeGreaterThan(0);
    }
    const sweep = rowsOf(readJson(join(out, 'sweep.json')));
    expectFiguresPositive(sweep);
    expect(sweep.find((row) => row.sweep === 'openb')?.note).toMatch(/skipped/);
    const lockstep = sweep.filter((row) => String(row.engine).includes('SwiftShader'));
    expect(lockstep.length).toBe(2);
    for (const row of lockstep) expect(row.wallS).toBeGreaterThan(0);

    // a Vulkan driver file that is not there: Dawn finds no adapter, the kit falls back to its SwiftShader
    const out2 = mkdtempSync(join(tmpdir(), 'gpu-kit-fallback-'));
    const r2 = runKit(kit, out2, { VK_ICD_FILENAMES: '/nonexistent/nvidia_icd.json', SLICEBENCH_KIT_BENCHES: 'engine' }, '--quick');
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stderr).toMatch(/falling back to SwiftShader, a SOFTWARE adapter/);
    const s2 = readJson(join(out2, 'summary.json'));
    expect(s2.software).toBe(true);
    expect(s2.vulkanIcdSource).toMatch(/^fallback: no adapter on \/nonexistent/);
    expect((s2.benches as { name: string }[]).map((b) => b.name)).toEqual(['engine']);
  });
});
