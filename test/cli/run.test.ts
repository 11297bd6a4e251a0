import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { simulate } from '../../src/sim/simulate.ts';

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out(t: string) { io.stdout += t + '\n'; }, err(t: string) { io.stderr += t + '\n'; } };
  return io;
}
const preset = (n: string) => `public/scenarios/${n}.json`;
const tmp = mkdtempSync(join(tmpdir(), 'slicebench-cli-'));

describe('slicebench run', () => {
  it('prints one JSON object with summary, series and traceHash; deterministic', async () => {
    const a = capture();
    expect(await main(['run', preset('gang-deadlock'), '--json'], a)).toBe(0);
    const ra = JSON.parse(a.stdout);
    expect(Object.keys(ra)).toEqual(expect.arrayContaining(['summary', 'series', 'traceHash']));
    expect(ra.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(ra.summary.training.completed).toBe(0);
    const b = capture();
    await main(['run', preset('gang-deadlock'), '--json'], b);
    expect(JSON.parse(b.stdout).traceHash).toBe(ra.traceHash);
  });
  it('--seed changes the seed of the run', async () => {
    const a = capture();
    await main(['run', preset('small-mixed'), '--json', '--seed', '7'], a);
    const seeded = JSON.parse(a.stdout);
    expect(seeded.seed).toBe(7);
    // the run is the simulator's run with seed 7, not the scenario's own seed (42)
    const s = JSON.parse(readFileSync(preset('small-mixed'), 'utf8'));
    expect(s.sim.seed).not.toBe(7);
    const parsed = parseScenario(s);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(seeded.traceHash).toBe(simulate(parsed.scenario, { seed: 7 }).traceHash);
    const b = capture();
    await main(['run', preset('small-mixed'), '--json'], b);
    expect(JSON.parse(b.stdout).traceHash).not.toBe(seeded.traceHash);
  });
  it('prints a readable table', async () => {
    const a = capture();
    expect(await main(['run', preset('whole-gpu-waste')], a)).toBe(0);
    expect(a.stdout).toMatch(/GPU allocation %/);
    expect(a.stdout).toMatch(/traceHash/);
  });
  it('the table has a "pods never started" row matching the JSON', async () => {
    // gang-deadlock: k8s-default binds gang members one by one, so some workers never start (issue 18)
    const j = capture();
    await main(['run', preset('gang-deadlock'), '--compare', '--json'], j);
    const never = (JSON.parse(j.stdout).runs as { summary: { podsNeverStarted: number } }[]).map((r) => r.summary.podsNeverStarted);
    expect(Math.max(...never)).toBeGreaterThan(0);
    const t = capture();
    await main(['run', preset('gang-deadlock'), '--compare'], t);
    const row = t.stdout.split('\n').find((l) => l.startsWith('pods never started'));
    expect(row?.trim().split(/\s{2,}/).slice(1).map(Number)).toEqual(never);
  });
  it.each([
    [['run'], /expects exactly one scenario file/],
    [['run', 'nope.json'], /cannot read nope.json: no such file/],
    [['run', preset('small-mixed'), '--seed', 'x'], /--seed: must be an integer/],
    [['run', preset('small-mixed'), '--profile', 'magic'], /--profile: unknown profile "magic"/],
    [['run', preset('small-mixed'), '--bogus'], /Unknown option/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('bad input %j → exit 2 with a message', async (args, message) => {
    const io = capture();
    expect(await main(args as string[], io)).toBe(2);
    expect(io.stderr).toMatch(message);
  });
  it('invalid scenario → exit 2 naming the JSON path', async () => {
    const s = JSON.parse(readFileSync(preset('small-mixed'), 'utf8'));
    s.workloads[1].minReplicas = 0;
    const f = join(tmp, 'bad.json');
    writeFileSync(f, JSON.stringify(s));
    const io = capture();
    expect(await main(['run', f], io)).toBe(2);
    expect(io.stderr).toMatch(/workloads\[1\]\.minReplicas: must be ≥ 1/);
  });
  it('malformed JSON → exit 2', async () => {
    const f = join(tmp, 'broken.json');
    writeFileSync(f, '{"kind": "slicebench/scenario", ');
    const io = capture();
    expect(await main(['validate', f], io)).toBe(2);
    expect(io.stderr).toMatch(/invalid JSON/);
  });
});

describe('slicebench validate', () => {
  it('says what a valid scenario holds', async () => {
    const io = capture();
    expect(await main(['validate', preset('small-mixed')], io)).toBe(0);
    expect(io.stdout).toMatch(/ok — "Small mixed cluster": 6 nodes, 32 GPUs/);
  });
  it('refuses an existing pod on an unknown node', async () => {
    const s = JSON.parse(readFileSync(preset('small-mixed'), 'utf8'));
    s.existingPods = [{ name: 'x', node: 'nowhere', cpuMilli: 1, memMiB: 1 }];
    const f = join(tmp, 'existing.json');
    writeFileSync(f, JSON.stringify(s));
    const io = capture();
    expect(await main(['validate', f], io)).toBe(2);
    expect(io.stderr).toMatch(/existingPods\[0\]\.node: no node named "nowhere"/);
  });
});
