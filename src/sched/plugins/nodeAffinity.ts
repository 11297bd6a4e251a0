/**
 * GPU model constraints as a node selector on `nvidia.com/gpu.product` (what GPU Feature Discovery labels):
 * a pod that allows only some models does not fit nodes of other models. Reason text as kube's NodeAffinity.
 */
import type { FilterPlugin } from '../framework.ts';
import { unresolvable } from '../status.ts';

export const NODE_AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector";

export const gpuModelAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter(pod, node) {
    const models = pod.request.gpuModels;
    if (models.length === 0 || pod.request.gpuCount === 0) return null;
    // kube's NodeAffinity: a selector mismatch is UnschedulableAndUnresolvable (no eviction makes it fit).
    return models.includes(node.gpuModel) ? null : unresolvable('NodeAffinity', NODE_AFFINITY_REASON);
  },
};
