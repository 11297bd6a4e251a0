/**
 * Conformance adapter for the Kubernetes structured allocator's vectors (`dra_allocate` in
 * ../shared/conformance/dra_mig.json, vocabulary in README-dra-mig.md §2). It only translates the neutral
 * snake_case vocabulary into the allocator's types (src/sched/dra/types.ts) and compares outcomes as the upstream
 * test does (gomega ConsistOf: device results as a multiset; with several claims and
 * `claim_assignment_asserted: false` the per-claim groups as a multiset). Every rule is the allocator's own code
 * (src/sched/dra/allocator.ts).
 */
import { allocate } from '../sched/dra/allocator.ts';
import type {
  AllocateInput,
  AttributeValue,
  DeviceCapacity,
  DeviceClass,
  DeviceRequest,
  ExactRequest,
  NodeSelection,
  NodeSelectorTerm,
  ResourceClaim,
  ResourceSlice,
  Selector,
} from '../sched/dra/types.ts';
import type { CaseOutcome, ConformanceAdapter, ConformanceCase } from './types.ts';

type Obj = Record<string, unknown>;

interface VectorSelector {
  driver?: string;
  allow_multiple_allocations?: boolean;
  attribute?: string;
  capacity?: string;
  op?: string;
  value?: number | string | boolean;
}

function selectorOf(s: VectorSelector): Selector {
  if (s.driver !== undefined) return { driver: s.driver };
  if (s.allow_multiple_allocations !== undefined) return { allowMultipleAllocations: s.allow_multiple_allocations };
  // A bare boolean attribute term (`device.attributes["d"].special`) means "== true".
  if (s.attribute !== undefined) return { attribute: s.attribute, op: (s.op ?? '==') as '==', value: s.value ?? true };
  if (s.capacity !== undefined) return { capacity: s.capacity, op: (s.op ?? '>=') as '>=', value: s.value as number };
  throw new Error(`unknown selector term ${JSON.stringify(s)}`);
}

function selectorTermOf(v: Obj | undefined): NodeSelectorTerm | undefined {
  if (!v) return undefined;
  return { matchExpressions: v.match_expressions as Record<string, string[]> | undefined, matchFields: v.match_fields as Record<string, string[]> | undefined };
}

function selectionOf(v: Obj): NodeSelection {
  return { nodeName: v.node_name as string | undefined, allNodes: v.all_nodes as boolean | undefined, nodeSelector: selectorTermOf(v.node_selector as Obj | undefined) };
}

function capacityOf(v: number | Obj): DeviceCapacity {
  if (typeof v === 'number') return { value: v };
  const p = v.request_policy as Obj | undefined;
  const range = p?.valid_range as Obj | undefined;
  return {
    value: v.value as number,
    requestPolicy: p && {
      default: p.default as number | undefined,
      validValues: p.valid_values as number[] | undefined,
      validRange: range && { min: range.min as number, max: range.max as number | undefined, step: range.step as number | undefined },
    },
  };
}

function sliceOf(v: Obj): ResourceSlice {
  return {
    ...selectionOf(v),
    name: v.name as string,
    driver: v.driver as string,
    pool: v.pool as string,
    generation: v.generation as number | undefined,
    sliceCount: v.slice_count as number | undefined,
    perDeviceNodeSelection: v.per_device_node_selection as boolean | undefined,
    sharedCounters: v.shared_counters as ResourceSlice['sharedCounters'],
    devices: ((v.devices as Obj[]) ?? []).map((d) => ({
      ...selectionOf(d),
      name: d.name as string,
      attributes: d.attributes as Record<string, AttributeValue> | undefined,
      capacity: d.capacity ? Object.fromEntries(Object.entries(d.capacity as Record<string, number | Obj>).map(([k, c]) => [k, capacityOf(c)])) : undefined,
      consumesCounters: (d.consumes_counters as { counter_set: string; counters: Record<string, number> }[] | undefined)?.map((c) => ({ counterSet: c.counter_set, counters: c.counters })),
      allowMultipleAllocations: d.allow_multiple_allocations as boolean | undefined,
      taints: d.taints as ResourceSlice['devices'][number]['taints'],
    })),
  };
}

function exactOf(v: Obj): ExactRequest {
  return {
    name: v.name as string,
    className: v.class as string,
    allocationMode: (v.allocation_mode as 'ExactCount' | 'All') ?? 'ExactCount',
    count: v.count as number | undefined,
    selectors: ((v.selectors as VectorSelector[]) ?? []).map(selectorOf),
    adminAccess: v.admin_access as boolean | undefined,
    tolerations: v.tolerations as ExactRequest['tolerations'],
    capacity: v.capacity as Record<string, number> | undefined,
  };
}

function requestOf(v: Obj): DeviceRequest {
  if (v.first_available) return { name: v.name as string, firstAvailable: (v.first_available as Obj[]).map(exactOf) };
  return { name: v.name as string, exactly: exactOf(v) };
}

/** The vector's input as the allocator's. */
export function draInputOf(input: Obj): AllocateInput {
  const f = (input.features ?? {}) as Record<string, boolean>;
  const allocatedCapacity = new Map<string, Record<string, number>>();
  for (const a of (input.allocated_capacity as (Obj & { capacity: Record<string, number> })[]) ?? []) allocatedCapacity.set(`${a.driver}/${a.pool}/${a.device}`, a.capacity);
  return {
    node: input.node as AllocateInput['node'],
    classes: ((input.classes as Obj[]) ?? []).map((c): DeviceClass => ({ name: c.name as string, selectors: ((c.selectors as VectorSelector[]) ?? []).map(selectorOf) })),
    slices: ((input.slices as Obj[]) ?? []).map(sliceOf),
    allocated: {
      devices: new Set(((input.allocated_devices as Obj[]) ?? []).map((a) => `${a.driver}/${a.pool}/${a.device}`)),
      capacity: allocatedCapacity,
    },
    claims: ((input.claims as Obj[]) ?? []).map(
      (c): ResourceClaim => ({
        name: c.name as string,
        requests: ((c.requests as Obj[]) ?? []).map(requestOf),
        constraints: ((c.constraints as Obj[]) ?? []).map((k) => ({ requests: k.requests as string[] | undefined, matchAttribute: k.match_attribute as string | undefined, distinctAttribute: k.distinct_attribute as string | undefined })),
      }),
    ),
    features: {
      adminAccess: f.admin_access ?? false,
      prioritizedList: f.prioritized_list ?? false,
      partitionableDevices: f.partitionable_devices ?? false,
      deviceTaints: f.device_taints ?? false,
      consumableCapacity: f.consumable_capacity ?? false,
    },
  };
}

/** Canonical JSON: object keys sorted, so comparisons ignore key order. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Obj;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const sortedCanon = (xs: unknown[]): string => `[${xs.map(canon).sort().join(',')}]`;

/** Runs one `dra_allocate` case. */
export function runDraAllocate(c: ConformanceCase): CaseOutcome {
  const out = allocate(draInputOf(c.input));
  const e = c.expected as { fits: boolean; error: string | null; allocations: Obj[]; claim_assignment_asserted: boolean; node_selectors?: (Obj | null)[] };
  const gotError = out.kind === 'error' ? out.error : null;
  const allocations: Obj[] = [];
  const selectors: (Obj | null)[] = [];
  if (out.kind === 'allocated') {
    for (const cl of out.claims) {
      for (const d of cl.devices) {
        const a: Obj = { claim: cl.claim, request: d.request, driver: d.driver, pool: d.pool, device: d.device };
        if (d.adminAccess) a.admin_access = true;
        if (d.consumedCapacity) a.consumed_capacity = d.consumedCapacity;
        if (d.share) a.share = true;
        allocations.push(a);
      }
      selectors.push(cl.nodeSelector && { match_fields: cl.nodeSelector.matchFields, match_expressions: cl.nodeSelector.matchExpressions });
    }
  }
  const problems: string[] = [];
  if (e.fits !== (out.kind === 'allocated')) problems.push(`fits: expected ${e.fits}, got ${out.kind === 'allocated'}${out.kind === 'error' ? ` (error ${out.message})` : ''}`);
  if ((e.error ?? null) !== gotError) problems.push(`error: expected ${e.error}, got ${gotError}${out.kind === 'error' ? ` (${out.message})` : ''}`);
  const groups = (list: Obj[], named: boolean): string => {
    const by = new Map<string, Obj[]>();
    for (const a of list) {
      const k = a.claim as string;
      const rest: Obj = { ...a };
      if (!named) delete rest.claim;
      by.set(k, [...(by.get(k) ?? []), rest]);
    }
    return sortedCanon([...by.values()].map((g) => sortedCanon(g)));
  };
  const named = e.claim_assignment_asserted;
  if (groups(e.allocations, named) !== groups(allocations, named)) problems.push(`allocations: expected ${canon(e.allocations)}, got ${canon(allocations)}`);
  if (e.node_selectors !== undefined && sortedCanon(e.node_selectors) !== sortedCanon(selectors)) {
    problems.push(`node_selectors: expected ${canon(e.node_selectors)}, got ${canon(selectors)}`);
  }
  return problems.length ? { status: 'fail', detail: problems.join('; ') } : { status: 'pass', detail: '' };
}

/** The structured allocator's cases of dra_mig.json; the file holds MIG functions too (src/conformance/mig.ts), so no adapter claims it by name and the runner dispatches each case by its function. */
export const draAdapter: ConformanceAdapter = {
  project: 'dra',
  supports: (c) => c.input.function === 'dra_allocate',
  run: runDraAllocate,
};
