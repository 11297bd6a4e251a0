/**
 * The FGD artifact's published results (../shared/data/openb-expected, from hkust-adsl/kubernetes-scheduler-simulator
 * @ 8f3d641 experiments/analysis/expected_results) and their comparison with Go-mode replays (`rng: 'go'`), for
 * scripts/openbExpected.ts and test/sched/frag/goReplay.test.ts. Reads the data where it lies; never copies it. The
 * parsing and comparison are src/io/openbExpected.ts's (the app's trace import uses them too).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOpenbNodes, parseOpenbPods } from '../src/io/openb.ts';
import type { OpenbNode } from '../src/model/openbTrace.ts';
import type { TracePod } from '../src/scenario/types.ts';
import { parseExpected, type ExpectedRun } from '../src/io/openbExpected.ts';

/** ../shared/data, beside the repository. */
export const SHARED_DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));

export { ARTIFACT_POLICIES, curveDiffs, parseExpected, type ExpectedRun } from '../src/io/openbExpected.ts';

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
