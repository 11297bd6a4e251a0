/**
 * Volcano's proportion plugin (pkg/scheduler/plugins/proportion/proportion.go, Volcano v1.15): per-queue
 * deserved resources by weighted water-filling, realCapability, share, queue order, overused, allocatable,
 * job enqueue admission and reclaimable victims. Float arithmetic, as upstream.
 */
import { addTo, clone, diff, dominantShare, equal, exceededPart, infinite, isEmpty, leq, leqWithDimension, max, minInto, subFrom, zero, type Res } from './resource.ts';

/** A queue as the session sees it. */
export interface QueueSpec {
  name: string;
  /** Weight (default 1). */
  weight: number;
  /** Capability; Infinity where not set. */
  capability: Res;
  /** Guarantee; 0 where not set. */
  guarantee: Res;
  reclaimable: boolean;
  priority: number;
  /** Queue state Open (false = Closed or Closing: no job is enqueued and no task allocated). */
  open: boolean;
  /** Creation order (Volcano's fallback queue order: creation time, then UID). */
  order: number;
}

/** Per-queue attributes of one session (proportion's queueAttr). */
export interface QueueAttr {
  spec: QueueSpec;
  deserved: Res;
  allocated: Res;
  request: Res;
  /** Σ over jobs of max(allocated − minResources, 0). */
  elastic: Res;
  /** Resources reserved by Inqueue jobs (and Running jobs still short of their minResources). */
  inqueue: Res;
  realCapability: Res;
  share: number;
}

/** A fresh attribute record for a queue. */
export function newQueueAttr(spec: QueueSpec): QueueAttr {
  return { spec, deserved: zero(), allocated: zero(), request: zero(), elastic: zero(), inqueue: zero(), realCapability: infinite(), share: 0 };
}

/** realCapability = min(capability, max(total − Σ guarantees, 0) + own guarantee). */
export function realCapability(total: Res, totalGuarantee: Res, spec: QueueSpec): Res {
  return minInto(addTo(exceededPart(total, totalGuarantee), spec.guarantee), spec.capability);
}

/** share = max over the deserved dimensions (≥ minResource) of allocated/deserved. */
export function updateShare(attr: QueueAttr): void {
  attr.share = dominantShare(attr.allocated, attr.deserved);
}

/**
 * A queue's weight as water-filling uses it: a zero, negative or non-finite weight (which Volcano's admission
 * rejects and validation bounds, but a conformance case or a hand-made session may carry) counts as 0, the share of a
 * weight-0 queue, so the rounds neither hand out more than `remaining` nor loop on NaN.
 */
function shareWeight(w: number): number {
  return Number.isFinite(w) && w > 0 ? w : 0;
}

/**
 * Water-filling of `total` over the queues (those that have jobs), in place on each attr.deserved. Each round
 * every unsatisfied queue gets remaining·w/Σw (remaining fixed for the round); then deserved =
 * min(deserved, realCapability), min(…, request); the queue leaves once request ≤ deserved or its deserved
 * stopped changing; deserved = max(deserved, guarantee). remaining −= Σ increases − Σ decreases; stop when
 * nothing remains or remaining did not change.
 */
export function waterFill(total: Res, attrs: readonly QueueAttr[]): void {
  const remaining = clone(total);
  const meet = new Set<QueueAttr>();
  for (;;) {
    let totalWeight = 0;
    for (const a of attrs) if (!meet.has(a)) totalWeight += shareWeight(a.spec.weight);
    if (totalWeight === 0) break;
    const oldRemaining = clone(remaining);
    const increased = zero();
    const decreased = zero();
    for (const a of attrs) {
      if (meet.has(a)) continue;
      const oldDeserved = clone(a.deserved);
      const f = shareWeight(a.spec.weight) / totalWeight;
      addTo(a.deserved, [remaining[0] * f, remaining[1] * f, remaining[2] * f, remaining[3] * f]);
      minInto(a.deserved, a.realCapability);
      minInto(a.deserved, a.request);
      if (leq(a.request, a.deserved)) meet.add(a);
      else if (equal(a.deserved, oldDeserved)) meet.add(a);
      a.deserved = max(a.deserved, a.spec.guarantee);
      updateShare(a);
      const [inc, dec] = diff(a.deserved, oldDeserved);
      addTo(increased, inc);
      addTo(decreased, dec);
    }
    subFrom(remaining, increased);
    addTo(remaining, decreased);
    if (isEmpty(remaining) || equal(remaining, oldRemaining)) break;
  }
}

/** Overused: deserved ≤ allocated on every dimension, `pods` included (allocate then skips the queue). */
export function overused(attr: QueueAttr): boolean {
  return leq(attr.deserved, attr.allocated);
}

/**
 * Allocatable (proportion.go queueAllocatable): false for a queue that is not Open (Closed, or Closing while it
 * still holds admitted jobs); else allocated + request ≤ deserved on the dimensions the task requests.
 */
export function allocatable(attr: QueueAttr, req: Res): boolean {
  if (!attr.spec.open) return false;
  return leqWithDimension(addTo(clone(attr.allocated), req), attr.deserved, req);
}

/**
 * Job enqueue admission: a closed queue rejects; otherwise minResources + allocated + inqueue − elastic ≤
 * realCapability on the dimensions the job's minResources asks for.
 */
export function jobEnqueueable(attr: QueueAttr, minResources: Res): boolean {
  if (!attr.spec.open) return false;
  const toBeUsed = subFrom(addTo(addTo(clone(minResources), attr.allocated), attr.inqueue), attr.elastic);
  return leqWithDimension(toBeUsed, attr.realCapability, minResources);
}
