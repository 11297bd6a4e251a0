/**
 * Seeded random worlds for the FGD-baseline suites: openb-style clusters (test/parity/randomFgd.ts shapes) widened
 * to 16-GPU and 160-core nodes so negative dotprod and clustering scores occur, some unhealthy GPUs, and part of a
 * random trace placed by the policy's own profile (so nodes carry mixed shared / whole-GPU pods).
 */
import { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import { openbCluster, type OpenbNode } from '../../src/model/openbTrace.ts';
import type { Scenario, TracePod } from '../../src/scenario/types.ts';
import { openbScenario } from '../../src/sched/frag/replay.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';
import { podOfTrace, randomTracePod } from './randomFgd.ts';

const MODELS = ['G2', 'T4', 'P100', 'V100M16', 'A10'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

export interface BaselineWorld {
  nodes: OpenbNode[];
  trace: TracePod[];
  scenario: Scenario;
  cluster: ClusterState;
  scheduler: FrameworkScheduler;
  rng: Rng;
}

/** A random node list (0–16 GPUs, 32–160 cores). */
export function randomBaselineNodes(rng: Rng, n: number): OpenbNode[] {
  return Array.from({ length: n }, (_, i) => {
    const gpus = pick(rng, [0, 1, 2, 4, 8, 8, 16]);
    return { sn: `node-${String(i).padStart(4, '0')}`, cpuMilli: pick(rng, [32000, 64000, 96000, 128000, 160000]), memMiB: pick(rng, [131072, 262144, 786432]), gpus, model: gpus === 0 ? '' : pick(rng, MODELS) };
  });
}

/** A world for `policy`: cluster, trace, the policy's scheduler, part of the trace placed by it. */
export function randomBaselineWorld(policy: string, seed: number, nodeCount: number): BaselineWorld {
  const rng = new Rng(seed);
  const nodes = randomBaselineNodes(rng, nodeCount);
  const trace = Array.from({ length: 10 + rng.int(60) }, (_, i) => randomTracePod(rng, i));
  const scenario = openbScenario(nodes, trace, policy, seed);
  const cluster = openbCluster(nodes);
  for (const n of cluster.nodes) for (const g of n.gpus) if (rng.int(25) === 0) g.healthy = false;
  const scheduler = createScheduler(policy, {}, { scenario, cluster, rng: rng.fork('scheduler') }) as FrameworkScheduler;
  const ctx = { cluster, rng: rng.fork('cycle'), nowS: 0 };
  const placed = rng.int(nodeCount * 4);
  for (let k = 0; k < placed; k++) scheduler.cycle([podOfTrace(pick(rng, trace), 100_000 + k)], ctx);
  return { nodes, trace, scenario, cluster, scheduler, rng };
}

/** One rounding-sensitive case: free CPU / GPU of a node and a pod's CPU / GPU request (milli). */
export interface BoundaryCase {
  cl: number;
  gl: number;
  pc: number;
  pg: number;
}

/** The pod shape (count, milli per GPU) of a GPU request, or null when it has none we can build. */
function gpuShape(pg: number): [number, number] | null {
  if (pg === 0) return [0, 0];
  if (pg < 1000) return [1, pg];
  return pg % 1000 === 0 && pg <= 16000 ? [pg / 1000, 1000] : null;
}

/**
 * Inputs where dotprod's exact value 100·(1 − (cl·pc/128000² + gl·pg/8000²)/2) is an integer (cl·pc + 256·gl·pg a
 * multiple of 327,680,000), so float64 rounding decides the truncation; from a deterministic scan.
 */
export function dotprodBoundaryCases(limit: number): BoundaryCase[] {
  const M = 327_680_000;
  const out: BoundaryCase[] = [];
  for (let gl = 0; gl <= 16000 && out.length < limit; gl += 500) {
    for (let pg = 0; pg <= gl && out.length < limit; pg += 500) {
      if (!gpuShape(pg)) continue;
      const g = 256 * gl * pg;
      for (let k = Math.ceil(g / M); k <= 40 && out.length < limit; k++) {
        const rest = k * M - g;
        for (const pc of [2000, 2560, 4000, 5000, 8000, 16000, 20000, 32000, 40000, 64000, 80000]) {
          if (rest % pc !== 0) continue;
          const cl = rest / pc;
          if (cl >= pc && cl <= 160000 && out.length < limit) out.push({ cl, gl, pc, pg });
        }
      }
    }
  }
  return out;
}

/** Inputs where bestfit's exact value 100 − (a + 16b)/2560 is an integer (a = cl − pc, b = gl − pg). */
export function bestfitBoundaryCases(limit: number): BoundaryCase[] {
  const out: BoundaryCase[] = [];
  for (const b of [0, 500, 1000, 1500, 2000, 3000, 4000, 8000, 12000]) {
    for (let a = (2560 * 1000 - 16 * b) % 2560; a <= 150000 && out.length < limit; a += 2560) {
      const pc = 2000 * (out.length % 4);
      const pg = b >= 16000 ? 0 : 1000 * Math.min(2, Math.floor((16000 - b) / 1000));
      out.push({ cl: a + pc, gl: b + pg, pc, pg });
    }
  }
  return out.slice(0, limit);
}

/**
 * A cluster with one 16-GPU node per case (free CPU cl: capacity cl, nothing used; free GPU gl: whole GPUs free,
 * one partly used, the rest full) and one pod per case (pc milli-CPU, pg milli-GPU): the diagonal (pod k, node k)
 * is the boundary case, the rest mixes them.
 */
export function boundaryWorld(cases: readonly BoundaryCase[]): { cluster: ClusterState; pods: ReturnType<typeof podOfTrace>[] } {
  const nodes: OpenbNode[] = cases.map((c, i) => ({ sn: `b-${i}`, cpuMilli: Math.max(c.cl, 1), memMiB: 262144, gpus: 16, model: 'T4' }));
  const cluster = openbCluster(nodes);
  cases.forEach((c, i) => {
    const node = cluster.nodes[i];
    if (c.cl === 0) node.usedCpuMilli = 1;
    let free = c.gl;
    for (const g of node.gpus) {
      const f = Math.min(1000, free);
      g.usedMilli = 1000 - f;
      free -= f;
    }
  });
  const pods = cases.map((c, i) => {
    const [numGpu, gpuMilli] = gpuShape(c.pg) ?? [0, 0];
    return podOfTrace({ name: `bp-${i}`, cpuMilli: c.pc, memMiB: 1024, numGpu, gpuMilli, creationS: 0 }, 3_000_000 + i);
  });
  return { cluster, pods };
}
