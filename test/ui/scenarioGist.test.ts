/** The sentence on what will load, shown while a broken link waits for the saved work to be chosen (issue 18). */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Scenario } from '../../src/scenario/types.ts';
import { scenarioGist } from '../../src/ui/lib/scenarioGist.ts';
import { blankScenario } from '../../src/ui/lib/blankScenario.ts';

describe('scenarioGist', () => {
  it('counts nodes and GPUs over the pools, the workloads, and names the schedulers', () => {
    const s = JSON.parse(readFileSync('public/scenarios/gang-deadlock.json', 'utf8')) as Scenario;
    const nodes = s.cluster.pools.reduce((n, p) => n + p.count, 0);
    const gpus = s.cluster.pools.reduce((n, p) => n + p.count * p.gpusPerNode, 0);
    const names = s.schedulers.map((x) => x.label ?? x.profile);
    expect(names.length).toBe(2);
    expect(scenarioGist(s)).toBe(
      `"Training gang deadlock": ${nodes} nodes with ${gpus} GPUs in ${s.cluster.pools.length} pool${s.cluster.pools.length === 1 ? '' : 's'}, ${s.workloads.length} workloads, under ${names[0]} and ${names[1]}`,
    );
  });
  it('writes one of a thing in the singular (the blank scenario: 2 nodes × 8 GPUs, one pool, no workloads)', () => {
    const b = blankScenario();
    expect(scenarioGist({ ...b, schedulers: [b.schedulers[0]] })).toBe(`"New scenario": 2 nodes with 16 GPUs in 1 pool, 0 workloads, under ${b.schedulers[0].label ?? b.schedulers[0].profile}`);
  });
});
