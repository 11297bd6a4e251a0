/** The preset scenarios shipped under public/scenarios/ (listed by its index.json, fetched relative to the page). */

export interface PresetEntry {
  id: string;
  file: string;
}

/** Used when index.json cannot be read. */
export const FALLBACK_PRESETS: PresetEntry[] = ['small-mixed', 'whole-gpu-waste', 'cpu-starved', 'tidal-day', 'gang-deadlock'].map((id) => ({ id, file: `${id}.json` }));

/** The preset list. */
export async function fetchPresetList(): Promise<PresetEntry[]> {
  try {
    const res = await fetch('./scenarios/index.json');
    if (!res.ok) return FALLBACK_PRESETS;
    const json = (await res.json()) as { presets?: PresetEntry[] };
    const list = (json.presets ?? []).filter((p) => typeof p.id === 'string' && typeof p.file === 'string' && /^[\w.-]+\.json$/.test(p.file));
    return list.length ? list : FALLBACK_PRESETS;
  } catch {
    return FALLBACK_PRESETS;
  }
}

/** A preset's JSON. Throws with the file name when it cannot be fetched. */
export async function fetchPreset(file: string): Promise<unknown> {
  const res = await fetch(`./scenarios/${file}`);
  if (!res.ok) throw new Error(`scenarios/${file}: HTTP ${res.status}`);
  return res.json();
}
