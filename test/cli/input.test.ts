/**
 * The CLI refuses nonsense with exit 2 and a message naming the flag, the file or the line (issue 19 items 2 and 4):
 * knob values, seeds, unknown GPU models, oversized or endless files, a UTF-8 BOM (accepted), huge echoes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { InputError, readText } from '../../src/cli/io.ts';
import { capture } from './captureIO.ts';

const SCENARIO = 'public/scenarios/whole-gpu-waste.json';
const dir = mkdtempSync(join(tmpdir(), 'slicebench-input-'));
const NODES = join(dir, 'nodes.csv');
const PODS = join(dir, 'pods.csv');
writeFileSync(PODS, 'name,cpu_milli,memory_mib,num_gpu,gpu_milli\np-1,1000,1024,1,500\n');

async function refused(argv: string[]): Promise<string> {
  const io = capture();
  expect(await main(argv, io)).toBe(2);
  return io.stderr;
}

describe('sweep --set validates knob values as a scenario does', () => {
  it.each([
    ['hami-binpack', 'splitCount=0', /--set splitCount: must be between 1 and \d+ \(profile hami-binpack\), got "0"/],
    ['k8s-timeslicing', 'replicas=-1', /--set replicas: must be between 1 and 64 \(profile k8s-timeslicing\), got "-1"/],
    ['k8s-default', 'strategy=Bogus', /--set strategy: must be one of LeastAllocated, MostAllocated \(profile k8s-default\), got "Bogus"/],
    ['k8s-timeslicing', 'replicas=2.5', /--set replicas: must be an integer/],
  ])('%s --set %s: exit 2, names the knob', async (profile, set, message) => {
    expect(await refused(['sweep', SCENARIO, '--profiles', profile, '--seeds', '1', '--set', set])).toMatch(message);
  });
});

describe('one seed range for every command: integers in [0, 2^32 − 1]', () => {
  it.each([
    [['sweep', SCENARIO, '--seeds', '4294967296']],
    [['sweep', SCENARIO, '--seeds', '4294967290..4294967296']],
    [['run', SCENARIO, '--seed', '4294967296']],
    [['run', SCENARIO, '--seed=-1']],
    [['openb', '--nodes', NODES, '--pods', PODS, '--policy', 'fgd', '--seed', '4294967296']],
  ])('%j is refused, naming the flag', async (argv) => {
    writeFileSync(NODES, 'sn,cpu_milli,memory_mib,gpu,model\nn-1,32000,65536,2,T4\n');
    expect(await refused(argv)).toMatch(/--seeds?: .*(between 0 and 4294967295|must be an integer)/);
  });
});

describe('openb refuses unknown GPU models by CSV line', () => {
  it.each(['Bogus', 'toString'])('model %s', async (model) => {
    writeFileSync(NODES, `sn,cpu_milli,memory_mib,gpu,model\nn-1,32000,65536,2,T4\nn-2,32000,65536,2,${model}\n`);
    const err = await refused(['openb', '--nodes', NODES, '--pods', PODS, '--policy', 'fgd', '--seed', '1']);
    expect(err).toContain(`${NODES}: line 3: model: unknown GPU model "${model}"`);
  });
});

describe('scenario files', () => {
  it('accepts a UTF-8 BOM, as the app does', async () => {
    const path = join(dir, 'bom.json');
    writeFileSync(path, '\uFEFF' + readFileSync(SCENARIO, 'utf8'));
    const io = capture();
    expect(await main(['validate', path], io)).toBe(0);
    expect(io.stdout).toContain(': ok');
  });

  it('never echoes more than a few hundred characters of the input', async () => {
    const s = JSON.parse(readFileSync(SCENARIO, 'utf8'));
    s.cluster.pools[0].gpuModel = 'X'.repeat(150_000);
    const path = join(dir, 'huge-model.json');
    writeFileSync(path, JSON.stringify(s));
    const err = await refused(['validate', path]);
    expect(err).toContain('gpuModel');
    expect(err.length).toBeLessThan(1500);
    const bad = join(dir, 'huge-bad.json');
    writeFileSync(bad, `{"a": "${'Y'.repeat(150_000)}", }`);
    expect((await refused(['validate', bad])).length).toBeLessThan(1500);
    expect((await refused(['run', SCENARIO, '--profile', 'Z'.repeat(150_000)])).length).toBeLessThan(1500);
    expect((await refused(['sweep', SCENARIO, '--seeds', 'Z'.repeat(150_000)])).length).toBeLessThan(1500);
  });
});

describe('every file the CLI reads is capped', () => {
  it('a regular file over the cap is refused before reading, naming the file and the limit', () => {
    const path = join(dir, 'big.csv');
    writeFileSync(path, 'x'.repeat(3 * 1024 * 1024));
    expect(() => readText(path, 2 * 1024 * 1024)).toThrow(InputError);
    expect(() => readText(path, 2 * 1024 * 1024)).toThrow(`${path}: larger than the 2 MiB limit for this file`);
    expect(readText(path)).toHaveLength(3 * 1024 * 1024);
  });

  it.skipIf(process.platform === 'win32')('/dev/zero stops at the cap instead of reading forever', async () => {
    expect(() => readText('/dev/zero', 4 * 1024 * 1024)).toThrow('/dev/zero: larger than the 4 MiB limit');
    expect(await refused(['validate', '/dev/zero'])).toContain('/dev/zero: larger than the 64 MiB limit');
  });

  it('a directory is refused, not read', () => {
    expect(() => readText(dir)).toThrow(InputError);
  });
});
