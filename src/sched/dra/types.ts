/**
 * The DRA objects the structured allocator reads (`resource.k8s.io/v1`, Kubernetes v1.34: k8s.io/api
 * `resource/v1/types.go`), as plain data. Names follow the API; quantities are integers in the unit the
 * publisher chose (the simulator's device models use MiB for memory, percent for cores, 1 per memory slice).
 * Attribute and capacity names are unqualified and live in the domain of the slice's driver
 * (domain-mig-dra.md §6.7.1).
 */

/** One typed attribute value (exactly one field set, as `DeviceAttribute`). */
export type AttributeValue = { int: number } | { string: string } | { bool: boolean } | { version: string };

/** `CapacityRequestPolicy` (KEP-5075, DRAConsumableCapacity): default, then one of validValues / validRange. */
export interface CapacityRequestPolicy {
  default?: number;
  /** Ascending allowed amounts. */
  validValues?: number[];
  validRange?: { min: number; max?: number; step?: number };
}

/** `DeviceCapacity`: how much the device has and, for consumable capacity, how requests are rounded. */
export interface DeviceCapacity {
  value: number;
  requestPolicy?: CapacityRequestPolicy;
}

/** `DeviceTaint` (DRADeviceTaints). */
export interface DeviceTaint {
  key: string;
  value?: string;
  effect: string;
}

/** `DeviceToleration`: an empty key or effect matches any; Exists ignores the value. */
export interface DeviceToleration {
  operator: 'Exists' | 'Equal';
  key?: string;
  value?: string;
  effect?: string;
}

/** Node selection of a slice, or of one device in a `perDeviceNodeSelection` slice: exactly one is set. */
export interface NodeSelection {
  nodeName?: string;
  allNodes?: boolean;
  /** One node-selector term, operator In, all requirements ANDed. */
  nodeSelector?: NodeSelectorTerm;
}

/** One node-selector term with `In` requirements: label key → allowed values; field `metadata.name` → names. */
export interface NodeSelectorTerm {
  matchExpressions?: Record<string, string[]>;
  matchFields?: Record<string, string[]>;
}

/** `Device` of a ResourceSlice. */
export interface Device extends NodeSelection {
  name: string;
  attributes?: Record<string, AttributeValue>;
  capacity?: Record<string, DeviceCapacity>;
  /** `consumesCounters`: what allocating this device takes from the slice's shared counter sets. */
  consumesCounters?: { counterSet: string; counters: Record<string, number> }[];
  allowMultipleAllocations?: boolean;
  taints?: DeviceTaint[];
}

/** `ResourceSlice`. */
export interface ResourceSlice extends NodeSelection {
  name: string;
  driver: string;
  pool: string;
  /** Pool generation (default 1): only the highest generation of a pool counts. */
  generation?: number;
  /** `pool.resourceSliceCount` (default 1). */
  sliceCount?: number;
  perDeviceNodeSelection?: boolean;
  sharedCounters?: { name: string; counters: Record<string, number> }[];
  devices: Device[];
}

/**
 * A selector term, the CEL expressions the simulator needs in translated form: `device.driver == d`,
 * `device.allowMultipleAllocations == b`, `device.attributes[driver].name <op> value`,
 * `device.capacity[driver].name.compareTo(quantity(v)) <op> 0`.
 */
export type Selector =
  | { driver: string }
  | { allowMultipleAllocations: boolean }
  | { attribute: string; op: CompareOp; value: number | string | boolean }
  | { capacity: string; op: CompareOp; value: number };

export type CompareOp = '==' | '!=' | '>=' | '>' | '<=' | '<';

/** `DeviceClass`. */
export interface DeviceClass {
  name: string;
  selectors: Selector[];
}

/** `ExactDeviceRequest` (or a `DeviceSubRequest`, which lacks adminAccess). */
export interface ExactRequest {
  name: string;
  className: string;
  allocationMode: 'ExactCount' | 'All';
  /** ExactCount only (default 1). */
  count?: number;
  selectors?: Selector[];
  adminAccess?: boolean;
  tolerations?: DeviceToleration[];
  /** `capacity.requests` (DRAConsumableCapacity): name → amount. */
  capacity?: Record<string, number>;
}

/** `DeviceRequest`: exactly one of `exactly` and `firstAvailable` (a prioritized list, DRAPrioritizedList). */
export interface DeviceRequest {
  name: string;
  exactly?: ExactRequest;
  firstAvailable?: ExactRequest[];
}

/** `DeviceConstraint`: `requests` empty = every request; a parent name covers its subrequests. */
export interface DeviceConstraint {
  requests?: string[];
  matchAttribute?: string;
  distinctAttribute?: string;
}

/** A `ResourceClaim`'s spec.devices (configs are left out: they do not change placement). */
export interface ResourceClaim {
  name: string;
  requests: DeviceRequest[];
  constraints?: DeviceConstraint[];
}

/** The allocator's feature switches (`structured.Features`), each a v1.34 feature gate. */
export interface DraFeatures {
  adminAccess: boolean;
  prioritizedList: boolean;
  partitionableDevices: boolean;
  deviceTaints: boolean;
  consumableCapacity: boolean;
}

/** The feature gates of a default v1.34 cluster: AdminAccess and PrioritizedList beta (on), the rest alpha (off). */
export const V134_DEFAULT_FEATURES: DraFeatures = Object.freeze({
  adminAccess: true,
  prioritizedList: true,
  partitionableDevices: false,
  deviceTaints: false,
  consumableCapacity: false,
});

/** A device's identity: driver, pool, device name. */
export interface DeviceId {
  driver: string;
  pool: string;
  device: string;
}

/** One allocated device of a claim (`DeviceRequestAllocationResult`). */
export interface DeviceResult extends DeviceId {
  /** `req` or `req/sub` for a prioritized-list request. */
  request: string;
  adminAccess?: boolean;
  /** Set for a multi-allocatable device (a fresh ShareID was issued): what this share consumes. */
  consumedCapacity?: Record<string, number>;
  share?: boolean;
}

/** The allocation of one claim. */
export interface ClaimAllocation {
  claim: string;
  devices: DeviceResult[];
  /** null: usable on every node; else the one term the pods must match. */
  nodeSelector: NodeSelectorTerm | null;
}

/** What other claims already hold (the scheduler's allocated state). */
export interface AllocatedState {
  /** Devices allocated for dedicated use, keyed `driver/pool/device`. */
  devices: ReadonlySet<string>;
  /** Capacity already consumed on multi-allocatable devices, keyed `driver/pool/device`. */
  capacity: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

/** Everything one `Allocate(node, claims)` call reads. */
export interface AllocateInput {
  node: { name: string; labels: Readonly<Record<string, string>> };
  classes: readonly DeviceClass[];
  slices: readonly ResourceSlice[];
  allocated: AllocatedState;
  claims: readonly ResourceClaim[];
  features: DraFeatures;
}

/** Kinds of allocator errors (upstream `Allocate` returned an error: the pod gets an Error status, not Unschedulable). */
export type AllocateErrorKind =
  | 'pool_invalid'
  | 'pool_incomplete_for_all'
  | 'constraint_unsatisfiable_for_all'
  | 'feature_disabled'
  | 'unknown_class'
  | 'invalid_request'
  | 'too_many_devices'
  | 'cel_runtime';

/**
 * The three outcomes of one allocation, as the scheduler plugin tells them apart (domain-mig-dra.md §6.7.5):
 * `allocated` (every claim got its devices), `unschedulable` (no solution on this node: the node is rejected;
 * `blocked` counts why candidates were refused, for "why here?"), `error` (broken input or a fatal search
 * condition: the pod's attempt fails with an Error status naming the field).
 */
export type AllocateOutcome =
  | { kind: 'allocated'; claims: ClaimAllocation[] }
  | { kind: 'unschedulable'; blocked: Record<string, number> }
  | { kind: 'error'; error: AllocateErrorKind; message: string };

/** The key of a device in the allocated state. */
export function deviceKey(id: DeviceId): string {
  return `${id.driver}/${id.pool}/${id.device}`;
}
