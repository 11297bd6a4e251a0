/**
 * Conformance adapter for kube-scheduler's NodeResourcesFit / BalancedAllocation scoring vectors
 * (../shared/conformance/kube_noderesources.json). It only translates the neutral vocabulary (`cpu_milli`,
 * `memory_bytes`, extended resources by name) into the ResourceLists our plugin functions take; every rule
 * (non-zero defaults, init containers, which resources count, the formulas, config validation) is the plugin's
 * own code in src/sched/plugins/nodeResourcesFit.ts and balancedAllocation.ts; `num_feasible_nodes_to_find` is
 * the framework runner's (src/sched/runner.ts).
 */
import { balancedAllocationOf } from '../sched/plugins/balancedAllocation.ts';
import {
  brokenLinear,
  fitScoreOf,
  NON_ZERO_DEFAULTS_BYTES,
  validateScoringStrategy,
  type PodRequests,
  type ResourceList,
  type ResourceWeight,
  type ScoringStrategy,
  type ShapePoint,
} from '../sched/plugins/nodeResourcesFit.ts';
import { numFeasibleNodesToFind } from '../sched/runner.ts';
import type { CaseOutcome, ConformanceAdapter, ConformanceCase } from './types.ts';

/** Vector functions beside the scoring strategies. */
const FUNCTIONS = new Set(['broken_linear', 'num_feasible_nodes_to_find']);
const STRATEGIES = new Set(['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio', 'BalancedAllocation']);

interface VectorContainer {
  requests?: Record<string, number>;
}
interface VectorPod {
  node?: string;
  containers?: VectorContainer[];
  sidecar_containers?: VectorContainer[];
  init_containers?: VectorContainer[];
}
interface VectorNode {
  name: string;
  allocatable: Record<string, number>;
}

/** Vector key → our resource name. Memory stays in bytes: the scores are unit-free ratios. */
const KEY_TO_RESOURCE: Record<string, string> = { cpu_milli: 'cpu', milli_cpu: 'cpu', memory_bytes: 'memory' };

function toResourceList(v: Record<string, number> | undefined): ResourceList {
  const out: Record<string, number> = {};
  for (const [k, q] of Object.entries(v ?? {})) out[KEY_TO_RESOURCE[k] ?? k] = q;
  return out;
}

function toPodRequests(p: VectorPod): PodRequests {
  return {
    containers: (p.containers ?? []).map((c) => toResourceList(c.requests)),
    sidecars: (p.sidecar_containers ?? []).map((c) => toResourceList(c.requests)),
    initContainers: (p.init_containers ?? []).map((c) => toResourceList(c.requests)),
  };
}

const show = (v: unknown): string => JSON.stringify(v);

function outcome(expected: unknown, got: unknown): CaseOutcome {
  const e = show(expected);
  const g = show(got);
  return e === g ? { status: 'pass', detail: '' } : { status: 'fail', detail: `expected ${e}, got ${g}` };
}

/** Sorts an object's keys so comparisons do not depend on key order. */
function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

function runBrokenLinear(c: ConformanceCase): CaseOutcome {
  const points = c.input.points as ShapePoint[];
  const at = c.input.evaluate_at as number[];
  return outcome(c.expected.values, at.map((p) => brokenLinear(points, p)));
}

function runStrategy(c: ConformanceCase): CaseOutcome {
  const input = c.input as { strategy: string; resources?: ResourceWeight[]; shape?: ShapePoint[]; nodes: VectorNode[]; existing_pods?: VectorPod[]; pod: VectorPod };
  const resources = input.resources ?? [];
  const pod = toPodRequests(input.pod);
  const onNode = (name: string): PodRequests[] => (input.existing_pods ?? []).filter((p) => p.node === name).map(toPodRequests);

  if (input.strategy === 'BalancedAllocation') {
    const scores: Record<string, number> = {};
    for (const n of input.nodes) {
      const r = balancedAllocationOf(resources, toResourceList(n.allocatable), onNode(n.name), pod);
      if ('status' in r) {
        // Skip is decided in PreScore, for the pod as a whole: no node gets a score.
        return compareExpected(c, { prescore_status: 'Skip' });
      }
      scores[n.name] = r.score;
    }
    return compareExpected(c, { scores });
  }

  const strategy: ScoringStrategy = { type: input.strategy as ScoringStrategy['type'], resources, shape: input.shape };
  const errors = validateScoringStrategy(strategy);
  if (errors.length > 0) return compareExpected(c, { config_error: { field: errors[0].field, type: errors[0].type } });
  const scores: Record<string, number> = {};
  let status: string | undefined;
  for (const n of input.nodes) {
    const r = fitScoreOf(strategy, toResourceList(n.allocatable), onNode(n.name), pod, NON_ZERO_DEFAULTS_BYTES);
    if ('status' in r) {
      scores[n.name] = 0;
      status = r.status.code;
    } else scores[n.name] = r.score;
  }
  return compareExpected(c, status ? { scores, score_status: status } : { scores });
}

/** Compares only the keys the vector asserts (scores, score_status, prescore_status, config_error). */
function compareExpected(c: ConformanceCase, got: Record<string, unknown>): CaseOutcome {
  const exp: Record<string, unknown> = {};
  const have: Record<string, unknown> = {};
  for (const k of Object.keys(c.expected)) {
    if (k === 'derived_not_asserted') continue;
    const e = c.expected[k];
    const g = got[k];
    exp[k] = e !== null && typeof e === 'object' && !Array.isArray(e) ? sortedKeys(e as Record<string, unknown>) : e;
    have[k] = g !== null && typeof g === 'object' && !Array.isArray(g) ? sortedKeys(g as Record<string, unknown>) : (g ?? null);
  }
  // Anything we report that the vector does not expect (an error, a skip) is a difference too.
  for (const k of Object.keys(got)) {
    if (!(k in exp)) {
      exp[k] = null;
      have[k] = got[k];
    }
  }
  return outcome(exp, have);
}

/** kube-scheduler NodeResourcesFit / BalancedAllocation scoring, through our plugin functions. */
export const kubeAdapter: ConformanceAdapter = {
  project: 'kube_noderesources',
  supports(c) {
    if (c.input.function !== undefined) return FUNCTIONS.has(c.input.function);
    return typeof c.input.strategy === 'string' && STRATEGIES.has(c.input.strategy);
  },
  run(c) {
    if (c.input.function === 'broken_linear') return runBrokenLinear(c);
    if (c.input.function === 'num_feasible_nodes_to_find') {
      // kube's percentageOfNodesToScore: 0 means adaptive (schedule_one.go numFeasibleNodesToFind).
      const pct = c.input.percentage_of_nodes_to_score as number;
      return compareExpected(c, { num_nodes: numFeasibleNodesToFind(c.input.num_all_nodes as number, pct === 0 ? 'adaptive' : pct) });
    }
    return runStrategy(c);
  },
};
