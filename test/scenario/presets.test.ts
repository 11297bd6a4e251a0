/**
 * The presets keep the talk's claims true: every preset listed in public/scenarios/index.json is run under each
 * profile (and variant) its assertions name, with the same simulate() the app runs, and every stated number is
 * checked. A model change that breaks a claim fails here, naming the preset, the run and the number.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate } from '../../src/sim/simulate.ts';
import {
  CLAIMS,
  checkExpectations,
  describeCheck,
  metricValue,
  parseManifest,
  runKeyId,
  runsNeeded,
  schedulerIndex,
  storyScenario,
  variantScenario,
  type PresetEntry,
  type RunMetrics,
} from '../../src/ui/share/presetManifest.ts';
import { applyPatch } from '../../src/ui/share/jsonPatch.ts';
import { canonicalJson } from '../../src/ui/share/history.ts';

const dir = new URL('../../public/scenarios/', import.meta.url);
const manifestJson = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8'));
const parsed = parseManifest(manifestJson);
const presets: PresetEntry[] = parsed.ok ? parsed.manifest.presets : [];
const load = (file: string): Scenario => {
  const r = parseScenario(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
  if (!r.ok) throw new Error(`${file}: ${r.errors.join('; ')}`);
  return r.scenario;
};

describe('the preset manifest', () => {
  it('is valid', () => {
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it('lists every scenario file shipped in public/scenarios', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
    expect(presets.map((p) => p.file).sort()).toEqual(files);
  });

  it('has at least one preset for each of the eight claims of the talk', () => {
    const covered = new Set(presets.map((p) => p.claim));
    expect(Object.keys(CLAIMS).map(Number).filter((c) => !covered.has(c))).toEqual([]);
  });

  it.each(presets.map((p) => [p.id, p]))('%s: its profiles are the scenario schedulers, in order, and its variants and story steps validate', (_id, p) => {
    const s = load(p.file);
    expect(s.schedulers.map((x) => x.label ?? x.profile)).toEqual(p.profiles);
    for (const prof of p.profiles) expect(schedulerIndex(s, prof)).toBeGreaterThanOrEqual(0);
    for (const v of Object.keys(p.variants ?? {})) {
      const r = variantScenario(s, p, v);
      if (!r.ok) throw new Error(r.error);
      expect(parseScenario(r.value)).toMatchObject({ ok: true });
    }
    (p.story ?? []).forEach((step, k) => {
      const r = storyScenario(s, p.story!, k);
      if (!r.ok) throw new Error(r.error);
      expect(parseScenario(r.value)).toMatchObject({ ok: true });
      if (step.atS !== undefined) expect(step.atS).toBeLessThanOrEqual(r.value.sim.durationS);
    });
  });
});

describe.each(presets.map((p) => [p.id, p] as const))('preset %s is told in its own words', (_id, p) => {
  it('has one name: the scenario heading shows the title the gallery and the picker show', () => {
    expect(load(p.file).name).toBe(p.title);
  });

  it('every stated number can be checked in the app (its runs are of the variant on screen)', () => {
    // The app checks a line against the runs on screen, which are all of one variant (appChecks in
    // src/ui/share/ShareTools.tsx): a line comparing two variants could never be checked there.
    for (const e of p.expect) {
      const left = e.variant ?? null;
      const right = e.than && e.than.variant !== undefined ? e.than.variant : left;
      expect(right, `"${e.text}" compares ${left ?? 'the preset as shipped'} with ${right ?? 'the preset as shipped'}`).toBe(left);
    }
  });

  // Only presets with a story have a closing slide (the others present as a one-step story of themselves).
  if (p.story?.length) it('its closing story step is the preset or one of its variants, so the closing slide has checks', () => {
    // The presenter shows the stated numbers only on a scenario that is exactly the preset or a variant
    // (share/controller.ts identifies it by its canonical JSON); a patch of its own would leave the slide bare.
    const s = load(p.file);
    const last = storyScenario(s, p.story!, p.story!.length - 1);
    if (!last.ok) throw new Error(last.error);
    const match = [null, ...Object.keys(p.variants ?? {})].find((v) => {
      const r = variantScenario(s, p, v);
      return r.ok && canonicalJson(r.value) === canonicalJson(last.value);
    });
    expect(match, 'the closing step matches no variant').not.toBeUndefined();
    expect(p.expect.filter((e) => (e.variant ?? null) === match).length).toBeGreaterThan(0);
  });

  it('has no developer text (file paths, code identifiers, upstream package names) in what people read', () => {
    const s = load(p.file);
    const texts = [p.title, p.explanation, s.description ?? '', ...p.expect.map((e) => e.text), ...(p.story ?? []).map((x) => x.caption)];
    for (const t of texts) {
      expect(t, t).not.toMatch(/[\w-]+\/[\w-]+\.(ts|js|json|go)\b|`|\b[a-z]+[A-Z]\w*\b|go-gpuallocator/);
    }
  });
});

describe.each(presets.map((p) => [p.id, p] as const))('preset %s shows its numbers', (_id, p) => {
  const base = load(p.file);
  const runs = new Map<string, RunMetrics>();
  for (const key of runsNeeded(p)) {
    const v = variantScenario(base, p, key.variant);
    if (!v.ok) throw new Error(v.error);
    const idx = schedulerIndex(v.value, key.profile);
    const r = simulate(v.value, { schedulerIndex: idx });
    runs.set(runKeyId(key), { summary: r.summary, series: r.series });
  }
  const results = checkExpectations(p, (k) => runs.get(runKeyId(k)));
  it.each(results.map((c) => [c.expect.text, c] as const))('%s', (_text, c) => {
    // The message shows the measured number next to what it should be, e.g.
    // "k8s-default: 96.6 % (should be > 90 %)".
    expect(c.pass, describeCheck(c)).toBe(true);
  });
});

describe('assertions can fail', () => {
  const run: RunMetrics = {
    summary: { allocationPct: 80, training: { completed: 2 } } as unknown as RunMetrics['summary'],
    series: [{ tS: 60, strandedGpus: 3 }, { tS: 120, strandedGpus: 9 }, { tS: 180, strandedGpus: 1 }] as unknown as RunMetrics['series'],
  };
  const other: RunMetrics = { summary: { allocationPct: 40 } as unknown as RunMetrics['summary'], series: [] };
  const entry = (e: Partial<PresetEntry['expect'][number]>): PresetEntry => ({
    id: 'x', file: 'x.json', title: 'x', explanation: 'A. B.', claim: 1, profiles: ['a', 'b'],
    expect: [{ metric: 'summary.allocationPct', profile: 'a', op: '>', text: 't', ...e }],
  });
  const check = (e: Partial<PresetEntry['expect'][number]>) => checkExpectations(entry(e), (k) => (k.profile === 'a' ? run : other))[0];

  it.each([
    // 80 > 79 passes, 80 > 80 fails; == is exact
    [{ value: 79 }, true],
    [{ value: 80 }, false],
    [{ op: '>=' as const, value: 80 }, true],
    [{ op: '==' as const, value: 80.0001 }, false],
    // comparisons with another run: 80 > 1.9 × 40 = 76 passes, 80 > 2.1 × 40 = 84 fails
    [{ than: { profile: 'b' }, factor: 1.9 }, true],
    [{ than: { profile: 'b' }, factor: 2.1 }, false],
    // a metric that does not exist never passes
    [{ metric: 'summary.nothing', value: 0 }, false],
    [{ metric: 'series.max.strandedGpus', value: 8 }, true],
    [{ metric: 'series.max.strandedGpus', value: 9 }, false],
  ])('%j → %s', (e, pass) => {
    expect(check(e).pass).toBe(pass);
  });

  it('series aggregates', () => {
    // strandedGpus over the samples: 3, 9, 1 → max 9, min 1, last 1, at 120 s → 9
    expect(metricValue(run, 'series.max.strandedGpus')).toBe(9);
    expect(metricValue(run, 'series.min.strandedGpus')).toBe(1);
    expect(metricValue(run, 'series.last.strandedGpus')).toBe(1);
    expect(metricValue(run, 'series.at.120.strandedGpus')).toBe(9);
    expect(metricValue(run, 'series.at.121.strandedGpus')).toBeUndefined();
    expect(metricValue(run, 'summary.training.completed')).toBe(2);
  });

  it('the manifest checker names bad fields', () => {
    const bad = structuredClone(manifestJson);
    bad.presets[0].explanation = 'Only one sentence.';
    bad.presets[0].expect[0].profile = 'nobody';
    bad.presets[0].expect[1].metric = 'summary';
    bad.presets[1].claim = 9;
    const r = parseManifest(bad);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        'presets[0].explanation: must be two sentences (found 1)',
        expect.stringMatching(/^presets\[0\]\.expect\[0\]\.profile: must be one of the preset's profiles/),
        'presets[0].expect[1].metric: unknown metric path "summary"',
        'presets[1].claim: must be 1–8',
      ]);
  });
});

describe('JSON patch', () => {
  const doc = { a: { b: [1, 2, 3] }, 'x/y': 1, 't~': 2 };
  it.each([
    [[{ op: 'replace', path: '/a/b/1', value: 9 }], { a: { b: [1, 9, 3] }, 'x/y': 1, 't~': 2 }],
    [[{ op: 'add', path: '/a/b/-', value: 4 }], { a: { b: [1, 2, 3, 4] }, 'x/y': 1, 't~': 2 }],
    [[{ op: 'add', path: '/a/b/0', value: 0 }], { a: { b: [0, 1, 2, 3] }, 'x/y': 1, 't~': 2 }],
    [[{ op: 'remove', path: '/x~1y' }, { op: 'replace', path: '/t~0', value: 3 }], { a: { b: [1, 2, 3] }, 't~': 3 }],
    [[{ op: 'add', path: '/c', value: { d: 1 } }, { op: 'test', path: '/c/d', value: 1 }], { a: { b: [1, 2, 3] }, 'x/y': 1, 't~': 2, c: { d: 1 } }],
  ] as const)('%j', (ops, want) => {
    const r = applyPatch(doc, ops as never);
    expect(r).toEqual({ ok: true, value: want });
    expect(doc.a.b).toEqual([1, 2, 3]); // the input is never modified
  });
  it.each([
    [[{ op: 'replace', path: '/nope', value: 1 }], /no such member/],
    [[{ op: 'add', path: '/a/b/7', value: 1 }], /out of range/],
    [[{ op: 'remove', path: '/a/zz/1' }], /no such path/],
    [[{ op: 'test', path: '/x~1y', value: 2 }], /test failed/],
    [[{ op: 'replace', path: 'a', value: 1 }], /must start with/],
    [[{ op: 'move', path: '/a', from: '/b' }], /unsupported op/],
  ] as const)('%j fails with a message', (ops, msg) => {
    const r = applyPatch(doc, ops as never);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(msg);
  });
});
