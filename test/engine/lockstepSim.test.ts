/**
 * The lockstep batcher of engine/lockstep/lockstep.ts without a GPU: flush and ordering on a recording engine,
 * grouping by engine, family and spec when lanes drive several replica engines (`lane.on`), a scenario sweep in
 * lockstep on the CPU twin (CpuReplicaEngine) equal to the sequential sweep row for row with the dispatch count
 * derived by hand, the same for HAMi and Volcano replicas on their CPU twins (cpuLockstepEngines, onLanes), and a
 * replica that throws mid-run (the others finish; it is named).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { HamiEvaluator } from '../../src/engine/evaluator/hamiEvaluator.ts';
import { CpuReplicaEngine, cpuLockstepEngines, cpuTwinWrap, runLockstep, sweepLockstep, type Lane, type LaneWrap, type ReplicaEngine } from '../../src/engine/lockstep/lockstep.ts';
import { VolcanoEvaluator } from '../../src/engine/evaluator/volcanoEvaluator.ts';
import type { Decision, Engine, EvalWindow, KernelSpec } from '../../src/engine/kernels/types.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { PodRequest } from '../../src/model/pod.ts';
import type { CycleResult, SchedContext, Scheduler } from '../../src/sched/framework.ts';
import { FrameworkScheduler } from '../../src/sched/runner.ts';
import type { Pod } from '../../src/model/pod.ts';
import { expandGrid, runReplica } from '../../src/sim/sweep.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';
import { engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';

const K8S: KernelSpec = { kind: 'k8s-fit', strategy: 'LeastAllocated', cpuWeight: 1, memWeight: 1, gpuWeight: 0, gpuReplicas: 1, fitWeight: 1, balancedWeight: 1 };
const MOST: KernelSpec = { ...K8S, strategy: 'MostAllocated' };

/** A stand-in cluster: the batcher reads only node count and GPU models (its family key). */
const cluster = (nodes: number, model = 'A100'): ClusterState => ({ nodes: Array.from({ length: nodes }, () => ({ gpuModel: model })) }) as unknown as ClusterState;

/** Records what the batcher asks of the engine; decision k of a dispatch carries `processed = pod's cpuMilli`. */
class RecordingEngine implements ReplicaEngine {
  readonly kind = 'cpu' as const;
  readonly label = 'recording';
  log: string[] = [];
  attachReplicas(clusters: readonly ClusterState[], spec: KernelSpec): void {
    this.log.push(`attach ${clusters.length} ${spec.kind === 'k8s-fit' ? spec.strategy : spec.kind}`);
  }
  markReplicaDirty(): void {}
  rescan(): void {}
  evaluateReplicas(pods: readonly PodRequest[], _w: readonly EvalWindow[], replicas: readonly number[]): Promise<Decision[]> {
    this.log.push(`dispatch ${replicas.join(',')}`);
    return Promise.resolve(pods.map((p) => ({ processed: p.cpuMilli, feasible: 0, rejected: [], maxTotal: -1, plateaus: [], tied: [] })));
  }
}

const pod = (cpuMilli: number): PodRequest => ({ cpuMilli }) as unknown as PodRequest;
const W: EvalWindow = { start: 0, want: 1 };

describe('lockstep batcher: flush and ordering', () => {
  test('a dispatch waits until every live replica waits; groups by kernel spec; answers go to the right lane', async () => {
    const eng = new RecordingEngine();
    const seen: Record<string, number[]> = { a: [], b: [], c: [], d: [] };
    // a: 3 decisions (LeastAllocated), b: 1 (LeastAllocated), c: 2 (MostAllocated), d: none, but finishes only
    // after a timer (live, not waiting: nothing may be dispatched before it ends)
    const task = (name: string, spec: KernelSpec, asks: number[]) => ({
      name,
      async run(lane: Engine) {
        if (name === 'd') return new Promise<string>((res) => setTimeout(() => res('d done'), 30));
        lane.attach(cluster(4), spec);
        for (const x of asks) seen[name].push((await lane.evaluate([pod(x)], [W]))[0].processed);
        return `${name} done`;
      },
    });
    const out = await runLockstep(eng, [task('a', K8S, [1, 2, 3]), task('b', K8S, [10]), task('c', MOST, [20, 21]), task('d', K8S, [])]);
    expect(out.results).toEqual(['a done', 'b done', 'c done', 'd done']);
    expect(out.failures).toEqual([]);
    expect(seen).toEqual({ a: [1, 2, 3], b: [10], c: [20, 21], d: [] });
    // lanes a, b, c got slots 0, 1, 2 of one family (4 nodes, one model). Round 1: a, b (LeastAllocated) and c
    // (MostAllocated): two dispatches; round 2: a and c; round 3: a alone (c then ended). Each spec switch
    // re-attaches the family (same clusters: only the spec and a rescan).
    expect(eng.log).toEqual([
      'attach 3 LeastAllocated', 'dispatch 0,1', 'attach 3 MostAllocated', 'dispatch 2',
      // round 2 starts with the spec the engine holds (MostAllocated)
      'dispatch 2', 'attach 3 LeastAllocated', 'dispatch 0',
      'dispatch 0',
    ]);
    expect(out.stats).toEqual({ replicas: 4, batched: 3, dispatches: 5, decisions: 6, candidates: 24, rounds: 3 });
  });

  test('maxLive splits the replicas into waves; a wave of one dispatches each decision alone', async () => {
    const eng = new RecordingEngine();
    const task = (n: number) => ({ name: `t${n}`, async run(lane: Engine) {
      lane.attach(cluster(2), K8S);
      await lane.evaluate([pod(n)], [W]);
      return (await lane.evaluate([pod(n)], [W]))[0].processed;
    } });
    const out = await runLockstep(eng, [task(1), task(2), task(3)], { maxLive: 2 });
    expect(out.results).toEqual([1, 2, 3]);
    // wave 1: t1, t2 share two dispatches; wave 2: t3 (a fresh family, slot 0) alone
    expect(eng.log).toEqual(['attach 2 LeastAllocated', 'dispatch 0,1', 'dispatch 0,1', 'attach 1 LeastAllocated', 'dispatch 0', 'dispatch 0']);
    expect(out.stats.dispatches).toBe(4);
  });

  test('a replica that throws mid-run is reported by name; the others still finish', async () => {
    const eng = new RecordingEngine();
    const out = await runLockstep(eng, [
      { name: 'ok-1', async run(lane: Engine) { lane.attach(cluster(2), K8S); let s = 0; for (let i = 0; i < 4; i++) s += (await lane.evaluate([pod(i)], [W]))[0].processed; return s; } },
      { name: 'bad', async run(lane: Engine) { lane.attach(cluster(2), K8S); await lane.evaluate([pod(7)], [W]); throw new Error('kaboom'); } },
      { name: 'ok-2', async run(lane: Engine) { lane.attach(cluster(2), K8S); return (await lane.evaluate([pod(5)], [W]))[0].processed; } },
    ]);
    // 0 + 1 + 2 + 3 = 6
    expect(out.results).toEqual([6, undefined, 5]);
    expect(out.failures.map((f) => [f.index, f.name, (f.error as Error).message])).toEqual([[1, 'bad', 'kaboom']]);
  });
});

/** A replica engine of any spec type that logs under its name, with the windows it was given. */
class NamedEngine implements ReplicaEngine<{ v: string }, string> {
  readonly kind = 'cpu' as const;
  constructor(readonly label: string, private readonly log: string[]) {}
  attachReplicas(clusters: readonly ClusterState[], spec: { v: string }): void {
    this.log.push(`${this.label} attach ${clusters.length}×${clusters[0].nodes.length} ${spec.v}`);
  }
  markReplicaDirty(): void {}
  rescan(): void {}
  evaluateReplicas(pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas: readonly number[]): Promise<string[]> {
    this.log.push(`${this.label} dispatch ${replicas.join(',')} windows ${windows.map((w) => `${w.start}/${w.want}`).join(',')}`);
    return Promise.resolve(pods.map((p) => `${this.label}:${p.cpuMilli}`));
  }
}

describe('lockstep batcher: several replica engines', () => {
  test('lanes group by engine, cluster family and spec (equal by value); a lane without windows asks for the whole cluster', async () => {
    const log: string[] = [];
    const a = new NamedEngine('A', log);
    const b = new NamedEngine('B', log);
    const X = { v: 'x' };
    const seen: string[] = [];
    const on = (lane: Lane) => lane.on(b);
    const tasks = [
      // r0 drives A twice; r1 and r3 drive B on 4-node clusters with equal specs (distinct objects); r2 drives B
      // on a 3-node cluster (another family); r1 and r2 give no windows (Volcano's engines score every node)
      { name: 'r0', async run(lane: Lane) { lane.on(a).attach(cluster(4), { v: 'k' }); for (const x of [1, 2]) seen.push((await lane.on(a).evaluate([pod(x)], [W]))[0]); } },
      { name: 'r1', async run(lane: Lane) { on(lane).attach(cluster(4), X); seen.push((await on(lane).evaluate([pod(10)]))[0]); } },
      { name: 'r2', async run(lane: Lane) { on(lane).attach(cluster(3), { ...X }); seen.push((await on(lane).evaluate([pod(20)]))[0]); } },
      { name: 'r3', async run(lane: Lane) { on(lane).attach(cluster(4), { ...X }); seen.push((await on(lane).evaluate([pod(30)], [{ start: 2, want: 1 }]))[0]); } },
    ];
    const out = await runLockstep(a as unknown as ReplicaEngine, tasks);
    expect(out.failures).toEqual([]);
    // round 1: A's group [r0]; B's 4-node family with spec x [r1 slot 0, r3 slot 1]; B's 3-node family [r2 slot 0].
    // Round 2: r0 alone, on the group A still holds (no re-attach).
    expect(log).toEqual([
      'A attach 1×4 k', 'A dispatch 0 windows 0/1',
      'B attach 2×4 x', 'B dispatch 0,1 windows 0/4,2/1',
      'B attach 1×3 x', 'B dispatch 0 windows 0/3',
      'A dispatch 0 windows 0/1',
    ]);
    expect(seen.sort()).toEqual(['A:1', 'A:2', 'B:10', 'B:20', 'B:30']);
    // candidates: 4 + 2·4 + 3 (round 1) + 4 (round 2) = 19
    expect(out.stats).toEqual({ replicas: 4, batched: 4, dispatches: 4, decisions: 5, candidates: 19, rounds: 2 });
  });

  test('a replica has one request at a time over all its lanes', async () => {
    const log: string[] = [];
    const a = new NamedEngine('A', log);
    const b = new NamedEngine('B', log);
    const out = await runLockstep(a as unknown as ReplicaEngine, [{ name: 'both', async run(lane: Lane) {
      lane.on(a).attach(cluster(2), { v: 'k' });
      lane.on(b).attach(cluster(2), { v: 'k' });
      const first = lane.on(a).evaluate([pod(1)], [W]);
      await expect(lane.on(b).evaluate([pod(2)], [W])).rejects.toThrow(/one request at a time/);
      return (await first)[0];
    } }]);
    expect(out.results).toEqual(['A:1']);
  });
});

// ----- whole scenario sweeps on the CPU twin ------------------------------------------------------------------

const scenario = loadScenarioFile(fileURLToPath(new URL('../../public/scenarios/whole-gpu-waste.json', import.meta.url)));

/** FrameworkEvaluator on the lane for every profile with a kernel (what wire.ts does for a GPU selection). */
const wrapTwin: LaneWrap = (lane, x, profile, options, s) => {
  const spec = x instanceof FrameworkScheduler ? kernelSpecFor(profile, options, s) : null;
  return spec ? useEvaluator(x as FrameworkScheduler, new FrameworkEvaluator(spec, lane)) : x;
};

describe('scenario sweep in lockstep on the CPU twin', () => {
  test('rows equal the sequential sweep; dispatches = Σ over kernel specs of the longest replica', async () => {
    // k8s-default × {LeastAllocated, MostAllocated} × seeds 1, 2 (two specs), fgd × seeds 1, 2, hami-binpack × 1, 2
    const replicas = expandGrid({ profiles: ['k8s-default', 'fgd', 'hami-binpack'], seeds: [1, 2], knobs: { strategy: ['LeastAllocated', 'MostAllocated'] } });
    expect(replicas.map((r) => r.group)).toEqual([
      'k8s-default strategy=LeastAllocated', 'k8s-default strategy=LeastAllocated', 'k8s-default strategy=MostAllocated', 'k8s-default strategy=MostAllocated',
      'fgd', 'fgd', 'hami-binpack', 'hami-binpack',
    ]);
    const out = await sweepLockstep(new CpuReplicaEngine(), scenario, replicas, wrapTwin);
    expect(out.failures).toEqual([]);
    expect(out.results.map((r) => r!.row)).toEqual(replicas.map((r) => runReplica(scenario, r)));
    expect(out.results.map((r) => engineEvaluatorOf(r!.scheduler) instanceof FrameworkEvaluator)).toEqual([true, true, true, true, true, true, false, false]);
    // Each replica alone (a wave of one) gives its decision count d_i. In lockstep every live replica has exactly
    // one request per round, so replica i's j-th request is served in round j, and a round dispatches once per
    // kernel spec that still has a replica: dispatches = Σ_spec max_{i ∈ spec} d_i, decisions = Σ_i d_i.
    const alone = await Promise.all(replicas.slice(0, 6).map(async (r) => (await sweepLockstep(new CpuReplicaEngine(), scenario, [r], wrapTwin)).stats.decisions));
    const max = (a: number[]) => Math.max(...a);
    expect(out.stats.batched).toBe(6);
    expect(out.stats.decisions).toBe(alone.reduce((a, b) => a + b, 0));
    expect(out.stats.dispatches).toBe(max(alone.slice(0, 2)) + max(alone.slice(2, 4)) + max(alone.slice(4, 6)));
    expect(out.stats.rounds).toBe(max(alone));
    expect(out.stats.dispatches).toBeLessThan(out.stats.decisions);
  });

  test('HAMi and Volcano replicas batch on their CPU twins (cpuTwinWrap: onLanes); rows equal the sequential sweep; dispatches derived by hand', async () => {
    const mixed = loadScenarioFile(fileURLToPath(new URL('../../public/scenarios/small-mixed.json', import.meta.url)));
    // k8s-default × 2 seeds; hami-binpack, hami-spread × splitCount 4, 10 × 2 seeds; volcano × 2; volcano-hami ×
    // splitCount 4, 10 × 2: 2 + 8 + 2 + 4 = 16 replicas in 8 groups, each group one kernel spec on one of the three
    // engine interfaces (k8s kernels, HAMi, Volcano)
    const replicas = expandGrid({ profiles: ['k8s-default', 'hami-binpack', 'hami-spread', 'volcano', 'volcano-hami'], seeds: [1, 2], knobs: { splitCount: [4, 10] } });
    expect(replicas).toHaveLength(16);
    const engines = cpuLockstepEngines();
    const out = await sweepLockstep(engines.kernel, mixed, replicas, cpuTwinWrap(engines));
    expect(out.failures).toEqual([]);
    const seq = replicas.map((r) => runReplica(mixed, r));
    expect(out.results.map((r) => r!.row)).toEqual(seq);
    // knobs and seeds really change the runs: at least 11 of the 16 traces differ (12 before the H100's NVML
    // memory, 81,559 MiB, made one more pair of small-mixed runs place alike)
    expect(new Set(seq.map((r) => r.traceHash)).size).toBeGreaterThanOrEqual(11);
    // every replica drove its engine interface through its lane
    const kindOf = (x: Scheduler) => (engineEvaluatorOf(x) instanceof FrameworkEvaluator ? 'k8s' : engineEvaluatorOf(x) instanceof HamiEvaluator ? 'hami' : engineEvaluatorOf(x) instanceof VolcanoEvaluator ? 'volcano' : 'other');
    expect(out.results.map((r) => kindOf(r!.scheduler))).toEqual([...Array(2).fill('k8s'), ...Array(8).fill('hami'), ...Array(6).fill('volcano')]);
    for (const r of out.results) expect(engineEvaluatorOf(r!.scheduler)!.activeEngine.label).toMatch(/replicas/);
    // As for the k8s kernels: a round dispatches once per group that still asks, so dispatches = Σ_group max_i d_i
    // (d_i = replica i's decisions alone, a wave of one) and decisions = Σ_i d_i. Groups are consecutive pairs of
    // the grid (the two seeds of one profile and split count).
    const alone = await Promise.all(replicas.map(async (r) => {
      const e = cpuLockstepEngines();
      return (await sweepLockstep(e.kernel, mixed, [r], cpuTwinWrap(e))).stats.decisions;
    }));
    expect(alone.every((d) => d > 0)).toBe(true);
    let dispatches = 0;
    for (let g = 0; g < 16; g += 2) dispatches += Math.max(alone[g], alone[g + 1]);
    expect(out.stats.batched).toBe(16);
    expect(out.stats.decisions).toBe(alone.reduce((x, y) => x + y, 0));
    expect(out.stats.dispatches).toBe(dispatches);
    expect(out.stats.dispatches).toBeLessThan(out.stats.decisions);
  });

  test('Volcano above 100 nodes in lockstep: the lanes carry the feasible-node search window; rows equal the sequential sweep', async () => {
    // small-mixed with 30× the L4 pool: 2 + 4·30 = 122 nodes, so every Volcano decision searches 100 of them from
    // a rotating start (sched/volcano/feasibleNodes.ts); six simulated hours keep the test short
    const mixed = loadScenarioFile(fileURLToPath(new URL('../../public/scenarios/small-mixed.json', import.meta.url)));
    const big = { ...mixed, cluster: { ...mixed.cluster, pools: mixed.cluster.pools.map((p) => (p.name === 'l4' ? { ...p, count: p.count * 30 } : p)) }, sim: { ...mixed.sim, durationS: 6 * 3600 } };
    expect(big.cluster.pools.reduce((n, p) => n + p.count, 0)).toBe(122);
    const replicas = expandGrid({ profiles: ['volcano', 'volcano-hami'], seeds: [1], knobs: {} });
    const engines = cpuLockstepEngines();
    const out = await sweepLockstep(engines.kernel, big, replicas, cpuTwinWrap(engines));
    expect(out.failures).toEqual([]);
    expect(out.results.map((r) => r!.row)).toEqual(replicas.map((r) => runReplica(big, r)));
    for (const r of out.results) expect(engineEvaluatorOf(r!.scheduler)!.activeEngine.label).toMatch(/replicas/);
  }, 60_000);

  test('a replica whose scheduler throws mid-run is named; the other rows still equal the sequential sweep', async () => {
    const replicas = expandGrid({ profiles: ['k8s-default'], seeds: [1, 2, 3], knobs: {} });
    /** Fails at its third cycle, after two batched cycles. */
    class Failing extends FrameworkEvaluator {
      cycles = 0;
      override cycleAsync(host: FrameworkScheduler, queue: readonly Pod[], ctx: SchedContext): Promise<CycleResult> {
        if (++this.cycles === 3) return Promise.reject(new Error('scheduler exploded'));
        return super.cycleAsync(host, queue, ctx);
      }
    }
    let n = 0;
    const out = await sweepLockstep(new CpuReplicaEngine(), scenario, replicas, (lane, x, profile, options, s) => {
      const spec = kernelSpecFor(profile, options, s)!;
      // the second replica built (seed 2) fails
      return useEvaluator(x as FrameworkScheduler, ++n === 2 ? new Failing(spec, lane) : new FrameworkEvaluator(spec, lane));
    });
    expect(out.failures.map((f) => [f.index, f.name, (f.error as Error).message])).toEqual([[1, 'k8s-default seed 2', 'scheduler exploded']]);
    expect(out.results[1]).toBeUndefined();
    expect(out.results[0]!.row).toEqual(runReplica(scenario, replicas[0]));
    expect(out.results[2]!.row).toEqual(runReplica(scenario, replicas[2]));
  });
});
