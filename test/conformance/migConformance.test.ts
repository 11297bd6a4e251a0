// @vitest-environment node
/**
 * The MIG vectors of ../shared/conformance/dra_mig.json (HAMi v2.10.0 dynamic MIG: README-dra-mig.md §3) through
 * the MIG adapter, one test per case, plus worked examples from ../shared/docs/domain-mig-dra.md §6.6.5 (the
 * balanced packing sequence of HAMi's TestSelectMigPlacementUsesBalancedPacking, and Fit's re-scan of a MIG card).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migAdapter } from '../../src/conformance/mig.ts';
import { runCases } from '../../src/conformance/runner.ts';
import type { ConformanceCase } from '../../src/conformance/types.ts';
import { gpuFit } from '../../src/sched/hami/fit.ts';
import { defaultPodOptions, type HamiGpu } from '../../src/sched/hami/types.ts';
import { hamiMigProfiles, selectMigCandidate, selectMigPlacement } from '../../src/sched/mig/hamiMig.ts';

const FILE = new URL('../../../shared/conformance/dra_mig.json', import.meta.url);
const cases: ConformanceCase[] = JSON.parse(readFileSync(FILE, 'utf8'));
const migCases = cases.filter((c) => migAdapter.supports(c));

describe('dra_mig.json MIG conformance', () => {
  it('has the five MIG cases of the file', () => {
    expect(migCases.map((c) => c.input.function).sort()).toEqual(['hami_mig_filter', 'hami_mig_fit', 'hami_mig_select', 'mig_layout_feasible', 'mig_place']);
  });
  for (const c of migCases) {
    it(`${c.id} (${String(c.input.function)})`, () => {
      const out = migAdapter.run(c);
      expect(out.status, out.detail).toBe('pass');
    });
  }
  it('the runner dispatches the file by function: no MIG case is unsupported', () => {
    const report = runCases(cases, FILE.pathname);
    for (const c of report.cases.filter((r) => migCases.some((m) => m.id === r.id))) expect(c.status, c.id).toBe('pass');
  });
});

describe('HAMi dynamic MIG on catalog cards', () => {
  const a100 = hamiMigProfiles('A100-40G');

  it('registers the default allowlist with NVML sizes and HAMi cores (1g 15, 2g 29, 3g 43, 7g 100)', () => {
    expect(a100.map((p) => [p.name, p.memMiB, p.cores])).toEqual([
      ['1g.5gb', 4864, 15],
      ['2g.10gb', 9856, 29],
      ['3g.20gb', 19968, 43],
      ['7g.40gb', 40192, 100],
    ]);
    // A100-80GB lists 7g.79gb: HAMi looks the profile up by its `7g` prefix, so it gets 7g.80gb's data
    expect(hamiMigProfiles('A100-80G').find((p) => p.name === '7g.79gb')?.memMiB).toBe(80384);
    expect(hamiMigProfiles('L40S')).toEqual([]);
  });

  it('packs the balanced layout as HAMi\'s test does: 3g → 4, 2g → 0, 1g → 3, 1g → 2', () => {
    const occupied: { start: number; size: number }[] = [];
    const starts = ['3g.20gb', '2g.10gb', '1g.5gb', '1g.5gb'].map((name) => {
      const p = selectMigPlacement(a100.find((x) => x.name === name)!, occupied)!;
      occupied.push(p);
      return p.start;
    });
    expect(starts).toEqual([4, 0, 3, 2]);
  });

  it('moves to a bigger profile when the smaller one has no placement left', () => {
    // every 1-slice placement but the 7th taken by 2g instances at 0, 2, 4 and a 1g at 6: a 4000 MiB request has nothing
    expect(selectMigCandidate(a100, [{ start: 0, size: 2 }, { start: 2, size: 2 }, { start: 4, size: 2 }, { start: 6, size: 1 }], 4000)).toBeNull();
    // with 3g at 4 only, a 4000 MiB request takes 1g.5gb at the highest free start (3)
    expect(selectMigCandidate(a100, [{ start: 4, size: 4 }], 4000)).toMatchObject({ profile: { name: '1g.5gb' }, placement: { start: 3, size: 1 } });
  });

  it('Fit re-scans a MIG card after a pick: nvidia.com/gpu: 2 takes two instances of one card', () => {
    const card: HamiGpu = { id: 'g0', index: 0, type: 'NVIDIA-A100', mode: 'mig', splitCount: 7, memTotalMiB: 40960, coresTotal: 100, usedSlots: 0, usedMemMiB: 0, usedCores: 0, numa: 0, healthy: true, mig: { profiles: a100, occupied: [] } };
    const r = gpuFit([card], { gpuCount: 2, gpuType: 'NVIDIA', memMiB: 9000, memPercent: null, cores: 0 }, defaultPodOptions());
    expect(r.fits).toBe(true);
    expect(r.allocated.map((a) => [a.id, a.mig?.profile.name, a.mig?.placement.start])).toEqual([
      ['g0', '2g.10gb', 0],
      ['g0', '2g.10gb', 2],
    ]);
    // a third 20 GB instance does not fit beside 3g at 4 and 2g at 0: the card is rejected with HAMi's reason
    const full: HamiGpu = { ...card, mig: { profiles: a100, occupied: [{ start: 4, size: 4 }, { start: 0, size: 2 }] } };
    const r2 = gpuFit([full], { gpuCount: 1, gpuType: 'NVIDIA', memMiB: 15000, memPercent: null, cores: 0 }, defaultPodOptions());
    expect(r2.reasons).toEqual({ CardMigTopologyInfeasible: 1 });
  });
});
