/**
 * `slicebench plan` (src/cli/commands/plan.ts): the `{"answer", "rows"}` JSON the issue asks for, one answer per
 * profile agreeing with its rows, the same rows whatever --workers (row digests), shards merged back into the
 * single run's bytes, --csv, the paper grid, and bad input (impossible target, empty axis, over the cap) refused
 * with exit 2 and a message naming the field and the flag.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigMap } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.ts';
import type { PlanRow } from '../../src/plan/rows.ts';
import type { PaperRow } from '../../src/plan/paperGrid.ts';
import type { CurveRow } from '../../src/sched/frag/replay.ts';
import { curveDiffs, loadExpected } from '../../scripts/openbExpectedLib.ts';
import { capture } from './captureIO.ts';

const dir = mkdtempSync(join(tmpdir(), 'slicebench-plan-'));
const scenario = join(dir, 'small.json');
const at = (name: string): string => join(dir, name);
const DATA = new URL('../../../shared/data/openb/', import.meta.url);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

// 2 profiles × 2 scales × 2 seeds = 8 replicas of a 2-hour small-mixed.
const grid = ['--profiles', 'k8s-default,hami-binpack', '--scale', '0.5..1:0.5', '--seeds', '1..2', '--target', 'wait<=600', '--engine', 'cpu'];

interface PlanJson {
  answer: Record<string, unknown>[];
  rows: PlanRow[];
}

let single = '';

beforeAll(async () => {
  const s = JSON.parse(readFileSync('public/scenarios/small-mixed.json', 'utf8')) as { sim: { durationS: number } };
  s.sim.durationS = 7200;
  writeFileSync(scenario, JSON.stringify(s));
  const r = await cli(['plan', scenario, ...grid, '--json', '--workers', '1']);
  expect(r.stderr).toContain('engine: cpu');
  expect(r.code).toBe(0);
  single = r.stdout;
});

describe('slicebench plan', () => {
  it('prints {"answer", "rows"}: one answer per profile, one row per replica', () => {
    const out = JSON.parse(single) as PlanJson;
    expect(Object.keys(out)).toEqual(['answer', 'rows']);
    expect(out.answer.map((a) => a.profile)).toEqual(['k8s-default', 'hami-binpack']);
    for (const a of out.answer) expect(Object.keys(a).slice(0, 6)).toEqual(['profile', 'scale', 'nodes', 'gpus', 'costPerHour', 'meets']);
    expect(out.rows).toHaveLength(8);
    expect(out.rows.map((r) => [r.profile, r.scale, r.seed])).toEqual([
      ['k8s-default', 0.5, 1], ['k8s-default', 0.5, 2], ['k8s-default', 1, 1], ['k8s-default', 1, 2],
      ['hami-binpack', 0.5, 1], ['hami-binpack', 0.5, 2], ['hami-binpack', 1, 1], ['hami-binpack', 1, 2],
    ]);
    // The answer follows from the rows: the smaller scale (0.5×, $28.80) when both its seeds meet, else 1× ($57.60), else none.
    for (const a of out.answer) {
      const mine = out.rows.filter((r) => r.profile === a.profile);
      const meetsAt = (scale: number): boolean => mine.filter((r) => r.scale === scale).every((r) => r.meets);
      const want = meetsAt(0.5) ? [0.5, 3, 16, 28.8, true] : meetsAt(1) ? [1, 6, 32, 57.6, true] : [null, null, null, null, false];
      expect([a.scale, a.nodes, a.gpus, a.costPerHour, a.meets]).toEqual(want);
      for (const r of mine) expect(r.meets).toBe(r.p95WaitS <= 600);
    }
  });

  it('gives the same rows on 2 worker threads as on 1 (digests)', async () => {
    const r = await cli(['plan', scenario, ...grid, '--json', '--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('2 worker threads');
    expect((JSON.parse(r.stdout) as PlanJson).rows.map((x) => x.digest)).toEqual((JSON.parse(single) as PlanJson).rows.map((x) => x.digest));
    expect(r.stdout).toBe(single);
  });

  it('shards merge back into the single run, byte for byte', async () => {
    for (const i of [0, 1, 2]) expect((await cli(['plan', scenario, ...grid, '--shard', `${i}/3`, '--out', at(`s${i}.jsonl`), '--workers', '1'])).code).toBe(0);
    const m = await cli(['merge', at('s2.jsonl'), at('s0.jsonl'), at('s1.jsonl'), '--json']);
    expect(m.code).toBe(0);
    expect(m.stdout).toBe(single);
    const table = await cli(['merge', at('s0.jsonl'), at('s1.jsonl'), at('s2.jsonl')]);
    const whole = await cli(['plan', scenario, ...grid, '--workers', '1']);
    expect(table.stdout).toBe(whole.stdout);
    expect(whole.stdout).toContain('8 replicas: 2 profiles × 2 cluster scales × 1 demand scales × 2 seeds');
    expect(whole.stdout).toMatch(/^k8s-default +(yes|no) /m);
  });

  it('--csv writes every row, formula-safe', async () => {
    const r = await cli(['plan', scenario, ...grid, '--workers', '1', '--csv', at('rows.csv')]);
    expect(r.code).toBe(0);
    const lines = readFileSync(at('rows.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0].startsWith('index,id,profile,knob,scale,scaleLabel,demandScale,seed,nodes,gpus,costPerHour,meets,missed')).toBe(true);
    expect(lines[1].startsWith('0,k8s-default|0.5×|d1|s1,k8s-default,,0.5,0.5×,1,1,3,16,28.8,')).toBe(true);
  });

  it.each([
    [['--target', 'slo>=101'], 'plan.targets.sloAttainmentPct: impossible: attainment is a share between 0 and 100 %, got 101 (--target)'],
    [['--target', 'slowdown<=0.5'], 'plan.targets.trainingSlowdown: impossible'],
    [['--target', 'cost<=10'], 'plan.targets.maxCostPerHourUsd: impossible: the cheapest cluster of the grid (0.5×: 3 nodes, 16 GPUs) costs $28.80/h, above $10/h (--target)'],
    [['--scale', '2..1:0.5'], 'plan.scale.factors: empty axis: to (1) is below from (2) (--scale / --pool-counts)'],
    [['--demand', '1..0.5:0.5'], '--demand: empty axis'],
    [['--seeds', '1..3000', '--scale', '0.5..2:0.5'], 'plan.maxReplicas: the grid has 24,000 replicas (2 profile settings × 4 scales × 1 demand scales × 3000 seeds), over the cap of 10,000; raise it with --max-replicas to run it'],
    [['--target', 'slo<=99'], '--target: slo takes >= (inference SLO attainment ≥ x %)'],
    [['--target', 'latency<=5'], '--target: expected one of slo>=x'],
    [['--knob', 'k8s-default.splitCount=2,4'], 'plan.profiles[0].knob.key: k8s-default has no knob "splitCount"'],
    [['--pool-counts', 'gpu=1,2'], 'plan.scale.poolCounts.gpu: no pool named "gpu" (pools: h100, l4) (--scale / --pool-counts)'],
  ])('refuses %j naming it', async (flags, message) => {
    const args = ['plan', scenario, ...grid.filter((_, i, a) => !flags.includes(a[i]) && !flags.includes(a[i - 1])), ...flags, '--workers', '1'];
    const r = await cli(flags[0] === '--pool-counts' ? ['plan', scenario, '--profiles', 'k8s-default', '--target', 'wait<=1', ...flags] : args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--emit-job writes the Kubernetes Jobs of the plan\'s shards (the flags that rebuild this grid), valid against the schemas', async () => {
    const r = await cli(['plan', scenario, ...grid, '--emit-job', '--shards', '4', '--json']);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string }; data?: Record<string, string> });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ConfigMap/slicebench-plan-scenario', 'Job/slicebench-plan-shards', 'Job/slicebench-plan-merge']);
    new ConfigMap(docs[0] as never).validate();
    expect(docs[0].data!['scenario.json']).toBe(readFileSync(scenario, 'utf8'));
    const shards = new Job(docs[1] as never);
    shards.validate();
    expect(shards.spec!.completions).toBe(4);
    expect(shards.spec!.template.spec!.containers[0].args).toEqual(['plan', '/scenario/scenario.json', ...grid, '--shard', '$(JOB_COMPLETION_INDEX)/4', '--out', '/rows/shard-$(JOB_COMPLETION_INDEX).jsonl']);
    const merge = new Job(docs[2] as never);
    merge.validate();
    expect(merge.spec!.template.spec!.containers[0].command!.join(' ')).toContain('slicebench merge /rows/shard-0.jsonl /rows/shard-1.jsonl /rows/shard-2.jsonl /rows/shard-3.jsonl --json');
  });

  it.each([
    [['--emit-job', '--shards', '9'], "--shards: must be between 1 and the grid's 8 replicas, got 9"],
    [['--emit-job', '--shards', '2', '--csv', 'x.csv'], '--csv writes the rows of a run here'],
    [['--shards', '2'], '--shards goes with --emit-job'],
  ])('--emit-job refuses %j naming it', async (flags, message) => {
    const r = await cli(['plan', scenario, ...grid, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('needs a target', async () => {
    const r = await cli(['plan', scenario, '--profiles', 'k8s-default']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--target: give at least one target, e.g. --target 'slo>=99'");
  });
});

describe('slicebench plan --paper-grid', () => {
  /** Every `every`-th line of a ../shared openb file, written to the test's folder; returns its path. */
  const cut = (file: string, every: number): string => {
    const lines = readFileSync(new URL(file, DATA), 'utf8').trimEnd().split('\n');
    const out = at(file);
    writeFileSync(out, [lines[0], ...lines.slice(1).filter((_, i) => i % every === 0)].join('\n') + '\n');
    return out;
  };
  it('replays traces × policies × seeds; threads and shards change no byte', async () => {
    const nodes = cut('openb_node_list_gpu_node.csv', 40);
    const pods = [cut('openb_pod_list_default.csv', 40), cut('openb_pod_list_multigpu20.csv', 40)];
    const args = ['plan', '--paper-grid', '--nodes', nodes, ...pods, '--policies', 'fgd,bestfit', '--seeds', '1..2', '--engine', 'cpu', '--json'];
    const one = await cli([...args, '--workers', '1']);
    expect(one.code).toBe(0);
    const out = JSON.parse(one.stdout) as { summary: { trace: string; policy: string; n: number }[]; rows: { id: string; allocatedPct: number[] }[] };
    expect(out.rows.map((r) => r.id)).toEqual(['default|fgd|s1', 'default|fgd|s2', 'default|bestfit|s1', 'default|bestfit|s2', 'multigpu20|fgd|s1', 'multigpu20|fgd|s2', 'multigpu20|bestfit|s1', 'multigpu20|bestfit|s2']);
    expect(out.summary.map((s) => [s.trace, s.policy, s.n])).toEqual([['default', 'fgd', 2], ['default', 'bestfit', 2], ['multigpu20', 'fgd', 2], ['multigpu20', 'bestfit', 2]]);
    expect(out.rows[0].allocatedPct).toHaveLength(131);
    const two = await cli([...args, '--workers', '2']);
    expect(two.stdout).toBe(one.stdout);
    for (const i of [0, 1]) expect((await cli([...args, '--workers', '1', '--shard', `${i}/2`, '--out', at(`p${i}.jsonl`)])).code).toBe(0);
    expect((await cli(['merge', at('p0.jsonl'), at('p1.jsonl'), '--json'])).stdout).toBe(one.stdout);
    const bad = await cli(['plan', '--paper-grid', '--nodes', nodes, ...pods, '--policies', 'k8s-default']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--policies: "k8s-default" is not one of fgd, random, dotprod, clustering, packing, bestfit');
    const job = await cli(['plan', '--paper-grid', '--nodes', nodes, ...pods, '--emit-job', '--shards', '2']);
    expect(job.code).toBe(2);
    expect(job.stderr).toContain('--emit-job is for scenario plans, not --paper-grid');
  });

  it("--rng go: a row is `openb --rng go`'s curve and the authors' published run; threads change no byte", { timeout: 180_000 }, async () => {
    // The whole default trace, fgd, seed 43: a run the authors published and `openb --rng go` reproduces
    // (docs/fidelity.md "FGD replay"; ../shared/data/openb-expected is their experiments/analysis/expected_results).
    const nodes = fileURLToPath(new URL('openb_node_list_gpu_node.csv', DATA));
    const pods = fileURLToPath(new URL('openb_pod_list_default.csv', DATA));
    const grid = await cli(['plan', '--paper-grid', '--rng', 'go', '--nodes', nodes, pods, '--policies', 'fgd', '--seeds', '43', '--workers', '1', '--engine', 'cpu', '--json']);
    expect(grid.code).toBe(0);
    expect(grid.stderr).toContain("Go's random numbers");
    const [row] = (JSON.parse(grid.stdout) as { rows: PaperRow[] }).rows;
    const openb = await cli(['openb', '--rng', 'go', '--nodes', nodes, '--pods', pods, '--policy', 'fgd', '--seed', '43', '--engine', 'cpu', '--json']);
    const curve = (JSON.parse(openb.stdout) as { curve: CurveRow[] }).curve;
    expect(row.allocatedPct).toEqual(curve.map((c) => c.allocatedPct));
    expect(row.fragRatioPctAt100).toBe(curve[100].fragRatioPct);
    expect(curveDiffs(row.allocatedPct.map((allocatedPct, arrivedPct) => ({ arrivedPct, allocatedPct, fragmentedGpuPct: 0, fragRatioPct: 0 })), loadExpected().alloc.get('default/fgd/43')!, 'allocatedPct')).toEqual([]);

    // A cut trace: Go's numbers change the rows, and threads or shards still change no byte.
    const small = ['plan', '--paper-grid', '--nodes', cut('openb_node_list_gpu_node.csv', 40), cut('openb_pod_list_default.csv', 40), '--policies', 'fgd,bestfit', '--seeds', '1..2', '--engine', 'cpu', '--json'];
    const one = await cli([...small, '--rng', 'go', '--workers', '1']);
    expect(one.code).toBe(0);
    expect((await cli([...small, '--rng', 'go', '--workers', '2'])).stdout).toBe(one.stdout);
    for (const i of [0, 1]) expect((await cli([...small, '--rng', 'go', '--workers', '1', '--shard', `${i}/2`, '--out', at(`g${i}.jsonl`)])).code).toBe(0);
    expect((await cli(['merge', at('g0.jsonl'), at('g1.jsonl'), '--json'])).stdout).toBe(one.stdout);
    const ours = (JSON.parse((await cli([...small, '--workers', '1'])).stdout) as { rows: PaperRow[] }).rows;
    expect((JSON.parse(one.stdout) as { rows: PaperRow[] }).rows.map((r) => r.digest)).not.toEqual(ours.map((r) => r.digest));

    const bad = await cli([...small, '--rng', 'python']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--rng: must be slicebench or go, got "python"');
    const plan = await cli(['plan', scenario, '--rng', 'go']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('--rng goes with --paper-grid');
  });
});
