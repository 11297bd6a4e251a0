// @vitest-environment node
/**
 * kube-scheduler's PodTopologySpread with the system-default constraints (hostname maxSkew 3, zone maxSkew 5,
 * ScheduleAnyway, weight 2). Expected numbers are worked out from kubernetes v1.34
 * pkg/scheduler/framework/plugins/podtopologyspread/scoring.go: weight ln(size + 2) (topologyNormalizingWeight),
 * per constraint count·weight + maxSkew − 1 (scoreForCount), the sum rounded (math.Round), normalized as
 * 100·(max + min − s)/max in integer division (NormalizeScore).
 */
import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { Pod, WorkloadKind } from '../../src/model/pod.ts';
import { k8sDefault } from '../../src/sched/profiles/k8sDefault.ts';
import { LABEL_ZONE, spreadNormalize, spreadOwnerOf, spreadPreScore, spreadScore } from '../../src/sched/plugins/podTopologySpread.ts';
import { isStatus, statusMessage } from '../../src/sched/status.ts';
import { wholeGpuAllocator } from '../../src/sched/plugins/wholeGpuAllocator.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { cluster, ctx, node, pod, type NodeBuilder } from '../builders/index.ts';

/** A pod of workload `w` of a kind (inference replicas are owned by a Deployment's ReplicaSet). */
function owned(kind: WorkloadKind, w: number, b = pod().cpu(1000).mem(1024)): Pod {
  const p = b.build();
  p.kind = kind;
  p.workload = w;
  return p;
}

/** Binds `n` replicas of workload `w` on a node. */
function put(c: ClusterState, nodeId: number, n: number, w = 0, cpuMilli = 100, memMiB = 128): void {
  for (let i = 0; i < n; i++) {
    const p = owned('inference', w, pod().cpu(cpuMilli).mem(memMiB));
    const gpus = wholeGpuAllocator.allocate(p, c.nodes[nodeId], ctx(c));
    if (isStatus(gpus)) throw new Error(statusMessage(gpus));
    c.bind(p, { nodeId, gpus });
  }
}

function zoned(zone: string | undefined): NodeBuilder {
  const b = node().cpu(16000).mem(65536);
  if (zone !== undefined) {
    const spec = b.pool();
    Object.assign(b, { spec: { ...spec, labels: { [LABEL_ZONE]: zone } } });
  }
  return b;
}

/** Raw and normalized scores of every node for a pod (all nodes feasible). */
function scores(c: ClusterState, p: Pod): { raw: number[]; norm: number[] } {
  const s = spreadPreScore(p, c.nodes, c)!;
  const raw = c.nodes.map((n) => spreadScore(s, n, c));
  const norm = raw.slice();
  spreadNormalize(norm);
  return { raw, norm };
}

describe('PodTopologySpread system defaults (scoring.go)', () => {
  it('applies to the pods a ReplicaSet owns: inference replicas and agents, not Jobs, trace pods or Ray', () => {
    expect(spreadOwnerOf(owned('inference', 2))).toBe(2);
    expect(spreadOwnerOf(owned('agent', 1))).toBe(1);
    for (const k of ['training', 'batch', 'trace', 'raycluster'] as const) expect(spreadOwnerOf(owned(k, 0))).toBe(-1);
    // a pre-existing (imported) pod has no workload
    expect(spreadOwnerOf(owned('inference', -1))).toBe(-1);
  });

  it('hostname only (no zone labels): fewer matching pods on a node score higher', () => {
    const c = cluster(zoned(undefined), zoned(undefined), zoned(undefined));
    put(c, 0, 2);
    put(c, 1, 1);
    put(c, 2, 3, 1); // another workload's replicas do not match the selector
    const { raw, norm } = scores(c, owned('inference', 0));
    // 3 feasible nodes: weight ln(5) = 1.6094; node0 round(2·1.6094 + 2) = round(5.22) = 5,
    // node1 round(1.6094 + 2) = 4, node2 round(0 + 2) = 2
    expect(raw).toEqual([5, 4, 2]);
    // max 5, min 2: 100·(7 − 5)/5 = 40, 100·(7 − 4)/5 = 60, 100·(7 − 2)/5 = 100
    expect(norm).toEqual([40, 60, 100]);
  });

  it('zones add count·ln(Z + 2) + 4 on labelled nodes', () => {
    const c = cluster(zoned('a'), zoned('a'), zoned('b'), zoned('b'));
    put(c, 0, 1);
    put(c, 1, 1);
    put(c, 3, 1);
    const { raw, norm } = scores(c, owned('inference', 0));
    // hostname weight ln(4 + 2) = 1.7918, zone weight ln(2 + 2) = 1.3863; zone a holds 2, zone b 1
    // node0, node1: 1.7918 + 2 + 2·1.3863 + 4 = 10.56 → 11; node2: 0 + 2 + 1.3863 + 4 = 7.39 → 7;
    // node3: 1.7918 + 2 + 1.3863 + 4 = 9.18 → 9
    expect(raw).toEqual([11, 11, 7, 9]);
    // max 11, min 7: 100·(18 − 11)/11 = 63, 100·(18 − 7)/11 = 100, 100·(18 − 9)/11 = 81
    expect(norm).toEqual([63, 63, 100, 81]);
  });

  it('a node without the zone label is still scored on hostname, and its "" value counts as a zone', () => {
    const c = cluster(zoned('a'), zoned(undefined), zoned(undefined));
    put(c, 0, 1);
    put(c, 2, 2);
    const { raw, norm } = scores(c, owned('agent', 0, pod().cpu(1000).mem(1024)));
    // hostname weight ln(5) = 1.6094; zones {a, ""}: weight ln(4) = 1.3863 (system defaults do not require labels)
    // node0: 1.6094 + 2 + 1·1.3863 + 4 = 9.0 → 9; node1: 2; node2: 2·1.6094 + 2 = 5.22 → 5
    expect(raw).toEqual([9, 2, 5]);
    // max 9, min 2: 100·2/9 = 22, 100·9/9 = 100, 100·6/9 = 66
    expect(norm).toEqual([22, 100, 66]);
  });

  it('zone counts honour the pod\'s node affinity (nodeAffinityPolicy Honor)', () => {
    const h100 = zoned('a').gpus(8, 'H100');
    const a100 = zoned('a').gpus(8, 'A100-80G');
    const c = cluster(h100, a100);
    put(c, 1, 3);
    const replica = owned('inference', 0, pod().cpu(1000).mem(1024).gpus(1).models('H100'));
    const s = spreadPreScore(replica, [c.nodes[0]], c)!;
    // the A100 node does not match the pod's GPU model: its 3 replicas are not counted in zone a
    expect(s.zoneCounts.get('a')).toBe(0);
    const any = owned('inference', 0, pod().cpu(1000).mem(1024).gpus(1));
    expect(spreadPreScore(any, [c.nodes[0]], c)!.zoneCounts.get('a')).toBe(3);
  });

  it('all-zero raw scores normalize to 100', () => {
    const norm = [0, 0];
    spreadNormalize(norm);
    expect(norm).toEqual([100, 100]);
  });
});

describe('k8s-default with PodTopologySpread (weight 2)', () => {
  const scenario = { cluster: { pools: [] }, workloads: [] } as unknown as Scenario;
  const big = node().cpu(64000).mem(262144).gpus(8);
  const small = node().cpu(12000).mem(65536).gpus(8);

  function run(kind: WorkloadKind): { node: number; plugins: string[] } {
    const c = cluster(big, small);
    put(c, 0, 3, 0, 2000, 8192); // three replicas of 2000 m / 8 GiB (no GPU) on node0
    const s = k8sDefault.create({ ...k8sDefault.defaults }, { scenario, cluster: c, rng: ctx(c).rng });
    const replica = owned(kind, 0, pod().cpu(2000).mem(8192).gpus(1));
    const r = s.cycle([replica], ctx(c));
    const e = s.explain(replica, ctx(c), 2);
    return { node: r.bound[0].binding!.nodeId, plugins: e.top[0].plugins.map((x) => x.plugin) };
  }

  it('spreads a replica away from the node holding its siblings, where the fit scores alone would stack it', () => {
    // node0: fit ((64000 − 8000)·100/64000 = 87, (262144 − 32768)·100/262144 = 87) → 87, balanced 100: 187;
    // node1: fit (83 + 87)/2 = 85, balanced int((1 − |0.1667 − 0.125|/2)·100) = 97: 182.
    // PodTopologySpread: weight ln(4) = 1.3863; node0 round(3·1.3863 + 2) = 6, node1 2; normalized
    // 100·(8 − 6)/6 = 33 and 100; × 2: node0 187 + 66 = 253 < node1 182 + 200 = 382.
    const r = run('inference');
    expect(r.node).toBe(1);
    expect(r.plugins).toEqual(['NodeResourcesFit', 'NodeResourcesBalancedAllocation', 'PodTopologySpread']);
  });

  it('a batch pod (a Job\'s) is not spread: PreScore skips it and the fit scores decide', () => {
    const r = run('batch');
    expect(r.node).toBe(0);
    expect(r.plugins).toEqual(['NodeResourcesFit', 'NodeResourcesBalancedAllocation']);
  });
});
