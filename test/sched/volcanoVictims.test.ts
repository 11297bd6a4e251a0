/**
 * Volcano v1.15's tiered victim selection (framework/session_plugins.go Preemptable, Reclaimable) and the victim
 * order (BuildVictimsPriorityQueue), each expected value derived from the upstream rule: the first plugin tier
 * that returns a victim list decides; with the Helm chart's tiers gang and drf do not vote in preempt
 * (installer/helm/chart/volcano/config/volcano-scheduler.conf, enablePreemptable: false), with the code default
 * (pkg/scheduler/util.go DefaultSchedulerConf) they do; reclaim is [gang, conformance] then [proportion] in both.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { Pod } from '../../src/model/pod.ts';
import { volcano, volcanoSessionConfig } from '../../src/sched/profiles/volcano.ts';
import { queueSpecs } from '../../src/sched/volcano/scheduler.ts';
import { runSession, type ActionName, type SessionJob } from '../../src/sched/volcano/session.ts';
import { tieredVictims, VICTIM_TIER_PRESETS, type VictimPlugin } from '../../src/sched/volcano/victims.ts';
import type { VolcanoQueueSpec } from '../../src/scenario/types.ts';
import { cluster, node, pod } from '../builders/index.ts';

describe('tieredVictims walks the tiers as ssn.Preemptable does', () => {
  const fns = (lists: Partial<Record<VictimPlugin, number[]>>) => (p: VictimPlugin) => (lists[p] ? () => lists[p]! : null);
  const all = [1, 2, 3, 4];

  it('the first tier with a list decides; later tiers are not consulted', () => {
    // tier 1: priority [1, 2] ∩ gang [2, 3] = [2]; tier 2 (drf [4]) never asked
    expect(tieredVictims([['priority', 'gang'], ['drf']], fns({ priority: [1, 2], gang: [2, 3], drf: [4] }), all)).toEqual([2]);
  });

  it('a plugin with no candidates voids its tier, and the next tier decides alone', () => {
    // gang returns [] → victims = nil, break; tier 2's drf alone: [4], although priority refused 4
    expect(tieredVictims([['priority', 'gang', 'conformance'], ['drf']], fns({ priority: [1], gang: [], conformance: all, drf: [4] }), all)).toEqual([4]);
  });

  it('an empty intersection is nil again, so the next plugin of the tier starts a new list', () => {
    // priority [1] ∩ gang [2] = nil; conformance's [1..4] becomes the list (upstream's `victims == nil` branch)
    expect(tieredVictims([['priority', 'gang', 'conformance']], fns({ priority: [1], gang: [2], conformance: all }), all)).toEqual(all);
  });

  it('plugins without a function are skipped; no deciding tier means no victims', () => {
    expect(tieredVictims([['priority', 'proportion']], fns({ priority: [3] }), all)).toEqual([3]);
    expect(tieredVictims([['gang'], ['proportion']], fns({ gang: [], proportion: [] }), all)).toEqual([]);
    expect(tieredVictims(VICTIM_TIER_PRESETS.helm.preemptable, fns({ gang: [1], drf: [1] }), all)).toEqual([]);
  });
});

type Tiers = 'helm' | 'code';
function job(key: string, uid: number, queue: string, pods: Pod[], minAvailable: number, priority = 0, phase: SessionJob['phase'] = 'Running'): SessionJob {
  return { key, name: key, queue, priority, minAvailable, minResources: null, phase, createdS: uid, uid, pods };
}
function run(c: ClusterState, tiers: Tiers, queues: VolcanoQueueSpec[], jobs: SessionJob[], actions: ActionName[]) {
  const config = { ...volcanoSessionConfig({ ...volcano.defaults, binpackWeight: 0, victimTiers: tiers }, { kind: 'whole' }), actions, overcommitFactor: null };
  return runSession({ cluster: c, rng: new Rng(1), nowS: 0, queues: queueSpecs(queues), config, jobs });
}
const bindAll = (c: ClusterState, nodeId: number, pods: Pod[]) => pods.forEach((p) => c.bind(p, { nodeId, gpus: [] }));

describe('preempt: the Helm chart lets priority decide, the code default asks gang, then drf', () => {
  // n0 2000 m holds L's l1, l2 (1000 m each, priority 1, minAvailable 2: L is at its minimum); n1 4000 m holds
  // H's h0 (4000 m). H (priority 10, minAvailable 2) still needs h1 (1000 m): it starves (1 ready < 2).
  function world() {
    const c = cluster(node().cpu(2000).mem(8192), node().cpu(4000).mem(8192));
    const l = [0, 1].map(() => pod().cpu(1000).mem(256).build());
    const h0 = pod().cpu(4000).mem(256).build();
    const h1 = pod().cpu(1000).mem(256).build();
    bindAll(c, 0, l);
    bindAll(c, 1, [h0]);
    const jobs = [job('L', 1, 'default', l, 2, 1), job('H', 2, 'default', [h0, h1], 2, 10, 'Inqueue')];
    return { c, l, h1, jobs };
  }

  it('helm: [priority, conformance] both offer L\'s pods, so L is taken below minAvailable', () => {
    // priority: L's job priority 1 < 10 → [l2, l1]; conformance: every pod. The victim queue pops l2 first
    // (reverse task order), after which h1 fits on n0: L is left with 1 of its minAvailable 2.
    const { c, l, h1, jobs } = world();
    const res = run(c, 'helm', [], jobs, ['preempt']);
    expect(res.evicted).toEqual([l[1]]);
    expect(h1.binding?.nodeId).toBe(0);
    // L is not ready at close (1 < 2), but its missing member l2 is Releasing on n0 and L has no Pending or
    // Pipelined task (Running 1 + Releasing 1 ≥ 2): gang.go shouldSkipUnschedulableForReleasing skips the
    // unschedulable mark, so its PodGroup stays Running (framework/session.go getPodGroupPhase), not Unknown
    expect(res.phases.get('L')).toBe('Running');
  });

  it('code: gang offers nothing (L ready 2 ≤ minAvailable 2), tier 2\'s drf decides alone and refuses', () => {
    // drf: ls = (4000 + 1000)/6000 cpu = 0.833 (memory and pods shares are smaller); taking l2 leaves L
    // rs = 1000/6000 = 0.167; ls > rs → not a victim (l1 then: 0/6000). No victims: nothing happens.
    const { c, h1, jobs } = world();
    const res = run(c, 'code', [], jobs, ['preempt']);
    expect(res.evicted).toEqual([]);
    expect(h1.binding).toBeNull();
    expect(res.phases.get('L')).toBe('Running');
    // H has a Running task but is not ready (1 of 2), with a Pending task and nothing being released: Unknown
    expect(res.phases.get('H')).toBe('Unknown');
  });

  it('code: where drf agrees, it takes a gang below minAvailable too', () => {
    // The same L on n0; H is new: one 1000 m pod, minAvailable 1. gang still offers nothing, so drf decides:
    // ls = 1000/2000 = 0.5 (total 2000 m); l2 leaves L at rs = 1000/2000 = 0.5: |ls − rs| ≤ 1e-6 → victim;
    // l1 would leave 0 → not. L drops to 1 of minAvailable 2.
    const c = cluster(node().cpu(2000).mem(8192));
    const l = [0, 1].map(() => pod().cpu(1000).mem(256).build());
    bindAll(c, 0, l);
    const h = pod().cpu(1000).mem(256).build();
    const res = run(c, 'code', [], [job('L', 1, 'default', l, 2, 1), job('H', 2, 'default', [h], 1, 10, 'Inqueue')], ['preempt']);
    expect(res.evicted).toEqual([l[1]]);
    expect(h.binding?.nodeId).toBe(0);
  });
});

describe('reclaim: gang\'s tier decides before proportion (the same under both presets)', () => {
  it('gang offers victims, so reclaim takes from a queue within its deserved share', () => {
    // n0 4000 m / 2 pod slots holds r1, r2 (queue q2, job R, minAvailable 1); n1 1000 m is too small for P
    // (queue q1, 2000 m). Totals: cpu 5000, pods 12. Requests q1 [2000 m, 1 pod], q2 [2000 m, 2 pods]; equal
    // weights give each 2500 m in round 1, capped at its request: both satisfied, q2 allocated = deserved,
    // so proportion offers nothing. gang: R ready 2 > 1 → r2 (victim order), then 1 ≤ 1 stops. Tier 1
    // (gang ∩ conformance) = [r2] decides: r2 goes and P binds on n0 (2000 free, one slot).
    for (const tiers of ['helm', 'code'] as const) {
      const c = cluster(node().cpu(4000).mem(8192).maxPods(2), node().cpu(1000).mem(8192).maxPods(10));
      const r = [0, 1].map(() => pod().cpu(1000).mem(256).build());
      bindAll(c, 0, r);
      const p = pod().cpu(2000).mem(256).build();
      const res = run(c, tiers, [{ name: 'q1' }, { name: 'q2' }], [job('R', 1, 'q2', r, 1), job('P', 2, 'q1', [p], 1, 0, 'Inqueue')], ['reclaim']);
      const q2 = res.queues.get('q2')!;
      expect(q2.deserved[0]).toBe(2000);
      expect(res.evicted).toEqual([r[1]]);
      expect(p.binding?.nodeId).toBe(0);
    }
  });

  it('gang offers nothing, so proportion alone decides and takes a gang below minAvailable', () => {
    // n0 3000 m holds r1, r2 (q2, job R, minAvailable 2: gang offers nothing, tier 1 is void). q1 guarantees
    // 3000 m, so q2's realCapability = 4000 − 3000 = 1000 m and its deserved ≤ 1000 m < allocated 2000 m.
    // proportion: q2 allocated 2000 m is not ≤ deserved → r2 is a victim, leaving 1000 m ≤ 1000 m → r1 is not.
    // Evicting r2 frees 1000 m + 1000 m idle = P's 2000 m: P binds on n0, R keeps 1 of its minAvailable 2.
    const c = cluster(node().cpu(3000).mem(8192), node().cpu(1000).mem(8192));
    const r = [0, 1].map(() => pod().cpu(1000).mem(256).build());
    bindAll(c, 0, r);
    const p = pod().cpu(2000).mem(256).build();
    const res = run(c, 'helm', [{ name: 'q1', guarantee: { cpuMilli: 3000 } }, { name: 'q2' }], [job('R', 1, 'q2', r, 2), job('P', 2, 'q1', [p], 1, 0, 'Inqueue')], ['reclaim']);
    expect(res.queues.get('q2')!.deserved[0]).toBe(1000);
    expect(res.evicted).toEqual([r[1]]);
    expect(p.binding?.nodeId).toBe(0);
  });
});

describe('reclaim takes victims in reverse queue order (BuildVictimsPriorityQueue, VictimQueueOrderFn)', () => {
  // n0 and n1 (2000 m each) each hold one pod of job A (queue qa) and one of job B (queue qb); A and B have
  // minAvailable 1, so gang offers one pod of each on n0. P (queue q1, 1000 m) reclaims on n0 (node order).
  // Without the capacity plugin, VictimQueueOrderFn is !QueueOrderFn: the queue LAST in queue order (proportion:
  // higher priority first) gives its pod first, and one eviction frees enough.
  function evictedQueue(priorityA: number, priorityB: number): string {
    const c = cluster(node().cpu(2000).mem(8192), node().cpu(2000).mem(8192));
    const a = [0, 1].map(() => pod().cpu(1000).mem(256).build());
    const b = [0, 1].map(() => pod().cpu(1000).mem(256).build());
    bindAll(c, 0, [a[0], b[0]]);
    bindAll(c, 1, [a[1], b[1]]);
    const p = pod().cpu(1000).mem(256).build();
    const queues = [{ name: 'q1' }, { name: 'qa', priority: priorityA }, { name: 'qb', priority: priorityB }];
    const res = run(c, 'helm', queues, [job('A', 1, 'qa', a, 1), job('B', 2, 'qb', b, 1), job('P', 3, 'q1', [p], 1, 0, 'Inqueue')], ['reclaim']);
    expect(res.evicted).toHaveLength(1);
    expect(p.binding?.nodeId).toBe(0);
    return res.evicted[0] === a[0] ? 'qa' : res.evicted[0] === b[0] ? 'qb' : 'other';
  }

  it('qa before qb in queue order: qb\'s pod goes', () => {
    expect(evictedQueue(5, 1)).toBe('qb');
  });

  it('qb before qa: qa\'s pod goes (not node, creation or UID order)', () => {
    expect(evictedQueue(1, 5)).toBe('qa');
  });
});

describe('preempt\'s second phase: a starving job\'s pending task may evict its own lower-priority task (preempt.go)', () => {
  // One 2000 m node holds r (2000 m, pod priority 1) of job J (minAvailable 2, so J starves with 1 ready);
  // J's pending t (2000 m, pod priority 10) finds no other job to preempt in phase 1. Phase 2 offers J's
  // own running tasks: helm: priority (1 < 10) and conformance → [r]; r goes, t binds, and the statement commits
  // without the gang check (J still has 1 of 2). code: gang offers nothing (1 ≤ 2), tier 2's drf compares
  // J's share with t added, 4000/2000 = 2, against J's without r, 0: 2 > 0, refused: nothing happens.
  function world() {
    const c = cluster(node().cpu(2000).mem(8192));
    const r = pod().cpu(2000).mem(256).priority(1).build();
    const t = pod().cpu(2000).mem(256).priority(10).build();
    bindAll(c, 0, [r]);
    return { c, r, t, jobs: [job('J', 1, 'default', [r, t], 2, 10)] };
  }

  it('helm: the lower-priority task of the same job gives way', () => {
    const { c, r, t, jobs } = world();
    const res = run(c, 'helm', [], jobs, ['preempt']);
    expect(res.evicted).toEqual([r]);
    expect(res.bound).toEqual([t]);
    expect(t.binding?.nodeId).toBe(0);
  });

  it('code: gang and then drf refuse', () => {
    const { c, t, jobs } = world();
    const res = run(c, 'code', [], jobs, ['preempt']);
    expect(res.evicted).toEqual([]);
    expect(t.binding).toBeNull();
  });
});
