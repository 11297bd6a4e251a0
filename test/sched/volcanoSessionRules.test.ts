/**
 * Volcano v1.15 session rules around the formulas (issue 13), each expected value derived from the upstream
 * rule cited in the test: elastic jobs keep allocating after a task fits nowhere (api/job_info.go
 * NeedContinueAllocating, actions/allocate/allocate.go), and backfill dispatches BestEffort pods only for
 * ready jobs, in queue, job and task order (actions/backfill/backfill.go, framework/session.go Allocate);
 * preempt moves on to the job's next task after one finds no victims (actions/preempt/preempt.go Execute) and
 * takes victims in reverse job order, then reverse task order (framework/session_plugins.go
 * BuildVictimsPriorityQueue).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { Pod } from '../../src/model/pod.ts';
import { volcano, volcanoSessionConfig } from '../../src/sched/profiles/volcano.ts';
import { queueSpecs } from '../../src/sched/volcano/scheduler.ts';
import { FeasibleNodeSearch } from '../../src/sched/volcano/feasibleNodes.ts';
import { runSession, type ActionName, type SessionJob } from '../../src/sched/volcano/session.ts';
import { cluster, node, pod } from '../builders/index.ts';

const base = volcanoSessionConfig({ ...volcano.defaults, binpackWeight: 0 }, { kind: 'whole' });
function job(key: string, uid: number, pods: Pod[], minAvailable: number, priority = 0, phase: SessionJob['phase'] = 'Inqueue'): SessionJob {
  return { key, name: key, queue: 'default', priority, minAvailable, minResources: null, phase, createdS: uid, uid, pods };
}
function run(c: ClusterState, jobs: SessionJob[], actions: ActionName[]) {
  return runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([]), config: { ...base, actions, overcommitFactor: null }, jobs });
}

describe('elastic jobs keep allocating after a task fits nowhere (NeedContinueAllocating)', () => {
  // Two 4000 m nodes. The job's first task (6000 m) fits on neither, though its queue could hold it (deserved
  // 8000 m, so proportion's allocatable check passes and the predicates decide); two 1000 m tasks follow.
  // allocate.go: on a predicate failure it continues when job.NeedContinueAllocating(), which is false only
  // when minAvailable equals the job's task count (our pods carry no task roles, so no per-role minimum).
  function setup() {
    const c = cluster(node().cpu(4000).mem(8192), node().cpu(4000).mem(8192));
    const big = pod().cpu(6000).mem(1024).build();
    const small = [0, 1].map(() => pod().cpu(1000).mem(1024).build());
    return { c, pods: [big, ...small], big, small };
  }

  it('minAvailable 2 of 3: the two small tasks are placed and the job commits', () => {
    const { c, pods, big, small } = setup();
    const res = run(c, [job('E', 1, pods, 2)], ['allocate']);
    expect(res.bound).toEqual(small);
    expect(big.binding).toBeNull();
    // bound this session: the PodGroup stays Inqueue until the next session closes (session.go getPodGroupPhase)
    expect(res.phases.get('E')).toBe('Inqueue');
  });

  it('minAvailable 3 of 3 (every task needed): allocation stops at the first failure, nothing binds', () => {
    const { c, pods } = setup();
    const res = run(c, [job('G', 1, pods, 3)], ['allocate']);
    expect(res.bound).toEqual([]);
    expect(c.nodes[0].usedCpuMilli + c.nodes[1].usedCpuMilli).toBe(0);
  });
});

describe('backfill dispatches BestEffort pods only for ready jobs, in job order (backfill.go, session.go Allocate)', () => {
  it('a gang whose requesting tasks did not fit keeps its BestEffort pod unbound', () => {
    // Job G, minAvailable 2: one 8000 m task (fits nowhere on the 4000 m node) and one BestEffort task.
    // gang IsReady: ready 0 + pending BestEffort 1 < 2, and backfill's allocation leaves that sum unchanged,
    // so ssn.Allocate never dispatches the task; the session closes without binding it.
    const c = cluster(node().cpu(4000).mem(8192));
    const heavy = pod().cpu(8000).mem(1024).build();
    const be = pod().build();
    const res = run(c, [job('G', 1, [heavy, be], 2)], ['allocate', 'backfill']);
    expect(res.bound).toEqual([]);
    expect(be.binding).toBeNull();
    expect(c.nodes[0].podCount).toBe(0);
    expect(res.reasons.get(be)).toMatch(/dispatches only ready jobs/);
  });

  it('a ready job\'s BestEffort pod binds', () => {
    const c = cluster(node().cpu(4000).mem(8192));
    const light = pod().cpu(1000).mem(1024).build();
    const be = pod().build();
    const res = run(c, [job('R', 1, [light, be], 2)], ['allocate', 'backfill']);
    expect(res.bound).toEqual([light, be]);
  });

  it('the higher-priority job backfills first: with one pod slot left, its pod gets it', () => {
    // One node with a single pod slot; jobs A (priority 0, created first) and B (priority 10), one BestEffort
    // pod each. pickUpPendingTasks orders jobs by JobOrderFn (priority first): B's pod takes the slot and A's
    // finds "Too many pods".
    const c = cluster(node().cpu(4000).mem(8192).maxPods(1));
    const a = pod().build();
    const b = pod().build();
    const res = run(c, [job('A', 1, [a], 1, 0), job('B', 2, [b], 1, 10)], ['backfill']);
    expect(res.bound).toEqual([b]);
    expect(a.binding).toBeNull();
  });
});

describe('preempt moves on after a task finds no victims, and takes victims in upstream order', () => {
  it('a task that fits nowhere even with every victim gone does not stop the job (preempt.go Execute)', () => {
    // n0 2000 m holds l1, l2; n1 1000 m holds l3: job L (priority 1, minAvailable 1) may lose 2 pods (gang).
    // H (priority 10, minAvailable 2): t1 3000 m (no node has that much even after evictions: ValidateVictims
    // fails everywhere), then t2, t3 of 1000 m. Execute loops while H starves, ignoring t1's failure: t2 and
    // t3 each evict one of L's pods, H reaches minAvailable and the statement commits.
    const c = cluster(node().cpu(2000).mem(8192), node().cpu(1000).mem(8192));
    const l = [0, 1, 2].map(() => pod().cpu(1000).mem(512).build());
    c.bind(l[0], { nodeId: 0, gpus: [] });
    c.bind(l[1], { nodeId: 0, gpus: [] });
    c.bind(l[2], { nodeId: 1, gpus: [] });
    const t1 = pod().cpu(3000).mem(512).build();
    const t = [0, 1].map(() => pod().cpu(1000).mem(512).build());
    const res = run(c, [job('L', 1, l, 1, 1, 'Running'), job('H', 2, [t1, ...t], 2, 10)], ['preempt']);
    expect(res.evicted).toHaveLength(2);
    expect(res.bound).toEqual(t);
    expect(t1.binding).toBeNull();
    expect(res.phases.get('H')).toBe('Inqueue');
  });

  it('the victim of the job last in job order goes first, whatever the pods\' own priorities (BuildVictimsPriorityQueue)', () => {
    // n0 and n1 (2000 m each) are full: a1 (A, job priority 1, pod priority 5) and b1 (B, job priority 2, pod
    // priority 0) on n0, a2 and b2 on n1. A and B (minAvailable 1) may each lose one pod. H (priority 10) needs
    // 1000 m; both nodes score the same, so n0 is tried first. Job order puts B (priority 2) before A, so the
    // reverse order evicts a1, although b1's pod priority is lower.
    const c = cluster(node().cpu(2000).mem(8192), node().cpu(2000).mem(8192));
    const a = [0, 1].map(() => pod().cpu(1000).mem(512).priority(5).build());
    const b = [0, 1].map(() => pod().cpu(1000).mem(512).priority(0).build());
    c.bind(a[0], { nodeId: 0, gpus: [] });
    c.bind(b[0], { nodeId: 0, gpus: [] });
    c.bind(a[1], { nodeId: 1, gpus: [] });
    c.bind(b[1], { nodeId: 1, gpus: [] });
    const h = pod().cpu(1000).mem(512).build();
    const res = run(c, [job('A', 1, a, 1, 1, 'Running'), job('B', 2, b, 1, 2, 'Running'), job('H', 3, [h], 1, 10)], ['preempt']);
    expect(res.evicted).toEqual([a[0]]);
    expect(h.binding?.nodeId).toBe(0);
  });
});

describe('a PodGroup bound by a session stays Inqueue until the next session closes (session.go getPodGroupPhase)', () => {
  it('overcommit keeps reserving its whole minResources for one more session, so the next job waits a session', () => {
    // One 12000 m node, overcommit factor 1.2 (idle = 14400 − used). A: 6 × 1000 m, minResources 6000 m.
    // Session 1: enqueue admits A (6000 ≤ 14400), allocate binds it; its tasks are Binding at close, so A stays
    // Inqueue. Session 2: B (5 × 1000 m, minResources 5000 m) arrives. overcommit.go reserves an Inqueue
    // group's whole minResources: 6000 + 5000 = 11000 > 14400 − 6000 = 8400, so B stays Pending; A's tasks
    // are Running now, so A turns Running. Session 3: a Running group reserves only what it lacks (0):
    // 5000 ≤ 8400, B is admitted and bound in the 6000 m left.
    const c = cluster(node().cpu(12000).mem(8192).maxPods(20));
    const a = [0, 1, 2, 3, 4, 5].map(() => pod().cpu(1000).build());
    const b = [0, 1, 2, 3, 4].map(() => pod().cpu(1000).build());
    const config = { ...base, actions: ['enqueue', 'allocate'] as ActionName[], overcommitFactor: 1.2 };
    const phases = new Map<string, SessionJob['phase']>([['A', 'Pending']]);
    const session = (jobs: SessionJob[]) => {
      const res = runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([]), config, jobs: jobs.map((j) => ({ ...j, phase: phases.get(j.key) ?? 'Pending' })) });
      for (const [k, v] of res.phases) phases.set(k, v);
      return res;
    };
    const jobA = { ...job('A', 1, a, 6), minResources: [6000, 0, 0, 0] as [number, number, number, number] };
    const jobB = { ...job('B', 2, b, 5), minResources: [5000, 0, 0, 0] as [number, number, number, number] };
    expect(session([jobA]).bound).toEqual(a);
    expect(phases.get('A')).toBe('Inqueue');
    expect(session([jobA, jobB]).bound).toEqual([]);
    expect([phases.get('A'), phases.get('B')]).toEqual(['Running', 'Pending']);
    expect(session([jobA, jobB]).bound).toEqual(b);
    expect(phases.get('B')).toBe('Inqueue');
  });
});

describe('preempt and reclaim leave out the nodes allocate found unresolvable (FilterOutUnschedulableAndUnresolvableNodesForTask)', () => {
  // framework/session.go FilterOutUnschedulableAndUnresolvableNodesForTask, called first by preempt.go preempt and
  // reclaim.go reclaimForTask: the nodes whose fit error for the task (job.NodesFitErrors, set by allocate when no
  // node fits) is UnschedulableAndUnresolvable are dropped; PredicateNodes then searches the remaining list, so
  // numNodesToFind comes from its length and lastProcessedNodeIndex is stored modulo it. Of our predicates only node
  // affinity on the GPU model is unresolvable, and allocate.go predicate checks resources first (an
  // "Insufficient …" node records Unschedulable only).
  const lowJob = (key: string, uid: number, pods: Pod[], priority: number) => job(key, uid, pods, 1, priority, 'Running');

  it('above 100 nodes the preemptor searches only the other nodes: numNodesToFind(150) = 100 of the 150 H100 nodes, not 144 of 300', () => {
    // Nodes 0..149 A100 (1 free GPU each), 150..299 H100 (their GPU taken). T (priority 10) asks 1 H100. allocate:
    // A100 nodes pass the resource check and fail node affinity (unresolvable), H100 nodes are short of
    // nvidia.com/gpu (unschedulable). preempt then searches the 150 H100 nodes from start 0: numNodesToFind(150) =
    // max(100, 150·49/100) = 100, so it keeps nodes 150..249, whose pods (job K, priority 10) priority does not let
    // go; the lower-priority pods (job L, priority 1) sit on 250..299, outside the search: nothing is evicted. The
    // search examined 101 nodes of the 150 (start 101); preempt's second phase (the job still starves) searches again
    // from 101: 101 more, start (101 + 101) mod 150 = 52. (Without the filter it would search all 300 nodes, keep 144
    // H100 nodes (150..293) and evict on node 250.)
    const nodes = [...Array.from({ length: 150 }, () => node().cpu(8000).mem(16384).gpus(1, 'A100-80G')), ...Array.from({ length: 150 }, () => node().cpu(8000).mem(16384).gpus(1, 'H100'))];
    const c = cluster(...nodes);
    const k: Pod[] = [];
    const l: Pod[] = [];
    for (let id = 150; id < 300; id++) {
      const p = pod().cpu(1000).mem(1024).gpus(1).models('H100').build();
      c.bind(p, { nodeId: id, gpus: [{ gpu: 0, milli: 1000, memMiB: 0, cores: 0, slots: 1 }] });
      (id < 250 ? k : l).push(p);
    }
    const t = pod().cpu(1000).mem(1024).gpus(1).models('H100').build();
    const search = new FeasibleNodeSearch();
    const res = runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([]), config: { ...base, actions: ['allocate', 'preempt'], overcommitFactor: null }, jobs: [lowJob('K', 1, k, 10), lowJob('L', 2, l, 1), job('T', 3, [t], 1, 10)], search });
    expect(res.evicted).toEqual([]);
    expect(t.binding).toBeNull();
    expect(search.startNodeIndex).toBe(52);
  });

  function small(freeA100: boolean) {
    // Nodes 0..4 A100 (free GPU, or taken when !freeA100), 5..9 H100 with their GPU taken by job L (priority 1).
    const c = cluster(...Array.from({ length: 5 }, () => node().cpu(8000).mem(16384).gpus(1, 'A100-80G')), ...Array.from({ length: 5 }, () => node().cpu(8000).mem(16384).gpus(1, 'H100')));
    const other: Pod[] = [];
    const l: Pod[] = [];
    for (let id = 0; id < 10; id++) {
      if (id < 5 && freeA100) continue;
      const p = pod().cpu(1000).mem(1024).gpus(1).models(id < 5 ? 'A100-80G' : 'H100').build();
      c.bind(p, { nodeId: id, gpus: [{ gpu: 0, milli: 1000, memMiB: 0, cores: 0, slots: 1 }] });
      (id < 5 ? other : l).push(p);
    }
    const t = pod().cpu(1000).mem(1024).gpus(1).models('H100').build();
    const jobs = [lowJob('O', 1, other, 10), lowJob('L', 2, l, 1), job('T', 3, [t], 1, 10)];
    return { c, jobs, t };
  }

  it('up to 100 nodes the same victims are found, but the stored start is taken modulo the shorter list', () => {
    // Start 7. allocate searches all 10 nodes (none fits) and leaves the start at 7. The 5 A100 nodes are dropped,
    // so preempt searches the 5 H100 nodes from 7 mod 5 = 2 and examines all 5 (fewer than numNodesToFind), so
    // the start is stored as (2 + 5) mod 5 = 2. The candidates are the same 5 nodes as without the filter;
    // preempt sorts them by score (all equal, node order): node 5's pod goes.
    const { c, jobs, t } = small(true);
    const search = new FeasibleNodeSearch();
    search.startNodeIndex = 7;
    const res = runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([]), config: { ...base, actions: ['allocate', 'preempt'], overcommitFactor: null }, jobs, search });
    expect(res.evicted.map((p) => p.binding)).toEqual([null]);
    expect(t.binding?.nodeId).toBe(5);
    expect(search.startNodeIndex).toBe(2);
  });

  it('a wrong-model node without room records "Insufficient" only and is not dropped (allocate checks resources first)', () => {
    // The same with every A100 taken: allocate.go predicate fails them on nvidia.com/gpu before node affinity runs,
    // so the fit errors hold nothing unresolvable, preempt searches all 10 nodes and the start stays (7 + 10) mod 10.
    const { c, jobs, t } = small(false);
    const search = new FeasibleNodeSearch();
    search.startNodeIndex = 7;
    runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([]), config: { ...base, actions: ['allocate', 'preempt'], overcommitFactor: null }, jobs, search });
    expect(t.binding?.nodeId).toBe(5);
    expect(search.startNodeIndex).toBe(7);
  });

  it('without a fit error from allocate (preempt alone) every node is searched', () => {
    const { c, jobs } = small(true);
    const search = new FeasibleNodeSearch();
    search.startNodeIndex = 7;
    runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([]), config: { ...base, actions: ['preempt'], overcommitFactor: null }, jobs, search });
    expect(search.startNodeIndex).toBe(7);
  });
});

describe('evicted pods are Releasing for the rest of the session; Succeeded tasks count for gang (api/job_info.go, plugins/gang)', () => {
  it('preempt\'s victim keeps its job Running, not Unknown: gang skips the unschedulable mark while members are released', () => {
    // n0 2000 m holds l1, l2 of L (priority 1, minAvailable 2, Running); H (priority 10) asks 1000 m. With the Helm
    // tiers preempt's [priority, conformance] evict l2 (reverse task order) and H binds. At close L is not ready
    // (1 < 2), but gang.go shouldSkipUnschedulableForReleasing holds: l2 is Releasing on n0, L has no Pending or
    // Pipelined task, and Running 1 + Releasing 1 ≥ 2. So no Unschedulable condition: getPodGroupPhase gives
    // Running (scheduled 1 + releasing 1 ≥ minMember), not Unknown.
    const c = cluster(node().cpu(2000).mem(8192));
    const l = [0, 1].map(() => pod().cpu(1000).mem(512).build());
    c.bind(l[0], { nodeId: 0, gpus: [] });
    c.bind(l[1], { nodeId: 0, gpus: [] });
    const h = pod().cpu(1000).mem(512).build();
    const res = run(c, [job('L', 1, l, 2, 1, 'Running'), job('H', 2, [h], 1, 10)], ['preempt']);
    expect(res.evicted).toEqual([l[1]]);
    expect(res.phases.get('L')).toBe('Running');
  });

  it('with a Pending task left the job is still marked, and turns Unknown', () => {
    // The same with a third L pod l3 pending: gang.go keeps the condition (a Pending task still needs
    // scheduling), so Running tasks + unschedulable → Unknown.
    const c = cluster(node().cpu(2000).mem(8192));
    const l = [0, 1, 2].map(() => pod().cpu(1000).mem(512).build());
    c.bind(l[0], { nodeId: 0, gpus: [] });
    c.bind(l[1], { nodeId: 0, gpus: [] });
    const h = pod().cpu(1000).mem(512).build();
    const res = run(c, [job('L', 1, l, 2, 1, 'Running'), job('H', 2, [h], 1, 10)], ['preempt']);
    expect(res.evicted).toHaveLength(1);
    expect(res.phases.get('L')).toBe('Unknown');
  });

  it('an evicted BestEffort pod is not backfilled again in the same session (backfill takes Pending tasks only)', () => {
    // n0 (one pod slot) holds BestEffort l1 of L (priority 1); n1 has a free slot; H (priority 10) has BestEffort
    // h1. preempt: n1 has no victims, n0 does: l1 is evicted and h1 takes n0. backfill.go pickUpPendingTasks reads
    // TaskStatusIndex[Pending]; l1 is Releasing, so it is not placed on n1 in this session.
    const c = cluster(node().cpu(2000).mem(8192).maxPods(1), node().cpu(2000).mem(8192).maxPods(1));
    const l1 = pod().build();
    c.bind(l1, { nodeId: 0, gpus: [] });
    const h1 = pod().build();
    const res = run(c, [job('L', 1, [l1], 1, 1, 'Running'), job('H', 2, [h1], 1, 10)], ['preempt', 'backfill']);
    expect(res.evicted).toEqual([l1]);
    expect(res.bound).toEqual([h1]);
    expect(l1.binding).toBeNull();
  });

  it('Succeeded tasks make a job valid and ready: 1 succeeded + 2 placed meets minAvailable 3', () => {
    // job_info.go ValidTaskNum and ReadyTaskNum count Succeeded tasks: G (minAvailable 3) has one Succeeded task
    // and two pending ones that fit, so it is valid (3 ≥ 3), allocate places both and the job is ready (2 + 1 ≥ 3).
    // Without them the job would be invalid (2 pods < 3) and nothing would bind.
    const c = cluster(node().cpu(4000).mem(8192));
    const g = [0, 1].map(() => pod().cpu(1000).mem(512).build());
    const res = run(c, [{ ...job('G', 1, g, 3), succeeded: 1 }], ['allocate']);
    expect(res.bound).toEqual(g);
    // next session the two are Running: scheduled = Running 2 + Succeeded 1 ≥ 3 (api/helpers.go ScheduledStatus)
    const next = run(c, [{ ...job('G', 1, g, 3), succeeded: 1 }], ['allocate']);
    expect(next.phases.get('G')).toBe('Running');
  });

  it('a PodGroup whose scheduled tasks all completed is Completed (session.go getPodGroupPhase)', () => {
    const c = cluster(node().cpu(4000).mem(8192));
    const res = run(c, [{ ...job('D', 1, [], 2, 0, 'Running'), succeeded: 1, failed: 1 }], ['allocate']);
    expect(res.phases.get('D')).toBe('Completed');
  });
});

describe('reclaim takes every starving job of a queue in that queue\'s turn (actions/reclaim/reclaim.go Execute)', () => {
  it('q1\'s second job reclaims before q2 gets a turn, though q1\'s share rose above q2\'s', () => {
    // n0 3000 m holds r1..r3 of R (queue q3, minAvailable 1). q1 has jobs A and B, q2 job C, one 1000 m task each;
    // weights 1, so deserved cpu is 1000 for each queue (water-filling of 3000 m: q2's request met, q1 and q3 capped).
    // proportion's allocatable check is off here so that only the action's loop decides. reclaim.go pops q1
    // (share 0, listed first) and, with no break after a job, goes on to B in the same turn: A evicts r3 and B r2
    // (gang offers R's pods while R has more than minAvailable ready). When C's turn comes R is at its minimum and
    // q3 within its deserved share: no victims. (One job per turn would pop q2, now at share 0 < q1's 1, for C.)
    const c = cluster(node().cpu(3000).mem(8192));
    const r = [0, 1, 2].map(() => pod().cpu(1000).mem(512).build());
    r.forEach((p) => c.bind(p, { nodeId: 0, gpus: [] }));
    const [a, b, cc] = [0, 1, 2].map(() => pod().cpu(1000).mem(512).build());
    const q = (name: string, uid: number, pods: Pod[], queue: string, phase: SessionJob['phase'] = 'Inqueue'): SessionJob => ({ ...job(name, uid, pods, 1, 0, phase), queue });
    const config = { ...base, actions: ['reclaim'] as ActionName[], overcommitFactor: null, proportion: { ...base.proportion, allocatable: false } };
    const res = runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs([{ name: 'q1' }, { name: 'q2' }, { name: 'q3' }]), config, jobs: [q('R', 1, r, 'q3', 'Running'), q('A', 2, [a], 'q1'), q('B', 3, [b], 'q1'), q('C', 4, [cc], 'q2')] });
    expect(res.evicted).toEqual([r[2], r[1]]);
    expect(res.bound).toEqual([a, b]);
    expect(cc.binding).toBeNull();
  });
});
