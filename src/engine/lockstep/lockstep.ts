/**
 * The lockstep driver, one for openb replays and scenario sweeps: R replicas run as async tasks (openb replays
 * awaiting each cycle, `replayOpenbLockstep`; simulations over `Simulation.runUntilAsync`, `sweepLockstep`); each replica's engine scheduler sees a *lane* (a view of one shared replica
 * engine, shaped like the engine interface its scheduler drives). When a lane needs a decision it submits its
 * request and waits; once every live replica is waiting (or done), one dispatch per (engine, cluster family,
 * kernel spec) scores all pending requests (`evaluateReplicas`, the replicas' clusters side by side in the engine's
 * buffers) and every lane gets its decision. Replicas in different phases (different event times) simply wait at
 * their next decision. Replicas that never ask (profiles without a kernel: the CPU plugin path) run alongside and
 * finish on their own. Batching changes no decision: a replica's decisions depend only on its own cluster and RNG
 * (test/parity/sweepLockstep.parity.test.ts, and test/engine/lockstepSim.test.ts on the CPU twins).
 *
 * One abstraction for every kernel: a `ReplicaEngine<S, D>` (spec type S, decision record D) holds R clusters of
 * one family side by side — the k8s/FGD/baselines GpuEngine (`KernelSpec`, `Decision`), the HAMi evaluator
 * (`HamiKernelSpec`, `HamiDecision`), the Volcano engine (`VolcanoKernelSpec`, `VolcanoDecision`) — and a `Lane<S, D>`
 * is one replica's view of one of them (`lane.on(engine)` gives the same replica's lane on another engine). Lanes
 * are grouped by engine, cluster family (node count and GPU model order, what `attachReplicas` needs to hold
 * clusters side by side) and kernel spec (equal by value share a dispatch). Any scheduler that drives such an
 * interface — `attach(cluster, spec)` at each cycle, `evaluate` per decision, `markDirty` after binds — joins with
 * its spec; only `onLanes` (which evaluator drives which engine) knows the evaluators.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { Scheduler } from '../../sched/framework.ts';
import { HamiScheduler } from '../../sched/hami/scheduler.ts';
import { FrameworkScheduler } from '../../sched/runner.ts';
import { VolcanoScheduler } from '../../sched/volcano/scheduler.ts';
import { replicaRow, replicaScenario, type Replica, type ReplicaRow } from '../../sim/sweep.ts';
import { simulateAsync } from '../../sim/simulation.ts';
import { CpuEngine } from '../cpu/cpuEngine.ts';
import { CpuHamiEngine } from '../cpu/filterScoreHami.ts';
import { VolcanoCpuEngine } from '../cpu/volcanoCpuEngine.ts';
import type { GpuEngine } from '../gpu/gpuEngine.ts';
import { hamiGpuFor } from '../gpu/hamiGpu.ts';
import { VolcanoGpuEngine } from '../gpu/volcanoGpuEngine.ts';
import type { HamiDecision, HamiKernelSpec } from '../kernels/hami.ts';
import { FrameworkEvaluator } from '../evaluator/frameworkEvaluator.ts';
import { HamiEvaluator } from '../evaluator/hamiEvaluator.ts';
import { VolcanoEvaluator } from '../evaluator/volcanoEvaluator.ts';
import { useEvaluator } from '../../sched/cycle.ts';
import { kernelSpecFor, profileKernelFor } from '../kernels/specs.ts';
import type { EngineSelection } from '../wiring/select.ts';
import type { VolcanoDecision, VolcanoKernelSpec } from '../kernels/volcano.ts';
import { distinctStatuses, engineEvaluatorOf, engineStatusOf, evaluatorFor, replayAsync, withEngine } from '../wiring/wire.ts';
import type { EngineStatus } from '../wiring/status.ts';
import type { ReplayOptions, replayOpenb } from '../../sched/frag/replay.ts';
import type { Decision, EvalWindow, KernelSpec, SpreadBatch } from '../kernels/types.ts';

/**
 * An engine holding R replica clusters of one family side by side (S: its kernel spec, D: its decision record):
 * GpuEngine, GpuHamiEngine, VolcanoGpuEngine, and the CPU twins per replica (`CpuReplicas`).
 */
export interface ReplicaEngine<S = KernelSpec, D = Decision> {
  readonly kind: 'cpu' | 'gpu';
  readonly label: string;
  /** Holds these clusters (same node count and GPU model order) as replicas 0..R−1, scored with `spec`. */
  attachReplicas(clusters: readonly ClusterState[], spec: S): void;
  /** Marks a node of replica `r` changed since the last evaluation. */
  markReplicaDirty(r: number, nodeId: number): void;
  /** Requests a version scan of every node of every replica before the next evaluation. */
  rescan(): void;
  /**
   * Decisions for pod p on replica `replicas[p]` in window `windows[p]`: one dispatch (`spread`: the owned pods'
   * PodTopologySpread inputs, k8s kernel only; `topK` is 0 here).
   */
  evaluateReplicas(pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas: readonly number[], topK?: number, spread?: SpreadBatch): Promise<D[]>;
  /** Why the engine cannot run the PodTopologySpread pass (Engine.spreadRefusal); absent = no limit. */
  spreadRefusal?(spec: S, nodeCount: number, zoneIds: number): string | null;
}

/** A CPU twin of one cluster as CpuReplicas drives it (CpuEngine, CpuHamiEngine, VolcanoCpuEngine). */
export interface CpuTwin<S, D> {
  /** Binds to a cluster; attaching the same cluster again rescans it when the twin has no `rescan`. */
  attach(cluster: ClusterState, spec: S): void;
  markDirty?(nodeId: number): void;
  rescan?(): void;
  evaluateSync(pods: readonly PodRequest[], windows: readonly EvalWindow[], topK?: number, spread?: SpreadBatch): D[];
}

/** CPU twins as a ReplicaEngine (one twin per replica): the batcher's logic without a GPU. */
export class CpuReplicas<S, D> implements ReplicaEngine<S, D> {
  readonly kind = 'cpu' as const;
  private twins: CpuTwin<S, D>[] = [];
  private clusters: readonly ClusterState[] = [];
  private spec: S | null = null;

  constructor(readonly label: string, private readonly make: () => CpuTwin<S, D>) {}

  /** Binds replica r to clusters[r] (a twin's attach packs a fresh cluster and rescans the same one). */
  attachReplicas(clusters: readonly ClusterState[], spec: S): void {
    this.twins = clusters.map((c, r) => {
      const t = this.twins[r] ?? this.make();
      t.attach(c, spec);
      return t;
    });
    this.clusters = clusters;
    this.spec = spec;
  }

  /** Marks a node of replica r changed. */
  markReplicaDirty(r: number, nodeId: number): void {
    this.twins[r].markDirty?.(nodeId);
  }

  /** Rescans every replica before the next evaluation. */
  rescan(): void {
    this.twins.forEach((t, r) => (t.rescan ? t.rescan() : t.attach(this.clusters[r], this.spec!)));
  }

  /** Decisions pod by pod on each pod's replica. */
  evaluateReplicas(pods: readonly PodRequest[], windows: readonly EvalWindow[], replicas: readonly number[], _topK = 0, spread?: SpreadBatch): Promise<D[]> {
    return Promise.resolve(pods.map((p, k) => this.twins[replicas[k]].evaluateSync([p], [windows[k]], 0, spread?.[k] ? [spread[k]] : undefined)[0]));
  }
}

/** The k8s/FGD/baselines CPU twin (CpuEngine) per replica. */
export class CpuReplicaEngine extends CpuReplicas<KernelSpec, Decision> {
  constructor() {
    super('CPU (TypeScript), replicas', () => new CpuEngine());
  }
}

/** The shared engines a lockstep sweep's schedulers drive, one per engine interface. */
export interface LockstepEngines {
  /** FrameworkEvaluator's kernels (k8s-default, fgd, the FGD baselines). */
  kernel: ReplicaEngine<KernelSpec, Decision>;
  /** HamiEvaluator's (filterScoreHami + selectHami). */
  hami: ReplicaEngine<HamiKernelSpec, HamiDecision>;
  /** VolcanoEvaluator's (filterScoreVolcano + selectMaxKey). */
  volcano: ReplicaEngine<VolcanoKernelSpec, VolcanoDecision>;
}

/** The GPU engine's replica engines (the HAMi evaluator of this GpuEngine, a Volcano engine on its device). */
export function gpuLockstepEngines(gpu: GpuEngine): LockstepEngines & { destroy(): void } {
  const volcano = new VolcanoGpuEngine(gpu);
  return { kernel: gpu, hami: hamiGpuFor(gpu), volcano, destroy: () => volcano.destroy() };
}

/** The CPU twins per replica for every engine interface (tests, the benchmark's twin rows). */
export function cpuLockstepEngines(): LockstepEngines {
  return {
    kernel: new CpuReplicaEngine(),
    hami: new CpuReplicas<HamiKernelSpec, HamiDecision>('CPU (TypeScript), HAMi replicas', () => new CpuHamiEngine()),
    volcano: new CpuReplicas<VolcanoKernelSpec, VolcanoDecision>('CPU (TypeScript), Volcano replicas', () => new VolcanoCpuEngine()),
  };
}

/**
 * The same scheduling on a replica's lanes: the engine evaluator injected into a scheduler (wire.ts withEngine)
 * is rebuilt around this replica's lane of the matching shared engine — FrameworkEvaluator → `engines.kernel`,
 * HamiEvaluator → `engines.hami`, VolcanoEvaluator → `engines.volcano` (the one place that maps evaluators to
 * engines); a scheduler without one is returned as is (it runs alongside on the CPU plugin path).
 */
export function onLanes(s: Scheduler, lane: Lane, engines: LockstepEngines): Scheduler {
  const ev = engineEvaluatorOf(s);
  if (ev instanceof FrameworkEvaluator) useEvaluator(s as FrameworkScheduler, new FrameworkEvaluator(ev.spec, lane.on(engines.kernel), ev.status));
  else if (ev instanceof HamiEvaluator) useEvaluator(s as HamiScheduler, new HamiEvaluator(ev.spec, lane.on(engines.hami), ev.status));
  else if (ev instanceof VolcanoEvaluator) {
    ev.activeEngine.destroy(); // the single-cluster engine wire.ts gave it (not the shared device)
    useEvaluator(s as VolcanoScheduler, new VolcanoEvaluator(ev.spec, lane.on(engines.volcano), ev.status));
  }
  return s;
}

/**
 * A LaneWrap that gives every replica the evaluator wire.ts gives a GPU selection, built on the CPU twins and put
 * on its lanes of `engines` (tests; the batcher's behaviour without a GPU); profiles without a kernel unchanged.
 */
export function cpuTwinWrap(engines: LockstepEngines): LaneWrap {
  return (lane, x, profile, options, scenario) => {
    const kernel = profileKernelFor(profile, options, scenario);
    return kernel ? onLanes(evaluatorFor(x, kernel, new CpuEngine()), lane, engines) : x;
  };
}

/** Statistics of a lockstep run (the CLI's engine line, the benchmark). */
export interface LockstepSimStats {
  replicas: number;
  /** Replicas that asked a shared engine for at least one decision. */
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
  /**
   * Runs the replica to its end; `lane` is its lane of the run's default engine (hand it, or `lane.on(other)`, to
   * its evaluator).
   */
  run(lane: Lane): Promise<T>;
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

/** What one shared engine holds and has seen during a wave. */
class EngineSlot {
  readonly families = new Map<string, Family>();
  readonly specs = new Map<string, unknown>();
  /** What the engine holds now: a family (its first `count` clusters) and a spec. */
  held: { family: Family; count: number; spec: unknown; key: string } | null = null;

  constructor(readonly engine: ReplicaEngine<unknown, unknown>, readonly id: number) {}
}

/** One replica of a wave: at most one request in flight over all its lanes. */
class ReplicaSlot {
  asked = false;
  waiting = false;
  readonly lanes = new Map<ReplicaEngine<unknown, unknown>, Lane<unknown, unknown>>();

  constructor(readonly batcher: Batcher) {}

  /** This replica's lane on `engine` (one per engine). */
  laneOn<S, D>(engine: ReplicaEngine<S, D>): Lane<S, D> {
    const e = engine as ReplicaEngine<unknown, unknown>;
    let lane = this.lanes.get(e);
    if (!lane) this.lanes.set(e, (lane = new Lane<unknown, unknown>(this, this.batcher.slotOf(e))));
    return lane as Lane<S, D>;
  }
}

interface Pending {
  lane: Lane<unknown, unknown>;
  pods: readonly PodRequest[];
  windows: readonly EvalWindow[];
  spread: SpreadBatch | undefined;
  resolve: (d: unknown[]) => void;
  reject: (err: unknown) => void;
}

/** GPU model order as ClusterBuffers numbers them (first appearance), with the node count. */
function familyKeyOf(cluster: ClusterState): string {
  const models: string[] = [];
  for (const n of cluster.nodes) if (!models.includes(n.gpuModel)) models.push(n.gpuModel);
  return `${cluster.nodes.length}|${models.join('\u0001')}`;
}

/**
 * One replica's view of one shared ReplicaEngine, shaped like the single-cluster engine interfaces (`Engine`,
 * `HamiEngine`, `VolcanoEngine`): attach, markDirty, evaluate (windows default to the whole cluster: Volcano's
 * sessions score every node). It only evaluates decisions.
 */
export class Lane<S = KernelSpec, D = Decision> {
  readonly kind: 'cpu' | 'gpu';
  readonly label: string;
  family: Family | null = null;
  slot = -1;
  cluster: ClusterState | null = null;
  /** The spec object last attached and the canonical (first seen, equal by value) spec it maps to. */
  specSeen: S | null = null;
  spec: S | null = null;
  specKey = '';

  constructor(readonly replica: ReplicaSlot, readonly engineSlot: EngineSlot) {
    this.kind = engineSlot.engine.kind;
    this.label = engineSlot.engine.label;
  }

  /** The same replica's lane on another shared engine. */
  on<S2, D2>(engine: ReplicaEngine<S2, D2>): Lane<S2, D2> {
    return this.replica.laneOn(engine);
  }

  /** Joins the cluster's family (first time) and the spec's group; asks for a version rescan before the next dispatch. */
  attach(cluster: ClusterState, spec: S): void {
    this.replica.batcher.attachLane(this as Lane<unknown, unknown>, cluster, spec);
  }

  /** Marks a node of this replica changed (after a bind). */
  markDirty(nodeId: number): void {
    this.replica.batcher.markDirty(this as Lane<unknown, unknown>, nodeId);
  }

  /** Submits the request (with the owned pods' PodTopologySpread inputs, if any) and waits for the round's dispatch. */
  evaluate(pods: readonly PodRequest[], windows?: readonly EvalWindow[], _topK = 0, spread?: SpreadBatch): Promise<D[]> {
    return this.replica.batcher.request(this as Lane<unknown, unknown>, pods, windows, spread) as Promise<D[]>;
  }

  /** The shared engine's refusal of the PodTopologySpread pass (null when it has no limit). */
  spreadRefusal(spec: S, nodeCount: number, zoneIds: number): string | null {
    return this.engineSlot.engine.spreadRefusal?.(spec, nodeCount, zoneIds) ?? null;
  }

  /** Not served: a lane only evaluates decisions. */
  scoreAll(): Promise<Uint32Array> {
    return Promise.reject(new Error('a lockstep lane only evaluates decisions'));
  }

  /** Nothing to release: the shared engine belongs to the caller of runLockstep. */
  destroy(): void {}
}

/** Collects the lanes' requests and flushes them when every live replica waits. */
class Batcher {
  live = 0;
  private waiting: Pending[] = [];
  private flushing = false;
  private readonly slots = new Map<ReplicaEngine<unknown, unknown>, EngineSlot>();

  constructor(readonly stats: LockstepSimStats) {}

  /** The bookkeeping of a shared engine (created on its first lane). */
  slotOf(engine: ReplicaEngine<unknown, unknown>): EngineSlot {
    let s = this.slots.get(engine);
    if (!s) this.slots.set(engine, (s = new EngineSlot(engine, this.slots.size)));
    return s;
  }

  attachLane(lane: Lane<unknown, unknown>, cluster: ClusterState, spec: unknown): void {
    const es = lane.engineSlot;
    if (lane.cluster !== cluster) {
      const key = familyKeyOf(cluster);
      let fam = es.families.get(key);
      if (!fam) es.families.set(key, (fam = { key, clusters: [] }));
      lane.family = fam;
      lane.slot = fam.clusters.length;
      lane.cluster = cluster;
      fam.clusters.push(cluster);
    }
    if (lane.specSeen !== spec) {
      lane.specSeen = spec;
      lane.specKey = JSON.stringify(spec);
      if (!es.specs.has(lane.specKey)) es.specs.set(lane.specKey, spec);
      lane.spec = es.specs.get(lane.specKey)!;
    }
    // the simulator changed nodes between cycles without telling the engine: scan versions before the next dispatch
    if (es.held?.family === lane.family) es.engine.rescan();
  }

  markDirty(lane: Lane<unknown, unknown>, nodeId: number): void {
    const h = lane.engineSlot.held;
    if (h && h.family === lane.family && lane.slot < h.count) lane.engineSlot.engine.markReplicaDirty(lane.slot, nodeId);
  }

  request(lane: Lane<unknown, unknown>, pods: readonly PodRequest[], windows: readonly EvalWindow[] | undefined, spread?: SpreadBatch): Promise<unknown[]> {
    if (!lane.family || lane.spec === null) return Promise.reject(new Error('lockstep lane evaluated before attach'));
    const rep = lane.replica;
    if (rep.waiting) return Promise.reject(new Error('a lockstep replica has one request at a time'));
    if (!rep.asked) {
      rep.asked = true;
      this.stats.batched++;
    }
    rep.waiting = true;
    const n = lane.cluster!.nodes.length;
    const w = windows ?? pods.map(() => ({ start: 0, want: n }));
    return new Promise<unknown[]>((resolve, reject) => {
      this.waiting.push({ lane, pods, windows: w, spread, resolve, reject });
      this.maybeFlush();
    });
  }

  /** Flushes when every live replica waits (call after a request and after a replica ends). */
  maybeFlush(): void {
    if (this.flushing || this.waiting.length === 0 || this.waiting.length < this.live) return;
    void this.flush();
  }

  /** Makes the engine hold `family` scored with `spec`: a full upload when the family (or its size) changed. */
  private hold(es: EngineSlot, family: Family, spec: unknown, key: string): void {
    const h = es.held;
    if (h && h.family === family && h.count === family.clusters.length && h.spec === spec) return;
    es.held = null;
    es.engine.attachReplicas(family.clusters, spec);
    es.held = { family, count: family.clusters.length, spec, key };
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const batch = this.waiting;
    this.waiting = [];
    this.stats.rounds++;
    // groups by (engine, family, spec): the groups the engines hold first (no re-upload), then first-seen order
    const keyOf = (l: Lane<unknown, unknown>) => `${l.engineSlot.id}|${l.family!.key}#${l.specKey}`;
    const groups = new Map<string, Pending[]>();
    for (const p of batch) if (keyOf(p.lane) === p.lane.engineSlot.held?.key) groups.set(keyOf(p.lane), []);
    for (const p of batch) {
      const key = keyOf(p.lane);
      const g = groups.get(key);
      if (g) g.push(p);
      else groups.set(key, [p]);
    }
    const answers: { p: Pending; decisions?: unknown[]; error?: unknown }[] = [];
    for (const [key, group] of groups) {
      const { engineSlot: es, family, spec } = group[0].lane;
      try {
        this.hold(es, family!, spec, key);
        const pods: PodRequest[] = [];
        const windows: EvalWindow[] = [];
        const slots: number[] = [];
        const spread: (SpreadBatch[number])[] = [];
        for (const p of group) {
          p.pods.forEach((pod, k) => {
            pods.push(pod);
            windows.push(p.windows[k]);
            slots.push(p.lane.slot);
            spread.push(p.spread?.[k]);
          });
        }
        const decisions = await es.engine.evaluateReplicas(pods, windows, slots, 0, spread.some((x) => x) ? spread : undefined);
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
        es.held = null;
        for (const p of group) answers.push({ p, error });
      }
    }
    this.flushing = false;
    for (const a of answers) {
      a.p.lane.replica.waiting = false;
      if (a.decisions) a.p.resolve(a.decisions);
      else a.p.reject(a.error);
    }
  }
}

/**
 * Runs replica tasks in lockstep on shared replica engines, in waves of at most `maxLive` replicas (each wave's
 * clusters are attached once); each task gets its lane of `engine` (and through `lane.on`, of any other). Returns
 * every task's result in input order. A task that throws is reported with its name in `failures`; the others
 * still finish.
 */
export async function runLockstep<T>(engine: ReplicaEngine, tasks: readonly LockstepTask<T>[], options: { maxLive?: number } = {}): Promise<LockstepOutcome<T>> {
  const maxLive = Math.max(1, options.maxLive ?? 256);
  const stats: LockstepSimStats = { replicas: tasks.length, batched: 0, dispatches: 0, decisions: 0, candidates: 0, rounds: 0 };
  const results: (T | undefined)[] = new Array<T | undefined>(tasks.length);
  const failures: LockstepFailure[] = [];
  for (let from = 0; from < tasks.length; from += maxLive) {
    const wave = tasks.slice(from, from + maxLive);
    const batcher = new Batcher(stats);
    // every replica of the wave counts as live before any starts, so the first requests wait for the others
    batcher.live = wave.length;
    const runs = wave.map(async (task, k) => {
      try {
        results[from + k] = await task.run(new ReplicaSlot(batcher).laneOn(engine));
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

/**
 * How a replica's scheduler is put on its lanes (`onLanes` of wire.ts's withEngine on the GPU; a twin
 * scheduler on the CPU replica engines in tests). `lane` is the replica's lane of the default engine.
 */
export type LaneWrap = (lane: Lane, scheduler: Scheduler, profile: string, options: Record<string, unknown>, scenario: Scenario) => Scheduler;

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
 * wrapped onto its lanes by `wrap`; rows equal runReplica's, replica by replica.
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
 * every replica's scheduler is the one wire.ts gives it (withEngine) put on its lanes (`onLanes`):
 * FrameworkEvaluator profiles on the GpuEngine's kernels, HAMi profiles on its HAMi evaluator, Volcano profiles on a
 * Volcano engine of its device; one dispatch scores the pending decisions of every replica with the same engine,
 * cluster family and kernel spec. Profiles without a kernel run alongside on the CPU. Rows equal the sequential
 * sweep's; a replica that throws does not stop the others, and the error names it.
 */
export async function sweepOnGpu(sel: EngineSelection, gpu: GpuEngine, scenario: Scenario, replicas: readonly Replica[]): Promise<{ rows: ReplicaRow[]; statuses: EngineStatus[]; stats: LockstepSimStats }> {
  const engines = gpuLockstepEngines(gpu);
  let out: LockstepOutcome<LockstepReplica>;
  try {
    out = await sweepLockstep(gpu, scenario, replicas, (lane, x, profile, options, s) => onLanes(withEngine(sel, x, { profile, options }, s), lane, engines));
  } finally {
    engines.destroy();
  }
  const { results, failures, stats } = out;
  if (failures.length) {
    const msg = failures.map((f) => `replica ${f.name}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
    throw new Error(`${failures.length} of ${replicas.length} sweep replicas failed (the others finished): ${msg}`, { cause: failures[0].error });
  }
  return { rows: results.map((r) => r!.row), statuses: distinctStatuses(results.map((r) => engineStatusOf(sel, r!.scheduler)), sel), stats };
}

/**
 * One openb replay as a lockstep task: its policy, when it has a kernel, runs as a FrameworkEvaluator on the
 * replay's lane; a policy without one runs on the CPU alongside. `then` turns the result into the task's value
 * as the replay finishes (the browser paper grid's rows stream back one by one).
 */
export function openbReplayTask<T = ReturnType<typeof replayOpenb>>(o: ReplayOptions, then: (r: ReturnType<typeof replayOpenb>) => T = (r) => r as T): LockstepTask<T> {
  return {
    name: `${o.policy} seed ${o.seed}`,
    run: async (lane) =>
      then(
        await replayAsync(o, (s, scenario) => {
          const spec = s instanceof FrameworkScheduler ? kernelSpecFor(o.policy, undefined, scenario) : null;
          return spec ? useEvaluator(s as FrameworkScheduler, new FrameworkEvaluator(spec, lane)) : s;
        }),
      ),
  };
}

/**
 * openb replays (sched/frag/replay.ts; seeds × policies) in lockstep on one replica engine (the GpuEngine): every
 * replay is a task whose policy, when it has a kernel, runs as an FrameworkEvaluator on the replay's lane, so one
 * dispatch scores the next pod of every replay sharing a kernel spec. Policies without a kernel run alongside on
 * the CPU. Results equal replayOpenb's, in input order (test/parity/lockstep.parity.test.ts); a replay that throws
 * fails the whole run.
 */
export async function replayOpenbLockstep(engine: ReplicaEngine, runs: readonly ReplayOptions[]): Promise<{ results: ReturnType<typeof replayOpenb>[]; stats: LockstepSimStats }> {
  const { results, failures, stats } = await runLockstep(engine, runs.map((o) => openbReplayTask(o)));
  if (failures.length) throw new Error(`openb replay ${failures[0].name} failed: ${failures[0].error instanceof Error ? failures[0].error.message : String(failures[0].error)}`, { cause: failures[0].error });
  return { results: results.map((r) => r!), stats };
}
