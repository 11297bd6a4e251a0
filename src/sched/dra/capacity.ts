/**
 * Consumable capacity (KEP-5075, feature gate DRAConsumableCapacity, alpha in v1.34): what one request takes
 * from a device's capacities, rounded by each capacity's request policy. Rules from kubernetes
 * staging/src/k8s.io/dynamic-resource-allocation/structured/internal/experimental/consumable_capacity.go
 * (v0.34.0), summarised in domain-mig-dra.md §6.7.3 step 5.
 */
import type { CapacityRequestPolicy, Device } from './types.ts';

/**
 * The amount a request of `requested` consumes under `policy`: below `validRange.min` → min; with a step →
 * min + ceil((req − min) / step) · step; with `validValues` → the smallest listed value ≥ req (none: unchanged).
 */
export function roundCapacityRequest(requested: number, policy: CapacityRequestPolicy | undefined): number {
  if (!policy) return requested;
  const range = policy.validRange;
  if (range) {
    if (requested < range.min) return range.min;
    if (range.step !== undefined && range.step > 0) return range.min + Math.ceil((requested - range.min) / range.step) * range.step;
    return requested;
  }
  if (policy.validValues) {
    for (const v of policy.validValues) if (v >= requested) return v;
  }
  return requested;
}

/**
 * Why a consumed amount breaks the policy, or null: the default never does; `validRange` refuses more than
 * `max` or an amount off the step grid; `validValues` refuses an unlisted amount.
 */
export function capacityPolicyViolation(consumed: number, policy: CapacityRequestPolicy | undefined): string | null {
  if (!policy || consumed === policy.default) return null;
  const range = policy.validRange;
  if (range) {
    if (range.max !== undefined && consumed > range.max) return `${consumed} is over the request policy's maximum ${range.max}`;
    if (range.step !== undefined && range.step > 0 && (consumed - range.min) % range.step !== 0) return `${consumed} is not min ${range.min} + a multiple of step ${range.step}`;
    return null;
  }
  if (policy.validValues && !policy.validValues.includes(consumed)) return `${consumed} is not one of ${policy.validValues.join(', ')}`;
  return null;
}

/** What a request takes from each capacity of a device, or why it cannot use the device at all. */
export type CapacityDemand = { ok: true; consumed: Record<string, number> } | { ok: false; capacity: string; why: string };

/**
 * Per capacity of `device`: the request's amount rounded by the policy; a capacity the request does not name
 * consumes the policy's `default`, or the whole `value` without a policy (an unrestricted request takes the entire
 * device). A request naming a capacity the device lacks, or an amount the policy forbids, cannot use the device.
 */
export function capacityDemand(device: Device, requested: Readonly<Record<string, number>> | undefined): CapacityDemand {
  const caps = device.capacity ?? {};
  if (requested) {
    for (const name of Object.keys(requested)) if (!(name in caps)) return { ok: false, capacity: name, why: `device ${device.name} has no capacity ${name}` };
  }
  const consumed: Record<string, number> = {};
  for (const [name, cap] of Object.entries(caps)) {
    const want = requested?.[name];
    if (want === undefined) {
      consumed[name] = cap.requestPolicy?.default ?? cap.value;
      continue;
    }
    const amount = roundCapacityRequest(want, cap.requestPolicy);
    const bad = capacityPolicyViolation(amount, cap.requestPolicy);
    if (bad) return { ok: false, capacity: name, why: bad };
    consumed[name] = amount;
  }
  return { ok: true, consumed };
}

/**
 * The first capacity whose allocated + in-flight + consumed amount exceeds the device's value, or null when the
 * demand fits.
 */
export function capacityOverflow(
  device: Device,
  consumed: Readonly<Record<string, number>>,
  allocated: Readonly<Record<string, number>> | undefined,
  inFlight: Readonly<Record<string, number>> | undefined,
): string | null {
  for (const [name, cap] of Object.entries(device.capacity ?? {})) {
    const used = (allocated?.[name] ?? 0) + (inFlight?.[name] ?? 0) + (consumed[name] ?? 0);
    if (used > cap.value) return name;
  }
  return null;
}
