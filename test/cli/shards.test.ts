/**
 * Sharded sweeps (src/cli/shards.ts): N shards run as N processes and `merge` prints the single run's bytes
 * (N = 1, 2, 5), a lost shard re-run gives the same file, `--workers` changes nothing, every refusal names the file
 * or the index with exit 2, and `--emit-job` validates against the Kubernetes schemas (kubernetes-models).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigMap } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.ts';
import { canonicalJson, parseShardFlag, shardIndices } from '../../src/cli/shards.ts';
import { capture } from './captureIO.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'slicebench-shards-'));
const scenario = join(dir, 'small.json');
const at = (name: string): string => join(dir, name);
// 2 profiles × 3 seeds = 6 replicas of a 2-hour small-mixed: quick, and N = 5 leaves one shard with two rows.
const grid = (file = scenario, seeds = '1..3'): string[] => [file, '--profiles', 'k8s-default,hami-binpack', '--seeds', seeds, '--engine', 'cpu'];
const shardFile = (n: number, i: number): string => at(`n${n}-shard-${i}.jsonl`);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

let singleJson = '';
let singleTable = '';

beforeAll(async () => {
  const s = JSON.parse(readFileSync('public/scenarios/small-mixed.json', 'utf8')) as { sim: { durationS: number } };
  s.sim.durationS = 7200;
  writeFileSync(scenario, JSON.stringify(s));
  // Every shard of N = 1, 2, 5 as its own process, all at once.
  const jobs = [1, 2, 5].flatMap((n) => Array.from({ length: n }, (_, i) => run(process.execPath, ['bin/slicebench.mjs', 'sweep', ...grid(), '--shard', `${i}/${n}`, '--out', shardFile(n, i)])));
  const [json, plain] = await Promise.all([cli(['sweep', ...grid(), '--json']), cli(['sweep', ...grid()]), ...jobs]);
  singleJson = json.stdout;
  singleTable = plain.stdout;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sharded sweep', () => {
  it.each([1, 2, 5])('%i shards as processes, merged, print the single run byte for byte (--json and the table)', async (n) => {
    const files = Array.from({ length: n }, (_, i) => shardFile(n, i)).reverse(); // any order
    const json = await cli(['merge', ...files, '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(singleJson);
    expect(JSON.parse(json.stdout).replicas).toHaveLength(6);
    expect((await cli(['merge', ...files])).stdout).toBe(singleTable);
  });

  it('a lost shard, re-run, gives the same file', async () => {
    const before = readFileSync(shardFile(5, 3), 'utf8');
    unlinkSync(shardFile(5, 3));
    expect((await cli(['sweep', ...grid(), '--shard', '3/5', '--out', shardFile(5, 3)])).code).toBe(0);
    expect(readFileSync(shardFile(5, 3), 'utf8')).toBe(before);
  });

  it('--workers 2 prints the same bytes as one process', async () => {
    expect((await cli(['sweep', ...grid(), '--workers', '2', '--json'])).stdout).toBe(singleJson);
  }, 30_000);

  it('replica k goes to shard k mod N; keys sort in the identity', () => {
    expect(shardIndices(6, parseShardFlag('1/4'))).toEqual([1, 5]);
    expect(shardIndices(6, { index: 5, count: 7 })).toEqual([5]);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});

describe('sharded openb sweep (--openb)', () => {
  const DATA = new URL('../../../shared/data/openb/', import.meta.url);
  /** Every 40th node and pod of the openb trace (as test/cli/engine.test.ts cuts it); `skip` drops more pods. */
  const cut = (file: string, skip = 0): string => {
    const lines = readFileSync(new URL(file, DATA), 'utf8').trimEnd().split('\n');
    const out = at(`${skip}-${file}`);
    writeFileSync(out, [lines[0], ...lines.slice(1).filter((_, i) => i % 40 === 0).slice(skip)].join('\n') + '\n');
    return out;
  };
  const openb = (pods = cut('openb_pod_list_default.csv')): string[] => ['sweep', '--openb', '--nodes', cut('openb_node_list_gpu_node.csv'), '--pods', pods, '--policies', 'fgd,bestfit', '--seeds', '1..2', '--engine', 'cpu'];

  it('3 shards merge to the single run (--json); a changed trace is another sweep', async () => {
    const single = await cli([...openb(), '--json']);
    const files = [0, 1, 2].map((i) => at(`openb-${i}.jsonl`));
    for (const [i, f] of files.entries()) expect((await cli([...openb(), '--shard', `${i}/3`, '--out', f])).code).toBe(0);
    expect((await cli(['merge', ...files, '--json'])).stdout).toBe(single.stdout);
    const other = at('openb-other.jsonl');
    expect((await cli([...openb(cut('openb_pod_list_default.csv', 1)), '--shard', '2/3', '--out', other])).code).toBe(0);
    const r = await cli(['merge', files[0], files[1], other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/openb-other\.jsonl: rows of another sweep-openb/);
  }, 30_000);
});

describe('merge refuses, naming the file or the index (exit 2)', () => {
  /** A copy of shard i/2 with its header (first line) or text changed. */
  const edited = (name: string, edit: (lines: string[]) => string): string => {
    const path = at(name);
    writeFileSync(path, edit(readFileSync(shardFile(2, 1), 'utf8').split('\n')));
    return path;
  };
  const header = (change: (h: Record<string, unknown>) => void) => (lines: string[]): string => {
    const h = JSON.parse(lines[0]) as Record<string, unknown>;
    change(h);
    return [JSON.stringify(h), ...lines.slice(1)].join('\n');
  };

  it('rows of another sweep (other seeds)', async () => {
    const other = at('other-seeds.jsonl');
    expect((await cli(['sweep', ...grid(scenario, '4..6'), '--shard', '1/2', '--out', other])).code).toBe(0);
    const r = await cli(['merge', shardFile(2, 0), other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/other-seeds\.jsonl: rows of another sweep/);
  });

  it.each([
    ['another version', () => [shardFile(2, 0), edited('old.jsonl', header((h) => (h.slicebench = '0.0.1')))], /old\.jsonl: written by Slicebench 0\.0\.1/],
    ['a missing shard', () => [shardFile(5, 0), shardFile(5, 1), shardFile(5, 2), shardFile(5, 4)], /missing shard 3\/5 \(given 0\/5, 1\/5, 2\/5, 4\/5\)/],
    ['a duplicated shard', () => [shardFile(2, 0), shardFile(2, 1), shardFile(2, 1)], /n2-shard-1\.jsonl: shard 1\/2 given twice/],
    ['an index out of range', () => [shardFile(2, 0), edited('range.jsonl', header((h) => (h.shard = { index: 7, count: 2 })))], /range\.jsonl: shard index 7 out of range 0\.\.1/],
    ['a truncated last line', () => [shardFile(2, 0), edited('cut.jsonl', (l) => l.slice(0, 2).join('\n') + '\n' + l[2].slice(0, 40))], /cut\.jsonl: truncated: line 3 is not complete JSON/],
    ['a file without its footer', () => [shardFile(2, 0), edited('nofooter.jsonl', (l) => l.slice(0, 2).join('\n') + '\n')], /nofooter\.jsonl: truncated: no footer line/],
    ['shards of different N', () => [shardFile(2, 0), shardFile(5, 1)], /n5-shard-1\.jsonl: a shard of 5, but .*n2-shard-0\.jsonl is a shard of 2/],
    ['not a rows file', () => [shardFile(2, 0), scenario], /small\.json: not a Slicebench rows file/],
  ])('%s', async (_what, files, message) => {
    const r = await cli(['merge', ...files()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['--shard', '5/5', '--out', 'x.jsonl'], /--shard: index 5 out of range 0\.\.4/],
    [['--shard', '1-3', '--out', 'x.jsonl'], /--shard: expected i\/N/],
    [['--shard', '0/2'], /--shard needs --out/],
    [['--emit-job'], /--emit-job needs --shards N/],
    [['--emit-job', '--shards', '99'], /--shards: must be between 1 and the grid's 6 replicas/],
  ])('sweep %j → exit 2', async (flags, message) => {
    const r = await cli(['sweep', ...grid(), ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('--emit-job', () => {
  it('writes a ConfigMap, an Indexed Job (completions = parallelism = N) and a suspended merge Job, valid against the Kubernetes schemas', async () => {
    const r = await cli(['sweep', ...grid(), '--emit-job', '--shards', '3', '--json', '--pvc', 'rows', '--image', 'registry.example/slicebench:0.1.0']);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec?: Record<string, unknown>; data?: Record<string, string> });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ConfigMap/slicebench-sweep-scenario', 'Job/slicebench-sweep-shards', 'Job/slicebench-sweep-merge']);
    new ConfigMap(docs[0] as never).validate();
    for (const d of docs.slice(1)) new Job(d as never).validate();
    expect(JSON.parse(docs[0].data!['scenario.json']).sim.durationS).toBe(7200);
    const shards = new Job(docs[1] as never);
    expect([shards.spec!.completionMode, shards.spec!.completions, shards.spec!.parallelism]).toEqual(['Indexed', 3, 3]);
    const c = shards.spec!.template.spec!.containers[0];
    expect(c.args).toEqual(['sweep', '/scenario/scenario.json', '--profiles', 'k8s-default,hami-binpack', '--seeds', '1..3', '--engine', 'cpu', '--shard', '$(JOB_COMPLETION_INDEX)/3', '--out', '/rows/shard-$(JOB_COMPLETION_INDEX).jsonl']);
    expect(shards.spec!.template.spec!.volumes!.find((v) => v.name === 'rows')!.persistentVolumeClaim!.claimName).toBe('rows');
    const merge = new Job(docs[2] as never);
    expect(merge.spec!.suspend).toBe(true);
    expect(merge.spec!.template.spec!.containers[0].command!.join(' ')).toContain('slicebench merge /rows/shard-0.jsonl /rows/shard-1.jsonl /rows/shard-2.jsonl --json');
  });
});
