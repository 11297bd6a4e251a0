/**
 * kube-scheduler's PodTopologySpread score plugin with the system-default constraints (v1.34,
 * pkg/scheduler/framework/plugins/podtopologyspread/scoring.go; defaults in plugin.go systemDefaultConstraints):
 * a pod without its own constraints whose owner is a Service, ReplicationController, ReplicaSet or StatefulSet gets
 * `kubernetes.io/hostname` maxSkew 3 and `topology.kubernetes.io/zone` maxSkew 5, both ScheduleAnyway, selecting
 * the pods its owner selects (helper/spread.go DefaultSelector). Other pods: PreScore returns Skip (no score).
 *
 * Our pods with such an owner: inference replicas and agent sessions (exported as Deployments, so a ReplicaSet owns
 * them; io/export/exportWorkloads.ts). Training gangs and batch pods are Jobs (or Volcano jobs), trace pods are bare
 * pods and Ray pods belong to a RayCluster: none of these is in DefaultSelector's list. Every pod of a workload
 * carries the same labels, so the owner's selector matches exactly the bound pods of the same workload.
 *
 * PreScore (over the feasible nodes): the hostname weight is ln(feasible + 2); the zone weight ln(Z + 2) with Z
 * the distinct zone values of the feasible nodes, a node without the label counting as the value "" (system
 * defaults do not require every topology label). Zone counts sum the matching pods over every node that satisfies
 * the pod's required node affinity (nodeAffinityPolicy Honor, the default; taints are ignored by default).
 * Score: round(Σ over the constraints whose label the node has of count·weight + maxSkew − 1) (Go math.Round).
 * Normalize: 100·(max + min − s)/max in int64 (100 everywhere when max = 0).
 */
import type { ClusterState, NodeState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import type { ScorePlugin } from '../framework.ts';
import { MAX_NODE_SCORE } from '../status.ts';
import { gpuModelAdmits } from './nodeAffinity.ts';
import { log } from '../../core/detMath.ts';

/** The zone label kube's default constraint spreads over. */
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
/** maxSkew of the system-default hostname constraint (plugin.go systemDefaultConstraints). */
export const HOSTNAME_MAX_SKEW = 3;
/** maxSkew of the system-default zone constraint. */
export const ZONE_MAX_SKEW = 5;
/** The default profile's weight of PodTopologySpread (apis/config/v1/default_plugins.go). */
export const POD_TOPOLOGY_SPREAD_WEIGHT = 2;

/**
 * The workload whose ReplicaSet owns a pod (its index in the scenario), or −1 when no Service, ReplicaSet or
 * StatefulSet selects it and the default constraints do not apply.
 */
export function spreadOwnerOf(pod: Pod): number {
  return (pod.kind === 'inference' || pod.kind === 'agent') && pod.workload >= 0 ? pod.workload : -1;
}

/** Bound pods on a node that the owner's selector matches (countPodsMatchSelector). */
export function matchingPodsOn(cluster: ClusterState, nodeId: number, owner: number): number {
  let n = 0;
  for (const p of cluster.podsOnNode[nodeId]) if (spreadOwnerOf(p) === owner) n++;
  return n;
}

/** topologyNormalizingWeight: ln(size + 2). */
export function topologyNormalizingWeight(size: number): number {
  return log(size + 2);
}

/** scoreForCount: count·weight + maxSkew − 1. */
export function scoreForCount(count: number, maxSkew: number, weight: number): number {
  return count * weight + (maxSkew - 1);
}

/** What PreScore computed for one attempt. */
export interface SpreadState {
  owner: number;
  hostWeight: number;
  zoneWeight: number;
  /** Matching pods per zone value, over the nodes the pod's node affinity admits (only values of feasible nodes). */
  zoneCounts: Map<string, number>;
}

/** PreScore over the feasible nodes, or null (Skip) when the pod has no owner the defaults apply to. */
export function spreadPreScore(pod: Pod, feasible: readonly NodeState[], cluster: ClusterState): SpreadState | null {
  const owner = spreadOwnerOf(pod);
  if (owner < 0 || cluster.nodes.length === 0) return null;
  const zoneCounts = new Map<string, number>();
  let labelled = false;
  for (const node of feasible) {
    const z = node.labels[LABEL_ZONE];
    if (z !== undefined) labelled = true;
    zoneCounts.set(z ?? '', 0);
  }
  // Zone counts are read only by nodes that carry the label: skip the count when no feasible node has one.
  if (labelled) {
    for (const node of cluster.nodes) {
      const z = node.labels[LABEL_ZONE] ?? '';
      const c = zoneCounts.get(z);
      if (c === undefined || !gpuModelAdmits(pod, node)) continue;
      zoneCounts.set(z, c + matchingPodsOn(cluster, node.id, owner));
    }
  }
  return { owner, hostWeight: topologyNormalizingWeight(feasible.length), zoneWeight: topologyNormalizingWeight(zoneCounts.size), zoneCounts };
}

/** Score of one feasible node under a PreScore state (before normalize). */
export function spreadScore(s: SpreadState, node: NodeState, cluster: ClusterState): number {
  // every node carries kubernetes.io/hostname (the kubelet sets it)
  let score = scoreForCount(matchingPodsOn(cluster, node.id, s.owner), HOSTNAME_MAX_SKEW, s.hostWeight);
  const z = node.labels[LABEL_ZONE];
  if (z !== undefined) score += scoreForCount(s.zoneCounts.get(z) ?? 0, ZONE_MAX_SKEW, s.zoneWeight);
  // Go's math.Round: half away from zero (scores are positive, so Math.round agrees)
  return Math.round(score);
}

/** NormalizeScore in place: fewer matching pods score higher; int64 division. */
export function spreadNormalize(scores: number[]): void {
  let lo = Infinity;
  let hi = 0;
  for (const s of scores) {
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  for (let i = 0; i < scores.length; i++) scores[i] = hi === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (hi + lo - scores[i])) / hi);
}

/**
 * The plugin for one scheduler (it keeps the PreScore state of the attempt in progress; the runner calls
 * `preScore` with the feasible nodes before it scores any of them).
 */
export function podTopologySpread(): ScorePlugin {
  let state: SpreadState | null = null;
  return {
    name: 'PodTopologySpread',
    skips: (pod) => spreadOwnerOf(pod) < 0,
    preScore(pod, nodes, ctx) {
      state = spreadPreScore(pod, nodes, ctx.cluster);
    },
    score(pod, node, ctx) {
      if (!state || state.owner !== spreadOwnerOf(pod)) throw new Error(`PodTopologySpread: score of ${pod.name} without its PreScore`);
      return spreadScore(state, node, ctx.cluster);
    },
    normalize(scores) {
      spreadNormalize(scores);
    },
  };
}
