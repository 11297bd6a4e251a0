/**
 * Profiles `fgd`, `random`, `dotprod`, `clustering`, `packing`, `bestfit`: the policies of "Beware of
 * Fragmentation" (USENIX ATC'23) as its artifact runs them (hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641;
 * domain.md §6.4): one score plugin at weight 1000, kube's default score plugins off, default filters on
 * (NodeResourcesFit for CPU, memory and pods; GPU model affinity; the GPU-share fit), every node scored, and ties
 * among the top nodes broken by one seeded random ranking of the nodes drawn when the scheduler is created.
 * GPU choice inside a node: whole-GPU pods take the lowest-indexed free GPUs; a shared pod takes the best-FGD GPU
 * (fgd), a random fitting GPU (random) or the tightest fitting GPU (the others).
 */
import type { Rng } from '../../core/rng.ts';
import { GPU_MILLI } from '../../model/units.ts';
import { prioritySort, type DeviceAllocator, type ScorePlugin } from '../framework.ts';
import { targetWorkloadFromScenario } from '../frag/target.ts';
import { bestFitScore, dotProdScore, gpuClusteringScore, gpuPackingScore, randomScore } from '../plugins/fgdBaselines.ts';
import { gpuShareAllocator, gpuShareFilter, randomGpu, tightestGpu } from '../plugins/fgdGpuShare.ts';
import { FgdPolicy } from '../plugins/fgdScore.ts';
import { gpuModelAffinity } from '../plugins/nodeAffinity.ts';
import { nodeResourcesFitFilter } from '../plugins/nodeResourcesFit.ts';
import { ShapeCachedScheduler, type ShapeSelect } from '../frag/shapeCachedScheduler.ts';
import type { FrameworkScheduler } from '../runner.ts';
import { bestFitInfo, clusteringInfo, dotProdInfo, fgdInfo, packingInfo, randomInfo, type FgdProfileOptions, type ProfileInfo } from '../../scenario/profileCatalog.ts';
import type { ProfileDefinition, ProfileEnv } from './types.ts';
import type { FgdBaselinePolicy } from './kernelSpecs.ts';

/**
 * Bias of each baseline's packed kernel total (score + bias ≥ 0): dotprod scores 100·(1 − dot/2) with dot up to
 * (cpu/128000)² + (gpu/8000)², below 0 on nodes above 128 cores or 8 GPUs (≥ −200 covers dot ≤ 6: 16 GPUs and
 * 1.41×128 cores); clustering's in-band term trunc(25·(8000 − gpu_left)/8000) reaches −25 on 16 free GPUs.
 */
const BASELINE_BIAS: Record<FgdBaselinePolicy, number> = { random: 0, dotprod: 200, clustering: 25, packing: 0, bestfit: 0 };

export type { FgdProfileOptions };

/** The artifact's score weight for the one policy plugin. */
export const FGD_POLICY_WEIGHT = 1000;

/** rank[node id] = position of the node in one seeded random permutation (lower wins ties). */
export function nodeRanking(nodeCount: number, rng: Rng): Int32Array {
  const perm = rng.shuffle(Array.from({ length: nodeCount }, (_, i) => i));
  const rank = new Int32Array(nodeCount);
  perm.forEach((node, pos) => {
    rank[node] = pos;
  });
  return rank;
}

/**
 * The scheduler of one policy. NodeResourcesFit's `nvidia.com/gpu` count is neutralised (1000 slots per GPU:
 * a booking takes at least 1 milli, so the count never binds); the GPU-share filter checks GPUs instead.
 * `select` is the winner shortcut the policy's plugin allows (frag/shapeCachedScheduler.ts ShapeSelect); the
 * plugins are resource-only: they read a node's resources, not its name or labels, and the three filters are
 * monotone (binding only takes CPU, memory, pod slots and GPU share away).
 */
function policyScheduler(name: string, score: ScorePlugin, allocator: DeviceAllocator, env: ProfileEnv, select: ShapeSelect): FrameworkScheduler {
  return new ShapeCachedScheduler({
    name,
    queueSort: prioritySort,
    filters: [nodeResourcesFitFilter(GPU_MILLI), gpuModelAffinity, gpuShareFilter],
    scores: [{ plugin: score, weight: FGD_POLICY_WEIGHT }],
    allocator,
    tieBreak: { kind: 'rank', rank: env.nodeRank ?? nodeRanking(env.cluster.nodes.length, env.rng) },
    percentageOfNodesToScore: 100,
  }, select, true);
}

export const fgdProfile: ProfileDefinition<FgdProfileOptions> = {
  ...fgdInfo,
  // kernel shaders/filterScoreFgd.wgsl: the FGD score for the scenario's target workload (none without a scenario)
  kernel(o, scenario) {
    if (!scenario) return null;
    const target = targetWorkloadFromScenario(scenario, typeof o.coveragePct === 'number' ? o.coveragePct : 95);
    return { kind: 'fgd', classes: target.classes.map((c) => ({ cpuMilli: c.cpuMilli, gpuMilli: c.gpuMilli, gpuCount: c.gpuCount, models: c.models, weight: c.weight })) };
  },
  create(o, env) {
    const policy = new FgdPolicy(targetWorkloadFromScenario(env.scenario, o.coveragePct));
    return policyScheduler('fgd', policy.score, policy.allocator, env, 'argmax');
  },
};

/** A baseline profile: its catalog entry, one score plugin, the shared-GPU choice given. */
function baseline(info: ProfileInfo<Record<string, never>>, score: () => ScorePlugin, choice: typeof tightestGpu, select: ShapeSelect = 'argmax'): ProfileDefinition<Record<string, never>> {
  return {
    ...info,
    // kernel shaders/filterScoreBaselines.wgsl, the policy's branch; totals packed as score + bias (≥ 0)
    kernel: () => ({ kind: 'fgd-baseline', policy: info.name as FgdBaselinePolicy, bias: BASELINE_BIAS[info.name as FgdBaselinePolicy] }),
    create: (_o, env) => policyScheduler(info.name, score(), gpuShareAllocator(`${info.name}-gpu-share`, choice), env, select),
  };
}

// RandomScore's normalize draws the winner; BestFit's min-max normalize keeps the raw argmax (ShapeSelect).
export const randomProfile = baseline(randomInfo, () => randomScore, randomGpu, 'randomPick');
export const dotProdProfile = baseline(dotProdInfo, () => dotProdScore, tightestGpu);
export const clusteringProfile = baseline(clusteringInfo, gpuClusteringScore, tightestGpu);
export const packingProfile = baseline(packingInfo, () => gpuPackingScore, tightestGpu);
export const bestFitProfile = baseline(bestFitInfo, () => bestFitScore, tightestGpu);

/** The six policies of the FGD paper, in the paper's order. */
export const FGD_PROFILES = [fgdProfile, randomProfile, dotProdProfile, clusteringProfile, packingProfile, bestFitProfile];
