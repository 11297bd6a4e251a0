/**
 * Conformance adapter for Volcano's own test vectors (../shared/conformance/volcano.json, Volcano v1.15).
 * It translates the neutral vocabulary into our types and calls the real code: binpack cases go to
 * src/sched/volcano/binpack.ts; `session` and `multi_cycle_session` cases build a ClusterState, queues,
 * PodGroups and pods and run src/sched/volcano/session.ts (the same session the `volcano` profile runs each
 * cycle); `deviceshare_node_score` goes to deviceshare.ts fitVgpu and `drf_job_share` to drf.ts. Memory is
 * converted to MiB when every value in the case is a whole number of MiB; otherwise the bytes go through the
 * memory slot unchanged (every proportion, predicate and score rule is unit-free; only
 * the 200 MiB non-zero default of leastrequested would differ, and it cannot change which node fits).
 * `gang_should_skip_unschedulable_for_releasing` goes to src/sched/volcano/gang.ts, the rule the session applies at
 * close to the pods preempt and reclaim evicted (Releasing upstream). A session pod in phase Succeeded or Failed is a
 * completed task of its PodGroup (SessionJob.succeeded / failed); Releasing and Pipelined pods at session open are
 * not expressible (our evictions free resources at once), so such a case is unsupported.
 */
import { Rng } from '../core/rng.ts';
import { buildNodes, ClusterState } from '../model/cluster.ts';
import { GPU_CATALOG } from '../scenario/gpuCatalog.ts';
import type { Pod } from '../model/pod.ts';
import { binpackScore, parseBinpackArguments, type BinpackResource } from '../sched/volcano/binpack.ts';
import { fitVgpu, type DeviceSharePolicy } from '../sched/volcano/deviceshare.ts';
import { drfJobShare } from '../sched/volcano/drf.ts';
import { shouldSkipUnschedulableForReleasing } from '../sched/volcano/gang.ts';
import type { QueueSpec } from '../sched/volcano/proportion.ts';
import type { Res } from '../sched/volcano/resource.ts';
import { runSession, type ActionName, type PodGroupPhase, type SessionConfig, type SessionJob } from '../sched/volcano/session.ts';
import { VICTIM_TIER_PRESETS } from '../sched/volcano/victims.ts';
import type { CaseOutcome, ConformanceAdapter, ConformanceCase } from './types.ts';

const SUPPORTED = new Set(['binpack_node_score', 'binpack_parse_arguments', 'session', 'multi_cycle_session', 'deviceshare_node_score', 'drf_job_share', 'gang_should_skip_unschedulable_for_releasing']);
const UNSUPPORTED_WHY: Record<string, string> = {};

/** Pod phases a session case can start from: placed, pending, or completed (no node is booked for those). */
const BOUND_PHASES = new Set(['Running', 'Bound', 'Binding', 'Allocated']);
const COMPLETED_PHASES = new Set(['Succeeded', 'Failed']);

/** gang.go shouldSkipUnschedulableForReleasing over the case's task statuses, through gang.ts. */
function runGangReleasing(c: ConformanceCase): CaseOutcome {
  const tasks = c.input.tasks as { status: string; node?: string | null }[];
  const count = (f: (t: { status: string; node?: string | null }) => boolean): number => tasks.filter(f).length;
  const skip = shouldSkipUnschedulableForReleasing({
    minAvailable: c.input.min_available as number,
    scheduled: count((t) => ['Running', 'Bound', 'Failed', 'Succeeded'].includes(t.status)),
    releasingOnNode: count((t) => t.status === 'Releasing' && !!t.node),
    pending: count((t) => t.status === 'Pending'),
    pipelined: count((t) => t.status === 'Pipelined'),
  });
  return compare(c.expected, { skip });
}

type Quantities = Record<string, number>;
interface VNode { name: string; allocatable: Quantities; used?: Quantities }
interface VQueue { name: string; weight?: number; capability?: Quantities; priority?: number; state?: string }
interface VPodGroup { name: string; namespace: string; queue: string; min_member: number; min_resources?: Quantities | null; phase: PodGroupPhase; priority?: number }
interface VPod { name: string; namespace: string; pod_group: string; node: string | null; phase: string; requests: Quantities }

/** Vector resource key → binpack resource name. */
const NAME: Record<string, string> = { cpu_milli: 'cpu', memory_bytes: 'memory' };

const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

function compare(expected: unknown, got: unknown): CaseOutcome {
  const e = show(expected);
  const g = show(got);
  return e === g ? { status: 'pass', detail: '' } : { status: 'fail', detail: `expected ${e}, got ${g}` };
}

function runBinpack(c: ConformanceCase): CaseOutcome {
  const args = parseBinpackArguments((c.input.arguments ?? {}) as Record<string, unknown>);
  const task = c.input.task as { requests: Quantities };
  const tol = typeof c.expected.tolerance === 'number' ? c.expected.tolerance : 0;
  const want = c.expected.scores as Record<string, number>;
  const got: Record<string, number> = {};
  const bad: string[] = [];
  for (const n of c.input.nodes as VNode[]) {
    const resources: BinpackResource[] = Object.entries(task.requests).map(([k, q]) => ({
      name: NAME[k] ?? k,
      request: q,
      used: n.used?.[k] ?? 0,
      allocatable: n.allocatable[k] ?? 0,
    }));
    got[n.name] = binpackScore(args, resources);
    if (!(Math.abs(got[n.name] - want[n.name]) <= tol)) bad.push(n.name);
  }
  return bad.length === 0 ? { status: 'pass', detail: '' } : { status: 'fail', detail: `expected ${show(want)}, got ${show(got)} (tolerance ${tol})` };
}

/** A plain resource map → Res (no unit change: drf's share is a ratio). */
function resOf(q: Quantities): Res {
  return [q.cpu_milli ?? 0, q.memory_bytes ?? 0, (q['nvidia.com/gpu'] ?? 0) * 1000, q.pods ?? 0];
}

/** drf calculateShare through drf.ts (the share the session's job order uses). */
function runDrfShare(c: ConformanceCase): CaseOutcome {
  const got = drfJobShare(resOf(c.input.allocated as Quantities), resOf(c.input.total as Quantities));
  const want = c.expected.share as number;
  const tol = typeof c.expected.tolerance === 'number' ? c.expected.tolerance : 0;
  return Math.abs(got - want) <= tol ? { status: 'pass', detail: '' } : { status: 'fail', detail: `expected share ${want}, got ${got} (tolerance ${tol})` };
}

interface VDeviceGpu { index: number; mem_total_mib: number; used_mem_mib: number; used_slots: number; used_cores: number; split_count: number }

/**
 * deviceshare's node score: one node with the given cards through deviceshare.ts fitVgpu (card order, fit, the
 * rounded node device score), times ScheduleWeight as the session's NodePlugins.scores weighs it.
 */
function runDeviceShareScore(c: ConformanceCase): CaseOutcome {
  const gpus = c.input.gpus as VDeviceGpu[];
  const req = c.input.request as { gpu_count: number; mem_mib: number; cores: number };
  const [n] = buildNodes({ pools: [{ name: 'd', count: 1, gpuModel: 'A100-80G', gpusPerNode: gpus.length, cpuMilli: 1000, memMiB: 1024, topology: 'pcie', numaNodes: 1 }] }, GPU_CATALOG);
  gpus.forEach((g, k) => {
    const s = n.gpus[k];
    s.index = g.index;
    s.memMiB = g.mem_total_mib;
    s.usedMemMiB = g.used_mem_mib;
    s.usedSlots = g.used_slots;
    s.usedCores = g.used_cores;
  });
  const pod = {
    request: { cpuMilli: 0, memMiB: 0, gpuCount: req.gpu_count, gpuMilli: 0, gpuMemMiB: req.mem_mib, gpuCores: req.cores, gpuModels: [] },
  } as unknown as Pod;
  const fit = fitVgpu(pod, n, { policy: c.input.policy as DeviceSharePolicy, splitCount: gpus[0]?.split_count ?? 10, weight: c.input.schedule_weight as number });
  const got = 'status' in fit ? { fits: false } : { node_score: fit.score * (c.input.schedule_weight as number) };
  return compare(c.expected, got);
}

/** Builds the world of a session case and runs it once per cycle. */
class SessionWorld {
  readonly cluster: ClusterState;
  readonly queues: QueueSpec[];
  private readonly memScale: number;
  private readonly jobs = new Map<string, SessionJob>();
  private readonly pods = new Map<string, Pod>();
  private readonly config: Omit<SessionConfig, 'actions'>;
  private readonly rng = new Rng(1);

  constructor(input: Record<string, unknown>, allPods: VPod[], allGroups: VPodGroup[]) {
    const nodes = input.nodes as VNode[];
    const mems: number[] = [];
    for (const n of nodes) mems.push(n.allocatable.memory_bytes ?? 0);
    for (const q of input.queues as VQueue[]) mems.push(q.capability?.memory_bytes ?? 0);
    for (const g of allGroups) mems.push(g.min_resources?.memory_bytes ?? 0);
    for (const p of allPods) mems.push(p.requests.memory_bytes ?? 0);
    this.memScale = mems.every((m) => m % 1048576 === 0) ? 1048576 : 1;
    const built = buildNodes(
      {
        pools: nodes.map((n) => ({
          name: n.name, count: 1, gpuModel: 'A100-80G', gpusPerNode: n.allocatable['nvidia.com/gpu'] ?? 0,
          cpuMilli: n.allocatable.cpu_milli ?? 0, memMiB: this.mem(n.allocatable.memory_bytes), topology: 'pcie' as const, numaNodes: 1, maxPods: n.allocatable.pods ?? 110,
        })),
      },
      GPU_CATALOG,
    );
    built.forEach((b, i) => (b.name = nodes[i].name));
    this.cluster = new ClusterState(built, GPU_CATALOG);
    this.queues = (input.queues as VQueue[]).map((q, i) => ({
      name: q.name,
      weight: q.weight ?? 1,
      capability: this.res(q.capability, Infinity),
      guarantee: [0, 0, 0, 0],
      reclaimable: true,
      priority: q.priority ?? 0,
      open: (q.state ?? 'Open') === 'Open',
      order: i,
    }));
    const plugins = (input.plugins ?? {}) as { proportion?: string[]; other_plugin_same_tier?: { rejects_jobs?: string[] } };
    const prop = new Set(plugins.proportion ?? []);
    const vetoed = new Set(plugins.other_plugin_same_tier?.rejects_jobs ?? []);
    this.config = {
      // The upstream tests configure the enqueue action, so allocate never promotes a Pending job by itself.
      enqueueConfigured: true,
      proportion: { allocatable: prop.has('allocatable'), overused: prop.has('overused'), jobEnqueue: prop.has('job_enqueue'), queueOrder: prop.has('queue_order'), reclaimable: true },
      overcommitFactor: null,
      priority: true,
      gang: true,
      drf: false,
      binpack: null,
      nodeorder: { leastRequested: 1, balancedResource: 1 },
      devices: { kind: 'whole' },
      // The vectors assume the code-default tiers (../shared/conformance/README.md §8).
      victimTiers: VICTIM_TIER_PRESETS.code,
      extraEnqueueVeto: vetoed.size ? (job) => vetoed.has(job.name) : undefined,
    };
  }

  private mem(bytes: number | undefined): number {
    return (bytes ?? 0) / this.memScale;
  }

  private res(q: Quantities | null | undefined, missing: number): Res {
    if (!q) return [missing, missing, missing, missing];
    return [
      q.cpu_milli ?? missing,
      q.memory_bytes === undefined ? missing : this.mem(q.memory_bytes),
      q['nvidia.com/gpu'] === undefined ? missing : q['nvidia.com/gpu'] * 1000,
      q.pods ?? missing,
    ];
  }

  /** Adds PodGroups and pods (bound ones are booked on their node). */
  add(groups: VPodGroup[], pods: VPod[]): void {
    for (const g of groups) {
      const key = `${g.namespace}/${g.name}`;
      this.jobs.set(key, {
        key, name: g.name, queue: g.queue, priority: g.priority ?? 0, minAvailable: g.min_member,
        minResources: g.min_resources ? this.res(g.min_resources, 0) : null, phase: g.phase,
        createdS: this.jobs.size, uid: this.jobs.size, pods: [],
      });
    }
    for (const p of pods) {
      const job = this.jobs.get(`${p.namespace}/${p.pod_group}`);
      if (!job) throw new Error(`pod ${p.name}: unknown pod group ${p.pod_group}`);
      if (COMPLETED_PHASES.has(p.phase)) {
        // A completed task holds no node (Volcano's NodeInfo skips terminated tasks); its job counts it.
        if (p.phase === 'Succeeded') job.succeeded = (job.succeeded ?? 0) + 1;
        else job.failed = (job.failed ?? 0) + 1;
        continue;
      }
      const uid = this.pods.size + 1;
      const pod: Pod = {
        uid, name: `${p.namespace}/${p.name}`, kind: 'batch', workload: 0,
        request: { cpuMilli: p.requests.cpu_milli ?? 0, memMiB: this.mem(p.requests.memory_bytes), gpuCount: p.requests['nvidia.com/gpu'] ?? 0, gpuMilli: p.requests['nvidia.com/gpu'] ? 1000 : 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] },
        priority: 0, queue: job.queue, annotations: {}, gang: job.uid, gangMin: job.minAvailable, createdS: uid,
        phase: 'pending', binding: null, boundS: -1, attempts: 0, lastReason: '',
      };
      if (p.node !== null) {
        const node = this.cluster.nodeByName(p.node);
        if (!node) throw new Error(`pod ${p.name}: unknown node ${p.node}`);
        this.cluster.bind(pod, { nodeId: node.id, gpus: [] });
        pod.phase = 'bound';
      }
      job.pods.push(pod);
      this.pods.set(pod.name, pod);
    }
  }

  /** Runs one session; returns the binds it made and the PodGroup phases at its close. */
  cycle(actions: ActionName[]): { binds: Record<string, string>; phases: Record<string, string> } {
    const res = runSession({ cluster: this.cluster, rng: this.rng, nowS: 0, queues: this.queues, jobs: [...this.jobs.values()], config: { ...this.config, actions } });
    const binds: Record<string, string> = {};
    for (const p of res.bound) binds[p.name] = this.cluster.nodes[p.binding!.nodeId].name;
    const phases: Record<string, string> = {};
    for (const [k, v] of res.phases) {
      phases[k] = v;
      this.jobs.get(k)!.phase = v;
    }
    return { binds, phases };
  }
}

/**
 * A queue weight that is not a positive finite number makes proportion's water-filling divide by NaN and never
 * settle, so such a case is refused up front, naming the case and the field.
 */
function badQueueWeight(c: ConformanceCase): string | null {
  const queues = c.input.queues;
  if (!Array.isArray(queues)) return `case ${c.id}: input.queues must be a list`;
  for (let i = 0; i < queues.length; i++) {
    const w = (queues[i] as { weight?: unknown } | null)?.weight;
    if (w !== undefined && !(typeof w === 'number' && Number.isFinite(w) && w > 0)) {
      return `case ${c.id}: input.queues[${i}].weight must be a positive number (got ${JSON.stringify(w)?.slice(0, 40)})`;
    }
  }
  return null;
}

function runSessionCase(c: ConformanceCase): CaseOutcome {
  const input = c.input as Record<string, unknown>;
  const e = c.expected;
  const bad = badQueueWeight(c);
  if (bad) return { status: 'fail', detail: bad };
  const allPods = input.function === 'session' ? (input.pods as VPod[]) : (input.cycles as { add_pods?: VPod[] }[]).flatMap((cy) => cy.add_pods ?? []);
  const odd = allPods.find((p) => p.phase !== undefined && p.phase !== 'Pending' && !BOUND_PHASES.has(p.phase) && !COMPLETED_PHASES.has(p.phase));
  if (odd) return { status: 'unsupported', detail: `pod ${odd.name} starts ${odd.phase}: a session cannot start with Releasing or Pipelined pods in our model (evictions free resources at once)` };
  if (input.function === 'session') {
    const groups = input.pod_groups as VPodGroup[];
    const pods = input.pods as VPod[];
    const world = new SessionWorld(input, pods, groups);
    world.add(groups, pods);
    const r = world.cycle(input.actions as ActionName[]);
    const got: Record<string, unknown> = {};
    const want: Record<string, unknown> = {};
    if ('binds' in e) { want.binds = e.binds; got.binds = r.binds; }
    if ('bind_count' in e) { want.bind_count = e.bind_count; got.bind_count = Object.keys(r.binds).length; }
    if ('pod_group_phases' in e) {
      want.pod_group_phases = e.pod_group_phases;
      got.pod_group_phases = Object.fromEntries(Object.keys(e.pod_group_phases as object).map((k) => [k, r.phases[k] ?? null]));
    }
    return compare(want, got);
  }
  const cycles = input.cycles as { actions: ActionName[]; add_pod_groups?: VPodGroup[]; add_pods?: VPod[] }[];
  const world = new SessionWorld(input, cycles.flatMap((cy) => cy.add_pods ?? []), cycles.flatMap((cy) => cy.add_pod_groups ?? []));
  const got: Record<string, string>[] = [];
  for (const cy of cycles) {
    world.add(cy.add_pod_groups ?? [], cy.add_pods ?? []);
    got.push(world.cycle(cy.actions).binds);
  }
  return compare(e.cycle_binds, got);
}

/** Runs volcano.json: binpack, deviceshare, drf, gang and session cases through our code. */
export const volcanoAdapter: ConformanceAdapter = {
  project: 'volcano',
  supports(c) {
    return SUPPORTED.has(String(c.input.function));
  },
  run(c) {
    const fn = String(c.input.function);
    if (!SUPPORTED.has(fn)) return { status: 'unsupported', detail: UNSUPPORTED_WHY[fn] ?? `function ${fn} is not modelled` };
    if (fn === 'binpack_node_score') return runBinpack(c);
    if (fn === 'drf_job_share') return runDrfShare(c);
    if (fn === 'deviceshare_node_score') return runDeviceShareScore(c);
    if (fn === 'gang_should_skip_unschedulable_for_releasing') return runGangReleasing(c);
    if (fn === 'binpack_parse_arguments') {
      const a = parseBinpackArguments((c.input.arguments ?? {}) as Record<string, unknown>);
      return compare(c.expected, { weight: a.weight, resource_weights: a.resources });
    }
    return runSessionCase(c);
  },
};
