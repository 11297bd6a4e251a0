/**
 * Volcano's limited feasible-node search (util/predicate_helper.go PredicateNodes, util/scheduler_helper.go
 * CalculateNumOfFeasibleNodesToFind, release-1.15): above 100 nodes a task's predicates stop once
 * numNodesToFind feasible nodes are found (min 100, 50 − N/125 %, at least 5 %), from a start that persists
 * across tasks and sessions. Expected values derived from the rule; the engine path (VolcanoEvaluator on the CPU
 * twin, which reduces the kernel's result words over the same search) is checked against the plugin path.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { Pod } from '../../src/model/pod.ts';
import { VolcanoCpuEngine } from '../../src/engine/cpu/volcanoCpuEngine.ts';
import { VolcanoEvaluator } from '../../src/engine/evaluator/volcanoEvaluator.ts';
import { volcanoKernelSpecOf } from '../../src/engine/kernels/volcano.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';
import { volcano } from '../../src/sched/profiles/volcano.ts';
import { FeasibleNodeSearch, searchFeasibleNodes, volcanoFeasibleNodesToFind } from '../../src/sched/volcano/feasibleNodes.ts';
import { VolcanoScheduler } from '../../src/sched/volcano/scheduler.ts';
import { randomTask, randomVolcanoCluster, volcanoConfigs, vpod } from '../parity/volcanoWorlds.ts';
import { cluster, ctx, node, pod } from '../builders/index.ts';

describe('numNodesToFind and the rotating search (CalculateNumOfFeasibleNodesToFind, PredicateNodes)', () => {
  it('min 100 nodes, 50 − N/125 %, at least 5 %', () => {
    expect(volcanoFeasibleNodesToFind(100)).toBe(100); // N ≤ MinNodesToFind: every node
    expect(volcanoFeasibleNodesToFind(150)).toBe(100); // 49 % of 150 = 73 < 100 → 100
    expect(volcanoFeasibleNodesToFind(1000)).toBe(420); // 50 − 8 = 42 % → 420
    expect(volcanoFeasibleNodesToFind(6000)).toBe(300); // 50 − 48 = 2 % < 5 % → 5 % → 300
  });

  it('keeps numNodesToFind nodes, examines the next feasible one, and starts the next search after it', () => {
    const search = new FeasibleNodeSearch();
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    // 150 feasible nodes from 0: nodes 0..99 kept, node 100 examined (it cancels the search): start 101
    expect(searchFeasibleNodes(150, search, () => true)).toEqual(range(0, 100));
    expect(search.startNodeIndex).toBe(101);
    // from 101: 101..149 and 0..50 kept (100 nodes), 51 examined: start (101 + 101) mod 150 = 52
    expect(searchFeasibleNodes(150, search, () => true)).toEqual([...range(0, 51), ...range(101, 150)]);
    expect(search.startNodeIndex).toBe(52);
    // fewer feasible nodes than wanted: every node is examined, the start comes back to 52
    expect(searchFeasibleNodes(150, search, (i) => i % 2 === 0)).toHaveLength(75);
    expect(search.startNodeIndex).toBe(52);
    // 100 nodes or fewer: all of them, start unchanged
    expect(searchFeasibleNodes(100, search, () => true)).toHaveLength(100);
    expect(search.startNodeIndex).toBe(52);
  });
});

describe('above 100 nodes the best node outside the search is not chosen (plugin path = engine path)', () => {
  // 150 empty 8000 m nodes, node 120 twice as large (leastrequested prefers it; binpack off). Session 1 searches
  // from 0 and keeps nodes 0..99, so its pod lands on one of them (a tie among 100 equal nodes); the search
  // examined 101 nodes, so session 2 starts at 101 and keeps 101..149 and 0..50: node 120 wins.
  function world(): ClusterState {
    const nodes = Array.from({ length: 150 }, (_, i) => (i === 120 ? node().cpu(16000).mem(32768) : node().cpu(8000).mem(16384)));
    return cluster(...nodes);
  }
  const options = { ...volcano.defaults, binpackWeight: 0 };
  const run = (engine: boolean) => {
    const c = world();
    const s = volcano.create(options, { scenario: { queues: undefined }, cluster: c, rng: new Rng(1) } as never) as VolcanoScheduler;
    if (engine) useEvaluator(s, new VolcanoEvaluator(volcanoKernelSpecOf(s.config)!, new VolcanoCpuEngine()));
    const first = pod().cpu(1000).mem(1024).build();
    const second = pod().cpu(1000).mem(1024).build();
    s.cycle([first], ctx(c, 3));
    const afterFirst = s.search.startNodeIndex;
    s.cycle([second], ctx(c, 4));
    return { first: first.binding!.nodeId, second: second.binding!.nodeId, afterFirst, afterSecond: s.search.startNodeIndex };
  };

  it('plugin path', () => {
    const r = run(false);
    expect(r.first).toBeLessThan(100);
    expect(r.afterFirst).toBe(101);
    expect(r.second).toBe(120);
    expect(r.afterSecond).toBe(52);
  });

  it('engine path (CPU twin) makes the same choices', () => {
    expect(run(true)).toEqual(run(false));
  });
});

describe('random worlds of 101–400 nodes: the engine path equals the plugin path over several sessions', () => {
  it('same bindings and the same search start after every session (6 configurations × 3 worlds × 4 sessions)', () => {
    let moved = 0;
    for (const { name, config } of volcanoConfigs()) {
      for (let seed = 1; seed <= 3; seed++) {
        const build = () => {
          const rng = new Rng(seed * 7919 + name.length);
          const c = randomVolcanoCluster(rng, 101 + rng.int(300));
          const maxCpu = Math.max(...c.nodes.map((n) => n.cpuMilli));
          const maxMem = Math.max(...c.nodes.map((n) => n.memMiB));
          const sessions: Pod[][] = Array.from({ length: 4 }, () => Array.from({ length: 6 }, () => vpod(randomTask(rng, maxCpu, maxMem, 15360))));
          return { c, sessions };
        };
        const results = [false, true].map((engine) => {
          const { c, sessions } = build();
          const s = new VolcanoScheduler(name, config, undefined);
          if (engine) useEvaluator(s, new VolcanoEvaluator(volcanoKernelSpecOf(config)!, new VolcanoCpuEngine()));
          const trace: (number | string)[] = [];
          sessions.forEach((pods, k) => {
            s.cycle(pods, ctx(c, seed * 10 + k));
            for (const p of pods) trace.push(p.binding ? p.binding.nodeId : p.lastReason);
            trace.push(`start ${s.search.startNodeIndex}`);
          });
          return trace;
        });
        expect(results[1], `${name} seed ${seed}`).toEqual(results[0]);
        moved += results[0].filter((t) => typeof t === 'string' && t.startsWith('start ') && t !== 'start 0').length;
      }
    }
    expect(moved).toBeGreaterThan(10); // the search really rotates in these worlds
  }, 60_000);
});
