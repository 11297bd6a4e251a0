/**
 * GPU model constraints as a node selector on `nvidia.com/gpu.product` (what GPU Feature Discovery labels):
 * a pod that allows only some models does not fit nodes of other models. Reason text as kube's NodeAffinity.
 */
import type { NodeState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import type { FilterPlugin } from '../framework.ts';
import { unresolvable } from '../status.ts';

export const NODE_AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector";

/** True when the pod's required node affinity (its allowed GPU models, for a GPU pod) admits the node. */
export function gpuModelAdmits(pod: Pod, node: NodeState): boolean {
  const models = pod.request.gpuModels;
  return models.length === 0 || pod.request.gpuCount === 0 || models.includes(node.gpuModel);
}

export const gpuModelAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter(pod, node) {
    // kube's NodeAffinity: a selector mismatch is UnschedulableAndUnresolvable (no eviction makes it fit).
    return gpuModelAdmits(pod, node) ? null : unresolvable('NodeAffinity', NODE_AFFINITY_REASON);
  },
};
