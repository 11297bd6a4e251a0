/**
 * The simulator's speed-ups change no result: every shipped preset gives the trace hash and metrics it gave
 * before them, and the state the simulator caches (the autoscaler's replica scans) always equals a fresh scan.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate } from '../../src/sim/simulate.ts';

function preset(name: string): Scenario {
  const r = parseScenario(JSON.parse(readFileSync(new URL(`../../public/scenarios/${name}.json`, import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

/** sha256 of a value's JSON, first 16 hex digits: any change in any metric's bits changes it. */
function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

// Recorded at commit 15b7369, before the simulator speed-ups: preset, profile, traceHash, digest of the
// summary, digest of the metric series. A speed-up must keep all three.
const PINNED: [string, string, string, string, string][] = [
  ['agents-elastic', 'k8s-default', '77cb9ba2711f6e45', '8c968aeab0ce319b', 'b9c2b9e94fbeb88c'],
  ['agents-elastic', 'hami-binpack', '34e32e691274819c', '38a4fc46f3a82957', '2452b19385991872'],
  ['allocated-not-used', 'k8s-default', 'c9c56603b60bc83d', '073335e86fb870fc', '2bd9dfd7f8620fcb'],
  ['allocated-not-used', 'hami-binpack', 'be4ccbe4804afb8b', 'e350ff4ccdc546c5', '18639a7351f63c3d'],
  ['cpu-starved', 'k8s-default', '509f66d40d7a9ab0', 'e56398ab5f9c6841', 'c74e93332b21d0d5'],
  ['gang-deadlock', 'k8s-default', '125bd7751192f23c', '093c99315aaaa16e', '6a6879dbb11731ca'],
  ['gang-deadlock', 'volcano', 'eca2c342860d950a', '42f43ae82a570593', 'bb3fefc919067608'],
  ['nvlink-placement', 'hami-topology', '36642f20dd5be80f', '6b08f490d33bc0ac', '509a603c65808eaf'],
  ['nvlink-placement', 'hami-spread', '13e421fe209d2b10', '7086b0d1b160654a', '7a689efc98727024'],
  ['nvlink-placement', 'k8s-default', '0e4a983a9fac4e84', 'e37f16ed170b053c', '2f6dbe68a5cf6af5'],
  ['openb-like', 'fgd', 'f1cb39c641e4bf79', 'a506d28dc3ac847a', '8891cb5388b005f3'],
  ['openb-like', 'packing', '745fecc0712460ba', '3a9a7845fd8c8d73', 'beeb844d57500635'],
  ['openb-like', 'bestfit', '2532f2cfc2816fee', '1310cac07e18b1db', '139d02536a0b1b5c'],
  ['openb-like', 'random', '76dc26fb36b2743f', 'af02b173d70e531d', '875247e75260a97f'],
  ['small-mixed', 'k8s-default', '6a6e4c5dfe504267', 'd586285633795d19', 'e2a8b0e43956b087'],
  ['small-mixed', 'hami-binpack', 'e6eed92495faff5b', 'c4d199af635be1c1', '35c75cb5c1d9f45b'],
  ['small-mixed', 'volcano-hami', 'da97b01b9736db4a', 'b6159024e9e46960', 'b113dc5c68032740'],
  ['tidal-day', 'k8s-default', '18b5702e4fabb901', '21f0cef4b077a41b', 'b58b3f93c087e440'],
  ['tidal-day', 'hami-topology', '3205d0295ae51569', 'c99da3fcceae91fb', '91efd8996eb2fa7a'],
  ['trio', 'k8s-default', 'b0b428e1334d0eb0', '4f2e6b278b8da8a9', '54fec66cc975d4f1'],
  ['trio', 'volcano-hami', '786933ebcddbeb7f', '16aa0d3335701530', 'a9cf08cd7afec38b'],
  ['whole-gpu-waste', 'k8s-default', '7ffe81ca30944785', 'b20dd19d114bf03a', '09f371c10e4c6f05'],
  ['whole-gpu-waste', 'hami-binpack', 'b72a2ebf3060e8b0', 'ddfd09e858ed150d', '494cf34908550637'],
];

describe('simulator results are pinned across speed-ups', () => {
  it.each(PINNED)('%s under %s', (name, profile, traceHash, summary, series) => {
    const s = preset(name);
    const r = simulate(s, { schedulerIndex: s.schedulers.findIndex((x) => (x.label ?? x.profile) === profile) });
    expect(r.label).toBe(profile);
    expect(r.traceHash).toBe(traceHash);
    expect(digest(r.summary)).toBe(summary);
    expect(digest(r.series)).toBe(series);
  });
});

describe('cached replica scans', () => {
  // Presets with inference services, under profiles that give replicas whole cards (k8s-default), shared
  // cards with OOM kills (k8s-timeslicing), HAMi slices (hami-binpack) and gang scheduling (volcano-hami):
  // with checkCaches the simulator rescans every service at every tick and throws if the cached scan differs.
  const cases = ['tidal-day', 'small-mixed', 'trio', 'allocated-not-used', 'whole-gpu-waste'].flatMap((name) =>
    ['k8s-default', 'k8s-timeslicing', 'hami-binpack', 'volcano-hami'].map((profile) => [name, profile] as const));
  it.each(cases)('%s under %s: every cached scan equals a fresh one', (name, profile) => {
    const s = { ...preset(name), schedulers: [{ profile }] };
    const checked = simulate(s, { checkCaches: true });
    expect(checked.traceHash).toBe(simulate(s).traceHash);
  });
});
