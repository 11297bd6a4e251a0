/**
 * Seeded random openb-style clusters for the FGD parity suites: mixed GPU models and counts (including CPU-only
 * nodes and unhealthy GPUs), a trace of pod shapes that gives the target workload (model-restricted, CPU-only,
 * shared, whole and fractional multi-GPU classes), and states reached by placing part of the trace with the fgd
 * profile itself.
 */
import { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { Pod } from '../../src/model/pod.ts';
import { openbCluster, type OpenbNode } from '../../src/model/openbTrace.ts';
import type { Scenario, TracePod } from '../../src/scenario/types.ts';
import { openbScenario } from '../../src/sched/frag/replay.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';

const MODELS = ['G2', 'T4', 'P100', 'V100M16', 'A10'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

/** A random trace pod (shapes as in openb, plus edge cases: zero requests, odd milli, model lists). */
export function randomTracePod(rng: Rng, i: number): TracePod {
  const numGpu = pick(rng, [0, 1, 1, 1, 1, 2, 4, 8]);
  const gpuMilli = numGpu === 0 ? 0 : pick(rng, [1000, 1000, 500, 250, 460, 100, 50, 333, 999]);
  const spec = numGpu > 0 && rng.int(5) === 0 ? (rng.int(2) ? [pick(rng, MODELS)] : [pick(rng, MODELS), pick(rng, MODELS)]) : undefined;
  return {
    name: `p-${i}`,
    cpuMilli: rng.int(8) === 0 ? 0 : pick(rng, [1000, 2000, 4000, 6000, 8000, 12000, 16000, 32000, 88000]),
    memMiB: rng.int(8) === 0 ? 0 : pick(rng, [1024, 4096, 12288, 16384, 65536]),
    numGpu,
    gpuMilli,
    ...(spec ? { gpuSpec: spec } : {}),
    creationS: 0,
  };
}

/** A random node list of `n` nodes. */
export function randomOpenbNodes(rng: Rng, n: number): OpenbNode[] {
  return Array.from({ length: n }, (_, i) => {
    const gpus = pick(rng, [0, 1, 2, 2, 4, 8, 8]);
    return { sn: `node-${String(i).padStart(4, '0')}`, cpuMilli: pick(rng, [32000, 64000, 96000, 128000]), memMiB: pick(rng, [131072, 262144, 786432]), gpus, model: gpus === 0 ? '' : pick(rng, MODELS) };
  });
}

/** The pod of a trace pod (as the replay builds it). */
export function podOfTrace(p: TracePod, uid: number): Pod {
  return {
    uid, name: p.name, kind: 'trace', workload: 0,
    request: { cpuMilli: p.cpuMilli, memMiB: p.memMiB, gpuCount: p.numGpu, gpuMilli: p.numGpu > 0 ? p.gpuMilli : 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: p.gpuSpec ?? [] },
    priority: 0, queue: 'default', annotations: {}, gang: -1, gangMin: 0, createdS: 0, phase: 'pending', binding: null, boundS: -1, attempts: 0, lastReason: '',
  };
}

export interface FgdWorld {
  nodes: OpenbNode[];
  trace: TracePod[];
  scenario: Scenario;
  cluster: ClusterState;
  scheduler: FrameworkScheduler;
  /** The fgd profile's coverage knob the world's scheduler uses. */
  coveragePct: number;
  rng: Rng;
}

/** A random world: cluster, trace (target workload), the fgd scheduler, part of the trace placed. */
export function randomFgdWorld(seed: number, nodeCount: number): FgdWorld {
  const rng = new Rng(seed);
  const nodes = randomOpenbNodes(rng, nodeCount);
  const trace = Array.from({ length: 10 + rng.int(60) }, (_, i) => randomTracePod(rng, i));
  const scenario = openbScenario(nodes, trace, 'fgd', seed);
  const cluster = openbCluster(nodes);
  for (const n of cluster.nodes) for (const g of n.gpus) if (rng.int(25) === 0) g.healthy = false;
  const coveragePct = pick(rng, [95, 100, 60]);
  const scheduler = createScheduler('fgd', { coveragePct }, { scenario, cluster, rng: rng.fork('scheduler') }) as FrameworkScheduler;
  const ctx = { cluster, rng: rng.fork('cycle'), nowS: 0 };
  const placed = rng.int(nodeCount * 3);
  for (let k = 0; k < placed; k++) scheduler.cycle([podOfTrace(pick(rng, trace), 100_000 + k)], ctx);
  return { nodes, trace, scenario, cluster, scheduler, coveragePct, rng };
}
