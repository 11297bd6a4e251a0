/**
 * fast-check generators of valid scenarios (every field kind the format has, within validate.ts's bounds), for
 * round-trip and store property tests. Numbers are integers or integer/1000 so JSON keeps them exact.
 */
import fc from 'fast-check';
import type { DemandCurve, Scenario, SchedulerSpec, WorkloadSpec } from '../../src/scenario/types.ts';

const MODELS = ['B200', 'H200', 'H100', 'A100-80G', 'A100-40G', 'MI300X', 'L40S', 'A10', 'L4', 'T4'] as const;
/** Profiles with their knob values that validate (a subset of each profile's knobs is enough). */
const PROFILES: fc.Arbitrary<SchedulerSpec>[] = [
  fc.record({ profile: fc.constant('k8s-default'), options: fc.record({ strategy: fc.constantFrom('LeastAllocated', 'MostAllocated'), gpuWeight: fc.integer({ min: 0, max: 100 }) }, { requiredKeys: [] }) }, { requiredKeys: ['profile'] }),
  fc.record({ profile: fc.constant('k8s-timeslicing'), options: fc.record({ replicas: fc.integer({ min: 1, max: 64 }) }) }, { requiredKeys: ['profile'] }),
  fc.record({ profile: fc.constantFrom('hami-binpack', 'hami-spread', 'hami-topology'), options: fc.record({ splitCount: fc.integer({ min: 1, max: 100 }), nodePolicy: fc.constantFrom('binpack', 'spread') }, { requiredKeys: [] }) }, { requiredKeys: ['profile'] }),
  fc.record({ profile: fc.constantFrom('volcano', 'volcano-hami'), label: fc.string({ minLength: 1, maxLength: 12 }) }, { requiredKeys: ['profile'] }),
  fc.record({ profile: fc.constantFrom('fgd', 'random', 'dotprod', 'clustering', 'packing', 'bestfit') }),
];

const name = fc.string({ minLength: 1, maxLength: 16, unit: 'grapheme' }).filter((s) => s.trim() !== '');
const milli = (max: number) => fc.integer({ min: 0, max: max * 1000 }).map((x) => x / 1000);
const small = fc.integer({ min: 1, max: 16 });

const demand: fc.Arbitrary<DemandCurve> = fc.oneof(
  fc.record({ shape: fc.constant('flat' as const), qps: milli(500) }),
  fc.tuple(milli(500), milli(500), fc.integer({ min: 0, max: 24 })).map(([a, b, h]) => ({ shape: 'diurnal' as const, peakQps: Math.max(a, b), troughQps: Math.min(a, b), peakHour: h })),
  fc.record({ shape: fc.constant('spiky' as const), baseQps: milli(100), spikeQps: milli(500), spikesPerDay: fc.integer({ min: 0, max: 24 }), spikeMinutes: fc.integer({ min: 1, max: 120 }) }),
  fc.uniqueArray(fc.integer({ min: 0, max: 24 }), { minLength: 2, maxLength: 6 }).chain((hours) =>
    fc.tuple(...hours.sort((a, b) => a - b).map((hour) => milli(300).map((qps) => ({ hour, qps })))).map((points) => ({ shape: 'points' as const, points })),
  ),
);

const workloadBody: fc.Arbitrary<Omit<WorkloadSpec, 'name'>> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('training' as const),
      workers: small,
      gpusPerWorker: fc.constantFrom(1, 2, 4, 8),
      gpuMemMiB: fc.integer({ min: 0, max: 81920 }),
      cpuMilli: fc.integer({ min: 0, max: 64000 }),
      memMiB: fc.integer({ min: 0, max: 262144 }),
      workGpuHours: milli(1000).map((x) => Math.max(x, 0.001)),
      stepComputeS: milli(10).map((x) => Math.max(x, 0.001)),
      commGBPerStep: milli(100),
      arrivalS: fc.integer({ min: 0, max: 86400 }),
      priority: fc.integer({ min: -100, max: 100 }),
      queue: fc.constantFrom('default', 'research'),
      annotations: fc.dictionary(fc.constantFrom('hami.io/gpu-scheduler-policy', 'team'), fc.string({ maxLength: 8 })),
    },
    { requiredKeys: ['kind', 'workers', 'gpusPerWorker', 'gpuMemMiB', 'cpuMilli', 'memMiB', 'workGpuHours', 'stepComputeS', 'commGBPerStep', 'arrivalS'] },
  ),
  fc
    .record({
      kind: fc.constant('inference' as const),
      gpuMemMiB: fc.integer({ min: 1, max: 81920 }),
      gpuCores: fc.integer({ min: 1, max: 100 }),
      cpuMilli: fc.integer({ min: 0, max: 16000 }),
      memMiB: fc.integer({ min: 0, max: 65536 }),
      qpsPerGpu: milli(100).map((x) => Math.max(x, 0.001)),
      demand,
      targetUtilization: fc.integer({ min: 10, max: 1000 }).map((x) => x / 1000),
      minReplicas: fc.integer({ min: 1, max: 4 }),
      extra: fc.integer({ min: 0, max: 8 }),
      sloMs: fc.integer({ min: 1, max: 5000 }),
      startupS: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    })
    .map(({ extra, startupS, ...w }) => ({ ...w, maxReplicas: w.minReplicas + extra, ...(startupS === undefined ? {} : { startupS }) })),
  fc.record(
    {
      kind: fc.constant('agent' as const),
      count: small,
      gpuMemMiB: fc.integer({ min: 1, max: 16384 }),
      gpuCores: fc.integer({ min: 1, max: 100 }),
      cpuMilli: fc.integer({ min: 0, max: 4000 }),
      memMiB: fc.integer({ min: 0, max: 16384 }),
      burstsPerHour: milli(60),
      burstGpuS: milli(60).map((x) => Math.max(x, 0.001)),
      elasticity: fc.constantFrom('always-on' as const, 'scale-to-zero' as const),
      idleTimeoutS: fc.integer({ min: 0, max: 3600 }),
      coldStartS: fc.integer({ min: 0, max: 120 }),
    },
    { requiredKeys: ['kind', 'count', 'gpuMemMiB', 'gpuCores', 'cpuMilli', 'memMiB', 'burstsPerHour', 'burstGpuS', 'elasticity'] },
  ),
  fc
    .record({
      kind: fc.constant('batch' as const),
      count: small,
      cpuMilli: fc.integer({ min: 0, max: 32000 }),
      memMiB: fc.integer({ min: 0, max: 131072 }),
      gpus: fc.integer({ min: 0, max: 8 }),
      share: fc.integer({ min: 1, max: 1000 }),
      durationS: fc.integer({ min: 1, max: 86400 }),
      arrivalS: fc.integer({ min: 0, max: 86400 }),
      interarrivalS: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
      gpuModels: fc.option(fc.subarray([...MODELS], { maxLength: 3 }), { nil: undefined }),
    })
    .map(({ share, interarrivalS, gpuModels, ...w }) => ({
      ...w,
      gpuMilli: w.gpus === 0 ? 0 : w.gpus > 1 ? 1000 : share,
      ...(interarrivalS === undefined ? {} : { interarrivalS }),
      ...(gpuModels === undefined ? {} : { gpuModels }),
    })),
  fc
    .array(
      fc.record({ cpuMilli: fc.integer({ min: 0, max: 64000 }), memMiB: fc.integer({ min: 0, max: 262144 }), numGpu: fc.integer({ min: 0, max: 8 }), share: fc.integer({ min: 1, max: 1000 }), creationS: fc.integer({ min: 0, max: 86400 }), life: fc.option(fc.integer({ min: 0, max: 86400 }), { nil: undefined }) }),
      { minLength: 0, maxLength: 6 },
    )
    .map((pods) => ({
      kind: 'trace' as const,
      pods: pods.map((p, i) => ({
        name: `p${i}`,
        cpuMilli: p.cpuMilli,
        memMiB: p.memMiB,
        numGpu: p.numGpu,
        gpuMilli: p.numGpu === 0 ? 0 : p.numGpu > 1 ? 1000 : p.share,
        creationS: p.creationS,
        ...(p.life === undefined ? {} : { deletionS: p.creationS + p.life }),
      })),
    })),
) as fc.Arbitrary<Omit<WorkloadSpec, 'name'>>;

/** A valid scenario: 1–4 pools, 0–6 workloads of every kind, 1–4 schedulers. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    name,
    description: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
    pools: fc.array(
      fc.record({
        model: fc.constantFrom(...MODELS),
        count: fc.integer({ min: 0, max: 64 }),
        gpn: fc.constantFrom(0, 1, 2, 4, 8),
        numa: fc.constantFrom(1, 2),
        cpuMilli: fc.integer({ min: 1, max: 256000 }),
        memMiB: fc.integer({ min: 1, max: 2097152 }),
        topology: fc.constantFrom('nvswitch' as const, 'nvlink-pairs' as const, 'pcie' as const),
        racks: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    workloads: fc.array(fc.tuple(name, workloadBody), { maxLength: 6 }),
    schedulers: fc.array(fc.oneof(...PROFILES), { minLength: 1, maxLength: 4 }),
    price: fc.option(fc.integer({ min: 0, max: 10000 }).map((c) => c / 100), { nil: undefined }),
    durationS: fc.integer({ min: 600, max: 7 * 86400 }),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    stepS: fc.constantFrom(60, 300, 900),
  })
  .map((r) => {
    const s: Scenario = {
      kind: 'slicebench/scenario',
      version: 1,
      name: r.name,
      cluster: {
        pools: r.pools.map((p, i) => ({
          name: `pool${i}`,
          count: p.count,
          gpuModel: p.model,
          gpusPerNode: p.gpn,
          cpuMilli: p.cpuMilli,
          memMiB: p.memMiB,
          topology: p.topology,
          numaNodes: p.gpn === 1 ? 1 : p.numa,
          ...(p.racks === undefined ? {} : { racks: p.racks }),
        })),
      },
      // Workload names must be unique: suffix the index.
      workloads: r.workloads.map(([n, w], i) => ({ ...w, name: `${n}-${i}` }) as WorkloadSpec),
      schedulers: r.schedulers,
      sim: { durationS: r.durationS, seed: r.seed, metricsStepS: r.stepS },
    };
    if (r.description !== undefined) s.description = r.description;
    if (r.price !== undefined) s.catalog = { H100: { pricePerHourUsd: r.price } };
    return s;
  });
