/**
 * Seeded random HAMi worlds for the twin and parity suites: clusters of mixed pools (NVIDIA and AMD cards, 0–8
 * GPUs, NUMA, topologies, odd card memory and compute, unhealthy and cordoned cards), a HAMi profile with random
 * knobs (node/GPU policy, split count, memory scaling, defaults), and HAMi slices booked by running that profile's
 * own HamiScheduler on random pods, so usage looks like HAMi's (shared cards, partial memory and cores).
 */
import { Rng } from '../../src/core/rng.ts';
import { ClusterState, buildNodes } from '../../src/model/cluster.ts';
import { GPU_CATALOG } from '../../src/scenario/gpuCatalog.ts';
import type { Pod, PodRequest } from '../../src/model/pod.ts';
import type { NodePoolSpec, Topology } from '../../src/scenario/types.ts';
import { Annotation, type HamiScheduler } from '../../src/sched/hami/scheduler.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import { podOf } from './random.ts';

const MODELS = ['A100-80G', 'H100', 'T4', 'L4', 'MI300X'];
const TOPOLOGIES: Topology[] = ['pcie', 'nvlink-pairs', 'nvswitch'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

export interface HamiWorld {
  cluster: ClusterState;
  profile: string;
  options: Record<string, unknown>;
  scheduler: HamiScheduler;
}

/** Random HAMi profile options (every knob that reaches the kernel, and some that only reach the CPU). */
export function randomHamiOptions(rng: Rng, profile: string): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (rng.int(2)) o.splitCount = pick(rng, [1, 2, 3, 4, 10]);
  if (rng.int(3) === 0) o.memoryScaling = pick(rng, [0.5, 1.5, 3.7]);
  if (rng.int(4) === 0) o.nodePolicy = pick(rng, ['binpack', 'spread']);
  if (rng.int(4) === 0) o.gpuPolicy = pick(rng, ['spread', 'binpack', 'topology-aware', 'mutex', 'binpack,numa', 'numa']);
  if (rng.int(4) === 0) o.defaultMemMiB = pick(rng, [0, 1000, 9000]);
  if (rng.int(4) === 0) o.defaultCores = pick(rng, [0, 30, 100]);
  if (rng.int(5) === 0) o.percentageOfNodesToScore = pick(rng, [0, 10, 50]);
  if (profile === 'hami-topology' && rng.int(3) === 0) o.scoreRequestTerms = true;
  return o;
}

/** A random pod request in HAMi's terms: GPU count, gpumem, gpucores (each sometimes unset), models sometimes. */
export function randomHamiRequest(rng: Rng, maxCpu: number, maxMem: number): PodRequest {
  const gpuCount = rng.int(5) === 0 ? 0 : 1 + (rng.int(3) === 0 ? rng.int(4) : 0);
  const gpuMemMiB = rng.int(3) === 0 ? 0 : pick(rng, [1, 100, 1000, 4096, 8000, 16384, 40000, 81920]) + rng.int(50);
  const gpuCores = rng.int(3) === 0 ? 0 : pick(rng, [1, 10, 25, 30, 50, 99, 100, 150]);
  const cpuMilli = rng.int(3) === 0 ? 0 : rng.int(Math.max(1, Math.floor(maxCpu / 3)) + 1);
  const memMiB = rng.int(3) === 0 ? 0 : rng.int(Math.max(1, Math.floor(maxMem / 3)) + 1);
  const gpuModels = gpuCount > 0 && rng.int(5) === 0 ? [pick(rng, MODELS)] : [];
  return { cpuMilli, memMiB, gpuCount, gpuMilli: gpuCount > 0 ? 1000 : 0, gpuMemMiB, gpuCores, gpuModels };
}

/** HAMi annotations a pod may carry (they send it to the plugin path). */
export function randomHamiAnnotations(rng: Rng, cluster: ClusterState): Record<string, string> {
  const n = cluster.nodes[rng.int(cluster.nodes.length)];
  switch (rng.int(6)) {
    case 0:
      return { [Annotation.nodePolicy]: pick(rng, ['spread', 'binpack']) };
    case 1:
      return { [Annotation.gpuPolicy]: pick(rng, ['binpack', 'mutex', 'topology-aware']) };
    case 2:
      return { [Annotation.numaBind]: 'true' };
    case 3:
      return { [Annotation.useUuid]: `${n.name}-gpu0,${n.name}-gpu1` };
    case 4:
      return { [Annotation.scoringWeights]: pick(rng, ['slot=2,core=1,memory=1', 'memory=0,core=3,slot=1', 'memory=3']) };
    default:
      return { [Annotation.noUseGpuType]: 'T4' };
  }
}

/**
 * A world of `nodeCount` nodes under a HAMi profile. `bookings` random pods are scheduled by the profile's own
 * HamiScheduler first (HAMi slices); some cards are then marked unhealthy, some nodes cordon cards by label.
 */
export function randomHamiWorld(seed: number, nodeCount: number, profile = pick(new Rng(seed), ['hami-binpack', 'hami-spread', 'hami-topology']), bookings = nodeCount * 3): HamiWorld {
  const rng = new Rng(seed * 7 + 1);
  const pools: NodePoolSpec[] = [];
  let left = nodeCount;
  let k = 0;
  while (left > 0) {
    const count = Math.min(left, 1 + rng.int(Math.max(1, Math.ceil(nodeCount / 3))));
    left -= count;
    pools.push({
      name: `p${k++}`, count, gpuModel: pick(rng, MODELS), gpusPerNode: pick(rng, [0, 1, 2, 4, 8, 8]), cpuMilli: pick(rng, [4000, 32000, 96000, 128000]),
      memMiB: pick(rng, [16384, 262144, 786432]), topology: pick(rng, TOPOLOGIES), numaNodes: pick(rng, [1, 2]), maxPods: pick(rng, [3, 8, 110]),
    });
  }
  const options = randomHamiOptions(rng, profile);
  // HamiScheduler.clusterOptions: memory scaling above 1 books past the physical memory
  const scaling = typeof options.memoryScaling === 'number' ? options.memoryScaling : 1;
  const cluster = new ClusterState(buildNodes({ pools }, { ...GPU_CATALOG }), { ...GPU_CATALOG }, { allowMemOversubscription: scaling > 1 });
  // odd capacities: small or huge card memory (float32 rounding of the sums), compute other than 100
  for (const n of cluster.nodes) {
    const odd = rng.int(8);
    for (const g of n.gpus) {
      if (odd === 0) g.memMiB = pick(rng, [10, 999, 3_000_001]);
      if (odd === 1) g.cores = pick(rng, [0, 100, 150]); // not 50: bookingMilli counts 50 cores as exclusive (1000 milli) on a shared card
    }
  }
  const scheduler = createScheduler(profile, options, { scenario: {} as never, cluster, rng }) as HamiScheduler;
  const ctx = { cluster, rng: new Rng(seed), nowS: 0 };
  const maxCpu = Math.max(...cluster.nodes.map((n) => n.cpuMilli));
  const maxMem = Math.max(...cluster.nodes.map((n) => n.memMiB));
  const pods: Pod[] = Array.from({ length: bookings }, () => podOf(randomHamiRequest(rng, maxCpu, maxMem)));
  for (let i = 0; i < pods.length; i += 10) scheduler.cycle(pods.slice(i, i + 10), ctx);
  for (const n of cluster.nodes) {
    for (const g of n.gpus) if (rng.int(12) === 0) g.healthy = false;
    if (n.gpus.length > 0 && rng.int(6) === 0) {
      const ids = n.gpus.filter(() => rng.int(2) === 0).map((g) => `${n.name}-gpu${g.index}`);
      (n as { labels: Record<string, string> }).labels = { ...n.labels, [Annotation.deviceCordon]: ids.join(', ') };
    }
    cluster.touch(n);
  }
  return { cluster, profile, options, scheduler };
}

/**
 * Exactly `count` pod requests that the world's HamiScheduler treats as HAMi pods (`request(pod)` not null), drawn
 * with randomHamiRequest at the given scale; throws when 20 draws per pod were not enough (a generator gone wrong).
 */
export function randomHamiPods(rng: Rng, w: HamiWorld, count: number, maxCpu: number, maxMem: number): PodRequest[] {
  const out: PodRequest[] = [];
  for (let tries = 0; out.length < count; tries++) {
    if (tries >= 20 * count) throw new Error(`randomHamiPods: ${out.length} of ${count} HAMi pods after ${tries} draws`);
    const p = podOf(randomHamiRequest(rng, maxCpu, maxMem));
    if (w.scheduler.request(p) !== null) out.push(p.request);
  }
  return out;
}
