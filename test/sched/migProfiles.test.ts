/**
 * The MIG profiles on whole simulations. k8s-mig: static layouts under the device plugin's mixed and single
 * strategies (../shared/docs/domain-mig-dra.md §6.6.3–6.6.4: one scalar resource per profile, a pod never uses a
 * bigger free instance, `single` needs one profile per node). hami-mig: HAMi v2.10 dynamic MIG (§6.6.5: smallest
 * profile with enough memory and a free placement, 1g/3g from the highest start). Expected placements are worked
 * out from those rules by hand, not taken from our output.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { Simulation, simulate } from '../../src/sim/simulate.ts';

const GiB = 1024;

function scenario(pool: Record<string, unknown>, workloads: unknown[], profile: string, options?: Record<string, unknown>): Scenario {
  const r = parseScenario({
    kind: 'slicebench/scenario',
    version: 1,
    name: 'mig test',
    cluster: { pools: [{ name: 'a100', count: 1, gpuModel: 'A100-40G', gpusPerNode: 1, cpuMilli: 64000, memMiB: 512 * GiB, topology: 'nvswitch', numaNodes: 1, ...pool }] },
    workloads,
    schedulers: [{ profile, ...(options ? { options } : {}) }],
    sim: { durationS: 600, seed: 3, metricsStepS: 60 },
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.scenario;
}

const batch = (name: string, count: number, gpuMemMiB: number, extra: Record<string, unknown> = {}) => ({ kind: 'batch', name, count, cpuMilli: 1000, memMiB: 1024, gpus: 1, gpuMilli: 100, gpuMemMiB, durationS: 3600, arrivalS: 0, ...extra });

/** The MIG instances bound at `tS`, as `pod@start:profile`, sorted. */
function instancesAt(s: Scenario, tS: number): string[] {
  const sim = new Simulation(s);
  sim.runUntil(tS);
  return sim.pods.filter((p) => p.binding).flatMap((p) => p.binding!.gpus.map((b) => `${p.name}@${b.mig?.start}:${b.mig?.profile}`)).sort();
}

describe('k8s-mig (static layouts)', () => {
  it('fills the layout\'s instances and leaves a pod whose profile the layout lacks pending, naming the resource', () => {
    // all-balanced on A100-40GB: 2 × 1g.5gb, 1 × 2g.10gb, 1 × 3g.20gb. Three 4 GiB pods fit 1g.5gb (4864 MiB): two
    // get the 1g.5gb instances, the third finds none free and may not take the idle 2g or 3g.
    const s = scenario({ mig: 'all-balanced' }, [batch('small', 3, 4 * GiB), batch('mid', 1, 12 * GiB, { arrivalS: 10 })], 'k8s-mig');
    const got = instancesAt(s, 30);
    expect(got.filter((x) => x.startsWith('small'))).toHaveLength(2);
    expect(got.every((x) => !x.startsWith('small') || x.endsWith(':1g.5gb'))).toBe(true);
    // 12 GiB needs 3g.20gb (19968 MiB; 2g.10gb's 9856 is too small): the layout has one
    expect(got.find((x) => x.startsWith('mid'))).toMatch(/:3g\.20gb$/);
    const r = simulate(s);
    expect(r.unschedulable.map((u) => u.reason)).toContain('0/1 nodes are available: 1 Insufficient nvidia.com/mig-1g.5gb.');
    // 2g.10gb idle: 2 of 7 slices, and the layout uses all 7 (nothing stranded)
    expect(r.summary.mig).toMatchObject({ gpus: 1, strandedSlicesPct: 0 });
    expect(r.summary.mig!.idleSlicesPct).toBeCloseTo((2 / 7) * 100, 5);
  });

  it('counts the 7th slice of 3g + 3g as stranded', () => {
    const r = simulate(scenario({ mig: 'all-3g.20gb' }, [batch('x', 1, 4 * GiB)], 'k8s-mig'));
    expect(r.summary.mig!.strandedSlicesPct).toBeCloseTo((1 / 7) * 100, 5);
  });

  it('single strategy: a one-profile layout serves nvidia.com/gpu; a mixed layout makes the node offer none', () => {
    const one = simulate(scenario({ mig: 'all-1g.5gb' }, [batch('x', 7, 2 * GiB), batch('y', 1, 2 * GiB, { arrivalS: 5 })], 'k8s-mig', { migStrategy: 'single' }));
    expect(one.summary.podsPendingAtEnd).toBe(1);
    const mixed = simulate(scenario({ mig: 'all-balanced' }, [batch('x', 1, 2 * GiB)], 'k8s-mig', { migStrategy: 'single' }));
    expect(mixed.unschedulable[0].reason).toContain('Insufficient nvidia.com/gpu');
  });

  it('whole-GPU pods go to pools without MIG, and never to a MIG pool under mixed', () => {
    const s = scenario({ mig: 'all-balanced' }, [batch('whole', 1, 0, { gpuMilli: 1000 })], 'k8s-mig');
    expect(simulate(s).unschedulable[0].reason).toBe('0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
  });
});

describe('hami-mig (dynamic MIG)', () => {
  it('creates the smallest profile with a free placement: 3g at 4, 2g at 0, then 1g from the highest free start', () => {
    // arrivals 10 s apart so the order is fixed; 15 GiB → 3g.20gb, 9 GiB → 2g.10gb, 4 GiB → 1g.5gb (allowlist 1g, 2g, 3g, 7g)
    const s = scenario({ mig: 'all-enabled' }, [batch('a', 1, 15 * GiB), batch('b', 1, 9 * GiB, { arrivalS: 10 }), batch('c', 2, 4 * GiB, { arrivalS: 20, interarrivalS: 0 })], 'hami-mig');
    expect(instancesAt(s, 60)).toEqual(['a-0@4:3g.20gb', 'b-0@0:2g.10gb', 'c-0@3:1g.5gb', 'c-1@2:1g.5gb']);
  });

  it('a pod that wants isolation only lands on MIG cards; others may use hami-core cards too', () => {
    const r = parseScenario({
      kind: 'slicebench/scenario',
      version: 1,
      name: 'two pools',
      cluster: {
        pools: [
          { name: 'plain', count: 1, gpuModel: 'A100-40G', gpusPerNode: 1, cpuMilli: 64000, memMiB: 512 * GiB, topology: 'nvswitch', numaNodes: 1 },
          { name: 'mig', count: 1, gpuModel: 'A100-40G', gpusPerNode: 1, cpuMilli: 64000, memMiB: 512 * GiB, topology: 'nvswitch', numaNodes: 1, mig: 'all-enabled' },
        ],
      },
      workloads: [batch('iso', 2, 4 * GiB, { isolation: true })],
      schedulers: [{ profile: 'hami-mig' }],
      sim: { durationS: 600, seed: 3, metricsStepS: 60 },
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    const sim = new Simulation(r.scenario);
    sim.runUntil(30);
    const nodes = sim.pods.filter((p) => p.binding).map((p) => sim.cluster.nodes[p.binding!.nodeId].pool);
    expect(nodes).toEqual(['mig', 'mig']);
  });

  it('a request bigger than every profile cannot use a MIG card (CardMigTopologyInfeasible)', () => {
    // 40192 MiB is 7g.40gb's NVML size: 40200 MiB fits no profile although the card registers 40960 MiB free
    const r = simulate(scenario({ mig: 'all-enabled' }, [batch('bigger', 1, 40200)], 'hami-mig'));
    expect(r.summary.podsPendingAtEnd).toBe(1);
    expect(r.unschedulable[0].reason).toContain('CardMigTopologyInfeasible');
  });

  it('other profiles see a MIG pool\'s GPUs whole', () => {
    const r = simulate(scenario({ mig: 'all-balanced' }, [batch('x', 10, 2 * GiB)], 'hami-binpack'));
    expect(r.summary.podsPendingAtEnd).toBe(0);
    expect(r.summary.mig).toBeUndefined();
  });
});
