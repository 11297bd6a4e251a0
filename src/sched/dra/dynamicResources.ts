/**
 * kube-scheduler's DynamicResources plugin (v1.34, pkg/scheduler/framework/plugins/dynamicresources/
 * dynamicresources.go; domain-mig-dra.md §6.7.5) as the framework's device step: per node it runs the structured
 * allocator (./allocator.ts) for all of the pod's claims against the node's ResourceSlices and the allocated
 * state, and turns the outcome into a Status or into GPU bookings. There is no Score in v1.34: nodes are ranked
 * by the profile's other score plugins, ties at random.
 *
 * The allocated state is every device of a claim whose pod is bound on the node (Reserve records the chosen
 * node's allocation; a released pod frees its claim). Pods bound without an allocation (a scenario's existing
 * pods) hold what their GPU bookings say (DraDeviceModel.heldBy).
 *
 * Outcomes (the plugin's three): allocated → bookings; no solution → Unschedulable "cannot allocate all claims"
 * with the most frequent reason a candidate device was refused (which counter, capacity, constraint or class);
 * an allocator error → an Error status naming the field, as the scheduler reports a broken claim.
 */
import type { NodeState } from '../../model/cluster.ts';
import type { GpuBooking, Pod } from '../../model/pod.ts';
import { shapeKey } from '../cycle.ts';
import type { DeviceAllocator, SchedContext } from '../framework.ts';
import { errorStatus, unschedulable, type Status } from '../status.ts';
import { allocate } from './allocator.ts';
import type { DraDeviceModel } from './deviceModel.ts';
import { deviceKey, type AllocateOutcome, type AllocatedState, type DeviceResult, type ResourceSlice } from './types.ts';

export const DYNAMIC_RESOURCES = 'DynamicResources';

/** kube's Filter message when the allocator finds no solution on a node. */
export const CANNOT_ALLOCATE = 'cannot allocate all claims';

/** The reason of an unschedulable outcome: kube's message and the most frequent refusal (ties: alphabetical). */
export function unschedulableReason(blocked: Readonly<Record<string, number>>): string {
  let top: string | null = null;
  for (const [k, n] of Object.entries(blocked)) {
    if (top === null || n > blocked[top] || (n === blocked[top] && k < top)) top = k;
  }
  return top === null ? CANNOT_ALLOCATE : `${CANNOT_ALLOCATE} (${top})`;
}

/** The DynamicResources plugin over one driver's device model. */
export class DynamicResources implements DeviceAllocator {
  readonly name = DYNAMIC_RESOURCES;
  private readonly slices = new WeakMap<NodeState, ResourceSlice[]>();
  /** Each bound pod's devices, on the node it was bound to. */
  private readonly allocations = new WeakMap<Pod, { node: number; results: DeviceResult[] }>();
  /** The pod being decided: its results per node, kept until the pod is known bound or another pod comes. */
  private pending: { pod: Pod; perNode: Map<number, DeviceResult[]> } | null = null;
  /** Outcomes per node at its version, by pod shape (the search reads nothing else). */
  private readonly outcomes = new Map<number, { version: number; byShape: Map<string, AllocateOutcome> }>();

  constructor(readonly model: DraDeviceModel) {}

  /** The pending pod's results become its allocation once it is bound (Reserve). */
  private settle(): void {
    const p = this.pending;
    if (p === null || p.pod.binding === null) return;
    const results = p.perNode.get(p.pod.binding.nodeId);
    if (results) this.allocations.set(p.pod, { node: p.pod.binding.nodeId, results });
    this.pending = null;
  }

  /** The allocated state of a node: devices and consumed capacity of every other pod bound there. */
  allocatedOn(node: NodeState, ctx: SchedContext, except: Pod | null): AllocatedState {
    const devices = new Set<string>();
    const capacity = new Map<string, Record<string, number>>();
    const addCapacity = (key: string, c: Readonly<Record<string, number>>): void => {
      const cur = capacity.get(key) ?? {};
      for (const [k, v] of Object.entries(c)) cur[k] = (cur[k] ?? 0) + v;
      capacity.set(key, cur);
    };
    const driver = this.model.driver;
    for (const p of ctx.cluster.podsOnNode[node.id]) {
      if (p === except) continue;
      const a = this.allocations.get(p);
      if (a && a.node === node.id) {
        for (const r of a.results) {
          const key = deviceKey(r);
          if (r.consumedCapacity) addCapacity(key, r.consumedCapacity);
          else if (!r.adminAccess) devices.add(key);
        }
        continue;
      }
      for (const b of p.binding?.gpus ?? []) {
        const held = this.model.heldBy(b, node);
        const key = deviceKey({ driver, pool: node.name, device: held.device });
        if (held.capacity) addCapacity(key, held.capacity);
        else devices.add(key);
      }
    }
    return { devices, capacity };
  }

  /** The allocator's outcome for the pod on the node now (cached per node version and pod shape). */
  outcome(pod: Pod, node: NodeState, ctx: SchedContext): AllocateOutcome {
    if (this.pending?.pod !== pod) {
      this.settle();
      if (pod.binding === null) this.pending = { pod, perNode: new Map() };
    }
    const version = ctx.cluster.nodeVersion[node.id];
    let entry = this.outcomes.get(node.id);
    if (!entry || entry.version !== version) this.outcomes.set(node.id, (entry = { version, byShape: new Map() }));
    const key = pod.binding === null ? shapeKey(pod) : null;
    let out = key === null ? undefined : entry.byShape.get(key);
    if (!out) {
      let slices = this.slices.get(node);
      if (!slices) this.slices.set(node, (slices = this.model.slices(node)));
      out = allocate({
        node: { name: node.name, labels: node.labels },
        classes: this.model.classes,
        slices,
        allocated: this.allocatedOn(node, ctx, pod),
        claims: this.model.claims(pod, node),
        features: this.model.features,
      });
      if (key !== null) entry.byShape.set(key, out);
    }
    if (out.kind === 'allocated' && pod.binding === null && this.pending?.pod === pod) {
      this.pending.perNode.set(node.id, out.claims.flatMap((c) => c.devices));
    }
    return out;
  }

  allocate(pod: Pod, node: NodeState, ctx: SchedContext): GpuBooking[] | Status {
    if (pod.request.gpuCount === 0) return [];
    const out = this.outcome(pod, node, ctx);
    if (out.kind === 'error') return errorStatus(DYNAMIC_RESOURCES, out.message);
    if (out.kind === 'unschedulable') return unschedulable(DYNAMIC_RESOURCES, unschedulableReason(out.blocked));
    return out.claims.flatMap((c) => c.devices.map((d) => this.model.booking(d, node)));
  }

  /** The devices a bound pod holds (for "why here?"), or null. */
  devicesOf(pod: Pod): DeviceResult[] | null {
    this.settle();
    return this.allocations.get(pod)?.results ?? null;
  }
}

/** One line per device of a claim, e.g. `nb-0-gpu: gpu/mig-1g.10gb → gpu-0-mig-1g10gb-19-0 on pool node-1`. */
export function describeDevices(claim: string, devices: readonly DeviceResult[]): string[] {
  return devices.map((d) => {
    const cap = d.consumedCapacity ? ` (consumes ${Object.entries(d.consumedCapacity).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
    return `${claim}: ${d.request} → ${d.device} on pool ${d.pool}${cap}`;
  });
}
