import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.ts';
import { capture } from './captureIO.ts';

const PRESET = 'public/scenarios/small-mixed.json';
const tmp = mkdtempSync(join(tmpdir(), 'slicebench-export-'));

describe('slicebench export', () => {
  it('writes one YAML stream on stdout, notes on stderr', async () => {
    const io = capture();
    expect(await main(['export', PRESET, '--as', 'hami'], io)).toBe(0);
    const kinds = parseAllDocuments(io.stdout).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds).toContain('Node');
    expect(io.stderr).toContain('not in the stream (use -o <dir>): hami-values.yaml, kube-scheduler-config.yaml');
  });

  it('-o dir: one file per kind and the scheduler configuration', async () => {
    const dir = join(tmp, 'volcano');
    const io = capture();
    expect(await main(['export', PRESET, '--as', 'volcano', '-o', dir], io)).toBe(0);
    expect(io.stdout).toBe('');
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['nodes.yaml', 'configmaps.yaml']));
    expect(readFileSync(join(dir, 'configmaps.yaml'), 'utf8')).toContain('volcano-scheduler.conf');
    const hami = join(tmp, 'hami');
    expect(await main(['export', PRESET, '--as', 'hami', '-o', hami], capture())).toBe(0);
    expect(readdirSync(join(hami, 'config'))).toEqual(['hami-values.yaml', 'kube-scheduler-config.yaml']);
  });

  it('an export imports back (slicebench import) into a scenario that validates', async () => {
    const dir = join(tmp, 'k8s');
    expect(await main(['export', PRESET, '--as', 'k8s', '-o', dir], capture())).toBe(0);
    const all = readdirSync(dir).filter((f) => f.endsWith('s.yaml')).map((f) => readFileSync(join(dir, f), 'utf8')).join('---\n');
    const snap = join(tmp, 'snap.yaml');
    writeFileSync(snap, all);
    const out = join(tmp, 'back.json');
    expect(await main(['import', snap, '-o', out], capture())).toBe(0);
    expect(existsSync(out)).toBe(true);
    const v = capture();
    expect(await main(['validate', out], v)).toBe(0);
  });

  it('bad input: exit 2 with a named message', async () => {
    const io = capture();
    expect(await main(['export', PRESET], io)).toBe(2);
    expect(io.stderr).toContain('--as is required');
    const bad = capture();
    expect(await main(['export', PRESET, '--as', 'nomad'], bad)).toBe(2);
    expect(bad.stderr).toContain('--as: must be one of kwok, k8s, hami, volcano, kuberay, got "nomad"');
  });
});
