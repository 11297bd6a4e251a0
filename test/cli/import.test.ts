import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { capture } from './captureIO.ts';
import { parseScenario } from '../../src/scenario/validate.ts';

const MIXED = 'test/fixtures/kube/mixed.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'slicebench-import-'));

describe('slicebench import', () => {
  it('prints the scenario on stdout and the report on stderr', async () => {
    const io = capture();
    expect(await main(['import', MIXED], io)).toBe(0);
    const parsed = parseScenario(JSON.parse(io.stdout));
    expect(parsed.ok).toBe(true);
    expect(io.stderr).toContain('mapped (3):');
    expect(io.stderr).toContain('approximated');
    expect(io.stderr).toContain('1 Secret(s): never read');
  });

  it('-o writes the file, which validates and runs (slicebench run)', async () => {
    const out = join(tmp, 'imported.json');
    const io = capture();
    expect(await main(['import', MIXED, '-o', out, '--profile', 'k8s-default', '--name', 'prod'], io)).toBe(0);
    expect(io.stdout).toBe('');
    const s = JSON.parse(readFileSync(out, 'utf8'));
    expect([s.name, s.schedulers[0].profile]).toEqual(['prod', 'k8s-default']);
    const run = capture();
    expect(await main(['run', out, '--json'], run)).toBe(0);
    expect(JSON.parse(run.stdout).traceHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('bad input: exit 2, naming the file, object and field', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } }] }));
    const io = capture();
    expect(await main(['import', bad], io)).toBe(2);
    expect(io.stderr).toBe(`slicebench import: ${bad}: nodes/n: status.allocatable: missing (export nodes with -o json so their status is included)\n`);
    const missing = capture();
    expect(await main(['import', join(tmp, 'nope.json')], missing)).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const unknown = capture();
    expect(await main(['import', MIXED, '--profile', 'nope'], unknown)).toBe(2);
    expect(unknown.stderr).toContain('unknown profile "nope"');
  });
});
