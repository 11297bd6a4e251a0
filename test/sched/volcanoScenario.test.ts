/**
 * End to end through the simulator: the shipped gang-deadlock preset (two 4 × 4-GPU training jobs on a 16-GPU
 * cluster, workers arriving interleaved) never finishes under k8s-default (test/sim/simulation.test.ts) but
 * completes both jobs under Volcano: one gang runs whole, the other waits whole, then runs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate } from '../../src/sim/simulate.ts';

function preset(name: string, profile: string): Scenario {
  const r = parseScenario(JSON.parse(readFileSync(new URL(`../../public/scenarios/${name}.json`, import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return { ...r.scenario, schedulers: [{ profile }] };
}

describe('gang-deadlock.json under Volcano', () => {
  it.each(['volcano', 'volcano-hami'])('%s completes every training job, never holding a partial gang', (profile) => {
    const s = preset('gang-deadlock', profile);
    const r = simulate(s);
    expect(r.profile).toBe(profile);
    expect(r.summary.training.jobs).toBe(2);
    expect(r.summary.training.completed).toBe(2);
    expect(r.summary.podsPendingAtEnd).toBe(0);
    expect(r.unschedulable).toEqual([]);
    // deterministic
    expect(simulate(s).traceHash).toBe(r.traceHash);
  });

  it('k8s-default on the same scenario completes none (the contrast the preset shows)', () => {
    expect(simulate(preset('gang-deadlock', 'k8s-default')).summary.training.completed).toBe(0);
  });
});
