import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { UndoHistory } from '../../src/ui/share/history.ts';
import { Autosave, AUTOSAVE_KEY, MemoryStorage } from '../../src/ui/share/autosave.ts';
import { importScenarioText, scenarioFileName, scenarioToJson } from '../../src/ui/share/scenarioFile.ts';
import { Workspace } from '../../src/ui/stores/workspace.ts';
import { encodeShareHash } from '../../src/scenario/urlCodec.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { scenarioArb } from '../scenario/arbitraries.ts';

const preset = (id: string): Scenario => JSON.parse(readFileSync(new URL(`../../public/scenarios/${id}.json`, import.meta.url), 'utf8')) as Scenario;
const withSeed = (s: Scenario, seed: number): Scenario => ({ ...s, sim: { ...s.sim, seed } });
const withCount = (s: Scenario, count: number): Scenario => ({ ...s, cluster: { ...s.cluster, pools: [{ ...s.cluster.pools[0], count }, ...s.cluster.pools.slice(1)] } });

describe('UndoHistory capture policy', () => {
  it('each discrete edit is one step; undo and redo walk them', () => {
    const h = new UndoHistory<number[]>([0]);
    h.record([1]);
    h.record([2]);
    expect([h.value, h.undoDepth]).toEqual([[2], 2]);
    h.undo();
    expect(h.value).toEqual([1]);
    h.undo();
    expect(h.value).toEqual([0]);
    expect(h.undo()).toBe(false);
    h.redo();
    expect(h.value).toEqual([1]);
  });

  it('a drag is one step however many intermediate values it shows', () => {
    const h = new UndoHistory<{ count: number }>({ count: 4 });
    h.begin();
    for (let c = 5; c <= 40; c++) h.preview({ count: c });
    h.commit();
    // 36 previews, 1 step: one undo goes back to where the drag started.
    expect(h.undoDepth).toBe(1);
    h.undo();
    expect(h.value).toEqual({ count: 4 });
    h.redo();
    expect(h.value).toEqual({ count: 40 });
  });

  it('a gesture that ends where it started is no step; cancel restores the start', () => {
    const h = new UndoHistory({ v: 1 });
    h.begin();
    h.preview({ v: 9 });
    h.preview({ v: 1 });
    expect(h.commit()).toBe(false);
    expect(h.undoDepth).toBe(0);
    h.preview({ v: 7 }); // preview opens a gesture by itself
    h.cancel();
    expect(h.value).toEqual({ v: 1 });
  });

  it('typing in one field coalesces; another field or an undo breaks the run', () => {
    const h = new UndoHistory({ a: '', b: '' });
    for (const a of ['1', '12', '128']) h.record({ a, b: '' }, { coalesce: 'a' });
    expect(h.undoDepth).toBe(1);
    h.record({ a: '128', b: 'x' }, { coalesce: 'b' });
    h.record({ a: '128', b: 'xy' }, { coalesce: 'b' });
    expect(h.undoDepth).toBe(2);
    h.undo();
    expect(h.value).toEqual({ a: '128', b: '' });
    h.record({ a: '1280', b: '' }, { coalesce: 'a' }); // after an undo, a new step even with the same key
    expect(h.undoDepth).toBe(2);
  });

  it('an edit that changes nothing is not a step; a new edit clears redo', () => {
    const h = new UndoHistory({ v: 1 });
    expect(h.record({ v: 1 })).toBe(false);
    h.record({ v: 2 });
    h.undo();
    expect(h.redoDepth).toBe(1);
    h.record({ v: 3 });
    expect(h.redoDepth).toBe(0);
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    const h = new UndoHistory(0, 5);
    for (let i = 1; i <= 12; i++) h.record(i);
    expect(h.undoDepth).toBe(5);
    while (h.undo());
    // 12 edits, 5 kept: the oldest reachable value is 12 − 5 = 7.
    expect(h.value).toBe(7);
  });

  it('property: undoing every step returns to the start; redoing all returns to the end', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }).map((v) => ({ t: 'rec' as const, v })), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }).map((vs) => ({ t: 'drag' as const, vs }))), { maxLength: 30 }), (ops) => {
        const h = new UndoHistory(-1, 1000);
        for (const op of ops) {
          if (op.t === 'rec') h.record(op.v);
          else {
            h.begin();
            for (const v of op.vs) h.preview(v);
            h.commit();
          }
        }
        const end = h.value;
        const steps = h.undoDepth;
        while (h.undo());
        expect(h.value).toBe(-1);
        for (let i = 0; i < steps; i++) h.redo();
        expect(h.value).toBe(end);
      }),
    );
  });
});

describe('Autosave', () => {
  it('saves and restores scenario and view', () => {
    const st = new MemoryStorage();
    const a = new Autosave(st);
    const s = preset('gang-deadlock');
    expect(a.load()).toMatchObject({ ok: false, empty: true });
    a.save({ scenario: s, view: { timeS: 60 } });
    expect(new Autosave(st).load()).toEqual({ ok: true, saved: { scenario: s, view: { timeS: 60 } } });
  });

  it('a damaged or newer record is kept aside, not overwritten', () => {
    const st = new MemoryStorage();
    const newer = JSON.stringify({ kind: 'slicebench/autosave', v: 1, scenario: { ...preset('gang-deadlock'), version: 9 }, view: {} });
    st.setItem(AUTOSAVE_KEY, newer);
    const a = new Autosave(st);
    const r = a.load();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/newer Slicebench.*kept aside/);
    a.save({ scenario: preset('cpu-starved'), view: {} });
    expect(st.getItem(`${AUTOSAVE_KEY}.unreadable`)).toBe(newer);
    expect(new Autosave(st).load().ok).toBe(true);
  });

  it('a full quota is a message, not an exception', () => {
    const st = new MemoryStorage();
    st.failWrites = new Error('QuotaExceededError');
    const a = new Autosave(st);
    expect(a.save({ scenario: preset('gang-deadlock'), view: {} })).toBe(false);
    expect(a.lastError).toMatch(/not being saved: .*storage .* is full.*export the scenario/);
  });
});

describe('scenario files', () => {
  it('export then import gives the same scenario', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = importScenarioText(scenarioToJson(s));
        expect(r).toEqual({ ok: true, scenario: s });
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['{ "kind": "slicebench/scenario", ', /not valid JSON: line 1, column \d+/],
    ['{\n  "a": 1,\n  oops\n}', /not valid JSON: line 3, column 3/],
    ['[]', /not a valid scenario: scenario: must be an object/],
  ])('invalid text %j names where', (text, msg) => {
    const r = importScenarioText(text, 'x.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(msg);
  });

  it('file names', () => {
    expect(scenarioFileName({ name: 'Whole-GPU waste: small models on big cards' })).toBe('whole-gpu-waste-small-models-on-big-cards.json');
    expect(scenarioFileName({ name: 'Écoles ✨' }, 'csv')).toBe('ecoles.csv');
    expect(scenarioFileName({ name: '✨' })).toBe('scenario.json');
  });

  it('accepts a byte-order mark', () => {
    expect(importScenarioText('\ufeff' + scenarioToJson(preset('gang-deadlock'))).ok).toBe(true);
  });
});

/** Counts the writes to a storage (an autosave is one write). */
function countWrites(st: MemoryStorage): { n: number } {
  const count = { n: 0 };
  const set = st.setItem.bind(st);
  st.setItem = (k, v) => {
    count.n++;
    set(k, v);
  };
  return count;
}

describe('Workspace', () => {
  const make = (st = new MemoryStorage()) => ({ st, ws: new Workspace({ initial: preset('small-mixed'), storage: st }) });

  it('the working scenario survives a reload (autosave on every committed edit)', () => {
    const { st, ws } = make();
    ws.record(withSeed(ws.scenario, 7));
    ws.setView({ panel: 'charts', timeS: 600 });
    const again = new Workspace({ initial: preset('gang-deadlock'), storage: st });
    expect(again.scenario.sim.seed).toBe(7);
    expect(again.view).toEqual({ panel: 'charts', timeS: 600 });
    expect(again.origin).toBe('autosave');
  });

  it('a drag is saved once, at commit, and undone in one step', () => {
    const { st, ws } = make();
    const writes = countWrites(st);
    ws.begin();
    for (let c = 3; c <= 10; c++) ws.preview(withCount(ws.scenario, c));
    expect(writes.n).toBe(0);
    ws.commit();
    expect(writes.n).toBe(1);
    expect(ws.scenario.cluster.pools[0].count).toBe(10);
    ws.undo();
    expect(ws.scenario.cluster.pools[0].count).toBe(2); // small-mixed has 2 H100 nodes
  });

  it('a broken link leaves the work, the history and the saved work untouched', () => {
    const { st, ws } = make();
    ws.record(withSeed(ws.scenario, 11));
    const saved = st.getItem(AUTOSAVE_KEY);
    const before = ws.scenario;
    const good = encodeShareHash(preset('tidal-day'));
    for (const hash of ['#s1.', good.slice(0, 100), '#s2' + good.slice(3), good.replace('A', '*'), '#nonsense']) {
      const r = ws.openLink(hash);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
    }
    expect(ws.scenario).toBe(before);
    expect(st.getItem(AUTOSAVE_KEY)).toBe(saved);
    ws.undo();
    expect(ws.scenario.sim.seed).toBe(42); // the only step is still the seed edit
  });

  it('fuzz: no random or mutated link changes the saved work unless it opens', () => {
    const { st, ws } = make();
    const good = encodeShareHash(preset('cpu-starved'), { panel: 'charts' });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.tuple(fc.nat(), fc.constantFrom('A', 'z', '_', '0')).map(([i, c]) => good.slice(0, 4 + (i % (good.length - 4))) + c + good.slice(5 + (i % (good.length - 4))))), (hash) => {
        const saved = st.getItem(AUTOSAVE_KEY);
        const before = ws.scenario;
        const r = ws.openLink(hash);
        if (!r.ok) {
          expect(ws.scenario).toBe(before);
          expect(st.getItem(AUTOSAVE_KEY)).toBe(saved);
        } else expect(JSON.parse(st.getItem(AUTOSAVE_KEY)!).scenario).toEqual(ws.scenario);
      }),
      { numRuns: 1000 },
    );
  });

  it('opening a link restores exactly what was shared, and undo goes back to the previous work', () => {
    const a = make().ws;
    a.record(withSeed(a.scenario, 1234));
    a.setView({ timeS: 3600, panel: 'compare', profiles: [0] });
    const b = make().ws;
    expect(b.openLink(a.shareHash())).toEqual({ ok: true, warnings: [] });
    expect(b.scenario).toEqual(a.scenario);
    expect(b.view).toEqual(a.view);
    b.undo();
    expect(b.scenario).toEqual(preset('small-mixed'));
  });

  it('an invalid import names the field and keeps the saved work', () => {
    const { st, ws } = make();
    ws.record(withSeed(ws.scenario, 5));
    const saved = st.getItem(AUTOSAVE_KEY);
    const bad = { ...preset('gang-deadlock'), sim: { durationS: 0, seed: 1, metricsStepS: 60 } };
    const r = ws.importJson(JSON.stringify(bad), 'bad.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('bad.json is not a valid scenario: sim.durationS: must be ≥ 1.');
    expect(st.getItem(AUTOSAVE_KEY)).toBe(saved);
    expect(ws.scenario.sim.seed).toBe(5);
    expect(ws.importJson(ws.exportJson().text).ok).toBe(true);
  });

  it('reset to preset puts the preset back after edits, as one undoable step', () => {
    const { ws } = make();
    expect(ws.resetToPreset()).toBe(false);
    ws.openPreset('gang-deadlock', preset('gang-deadlock'));
    expect(ws.view.preset).toBe('gang-deadlock');
    ws.record(withCount(ws.scenario, 5));
    ws.record(withSeed(ws.scenario, 3));
    expect(ws.resetToPreset()).toBe(true);
    expect(ws.scenario).toEqual(preset('gang-deadlock'));
    ws.undo();
    expect(ws.scenario.sim.seed).toBe(3);
  });

  it('blank or imported work leaves the preset it replaced: no reset, no preset in the link; a refused open restores both', () => {
    const { ws } = make();
    ws.openPreset('gang-deadlock', preset('gang-deadlock'));
    const blank = { ...preset('small-mixed'), name: 'My own cluster' };
    ws.open(blank);
    expect(ws.presetId).toBeNull();
    expect(ws.view.preset).toBeUndefined();
    expect(ws.resetToPreset()).toBe(false);
    // The simulator refuses what was opened: the preset work comes back with its preset.
    ws.retract();
    expect(ws.scenario).toEqual(preset('gang-deadlock'));
    expect(ws.presetId).toBe('gang-deadlock');
    expect(ws.view.preset).toBe('gang-deadlock');
    // A file import leaves the preset too.
    expect(ws.importJson(JSON.stringify(blank)).ok).toBe(true);
    expect(ws.presetId).toBeNull();
    expect(ws.view.preset).toBeUndefined();
  });

  it('edit commands follow their capture: a dial drag is one step, keys on one dial coalesce, a button is a step', () => {
    const { st, ws } = make();
    const writes = countWrites(st);
    // A drag of the dial: a hundred previews, then the pointer-up edit that ends the gesture.
    for (let c = 3; c <= 102; c++) ws.edit(withCount(ws.scenario, c), { kind: 'gesture' });
    expect(writes.n).toBe(0);
    expect(ws.canUndo).toBe(true);
    ws.edit(withCount(ws.scenario, 102), { kind: 'gesture', end: true });
    expect(writes.n).toBe(1);
    // Arrow keys on the dial: one step; a button press after them: another.
    for (let c = 103; c <= 110; c++) ws.edit(withCount(ws.scenario, c), { kind: 'coalesce', key: 'dial:h100' });
    ws.edit(withSeed(ws.scenario, 9));
    expect(ws.undo()).toBe(true);
    expect(ws.scenario.cluster.pools[0].count).toBe(110);
    expect(ws.undo()).toBe(true);
    expect(ws.scenario.cluster.pools[0].count).toBe(102);
    expect(ws.undo()).toBe(true);
    expect(ws.scenario.cluster.pools[0].count).toBe(2);
    expect(ws.undo()).toBe(false);
  });

  it('an empty start: the first open is no undo step and nothing is saved before it', () => {
    const st = new MemoryStorage();
    const ws = new Workspace({ storage: st });
    expect(ws.hasScenario).toBe(false);
    ws.setView({ panel: 'charts' });
    expect(st.getItem(AUTOSAVE_KEY)).toBeNull();
    expect(ws.openLink(encodeShareHash(preset('tidal-day'))).ok).toBe(true);
    expect(ws.hasScenario).toBe(true);
    expect(ws.canUndo).toBe(false);
    expect(JSON.parse(st.getItem(AUTOSAVE_KEY)!).scenario).toEqual(preset('tidal-day'));
  });

  it('retract takes back a refused open: the work before it returns and there is nothing to redo', () => {
    const { ws } = make();
    ws.record(withSeed(ws.scenario, 8));
    ws.open(preset('gang-deadlock'));
    ws.retract();
    expect(ws.scenario.sim.seed).toBe(8);
    expect(ws.scenario.name).toBe(preset('small-mixed').name);
    expect(ws.canRedo).toBe(false);
  });

  it('a preset variant opens with the preset as shipped as its reset base', () => {
    const { ws } = make();
    const shipped = preset('cpu-starved');
    ws.openPreset('cpu-starved', withSeed(shipped, 77), {}, shipped);
    expect(ws.scenario.sim.seed).toBe(77);
    expect(ws.resetToPreset()).toBe(true);
    expect(ws.scenario).toEqual(shipped);
  });

  it('notifies subscribers on every change', () => {
    const { ws } = make();
    let n = 0;
    const off = ws.subscribe(() => n++);
    ws.record(withSeed(ws.scenario, 2));
    ws.setView({ panel: 'x' });
    ws.undo();
    off();
    ws.redo();
    expect(n).toBe(3);
  });
});

describe('jsonEqual', () => {
  it('ignores key order but not values', async () => {
    const { jsonEqual } = await import('../../src/ui/share/history.ts');
    expect(jsonEqual({ a: 1, b: { c: [1, 2], d: 2 } }, { b: { d: 2, c: [1, 2] }, a: 1 })).toBe(true);
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true); // undefined members are not JSON
  });
});
