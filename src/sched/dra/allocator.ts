/**
 * The Kubernetes v1.34 structured allocator for one node (`structured.Allocator.Allocate`), as a pure function.
 * Rules read from kubernetes/dynamic-resource-allocation @ v0.34.0 (the published copy of
 * staging/src/k8s.io/dynamic-resource-allocation), files under `structured/internal/experimental/`
 * (the implementation a default v1.34 cluster runs, domain-mig-dra.md §6.7.2): `pools_experimental.go`
 * (GatherPools), `allocator_experimental.go` (Allocate, validateDeviceRequest, allocateOne, allocateDevice,
 * checkAvailableCounters, the constraints), `consumable_capacity.go` (here ./capacity.ts). Summary and the
 * defects we do not reproduce: domain-mig-dra.md §6.7.3–6.7.4 and docs/fidelity.md.
 *
 * What it does: gather the pools visible on the node, validate every request (an invalid one is an **error**,
 * not a misfit), then a depth-first search with backtracking over claims → requests → (subrequests) → devices
 * that returns the **first** complete solution: no score in v1.34. Devices are tried in pool/slice/device order;
 * pool order is unspecified upstream (a Go map), so we fix it: pools by (driver, pool name), slices in list
 * order, devices as listed.
 *
 * Deliberate choices (docs/fidelity.md): counters reserved by a candidate that a taint or constraint then refuses
 * are released (kubernetes#140436 is fixed in the upstream fix's way), the consumable-capacity re-check looks at
 * the candidate (commit 5c9dd88), `distinctAttribute` compares values (commit e5c5ce5). The v1.34 per-node filter
 * timeout is not modelled: the search always finishes.
 */
import { capacityDemand, capacityOverflow } from './capacity.ts';
import {
  deviceKey,
  type AllocateErrorKind,
  type AllocateInput,
  type AllocateOutcome,
  type AttributeValue,
  type ClaimAllocation,
  type CompareOp,
  type Device,
  type DeviceClass,
  type DeviceConstraint,
  type DeviceResult,
  type ExactRequest,
  type NodeSelectorTerm,
  type ResourceSlice,
  type Selector,
} from './types.ts';

/** `resourceapi.AllocationResultsMaxSize`: at most 32 device results per claim. */
export const ALLOCATION_RESULTS_MAX = 32;

/** A fatal condition: `Allocate` returns an error (the scheduler's Error status, not Unschedulable). */
export class AllocatorError extends Error {
  constructor(
    readonly kind: AllocateErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** One pool as GatherPools leaves it. */
export interface Pool {
  driver: string;
  pool: string;
  slices: ResourceSlice[];
  /** Slice count ≠ resourceSliceCount: still usable by ExactCount, refused by All. */
  incomplete: boolean;
  /** Two devices share a name: an error when the search reaches it. */
  invalid: string | null;
}

/** True when the node matches a node-selector term (In requirements on labels and on `metadata.name`). */
export function nodeMatches(term: NodeSelectorTerm, node: { name: string; labels: Readonly<Record<string, string>> }): boolean {
  for (const [key, values] of Object.entries(term.matchExpressions ?? {})) {
    const v = node.labels[key];
    if (v === undefined || !values.includes(v)) return false;
  }
  for (const [field, values] of Object.entries(term.matchFields ?? {})) {
    if (field !== 'metadata.name' || !values.includes(node.name)) return false;
  }
  return true;
}

function selectionMatches(sel: { nodeName?: string; allNodes?: boolean; nodeSelector?: NodeSelectorTerm }, node: AllocateInput['node']): boolean {
  if (sel.nodeName !== undefined) return sel.nodeName === node.name;
  if (sel.allNodes) return true;
  if (sel.nodeSelector) return nodeMatches(sel.nodeSelector, node);
  return false;
}

/**
 * GatherPools (pools_experimental.go): the slices visible on the node, grouped by (driver, pool), keeping only
 * the highest generation of each pool; per-device node selection only with PartitionableDevices.
 */
export function gatherPools(input: Pick<AllocateInput, 'node' | 'slices' | 'features'>): Pool[] {
  const byKey = new Map<string, { gen: number; slices: ResourceSlice[] }>();
  for (const s of input.slices) {
    if (s.perDeviceNodeSelection) {
      if (!input.features.partitionableDevices) continue;
      if (!s.devices.some((d) => selectionMatches(d, input.node))) continue;
    } else if (!selectionMatches(s, input.node)) continue;
    const key = `${s.driver}\u0000${s.pool}`;
    const gen = s.generation ?? 1;
    const entry = byKey.get(key);
    if (!entry || gen > entry.gen) byKey.set(key, { gen, slices: [s] });
    else if (gen === entry.gen) entry.slices.push(s);
  }
  const pools: Pool[] = [];
  for (const [key, { slices }] of byKey) {
    const [driver, pool] = key.split('\u0000');
    const names = new Set<string>();
    let invalid: string | null = null;
    for (const s of slices) {
      for (const d of s.devices) {
        if (names.has(d.name) && invalid === null) invalid = `pool ${pool} of driver ${driver} lists device ${d.name} twice`;
        names.add(d.name);
      }
    }
    pools.push({ driver, pool, slices, incomplete: slices.length !== (slices[0].sliceCount ?? 1), invalid });
  }
  pools.sort((a, b) => (a.driver < b.driver ? -1 : a.driver > b.driver ? 1 : a.pool < b.pool ? -1 : a.pool > b.pool ? 1 : 0));
  return pools;
}

/** An attribute by qualified name (`domain/name`) or by bare name in the device's driver domain. */
function lookupAttribute(device: Device, driver: string, name: string): AttributeValue | undefined {
  const attrs = device.attributes ?? {};
  if (name in attrs) return attrs[name];
  const slash = name.indexOf('/');
  if (slash < 0 || name.slice(0, slash) !== driver) return undefined;
  return attrs[name.slice(slash + 1)];
}

function scalarOf(v: AttributeValue): number | string | boolean {
  if ('int' in v) return v.int;
  if ('string' in v) return v.string;
  if ('bool' in v) return v.bool;
  return v.version;
}

function compare(a: number | string | boolean, op: CompareOp, b: number | string | boolean): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
  }
  return false;
}

/**
 * One selector term on one device (the CEL environment: driver, allowMultipleAllocations, attributes and
 * capacity of the device's domain). A term naming an attribute or capacity the device lacks is CEL's "no such
 * key" runtime error, which aborts the whole allocation.
 */
function selectorMatches(sel: Selector, device: Device, driver: string): boolean {
  if ('driver' in sel) return driver === sel.driver;
  if ('allowMultipleAllocations' in sel) return (device.allowMultipleAllocations ?? false) === sel.allowMultipleAllocations;
  if ('attribute' in sel) {
    const v = lookupAttribute(device, driver, sel.attribute);
    if (v === undefined) throw new AllocatorError('cel_runtime', `selector on attribute ${sel.attribute}: device ${device.name} has no such key`);
    return compare(scalarOf(v), sel.op, sel.value);
  }
  const cap = device.capacity?.[sel.capacity];
  if (cap === undefined) throw new AllocatorError('cel_runtime', `selector on capacity ${sel.capacity}: device ${device.name} has no such key`);
  return compare(cap.value, sel.op, sel.value);
}

/** One device as the search sees it. */
interface Candidate {
  device: Device;
  slice: ResourceSlice;
  pool: Pool;
  key: string;
  /** Position in the search's device order (caches are arrays by it). */
  index: number;
}

/** A request (or subrequest) after validation. */
interface RequestData {
  req: ExactRequest;
  cls: DeviceClass;
  /** Parent request name for a subrequest, else null. */
  parent: string | null;
  numDevices: number;
  /** All mode: the precomputed devices. */
  all: Candidate[] | null;
  /** `req` or `req/sub`. */
  name: string;
  /** Per candidate index: 1 selectable, 0 not, -1 not evaluated yet (isSelectable's cache). */
  selectable: Int8Array;
  /** Per candidate index: what the request consumes there (consumable capacity), computed once. */
  demand: (ReturnType<typeof capacityDemand> | undefined)[];
  /** The "why" tally's reasons, built once. */
  inUseReason: string;
  noMatchReason: string;
}

/** A claim constraint with add/remove, as the upstream constraint interface. */
interface Constraint {
  add(request: string, sub: string | null, device: Device, driver: string): boolean;
  remove(request: string, sub: string | null): void;
  readonly label: string;
}

function appliesTo(names: readonly string[], request: string, sub: string | null): boolean {
  if (names.length === 0) return true;
  if (sub === null) return names.includes(request);
  return names.includes(request) || names.includes(`${request}/${sub}`);
}

function makeConstraint(c: DeviceConstraint, path: string): Constraint {
  const names = c.requests ?? [];
  if (c.matchAttribute !== undefined && c.distinctAttribute === undefined) {
    const attr = c.matchAttribute;
    let first: AttributeValue | null = null;
    let n = 0;
    return {
      label: `matchAttribute ${attr}`,
      add(request, sub, device, driver) {
        if (!appliesTo(names, request, sub)) return true;
        const v = lookupAttribute(device, driver, attr);
        if (v === undefined) return false;
        if (n === 0) first = v;
        else if (Object.keys(v)[0] !== Object.keys(first!)[0] || scalarOf(v) !== scalarOf(first!)) return false;
        n++;
        return true;
      },
      remove(request, sub) {
        if (!appliesTo(names, request, sub)) return;
        n--;
        if (n === 0) first = null;
      },
    };
  }
  if (c.distinctAttribute !== undefined && c.matchAttribute === undefined) {
    const attr = c.distinctAttribute;
    const taken: AttributeValue[] = [];
    return {
      label: `distinctAttribute ${attr}`,
      add(request, sub, device, driver) {
        if (!appliesTo(names, request, sub)) return true;
        const v = lookupAttribute(device, driver, attr);
        if (v === undefined) return false;
        if (taken.some((t) => Object.keys(t)[0] === Object.keys(v)[0] && scalarOf(t) === scalarOf(v))) return false;
        taken.push(v);
        return true;
      },
      remove(request, sub) {
        if (!appliesTo(names, request, sub)) return;
        taken.pop();
      },
    };
  }
  throw new AllocatorError('invalid_request', `${path}: exactly one of matchAttribute and distinctAttribute must be set`);
}

/** Search signals: a solution, no solution here, or "over 32 results" (the caller may try a smaller alternative). */
type Found = 'ok' | 'fail' | 'limit';

/**
 * Allocates every claim on the node, jointly (one search over all claims, as the scheduler's Filter does for a
 * pod's unallocated claims). Returns the first solution, `unschedulable` with why candidates were refused, or the
 * error that aborted the call.
 */
export function allocate(input: AllocateInput): AllocateOutcome {
  try {
    return new Search(input).run();
  } catch (e) {
    if (e instanceof AllocatorError) return { kind: 'error', error: e.kind, message: e.message };
    throw e;
  }
}

class Search {
  private readonly pools: Pool[];
  private readonly classes: Map<string, DeviceClass>;
  /** Per claim, per request, per subrequest (index 0 for a plain request). */
  private readonly data: RequestData[][][] = [];
  private readonly constraints: Constraint[][] = [];
  private readonly results: DeviceResult[][] = [];
  /** Dedicated devices picked in this search (any claim). */
  private readonly picked = new Set<string>();
  /** Per claim: devices it holds (admin access may take a device again, but not twice for one claim). */
  private readonly held: Map<string, number>[] = [];
  /** Counter consumption of this search, per slice → counter set → counter. */
  private readonly counterUse = new Map<ResourceSlice, Map<string, Map<string, number>>>();
  /** What is still available per slice (allocated state subtracted), computed once per slice. */
  private readonly counterAvail = new Map<ResourceSlice, Map<string, Map<string, number>>>();
  private readonly inFlight = new Map<string, Record<string, number>>();
  private readonly blocked: Record<string, number> = {};
  /** Every device of the node's pools in search order (pools, slices, devices), built once. */
  private readonly flat: Candidate[] = [];

  constructor(private readonly input: AllocateInput) {
    this.pools = gatherPools(input);
    this.classes = new Map(input.classes.map((c) => [c.name, c]));
    for (const pool of this.pools) {
      for (const slice of pool.slices) {
        for (const device of slice.devices) this.flat.push({ device, slice, pool, key: deviceKey({ driver: pool.driver, pool: pool.pool, device: device.name }), index: this.flat.length });
      }
    }
  }

  private block(reason: string): void {
    this.blocked[reason] = (this.blocked[reason] ?? 0) + 1;
  }

  /** The devices in search order; reaching a device of an invalid pool is an error. */
  private candidates(): Iterable<Candidate> {
    for (const c of this.flat) if (c.pool.invalid) return this.flatUntilInvalid();
    return this.flat;
  }

  private *flatUntilInvalid(): Generator<Candidate> {
    for (const c of this.flat) {
      if (c.pool.invalid) throw new AllocatorError('pool_invalid', c.pool.invalid);
      yield c;
    }
  }

  run(): AllocateOutcome {
    const { claims, features } = this.input;
    claims.forEach((claim, c) => {
      const path = `claims[${c}] (${claim.name})`;
      const perRequest: RequestData[][] = [];
      let minDevices = 0;
      claim.requests.forEach((r, ri) => {
        const rpath = `${path}.requests[${ri}] (${r.name})`;
        if ((r.exactly === undefined) === (r.firstAvailable === undefined)) throw new AllocatorError('invalid_request', `${rpath}: exactly one of exactly and firstAvailable must be set`);
        if (r.firstAvailable !== undefined) {
          if (!features.prioritizedList) throw new AllocatorError('feature_disabled', `${rpath}.firstAvailable: needs the DRAPrioritizedList feature gate`);
          if (r.firstAvailable.length === 0) throw new AllocatorError('invalid_request', `${rpath}.firstAvailable: must list at least one subrequest`);
          const subs = r.firstAvailable.map((s, si) => this.requestData(s, r.name, `${rpath}.firstAvailable[${si}] (${s.name})`, false));
          minDevices += Math.min(...subs.map((s) => s.numDevices));
          perRequest.push(subs);
        } else {
          const d = this.requestData(r.exactly!, null, `${rpath}.exactly`, true);
          minDevices += d.numDevices;
          perRequest.push([d]);
        }
      });
      if (minDevices > ALLOCATION_RESULTS_MAX) throw new AllocatorError('too_many_devices', `${path}: needs at least ${minDevices} devices, over the limit of ${ALLOCATION_RESULTS_MAX} per claim`);
      this.data.push(perRequest);
      this.constraints.push((claim.constraints ?? []).map((k, ki) => makeConstraint(k, `${path}.constraints[${ki}]`)));
      this.results.push([]);
      this.held.push(new Map());
    });
    const found = this.allocateOne(0, 0, 0, 0, false);
    if (found !== 'ok') return { kind: 'unschedulable', blocked: this.blocked };
    return { kind: 'allocated', claims: claims.map((cl, c) => this.claimResult(cl.name, c)) };
  }

  /** validateDeviceRequest: class, features, count; for All the device list (in use or not). */
  private requestData(req: ExactRequest, parent: string | null, path: string, adminAllowed: boolean): RequestData {
    const { features } = this.input;
    if (req.adminAccess) {
      if (!adminAllowed) throw new AllocatorError('invalid_request', `${path}.adminAccess: not allowed in a subrequest`);
      if (!features.adminAccess) throw new AllocatorError('feature_disabled', `${path}.adminAccess: needs the DRAAdminAccess feature gate`);
    }
    if (req.capacity && Object.keys(req.capacity).length > 0 && !features.consumableCapacity) {
      throw new AllocatorError('feature_disabled', `${path}.capacity.requests: needs the DRAConsumableCapacity feature gate`);
    }
    const cls = this.classes.get(req.className);
    if (!cls) throw new AllocatorError('unknown_class', `${path}.deviceClassName: no DeviceClass named ${req.className}`);
    const name = parent === null ? req.name : `${parent}/${req.name}`;
    if (req.allocationMode === 'ExactCount') {
      const count = req.count ?? 1;
      if (!Number.isInteger(count) || count < 1) throw new AllocatorError('invalid_request', `${path}.count: must be a positive integer, got ${count}`);
      return this.withCaches({ req, cls, parent, numDevices: count, all: null, name });
    }
    if (req.allocationMode !== 'All') throw new AllocatorError('invalid_request', `${path}.allocationMode: unknown mode ${String(req.allocationMode)}`);
    const all: Candidate[] = [];
    for (const pool of this.pools) {
      if (pool.incomplete) throw new AllocatorError('pool_incomplete_for_all', `${path}: allocationMode All needs every slice of pool ${pool.pool}, which is incomplete`);
      if (pool.invalid) throw new AllocatorError('pool_invalid', pool.invalid);
    }
    const rd = this.withCaches({ req, cls, parent, numDevices: 0, all, name });
    for (const cand of this.candidates()) {
      if (!this.isSelectable(cand, rd)) continue;
      if (features.consumableCapacity) {
        const demand = this.demandOf(cand, rd);
        if (!demand.ok || capacityOverflow(cand.device, demand.consumed, this.input.allocated.capacity.get(cand.key), undefined) !== null) continue;
      }
      all.push(cand);
    }
    rd.numDevices = all.length;
    return rd;
  }

  /** A request's data with its per-candidate caches. */
  private withCaches(d: Omit<RequestData, 'selectable' | 'demand' | 'inUseReason' | 'noMatchReason'>): RequestData {
    return {
      ...d,
      selectable: new Int8Array(this.flat.length).fill(-1),
      demand: new Array(this.flat.length),
      inUseReason: `every ${d.cls.name} device for ${d.name} is allocated`,
      noMatchReason: `no device of class ${d.cls.name} matches request ${d.name}`,
    };
  }

  /** capacityDemand of the request on a device, cached per request and device. */
  private demandOf(cand: Candidate, rd: RequestData): ReturnType<typeof capacityDemand> {
    return (rd.demand[cand.index] ??= capacityDemand(cand.device, rd.req.capacity));
  }

  /** isSelectable: every class selector, then every request selector; per-device node selection must match. */
  private isSelectable(cand: Candidate, rd: RequestData): boolean {
    const hit = rd.selectable[cand.index];
    if (hit >= 0) return hit === 1;
    const { req, cls } = rd;
    let ok = true;
    if (cand.slice.perDeviceNodeSelection && !selectionMatches(cand.device, this.input.node)) ok = false;
    if (ok) for (const s of cls.selectors) if (!selectorMatches(s, cand.device, cand.pool.driver)) { ok = false; break; }
    if (ok) for (const s of req.selectors ?? []) if (!selectorMatches(s, cand.device, cand.pool.driver)) { ok = false; break; }
    rd.selectable[cand.index] = ok ? 1 : 0;
    return ok;
  }

  /** isSelectable for the "why" tally only: a device upstream skips before evaluating CEL never raises an error here. */
  private selectableForReason(cand: Candidate, rd: RequestData): boolean {
    try {
      return this.isSelectable(cand, rd);
    } catch (e) {
      if (e instanceof AllocatorError) return false;
      throw e;
    }
  }

  private allocateOne(c: number, r: number, s: number, i: number, inSub: boolean): Found {
    if (c >= this.data.length) return 'ok';
    const perRequest = this.data[c];
    if (r >= perRequest.length) {
      const next = this.allocateOne(c + 1, 0, 0, 0, false);
      return next === 'limit' ? 'fail' : next;
    }
    const subs = perRequest[r];
    if (!inSub && subs.length > 1) {
      let allExceeded = true;
      for (let si = 0; si < subs.length; si++) {
        const found = this.allocateOne(c, r, si, 0, true);
        if (found === 'ok') return 'ok';
        if (found !== 'limit') allExceeded = false;
      }
      return allExceeded ? 'limit' : 'fail';
    }
    const rd = subs[s];
    if (rd.all !== null && rd.all.length === 0) {
      this.block(rd.noMatchReason);
      return 'fail';
    }
    if (i >= rd.numDevices) return this.allocateOne(c, r + 1, 0, 0, false);
    if (this.results[c].length + (rd.numDevices - i) > ALLOCATION_RESULTS_MAX) return 'limit';
    const requestName = rd.parent ?? rd.req.name;
    const subName = rd.parent === null ? null : rd.req.name;

    if (rd.all !== null) {
      const cand = rd.all[i];
      const undo = this.allocateDevice(c, rd, cand, requestName, subName, true);
      if (!undo) return 'fail';
      const found = this.allocateOne(c, r, s, i + 1, inSub);
      if (found !== 'ok') undo();
      return found;
    }

    const { features, allocated } = this.input;
    const need = rd.numDevices - i;
    if (need > 1 && this.roomFor(c, rd, need) < need) {
      this.block(`too few ${rd.cls.name} devices with room for ${rd.name} (${rd.numDevices} needed)`);
      return 'fail';
    }
    let anySelectable = false;
    for (const cand of this.candidates()) {
      const multi = features.consumableCapacity && cand.device.allowMultipleAllocations === true;
      if (rd.req.adminAccess) {
        if (!multi && this.held[c].has(cand.key)) continue;
      } else if (!multi && (allocated.devices.has(cand.key) || this.picked.has(cand.key))) {
        if (this.selectableForReason(cand, rd)) {
          anySelectable = true;
          this.block(rd.inUseReason);
        }
        continue;
      }
      if (!this.isSelectable(cand, rd)) continue;
      anySelectable = true;
      if (features.consumableCapacity) {
        const demand = this.demandOf(cand, rd);
        if (!demand.ok) {
          this.block(`capacity.requests.${demand.capacity} of request ${rd.name}: ${demand.why}`);
          continue;
        }
        const over = capacityOverflow(cand.device, demand.consumed, allocated.capacity.get(cand.key), this.inFlight.get(cand.key));
        if (over !== null) {
          this.block(`capacity ${over} exhausted for ${rd.name}`);
          continue;
        }
      }
      const undo = this.allocateDevice(c, rd, cand, requestName, subName, false);
      if (!undo) continue;
      const found = this.allocateOne(c, r, s, i + 1, inSub);
      if (found === 'ok') return 'ok';
      undo();
      if (found === 'limit') return 'limit';
    }
    if (!anySelectable) this.block(rd.noMatchReason);
    return 'fail';
  }

  /**
   * An upper bound on how many more devices the request can take in the current state, stopping at `need`: each
   * usable dedicated device counts once, a multi-allocatable one as often as its free capacity holds the request's
   * share. When it is below what the request still needs, no order of the devices completes the request, so the
   * search fails here at once instead of trying every permutation (v1.34 restarts each device search at the first
   * device; upstream bounds that cost with the filter timeout). Taints and constraints are not counted (a bound),
   * so the outcome is the full search's. A selector error counts the device out: a solution never uses one.
   */
  private roomFor(c: number, rd: RequestData, need: number): number {
    const { features, allocated } = this.input;
    let room = 0;
    for (const cand of this.flat) {
      const multi = features.consumableCapacity && cand.device.allowMultipleAllocations === true;
      if (!multi) {
        if (rd.req.adminAccess ? this.held[c].has(cand.key) : allocated.devices.has(cand.key) || this.picked.has(cand.key)) continue;
      }
      if (!this.selectableForReason(cand, rd)) continue;
      if ((cand.device.consumesCounters?.length ?? 0) > 0 && (!features.partitionableDevices || !this.countersFit(cand))) continue;
      let shares = 1;
      if (features.consumableCapacity) {
        const demand = this.demandOf(cand, rd);
        if (!demand.ok) continue;
        shares = multi ? Number.POSITIVE_INFINITY : 1;
        const before = allocated.capacity.get(cand.key);
        const flight = this.inFlight.get(cand.key);
        for (const [name, cap] of Object.entries(cand.device.capacity ?? {})) {
          const want = demand.consumed[name] ?? 0;
          const free = cap.value - (before?.[name] ?? 0) - (flight?.[name] ?? 0);
          if (want > free) shares = 0;
          else if (multi && want > 0) shares = Math.min(shares, Math.floor(free / want));
        }
      }
      room += shares;
      if (room >= need) return room;
    }
    return room;
  }

  /** Whether the device's counter consumption fits what its slice has left now (no side effect). */
  private countersFit(cand: Candidate): boolean {
    const avail = this.available(cand.slice, cand.pool);
    const use = this.counterUse.get(cand.slice);
    const own = new Map<string, Map<string, number>>();
    for (const cc of cand.device.consumesCounters ?? []) {
      if (!avail.has(cc.counterSet)) return false;
      own.set(cc.counterSet, new Map(Object.entries(cc.counters)));
    }
    for (const [setName, counters] of avail) {
      for (const [k, have] of counters) {
        if ((use?.get(setName)?.get(k) ?? 0) + (own.get(setName)?.get(k) ?? 0) > have) return false;
      }
    }
    return true;
  }

  /** Counters still available in a slice: its counter sets minus what allocated devices of the slice consume. */
  private available(slice: ResourceSlice, pool: Pool): Map<string, Map<string, number>> {
    let avail = this.counterAvail.get(slice);
    if (avail) return avail;
    avail = new Map();
    for (const set of slice.sharedCounters ?? []) avail.set(set.name, new Map(Object.entries(set.counters)));
    for (const d of slice.devices) {
      if (!this.input.allocated.devices.has(deviceKey({ driver: pool.driver, pool: pool.pool, device: d.name }))) continue;
      for (const cc of d.consumesCounters ?? []) {
        const set = avail.get(cc.counterSet);
        if (!set) continue;
        for (const [k, v] of Object.entries(cc.counters)) set.set(k, (set.get(k) ?? 0) - v);
      }
    }
    this.counterAvail.set(slice, avail);
    return avail;
  }

  /** checkAvailableCounters: adds the device's consumption; any counter of the slice over ⇒ take it back. */
  private takeCounters(cand: Candidate): (() => void) | string {
    const uses = cand.device.consumesCounters ?? [];
    if (uses.length === 0) return () => {};
    const avail = this.available(cand.slice, cand.pool);
    let use = this.counterUse.get(cand.slice);
    if (!use) this.counterUse.set(cand.slice, (use = new Map()));
    const release = (): void => {
      for (const cc of uses) {
        const set = use!.get(cc.counterSet)!;
        for (const [k, v] of Object.entries(cc.counters)) set.set(k, set.get(k)! - v);
      }
    };
    for (const cc of uses) {
      let set = use.get(cc.counterSet);
      if (!set) use.set(cc.counterSet, (set = new Map()));
      for (const [k, v] of Object.entries(cc.counters)) set.set(k, (set.get(k) ?? 0) + v);
    }
    for (const cc of uses) {
      if (!avail.has(cc.counterSet)) {
        release();
        return `counter set ${cc.counterSet} not published in slice ${cand.slice.name}`;
      }
    }
    // One over-consumed counter of any set in the slice blocks the device (upstream checks the whole slice).
    for (const [setName, counters] of avail) {
      const used = use.get(setName);
      if (!used) continue;
      for (const [k, have] of counters) {
        if ((used.get(k) ?? 0) > have) {
          release();
          return `shared counter ${k} in use`;
        }
      }
    }
    return release;
  }

  /**
   * allocateDevice: in-use check, counters, taints, constraints, then the result. `must` (All mode): a
   * constraint the device breaks is an error, not a reason to try another device. Returns the undo, or null.
   */
  private allocateDevice(c: number, rd: RequestData, cand: Candidate, requestName: string, subName: string | null, must: boolean): (() => void) | null {
    const { features, allocated } = this.input;
    const multi = features.consumableCapacity && cand.device.allowMultipleAllocations === true;
    const admin = rd.req.adminAccess === true;
    if (!multi) {
      if (admin && this.held[c].has(cand.key)) return null;
      if (!admin && (allocated.devices.has(cand.key) || this.picked.has(cand.key))) {
        this.block(`every ${rd.cls.name} device for ${rd.name} is allocated`);
        return null;
      }
    }
    if ((cand.device.consumesCounters?.length ?? 0) > 0 && !features.partitionableDevices) {
      this.block(`device ${cand.device.name} consumes shared counters (DRAPartitionableDevices is off)`);
      return null;
    }
    const counters = this.takeCounters(cand);
    if (typeof counters === 'string') {
      this.block(counters);
      return null;
    }
    if (features.deviceTaints) {
      for (const t of cand.device.taints ?? []) {
        if (!(rd.req.tolerations ?? []).some((tol) => tolerates(tol, t))) {
          counters();
          this.block(`taint ${t.key}=${t.value ?? ''}:${t.effect} not tolerated`);
          return null;
        }
      }
    }
    const added: Constraint[] = [];
    for (const k of this.constraints[c]) {
      if (k.add(requestName, subName, cand.device, cand.pool.driver)) {
        added.push(k);
        continue;
      }
      if (must) throw new AllocatorError('constraint_unsatisfiable_for_all', `request ${rd.name} (allocationMode All) cannot satisfy ${k.label}`);
      for (const a of added) a.remove(requestName, subName);
      counters();
      this.block(`constraint ${k.label} not satisfied`);
      return null;
    }
    let consumed: Record<string, number> | undefined;
    if (features.consumableCapacity) {
      const demand = this.demandOf(cand, rd);
      const over = demand.ok ? capacityOverflow(cand.device, demand.consumed, allocated.capacity.get(cand.key), this.inFlight.get(cand.key)) : 'policy';
      if (!demand.ok || over !== null) {
        for (const a of added) a.remove(requestName, subName);
        counters();
        this.block(demand.ok ? `capacity ${over} exhausted for ${rd.name}` : `capacity.requests.${demand.capacity} of request ${rd.name}: ${demand.why}`);
        return null;
      }
      if (multi) consumed = demand.consumed;
    }
    if (!multi) {
      this.picked.add(cand.key);
      this.held[c].set(cand.key, (this.held[c].get(cand.key) ?? 0) + 1);
    } else if (consumed) {
      const cur = this.inFlight.get(cand.key) ?? {};
      const next: Record<string, number> = { ...cur };
      for (const [k, v] of Object.entries(consumed)) next[k] = (next[k] ?? 0) + v;
      this.inFlight.set(cand.key, next);
    }
    const result: DeviceResult = { request: rd.name, driver: cand.pool.driver, pool: cand.pool.pool, device: cand.device.name };
    if (admin) result.adminAccess = true;
    if (multi && consumed) {
      result.consumedCapacity = consumed;
      result.share = true;
    }
    const sliceSel = cand.slice.perDeviceNodeSelection ? cand.device : cand.slice;
    this.results[c].push(result);
    this.nodeLocal.set(result, sliceSel.nodeName !== undefined ? true : sliceSel.allNodes ? null : (sliceSel.nodeSelector ?? null));
    return () => {
      this.results[c].pop();
      if (!multi) {
        this.picked.delete(cand.key);
        const n = this.held[c].get(cand.key)! - 1;
        if (n === 0) this.held[c].delete(cand.key);
        else this.held[c].set(cand.key, n);
      } else if (consumed) {
        const cur = this.inFlight.get(cand.key)!;
        for (const [k, v] of Object.entries(consumed)) cur[k] -= v;
      }
      for (const a of added) a.remove(requestName, subName);
      counters();
    };
  }

  /** Per result: true = node-local, a term = the slice's node selector, null = all nodes. */
  private readonly nodeLocal = new Map<DeviceResult, true | NodeSelectorTerm | null>();

  /** The claim's result: its devices and the node selector its pods must match. */
  private claimResult(name: string, c: number): ClaimAllocation {
    const devices = this.results[c];
    let local = false;
    const merged: NodeSelectorTerm = {};
    let any = false;
    for (const d of devices) {
      const sel = this.nodeLocal.get(d);
      if (sel === true) local = true;
      else if (sel) {
        any = true;
        for (const [k, v] of Object.entries(sel.matchExpressions ?? {})) {
          const list = ((merged.matchExpressions ??= {})[k] ??= []);
          for (const x of v) if (!list.includes(x)) list.push(x);
        }
        for (const [k, v] of Object.entries(sel.matchFields ?? {})) {
          const list = ((merged.matchFields ??= {})[k] ??= []);
          for (const x of v) if (!list.includes(x)) list.push(x);
        }
      }
    }
    const nodeSelector = local ? { matchFields: { 'metadata.name': [this.input.node.name] } } : any ? merged : null;
    return { claim: name, devices: devices.slice(), nodeSelector };
  }
}

/** `ToleratesTaint` (resourceclaim/devicetoleration.go): key and effect match (empty = any), Exists or equal value. */
export function tolerates(tol: { operator: 'Exists' | 'Equal'; key?: string; value?: string; effect?: string }, taint: { key: string; value?: string; effect: string }): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  if (tol.operator === 'Exists') return true;
  return (tol.value ?? '') === (taint.value ?? '');
}
