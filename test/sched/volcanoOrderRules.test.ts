/**
 * Volcano v1.15 order rules of issue 13 that had no test of their own, each expected value derived from the
 * upstream rule cited at the case (volcano-sh/volcano release-1.15; the same at ed72c7c):
 * - backfill takes BestEffort tasks queue by queue in QueueOrderFn order before job order
 *   (actions/backfill/backfill.go pickUpPendingTasks: a queue priority queue, then a job queue per queue);
 * - reclaim moves on to the job's next task after one finds no place (actions/reclaim/reclaim.go Execute: the
 *   task loop runs while ssn.JobStarving(job) and ignores reclaimForTask's outcome);
 * - victims of one job go in reverse task order (framework/session_plugins.go BuildVictimsPriorityQueue:
 *   `!ssn.TaskOrderFn(l, r)` for tasks of the same job; priority's TaskOrderFn puts the higher pod priority
 *   first, then the earlier creation).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { Pod } from '../../src/model/pod.ts';
import { volcano, volcanoSessionConfig } from '../../src/sched/profiles/volcano.ts';
import { queueSpecs } from '../../src/sched/volcano/scheduler.ts';
import { runSession, type ActionName, type SessionJob } from '../../src/sched/volcano/session.ts';
import type { VolcanoQueueSpec } from '../../src/scenario/types.ts';
import { cluster, node, pod } from '../builders/index.ts';

function job(key: string, uid: number, queue: string, pods: Pod[], minAvailable: number, priority = 0, phase: SessionJob['phase'] = 'Inqueue'): SessionJob {
  return { key, name: key, queue, priority, minAvailable, minResources: null, phase, createdS: uid, uid, pods };
}
function run(c: ClusterState, queues: VolcanoQueueSpec[], jobs: SessionJob[], actions: ActionName[]) {
  // the profile's defaults: Helm chart tiers, proportion with queue order; binpack off so node order decides ties
  const config = { ...volcanoSessionConfig({ ...volcano.defaults, binpackWeight: 0 }, { kind: 'whole' }), actions, overcommitFactor: null };
  return runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs(queues), config, jobs });
}

describe('backfill: queue order before job order (backfill.go pickUpPendingTasks)', () => {
  // One node with a single pod slot. Job A (job priority 10) is in queue qa, job B (job priority 0) in qb; each
  // has one BestEffort pod. pickUpPendingTasks pops queues by QueueOrderFn (proportion: the higher queue
  // priority first) and only then jobs by JobOrderFn, so the first queue's job takes the slot whatever the jobs'
  // own priorities, and the other finds "Too many pods".
  function winner(priorityA: number, priorityB: number): 'A' | 'B' | 'none' {
    const c = cluster(node().cpu(4000).mem(8192).maxPods(1));
    const a = pod().build();
    const b = pod().build();
    const queues = [{ name: 'qa', priority: priorityA }, { name: 'qb', priority: priorityB }];
    const res = run(c, queues, [job('A', 1, 'qa', [a], 1, 10), job('B', 2, 'qb', [b], 1, 0)], ['backfill']);
    expect(res.bound).toHaveLength(1);
    return res.bound[0] === a ? 'A' : res.bound[0] === b ? 'B' : 'none';
  }

  it('qb first in queue order: B\'s pod binds although A\'s job priority is higher', () => {
    expect(winner(1, 5)).toBe('B');
  });

  it('qa first in queue order: A\'s pod binds', () => {
    expect(winner(5, 1)).toBe('A');
  });
});

describe('reclaim moves on to the next task after one finds no place (reclaim.go Execute)', () => {
  it('a task no node can hold even with every victim gone does not stop the job', () => {
    // n0 2000 m holds r0, r1 and n1 1000 m holds r2 (job R of queue q2, minAvailable 1, 1000 m each): gang offers
    // two of them (ready 3 > minAvailable 1), so reclaim's first tier [gang, conformance] decides. P (queue q1,
    // weight 9, minAvailable 2) asks t1 2500 m, then t2 and t3 of 1000 m. q1's deserved cpu is
    // min(4500 requested, 9/10 of 3000) = 2700 m, so every task passes proportion's allocatable check
    // (2500 ≤ 2700; 1000 then 2000 ≤ 2700). t1 fits no node even empty (n0 is 2000 m): reclaimForTask finds
    // nothing, and the loop goes on while P starves: t2 and t3 each reclaim one of R's pods, P reaches
    // minAvailable 2 (JobPipelined) and the statement commits.
    const c = cluster(node().cpu(2000).mem(8192), node().cpu(1000).mem(8192));
    const r = [0, 1, 2].map(() => pod().cpu(1000).mem(512).build());
    c.bind(r[0], { nodeId: 0, gpus: [] });
    c.bind(r[1], { nodeId: 0, gpus: [] });
    c.bind(r[2], { nodeId: 1, gpus: [] });
    const t1 = pod().cpu(2500).mem(512).build();
    const t = [0, 1].map(() => pod().cpu(1000).mem(512).build());
    const queues = [{ name: 'q1', weight: 9 }, { name: 'q2' }];
    const res = run(c, queues, [job('R', 1, 'q2', r, 1, 0, 'Running'), job('P', 2, 'q1', [t1, ...t], 2)], ['reclaim']);
    expect(res.evicted).toHaveLength(2);
    expect(res.evicted.every((v) => r.includes(v))).toBe(true);
    expect(res.bound).toEqual(t);
    expect(t1.binding).toBeNull();
  });
});

describe('victims of one job go in reverse task order (BuildVictimsPriorityQueue: !TaskOrderFn)', () => {
  // n0 2000 m is full with two 1000 m pods of job L (priority 1, minAvailable 1); H (priority 10) needs 1000 m.
  // Under the Helm tiers priority and conformance offer both of L's pods; the victims queue pops the pod LAST
  // in task order first, and one eviction frees enough.
  function evicted(first: { priority: number }, second: { priority: number }): 'first' | 'second' | 'other' {
    const c = cluster(node().cpu(2000).mem(8192));
    const l0 = pod().cpu(1000).mem(512).priority(first.priority).build();
    const l1 = pod().cpu(1000).mem(512).priority(second.priority).build();
    c.bind(l0, { nodeId: 0, gpus: [] });
    c.bind(l1, { nodeId: 0, gpus: [] });
    const h = pod().cpu(1000).mem(512).build();
    const res = run(c, [], [job('L', 1, 'default', [l0, l1], 1, 1, 'Running'), job('H', 2, 'default', [h], 1, 10)], ['preempt']);
    expect(res.evicted).toHaveLength(1);
    expect(h.binding?.nodeId).toBe(0);
    return res.evicted[0] === l0 ? 'first' : res.evicted[0] === l1 ? 'second' : 'other';
  }

  it('the lower pod priority goes first, though it was created first', () => {
    expect(evicted({ priority: 0 }, { priority: 5 })).toBe('first');
  });

  it('equal pod priorities: the later created (last in task order) goes first', () => {
    expect(evicted({ priority: 0 }, { priority: 0 })).toBe('second');
  });
});
