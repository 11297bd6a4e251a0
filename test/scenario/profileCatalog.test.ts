import { describe, expect, it } from 'vitest';
import { PROFILE_CATALOG, checkProfileOptions, profileInfo } from '../../src/scenario/profileCatalog.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { listProfiles } from '../../src/sched/profiles/index.ts';

describe('profile catalog (data only; the registry adds the factories)', () => {
  it('lists the registered profiles, in the registry order', () => {
    expect(PROFILE_CATALOG.map((p) => p.name)).toEqual(listProfiles().map((p) => p.name));
    expect(PROFILE_CATALOG).toHaveLength(17);
  });

  it('is where every registered profile takes its metadata from', () => {
    for (const def of listProfiles()) {
      const info = profileInfo(def.name)!;
      expect({ name: def.name, title: def.title, summary: def.summary, models: def.models }).toEqual({ name: info.name, title: info.title, summary: info.summary, models: info.models });
      // The same objects, not copies: a knob edited in the catalog is the knob the scheduler is built from.
      expect(def.knobs).toBe(info.knobs);
      expect(def.defaults).toBe(info.defaults);
    }
  });

  it('has a default and a help text for every knob, and defaults that pass its own checks', () => {
    for (const p of PROFILE_CATALOG) {
      for (const k of p.knobs) {
        expect(k.help.length, `${p.name}.${k.key}`).toBeGreaterThan(10);
        expect(p.defaults, `${p.name}.${k.key}`).toHaveProperty(k.key);
      }
      expect(Object.keys(p.defaults).sort()).toEqual(p.knobs.map((k) => k.key).sort());
      expect(checkProfileOptions(p, p.defaults, 'o'), p.name).toEqual([]);
    }
  });

  it('checks knob values, naming the knob', () => {
    const hami = profileInfo('hami-binpack')!;
    expect(checkProfileOptions(hami, { splitCount: 0, nodePolicy: 'tight', scoreRequestTerms: 1 }, 'o')).toEqual([
      'o.splitCount: must be between 1 and 100',
      'o.nodePolicy: must be one of binpack, spread',
      'o.scoreRequestTerms: must be true or false',
    ]);
    expect(checkProfileOptions(profileInfo('random')!, { x: 1 }, 'o')).toEqual(['o.x: unknown option for profile random (known: none)']);
    expect(profileInfo('nope')).toBeUndefined();
  });

  it('is what validation reads', () => {
    const r = parseScenario({ kind: 'slicebench/scenario', version: 1, name: 'x', cluster: { pools: [] }, workloads: [], schedulers: [{ profile: 'nope' }], sim: { durationS: 60, seed: 1, metricsStepS: 10 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(`schedulers[0].profile: unknown profile "nope" (known: ${PROFILE_CATALOG.map((p) => p.name).join(', ')})`);
  });
});
