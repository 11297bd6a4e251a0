// @vitest-environment node
/** `slicebench conformance`: output lines, `--json`, exit codes 0 / 1 / 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { parseCases, runCases } from '../../src/conformance/runner.ts';
import { readFileSync } from 'node:fs';

const KUBE = fileURLToPath(new URL('../../../shared/conformance/kube_noderesources.json', import.meta.url));

function bufferIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const dir = mkdtempSync(join(tmpdir(), 'slicebench-conformance-'));
function write(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

// LeastAllocated, one node cpu 4000 m / memory 10000 B, pod 1000 m / 5000 B:
// cpu (4000 − 1000)·100/4000 = 75, memory (10000 − 5000)·100/10000 = 50 → (75 + 50)/2 = 62.
const good = {
  id: 'good',
  source: 'test',
  input: {
    strategy: 'LeastAllocated',
    resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }],
    nodes: [{ name: 'n1', allocatable: { cpu_milli: 4000, memory_bytes: 10000 } }],
    existing_pods: [],
    pod: { containers: [{ requests: { cpu_milli: 1000, memory_bytes: 5000 } }] },
  },
  expected: { scores: { n1: 62 } },
};
const bad = { ...good, id: 'bad', expected: { scores: { n1: 63 } } };
const unknown = { id: 'unknown', source: 'test', input: { function: 'node_gpu_frag_unmodelled' }, expected: {} };

describe('slicebench conformance', () => {
  it('passes every kube vector: closing line only, exit 0', async () => {
    const io = bufferIO();
    expect(await main(['conformance', KUBE], io)).toBe(0);
    expect(io.stdout.join('\n')).toBe('32 passed, 0 failed, 0 unsupported');
  });

  it('--json prints the counts and every case', async () => {
    const io = bufferIO();
    expect(await main(['conformance', KUBE, '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout.join(''));
    expect(r).toMatchObject({ passed: 32, failed: 0, unsupported: 0 });
    expect(r.cases).toHaveLength(32);
    expect(r.cases[0]).toEqual({ id: 'least-01', status: 'pass', detail: '' });
  });

  it('prints one line per failing case with expected and got, exit 1', async () => {
    const io = bufferIO();
    const p = write('mixed.json', JSON.stringify([good, bad, unknown]));
    expect(await main(['conformance', p], io)).toBe(1);
    const lines = io.stdout.join('\n').split('\n');
    expect(lines).toEqual(['FAIL bad: expected {"scores":{"n1":63}}, got {"scores":{"n1":62}}', '1 passed, 1 failed, 1 unsupported']);
  });

  it('--json marks the unsupported case unsupported, never passed', async () => {
    const io = bufferIO();
    const p = write('mixed2.json', JSON.stringify([good, unknown]));
    expect(await main(['conformance', p, '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout.join(''));
    expect(r).toMatchObject({ passed: 1, failed: 0, unsupported: 1 });
    expect(r.cases[1]).toMatchObject({ id: 'unknown', status: 'unsupported' });
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.json'), 'no such file'],
    ['invalid JSON', () => write('broken.json', '[{"id": '), 'invalid JSON'],
    ['not an array', () => write('object.json', '{"id": "x"}'), 'expected a JSON array'],
    ['a case without input', () => write('noinput.json', '[{"id": "x", "expected": {}}]'), '[0].input'],
  ])('exit 2 on %s', async (_what, file, message) => {
    const io = bufferIO();
    expect(await main(['conformance', file()], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(message);
    expect(io.stdout).toEqual([]);
  });

  it('exit 2 without a file argument', async () => {
    const io = bufferIO();
    expect(await main(['conformance'], io)).toBe(2);
  });
});

describe('all four upstream files', () => {
  // Issue 8: every supported case of every project passes; unsupported cases are reported, never passed.
  it.each(['kube_noderesources', 'hami', 'volcano', 'fgd'])('%s.json has no failing supported case', (project) => {
    const path = fileURLToPath(new URL(`../../../shared/conformance/${project}.json`, import.meta.url));
    const parsed = parseCases(JSON.parse(readFileSync(path, 'utf8')));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const r = runCases(parsed.cases, path);
    expect(r.passed + r.failed + r.unsupported).toBe(parsed.cases.length);
    expect(r.cases.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
  });
});
