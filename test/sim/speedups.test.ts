/**
 * The state the simulator caches (the autoscaler's replica scans) always equals a fresh scan. (The results the
 * speed-ups had to keep, recorded at commit 15b7369, are part of test/sim/pins.json, checked by pins.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/simulate.ts';
import { preset } from './pinsLib.ts';

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
