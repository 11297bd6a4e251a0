/**
 * The trace import's exact replay (src/worker/planRun.ts runOpenbReplay, what the dialog's "Replay as the artifact
 * (exact)" runs in a planner worker): the same curve as `slicebench openb --rng go` for one of the authors' published
 * runs, equal to their expected results (../shared/data/openb-expected, read where it lies) at every row, and bad
 * input answered with messages naming the file and line or the field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { compareCurve } from '../../src/io/openbExpected.ts';
import { runOpenbReplay } from '../../src/worker/planRun.ts';
import { capture } from '../cli/captureIO.ts';
import { loadExpected, SHARED_DATA } from '../../scripts/openbExpectedLib.ts';

const NODES = `${SHARED_DATA}openb/openb_node_list_gpu_node.csv`;
const PODS = `${SHARED_DATA}openb/openb_pod_list_multigpu20.csv`;

describe('exact replay for the trace import', () => {
  it('multigpu20/packing/seed 42: the CLI --rng go curve, and the published run at all 131 rows', { timeout: 120_000 }, async () => {
    const ui = runOpenbReplay({ nodesName: 'openb_node_list_gpu_node.csv', podsName: 'openb_pod_list_multigpu20.csv', nodesCsv: readFileSync(NODES, 'utf8'), podsCsv: readFileSync(PODS, 'utf8'), policy: 'packing', seed: 42 });
    expect(ui.errors).toEqual([]);
    const io = capture();
    expect(await main(['openb', '--nodes', NODES, '--pods', PODS, '--policy', 'packing', '--seed', '42', '--rng', 'go', '--json', '--engine', 'cpu'], io)).toBe(0);
    const cli = JSON.parse(io.stdout) as { capacityGpus: number; arrivals: number; curve: unknown[] };
    expect(ui.replay?.rng).toBe('go');
    expect(ui.replay?.curve).toEqual(cli.curve);
    expect([ui.replay?.capacityGpus, ui.replay?.arrivals]).toEqual([cli.capacityGpus, cli.arrivals]);
    const expected = loadExpected();
    const curve = ui.replay?.curve ?? [];
    expect(compareCurve(curve, expected.alloc.get('multigpu20/packing/42')!, 'allocatedPct')).toEqual({ equal: 131, rows: 131, firstDiff: null });
    expect(compareCurve(curve, expected.frag.get('multigpu20/packing/42')!, 'fragmentedGpuPct')).toEqual({ equal: 131, rows: 131, firstDiff: null });
  });

  it('bad input: the file and line, the policy, the seed', () => {
    const nodesCsv = 'sn,cpu_milli,memory_mib,gpu,model\nn-0,32000,65536,2,T4\n';
    const podsCsv = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli\np-1,1000,1024,1,500\np-2,1000,1024,2,300\n';
    const req = { nodesName: 'nodes.csv', podsName: 'pods.csv', nodesCsv, podsCsv, policy: 'bestfit', seed: 1 };
    expect(runOpenbReplay(req).errors[0]).toMatch(/^pods\.csv: line 3: gpu_milli/);
    expect(runOpenbReplay({ ...req, podsCsv: podsCsv.replace(/\np-2.*\n/, '\n'), nodesCsv: 'sn,cpu_milli\n' }).errors[0]).toMatch(/^nodes\.csv: line 1: /);
    expect(runOpenbReplay({ ...req, policy: 'k8s-default' }).errors).toEqual(['policies: "k8s-default" is not one of fgd, random, dotprod, clustering, packing, bestfit']);
    expect(runOpenbReplay({ ...req, seed: -1 }).errors[0]).toMatch(/^seed: must be a whole number/);
    expect(runOpenbReplay({ ...req, podsCsv: podsCsv.replace(/\np-2.*\n/, '\n') }).replay?.curve).toHaveLength(131);
  });
});
