/**
 * The v1.34 structured allocator (src/sched/dra/allocator.ts) against rules read from
 * kubernetes/dynamic-resource-allocation @ v0.34.0 structured/internal/experimental/allocator_experimental.go
 * and consumable_capacity.go (domain-mig-dra.md §6.7.3). Each case says which rule decides it.
 */
import { describe, expect, it } from 'vitest';
import { allocate, gatherPools } from '../../../src/sched/dra/allocator.ts';
import { capacityDemand, roundCapacityRequest } from '../../../src/sched/dra/capacity.ts';
import type { AllocateInput, Device, DraFeatures, ExactRequest, ResourceClaim, ResourceSlice } from '../../../src/sched/dra/types.ts';

const OFF: DraFeatures = { adminAccess: false, prioritizedList: false, partitionableDevices: false, deviceTaints: false, consumableCapacity: false };
const NODE = { name: 'node-1', labels: { region: 'r1' } };
const CLASS = { name: 'gpu', selectors: [{ driver: 'd' }] };

function slice(devices: Device[], extra: Partial<ResourceSlice> = {}): ResourceSlice {
  return { name: 's', driver: 'd', pool: 'p', nodeName: 'node-1', devices, ...extra };
}
function req(name: string, extra: Partial<ExactRequest> = {}): ResourceClaim['requests'][number] {
  return { name, exactly: { name, className: 'gpu', allocationMode: 'ExactCount', count: 1, ...extra } };
}
function input(slices: ResourceSlice[], claims: ResourceClaim[], features: Partial<DraFeatures> = {}, allocatedDevices: string[] = []): AllocateInput {
  return { node: NODE, classes: [CLASS], slices, allocated: { devices: new Set(allocatedDevices), capacity: new Map() }, claims, features: { ...OFF, ...features } };
}
const devicesOf = (out: ReturnType<typeof allocate>): string[][] => (out.kind === 'allocated' ? out.claims.map((c) => c.devices.map((d) => d.device)) : []);

describe('depth-first search, first fit, backtracking', () => {
  it('takes the first free device in slice order (no score in v1.34)', () => {
    const out = allocate(input([slice([{ name: 'a' }, { name: 'b' }])], [{ name: 'c', requests: [req('r')] }]));
    expect(devicesOf(out)).toEqual([['a']]);
  });

  it('backtracks into an earlier request when a later one has no device left', () => {
    // r0 (any) first takes `big`; r1 needs memory ≥ 2048, only `big` has it → the search undoes r0 and moves it to `small`.
    const s = slice([{ name: 'big', capacity: { memory: { value: 2048 } } }, { name: 'small', capacity: { memory: { value: 1024 } } }]);
    const out = allocate(input([s], [{ name: 'c', requests: [req('r0'), req('r1', { selectors: [{ capacity: 'memory', op: '>=', value: 2048 }] })] }]));
    expect(devicesOf(out)).toEqual([['small', 'big']]);
  });

  it('skips devices held by other claims (the allocated state)', () => {
    const out = allocate(input([slice([{ name: 'a' }, { name: 'b' }])], [{ name: 'c', requests: [req('r')] }], {}, ['d/p/a']));
    expect(devicesOf(out)).toEqual([['b']]);
  });

  it('is unschedulable, not an error, when nothing is left, and says why', () => {
    const out = allocate(input([slice([{ name: 'a' }])], [{ name: 'c', requests: [req('r', { count: 2 })] }]));
    expect(out.kind).toBe('unschedulable');
    // One device, two needed: the room bound stops the search before it tries any order.
    if (out.kind === 'unschedulable') expect(Object.keys(out.blocked)).toEqual(['too few gpu devices with room for r (2 needed)']);
  });

  it('the room bound changes no outcome: a search that can succeed still finds the first-fit solution', () => {
    // Three devices, a and c free, b held: a 2-device request still gets a and c in slice order.
    const out = allocate(input([slice([{ name: 'a' }, { name: 'b' }, { name: 'c' }])], [{ name: 'c', requests: [req('r', { count: 2 })] }], {}, ['d/p/b']));
    expect(devicesOf(out)).toEqual([['a', 'c']]);
  });
});

describe('allocation modes', () => {
  it('All takes every matching device, and fails when one of them is in use', () => {
    const s = slice([{ name: 'a' }, { name: 'b' }]);
    const claim: ResourceClaim = { name: 'c', requests: [req('r', { allocationMode: 'All' })] };
    expect(devicesOf(allocate(input([s], [claim])))).toEqual([['a', 'b']]);
    // Devices in use stay in the All list (validateDeviceRequest), so the request cannot be met at all.
    expect(allocate(input([s], [claim], {}, ['d/p/b'])).kind).toBe('unschedulable');
  });

  it('All on an incomplete pool is an error; ExactCount still uses the pool', () => {
    const s = slice([{ name: 'a' }], { sliceCount: 2 });
    const all = allocate(input([s], [{ name: 'c', requests: [req('r', { allocationMode: 'All' })] }]));
    expect(all).toMatchObject({ kind: 'error', error: 'pool_incomplete_for_all' });
    expect(devicesOf(allocate(input([s], [{ name: 'c', requests: [req('r')] }])))).toEqual([['a']]);
  });

  it('a claim needing more than 32 devices is an error', () => {
    const out = allocate(input([slice([{ name: 'a' }])], [{ name: 'c', requests: [req('r', { count: 33 })] }]));
    expect(out).toMatchObject({ kind: 'error', error: 'too_many_devices' });
  });
});

describe('errors versus unschedulable (the scheduler turns errors into an Error status)', () => {
  it('an unknown device class is an error naming the field', () => {
    const out = allocate(input([slice([{ name: 'a' }])], [{ name: 'c', requests: [req('r', { className: 'nope' })] }]));
    expect(out).toMatchObject({ kind: 'error', error: 'unknown_class' });
    if (out.kind === 'error') expect(out.message).toContain('requests[0] (r).exactly.deviceClassName');
  });

  it('firstAvailable without DRAPrioritizedList is an error', () => {
    const claim: ResourceClaim = { name: 'c', requests: [{ name: 'r', firstAvailable: [{ name: 's', className: 'gpu', allocationMode: 'ExactCount' }] }] };
    expect(allocate(input([slice([{ name: 'a' }])], [claim]))).toMatchObject({ kind: 'error', error: 'feature_disabled' });
  });

  it('a pool with two devices of one name is an error once the search reaches it', () => {
    const out = allocate(input([slice([{ name: 'a' }, { name: 'a' }])], [{ name: 'c', requests: [req('r')] }]));
    expect(out).toMatchObject({ kind: 'error', error: 'pool_invalid' });
  });

  it('a selector on an attribute the device lacks is a CEL runtime error', () => {
    const out = allocate(input([slice([{ name: 'a' }])], [{ name: 'c', requests: [req('r', { selectors: [{ attribute: 'profile', op: '==', value: '1g' }] })] }]));
    expect(out).toMatchObject({ kind: 'error', error: 'cel_runtime' });
  });
});

describe('prioritized lists', () => {
  it('uses the first subrequest that leads to a full solution and names it req/sub', () => {
    const s = slice([{ name: 'small', attributes: { size: { int: 1 } } }]);
    const claim: ResourceClaim = {
      name: 'c',
      requests: [
        {
          name: 'r',
          firstAvailable: [
            { name: 'big', className: 'gpu', allocationMode: 'ExactCount', selectors: [{ attribute: 'size', op: '>=', value: 2 }] },
            { name: 'any', className: 'gpu', allocationMode: 'ExactCount' },
          ],
        },
      ],
    };
    const out = allocate(input([s], [claim], { prioritizedList: true }));
    expect(out.kind === 'allocated' && out.claims[0].devices[0].request).toBe('r/any');
  });
});

describe('constraints', () => {
  const numa = (name: string, n: number): Device => ({ name, attributes: { numa: { int: n } } });

  it('matchAttribute: the first device fixes the value, the search backtracks to find a matching pair', () => {
    // a (numa 0) is first; no second device on numa 0 → backtrack, b and c share numa 1.
    const s = slice([numa('a', 0), numa('b', 1), numa('c', 1)]);
    const out = allocate(input([s], [{ name: 'c', requests: [req('r', { count: 2 })], constraints: [{ matchAttribute: 'd/numa' }] }]));
    expect(devicesOf(out)).toEqual([['b', 'c']]);
  });

  it('distinctAttribute: values must differ', () => {
    const s = slice([numa('a', 0), numa('b', 0), numa('c', 1)]);
    const out = allocate(input([s], [{ name: 'c', requests: [req('r', { count: 2 })], constraints: [{ distinctAttribute: 'd/numa' }] }], { consumableCapacity: true }));
    expect(devicesOf(out)).toEqual([['a', 'c']]);
  });

  it('an All request that breaks a constraint is an error, not a misfit', () => {
    const s = slice([numa('a', 0), numa('b', 1)]);
    const out = allocate(input([s], [{ name: 'c', requests: [req('r', { allocationMode: 'All' })], constraints: [{ matchAttribute: 'd/numa' }] }]));
    expect(out).toMatchObject({ kind: 'error', error: 'constraint_unsatisfiable_for_all' });
  });
});

describe('partitionable devices (shared counters)', () => {
  // Two 4-slice halves and a full device on one 8-slice set: the full device excludes both halves.
  const half = (name: string, from: number): Device => ({
    name,
    consumesCounters: [{ counterSet: 'gpu-0', counters: Object.fromEntries([0, 1, 2, 3].map((k) => [`slice-${from + k}`, 1])) }],
  });
  const full: Device = { name: 'full', consumesCounters: [{ counterSet: 'gpu-0', counters: Object.fromEntries([0, 1, 2, 3, 4, 5, 6, 7].map((k) => [`slice-${k}`, 1])) }] };
  const s = slice([full, half('h0', 0), half('h4', 4)], { sharedCounters: [{ name: 'gpu-0', counters: Object.fromEntries([0, 1, 2, 3, 4, 5, 6, 7].map((k) => [`slice-${k}`, 1])) }] });

  it('a full device and a partition exclude each other through the counters', () => {
    const out = allocate(input([s], [{ name: 'c', requests: [req('r', { count: 2 })] }], { partitionableDevices: true }));
    // full takes every slice; h0 and h4 then overflow → backtrack: h0 + h4.
    expect(devicesOf(out)).toEqual([['h0', 'h4']]);
  });

  it('allocated partitions reduce what the slice still offers', () => {
    const out = allocate(input([s], [{ name: 'c', requests: [req('r')] }], { partitionableDevices: true }, ['d/p/h0']));
    expect(devicesOf(out)).toEqual([['h4']]);
  });

  it('without DRAPartitionableDevices a device that consumes counters is never allocated', () => {
    expect(allocate(input([s], [{ name: 'c', requests: [req('r')] }])).kind).toBe('unschedulable');
  });
});

describe('consumable capacity (consumable_capacity.go)', () => {
  const policy = { default: 100, validRange: { min: 0, max: 100, step: 1 } };
  const card: Device = { name: 'g', allowMultipleAllocations: true, capacity: { cores: { value: 100, requestPolicy: policy }, memory: { value: 1000, requestPolicy: { default: 1000, validRange: { min: 1, max: 1000, step: 1 } } } } };

  it('rounds by validRange (min, step) and validValues', () => {
    // min 2, step 2: 3 → 2 + ceil(1/2)·2 = 4; below min → min.
    expect(roundCapacityRequest(3, { validRange: { min: 2, step: 2, max: 4 } })).toBe(4);
    expect(roundCapacityRequest(1, { validRange: { min: 2, step: 2 } })).toBe(2);
    expect(roundCapacityRequest(5, { validValues: [4, 8, 16] })).toBe(8);
  });

  it('an unnamed capacity consumes the default (HAMi-DRA: a pod without gpucores takes 100 cores)', () => {
    expect(capacityDemand(card, { memory: 300 })).toEqual({ ok: true, consumed: { cores: 100, memory: 300 } });
  });

  it('a request over the policy maximum cannot use the device, and the reason names the capacity', () => {
    expect(capacityDemand(card, { memory: 2000 })).toEqual({ ok: false, capacity: 'memory', why: '2000 is over the request policy\'s maximum 1000' });
  });

  it('shares of one multi-allocatable device add up to its value', () => {
    const claims: ResourceClaim[] = ['a', 'b', 'c'].map((n) => ({ name: n, requests: [req('r', { capacity: { cores: 40, memory: 300 } })] }));
    // 40 + 40 = 80 cores fit; a third share would need 120.
    expect(allocate(input([slice([card])], claims.slice(0, 2), { consumableCapacity: true })).kind).toBe('allocated');
    const three = allocate(input([slice([card])], claims, { consumableCapacity: true }));
    expect(three.kind).toBe('unschedulable');
    if (three.kind === 'unschedulable') expect(Object.keys(three.blocked)).toContain('capacity cores exhausted for r');
  });
});

describe('pools and node selection', () => {
  it('keeps only the highest generation of a pool and slices visible on the node', () => {
    const pools = gatherPools({
      node: NODE,
      features: OFF,
      slices: [
        slice([{ name: 'old' }], { generation: 1 }),
        slice([{ name: 'new' }], { generation: 2, name: 's2' }),
        slice([{ name: 'far' }], { pool: 'q', nodeName: 'node-2' }),
        slice([{ name: 'net' }], { pool: 'n', nodeName: undefined, nodeSelector: { matchExpressions: { region: ['r1'] } } }),
      ],
    });
    expect(pools.map((p) => [p.pool, p.slices.flatMap((s) => s.devices.map((d) => d.name))])).toEqual([
      ['n', ['net']],
      ['p', ['new']],
    ]);
  });

  it('a network-attached device gives the claim its slice selector, not the node', () => {
    const s = slice([{ name: 'net' }], { nodeName: undefined, nodeSelector: { matchExpressions: { region: ['r1'] } } });
    const out = allocate(input([s], [{ name: 'c', requests: [req('r')] }]));
    expect(out.kind === 'allocated' && out.claims[0].nodeSelector).toEqual({ matchExpressions: { region: ['r1'] } });
  });
});
