/**
 * Volcano's binpack plugin (pkg/scheduler/plugins/binpack/binpack.go, Volcano v1.15), float arithmetic:
 * S = 100 · binpack.weight · Σ_r w_r·(used_r + req_r)/alloc_r ÷ Σ_r w_r over the resources the task requests
 * (request ≥ minResource) that have a configured weight. A resource whose used + request exceeds allocatable
 * makes the whole node score 0; a requested resource the node lacks (allocatable 0) adds 0 while its weight
 * still counts in Σ w_r. Defaults: weight 1, cpu 1, memory 1, no extra resources (`binpack.resources`).
 */
import { MIN_RESOURCE } from './resource.ts';

/** Parsed binpack arguments: the plugin weight and a weight per resource name. */
export interface BinpackArgs {
  weight: number;
  /** Resource name → weight (`cpu`, `memory`, and each `binpack.resources` entry). */
  resources: Record<string, number>;
}

/** The Helm chart's binpack (no arguments): weight 1, cpu 1, memory 1. */
export const DEFAULT_BINPACK_ARGS: BinpackArgs = { weight: 1, resources: { cpu: 1, memory: 1 } };

/**
 * Parses the plugin arguments as binpack.go does: unset weights are 1; a negative cpu, memory or per-resource
 * weight falls back to 1; `binpack.resources` is a comma list of extra resource names, each weighted by
 * `binpack.resources.<name>`.
 */
export function parseBinpackArguments(args: Record<string, unknown>): BinpackArgs {
  const num = (key: string): number | undefined => (typeof args[key] === 'number' ? (args[key] as number) : undefined);
  const weight = num('binpack.weight') ?? 1;
  const positiveOr1 = (v: number | undefined): number => (v === undefined || v < 0 ? 1 : v);
  const resources: Record<string, number> = { cpu: positiveOr1(num('binpack.cpu')), memory: positiveOr1(num('binpack.memory')) };
  const list = typeof args['binpack.resources'] === 'string' ? (args['binpack.resources'] as string) : '';
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    resources[name] = positiveOr1(num(`binpack.resources.${name}`));
  }
  return { weight, resources };
}

/** One resource of the task on one node. */
export interface BinpackResource {
  name: string;
  request: number;
  /** Used on the node by the pods already there (not counting this task). */
  used: number;
  allocatable: number;
}

/** The binpack node score of one task on one node (see the file comment for the formula). */
export function binpackScore(args: BinpackArgs, resources: readonly BinpackResource[]): number {
  let score = 0;
  let weightSum = 0;
  for (const r of resources) {
    if (r.request < MIN_RESOURCE) continue;
    const w = args.resources[r.name];
    if (w === undefined) continue;
    if (r.allocatable !== 0 && w !== 0) {
      const usedFinally = r.used + r.request;
      if (usedFinally > r.allocatable) return 0;
      score += (usedFinally * w) / r.allocatable;
    }
    weightSum += w;
  }
  if (weightSum > 0) score /= weightSum;
  return score * 100 * args.weight;
}
