/**
 * `--engine` on the scheduling commands: a bad value and `--engine gpu` without a usable adapter exit 2; the
 * engine that ran is reported on stderr and, where --json prints an object of ours, as `engine: {name, reason}`;
 * openb's --json shape is unchanged. (This file forces "no adapter" by pointing Vulkan at a missing driver.)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';
import { engineFlagOf } from '../../src/cli/engine.ts';

// Forks pool: this env var only affects this file's process. No Vulkan driver → Dawn finds no adapter.
process.env.VK_ICD_FILENAMES = '/nonexistent/icd.json';

const preset = (name: string): string => fileURLToPath(new URL(`../../public/scenarios/${name}.json`, import.meta.url));
const DATA = new URL('../../../shared/data/openb/', import.meta.url);

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out(t: string) { io.stdout += t + '\n'; }, err(t: string) { io.stderr += t + '\n'; } };
  return io;
}

/** A small openb pair (every 40th node and pod) written to a temp dir. */
function smallOpenb(): { nodes: string; pods: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sb-engine-'));
  const cut = (file: string, every: number): string => {
    const lines = readFileSync(new URL(file, DATA), 'utf8').trimEnd().split('\n');
    const out = join(dir, file);
    writeFileSync(out, [lines[0], ...lines.slice(1).filter((_, i) => i % every === 0)].join('\n') + '\n');
    return out;
  };
  return { nodes: cut('openb_node_list_gpu_node.csv', 40), pods: cut('openb_pod_list_default.csv', 40) };
}

describe('--engine flag', () => {
  test.each([
    [undefined, 'auto'],
    ['cpu', 'cpu'],
    ['gpu', 'gpu'],
    ['auto', 'auto'],
  ])('engineFlagOf(%s) = %s', (v, want) => {
    expect(engineFlagOf(v)).toBe(want);
  });

  test.each([
    ['run', preset('small-mixed')],
    ['place', preset('small-mixed')],
    ['sweep', preset('small-mixed')],
  ])('%s --engine tpu exits 2', async (cmd, file) => {
    const io = capture();
    expect(await main([cmd, file, '--engine', 'tpu'], io)).toBe(2);
    expect(io.stderr).toMatch(/--engine: must be cpu, gpu or auto, got "tpu"/);
  });

  test.each(['run', 'place', 'sweep'])('%s --engine gpu without an adapter exits 2 with a clear message', async (cmd) => {
    const io = capture();
    expect(await main([cmd, preset('small-mixed'), '--engine', 'gpu'], io)).toBe(2);
    expect(io.stderr).toMatch(/--engine gpu: no WebGPU adapter\. Use --engine cpu or --engine auto\./);
    expect(io.stdout).toBe('');
  });

  test('run --json carries engine {name, reason}; auto without an adapter runs on the CPU and says why', async () => {
    const a = capture();
    expect(await main(['run', preset('small-mixed'), '--profile', 'k8s-default', '--json'], a)).toBe(0);
    const ra = JSON.parse(a.stdout);
    expect(ra.engine).toEqual({ name: 'cpu', reason: 'CPU engine: no WebGPU adapter' });
    expect(a.stderr).toMatch(/^engine: cpu — CPU engine: no WebGPU adapter$/m);
    const b = capture();
    expect(await main(['run', preset('small-mixed'), '--profile', 'k8s-default', '--json', '--engine', 'cpu'], b)).toBe(0);
    const rb = JSON.parse(b.stdout);
    expect(rb.engine).toEqual({ name: 'cpu', reason: 'CPU engine (requested with --engine cpu)' });
    expect(rb.traceHash).toBe(ra.traceHash);
  });

  test('place --json and sweep --json carry the engine', async () => {
    const p = capture();
    expect(await main(['place', preset('small-mixed'), '--json', '--engine', 'cpu'], p)).toBe(0);
    expect(JSON.parse(p.stdout).engine.name).toBe('cpu');
    const s = capture();
    expect(await main(['sweep', preset('small-mixed'), '--profiles', 'k8s-default', '--seeds', '1,2', '--json', '--engine', 'cpu'], s)).toBe(0);
    expect(JSON.parse(s.stdout).engine).toEqual({ name: 'cpu', reason: 'CPU engine (requested with --engine cpu)' });
  });

  test('openb --json keeps its shape; the engine goes to stderr; --engine gpu without an adapter exits 2', async () => {
    const { nodes, pods } = smallOpenb();
    const io = capture();
    expect(await main(['openb', '--nodes', nodes, '--pods', pods, '--policy', 'fgd', '--seed', '1', '--json', '--engine', 'auto'], io)).toBe(0);
    expect(Object.keys(JSON.parse(io.stdout))).toEqual(['policy', 'seed', 'capacityGpus', 'arrivals', 'arrivedPctFinal', 'curve']);
    expect(io.stderr).toMatch(/^engine: cpu — CPU engine: no WebGPU adapter$/m);
    const g = capture();
    expect(await main(['openb', '--nodes', nodes, '--pods', pods, '--policy', 'fgd', '--seed', '1', '--engine', 'gpu'], g)).toBe(2);
    expect(g.stderr).toMatch(/--engine gpu: no WebGPU adapter/);
  });
});
