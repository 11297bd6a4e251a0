/**
 * Static MIG in Kubernetes (../shared/docs/domain-mig-dra.md §6.6.3–6.6.4): mig-parted applies each MIG pool's
 * layout, the NVIDIA device plugin's `mixed` strategy advertises one extended resource per profile
 * (`nvidia.com/mig-<profile>`: the count of that profile's instances) and `nvidia.com/gpu` only on GPUs without
 * MIG, and kube-scheduler's NodeResourcesFit treats each as a scalar resource: fits iff Σ requests + the pod's ≤
 * allocatable. The scheduler never chooses an instance; the kubelet hands out a free one (here: lowest GPU index,
 * then lowest start; the real order is the device plugin's device list).
 */
import type { NodeState } from '../../model/cluster.ts';
import type { GpuBooking, Pod, PodRequest } from '../../model/pod.ts';
import { demandOf, k8sMigForm, translateDemand } from '../../scenario/gpuDemand.ts';
import { migResourceName } from '../../scenario/migCatalog.ts';
import type { ClusterSpec } from '../../scenario/types.ts';
import type { DeviceAllocator, FilterPlugin } from '../framework.ts';
import { nodeResourcesFitFilter } from '../plugins/nodeResourcesFit.ts';
import { wholeGpuAllocator } from '../plugins/wholeGpuAllocator.ts';
import { unschedulable, type Status } from '../status.ts';
import { FrameworkScheduler, type FrameworkConfig } from '../runner.ts';
import type { ClusterState } from '../../model/cluster.ts';
import { freeInstances, instanceBooking, migPools, totalMigSlices, type MigAware, type MigPool, type MigSliceTotals } from './state.ts';

/** What a pod asks of a mixed-strategy cluster. */
export type K8sMigAsk = { form: 'whole' } | { form: 'mig'; profile: string; resource: string; count: number };

/** The plugin name on k8s-mig's statuses (NodeResourcesFit, as kube counts extended resources there). */
const FIT = 'NodeResourcesFit';

/** The k8s-mig view of a cluster: its MIG pools and each pod's translated request (cached by pod uid). */
export class K8sMigCluster {
  readonly pools: Map<string, MigPool>;
  private readonly asks = new Map<number, K8sMigAsk>();

  constructor(
    spec: ClusterSpec,
    private readonly cardMemMiB: (modelId: string) => number,
    /** `--mig-strategy`: mixed (a resource per profile) or single (every instance an nvidia.com/gpu). */
    readonly strategy: 'mixed' | 'single' = 'mixed',
  ) {
    this.pools = migPools(spec);
  }

  /**
   * Under `single`, the instances a MIG node offers as nvidia.com/gpu: valid only when its layout is non-empty and
   * of one profile (internal/lm/mig-strategy.go: otherwise the node is MIG-INVALID with gpu.count 0).
   */
  singleValid(pool: MigPool): boolean {
    return singleStrategyValid(pool);
  }

  /**
   * A pod's request (gpuDemand.ts): MIG where k8sMigForm says so and a MIG pool's model has a profile that holds
   * it (the first such pool in pool order names the profile, as a user writes one resource name), else whole GPUs.
   */
  askOf(pod: Pod): K8sMigAsk {
    let a = this.asks.get(pod.uid);
    if (a) return a;
    a = k8sMigAskOf(pod.request, this.pools.values(), this.strategy, this.cardMemMiB);
    this.asks.set(pod.uid, a);
    return a;
  }

  /** The text of a pod's GPU shortage: its MIG resource, or `nvidia.com/gpu` (the engine's reason bit 8). */
  gpuReason(pod: Pod): string {
    const a = this.askOf(pod);
    return `Insufficient ${a.form === 'mig' ? a.resource : 'nvidia.com/gpu'}`;
  }
}

/** A request under a strategy (K8sMigCluster.askOf without its cache; the engine's pod rows use it too). */
export function k8sMigAskOf(request: PodRequest, pools: Iterable<MigPool>, strategy: 'mixed' | 'single', cardMemMiB: (modelId: string) => number): K8sMigAsk {
  const d = demandOf(request);
  if (strategy !== 'mixed' || d.count === 0 || k8sMigForm(d) !== 'mig') return { form: 'whole' };
  const allowed = request.gpuModels;
  for (const pool of pools) {
    if (allowed.length > 0 && !allowed.includes(pool.modelId)) continue;
    const r = translateDemand(d, 'mig', { modelId: pool.modelId, cardMemMiB: cardMemMiB(pool.modelId) });
    if (r.form === 'mig') return { form: 'mig', profile: r.profile, resource: r.resource, count: r.count };
  }
  return { form: 'whole' };
}

/** Under `single`, whether a pool's instances are its nodes' nvidia.com/gpu (a non-empty layout of one profile). */
export function singleStrategyValid(pool: MigPool): boolean {
  return pool.instances.length > 0 && pool.instances.every((i) => i.profile === pool.instances[0].profile);
}

/** The pod without its GPU request, for the cpu/memory/pods checks of NodeResourcesFit. */
function withoutGpus(pod: Pod): Pod {
  return { ...pod, request: { ...pod.request, gpuCount: 0, gpuMilli: 0 } };
}

/**
 * NodeResourcesFit over the mixed strategy's resources: cpu, memory and pods as usual; `nvidia.com/gpu` is 0 on a
 * MIG node; `nvidia.com/mig-<p>` is the node's free instances of profile p.
 */
export function k8sMigFit(mc: K8sMigCluster): FilterPlugin {
  const base = nodeResourcesFitFilter(1);
  return {
    name: FIT,
    filter(pod, node, ctx) {
      const ask = mc.askOf(pod);
      const pool = mc.pools.get(node.pool);
      if (ask.form === 'whole' && !pool) return base.filter(pod, node, ctx);
      const rest = base.filter(withoutGpus(pod), node, ctx);
      const reasons = rest?.reasons ? [...rest.reasons] : [];
      if (ask.form === 'whole') {
        // single: a MIG node's free instances are its nvidia.com/gpu; mixed: it advertises none
        let free = 0;
        if (pool && mc.strategy === 'single' && mc.singleValid(pool)) for (const g of node.gpus) free += freeInstances(pool, ctx.cluster, node, g.index).length;
        if (pod.request.gpuCount > free) reasons.push('Insufficient nvidia.com/gpu');
      } else {
        let free = 0;
        if (pool) for (const g of node.gpus) free += freeInstances(pool, ctx.cluster, node, g.index).filter((i) => i.profile === ask.profile).length;
        if (free < ask.count) reasons.push(`Insufficient ${ask.resource}`);
      }
      return reasons.length ? unschedulable(FIT, ...reasons) : null;
    },
  };
}

/** The kubelet's device manager: whole GPUs as the device plugin prefers them, or free instances of the profile. */
export function k8sMigAllocator(mc: K8sMigCluster): DeviceAllocator {
  return {
    name: 'nvidia-device-plugin (mixed)',
    allocate(pod, node: NodeState, ctx): GpuBooking[] | Status {
      const ask = mc.askOf(pod);
      const pool = mc.pools.get(node.pool);
      if (ask.form === 'whole' && !pool) return wholeGpuAllocator.allocate(pod, node, ctx);
      const want = ask.form === 'whole' ? pod.request.gpuCount : ask.count;
      const out: GpuBooking[] = [];
      if (pool) {
        for (const g of node.gpus) {
          for (const inst of freeInstances(pool, ctx.cluster, node, g.index)) {
            if (out.length < want && (ask.form === 'whole' || inst.profile === ask.profile)) out.push(instanceBooking(g, inst));
          }
        }
      }
      return out.length === want ? out : unschedulable(FIT, `Insufficient ${ask.form === 'whole' ? 'nvidia.com/gpu' : migResourceName(ask.profile)}`);
    },
  };
}

/** kube-scheduler over a mixed/single-strategy cluster, counting its static layouts' slices for the MIG metrics. */
export class K8sMigScheduler extends FrameworkScheduler implements MigAware {
  constructor(
    config: FrameworkConfig,
    readonly mig: K8sMigCluster,
  ) {
    super(config);
  }

  /** Slices of the static layouts: used by pods, idle in created instances, stranded outside every instance. */
  migSlices(cluster: ClusterState): MigSliceTotals {
    return totalMigSlices(this.mig.pools, cluster, false, () => []);
  }
}
