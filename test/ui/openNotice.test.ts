/**
 * A link's malformed view field is dropped with a warning naming it (scenario/urlCodec.ts): the workbench store
 * shows those warnings as a notice once the scenario loaded, clears it on the next open and keeps the scenario; a
 * broken link or a refused load shows no notice. The worker is a fake that accepts every load (what it simulates
 * is not under test here).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Comlink from 'comlink';
import { createRoot } from 'solid-js';
import { encodeShareHash, type ViewState } from '../../src/scenario/urlCodec.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { MemoryStorage } from '../../src/ui/share/autosave.ts';
import { Workspace } from '../../src/ui/stores/workspace.ts';
import { createWorkbench, type Workbench } from '../../src/ui/stores/workbench.ts';
import type { LoadResult, WorkbenchApi } from '../../src/worker/protocol.ts';

const preset = (id: string): Scenario => JSON.parse(readFileSync(new URL(`../../public/scenarios/${id}.json`, import.meta.url), 'utf8')) as Scenario;

/** A worker that loads every scenario it is sent (or refuses them all while `refuse` is set) and records the names. */
function fakeApi(): { api: Comlink.Remote<WorkbenchApi>; loaded: string[]; refuse: { on: boolean } } {
  const loaded: string[] = [];
  const refuse = { on: false };
  const api = {
    profiles: async () => [],
    setEngine: async () => ({ choice: 'cpu', status: { kind: 'cpu', reason: 'test' } }),
    engine: async () => ({ kind: 'cpu', reason: 'test' }),
    load: async (s: Scenario): Promise<LoadResult> => {
      if (refuse.on) return { ok: false, errors: ['refused by the test worker'] };
      loaded.push(s.name);
      return { ok: true, scenario: s, layout: { runs: [] } as unknown as Extract<LoadResult, { ok: true }>['layout'], frame: { tS: 0, runs: [], replayed: false } };
    },
  };
  return { api: api as unknown as Comlink.Remote<WorkbenchApi>, loaded, refuse };
}

// The store drives playback from animation frames; none are needed here.
const raf = globalThis.requestAnimationFrame;
beforeAll(() => {
  globalThis.requestAnimationFrame = (() => 0) as typeof requestAnimationFrame;
});
afterAll(() => {
  globalThis.requestAnimationFrame = raf;
});

function setup(): { wb: Workbench; ws: Workspace; fake: ReturnType<typeof fakeApi> } {
  const ws = new Workspace({ storage: new MemoryStorage() });
  const fake = fakeApi();
  const wb = createRoot(() => createWorkbench(fake.api, ws));
  return { wb, ws, fake };
}

describe('workbench: what a link ignored reaches the notice', () => {
  it('a malformed view.paper.seeds is named in the notice; the scenario and the rest of the view open', async () => {
    const { wb, ws, fake } = setup();
    const s = preset('tidal-day');
    // seeds must be text ("42..51"); a number is dropped with a warning naming view.paper.seeds.
    const view = { speed: 100, paper: { seeds: 42, rng: 'go' } } as unknown as ViewState;
    expect(await wb.openLink(encodeShareHash(s, view))).toBe(true);
    expect(fake.loaded).toEqual([s.name]);
    expect(ws.scenario).toEqual(s);
    expect(ws.view).toEqual({ speed: 100, paper: { rng: 'go' } });
    const n = wb.openNotice();
    expect(n?.items).toHaveLength(1);
    expect(n?.items[0]).toMatch(/^view\.paper\.seeds: ignored/);
    expect(wb.errors()).toBeNull();
    wb.dismissOpenNotice();
    expect(wb.openNotice()).toBeNull();
  });

  it('a clean link shows no notice and clears the last one; a broken or refused link leaves it as it was', async () => {
    const { wb, fake } = setup();
    const bad = encodeShareHash(preset('tidal-day'), { panel: 'not a panel id!' });
    expect(await wb.openLink(bad)).toBe(true);
    expect(wb.openNotice()?.items).toEqual(['view.panel: ignored (not a panel id)']);
    // A broken link: its error is shown, the notice about the work on screen stays.
    expect(await wb.openLink('#s1.AAAA')).toBe(false);
    expect(wb.errors()?.title).toMatch(/could not be opened/);
    expect(wb.openNotice()?.items).toEqual(['view.panel: ignored (not a panel id)']);
    // The worker refuses the next link's scenario: it is taken back, and its warnings are not shown.
    fake.refuse.on = true;
    expect(await wb.openLink(encodeShareHash(preset('gang-deadlock'), { step: -1 }))).toBe(false);
    expect(wb.openNotice()?.items).toEqual(['view.panel: ignored (not a panel id)']);
    fake.refuse.on = false;
    expect(await wb.openLink(encodeShareHash(preset('gang-deadlock'), { panel: 'charts' }))).toBe(true);
    expect(wb.openNotice()).toBeNull();
  });
});
