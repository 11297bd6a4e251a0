/**
 * The one reader of the presets shipped under public/scenarios/: the manifest (index.json, checked by
 * share/presetManifest.ts) and each preset's scenario (checked by parseScenario), fetched relative to the page
 * and read once. The toolbar's picker, the gallery, presenter mode and the starting preset all read through here.
 */
import type { Scenario } from '../scenario/types.ts';
import { parseScenario } from '../scenario/validate.ts';
import { parseManifest, type PresetEntry } from './share/presetManifest.ts';

/** The preset the workbench opens with when there is no link and no saved work. */
export const START_PRESET = 'small-mixed';

let manifest: Promise<PresetEntry[]> | null = null;
const scenarios = new Map<string, Promise<Scenario>>();

/** The manifest's presets, in order. Rejects with a message naming the file (offline before the first visit, a bad manifest). */
export function presetManifest(): Promise<PresetEntry[]> {
  manifest ??= (async () => {
    const res = await fetch('./scenarios/index.json');
    if (!res.ok) throw new Error(`scenarios/index.json: HTTP ${res.status}`);
    const m = parseManifest(await res.json());
    if (!m.ok) throw new Error(`scenarios/index.json: ${m.errors[0]}`);
    return m.manifest.presets;
  })();
  // A failed read is not cached: the next call tries again (e.g. back online).
  manifest.catch(() => void (manifest = null));
  return manifest;
}

/** A preset's scenario, validated. Rejects with a message naming the file and the field. */
export function presetScenario(entry: Pick<PresetEntry, 'id' | 'file'>): Promise<Scenario> {
  let p = scenarios.get(entry.file);
  if (!p) {
    p = (async () => {
      const res = await fetch(`./scenarios/${entry.file}`);
      if (!res.ok) throw new Error(`scenarios/${entry.file}: HTTP ${res.status}`);
      const r = parseScenario(await res.json());
      if (!r.ok) throw new Error(`scenarios/${entry.file}: ${r.errors[0]}`);
      return r.scenario;
    })();
    scenarios.set(entry.file, p);
    p.catch(() => scenarios.delete(entry.file));
  }
  return p;
}

/** A preset's scenario by id (the manifest names its file). */
export async function presetScenarioById(id: string): Promise<{ entry: PresetEntry; scenario: Scenario }> {
  const entry = (await presetManifest()).find((e) => e.id === id);
  if (!entry) throw new Error(`scenarios/index.json: no preset "${id}"`);
  return { entry, scenario: await presetScenario(entry) };
}
