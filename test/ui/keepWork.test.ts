/**
 * Work that is never lost and forms that never disagree with the run (issue 18 item 4, issue 19 item 3, issue 18
 * item 6): field-level checks in words, refused edits that change nothing, autosave that stores only valid work,
 * a full storage reported, two tabs that ask before overwriting each other, links that carry the speed and the
 * preset name, presenter mode that presents custom work as it is.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { AUTOSAVE_KEY, Autosave, MemoryStorage } from '../../src/ui/share/autosave.ts';
import { checkEdit, describeError, fieldError, fitWarnings } from '../../src/ui/stores/editCheck.ts';
import { Workspace } from '../../src/ui/stores/workspace.ts';
import { workerMessage } from '../../src/ui/stores/workbench.ts';
import { scenarioAsEntry, storyStepOf } from '../../src/ui/share/presetManifest.ts';
import { decodeShareHash, encodeShareHash } from '../../src/scenario/urlCodec.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario, TrainingWorkload } from '../../src/scenario/types.ts';

const preset = (id: string): Scenario => JSON.parse(readFileSync(new URL(`../../public/scenarios/${id}.json`, import.meta.url), 'utf8')) as Scenario;
const PRESETS = ['agents-elastic', 'allocated-not-used', 'cpu-starved', 'gang-deadlock', 'nvlink-placement', 'openb-like', 'small-mixed', 'tidal-day', 'trio', 'whole-gpu-waste'];
const withPool = (s: Scenario, patch: Partial<Scenario['cluster']['pools'][number]>): Scenario => ({ ...s, cluster: { ...s.cluster, pools: [{ ...s.cluster.pools[0], ...patch }, ...s.cluster.pools.slice(1)] } });
const withSeed = (s: Scenario, seed: number): Scenario => ({ ...s, sim: { ...s.sim, seed } });

describe('field-level checks in words a user reads', () => {
  const count = { min: 1, max: 2000, integer: true };
  it.each([
    ['0', 'Node count must be at least 1'],
    ['-3', 'Node count must be at least 1'],
    ['100000', 'Node count must be at most 2,000'],
    ['2.5', 'Node count must be a whole number'],
    ['', 'Node count needs a value'],
    ['1e400', 'Node count must be a number'],
  ])('%j → %s', (typed, message) => {
    expect(fieldError('Node count', typed, count)).toBe(message);
  });

  it('values within the limits pass', () => {
    for (const typed of ['1', '2000', ' 17 ']) expect(fieldError('Node count', typed, count)).toBeNull();
    expect(fieldError('CPU per node', '2.5', { min: 1 })).toBeNull();
    // Limits are written as the field shows them: its unit, no long fractions.
    expect(fieldError('Duration', '0', { min: 1 / 60, unit: 'min' })).toBe('Duration must be at least 0.0167 min');
    expect(fieldError('Duration', '9000', { max: 8784, unit: 'h' })).toBe('Duration must be at most 8,784 h');
  });

  it('validator messages name the pool, workload or setting instead of a JSON path', () => {
    const s = preset('small-mixed');
    const pool = s.cluster.pools[0].name;
    expect(describeError('cluster.pools[0].numaNodes: 2 GPUs cannot be split evenly over 4 NUMA nodes', s)).toBe(`Pool "${pool}", NUMA layout: 2 GPUs cannot be split evenly over 4 NUMA nodes`);
    expect(describeError('cluster.pools[0].count: must be ≥ 0', s)).toBe(`Pool "${pool}", node count: must be at least 0`);
    expect(describeError(`workloads[0].workers: must be an integer`, s)).toBe(`Workload "${s.workloads[0].name}", workers: must be a whole number`);
    expect(describeError('sim.durationS: must be ≤ 31622400', s)).toBe('Simulation duration (s): must be at most 31622400');
    // The catalog editor's fields: the model by its name (the built-in one when the scenario only overrides a field).
    const c = { ...s, catalog: { H100: { memMiB: 0 } } } as unknown as typeof s;
    expect(describeError('catalog.H100.memMiB: must be ≥ 1', c)).toMatch(/^GPU model "H100.*", memory \(MiB\): must be at least 1$/);
    expect(describeError('catalog.H100.pricePerHourUsd: must be ≥ 0', c)).toMatch(/^GPU model ".+", price per GPU-hour \(USD\): must be at least 0$/);
    // A path the editors do not show stays as it is.
    expect(describeError('queues[0].weight: must be ≥ 1', s)).toBe('queues[0].weight: must be ≥ 1');
  });

  it('checkEdit refuses what the validator refuses, in those words, and passes every preset', () => {
    for (const id of PRESETS) expect(checkEdit(preset(id))).toEqual({ ok: true });
    const s = preset('small-mixed');
    const r = checkEdit(withPool(s, { gpusPerNode: 2, numaNodes: 4 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^Pool ".+", NUMA layout: 2 GPUs cannot be split evenly over 4 NUMA nodes$/);
  });
});

describe('values that can never fit are warned about', () => {
  const training = (patch: Partial<TrainingWorkload>): Scenario => {
    const s = preset('gang-deadlock');
    const t = s.workloads.find((w) => w.kind === 'training') as TrainingWorkload;
    return { ...s, workloads: s.workloads.map((w) => (w === t ? { ...t, ...patch } : w)) };
  };

  it('64 GPUs per worker on 8-GPU nodes', () => {
    const s = training({ gpusPerWorker: 64 });
    const most = Math.max(...s.cluster.pools.map((p) => p.gpusPerNode));
    expect(most).toBeLessThan(64);
    const w = fitWarnings(s);
    expect(w).toHaveLength(1);
    expect(w[0].text).toMatch(new RegExp(`64 GPUs per worker can never fit: the largest node has ${most} GPUs; its pods would wait forever\\.$`));
  });

  it('a 500 GiB GPU memory request', () => {
    const w = fitWarnings(training({ gpuMemMiB: 500 * 1024 }));
    expect(w).toHaveLength(1);
    expect(w[0].text).toMatch(/500 GiB of GPU memory per GPU can never fit: the largest GPU here has [\d.]+ GiB/);
  });

  it('more CPU than any node has', () => {
    const w = fitWarnings(training({ cpuMilli: 10_000_000 }));
    expect(w[0]?.text).toMatch(/10000 CPU cores per worker can never fit/);
  });

  it('no preset is warned about (their pods fit, even where they wait by design)', () => {
    for (const id of PRESETS) expect(fitWarnings(preset(id)), id).toEqual([]);
  });
});

describe('a refused edit changes nothing', () => {
  const make = (st = new MemoryStorage()) => ({ st, ws: new Workspace({ initial: preset('small-mixed'), storage: st }) });

  it('not the scenario, not the history, not the saved work; a later unrelated edit applies', () => {
    const { st, ws } = make();
    ws.record(withSeed(ws.scenario, 7));
    const saved = st.getItem(AUTOSAVE_KEY);
    const before = ws.scenario;
    const refused = ws.edit(withPool(ws.scenario, { count: -3 }));
    expect(refused?.[0]).toMatch(/^Pool ".+", node count: must be at least 0$/);
    expect(ws.scenario).toBe(before);
    expect(st.getItem(AUTOSAVE_KEY)).toBe(saved);
    expect(ws.edit(withSeed(ws.scenario, 8))).toBeNull();
    expect(ws.scenario.sim.seed).toBe(8);
    expect(ws.scenario.cluster.pools[0].count).toBe(preset('small-mixed').cluster.pools[0].count);
    ws.undo();
    expect(ws.scenario.sim.seed).toBe(7);
  });

  it('a drag that wanders into a refused value ends at its last valid one, as one step', () => {
    const { ws } = make();
    const start = ws.scenario.cluster.pools[0].count;
    ws.edit(withPool(ws.scenario, { count: start + 1 }), { kind: 'gesture' });
    expect(ws.edit(withPool(ws.scenario, { count: 200_000 }), { kind: 'gesture', end: true })).not.toBeNull();
    expect(ws.scenario.cluster.pools[0].count).toBe(start + 1);
    ws.undo();
    expect(ws.scenario.cluster.pools[0].count).toBe(start);
  });

  it('autosave never stores an invalid scenario: the next load restores the last good one', () => {
    const { st, ws } = make();
    ws.record(withSeed(ws.scenario, 5));
    ws.record(withPool(ws.scenario, { numaNodes: 3 })); // record() is unchecked: the save still refuses it
    const again = new Workspace({ initial: preset('gang-deadlock'), storage: st });
    expect(again.restoreError).toBeNull();
    expect(again.origin).toBe('autosave');
    expect(again.scenario.sim.seed).toBe(5);
    expect(parseScenario(again.scenario).ok).toBe(true);
  });

  it('retractTo goes back to the scenario the runs show, with nothing to redo', () => {
    const { ws } = make();
    const good = ws.scenario;
    ws.edit(withSeed(ws.scenario, 1), { kind: 'coalesce', key: 'seed' });
    ws.edit(withSeed(ws.scenario, 12), { kind: 'coalesce', key: 'seed' });
    ws.retractTo(good);
    expect(ws.scenario).toBe(good);
    expect(ws.canRedo).toBe(false);
  });
});

describe('a full storage', () => {
  it('is reported to the user, keeps the last saved version, and never skips the saved work on restore', () => {
    const st = new MemoryStorage();
    const ws = new Workspace({ initial: preset('small-mixed'), storage: st });
    ws.record(withSeed(ws.scenario, 21));
    st.failWrites = Object.assign(new Error("Failed to execute 'setItem' on 'Storage': Setting the value exceeded the quota."), { name: 'QuotaExceededError' });
    ws.record(withSeed(ws.scenario, 22));
    expect(ws.saveError).toMatch(/not being saved: .*storage .* is full\. The last saved version is kept; export the scenario/);
    // Reading still works while writes fail: the restore finds the last saved work.
    const again = new Workspace({ initial: preset('gang-deadlock'), storage: st });
    expect(again.scenario.sim.seed).toBe(21);
    expect(again.restoreError).toBeNull();
    st.failWrites = null;
    ws.record(withSeed(ws.scenario, 23));
    expect(ws.saveError).toBeNull();
    expect(new Autosave(st).load()).toMatchObject({ ok: true, saved: { scenario: { sim: { seed: 23 } } } });
  });
});

describe('two tabs', () => {
  const tabs = () => {
    const st = new MemoryStorage();
    const a = new Workspace({ initial: preset('small-mixed'), storage: st });
    a.record(withSeed(a.scenario, 1));
    const b = new Workspace({ initial: preset('gang-deadlock'), storage: st });
    // What the browser does: a write in one tab is a `storage` event in the other.
    const deliver = (to: Workspace) => to.storageChanged(st.getItem(AUTOSAVE_KEY));
    return { st, a, b, deliver };
  };

  it('a tab that did not write the change asks before saving over it; its own writes are no conflict', () => {
    const { st, a, b, deliver } = tabs();
    deliver(a);
    expect(a.conflict).toBeNull();
    b.record(withSeed(b.scenario, 2)); // tab B saves
    deliver(a);
    expect(a.conflict?.theirs?.scenario.sim.seed).toBe(2);
    a.record(withSeed(a.scenario, 3)); // tab A keeps editing: nothing is overwritten meanwhile
    expect(new Autosave(st).load()).toMatchObject({ ok: true, saved: { scenario: { sim: { seed: 2 } } } });
    a.keepMine();
    expect(a.conflict).toBeNull();
    expect(new Autosave(st).load()).toMatchObject({ ok: true, saved: { scenario: { sim: { seed: 3 } } } });
  });

  it('taking the other tab\'s work opens it as one step: this tab\'s work is an undo away', () => {
    const { a, b, deliver } = tabs();
    b.record({ ...withSeed(b.scenario, 9), name: 'from tab B' });
    deliver(a);
    expect(a.takeTheirs()).toBe(true);
    expect(a.scenario.name).toBe('from tab B');
    expect(a.conflict).toBeNull();
    a.undo();
    expect(a.scenario.sim.seed).toBe(1);
  });
});

describe('links restore everything', () => {
  it('speed and preset name travel with the scenario; bad speeds are dropped with a warning', () => {
    const s = preset('gang-deadlock');
    const d = decodeShareHash(encodeShareHash(s, { speed: 10, preset: 'gang-deadlock', timeS: 60 }));
    expect(d.ok && d.state.view).toEqual({ speed: 10, preset: 'gang-deadlock', timeS: 60 });
    for (const speed of [0, -1, 1e9]) {
      const bad = decodeShareHash(encodeShareHash(s, { speed }));
      expect(bad.ok && bad.state.view).toEqual({});
      expect(bad.ok && bad.warnings[0]).toMatch(/^view\.speed: ignored/);
    }
  });

  it('a workspace opening a link keeps its speed in the view (the store plays at it)', () => {
    const ws = new Workspace({ initial: preset('small-mixed'), storage: new MemoryStorage() });
    expect(ws.openLink(encodeShareHash(preset('tidal-day'), { speed: 100, preset: 'tidal-day' })).ok).toBe(true);
    expect(ws.view).toEqual({ speed: 100, preset: 'tidal-day' });
  });
});

describe('presenter mode on custom work', () => {
  it('custom work is its own one-step story; a preset is recognised at any of its story steps', () => {
    const s = { ...preset('small-mixed'), name: 'My cluster' };
    expect(scenarioAsEntry(s)).toMatchObject({ id: '', file: '', title: 'My cluster', expect: [] });
    const base = preset('gang-deadlock');
    const story = [{ caption: 'one' }, { caption: 'two', patch: [{ op: 'replace' as const, path: '/sim/seed', value: 5 }] }];
    expect(storyStepOf(base, story, base)).toBe(0);
    expect(storyStepOf(base, story, withSeed(base, 5))).toBe(1);
    expect(storyStepOf(base, story, withSeed(base, 6))).toBeNull();
  });
});

describe('worker failures', () => {
  it('say what failed, briefly', () => {
    const e = new Error('over 1000 milli');
    e.name = 'InvariantError';
    expect(workerMessage(e)).toBe('InvariantError: over 1000 milli');
    expect(workerMessage(new Error('x'.repeat(1000))).length).toBeLessThanOrEqual(401);
  });
});
