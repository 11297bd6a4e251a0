/**
 * Host side of the k8s kernel's PodTopologySpread pass (kube v1.34 system-default constraints,
 * sched/plugins/podTopologySpread.ts): what the host uploads for one owned pod, so the pass needs no labels, pods
 * or strings. Per node: the bound pods the owner's selector matches (countPodsMatchSelector) and a zone word: the
 * zone id (0 for the value "", which kube also counts a node without `topology.kubernetes.io/zone` as; 1.. for each
 * other value in node order) with ZONE_LABELLED set when the node carries the label (only those get a zone score). Per zone id: the matching pods over the nodes the pod's required node affinity admits (kube's zone
 * counts, nodeAffinityPolicy Honor). And one float64 table of ln(k + 2) for k = 0..nodeCount, computed with
 * core/detMath.ts log as the plugin does, so the pass only multiplies, adds and rounds (exact in soft-double).
 * Twin of the pass: engine/cpu/spreadPass.ts.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import { LABEL_ZONE, matchingPodsOn, spreadOwnerOf, topologyNormalizingWeight } from '../../sched/plugins/podTopologySpread.ts';
import { gpuModelAdmits } from '../../sched/plugins/nodeAffinity.ts';

/** Flag of a zone word: the node carries the zone label (a node without it scores no zone term). */
export const ZONE_LABELLED = 0x80000000;
/** Mask of a zone word's id. */
export const ZONE_ID_MASK = 0x7fffffff;

/** What the spread pass reads for one owned pod. */
export interface SpreadInputs {
  /** Matching bound pods per node (node id order). */
  counts: Uint32Array;
  /** Zone word per node (zoneWordsOf): its id, with ZONE_LABELLED when the node carries the label. */
  zones: Uint32Array;
  /** Matching pods per zone id over the nodes the pod's node affinity admits. */
  zoneTotals: Uint32Array;
}

/** The zone word of every node (node id order): value → id, "" and a missing label → 0; ZONE_LABELLED if labelled. */
export function zoneWordsOf(cluster: ClusterState): Uint32Array {
  const ids = new Map<string, number>([['', 0]]);
  const zones = new Uint32Array(cluster.nodes.length);
  for (const node of cluster.nodes) {
    const label = node.labels[LABEL_ZONE];
    const z = label ?? '';
    let id = ids.get(z);
    if (id === undefined) ids.set(z, (id = ids.size));
    zones[node.id] = (label === undefined ? id : id | ZONE_LABELLED) >>> 0;
  }
  return zones;
}

/** Zone ids of a cluster's zone words (highest id + 1): what the GPU pass's workgroup flags must hold. */
export function zoneIdCount(zones: Uint32Array): number {
  let count = 1;
  for (const z of zones) count = Math.max(count, (z & ZONE_ID_MASK) + 1);
  return count;
}

/** The pass's inputs for a pod, or null when kube's default constraints do not apply to it (no owner). */
export function packSpreadInputs(cluster: ClusterState, pod: Pod, zones = zoneWordsOf(cluster)): SpreadInputs | null {
  const owner = spreadOwnerOf(pod);
  if (owner < 0) return null;
  const n = cluster.nodes.length;
  const counts = new Uint32Array(n);
  const zoneTotals = new Uint32Array(zoneIdCount(zones));
  for (const node of cluster.nodes) {
    const c = matchingPodsOn(cluster, node.id, owner);
    counts[node.id] = c;
    if (gpuModelAdmits(pod, node)) zoneTotals[zones[node.id] & ZONE_ID_MASK] += c;
  }
  return { counts, zones, zoneTotals };
}

/** ln(k + 2) for k = 0..nodeCount (topologyNormalizingWeight of every feasible-set and zone-set size). */
export function spreadLogTable(nodeCount: number): Float64Array {
  const table = new Float64Array(nodeCount + 1);
  for (let k = 0; k <= nodeCount; k++) table[k] = topologyNormalizingWeight(k);
  return table;
}
