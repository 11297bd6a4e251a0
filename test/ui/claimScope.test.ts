/**
 * An edited preset keeps its claim in "What differs" while the claim still applies (issue 18): unclaimed
 * schedulers added or removed, name changed; not after the workloads, the cluster, the seed or a claimed
 * scheduler changed. And with the claim kept, a run added beside the claimed ones does not make the sentences
 * reverse it (nvlink-placement, the preset whose claim rests on training slowdown).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { claimedRuns, claimStillApplies } from '../../src/ui/lib/claimScope.ts';
import { claimOrders, compareRuns } from '../../src/ui/lib/compare.ts';
import { parseManifest, variantScenario, type PresetEntry } from '../../src/ui/share/presetManifest.ts';

const dir = new URL('../../public/scenarios/', import.meta.url);
const parsed = parseManifest(JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')));
const presets: PresetEntry[] = parsed.ok ? parsed.manifest.presets : [];
const load = (file: string): Scenario => {
  const r = parseScenario(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
  if (!r.ok) throw new Error(`${file}: ${r.errors.join('; ')}`);
  return r.scenario;
};
const edited = (s: Scenario, fn: (x: Scenario) => void): Scenario => {
  const x = structuredClone(s);
  fn(x);
  return x;
};
const cases = presets.flatMap((p) => [null, ...Object.keys(p.variants ?? {})].map((v) => [`${p.id}${v ? ` (${v})` : ''}`, p, v] as const));

describe.each(cases)('claimStillApplies on %s', (_name, p, variant) => {
  const v = variantScenario(load(p.file), p, variant);
  if (!v.ok) throw new Error(v.error);
  const shipped = v.value;
  const names = claimedRuns(p.expect, variant);
  it('holds as shipped, renamed, and with an unclaimed scheduler added', () => {
    expect(claimStillApplies(shipped, shipped, p.expect, variant)).toBe(true);
    expect(claimStillApplies(edited(shipped, (x) => void (x.name = 'Mine')), shipped, p.expect, variant)).toBe(true);
    const extra = edited(shipped, (x) => void x.schedulers.push({ profile: 'random', label: 'extra-random' }));
    expect(claimStillApplies(extra, shipped, p.expect, variant)).toBe(true);
  });
  it('is set aside when the workloads, the cluster, the seed or a claimed scheduler change', () => {
    if (shipped.workloads.length) expect(claimStillApplies(edited(shipped, (x) => void x.workloads.pop()), shipped, p.expect, variant)).toBe(false);
    expect(claimStillApplies(edited(shipped, (x) => void (x.cluster.pools[0].count += 1)), shipped, p.expect, variant)).toBe(false);
    expect(claimStillApplies(edited(shipped, (x) => void (x.sim.seed += 1)), shipped, p.expect, variant)).toBe(false);
    const claimed = shipped.schedulers.findIndex((s) => names.includes(s.label ?? s.profile));
    expect(claimed).toBeGreaterThanOrEqual(0);
    expect(claimStillApplies(edited(shipped, (x) => void x.schedulers.splice(claimed, 1)), shipped, p.expect, variant)).toBe(false);
  });
});

describe('the kept claim with a scheduler added', () => {
  it('nvlink-placement + an unclaimed run: still leads with training slowdown and never reverses the claim', () => {
    const p = presets.find((x) => x.id === 'nvlink-placement')!;
    const shipped = load(p.file);
    const s = edited(shipped, (x) => void x.schedulers.push({ profile: 'hami-binpack' }));
    expect(claimStillApplies(s, shipped, p.expect, null)).toBe(true);
    const runs = s.schedulers.map((x, i) => ({ label: x.label ?? x.profile, profile: x.profile, summary: simulate(s, { schedulerIndex: i }).summary }));
    const lines = compareRuns(runs, true, p.expect, null);
    expect(lines[0]).toMatch(/^Training jobs take [\d.]+× their ideal time under hami-spread vs [\d.]+× under hami-topology \(slower/);
    // Each slowdown sentence against the baseline (hami-topology) agrees with the claim's orderings.
    const orders = claimOrders(p.expect, null);
    for (const l of lines) {
      const m = /^Training jobs take ([\d.]+)× their ideal time under (\S+) vs ([\d.]+)× under (\S+) /.exec(l);
      if (!m) continue;
      const [hi, lo] = Number(m[1]) > Number(m[3]) ? [m[2], m[4]] : [m[4], m[2]];
      expect(orders.find((o) => o.metric === 'summary.training.meanSlowdown' && o.hi === lo && o.lo === hi), l).toBeUndefined();
    }
  });
});
