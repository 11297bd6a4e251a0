// @vitest-environment node
/** `slicebench place` on test/fixtures/place-small.json: decisions, `--json`, `--explain`, `--profile`, exit codes. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/place-small.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'slicebench-place-'));

function bufferIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

async function placeJson(args: string[]): Promise<{ placements: { pod: string; node: string | null; gpus: number[]; reason?: string; explain?: { top: { node: string; total: number; plugins: { plugin: string; raw: number; normalized: number; weight: number }[] }[]; rejected: Record<string, number> } }[] }> {
  const io = bufferIO();
  expect(await main(['place', ...args, '--json'], io)).toBe(0);
  return JSON.parse(io.stdout.join(''));
}

/** The fixture with its scheduler options replaced. */
function variant(options: Record<string, unknown>): string {
  const s = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  s.schedulers = [{ profile: 'k8s-default', options }];
  const p = join(dir, `variant-${Object.values(options).join('-')}.json`);
  writeFileSync(p, JSON.stringify(s));
  return p;
}

// The fixture: nodes gpu-0 and gpu-1, each 16000 m CPU, 65536 MiB, two A100s. `old` already holds gpu-0's GPU 0
// with 8000 m / 16384 MiB. Pods web-0..2 (2000 m, 8192 MiB, half a GPU → a whole GPU under k8s-default), then
// big-0 (2 GPUs).
describe('slicebench place (k8s-default, LeastAllocated)', () => {
  it('places the pending pods in order, one decision each', async () => {
    const r = await placeJson([FIXTURE]);
    expect(r.placements).toEqual([
      // gpu-0: cpu (16000 − 10000)·100/16000 = 37, memory (65536 − 24576)·100/65536 = 62 → 49; balanced
      // |0.625 − 0.375|/2 = 0.125 → 87; total 136. gpu-1: cpu 87, memory 87 → 87; balanced 100; total 187.
      { pod: 'web-0', node: 'gpu-1', gpus: [0] },
      // gpu-1 now 4000 m / 16384 MiB: 75, 75 → 75 + 100 = 175 > 136.
      { pod: 'web-1', node: 'gpu-1', gpus: [1] },
      // gpu-1 has no GPU left; gpu-0's GPU 1 is free.
      { pod: 'web-2', node: 'gpu-0', gpus: [1] },
      // Every GPU is taken: whole-GPU rounding leaves no room for 2 GPUs.
      { pod: 'big-0', node: null, gpus: [], reason: '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.' },
    ]);
  });

  it('prints one line per pod and a summary', async () => {
    const io = bufferIO();
    expect(await main(['place', FIXTURE], io)).toBe(0);
    expect(io.stdout).toEqual([
      'profile k8s-default',
      'web-0 → gpu-1 GPUs [0]',
      'web-1 → gpu-1 GPUs [1]',
      'web-2 → gpu-0 GPUs [1]',
      'big-0 → unschedulable: 0/2 nodes are available: 2 Insufficient nvidia.com/gpu.',
      '3 placed, 1 unschedulable',
    ]);
  });

  it('--explain gives rejected counts and per-plugin raw, normalized and weight, without changing decisions', async () => {
    const plain = await placeJson([FIXTURE]);
    const r = await placeJson([FIXTURE, '--explain']);
    expect(r.placements.map(({ explain: _e, ...p }) => p)).toEqual(plain.placements);
    const web0 = r.placements[0].explain!;
    expect(web0.rejected).toEqual({});
    expect(web0.top.map((t) => [t.node, t.total])).toEqual([['gpu-1', 187], ['gpu-0', 136]]);
    expect(web0.top[1].plugins).toEqual([
      { plugin: 'NodeResourcesFit', raw: 49, normalized: 49, weight: 1 },
      { plugin: 'NodeResourcesBalancedAllocation', raw: 87, normalized: 87, weight: 1 },
    ]);
    // web-2: gpu-1 is rejected for its GPUs, one candidate left.
    expect(r.placements[2].explain!.rejected).toEqual({ 'Insufficient nvidia.com/gpu': 1 });
    expect(r.placements[2].explain!.top.map((t) => t.node)).toEqual(['gpu-0']);

    const io = bufferIO();
    await main(['place', FIXTURE, '--explain'], io);
    expect(io.stdout).toContain('    gpu-0: total 136 = NodeResourcesFit raw 49 → 49 ×1 + NodeResourcesBalancedAllocation raw 87 → 87 ×1');
    expect(io.stdout).toContain('    rejected: 2 Insufficient nvidia.com/gpu');
  });

  it('uses the scenario scheduler options: MostAllocated packs onto the busy node first', async () => {
    // web-0 MostAllocated: gpu-0 cpu 10000·100/16000 = 62, memory 24576·100/65536 = 37 → 49 (+87 balanced = 136);
    // gpu-1 cpu 12, memory 12 → 12 (+100 = 112): gpu-0 wins. Then gpu-0 has no GPU left: web-1, web-2 on gpu-1.
    const r = await placeJson([variant({ strategy: 'MostAllocated' })]);
    expect(r.placements.map((p) => [p.pod, p.node, p.gpus])).toEqual([
      ['web-0', 'gpu-0', [1]],
      ['web-1', 'gpu-1', [0]],
      ['web-2', 'gpu-1', [1]],
      ['big-0', null, []],
    ]);
  });

  it('--profile names a registered profile', async () => {
    const r = await placeJson([FIXTURE, '--profile', 'k8s-default']);
    expect(r.placements[0]).toEqual({ pod: 'web-0', node: 'gpu-1', gpus: [0] });
  });
});

describe('slicebench place: bad input exits 2', () => {
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  it.each([
    ['a missing file', () => [join(dir, 'nope.json')], 'no such file'],
    ['invalid JSON', () => [write('bad.json', '{')], 'invalid JSON'],
    ['an invalid scenario', () => [write('invalid.json', '{"kind":"slicebench/scenario","version":1}')], 'invalid scenario'],
    ['an unknown profile', () => [FIXTURE, '--profile', 'no-such-profile'], 'unknown profile "no-such-profile"'],
    [
      'an existing pod on an unknown node',
      () => {
        const s = JSON.parse(readFileSync(FIXTURE, 'utf8'));
        s.existingPods[0].node = 'gpu-9';
        return [write('unknown-node.json', JSON.stringify(s))];
      },
      'gpu-9',
    ],
  ])('%s', async (_what, args, message) => {
    const io = bufferIO();
    expect(await main(['place', ...args()], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(message);
  });
});
