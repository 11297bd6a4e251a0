/**
 * One demand, several mechanisms (issue 17 item 1) and the MIG geometry it relies on. Expected profile choices are
 * read off the tables of ../shared/docs/domain-mig-dra.md §6.6.2 (NVML sizes from NVIDIA/go-nvml
 * pkg/nvml/mock/gpus/a100.go; names and counts from NVIDIA/mig-parted deployments/systemd/config-default.yaml).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { chooseForm, demandOf, describeRequest, translateDemand, HAMI_FORMS, K8S_MIG_FORMS, WHOLE_FORMS } from '../../src/scenario/gpuDemand.ts';
import { layoutInstances, migModelOf, migResourceName, placeProfiles } from '../../src/scenario/migCatalog.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { buildRun, plannedPods } from '../../src/sim/setup.ts';
import { podHamiRequest } from '../../src/sched/hami/request.ts';

const A100_40 = { modelId: 'A100-40G', cardMemMiB: 40960 };
const A100_80 = { modelId: 'A100-80G', cardMemMiB: 81920 };
const H100 = { modelId: 'H100', cardMemMiB: 81920 };
const req = (o: Partial<Parameters<typeof demandOf>[0]>) => demandOf({ gpuCount: 1, gpuMilli: 1000, gpuMemMiB: 0, gpuCores: 0, ...o });

describe('translateDemand', () => {
  it('whole GPUs ask for nvidia.com/gpu only; HAMi keeps memory and cores', () => {
    const d = req({ gpuCount: 2, gpuMemMiB: 12000, gpuCores: 30 });
    expect(translateDemand(d, 'whole', A100_40)).toEqual({ form: 'whole', count: 2 });
    expect(translateDemand(d, 'hami', A100_40)).toEqual({ form: 'hami', count: 2, gpumemMiB: 12000, gpucores: 30 });
  });

  it.each([
    // 4864 MiB is 1g.5gb's NVML size on A100-40GB
    [A100_40, 4000, 0, '1g.5gb'],
    // 10000 > 9856: 1g.10gb and 2g.10gb (9856) are too small; 3g.20gb (19968)
    [A100_40, 10000, 0, '3g.20gb'],
    // 9856 fits the 2-slice 1g.10gb first (memory equal to 2g.10gb, fewer compute slices)
    [A100_40, 9856, 0, '1g.10gb'],
    // a 20 GiB model (20480 MiB) is over every 20gb profile's NVML size on A100-40GB: only 7g.40gb holds it
    [A100_40, 20480, 0, '7g.40gb'],
    [A100_80, 20480, 0, '3g.40gb'],
    // H100 sizes are nominal (assumed): 2-slice profiles hold 20480 MiB
    [H100, 20480, 0, '1g.20gb'],
    // 25% compute needs HAMi core ≥ 25: 1g (15) is too little, 2g.20gb (29) is the smallest
    [H100, 20480, 25, '2g.20gb'],
    [H100, 8000, 50, '4g.40gb'],
  ])('mig on %o: %i MiB, %i%% compute → %s', (target, mem, cores, profile) => {
    const r = translateDemand(req({ gpuMemMiB: mem, gpuCores: cores }), 'mig', target);
    expect(r).toEqual({ form: 'mig', count: 1, profile, resource: `nvidia.com/mig-${profile}` });
  });

  it('memory 0 means the pod\'s share of the card', () => {
    // half an A100-40GB = 20480 MiB: only 7g.40gb holds it
    expect(translateDemand(req({ gpuMilli: 500 }), 'mig', A100_40)).toMatchObject({ profile: '7g.40gb' });
    expect(translateDemand(req({ gpuMilli: 100 }), 'mig', A100_40)).toMatchObject({ profile: '1g.5gb' });
  });

  it('a pinned MIG profile is asked for as it is; a model without it or without MIG says why', () => {
    const d = req({ gpuMemMiB: 20000, pin: { form: 'mig', migProfile: '1g.10gb' } });
    expect(translateDemand(d, 'mig', H100)).toMatchObject({ form: 'mig', profile: '1g.10gb', resource: 'nvidia.com/mig-1g.10gb' });
    expect(translateDemand(d, 'mig', { modelId: 'H200', cardMemMiB: 144384 })).toEqual({ form: 'none', reason: 'H200 has no MIG profile 1g.10gb' });
    expect(translateDemand(req({}), 'mig', { modelId: 'L40S', cardMemMiB: 49152 })).toEqual({ form: 'none', reason: 'L40S has no MIG' });
    expect(translateDemand(req({ gpuMemMiB: 90000 }), 'mig', H100)).toMatchObject({ form: 'none' });
  });

  it('resource names replace + by . (device plugin mixed strategy)', () => {
    expect(migResourceName('1g.10gb+me')).toBe('nvidia.com/mig-1g.10gb.me');
    expect(describeRequest({ form: 'hami', count: 1, gpumemMiB: 4096, gpucores: 20 })).toBe('nvidia.com/gpu: 1, nvidia.com/gpumem: 4096, nvidia.com/gpucores: 20');
  });
});

describe('chooseForm', () => {
  it('a pin wins where the profile offers it, isolation picks MIG, else the profile\'s own form', () => {
    expect(chooseForm(req({ pin: { form: 'whole' } }), HAMI_FORMS)).toBe('whole');
    expect(chooseForm(req({ pin: { form: 'mig' } }), HAMI_FORMS)).toBe('hami');
    expect(chooseForm(req({ pin: { form: 'hami' } }), WHOLE_FORMS)).toBe('whole');
    expect(chooseForm(req({ isolation: true }), ['hami', 'mig'])).toBe('mig');
    expect(chooseForm(req({ isolation: true, gpuCount: 2 }), ['hami', 'mig'])).toBe('hami');
    expect(chooseForm(req({}), K8S_MIG_FORMS)).toBe('mig');
  });
});

describe('MIG layouts (mig-parted config-default.yaml)', () => {
  it('all-balanced on A100-40GB is 2 × 1g.5gb + 2g.10gb + 3g.20gb, placed without overlap', () => {
    const r = layoutInstances('A100-40G', 'all-balanced');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.instances.map((i) => i.profile).sort()).toEqual(['1g.5gb', '1g.5gb', '2g.10gb', '3g.20gb']);
    const slices = r.instances.flatMap((i) => Array.from({ length: i.size }, (_, k) => i.start + k));
    expect(new Set(slices).size).toBe(slices.length);
  });

  it('all-1g.10gb is 7 on H100 and 4 (the 2-slice 1g.10gb) on A100-40GB', () => {
    const h = layoutInstances('H100', 'all-1g.10gb');
    const a = layoutInstances('A100-40G', 'all-1g.10gb');
    expect(h.ok && h.instances.length).toBe(7);
    expect(a.ok && a.instances.length).toBe(4);
  });

  it('refuses what NVML refuses: 2 × 3g + 1g overlaps (8 memory slices are taken), and over-max counts', () => {
    const r = layoutInstances('A100-40G', ['3g.20gb', '3g.20gb', '1g.5gb']);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain('does not fit one A100-40G');
    expect(layoutInstances('A100-40G', ['4g.20gb', '4g.20gb'])).toMatchObject({ ok: false, error: 'A100-40G holds at most 1 × 4g.20gb per GPU' });
    // 4g + 3g uses all 7 compute and 8 memory slices
    expect(layoutInstances('A100-40G', ['4g.20gb', '3g.20gb']).ok).toBe(true);
  });

  it('placeProfiles backtracks: 2g at 0, 2, 4 leaves only the 1g placements at 6', () => {
    const m = migModelOf('A100-40G')!;
    const one = m.profiles[0];
    const two = m.profiles.find((p) => p.name === '2g.10gb')!;
    expect(placeProfiles([two, two, two, one], [])).toEqual([{ start: 0, size: 2 }, { start: 2, size: 2 }, { start: 4, size: 2 }, { start: 6, size: 1 }]);
    expect(placeProfiles([two, two, two, two], [])).toBeNull();
  });
});

const presetDir = new URL('../../public/scenarios/', import.meta.url);
const base = () => JSON.parse(readFileSync(new URL('small-mixed.json', presetDir), 'utf8'));

describe('scenario fields', () => {
  const cases: [string, (s: any) => void, string][] = [
    ['layout too big', (s) => Object.assign(s.cluster.pools[0], { gpuModel: 'A100-40G', mig: ['3g.20gb', '3g.20gb', '1g.5gb'] }), 'cluster.pools[0].mig: 3g.20gb + 3g.20gb + 1g.5gb does not fit one A100-40G'],
    ['profile the model lacks', (s) => Object.assign(s.cluster.pools[0], { gpuModel: 'H100', mig: ['3g.40gb', '1g.18gb'] }), 'cluster.pools[0].mig[1]: H100 has no MIG profile "1g.18gb"'],
    ['layout name', (s) => Object.assign(s.cluster.pools[0], { gpuModel: 'H100', mig: 'all-7g.40gb' }), 'cluster.pools[0].mig: unknown MIG layout "all-7g.40gb" for H100'],
    ['model without MIG', (s) => Object.assign(s.cluster.pools[0], { gpuModel: 'L40S', mig: 'all-balanced' }), 'cluster.pools[0].mig: L40S has no MIG profiles'],
    ['layout type', (s) => Object.assign(s.cluster.pools[0], { mig: 7 }), 'cluster.pools[0].mig: must be a MIG layout name'],
    ['pin form', (s) => (s.workloads[1].gpuRequest = { form: 'mps' }), 'workloads[1].gpuRequest.form: must be one of whole, hami, mig'],
    ['pin profile', (s) => (s.workloads[1].gpuRequest = { form: 'mig', migProfile: '5g.50gb' }), 'workloads[1].gpuRequest.migProfile: no GPU model has a MIG profile "5g.50gb"'],
    ['pin profile without mig', (s) => (s.workloads[1].gpuRequest = { form: 'hami', migProfile: '1g.10gb' }), 'workloads[1].gpuRequest.migProfile: only with form "mig"'],
    ['isolation', (s) => (s.workloads[1].isolation = 'yes'), 'workloads[1].isolation: must be true or false'],
  ];
  it.each(cases)('names the field: %s', (_n, mutate, message) => {
    const s = base();
    mutate(s);
    const r = parseScenario(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.find((e) => e.startsWith(message)) ?? r.errors).toBeTypeOf('string');
  });

  it('accepts layouts and pins, and the pods carry them; HAMi honours a pin to whole GPUs', () => {
    const s = base();
    Object.assign(s.cluster.pools[0], { gpuModel: 'H100', mig: 'all-balanced' });
    s.workloads[1].gpuRequest = { form: 'whole' };
    s.workloads[1].isolation = true;
    const r = parseScenario(s);
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (!r.ok) return;
    const run = buildRun(r.scenario);
    const pods = plannedPods(run.scenario, run.factory, run.workloadRng).map((p) => p.pod);
    const pinned = pods.find((p) => p.workload === 1)!;
    expect(pinned.request.pin).toEqual({ form: 'whole' });
    expect(pinned.request.isolation).toBe(true);
    expect(pinned.request.gpuMemMiB).toBeGreaterThan(0);
    // HAMi sees nvidia.com/gpu only: the whole card by percentage 100, no cores
    expect(podHamiRequest(pinned.request)).toMatchObject({ gpuCount: 1, memMiB: 0, memPercent: 100 });
    const other = pods.find((p) => p.workload !== 1 && p.request.gpuCount > 0)!;
    expect('pin' in other.request).toBe(false);
  });
});
