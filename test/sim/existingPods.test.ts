/**
 * Issue 19 item 1: an existing pod that books a whole GPU (1000 milli, no memory, no cores, no slots) holds the
 * whole card in every profile's model, so no profile places a second tenant there and `ClusterState.bind` never
 * meets an over-allocation; and a card's tenants whose real memory overflows it are OOM-killed under every profile
 * that does not book memory (the FGD family as time-slicing), so memory percentages stay within [0, 100].
 */
import { describe, expect, it } from 'vitest';
import type { Scenario, SchedulerSpec } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { Simulation, simulate } from '../../src/sim/simulate.ts';
import { buildRun } from '../../src/sim/setup.ts';
import { listProfiles } from '../../src/sched/profiles/index.ts';

const GiB = 1024;
const specs: SchedulerSpec[] = [...listProfiles().map((p) => ({ profile: p.name })), { profile: 'k8s-timeslicing', options: { replicas: 10 } }, { profile: 'hami-binpack', options: { memoryScaling: 2 } }];

/** One L4 node (24 GiB), `existing` on its only GPU (null: the existing pod holds no GPU), and `count` small GPU pods that would fit an empty card. */
function scenario(existing: object | null, spec: SchedulerSpec, workload: object = {}): Scenario {
  const r = parseScenario({
    kind: 'slicebench/scenario',
    version: 1,
    name: 'existing',
    cluster: { pools: [{ name: 'n', count: 1, gpuModel: 'L4', gpusPerNode: 1, cpuMilli: 32000, memMiB: 128 * GiB, topology: 'pcie', numaNodes: 1 }] },
    existingPods: [{ name: 'held', node: 'n-0', cpuMilli: 1000, memMiB: GiB, gpus: existing ? [{ index: 0, ...existing }] : [] }],
    workloads: [{ kind: 'batch', name: 'b', count: 3, cpuMilli: 1000, memMiB: GiB, gpus: 1, gpuMilli: 200, gpuMemMiB: 2 * GiB, durationS: 600, arrivalS: 0, interarrivalS: 0, ...workload }],
    schedulers: [spec],
    sim: { durationS: 3600, seed: 1, metricsStepS: 600 },
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.scenario;
}

const label = (s: SchedulerSpec) => (s.options ? `${s.profile} ${JSON.stringify(s.options)}` : s.profile);

describe('an existing whole-GPU booking without memory, cores or slots', () => {
  it.each(specs.map((s) => [label(s), s] as const))('%s: no second tenant on the card', (_l, spec) => {
    const sim = new Simulation(scenario({ gpuMilli: 1000 }, spec));
    const r = sim.result();
    // The card is held all run: the three 200-milli pods stay pending, allocation is 100 % of the one GPU.
    expect(r.summary.podsBound).toBe(0);
    expect(sim.cluster.nodes[0].gpus[0]).toMatchObject({ usedMilli: 1000, usedMemMiB: 24 * GiB, usedCores: 100 });
    expect(r.summary.allocationPct).toBeCloseTo(100, 9);
  });

  it('books every replica of the card under time-slicing, and a share of them for a slice', () => {
    // replicas 10: the whole card takes 10; 600 milli take ceil(600·10/1000) = 6, leaving 4 (= 400 milli).
    expect(buildRun(scenario({ gpuMilli: 1000 }, { profile: 'k8s-timeslicing', options: { replicas: 10 } })).cluster.nodes[0].gpus[0].usedSlots).toBe(10);
    const sim = new Simulation(scenario({ gpuMilli: 600 }, { profile: 'k8s-timeslicing', options: { replicas: 10 } }, { count: 6 }));
    while (sim.stepEvent() && sim.pods.filter((p) => p.phase === 'bound').length < 5);
    expect(sim.cluster.nodes[0].gpus[0]).toMatchObject({ usedSlots: 10, usedMilli: 1000 });
  });

  it('a slice held without memory books its share of the memory, so HAMi sees it taken', () => {
    // 600 milli books floor(24576·600/1000) = 14745 MiB and 60 cores: a 16 GiB pod does not fit the 9831 MiB left,
    // an 8 GiB pod with 40 cores does (its memory share floor(8192·1000/24576) = 333 milli: 933 in all).
    const big = new Simulation(scenario({ gpuMilli: 600 }, { profile: 'hami-binpack' }, { count: 1, gpuMemMiB: 16 * GiB, gpuMilli: 400 }));
    expect(big.result().summary.podsBound).toBe(0);
    const small = new Simulation(scenario({ gpuMilli: 600 }, { profile: 'hami-binpack' }, { count: 1, gpuMemMiB: 8 * GiB, gpuMilli: 400 }));
    while (small.stepEvent() && small.pods.every((p) => p.workload < 0 || p.phase !== 'bound'));
    expect(small.cluster.nodes[0].gpus[0]).toMatchObject({ usedMilli: 933, usedMemMiB: 14745 + 8192, usedCores: 100 });
  });

  it('HAMi oversubscribing memory counts only the milli-GPU left beside an existing slice', () => {
    // memoryScaling 2 registers 49152 MiB: after the 14745 MiB held, a 20 GiB pod fits; its memory share
    // floor(20480·1000/49152) = 416 milli is counted as the 400 left. Real need 14745 + 20480 > 24576: OOM-killed.
    const r = simulate(scenario({ gpuMilli: 600 }, { profile: 'hami-binpack', options: { memoryScaling: 2 } }, { count: 1, gpuMemMiB: 20 * GiB, gpuMilli: 400 }));
    expect(r.summary.oomKills).toBeGreaterThan(0);
    expect(r.summary.allocationPct).toBeLessThanOrEqual(100);
  });
});

describe('GPU memory that overflows a card', () => {
  it.each(['fgd', 'random', 'dotprod', 'clustering', 'packing', 'bestfit'])('%s: the newest tenant is OOM-killed, memory stays within the card', (profile) => {
    // Two 500-milli pods of 16 GiB each on one 24 GiB L4. The FGD
    // family places by share alone, so both land on the card; 32 GiB > 24 GiB kills the newer one.
    const s = scenario(null, { profile }, { count: 2, gpuMilli: 500, gpuMemMiB: 16 * GiB, durationS: 3600 });
    const r = simulate(s);
    expect(r.summary.oomKills).toBeGreaterThan(0);
    for (const x of r.series) expect(x.gpuMemUsedPct).toBeLessThanOrEqual(100);
    expect(r.summary.gpuMemUsedPct).toBeLessThanOrEqual(100);
  });

  it('HAMi with memoryScaling 2 books past the card; booked memory is counted up to the card', () => {
    // One pod of 40 GiB on a 24 GiB L4 registered as 48 GiB: booked 40 GiB, counted 24 GiB = 100 %.
    const r = simulate(scenario(null, { profile: 'hami-binpack', options: { memoryScaling: 2 } }, { count: 1, gpuMemMiB: 40 * GiB, durationS: 7200 }));
    expect(r.summary.podsBound).toBe(1);
    expect(r.summary.gpuMemBookedPct).toBeCloseTo(100, 9);
  });
});
