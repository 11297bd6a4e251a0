/**
 * The cluster as KWOK fake nodes (kwok.sigs.k8s.io: the `kwok.x-k8s.io/node: fake` annotation and taint), each
 * with the GPU capacity, GFD labels and, for HAMi, the registration annotation its device plugin would write, so
 * a real scheduler runs against the design without GPUs. Slicebench annotations keep what no label says (pool,
 * model, topology, NUMA, racks, labels) so `slicebench import` reads the design back exactly.
 */
import { buildNodes } from '../../model/cluster.ts';
import { resolveCatalog } from '../../scenario/gpuCatalog.ts';
import { gfdProductOf } from '../kube/gpuProduct.ts';
import { formatHamiRegister, formatJsonRegister, syntheticGpuUuid } from '../kube/hamiAnnotations.ts';
import { GFD_COUNT, GFD_MEMORY, GFD_PRODUCT, GFD_REPLICAS, HAMI_NODE_HANDSHAKE, HAMI_NODE_REGISTER, KWOK_NODE_ANNOTATION, RACK_LABELS, RES_GPU, SB_GPU_MODEL, SB_LABELS, SB_NUMA_NODES, SB_POOL, SB_RACKS, SB_TOPOLOGY } from '../kube/kubeNames.ts';
import { formatCpuMilli, formatMiB } from '../kube/quantity.ts';
import { numOption, type ExportContext, type Manifest } from './exportContext.ts';
import { asLabelValue, dnsLabel } from './kubeName.ts';

/** The taint KWOK's docs put on fake nodes; exported pods tolerate it. */
export const KWOK_TAINT = { key: KWOK_NODE_ANNOTATION, value: 'fake', effect: 'NoSchedule' };

/** One Node per simulated node, named `<pool>-<i>` like the simulator's nodes (made DNS-safe). */
export function exportNodes(ctx: ExportContext): Manifest[] {
  const { scenario } = ctx;
  const catalog = resolveCatalog(scenario.catalog);
  const nodes = buildNodes(scenario.cluster, catalog);
  const pools = new Map(scenario.cluster.pools.map((p) => [p.name, p]));
  const poolDns = new Map(scenario.cluster.pools.map((p) => [p.name, dnsLabel(p.name, 50)]));
  const timeSlicing = ctx.target === 'k8s' && ctx.scheduler.profile === 'k8s-timeslicing' ? numOption(ctx, 'replicas', 4) : 1;
  const split = numOption(ctx, 'splitCount', 10);
  let droppedLabels = 0;
  const out: Manifest[] = [];
  for (const n of nodes) {
    const pool = pools.get(n.pool)!;
    const name = `${poolDns.get(n.pool)}-${n.name.slice(n.pool.length + 1)}`;
    ctx.nodeNames.set(n.name, name);
    const labels: Record<string, string> = { type: 'kwok', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/instance-type': 'slicebench' };
    for (const [k, v] of Object.entries(pool.labels ?? {})) {
      const lv = asLabelValue(v);
      if (k === 'rack' || lv === undefined || !/^([a-z0-9.-]+\/)?[A-Za-z0-9._-]+$/.test(k)) droppedLabels += k === 'rack' ? 0 : 1;
      else labels[k] = lv;
    }
    const rack = asLabelValue(n.rack);
    if (rack !== undefined) labels[RACK_LABELS[0]] = rack;
    const annotations: Record<string, string> = { [KWOK_NODE_ANNOTATION]: 'fake', [SB_POOL]: pool.name, [SB_TOPOLOGY]: pool.topology, [SB_NUMA_NODES]: String(pool.numaNodes) };
    if (pool.racks !== undefined) annotations[SB_RACKS] = String(pool.racks);
    if (pool.labels && Object.keys(pool.labels).length) annotations[SB_LABELS] = JSON.stringify(pool.labels);
    const allocatable: Record<string, string> = { cpu: formatCpuMilli(n.cpuMilli), memory: formatMiB(n.memMiB), pods: String(n.maxPods) };
    if (n.gpus.length > 0) {
      const model = catalog[n.gpuModel];
      annotations[SB_GPU_MODEL] = n.gpuModel;
      labels[GFD_PRODUCT] = gfdProductOf(n.gpuModel) + (timeSlicing > 1 ? '-SHARED' : '');
      labels[GFD_MEMORY] = String(model?.memMiB ?? 0);
      labels[GFD_COUNT] = String(n.gpus.length);
      if (timeSlicing > 1) labels[GFD_REPLICAS] = String(timeSlicing);
      allocatable[RES_GPU] = String(n.gpus.length * (ctx.hami && ctx.gpuNames.count === RES_GPU ? split : timeSlicing));
      if (ctx.gpuNames.count !== RES_GPU) allocatable[ctx.gpuNames.count] = String(n.gpus.length * split);
      if (ctx.hami) {
        // HAMi's device plugin labels GPU nodes gpu=on (its nvidiaNodeSelector) and registers every card.
        labels.gpu = 'on';
        annotations[HAMI_NODE_HANDSHAKE] = 'Reported_2026-01-01 00:00:00';
        const devices = n.gpus.map((g) => ({ uuid: syntheticGpuUuid(name, g.index), count: split, memMiB: g.memMiB, cores: g.cores, type: `NVIDIA-${model?.name ?? n.gpuModel}`, numa: g.numa, healthy: true, index: g.index, mode: 'hami-core' }));
        annotations[ctx.gpuNames.register] = ctx.gpuNames.register === HAMI_NODE_REGISTER ? formatHamiRegister(devices) : formatJsonRegister(devices);
      }
    }
    out.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels, annotations },
      spec: { taints: [KWOK_TAINT] },
      status: { allocatable, capacity: { ...allocatable }, phase: 'Running' },
    });
  }
  if (droppedLabels) ctx.notes.push(`${droppedLabels} pool label(s) are not valid Kubernetes labels: kept only in the ${SB_LABELS} annotation`);
  if (!scenario.cluster.pools.some((p) => p.count > 0)) ctx.notes.push('the cluster has no nodes');
  return out;
}
