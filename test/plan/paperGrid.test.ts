/**
 * The paper grid (src/plan/paperGrid.ts, src/sim/paperReplay.ts, the planner worker's runPaperBatch): the six FGD
 * policies in the profile registry's order, replays in trace → policy → seed order, rows equal to the
 * `slicebench openb` replay (sched/frag/replay.ts), bands worked out by hand, and bad input naming the field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOpenbNodes, parseOpenbPods } from '../../src/io/openb.ts';
import { expandPaperGrid, PAPER_POLICIES, paperBands, paperCsv, type PaperRow } from '../../src/plan/paperGrid.ts';
import { replayOpenb } from '../../src/sched/frag/replay.ts';
import { FGD_PROFILES } from '../../src/sched/profiles/fgd.ts';
import { runPaperBatch } from '../../src/worker/planRun.ts';

const DATA = new URL('../../../shared/data/openb/', import.meta.url);
const cut = (file: string, every: number): string => {
  const lines = readFileSync(new URL(file, DATA), 'utf8').trimEnd().split('\n');
  return [lines[0], ...lines.slice(1).filter((_, i) => i % every === 0)].join('\n') + '\n';
};
const hooks = { yieldToEvents: () => Promise.resolve(), cancelled: () => false };

describe('paper grid', () => {
  it('its policies are the FGD profiles, in order', () => {
    expect([...PAPER_POLICIES]).toEqual(FGD_PROFILES.map((p) => p.name));
  });

  it('expands traces → policies → seeds with stable ids; refuses empty axes and unknown policies', () => {
    const g = expandPaperGrid(['default', 'gpushare40'], ['fgd', 'random'], [1, 2]);
    expect(g.map((r) => r.id)).toEqual(['default|fgd|s1', 'default|fgd|s2', 'default|random|s1', 'default|random|s2', 'gpushare40|fgd|s1', 'gpushare40|fgd|s2', 'gpushare40|random|s1', 'gpushare40|random|s2']);
    expect(() => expandPaperGrid([], ['fgd'], [1])).toThrow('traces: empty axis');
    expect(() => expandPaperGrid(['a'], [], [1])).toThrow('policies: empty axis');
    expect(() => expandPaperGrid(['a'], ['fgd'], [])).toThrow('seeds: empty axis');
    expect(() => expandPaperGrid(['a'], ['k8s-default'], [1])).toThrow('policies: "k8s-default" is not one of fgd, random, dotprod, clustering, packing, bestfit');
  });

  it('bands: per arrived percent, mean and t-interval over seeds', () => {
    const row = (seed: number, alloc: number[]): PaperRow => ({ index: seed, id: `t|fgd|s${seed}`, trace: 't', policy: 'fgd', seed, capacityGpus: 8, allocatedPctAt100: 0, fragRatioPctAt100: 0, finalAllocatedPct: 0, allocatedPct: alloc, digest: '' });
    // Seeds give [0, 10, 20] and [0, 14, 20]: means 0, 12, 20; at 1 %: sd = 2√2, t(1) = 12.706 → half 12.706 · 2√2 / √2 = 25.412.
    const [b] = paperBands([row(2, [0, 14, 20]), row(1, [0, 10, 20])]);
    expect(b).toMatchObject({ trace: 't', policy: 'fgd', n: 2, arrivedPct: [0, 1, 2], mean: [0, 12, 20], lo: [0, 12 - 25.412, 20], hi: [0, 12 + 25.412, 20] });
  });

  it('a worker batch replays as slicebench openb does, whatever the split', async () => {
    const nodesCsv = cut('openb_node_list_gpu_node.csv', 40);
    const traces = [{ name: 'default', nodesCsv, podsCsv: cut('openb_pod_list_default.csv', 40) }, { name: 'gpushare40', nodesCsv, podsCsv: cut('openb_pod_list_gpushare40.csv', 40) }];
    const req = { traces, policies: ['fgd', 'bestfit'], seeds: [1, 2], indices: [0, 1, 2, 3, 4, 5, 6, 7] };
    const whole = await runPaperBatch(req, hooks);
    expect(whole.errors).toEqual([]);
    const parts = await Promise.all([[7, 5, 3, 1], [6, 4, 2, 0]].map((indices) => runPaperBatch({ ...req, indices }, hooks)));
    expect(parts.flatMap((p) => p.rows).sort((a, b) => a.index - b.index)).toEqual(whole.rows);
    const r = whole.rows[5]; // gpushare40 | fgd | seed 2
    expect(r.id).toBe('gpushare40|fgd|s2');
    const direct = replayOpenb({ nodes: parseOpenbNodes(nodesCsv), pods: parseOpenbPods(traces[1].podsCsv), policy: 'fgd', seed: 2, inflation: 1.3 });
    expect(r.allocatedPct).toEqual(direct.curve.map((c) => c.allocatedPct));
    expect(r.allocatedPctAt100).toBe(direct.curve[100].allocatedPct);
    expect(r.allocatedPct).toHaveLength(131);
    // Candidate evaluations: every arrival against every node, summed over the batch's replays.
    const nodes = parseOpenbNodes(nodesCsv).length;
    const arrivals = (t: number, policy: string, seed: number): number => replayOpenb({ nodes: parseOpenbNodes(nodesCsv), pods: parseOpenbPods(traces[t].podsCsv), policy, seed }).stats.arrivedPods;
    expect(parts[0].candidateEvaluations).toBe(nodes * (arrivals(1, 'bestfit', 2) + arrivals(1, 'fgd', 2) + arrivals(0, 'bestfit', 2) + arrivals(0, 'fgd', 2)));
  });

  it('CSV: the fixed columns, then the curve by arrived percent, one line per replay in grid order', () => {
    const row = (index: number, alloc: number[]): PaperRow => ({ index, id: `=t|fgd|s${index}`, trace: '=t', policy: 'fgd', seed: index, capacityGpus: 8, allocatedPctAt100: 50, fragRatioPctAt100: 1.5, finalAllocatedPct: 62.5, allocatedPct: alloc, digest: 'ab12' });
    expect(paperCsv([row(1, [0, 12.5]), row(0, [0, 10, 20])])).toBe(
      [
        'index,id,trace,policy,seed,capacityGpus,allocatedPctAt100,fragRatioPctAt100,finalAllocatedPct,digest,allocatedPctAt0,allocatedPctAt1,allocatedPctAt2',
        // A trace name a spreadsheet would run as a formula gets an apostrophe; a shorter curve leaves cells empty.
        "0,'=t|fgd|s0,'=t,fgd,0,8,50,1.5,62.5,ab12,0,10,20",
        "1,'=t|fgd|s1,'=t,fgd,1,8,50,1.5,62.5,ab12,0,12.5,",
        '',
      ].join('\n'),
    );
  });

  it('a malformed trace answers with its name and line', async () => {
    const res = await runPaperBatch({ traces: [{ name: 'broken', nodesCsv: 'sn,cpu_milli\nx,1\n', podsCsv: '' }], policies: ['fgd'], seeds: [1], indices: [0] }, hooks);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]).toMatch(/^broken: /);
  });

  it('a batch asking for random numbers other than slicebench or go is refused, naming rng', async () => {
    const nodesCsv = 'sn,cpu_milli,memory_mib,gpu,model\nn-0,32000,65536,2,T4\n';
    const podsCsv = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli\np-1,1000,1024,1,500\n';
    const req = { traces: [{ name: 't', nodesCsv, podsCsv }], policies: ['fgd'], seeds: [1], indices: [0] };
    const res = await runPaperBatch({ ...req, rng: 'python' as 'go' }, hooks);
    expect(res).toEqual({ rows: [], cancelled: false, errors: ['rng: must be slicebench or go, got "python"'] });
    // Both accepted values run; Go's draws give the artifact's rows (the CLI test compares them with openb --rng go).
    for (const rng of ['slicebench', 'go'] as const) {
      const ok = await runPaperBatch({ ...req, rng }, hooks);
      expect(ok.errors).toEqual([]);
      expect(ok.rows[0].allocatedPct).toEqual(replayOpenb({ nodes: parseOpenbNodes(nodesCsv), pods: parseOpenbPods(podsCsv), policy: 'fgd', seed: 1, rng }).curve.map((c) => c.allocatedPct));
    }
  });
});
