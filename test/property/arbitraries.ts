/**
 * Seeded generators of valid-but-extreme scenarios (fast-check), shared by the unit-tier property suites and the
 * long fuzz runs (scripts/fuzz.ts), and the range check every run's metrics must pass.
 */
import fc from 'fast-check';
import type { ExistingPodSpec, Scenario, SchedulerSpec, WorkloadSpec } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { GPU_MILLI } from '../../src/model/units.ts';
import { listProfiles } from '../../src/sched/profiles/index.ts';

const GiB = 1024;
const models = ['H100', 'A100-80G', 'L4', 'T4'] as const;

/** A node pool of 1–3 nodes: GPU model, GPUs per node (none included), CPU, memory, topology. */
export const poolArb = fc.record({
  count: fc.integer({ min: 1, max: 3 }),
  gpuModel: fc.constantFrom(...models),
  gpusPerNode: fc.constantFrom(0, 1, 2, 4, 8),
  cpuMilli: fc.integer({ min: 4, max: 64 }).map((c) => c * 1000),
  memMiB: fc.integer({ min: 16, max: 512 }).map((m) => m * GiB),
  topology: fc.constantFrom('nvswitch', 'nvlink-pairs', 'pcie'),
});

/** GPU memory per pod, from tiny to more than the biggest card (the FGD family places by share alone). */
const gpuMem = fc.constantFrom(1, 2 * GiB, 8 * GiB, 20 * GiB, 90 * GiB);

const workload: fc.Arbitrary<WorkloadSpec> = fc.oneof(
  fc.record({ workers: fc.integer({ min: 1, max: 3 }), gpusPerWorker: fc.constantFrom(1, 2, 4), arrivalS: fc.integer({ min: 0, max: 3600 }), work: fc.integer({ min: 1, max: 20 }), mem: gpuMem }).map(
    (x) => ({ kind: 'training', name: '', workers: x.workers, gpusPerWorker: x.gpusPerWorker, gpuMemMiB: x.mem, cpuMilli: 2000, memMiB: 8 * GiB, workGpuHours: x.work, stepComputeS: 1, commGBPerStep: 4, arrivalS: x.arrivalS }) as WorkloadSpec,
  ),
  fc.record({ cores: fc.integer({ min: 1, max: 100 }), qps: fc.integer({ min: 0, max: 80 }), min: fc.integer({ min: 1, max: 3 }), mem: gpuMem }).map(
    (x) => ({ kind: 'inference', name: '', gpuMemMiB: x.mem, gpuCores: x.cores, cpuMilli: 1000, memMiB: 4 * GiB, qpsPerGpu: 20, demand: { shape: 'diurnal', peakQps: x.qps, troughQps: 0, peakHour: 12 }, targetUtilization: 0.6, minReplicas: x.min, maxReplicas: x.min + 4, startupS: 60, sloMs: 500 }) as WorkloadSpec,
  ),
  fc.record({ count: fc.integer({ min: 1, max: 6 }), elastic: fc.boolean(), mem: gpuMem, cores: fc.integer({ min: 1, max: 100 }) }).map(
    (x) => ({ kind: 'agent', name: '', count: x.count, gpuMemMiB: x.mem, gpuCores: x.cores, cpuMilli: 500, memMiB: 2 * GiB, burstsPerHour: 6, burstGpuS: 5, elasticity: x.elastic ? 'scale-to-zero' : 'always-on', idleTimeoutS: 120, coldStartS: 15 }) as WorkloadSpec,
  ),
  fc.record({ count: fc.integer({ min: 1, max: 15 }), gpus: fc.constantFrom(0, 1, 2), milli: fc.integer({ min: 1, max: 1000 }), dur: fc.integer({ min: 60, max: 7200 }), gap: fc.integer({ min: 0, max: 900 }), mem: fc.option(gpuMem, { nil: undefined }) }).map(
    (x) => ({ kind: 'batch', name: '', count: x.count, cpuMilli: 1000, memMiB: 2 * GiB, gpus: x.gpus, gpuMilli: x.gpus === 0 ? 0 : x.gpus > 1 ? GPU_MILLI : x.milli, ...(x.mem !== undefined && x.gpus > 0 ? { gpuMemMiB: x.mem } : {}), durationS: x.dur, arrivalS: 0, interarrivalS: x.gap }) as WorkloadSpec,
  ),
);

/** Every registered profile with its defaults, plus the knobs that change how a card is shared. */
export const schedulerSpecs: SchedulerSpec[] = [
  ...listProfiles().map((p) => ({ profile: p.name })),
  { profile: 'k8s-timeslicing', options: { replicas: 2 } },
  { profile: 'k8s-timeslicing', options: { replicas: 10 } },
  { profile: 'hami-binpack', options: { memoryScaling: 2 } },
  { profile: 'hami-spread', options: { splitCount: 1 } },
];

/** A GPU entry of an existing pod: whole cards without memory or cores, slices with or without them. */
const existingGpu = fc.record({
  index: fc.integer({ min: 0, max: 7 }),
  gpuMilli: fc.constantFrom(0, 1, 250, 500, 999, 1000, 1000),
  gpuMemMiB: fc.option(fc.constantFrom(0, 1, 4 * GiB, 16 * GiB), { nil: undefined }),
  gpuCores: fc.option(fc.constantFrom(0, 1, 50, 100), { nil: undefined }),
});

const existingPod = fc.record({ pool: fc.nat(2), index: fc.nat(2), gpus: fc.array(existingGpu, { maxLength: 3 }), cpu: fc.integer({ min: 0, max: 4000 }) });

/** The generator's raw draw, kept so that a failing case can be saved and replayed as a plain scenario. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    pools: fc.array(poolArb, { minLength: 1, maxLength: 3 }),
    workloads: fc.array(workload, { minLength: 1, maxLength: 4 }),
    existing: fc.array(existingPod, { maxLength: 4 }),
    seed: fc.nat(1000),
    hours: fc.integer({ min: 1, max: 8 }),
    scheduler: fc.constantFrom(...schedulerSpecs),
  })
  .map((x) => {
    const pools = x.pools.map((p, i) => ({ ...p, name: `p${i}`, numaNodes: p.gpusPerNode >= 2 ? 2 : 1 }));
    const base = {
      kind: 'slicebench/scenario',
      version: 1,
      name: 'random',
      cluster: { pools },
      workloads: x.workloads.map((w, i) => ({ ...w, name: `w${i}` })),
      existingPods: [] as ExistingPodSpec[],
      schedulers: [x.scheduler],
      sim: { durationS: x.hours * 3600, seed: x.seed, metricsStepS: 600 },
    };
    // Existing pods are kept one by one while validation accepts them (what does not fit is dropped).
    x.existing.forEach((e, k) => {
      const p = pools[e.pool % pools.length];
      const pod: ExistingPodSpec = { name: `e${k}`, node: `${p.name}-${e.index % p.count}`, cpuMilli: e.cpu, memMiB: GiB, gpus: e.gpus.map((g) => ({ ...g, index: g.index % Math.max(1, p.gpusPerNode) })).filter((g) => p.gpusPerNode > 0) };
      if (parseScenario({ ...base, existingPods: [...base.existingPods, pod] }).ok) base.existingPods.push(pod);
    });
    const r = parseScenario(base);
    if (!r.ok) throw new Error(`generator made an invalid scenario: ${r.errors.join('; ')}`);
    return r.scenario;
  });

/** Fields that are −1 when saturated or undefined (metrics.ts says so), else ≥ 0. */
const SENTINEL_KEYS = new Set(['p50LatencyMs', 'p99LatencyMs', 'costPerUsefulGpuHourUsd']);

/**
 * Every number of a summary or metric sample in its physical range: finite; percentages in [0, 100]; counts,
 * times and money ≥ 0 (the −1 sentinels excepted). Returns the problems found, by path ("" = none).
 */
export function metricRangeProblems(value: unknown, path = ''): string[] {
  const out: string[] = [];
  const walk = (v: unknown, p: string, key: string): void => {
    if (typeof v === 'number') {
      const tol = 1e-9;
      if (!Number.isFinite(v)) out.push(`${p} = ${v} is not finite`);
      else if (key.endsWith('Pct') && (v < -tol || v > 100 + tol)) out.push(`${p} = ${v} is outside [0, 100]`);
      else if (SENTINEL_KEYS.has(key) ? v < 0 && v !== -1 : v < -tol) out.push(`${p} = ${v} is negative`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`, key));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k, k);
  };
  walk(value, path, '');
  return out;
}
