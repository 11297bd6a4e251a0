/**
 * Test builders: `node().gpus(8, 'H100').cpu(96000).build()`, `pod().gpus(1).build()`, `cluster(...)`.
 * Plain data in, runtime state out, so tables of cases stay short.
 */
import { Rng } from '../../src/core/rng.ts';
import { ClusterState, type NodeState } from '../../src/model/cluster.ts';
import { GPU_CATALOG, resolveCatalog } from '../../src/scenario/gpuCatalog.ts';
import type { Pod, PodRequest } from '../../src/model/pod.ts';
import type { SchedContext } from '../../src/sched/framework.ts';
import type { NodePoolSpec } from '../../src/scenario/types.ts';
import { buildNodes } from '../../src/model/cluster.ts';
import type { Summary } from '../../src/sim/metrics.ts';

export class NodeBuilder {
  private spec: NodePoolSpec = { name: 'n', count: 1, gpuModel: 'A100-80G', gpusPerNode: 0, cpuMilli: 4000, memMiB: 16384, topology: 'pcie', numaNodes: 1 };
  private nameOverride?: string;
  named(name: string): this { this.nameOverride = name; return this; }
  cpu(milli: number): this { this.spec.cpuMilli = milli; return this; }
  mem(mib: number): this { this.spec.memMiB = mib; return this; }
  gpus(count: number, model = 'A100-80G'): this { this.spec.gpusPerNode = count; this.spec.gpuModel = model; return this; }
  topology(t: NodePoolSpec['topology'], numa = 1): this { this.spec.topology = t; this.spec.numaNodes = numa; return this; }
  maxPods(n: number): this { this.spec.maxPods = n; return this; }
  /** The pool spec this builder describes (count 1). */
  pool(): NodePoolSpec { return { ...this.spec, name: this.nameOverride ?? this.spec.name }; }
  build(id = 0): NodeState {
    const [n] = buildNodes({ pools: [this.pool()] }, resolveCatalog(undefined));
    n.id = id;
    n.name = this.nameOverride ?? `node-${id}`;
    return n;
  }
}

export const node = (): NodeBuilder => new NodeBuilder();

/** A cluster of the given nodes (ids and names assigned in order unless named). */
export function cluster(...builders: NodeBuilder[]): ClusterState {
  const nodes = builders.map((b, i) => b.build(i));
  return new ClusterState(nodes, { ...GPU_CATALOG });
}

let nextUid = 1;

export class PodBuilder {
  private req: PodRequest = { cpuMilli: 0, memMiB: 0, gpuCount: 0, gpuMilli: 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] };
  private p: Partial<Pod> = {};
  named(name: string): this { this.p.name = name; return this; }
  cpu(milli: number): this { this.req.cpuMilli = milli; return this; }
  mem(mib: number): this { this.req.memMiB = mib; return this; }
  /** `count` GPUs of `milli` each (default whole). */
  gpus(count: number, milli = 1000): this { this.req.gpuCount = count; this.req.gpuMilli = count > 0 ? milli : 0; return this; }
  gpuMem(mib: number): this { this.req.gpuMemMiB = mib; return this; }
  gpuCores(pct: number): this { this.req.gpuCores = pct; return this; }
  models(...m: string[]): this { this.req.gpuModels = m; return this; }
  priority(p: number): this { this.p.priority = p; return this; }
  annotate(k: string, v: string): this { this.p.annotations = { ...(this.p.annotations ?? {}), [k]: v }; return this; }
  gang(id: number, min: number): this { this.p.gang = id; this.p.gangMin = min; return this; }
  build(): Pod {
    const uid = nextUid++;
    return {
      uid,
      name: this.p.name ?? `pod-${uid}`,
      kind: 'batch',
      workload: 0,
      request: { ...this.req },
      priority: this.p.priority ?? 0,
      queue: 'default',
      annotations: this.p.annotations ?? {},
      gang: this.p.gang ?? -1,
      gangMin: this.p.gangMin ?? 0,
      createdS: 0,
      phase: 'pending',
      binding: null,
      boundS: -1,
      attempts: 0,
      lastReason: '',
    };
  }
}

export const pod = (): PodBuilder => new PodBuilder();

/** A scheduling context over a cluster with a seeded RNG. */
export function ctx(c: ClusterState, seed = 1): SchedContext {
  return { cluster: c, rng: new Rng(seed), nowS: 0 };
}

/** A run summary with plain defaults (32 GPUs, half allocated, nothing pending), for the comparison sentences' tests. */
export function summaryOf(over: Partial<Summary> = {}): Summary {
  return {
    durationS: 3600, gpus: 32, nodes: 4, allocationPct: 50, utilizationPct: 20, gpuMemBookedPct: 50, gpuMemUsedPct: 10, gpusInUseAvg: 16,
    strandedGpusAvg: 0, fragmentedGpusAvg: -1, pendingAvg: 0, pendingMax: 0, podsCreated: 40, podsBound: 40, podsPendingAtEnd: 0,
    meanWaitS: 0, p95WaitS: 0, podsNeverStarted: 0,
    training: { jobs: 0, completed: 0, meanJctS: 0, meanSlowdown: 0 },
    inference: { services: 0, requests: 0, sloAttainmentPct: 100, p50LatencyMs: 0, p99LatencyMs: 0 },
    agents: { bursts: 0, meanBurstLatencyS: 0, p95BurstLatencyS: 0 },
    ray: { clusters: 0, tasksDone: 0, meanTaskWaitS: 0, p95TaskWaitS: 0 },
    cost: { totalUsd: 100, usefulGpuHours: 10, costPerUsefulGpuHourUsd: 10 },
    oomKills: 0, evictions: 0,
    ...over,
  };
}
