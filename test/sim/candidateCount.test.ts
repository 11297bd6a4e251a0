/**
 * The planner's candidate count (src/sim/candidateCount.ts): each cycle adds the pods it considers × the nodes,
 * and counting changes no decision (same trace hash).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/validate.ts';
import { simulate } from '../../src/sim/simulation.ts';
import { countCandidates } from '../../src/sim/candidateCount.ts';

const r = parseScenario({
  kind: 'slicebench/scenario', version: 1, name: 'two nodes, three pods',
  cluster: { pools: [{ name: 'a', count: 2, gpuModel: 'A100-80G', gpusPerNode: 1, cpuMilli: 8000, memMiB: 65536, topology: 'pcie', numaNodes: 1 }] },
  workloads: [{ kind: 'batch', name: 'b', count: 3, cpuMilli: 1000, memMiB: 1024, gpus: 1, gpuMilli: 1000, durationS: 100, arrivalS: 0 }],
  schedulers: [{ profile: 'k8s-default' }],
  sim: { durationS: 1000, seed: 1, metricsStepS: 100 },
});

describe('candidate count', () => {
  it('counts pods considered × nodes per cycle and changes nothing', () => {
    if (!r.ok) throw new Error(r.errors.join('\n'));
    let n = 0;
    const counted = simulate(r.scenario, { wrapScheduler: (s) => countCandidates(s, (k) => (n += k)) });
    // t = 0: the three pods are considered on both nodes (3 × 2 = 6); two bind, one waits. t = 100: the two
    // finish, the waiting pod is tried again (1 × 2 = 2) and binds. Total 8.
    expect(n).toBe(8);
    expect(counted.traceHash).toBe(simulate(r.scenario).traceHash);
  });
});
