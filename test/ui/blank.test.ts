/** The "New (blank)" scenario of the preset picker validates and runs (an empty cluster load, not an error). */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/validate.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { blankScenario } from '../../src/ui/lib/blankScenario.ts';

describe('blankScenario', () => {
  it('validates, has no workloads, and runs to an idle cluster', () => {
    const r = parseScenario(blankScenario());
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    expect(r.scenario.workloads).toEqual([]);
    const run = simulate(r.scenario);
    expect(run.summary.gpus).toBe(16);
    expect(run.summary.allocationPct).toBe(0);
    expect(run.summary.podsCreated).toBe(0);
  });
});
