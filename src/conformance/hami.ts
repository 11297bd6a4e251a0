/**
 * Conformance adapter for HAMi v2.10.0 (../shared/conformance/hami.json): translates the neutral vocabulary
 * (README §2) into the types of src/sched/hami and runs each case through the same functions the `hami-*`
 * profiles use (and `device_plugin_preferred_allocation` through the NVIDIA device plugin's policy that
 * k8s-default and volcano use for whole GPUs). No rule is re-implemented here: this file only converts inputs
 * and compares outputs.
 */
import { gpuFit, gpuTypeMatches } from '../sched/hami/fit.ts';
import { bestEffortAllocate } from '../sched/plugins/bestEffortGpuPolicy.ts';
import { fitContainer, nodeFitOptions, pickNode, scheduleOnNode, scoredCopy, sortGpuList, type HamiPodSpec } from '../sched/hami/nodeSchedule.ts';
import { effectiveNodePolicy, gpuLess, nodeLess } from '../sched/hami/order.ts';
import { admissionDefaultCores, admissionIsGpuContainer, admissionRejects, normalizeRequest, parseGoBool, type ContainerResources } from '../sched/hami/request.ts';
import { gpuScore, nodeScore, parseScoringWeights } from '../sched/hami/score.ts';
import { bestCombination, combinations, linkPairScore, pairScoresFromLinks, worstSingle, type PairScores } from '../sched/hami/topology.ts';
import { DEFAULT_SCORING_WEIGHTS, type HamiAllocation, type HamiGpu, type HamiPodOptions, type HamiRequest, type ScoringWeights } from '../sched/hami/types.ts';
import type { CaseOutcome, ConformanceAdapter, ConformanceCase } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const FUNCTIONS = new Set([
  'gpu_score', 'gpu_score_multi', 'gpu_order_less', 'gpu_fit', 'gpu_fit_presorted', 'gpu_fit_from_container', 'node_fit',
  'node_schedule', 'filter', 'node_score', 'node_order_less', 'gpu_type_match', 'numa_bind_flag', 'request_normalize',
  'admission_default_cores', 'admission_is_gpu_container', 'admission_validate', 'link_pair_score', 'link_pair_scores',
  'topology_worst_single', 'topology_best_combination', 'topology_combination_count', 'parse_device_scoring_weights',
  'hami_effective_node_policy', 'device_plugin_preferred_allocation',
]);

export function gpuOf(g: Json): HamiGpu {
  return {
    id: g.id, index: g.index, type: g.type, mode: g.gpu_mode ?? 'hami-core', splitCount: g.split_count, memTotalMiB: g.mem_total_mib,
    coresTotal: g.cores_total, usedSlots: g.used_slots, usedMemMiB: g.used_mem_mib, usedCores: g.used_cores, numa: g.numa, healthy: g.healthy,
  };
}

export function requestOf(r: Json): HamiRequest {
  return { gpuCount: r.gpu_count, gpuType: r.gpu_type, memMiB: r.mem_mib, memPercent: r.mem_percent ?? null, cores: r.cores };
}

function requestJson(r: HamiRequest): Json {
  return { gpu_count: r.gpuCount, gpu_type: r.gpuType, mem_mib: r.memMiB, mem_percent: r.memPercent, cores: r.cores };
}

function allocJson(a: HamiAllocation): Json {
  return { id: a.id, index: a.index, mem_mib: a.memMiB, cores: a.cores };
}

function listRaw(v: Json): string | null {
  if (v === undefined || v === null) return null;
  return Array.isArray(v) ? v.join(',') : String(v);
}

export function podOptionsOf(p: Json, fallbackPolicy: string, cordoned: Json, numaFallback = false): HamiPodOptions {
  const o = p ?? {};
  return {
    gpuPolicy: o.gpu_policy ?? fallbackPolicy,
    numaBind: o.numa_bind ?? numaFallback,
    gpuTypeAllow: listRaw(o.gpu_type_allow),
    gpuTypeDeny: listRaw(o.gpu_type_deny),
    vgpuMode: null,
    uuidAllow: listRaw(o.gpu_uuid_allow),
    uuidDeny: listRaw(o.gpu_uuid_deny),
    cordoned: new Set<string>(cordoned ?? []),
  };
}

function weightsOf(w: Json): ScoringWeights {
  return w ? { slot: w.slot, core: w.core, memory: w.memory } : DEFAULT_SCORING_WEIGHTS;
}

function resourcesOf(c: Json): ContainerResources {
  const r: ContainerResources = {};
  if (c.gpu !== undefined && c.gpu !== null) r.gpu = c.gpu;
  if (c.gpumem !== undefined && c.gpumem !== null) r.gpumem = c.gpumem;
  if (c.gpumem_percentage !== undefined && c.gpumem_percentage !== null) r.gpumemPercentage = c.gpumem_percentage;
  if (c.gpucores !== undefined && c.gpucores !== null) r.gpucores = c.gpucores;
  return r;
}

export function fitJson(r: ReturnType<typeof gpuFit>): Json {
  const allocated = r.fits ? r.allocated.map(allocJson) : [];
  const ids = r.allocated.map((a) => a.id);
  return {
    fits: r.fits,
    allocated,
    allocated_ids: r.fits ? ids : [],
    allocated_ids_set: r.fits ? [...ids].sort() : [],
    allocated_count: r.fits ? ids.length : 0,
    partial_allocated: r.fits ? [] : r.allocated.map(allocJson),
    reasons: r.reasons,
    reason_string: r.message,
  };
}

function containersOf(list: Json[] | undefined): (HamiRequest[] | null)[] {
  return (list ?? []).map((c: Json) => (c === null ? null : [requestOf(c)]));
}

function weightsFromOptions(o: Json): ScoringWeights | string {
  if (!o || o.device_scoring_weights === undefined) return DEFAULT_SCORING_WEIGHTS;
  const p = parseScoringWeights(o.device_scoring_weights);
  return p.ok ? p.weights : p.error;
}

/** Runs one case and returns what we computed, in the case's vocabulary. */
function compute(i: Json): Json {
  switch (i.function as string) {
    case 'gpu_score':
      return { score: gpuScore(gpuOf(i.gpu), (i.requests ?? []).map(requestOf), weightsOf(i.weights)) };
    case 'gpu_score_multi': {
      const reqs = (i.requests ?? []).map(requestOf);
      const list = scoredCopy(i.gpus.map(gpuOf));
      for (const e of list) e.score = gpuScore(e.gpu, reqs, weightsOf(i.weights));
      const scores: Record<string, number> = {};
      for (const e of list) scores[e.gpu.id] = e.score;
      const first: Record<string, string> = {};
      for (const policy of i.sort_policies ?? []) {
        const sorted = sortGpuList(list.slice(), policy, false);
        first[policy] = sorted[sorted.length - 1].gpu.id;
      }
      return { scores, first_candidate: first };
    }
    case 'gpu_order_less':
      return { a_sorts_before_b: gpuLess(orderKey(i.a), orderKey(i.b), i.gpu_policy, i.numa_bind ?? false) };
    case 'gpu_fit': {
      const filter = i.candidate_type_filter ? String(i.candidate_type_filter).toLowerCase() : null;
      const gpus: HamiGpu[] = i.gpus.map(gpuOf).filter((g: HamiGpu) => filter === null || g.type.toLowerCase().includes(filter));
      const opts = podOptionsOf(i.pod_options, '', i.cordoned_gpu_ids);
      const r = gpuFit(gpus, requestOf(i.request), opts, i.pair_scores as PairScores | undefined);
      const unchanged: Record<string, Json> = {};
      for (const g of gpus) unchanged[g.id] = { used_slots: g.usedSlots };
      return { ...fitJson(r), gpu_usage_unchanged: unchanged };
    }
    case 'gpu_fit_presorted': {
      const list = scoredCopy(i.gpus.map(gpuOf));
      list.forEach((e, k) => (e.score = i.gpu_scores[k]));
      sortGpuList(list, i.gpu_policy, i.numa_bind_sort ?? false);
      const opts = podOptionsOf(i.pod_options, '', i.cordoned_gpu_ids);
      return fitJson(gpuFit(list.map((e) => e.gpu), requestOf(i.request), opts, i.pair_scores));
    }
    case 'gpu_fit_from_container': {
      const cfg = i.config ?? {};
      const req = normalizeRequest(resourcesOf(i.container_resources), { memoryFactor: cfg.memory_factor ?? 1, defaultMemMiB: cfg.default_memory_mib ?? 0, defaultCores: cfg.default_cores ?? 0 });
      if (req === null) return { fits: false };
      return fitJson(gpuFit(i.gpus.map(gpuOf), req, podOptionsOf(i.pod_options, '', i.cordoned_gpu_ids)));
    }
    case 'node_fit': {
      const opts = nodeFitOptions(podOptionsOf(i.pod_options, '', i.cordoned_gpu_ids), { listPolicy: i.gpu_policy ?? '', numaBindSort: i.numa_bind ?? false });
      const r = fitContainer(scoredCopy(i.gpus.map(gpuOf)), i.requests.map(requestOf), opts);
      return r.fits ? { fits: true, reason: '', allocated: r.allocations.map(allocJson) } : { fits: false, reason: r.reason };
    }
    case 'node_schedule':
    case 'filter': {
      const isFilter = i.function === 'filter';
      const listPolicy = isFilter ? (i.pod_options?.gpu_policy ?? 'spread') : i.gpu_policy;
      const numaBind = i.pod_options?.numa_bind ?? i.numa_bind ?? false;
      const weights = weightsFromOptions(i.pod_options);
      if (typeof weights === 'string') return { error: weights };
      const pod: HamiPodSpec = { initContainers: containersOf(i.pod.init_containers), containers: containersOf(i.pod.containers) };
      const nodes: Record<string, Json> = {};
      const fitting: { name: string; score: number; first: string | undefined }[] = [];
      for (const n of i.nodes) {
        const o = nodeFitOptions(podOptionsOf(i.pod_options, '', n.cordoned_gpu_ids, numaBind), { listPolicy, numaBindSort: numaBind, weights, pairScores: n.pair_scores });
        const r = scheduleOnNode(n.gpus.map(gpuOf), pod, o);
        if (r.fits) {
          nodes[n.name] = { fits: true, score: r.score, allocations: r.allocations.map((c) => c.map(allocJson)), allocations_gpu_ids: r.allocations.map((c) => c.map((a) => a.id)) };
          const firstCtr = r.allocations.find((c) => c.length > 0);
          fitting.push({ name: n.name, score: r.score, first: firstCtr?.[0]?.id });
        } else nodes[n.name] = { fits: false, reason: r.reason };
      }
      if (!isFilter) return { nodes };
      const best = pickNode(fitting.map((f) => f.score), i.pod_options?.node_policy ?? 'binpack');
      return { node: best < 0 ? null : fitting[best].name, first_gpu: best < 0 ? null : fitting[best].first };
    }
    case 'node_score':
      return { score: nodeScore(i.gpus.map(gpuOf)) };
    case 'node_order_less':
      return { a_sorts_before_b: nodeLess(i.a.score, i.b.score, i.node_policy) };
    case 'gpu_type_match':
      return { match: gpuTypeMatches(i.gpu_type, i.gpu_mode ?? '', i.gpu_type_allow_raw ?? null, i.gpu_type_deny_raw ?? null, i.vgpu_mode_allow_raw ?? null) };
    case 'numa_bind_flag':
      return { numa_bind: parseGoBool(i.raw_value) };
    case 'request_normalize': {
      const cfg = i.config ?? {};
      const r = normalizeRequest(resourcesOf(i.container_resources), { memoryFactor: cfg.memory_factor ?? 1, defaultMemMiB: cfg.default_memory_mib ?? 0, defaultCores: cfg.default_cores ?? 0 });
      return { request: r === null ? null : requestJson(r) };
    }
    case 'admission_default_cores':
      return { gpucores: admissionDefaultCores(resourcesOf(i.container_resources)) };
    case 'admission_is_gpu_container':
      return { is_gpu_container: admissionIsGpuContainer(resourcesOf(i.container_resources), i.config?.default_gpu_num ?? 1) };
    case 'admission_validate':
      return { rejected: admissionRejects(resourcesOf(i.container_resources)) };
    case 'link_pair_score':
      return linkPairScore(i.from_gpu0_to_gpu1, i.from_gpu1_to_gpu0);
    case 'link_pair_scores':
      return { pair_scores: pairScoresFromLinks(i.links) };
    case 'topology_worst_single':
      return { selected: [i.candidates[worstSingle(i.candidates, i.pair_scores)]] };
    case 'topology_best_combination':
      return { selected: i.combinations[bestCombination(i.combinations, i.pair_scores)] };
    case 'topology_combination_count':
      return { counts: (i.k as number[]).map((k) => combinations(i.candidate_count, k).length) };
    case 'device_plugin_preferred_allocation': {
      // Device ids → positions in `available` (the order the plugin lists them); links give the pair scores.
      const ids: string[] = i.available;
      const links = i.links ?? {};
      const pair = (a: number, b: number): number => linkPairScore(links[ids[a]]?.[ids[b]] ?? [], links[ids[b]]?.[ids[a]] ?? []).score;
      const chosen = bestEffortAllocate(ids.map((_, k) => k), (i.required ?? []).map((id: string) => ids.indexOf(id)), i.size, pair);
      return { allocated_ids_set: chosen.map((k) => ids[k]).sort() };
    }
    case 'hami_effective_node_policy':
      return { sorts_ascending: !nodeLess(1, 0, effectiveNodePolicy(i.flag, i.annotation ?? undefined)) };
    case 'parse_device_scoring_weights': {
      const p = parseScoringWeights(i.value);
      return { error: p.ok ? null : p.error };
    }
  }
  throw new Error(`unsupported function ${i.function}`);
}

function orderKey(o: Json): { score: number; numa: number; usedSlots: number; index: number } {
  return { score: o.score, numa: o.numa, usedSlots: o.used_slots, index: o.index };
}

/** Keys whose values are compared exactly (maps where an extra entry is a difference). */
const EXACT_KEYS = new Set(['reasons', 'scores', 'pair_scores', 'request']);

/** `expected ⊆ got`: objects compare on the expected keys only, except the exact maps above; numbers within tolerance. */
export function matches(exp: Json, got: Json, tolerance = 0, key = ''): boolean {
  if (EXACT_KEYS.has(key)) return JSON.stringify(sortKeys(exp)) === JSON.stringify(sortKeys(got));
  if (typeof exp === 'number') return typeof got === 'number' && Math.abs(exp - got) <= tolerance;
  if (exp === null || typeof exp !== 'object') return exp === got;
  if (Array.isArray(exp)) return Array.isArray(got) && got.length === exp.length && exp.every((e, k) => matches(e, got[k], tolerance));
  if (got === null || typeof got !== 'object') return false;
  return Object.keys(exp).every((k) => matches(exp[k], got[k], tolerance, k));
}

function sortKeys(v: Json): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Json = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

/** Compares what we computed with the case's expectations (special keys handled here). */
function check(c: ConformanceCase, got: Json): boolean {
  const exp = c.expected as Json;
  const tol = typeof exp.tolerance === 'number' ? exp.tolerance : 0;
  for (const [k, v] of Object.entries(exp)) {
    if (k === 'tolerance' || k === 'derived_not_asserted') continue;
    if (k === 'error_contains') {
      if (typeof got.error !== 'string' || !got.error.includes(v as string)) return false;
    } else if (k === 'first_container_gpu_id_any_of') {
      if (!(v as string[]).includes(got.first_gpu)) return false;
    } else if (k === 'allocated_ids_set') {
      if (!matches([...(v as string[])].sort(), got.allocated_ids_set, tol)) return false;
    } else if (!matches(v, got[k], tol, k)) return false;
  }
  return true;
}

export const hamiAdapter: ConformanceAdapter = {
  project: 'hami',
  supports(c) {
    return typeof c.input.function === 'string' && FUNCTIONS.has(c.input.function);
  },
  run(c): CaseOutcome {
    if (!this.supports(c)) return { status: 'unsupported', detail: `function ${String(c.input.function)} is not modeled` };
    let got: Json;
    try {
      got = compute(c.input);
    } catch (e) {
      return { status: 'fail', detail: `error: ${(e as Error).message}` };
    }
    if (check(c, got)) return { status: 'pass', detail: '' };
    return { status: 'fail', detail: `expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}` };
  },
};
