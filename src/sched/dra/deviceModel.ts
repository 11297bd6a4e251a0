/**
 * What a DRA driver publishes for one simulated node, and how an allocation maps back onto the cluster's GPU
 * bookings. Two drivers implement it: the NVIDIA DRA driver (./nvidiaDriver.ts) and HAMi-DRA (./hamiDriver.ts).
 */
import type { NodeState } from '../../model/cluster.ts';
import type { GpuBooking, Pod } from '../../model/pod.ts';
import type { DeviceClass, DeviceResult, DraFeatures, ResourceClaim, ResourceSlice } from './types.ts';

/** A DRA driver's view of the simulated cluster. */
export interface DraDeviceModel {
  /** The driver name (`gpu.nvidia.com`, `gpu.project-hami.io`). */
  readonly driver: string;
  /** The feature gates the profile needs on (e.g. DRAConsumableCapacity for HAMi-DRA). */
  readonly features: DraFeatures;
  /** The DeviceClasses the driver's chart installs. */
  readonly classes: readonly DeviceClass[];
  /** The ResourceSlices of one node (static: they depend on the node's hardware only). */
  slices(node: NodeState): ResourceSlice[];
  /** The pod's claims as its ResourceClaimTemplate (or the webhook) would generate them; [] = no GPU. */
  claims(pod: Pod, node: NodeState): ResourceClaim[];
  /** The booking one allocated device puts on the node's GPUs. */
  booking(result: DeviceResult, node: NodeState): GpuBooking;
  /**
   * What a pod bound without a DRA allocation (a scenario's existing pod) holds, as allocated devices or consumed
   * capacity (so the allocator does not hand its GPU out again).
   */
  heldBy(booking: GpuBooking, node: NodeState): { device: string; capacity?: Record<string, number> };
}

/** The GPU index a device name `…gpu-<i>…` refers to (both drivers name devices after the GPU's minor number). */
export function gpuIndexOf(device: string): number {
  const m = /gpu-(\d+)/.exec(device);
  return m ? Number(m[1]) : -1;
}
