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
import { ShapeCachedScheduler } from '../frag/shapeCachedScheduler.ts';
import type { FrameworkScheduler } from '../runner.ts';
import { bestFitInfo, clusteringInfo, dotProdInfo, fgdInfo, packingInfo, randomInfo, type FgdProfileOptions, type ProfileInfo } from '../../scenario/profileCatalog.ts';
import type { ProfileDefinition, ProfileEnv } from './types.ts';

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
 */
function policyScheduler(name: string, score: ScorePlugin, allocator: DeviceAllocator, env: ProfileEnv): FrameworkScheduler {
  return new ShapeCachedScheduler({
    name,
    queueSort: prioritySort,
    filters: [nodeResourcesFitFilter(GPU_MILLI), gpuModelAffinity, gpuShareFilter],
    scores: [{ plugin: score, weight: FGD_POLICY_WEIGHT }],
    allocator,
    tieBreak: { kind: 'rank', rank: nodeRanking(env.cluster.nodes.length, env.rng) },
    percentageOfNodesToScore: 100,
  });
}

export const fgdProfile: ProfileDefinition<FgdProfileOptions> = {
  ...fgdInfo,
  create(o, env) {
    const policy = new FgdPolicy(targetWorkloadFromScenario(env.scenario, o.coveragePct));
    return policyScheduler('fgd', policy.score, policy.allocator, env);
  },
};

/** A baseline profile: its catalog entry, one score plugin, the shared-GPU choice given. */
function baseline(info: ProfileInfo<Record<string, never>>, score: () => ScorePlugin, choice: typeof tightestGpu): ProfileDefinition<Record<string, never>> {
  return {
    ...info,
    create: (_o, env) => policyScheduler(info.name, score(), gpuShareAllocator(`${info.name}-gpu-share`, choice), env),
  };
}

export const randomProfile = baseline(randomInfo, () => randomScore, randomGpu);
export const dotProdProfile = baseline(dotProdInfo, () => dotProdScore, tightestGpu);
export const clusteringProfile = baseline(clusteringInfo, gpuClusteringScore, tightestGpu);
export const packingProfile = baseline(packingInfo, () => gpuPackingScore, tightestGpu);
export const bestFitProfile = baseline(bestFitInfo, () => bestFitScore, tightestGpu);

/** The six policies of the FGD paper, in the paper's order. */
export const FGD_PROFILES = [fgdProfile, randomProfile, dotProdProfile, clusteringProfile, packingProfile, bestFitProfile];
