/**
 * The NVIDIA DRA driver's device model (NVIDIA/k8s-dra-driver-gpu @ 2240711, module
 * sigs.k8s.io/dra-driver-nvidia-gpu; domain-mig-dra.md §6.7.6). DeviceClasses (deployments/helm/…/
 * deviceclass-*.yaml): `gpu.nvidia.com` = driver and `type == 'gpu'`, `mig.nvidia.com` = `type == 'mig'`. One
 * pool per node (pool name = node name); the v1.34 layout has one slice per GPU (`driver.go`
 * generateCombinedResourceSlices). A GPU without MIG is device `gpu-<minor>` with attributes type, uuid,
 * productName, index and capacity memory.
 *
 * Time-slicing and MPS are opaque claim configuration (`GpuConfig.sharing.strategy`), applied by the kubelet
 * plugin when the claim is prepared: the scheduler sees one device per claim and nothing of the sharing. Pods
 * share only by referencing one claim; the simulator's claims are per pod (a ResourceClaimTemplate), so a
 * TimeSlicing or MPS config changes no placement here (docs/fidelity.md).
 */
import type { NodeState } from '../../model/cluster.ts';
import type { Pod } from '../../model/pod.ts';
import { GPU_CORES, GPU_MILLI } from '../../model/units.ts';
import { gpuIndexOf, type DraDeviceModel } from './deviceModel.ts';
import type { DeviceClass, Device, ResourceClaim, ResourceSlice } from './types.ts';

export const NVIDIA_DRA_DRIVER = 'gpu.nvidia.com';
export const NVIDIA_GPU_CLASS = 'gpu.nvidia.com';
export const NVIDIA_MIG_CLASS = 'mig.nvidia.com';

const CLASSES: DeviceClass[] = [
  { name: NVIDIA_GPU_CLASS, selectors: [{ driver: NVIDIA_DRA_DRIVER }, { attribute: 'type', op: '==', value: 'gpu' }] },
  { name: NVIDIA_MIG_CLASS, selectors: [{ driver: NVIDIA_DRA_DRIVER }, { attribute: 'type', op: '==', value: 'mig' }] },
];

/** Options of the NVIDIA device model. */
export interface NvidiaDraOptions {
  /** The driver's DynamicMIG gate (needs DRAPartitionableDevices in the scheduler). */
  dynamicMig: boolean;
}

/** The whole-GPU device of GPU `index`. */
export function fullGpuDevice(node: NodeState, index: number): Device {
  const g = node.gpus[index];
  return {
    name: `gpu-${index}`,
    attributes: { type: { string: 'gpu' }, index: { int: index }, productName: { string: g.model }, uuid: { string: `GPU-${node.name}-${index}` } },
    capacity: { memory: { value: g.memMiB } },
  };
}

/** The claim of a pod that wants whole GPUs: one ExactCount request `gpu` of class gpu.nvidia.com. */
export function wholeGpuClaim(pod: Pod): ResourceClaim {
  return { name: `${pod.name}-gpu`, requests: [{ name: 'gpu', exactly: { name: 'gpu', className: NVIDIA_GPU_CLASS, allocationMode: 'ExactCount', count: pod.request.gpuCount } }] };
}

/** The NVIDIA DRA driver's model with whole GPUs only (DynamicMIG off). */
export function nvidiaDraModel(): DraDeviceModel {
  return {
    driver: NVIDIA_DRA_DRIVER,
    features: { adminAccess: true, prioritizedList: true, partitionableDevices: false, deviceTaints: false, consumableCapacity: false },
    classes: CLASSES,
    slices(node: NodeState): ResourceSlice[] {
      const healthy = node.gpus.filter((g) => g.healthy);
      return healthy.map((g) => ({ name: `${node.name}-gpu-${g.index}`, driver: NVIDIA_DRA_DRIVER, pool: node.name, sliceCount: healthy.length, nodeName: node.name, devices: [fullGpuDevice(node, g.index)] }));
    },
    claims(pod) {
      return pod.request.gpuCount === 0 ? [] : [wholeGpuClaim(pod)];
    },
    booking(result, node) {
      const gpu = gpuIndexOf(result.device);
      return { gpu, milli: GPU_MILLI, memMiB: node.gpus[gpu].memMiB, cores: GPU_CORES, slots: 1 };
    },
    heldBy(booking) {
      return { device: `gpu-${booking.gpu}` };
    },
  };
}
