/**
 * Every preset under each of its own schedulers and under all registered profiles gives the pinned traceHash,
 * summary and metric series (test/sim/pins.json). A refactor changes none; an intended model change re-pins with
 * `npm run pins -- --write` and says in its commit what moved and why.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { listProfiles } from '../../src/sched/profiles/index.ts';
import { pinOf, pinRuns, presetNames, type Pins } from './pinsLib.ts';

const pinned: Pins = JSON.parse(readFileSync(new URL('./pins.json', import.meta.url), 'utf8'));

describe('pinned results of every preset under every profile', () => {
  it('pins every preset under all 17 profiles and nothing else', () => {
    const keys = presetNames().flatMap((n) => pinRuns(n).map((r) => r.key)).sort();
    expect(Object.keys(pinned).sort()).toEqual(keys);
    expect(listProfiles()).toHaveLength(17);
  });
  for (const name of presetNames()) {
    it.each(pinRuns(name).map((r) => [r.key, r] as const))('%s', (key, run) => {
      expect(pinOf(run.scenario, run.schedulerIndex), key).toEqual(pinned[key]);
    });
  }
});
