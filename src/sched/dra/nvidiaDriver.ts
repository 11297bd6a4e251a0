/**
 * The NVIDIA DRA driver's device model (NVIDIA/k8s-dra-driver-gpu @ 2240711, module
 * sigs.k8s.io/dra-driver-nvidia-gpu; domain-mig-dra.md §6.7.6). DeviceClasses (deployments/helm/…/
 * deviceclass-*.yaml): `gpu.nvidia.com` = driver and `type == 'gpu'`, `mig.nvidia.com` = `type == 'mig'`. One
 * pool per node (pool name = node name); the v1.34 layout has one slice per GPU holding that GPU's counter set and
 * devices (`driver.go` generateCombinedResourceSlices), devices sorted by name (`mig.go`: the driver relies on the
 * scheduler taking the first match from the top).
 *
 * Three kinds of GPU (cmd/gpu-kubelet-plugin/nvlib.go, deviceinfo.go, partitions.go):
 * - MIG off: device `gpu-<minor>` (type gpu, capacity memory).
 * - a static MIG layout (the pool's mig-parted layout, DynamicMIG off): only the pre-created instances, each
 *   `gpu-<minor>-mig-<profile without dots, + → ->-<GI profile id>-<start>` (type mig, profile, capacity memory and
 *   multiprocessors). The scheduler sees each instance as a distinct device.
 * - DynamicMIG (driver gate, alpha; scheduler gate DRAPartitionableDevices, alpha in v1.34): the full GPU plus one
 *   abstract device per (profile, placement), over one counter set `gpu-<minor>-counter-set` with
 *   `multiprocessors`, `memory` (the largest profile's) and `memory-slice-0…7` (1 each). The full GPU consumes all
 *   counters; a MIG device its own multiprocessors and memory and the memory slices of its placement, so the
 *   allocator reproduces NVML's overlap rule (domain-mig-dra.md §6.6.1).
 *
 * Simplifications (docs/fidelity.md): `+me` profiles are not published (their media-engine counters are not
 * modelled); multiprocessors are 14 per compute slice on every model (A100's figure); the `memory` counter is left
 * out (the memory-slice counters bind first on NVML data, and the nominal H200 sizes would make 2 × 3g.71gb overflow
 * a 141 GiB counter that real NVML sizes fit); a MIG booking holds min(profile memory, card × slices / 8) so the
 * nominal sizes never over-book a card; the GPU's uuid is made up.
 *
 * Time-slicing and MPS are opaque claim configuration (`GpuConfig.sharing.strategy`), applied by the kubelet
 * plugin when the claim is prepared: the scheduler sees one device per claim and nothing of the sharing. Pods
 * share only by referencing one claim; the simulator's claims are per pod (a ResourceClaimTemplate), so a
 * TimeSlicing or MPS config changes no placement here.
 */
import type { NodeState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import { GPU_CORES, GPU_MILLI } from '../../model/units.ts';
import { chooseForm, demandOf, K8S_DRA_FORMS, translateDemand, type DraAlternative, type TranslateTarget } from '../../scenario/gpuDemand.ts';
import { layoutInstances, migBookedCores, migBookedMilli, migEnabled, migModelOf, type MigLayoutSpec, type MigModel } from '../../scenario/migCatalog.ts';
import { gpuIndexOf, type DraDeviceModel } from './deviceModel.ts';
import type { Device, DeviceClass, DeviceRequest, ExactRequest, ResourceClaim, ResourceSlice } from './types.ts';

export const NVIDIA_DRA_DRIVER = 'gpu.nvidia.com';
export const NVIDIA_GPU_CLASS = 'gpu.nvidia.com';
export const NVIDIA_MIG_CLASS = 'mig.nvidia.com';

/** Streaming multiprocessors per compute slice (A100: 14, 7g = 98). */
const SMS_PER_SLICE = 14;

const CLASSES: DeviceClass[] = [
  { name: NVIDIA_GPU_CLASS, selectors: [{ driver: NVIDIA_DRA_DRIVER }, { attribute: 'type', op: '==', value: 'gpu' }] },
  { name: NVIDIA_MIG_CLASS, selectors: [{ driver: NVIDIA_DRA_DRIVER }, { attribute: 'type', op: '==', value: 'mig' }] },
];

/** What a MIG device books: its compute slices, memory and placement. */
interface MigBookingInfo {
  g: number;
  memMiB: number;
  profile: string;
  start: number;
  size: number;
}

/** Options of the NVIDIA device model. */
export interface NvidiaDraOptions {
  /** The driver's DynamicMIG gate (with the scheduler's DRAPartitionableDevices). */
  dynamicMig: boolean;
  /** The MIG layout of a node's pool (static MIG when DynamicMIG is off); undefined = MIG disabled. */
  poolLayout(node: NodeState): MigLayoutSpec | undefined;
}

/** NVML GPU-instance profile ids, by compute slices and memory slices (nvml.h NVML_GPU_INSTANCE_PROFILE_*). */
function giProfileId(g: number, memSlices: number): number {
  if (g === 1) return memSlices === 1 ? 19 : 15;
  return g === 2 ? 14 : g === 3 ? 9 : g === 4 ? 5 : 0;
}

/** The driver's MIG device name, e.g. `gpu-0-mig-1g10gb-19-6`. */
export function migDeviceName(gpu: number, profile: string, g: number, memSlices: number, start: number): string {
  return `gpu-${gpu}-mig-${profile.replace(/\./g, '').replace(/\+/g, '-')}-${giProfileId(g, memSlices)}-${start}`;
}

/** The whole-GPU device of GPU `index`. */
function fullGpuDevice(node: NodeState, index: number): Device {
  const g = node.gpus[index];
  return {
    name: `gpu-${index}`,
    attributes: { type: { string: 'gpu' }, index: { int: index }, productName: { string: g.model }, uuid: { string: `GPU-${node.name}-${index}` } },
    capacity: { memory: { value: g.memMiB } },
  };
}

function migDevice(gpu: number, p: { name: string; g: number; memSlices: number; memMiB: number }, start: number): Device {
  return {
    name: migDeviceName(gpu, p.name, p.g, p.memSlices, start),
    attributes: { type: { string: 'mig' }, profile: { string: p.name }, parentIndex: { int: gpu }, placementStart: { int: start }, memorySlices: { int: p.memSlices } },
    capacity: { memory: { value: p.memMiB }, multiprocessors: { value: p.g * SMS_PER_SLICE } },
  };
}

/** The counter set of one MIG-capable GPU under DynamicMIG, and what its full device consumes (all of it). */
function counterSet(gpu: number, model: MigModel): { name: string; counters: Record<string, number> } {
  const counters: Record<string, number> = { multiprocessors: model.computeSlices * SMS_PER_SLICE };
  for (let k = 0; k < model.memorySlices; k++) counters[`memory-slice-${k}`] = 1;
  return { name: `gpu-${gpu}-counter-set`, counters };
}

const byName = (a: Device, b: Device): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** One GPU's slice. */
function gpuSlice(node: NodeState, index: number, opts: NvidiaDraOptions, count: number): ResourceSlice {
  const gpu = node.gpus[index];
  const model = migModelOf(gpu.model);
  const base = { name: `${node.name}-gpu-${index}`, driver: NVIDIA_DRA_DRIVER, pool: node.name, sliceCount: count, nodeName: node.name };
  const layout = opts.poolLayout(node);
  if (model && opts.dynamicMig) {
    const set = counterSet(index, model);
    const devices: Device[] = [{ ...fullGpuDevice(node, index), consumesCounters: [{ counterSet: set.name, counters: { ...set.counters } }] }];
    for (const p of model.profiles) {
      if (p.name.includes('+')) continue;
      for (const start of p.starts) {
        const counters: Record<string, number> = { multiprocessors: p.g * SMS_PER_SLICE };
        for (let k = start; k < start + p.memSlices; k++) counters[`memory-slice-${k}`] = 1;
        devices.push({ ...migDevice(index, p, start), consumesCounters: [{ counterSet: set.name, counters }] });
      }
    }
    return { ...base, sharedCounters: [set], devices: devices.sort(byName) };
  }
  if (model && migEnabled(layout)) {
    const inst = layoutInstances(gpu.model, layout!);
    const devices = inst.ok ? inst.instances.map((i) => migDevice(index, { name: i.profile, g: i.g, memSlices: i.size, memMiB: i.memMiB }, i.start)) : [];
    return { ...base, devices: devices.sort(byName) };
  }
  return { ...base, devices: [fullGpuDevice(node, index)] };
}

function exact(name: string, a: DraAlternative, count: number): ExactRequest {
  if (a.kind === 'mig') return { name, className: NVIDIA_MIG_CLASS, allocationMode: 'ExactCount', count, selectors: [{ attribute: 'profile', op: '==', value: a.profile }] };
  return { name, className: NVIDIA_GPU_CLASS, allocationMode: 'ExactCount', count };
}

/** The ResourceClaim of a DRA request: one request `gpu`, a prioritized list when there are alternatives. */
function claimOf(pod: Pod, alternatives: readonly DraAlternative[], count: number): ResourceClaim {
  let request: DeviceRequest;
  if (alternatives.length === 1) request = { name: 'gpu', exactly: exact('gpu', alternatives[0], count) };
  else request = { name: 'gpu', firstAvailable: alternatives.map((a) => exact(a.kind === 'mig' ? `mig-${a.profile}` : 'gpu', a, count)) };
  return { name: `${pod.name}-gpu`, requests: [request] };
}

/** The NVIDIA DRA driver's model: whole GPUs, static MIG instances, or DynamicMIG partitions. */
export function nvidiaDraModel(opts: NvidiaDraOptions): DraDeviceModel {
  /** Per node, the publishing of each MIG device: its GPU and compute slices and memory (for the booking). */
  const migInfo = new WeakMap<NodeState, Map<string, MigBookingInfo>>();
  const migModel = (node: NodeState, gpu: number): MigModel | undefined => migModelOf(node.gpus[gpu].model);
  return {
    driver: NVIDIA_DRA_DRIVER,
    features: { adminAccess: true, prioritizedList: true, partitionableDevices: opts.dynamicMig, deviceTaints: false, consumableCapacity: false },
    classes: CLASSES,
    slices(node: NodeState): ResourceSlice[] {
      const healthy = node.gpus.filter((g) => g.healthy);
      const slices = healthy.map((g) => gpuSlice(node, g.index, opts, healthy.length));
      const info = new Map<string, MigBookingInfo>();
      for (const s of slices) {
        for (const d of s.devices) {
          const mp = d.capacity?.multiprocessors;
          if (!mp) continue;
          const gpu = gpuIndexOf(d.name);
          const attr = (k: string): number => (d.attributes![k] as { int: number }).int;
          const size = attr('memorySlices');
          const share = Math.floor((node.gpus[gpu].memMiB * size) / (migModel(node, gpu)?.memorySlices ?? 8));
          const profile = (d.attributes!.profile as { string: string }).string;
          info.set(d.name, { g: mp.value / SMS_PER_SLICE, memMiB: Math.min(d.capacity!.memory.value, share), profile, start: attr('placementStart'), size });
        }
      }
      migInfo.set(node, info);
      return slices;
    },
    claims(pod, node) {
      if (pod.request.gpuCount === 0) return [];
      const d = demandOf(pod.request);
      const migDevices = migModelOf(node.gpuModel) !== undefined && (opts.dynamicMig || migEnabled(opts.poolLayout(node)));
      const target: TranslateTarget = { modelId: node.gpuModel, cardMemMiB: node.gpus[0]?.memMiB ?? 0, dra: { driver: 'nvidia', migDevices } };
      const form = chooseForm(d, K8S_DRA_FORMS);
      const req = translateDemand(d, form === 'mig' && !migDevices ? 'whole' : form, target);
      if (req.form === 'dra') return [claimOf(pod, req.alternatives, req.count)];
      if (req.form === 'mig') return [claimOf(pod, [{ kind: 'mig', profile: req.profile }], req.count)];
      return [claimOf(pod, [{ kind: 'gpu' }], d.count)];
    },
    booking(result, node) {
      const gpu = gpuIndexOf(result.device);
      const mig = migInfo.get(node)?.get(result.device);
      // The instance rides on the booking (GpuBooking.mig): the sharing model isolates it and the views draw it.
      if (mig) return { gpu, milli: migBookedMilli(mig.g), memMiB: mig.memMiB, cores: migBookedCores(mig.g), slots: 1, mig: { profile: mig.profile, g: mig.g, start: mig.start, size: mig.size } };
      return { gpu, milli: GPU_MILLI, memMiB: node.gpus[gpu].memMiB, cores: GPU_CORES, slots: 1 };
    },
    heldBy(booking) {
      const m = booking.mig;
      return { device: m ? migDeviceName(booking.gpu, m.profile, m.g, m.size, m.start) : `gpu-${booking.gpu}` };
    },
  };
}
