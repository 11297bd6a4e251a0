/**
 * Profiles `k8s-dra` and `hami-dra`: kube-scheduler v1.34 with the DynamicResources plugin
 * (src/sched/dra/dynamicResources.ts) over a driver's device model. The pod asks for no `nvidia.com/gpu` extended
 * resource: its GPUs come from a ResourceClaim the structured allocator fills on each node (first fit, no device
 * score in v1.34). Nodes are ranked by the default score plugins that see something in our model: NodeResourcesFit
 * (cpu:1, memory:1), BalancedAllocation and PodTopologySpread's system defaults (weight 2, for ReplicaSet-owned
 * pods), ties uniform from the seeded RNG. No kernel: the allocator's search
 * runs on the CPU (docs/engine.md).
 */
import { hamiDraInfo, k8sDraInfo, type HamiDraOptions, type K8sDraOptions } from '../../scenario/profileCatalog.ts';
import type { DraDeviceModel } from '../dra/deviceModel.ts';
import { DynamicResources } from '../dra/dynamicResources.ts';
import { hamiDraModel } from '../dra/hamiDriver.ts';
import { nvidiaDraModel } from '../dra/nvidiaDriver.ts';
import { balancedAllocation } from '../plugins/balancedAllocation.ts';
import { podTopologySpread, POD_TOPOLOGY_SPREAD_WEIGHT } from '../plugins/podTopologySpread.ts';
import { gpuModelAffinity } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from '../plugins/nodeResourcesFit.ts';
import { FrameworkScheduler } from '../runner.ts';
import { prioritySort, type Explanation, type SchedContext } from '../framework.ts';
import type { Pod } from '../../model/pod.ts';
import { describeDevices } from '../dra/dynamicResources.ts';
import type { ProfileDefinition } from './types.ts';

export type { HamiDraOptions, K8sDraOptions };

/**
 * NodeResourcesFit's filter for a DRA pod: cpu, memory and pods only. The pod requests no `nvidia.com/gpu`
 * extended resource (its GPUs are claims), so the GPU term is switched off with unlimited replicas.
 */
const fitWithoutExtendedGpu = nodeResourcesFitFilter(Number.POSITIVE_INFINITY);

/** The framework scheduler of a DRA profile over a device model. */
function draScheduler(name: string, model: DraDeviceModel, o: { strategy: 'LeastAllocated' | 'MostAllocated'; percentageOfNodesToScore: number }): FrameworkScheduler {
  return new DraScheduler({
    name,
    queueSort: prioritySort,
    filters: [fitWithoutExtendedGpu, gpuModelAffinity],
    scores: [
      { plugin: nodeResourcesFitScore({ strategy: o.strategy, resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] }), weight: 1 },
      { plugin: balancedAllocation, weight: 1 },
      { plugin: podTopologySpread(), weight: POD_TOPOLOGY_SPREAD_WEIGHT },
    ],
    allocator: new DynamicResources(model),
    tieBreak: { kind: 'reservoir' },
    percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
  });
}

/** The framework scheduler whose "why here?" also lists the devices each claim got on the chosen node. */
class DraScheduler extends FrameworkScheduler {
  override explainOnPlugins(pod: Pod, ctx: SchedContext, topK = 5): Explanation {
    const e = super.explainOnPlugins(pod, ctx, topK);
    const dra = this.config.allocator as DynamicResources;
    const node = e.node === null ? undefined : ctx.cluster.nodeByName(e.node);
    if (!node || pod.request.gpuCount === 0) return e;
    const held = pod.binding ? dra.devicesOf(pod) : null;
    if (held) return { ...e, devices: describeDevices(`${pod.name}-gpu`, held) };
    const out = dra.outcome(pod, node, ctx);
    if (out.kind !== 'allocated') return e;
    return { ...e, devices: out.claims.flatMap((c) => describeDevices(c.claim, c.devices)) };
  }
}

export const k8sDra: ProfileDefinition<K8sDraOptions> = {
  ...k8sDraInfo,
  create(o, env) {
    const pools = new Map((env.scenario?.cluster.pools ?? []).map((p) => [p.name, p.mig]));
    return draScheduler('k8s-dra', nvidiaDraModel({ dynamicMig: o.dynamicMig, poolLayout: (node) => pools.get(node.pool) }), o);
  },
};

export const hamiDra: ProfileDefinition<HamiDraOptions> = {
  ...hamiDraInfo,
  create(o) {
    return draScheduler('hami-dra', hamiDraModel, o);
  },
};
