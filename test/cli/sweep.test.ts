import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';
import { expandGrid, parseSeeds, spread } from '../../src/sim/sweep.ts';

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out(t: string) { io.stdout += t + '\n'; }, err(t: string) { io.stderr += t + '\n'; } };
  return io;
}

describe('sweep grid', () => {
  it('expands profiles × knob values × seeds; knobs only where the profile has them', () => {
    const g = expandGrid({ profiles: ['k8s-default', 'hami-binpack'], seeds: [1, 2], knobs: { splitCount: [4, 10] } });
    // k8s-default has no splitCount: 1 combo × 2 seeds; hami-binpack: 2 combos × 2 seeds → 6 replicas
    expect(g.length).toBe(6);
    expect(g.map((r) => r.group)).toEqual(['k8s-default', 'k8s-default', 'hami-binpack splitCount=4', 'hami-binpack splitCount=4', 'hami-binpack splitCount=10', 'hami-binpack splitCount=10']);
  });
  it.each([
    ['42..45', [42, 43, 44, 45]],
    ['1,3,5', [1, 3, 5]],
    ['7', [7]],
    ['5..1', null],
    ['x', null],
  ])('parseSeeds(%s)', (text, seeds) => {
    expect(parseSeeds(text)).toEqual(seeds);
  });
  it('spread: mean and sample standard deviation', () => {
    // values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x−5)² = 32, sample sd = √(32/7) = 2.138
    const s = spread([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect([s.min, s.max]).toEqual([2, 9]);
  });
});

describe('slicebench sweep', () => {
  it('prints one row per replica and a summary per group; replicas are deterministic', async () => {
    const a = capture();
    expect(await main(['sweep', 'public/scenarios/whole-gpu-waste.json', '--profiles', 'k8s-default,hami-binpack', '--seeds', '1..2', '--json'], a)).toBe(0);
    const r = JSON.parse(a.stdout);
    expect(r.replicas).toHaveLength(4);
    expect(r.summary.map((g: { group: string }) => g.group)).toEqual(['k8s-default', 'hami-binpack']);
    const b = capture();
    await main(['sweep', 'public/scenarios/whole-gpu-waste.json', '--profiles', 'k8s-default,hami-binpack', '--seeds', '1..2', '--json'], b);
    expect(JSON.parse(b.stdout).replicas.map((x: { traceHash: string }) => x.traceHash)).toEqual(r.replicas.map((x: { traceHash: string }) => x.traceHash));
    // HAMi packs the same services onto fewer GPUs than whole-GPU scheduling.
    const [k8s, hami] = r.summary;
    expect(hami.stats.gpusInUseAvg.mean).toBeLessThan(k8s.stats.gpusInUseAvg.mean / 2);
  });
  it.each([
    [['sweep', 'public/scenarios/small-mixed.json', '--seeds', 'abc'], /--seeds: expected a range/],
    [['sweep', 'public/scenarios/small-mixed.json', '--profiles', 'nope'], /unknown profile "nope"/],
    [['sweep', 'public/scenarios/small-mixed.json', '--set', 'bogus=1'], /no selected profile has a knob "bogus"/],
    [['sweep', '--openb', '--nodes', 'x.csv'], /--openb needs --nodes/],
  ])('bad input %j → exit 2', async (args, msg) => {
    const io = capture();
    expect(await main(args as string[], io)).toBe(2);
    expect(io.stderr).toMatch(msg);
  });
});
