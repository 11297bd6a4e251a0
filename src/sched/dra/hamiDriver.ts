/**
 * HAMi-DRA's device model (domain-mig-dra.md §6.7.7). Driver Project-HAMi/k8s-dra-driver
 * `cmd/hami-kubelet-plugin/hami_core.go`: one device `hami-gpu-<minor>` per GPU, `allowMultipleAllocations`,
 * capacity `cores` {100, default 100, validRange 0..100 step 1} and `memory` {card, default card, validRange
 * 1 MiB..card step 1 MiB}; DeviceClass `hami-core-gpu.project-hami.io` selects driver and `type == "hami-gpu"`.
 * Webhook Project-HAMi/HAMi-DRA `pkg/webhook/dra/mutating.go`: a container's `nvidia.com/gpu: N` becomes one
 * ExactCount request `gpu` of count N with `capacity.requests` cores = gpucores and memory = gpumem, each only
 * when set. Needs DRAConsumableCapacity (alpha in v1.34).
 *
 * Units here: memory in MiB (the webhook sends whole MiB, so the 1 MiB step never rounds). A share that omits
 * gpucores consumes the default 100 cores, one that omits gpumem the card's whole memory (derived from
 * consumable_capacity.go; no upstream test).
 */
import type { NodeState } from '../../model/cluster.ts';
import { GPU_MILLI } from '../../model/units.ts';
import { chooseForm, demandOf, HAMI_DRA_FORMS, translateDemand } from '../../scenario/gpuDemand.ts';
import { gpuIndexOf, type DraDeviceModel } from './deviceModel.ts';
import type { DeviceClass, ResourceClaim, ResourceSlice } from './types.ts';

export const HAMI_DRA_DRIVER = 'gpu.project-hami.io';
export const HAMI_DRA_CLASS = 'hami-core-gpu.project-hami.io';

const CLASSES: DeviceClass[] = [{ name: HAMI_DRA_CLASS, selectors: [{ driver: HAMI_DRA_DRIVER }, { attribute: 'type', op: '==', value: 'hami-gpu' }] }];

/** The HAMi-DRA device model. */
export const hamiDraModel: DraDeviceModel = {
  driver: HAMI_DRA_DRIVER,
  features: { adminAccess: true, prioritizedList: true, partitionableDevices: false, deviceTaints: false, consumableCapacity: true },
  classes: CLASSES,
  slices(node: NodeState): ResourceSlice[] {
    return [
      {
        name: `${node.name}-hami`,
        driver: HAMI_DRA_DRIVER,
        pool: node.name,
        nodeName: node.name,
        devices: node.gpus
          .filter((g) => g.healthy)
          .map((g) => ({
            name: `hami-gpu-${g.index}`,
            allowMultipleAllocations: true,
            attributes: { type: { string: 'hami-gpu' }, minor: { int: g.index }, productName: { string: g.model }, uuid: { string: `GPU-${node.name}-${g.index}` } },
            capacity: {
              cores: { value: g.cores, requestPolicy: { default: g.cores, validRange: { min: 0, max: g.cores, step: 1 } } },
              memory: { value: g.memMiB, requestPolicy: { default: g.memMiB, validRange: { min: 1, max: g.memMiB, step: 1 } } },
            },
          })),
      },
    ];
  },
  claims(pod, node): ResourceClaim[] {
    const r = pod.request;
    if (r.gpuCount === 0) return [];
    // The demand's `dra` form (a `hami` pin asks the same); a `whole` pin asks no capacity: the defaults take the card.
    const d = demandOf(r);
    const whole = chooseForm(d, HAMI_DRA_FORMS) === 'whole';
    const req = translateDemand(d, whole ? 'whole' : 'dra', { modelId: node.gpuModel, cardMemMiB: node.gpus[0]?.memMiB ?? 0, dra: { driver: 'hami', migDevices: false } });
    const capacity: Record<string, number> = {};
    const alt = req.form === 'dra' ? req.alternatives[0] : null;
    if (alt?.kind === 'hami') {
      if (alt.cores !== undefined) capacity.cores = alt.cores;
      if (alt.memMiB !== undefined) capacity.memory = alt.memMiB;
    }
    return [
      {
        name: `${pod.name}-gpu`,
        requests: [
          {
            name: 'gpu',
            exactly: { name: 'gpu', className: HAMI_DRA_CLASS, allocationMode: 'ExactCount', count: r.gpuCount, selectors: [{ attribute: 'type', op: '==', value: 'hami-gpu' }], capacity },
          },
        ],
      },
    ];
  },
  booking(result, node) {
    const gpu = gpuIndexOf(result.device);
    const cores = result.consumedCapacity?.cores ?? node.gpus[gpu].cores;
    const memMiB = result.consumedCapacity?.memory ?? node.gpus[gpu].memMiB;
    // milli follows the cores share, so Σ milli ≤ 1000 exactly when Σ cores ≤ 100 (what the capacity enforces).
    return { gpu, milli: Math.floor((cores * GPU_MILLI) / node.gpus[gpu].cores), memMiB, cores, slots: 1 };
  },
  heldBy(booking) {
    return { device: `hami-gpu-${booking.gpu}`, capacity: { cores: booking.cores, memory: booking.memMiB } };
  },
};
