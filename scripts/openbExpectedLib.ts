/**
 * The FGD artifact's published results (../shared/data/openb-expected, from hkust-adsl/kubernetes-scheduler-simulator
 * @ 8f3d641 experiments/analysis/expected_results) and their comparison with Go-mode replays (`rng: 'go'`), for
 * scripts/openbExpected.ts and test/sched/frag/goReplay.test.ts. Reads the data where it lies; never copies it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOpenbNodes, parseOpenbPods } from '../src/io/openb.ts';
import type { OpenbNode } from '../src/model/openbTrace.ts';
import type { TracePod } from '../src/scenario/types.ts';
import type { CurveRow } from '../src/sched/frag/replay.ts';

/** ../shared/data, beside the repository. */
export const SHARED_DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));

/** The artifact's policy folders and our profile names. */
export const ARTIFACT_POLICIES: Record<string, string> = {
  '01-Random': 'random',
  '02-DotProd': 'dotprod',
  '03-GpuClustering': 'clustering',
  '04-GpuPacking': 'packing',
  '05-BestFit': 'bestfit',
  '06-FGD': 'fgd',
};

/** One published run: its 131 values (null where the artifact wrote none). */
export interface ExpectedRun {
  trace: string;
  policy: string;
  seed: number;
  values: (number | null)[];
}

/** Parses one of the expected CSVs (workload, sc_policy, tune, seed, [total_gpus,] 0..130), keyed trace/policy/seed. */
export function parseExpected(text: string): Map<string, ExpectedRun> {
  const lines = text.trim().split('\n');
  const header = lines[0].split(',');
  const first = header.indexOf('0');
  const out = new Map<string, ExpectedRun>();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const trace = cells[0].replace(/^openb_pod_list_/, '');
    const policy = ARTIFACT_POLICIES[cells[1]];
    const seed = Number(cells[3]);
    const values = cells.slice(first, first + 131).map((c) => (c === '' ? null : Number(c)));
    out.set(`${trace}/${policy}/${seed}`, { trace, policy, seed, values });
  }
  return out;
}

/** The published allocation and fragmented-GPU curves. */
export function loadExpected(dir = `${SHARED_DATA}openb-expected/`): { alloc: Map<string, ExpectedRun>; frag: Map<string, ExpectedRun> } {
  return {
    alloc: parseExpected(readFileSync(`${dir}analysis_allo_discrete.csv`, 'utf8')),
    frag: parseExpected(readFileSync(`${dir}analysis_frag_discrete.csv`, 'utf8')),
  };
}

/** The 17 traces of the paper's runs. */
export const EXPECTED_TRACES = ['default', 'cpu050', 'cpu100', 'cpu200', 'cpu250', 'gpushare100', 'gpushare40', 'gpushare60', 'gpushare80', 'gpuspec10', 'gpuspec20', 'gpuspec25', 'gpuspec33', 'multigpu20', 'multigpu30', 'multigpu40', 'multigpu50'];

/** The node list and a trace's pod list from ../shared/data/openb. */
export function loadTrace(trace: string, dir = `${SHARED_DATA}openb/`): { nodes: OpenbNode[]; pods: TracePod[] } {
  return {
    nodes: parseOpenbNodes(readFileSync(`${dir}openb_node_list_gpu_node.csv`, 'utf8')),
    pods: parseOpenbPods(readFileSync(`${dir}openb_pod_list_${trace}.csv`, 'utf8')),
  };
}

/** Rows (arrived %) where a curve differs from the published values at two decimals. */
export function curveDiffs(curve: readonly CurveRow[], expected: ExpectedRun, key: 'allocatedPct' | 'fragmentedGpuPct'): { pct: number; ours: number; theirs: number | null }[] {
  const out: { pct: number; ours: number; theirs: number | null }[] = [];
  expected.values.forEach((theirs, pct) => {
    const ours = curve[pct]?.[key];
    if (theirs === null || ours === undefined || Math.round(ours * 100) !== Math.round(theirs * 100)) out.push({ pct, ours: ours ?? NaN, theirs });
  });
  return out;
}
