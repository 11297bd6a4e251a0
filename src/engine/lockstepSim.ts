/**
 * Replicas in lockstep for event-driven simulations (scenario sweeps): R simulations run as async tasks over
 * `Simulation.runUntilAsync`; each replica's engine scheduler sees a *lane* (an `Engine` view of one shared
 * replica engine). When a lane needs a decision it submits its request and waits; once every live replica is
 * waiting (or done), one dispatch per kernel spec scores all pending requests (`evaluateReplicas`, the replicas'
 * clusters side by side in the engine's buffers) and every lane gets its decision. Replicas in different phases
 * (different event times) simply wait at their next decision. Replicas that never ask (profiles without a
 * kernel: the CPU plugin path) run alongside and finish on their own. Batching changes no decision: a replica's
 * decisions depend only on its own cluster and RNG (test/parity/sweepLockstep.parity.test.ts, and
 * test/engine/lockstepSim.test.ts on the CPU twin).
 *
 * Grouping: lanes are grouped by cluster family (node count and GPU model order, what `attachReplicas` needs
 * to hold clusters side by side) and by kernel spec (equal specs by value share a dispatch). Any scheduler that
 * drives an `Engine` — `attach(cluster, spec)` at each cycle, `evaluate` per decision, `markDirty` after binds —
 * joins the batch with its spec; nothing here knows the profiles.
 */
import type { ClusterState } from '../model/cluster.ts';
import type { PodRequest } from '../model/pod.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Scheduler } from '../sched/framework.ts';
import { replicaRow, replicaScenario, type Replica, type ReplicaRow } from '../sim/sweep.ts';
import { simulateAsync } from '../sim/simulation.ts';
import { buildRun } from '../sim/setup.ts';
import { CpuEngine } from './cpu/cpuEngine.ts';
import { EngineScheduler } from './engineScheduler.ts';
import type { EngineSelection } from './select.ts';
import { engineReportOf, engineSchedulerFor, mergeReports, type EngineReport } from './wire.ts';
import type { Decision, Engine, EvalWindow, KernelSpec } from './types.ts';

/** What the batcher needs from an engine holding R replica clusters side by side (GpuEngine has it). */
export interface ReplicaEngine {
  readonly kind: 'cpu' | 'gpu';
  readonly label: string;
  /** Holds these clusters (same node count and GPU model order) as replicas 0..R−1, scored with `spec`. */
  attachReplicas(clusters: readonly ClusterState[], spec: KernelSpec): void;
  /** Marks a node of replica `r` changed since the last evaluation. */
  markReplicaDirty(r: number, nodeId: number): void;
  /** Requests a version scan of every node of every replica before the next evaluation. */
  rescan(): void;
  /** Decisions for pod p on replica `replicas[p]`: one dispatch. */
  evaluateReplicas(pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas: readonly number[]): Promise<Decision[]>;
}

/** The CPU twin as a ReplicaEngine (one CpuEngine per replica): the batcher's logic without a GPU. */
export class CpuReplicaEngine implements ReplicaEngine {
  readonly kind = 'cpu' as const;
  readonly label = 'CPU (TypeScript), replicas';
  private engines: CpuEngine[] = [];

  /** Binds replica r to clusters[r] (CpuEngine.attach: a fresh cluster is packed, the same one rescanned). */
  attachReplicas(clusters: readonly ClusterState[], spec: KernelSpec): void {
    this.engines = clusters.map((c, r) => {
      const e = this.engines[r] ?? new CpuEngine();
      e.attach(c, spec);
      return e;
    });
  }

  /** Marks a node of replica r changed. */
  markReplicaDirty(r: number, nodeId: number): void {
    this.engines[r].markDirty(nodeId);
  }

  /** Rescans every replica before the next evaluation. */
  rescan(): void {
    for (const e of this.engines) e.rescan();
  }

  /** Decisions pod by pod on each pod's replica. */
  evaluateReplicas(pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas: readonly number[]): Promise<Decision[]> {
    return Promise.resolve(pods.map((p, k) => this.engines[replicas[k]].evaluateSync([p], [windows[k]])[0]));
  }
}

/** Statistics of a lockstep run (the CLI's engine line, the benchmark). */
export interface LockstepSimStats {
  replicas: number;
  /** Replicas that asked the shared engine for at least one decision. */
  batched: number;
  /** Dispatches (evaluateReplicas calls, one readback each). */
  dispatches: number;
  /** Decisions served (pods scored) over all dispatches. */
  decisions: number;
  /** Candidates (pod × node) scored over all dispatches. */
  candidates: number;
  /** Flushes (rounds where every live replica was waiting). */
  rounds: number;
}

/** A replica run as one task of a lockstep run. */
export interface LockstepTask<T> {
  /** Names the replica in error reports. */
  name: string;
  /** Runs the replica to its end; `engine` is its lane of the shared engine (hand it to its engine scheduler). */
  run(engine: Engine): Promise<T>;
}

/** A replica whose task threw: the others still finish. */
export interface LockstepFailure {
  index: number;
  name: string;
  error: unknown;
}

/** Results in task order (undefined where the task failed), the failures, and the statistics. */
export interface LockstepOutcome<T> {
  results: (T | undefined)[];
  failures: LockstepFailure[];
  stats: LockstepSimStats;
}

interface Family {
  key: string;
  clusters: ClusterState[];
}

interface Pending {
  lane: Lane;
  pods: readonly PodRequest[];
  windows: readonly EvalWindow[];
  resolve: (d: Decision[]) => void;
  reject: (err: unknown) => void;
}

/** GPU model order as ClusterBuffers numbers them (first appearance), with the node count. */
function familyKeyOf(cluster: ClusterState): string {
  const models: string[] = [];
  for (const n of cluster.nodes) if (!models.includes(n.gpuModel)) models.push(n.gpuModel);
  return `${cluster.nodes.length}|${models.join('\u0001')}`;
}

/** One replica's view of the shared engine. */
class Lane implements Engine {
  readonly kind: 'cpu' | 'gpu';
  readonly label: string;
  family: Family | null = null;
  slot = -1;
  cluster: ClusterState | null = null;
  /** The spec object last attached and the canonical (first seen, equal by value) spec it maps to. */
  specSeen: KernelSpec | null = null;
  spec: KernelSpec | null = null;
  specKey = '';
  asked = false;
  waiting = false;

  constructor(private readonly batcher: Batcher) {
    this.kind = batcher.engine.kind;
    this.label = batcher.engine.label;
  }

  attach(cluster: ClusterState, spec: KernelSpec): void {
    this.batcher.attachLane(this, cluster, spec);
  }

  markDirty(nodeId: number): void {
    this.batcher.markDirty(this, nodeId);
  }

  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[]): Promise<Decision[]> {
    return this.batcher.request(this, pods, windows);
  }

  scoreAll(): Promise<Uint32Array> {
    return Promise.reject(new Error('a lockstep lane only evaluates decisions'));
  }

  destroy(): void {
    // the shared engine belongs to the caller of runLockstep
  }
}

/** Collects the lanes' requests and flushes them when every live replica waits. */
class Batcher {
  live = 0;
  private waiting: Pending[] = [];
  private flushing = false;
  private readonly families = new Map<string, Family>();
  private readonly specs = new Map<string, KernelSpec>();
  /** What the engine holds now: a family (its first `count` clusters) and a spec. */
  private held: { family: Family; count: number; spec: KernelSpec; key: string } | null = null;

  constructor(readonly engine: ReplicaEngine, readonly stats: LockstepSimStats) {}

  attachLane(lane: Lane, cluster: ClusterState, spec: KernelSpec): void {
    if (lane.cluster !== cluster) {
      const key = familyKeyOf(cluster);
      let fam = this.families.get(key);
      if (!fam) this.families.set(key, (fam = { key, clusters: [] }));
      lane.family = fam;
      lane.slot = fam.clusters.length;
      lane.cluster = cluster;
      fam.clusters.push(cluster);
    }
    if (lane.specSeen !== spec) {
      lane.specSeen = spec;
      lane.specKey = JSON.stringify(spec);
      if (!this.specs.has(lane.specKey)) this.specs.set(lane.specKey, spec);
      lane.spec = this.specs.get(lane.specKey)!;
    }
    // the simulator changed nodes between cycles without telling the engine: scan versions before the next dispatch
    if (this.held?.family === lane.family) this.engine.rescan();
  }

  markDirty(lane: Lane, nodeId: number): void {
    if (this.held && this.held.family === lane.family && lane.slot < this.held.count) this.engine.markReplicaDirty(lane.slot, nodeId);
  }

  request(lane: Lane, pods: readonly PodRequest[], windows: readonly EvalWindow[]): Promise<Decision[]> {
    if (!lane.family || !lane.spec) return Promise.reject(new Error('lockstep lane evaluated before attach'));
    if (lane.waiting) return Promise.reject(new Error('a lockstep lane has one request at a time'));
    if (!lane.asked) {
      lane.asked = true;
      this.stats.batched++;
    }
    lane.waiting = true;
    return new Promise<Decision[]>((resolve, reject) => {
      this.waiting.push({ lane, pods, windows, resolve, reject });
      this.maybeFlush();
    });
  }

  /** Flushes when every live replica waits (call after a request and after a replica ends). */
  maybeFlush(): void {
    if (this.flushing || this.waiting.length === 0 || this.waiting.length < this.live) return;
    void this.flush();
  }

  /** Makes the engine hold `family` scored with `spec`: a full upload when the family (or its size) changed. */
  private hold(family: Family, spec: KernelSpec, specKey: string): void {
    const h = this.held;
    if (h && h.family === family && h.count === family.clusters.length && h.spec === spec) return;
    this.held = null;
    this.engine.attachReplicas(family.clusters, spec);
    this.held = { family, count: family.clusters.length, spec, key: `${family.key}#${specKey}` };
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const batch = this.waiting;
    this.waiting = [];
    this.stats.rounds++;
    // groups by (family, spec), the group the engine holds first (no re-upload), then first-seen order
    const groups = new Map<string, Pending[]>();
    const heldKey = this.held?.key ?? '';
    if (batch.some((p) => `${p.lane.family!.key}#${p.lane.specKey}` === heldKey)) groups.set(heldKey, []);
    for (const p of batch) {
      const key = `${p.lane.family!.key}#${p.lane.specKey}`;
      const g = groups.get(key);
      if (g) g.push(p);
      else groups.set(key, [p]);
    }
    const answers: { p: Pending; decisions?: Decision[]; error?: unknown }[] = [];
    for (const group of groups.values()) {
      const { family, spec, specKey } = group[0].lane;
      try {
        this.hold(family!, spec!, specKey);
        const pods: PodRequest[] = [];
        const windows: EvalWindow[] = [];
        const slots: number[] = [];
        for (const p of group) {
          p.pods.forEach((pod, k) => {
            pods.push(pod);
            windows.push(p.windows[k]);
            slots.push(p.lane.slot);
          });
        }
        const decisions = await this.engine.evaluateReplicas(pods, windows, slots);
        this.stats.dispatches++;
        this.stats.decisions += pods.length;
        this.stats.candidates += pods.length * family!.clusters[0].nodes.length;
        let at = 0;
        for (const p of group) {
          answers.push({ p, decisions: decisions.slice(at, at + p.pods.length) });
          at += p.pods.length;
        }
      } catch (error) {
        // e.g. a cluster the kernel cannot hold, a lost device: these lanes' schedulers finish on the CPU
        this.held = null;
        for (const p of group) answers.push({ p, error });
      }
    }
    this.flushing = false;
    for (const a of answers) {
      a.p.lane.waiting = false;
      if (a.decisions) a.p.resolve(a.decisions);
      else a.p.reject(a.error);
    }
  }
}

/**
 * Runs replica tasks in lockstep on one shared engine, in waves of at most `maxLive` replicas (each wave's
 * clusters are attached once); returns every task's result in input order. A task that throws is reported
 * with its name in `failures`; the others still finish.
 */
export async function runLockstep<T>(engine: ReplicaEngine, tasks: readonly LockstepTask<T>[], options: { maxLive?: number } = {}): Promise<LockstepOutcome<T>> {
  const maxLive = Math.max(1, options.maxLive ?? 256);
  const stats: LockstepSimStats = { replicas: tasks.length, batched: 0, dispatches: 0, decisions: 0, candidates: 0, rounds: 0 };
  const results: (T | undefined)[] = new Array<T | undefined>(tasks.length);
  const failures: LockstepFailure[] = [];
  for (let from = 0; from < tasks.length; from += maxLive) {
    const wave = tasks.slice(from, from + maxLive);
    const batcher = new Batcher(engine, stats);
    // every replica of the wave counts as live before any starts, so the first requests wait for the others
    batcher.live = wave.length;
    const runs = wave.map(async (task, k) => {
      try {
        results[from + k] = await task.run(new Lane(batcher));
      } catch (error) {
        failures.push({ index: from + k, name: task.name, error });
      } finally {
        batcher.live--;
        batcher.maybeFlush();
      }
    });
    await Promise.all(runs);
  }
  failures.sort((a, b) => a.index - b.index);
  return { results, failures, stats };
}

/** How a replica's scheduler is wrapped onto its lane (wire.ts's engineSchedulerFor, given the lane as the engine). */
export type LaneWrap = (lane: Engine, scheduler: Scheduler, profile: string, options: Record<string, unknown>, scenario: Scenario) => Scheduler;

/** One replica of a lockstep scenario sweep: its row and the scheduler that ran it (for the engine report). */
export interface LockstepReplica {
  row: ReplicaRow;
  scheduler: Scheduler;
}

/** The name a replica goes by in error reports: its group and seed. */
export function replicaName(r: Replica): string {
  return `${r.group} seed ${r.seed}`;
}

/**
 * A scenario sweep in lockstep: every replica (sim/sweep.ts's grid) runs `simulateAsync` with its scheduler
 * wrapped onto its lane by `wrap`; rows equal runReplica's, replica by replica.
 */
export function sweepLockstep(engine: ReplicaEngine, scenario: Scenario, replicas: readonly Replica[], wrap: LaneWrap, options: { maxLive?: number } = {}): Promise<LockstepOutcome<LockstepReplica>> {
  const tasks = replicas.map((r): LockstepTask<LockstepReplica> => ({
    name: replicaName(r),
    async run(lane) {
      const s = replicaScenario(scenario, r);
      let used: Scheduler | null = null;
      const res = await simulateAsync(s, { seed: r.seed, wrapScheduler: (x) => (used = wrap(lane, x, r.profile, r.options, s)) });
      return { row: replicaRow(r, res), scheduler: used! };
    },
  }));
  return runLockstep(engine, tasks, options);
}

/**
 * A scenario sweep (`slicebench sweep <scenario> --engine gpu`) with its replicas in lockstep on the GPU engine:
 * one dispatch scores the pending decisions of every replica with the same kernel spec. Which replicas join is
 * probed once per group
 * (engineSchedulerFor on a freshly built run): EngineScheduler profiles take a lane of the shared engine;
 * profiles without a kernel run alongside on the CPU; profiles whose engine scheduler speaks another engine
 * interface (HAMi, Volcano: one cluster per engine, no replica slots) run one after another on the GPU engine,
 * as in the sequential sweep. Rows equal the sequential sweep's; a replica that throws does not stop the
 * others, and the error names it.
 */
export async function sweepOnGpu(sel: EngineSelection, gpu: ReplicaEngine, scenario: Scenario, replicas: readonly Replica[]): Promise<{ rows: ReplicaRow[]; report: EngineReport; stats: LockstepSimStats }> {
  const joins = new Map<string, boolean>();
  for (const r of replicas) {
    if (joins.has(r.group)) continue;
    const s = replicaScenario(scenario, r);
    const raw = buildRun(s, 0, r.seed).scheduler;
    const wrapped = engineSchedulerFor(sel, raw, r.profile, r.options, s);
    joins.set(r.group, wrapped === raw || wrapped instanceof EngineScheduler);
  }
  const together = replicas.filter((r) => joins.get(r.group));
  const { results, failures, stats } = await sweepLockstep(gpu, scenario, together, (lane, x, profile, options, s) => {
    const w = engineSchedulerFor(sel, x, profile, options, s);
    return w instanceof EngineScheduler ? new EngineScheduler(w.inner, w.spec, lane, w.reason) : x;
  });
  if (failures.length) {
    const msg = failures.map((f) => `replica ${f.name}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
    throw new Error(`${failures.length} of ${replicas.length} sweep replicas failed (the others finished): ${msg}`, { cause: failures[0].error });
  }
  const byReplica = new Map<Replica, ReplicaRow>();
  const reports: EngineReport[] = [];
  together.forEach((r, i) => {
    byReplica.set(r, results[i]!.row);
    reports.push(engineReportOf(sel, results[i]!.scheduler));
  });
  const alone = replicas.filter((r) => !joins.get(r.group));
  for (const r of alone) byReplica.set(r, await runAlone(sel, scenario, r, reports));
  const rows = replicas.map((r) => byReplica.get(r)!);
  const merged = mergeReports(reports, sel);
  const apart = alone.length ? `; ${alone.length} replicas (${[...new Set(alone.map((r) => r.profile))].join(', ')}) one after another on their own engine scheduler` : '';
  const reason = `${merged.reason}; lockstep: ${stats.batched} of ${replicas.length} replicas scored together, ${stats.dispatches} dispatches for ${stats.decisions} decisions${apart}`;
  return { rows, report: { name: merged.name, reason }, stats };
}

/** One replica on the selection's own engine scheduler, alone (the sequential sweep's path). */
async function runAlone(sel: EngineSelection, scenario: Scenario, r: Replica, reports: EngineReport[]): Promise<ReplicaRow> {
  const s = replicaScenario(scenario, r);
  let used: Scheduler | null = null;
  const res = await simulateAsync(s, { seed: r.seed, wrapScheduler: (x) => (used = engineSchedulerFor(sel, x, r.profile, r.options, s)) });
  reports.push(engineReportOf(sel, used!));
  return replicaRow(r, res);
}
