/**
 * Replicas in lockstep: R independent openb replays (sched/frag/replay.ts; seeds × policies) advance together,
 * each placing its next pod, and every replica whose policy has a kernel is scored in ONE dispatch per step
 * (GpuEngine.attachReplicas/evaluateReplicas: the replicas' clusters sit side by side in the node and GPU
 * buffers); decisions are read back once per step. Replicas without a kernel run as usual on the CPU.
 * Results equal replayOpenb's for every replica (test/parity/lockstep.parity.test.ts).
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { replayOpenb, replaySteps, type ReplayOptions, type ReplayStep } from '../../sched/frag/replay.ts';
import type { CycleResult } from '../../sched/framework.ts';
import { FrameworkScheduler } from '../../sched/runner.ts';
import { EngineScheduler, type Step } from '../evaluator/engineScheduler.ts';
import type { GpuEngine } from '../gpu/gpuEngine.ts';
import { kernelSpecFor } from '../kernels/specs.ts';
import type { Decision, Engine, EvalWindow, KernelSpec } from '../kernels/types.ts';

type ReplayResultOf = ReturnType<typeof replayOpenb>;

/** The Engine a replica's EngineScheduler sees: bookkeeping goes to its slot in the shared GPU engine. */
function replicaView(gpu: GpuEngine, r: number): Engine {
  return {
    kind: 'gpu',
    label: gpu.label,
    attach: () => gpu.rescan(),
    markDirty: (nodeId) => gpu.markReplicaDirty(r, nodeId),
    evaluate: () => Promise.reject(new Error('lockstep replicas are evaluated by the lockstep driver')),
    scoreAll: () => Promise.reject(new Error('lockstep replicas are evaluated by the lockstep driver')),
    destroy: () => undefined,
  };
}

interface Lane {
  outer: Generator<ReplayStep, ReplayResultOf, CycleResult>;
  started: boolean;
  inner: Generator<Step, CycleResult, Decision> | null;
  /** The evaluation this lane waits for. */
  request: Step | null;
  result: ReplayResultOf | null;
  cluster: ClusterState | null;
  /** The lane's kernel spec and slot among its spec's replicas, when its policy has a kernel. */
  spec: KernelSpec | null;
  slot: number;
}

/**
 * Moves a lane forward until it needs an evaluation or finishes: feeds `decision` to its waiting cycle, runs
 * schedulers without a kernel synchronously (cycle), and opens the next engine cycle's generator.
 */
function pump(lane: Lane, decision?: Decision): void {
  let cycle: CycleResult | undefined;
  if (lane.inner) {
    const x = lane.inner.next(decision!);
    if (!x.done) {
      lane.request = x.value;
      return;
    }
    lane.inner = null;
    cycle = x.value;
  }
  for (;;) {
    const o = lane.started ? lane.outer.next(cycle!) : lane.outer.next();
    lane.started = true;
    if (o.done) {
      lane.result = o.value;
      lane.request = null;
      return;
    }
    const step = o.value;
    lane.cluster = step.ctx.cluster;
    if (step.scheduler instanceof EngineScheduler) {
      const inner = step.scheduler.cycleSteps([step.pod], step.ctx);
      const x = inner.next();
      if (!x.done) {
        lane.inner = inner;
        lane.request = x.value;
        return;
      }
      cycle = x.value;
    } else {
      cycle = step.scheduler.cycle([step.pod], step.ctx);
    }
  }
}

/** Statistics of a lockstep run (for the CLI line and the benchmark). */
export interface LockstepStats {
  replicas: number;
  /** Replicas scored on the GPU (their policy has a kernel). */
  onGpu: number;
  /** Dispatches (= readbacks) issued. */
  dispatches: number;
  /** Candidates scored over all dispatches. */
  candidates: number;
}

/**
 * Runs replays in lockstep on one GPU engine; returns their results in input order. Replicas whose policy has
 * no kernel run on the CPU (synchronously, while their lane is opened).
 */
export async function replayOpenbLockstep(gpu: GpuEngine, runs: readonly ReplayOptions[]): Promise<{ results: ReplayResultOf[]; stats: LockstepStats }> {
  const specs = new Map<string, KernelSpec | null>();
  const slots = new Map<KernelSpec, number>();
  const lanes: Lane[] = runs.map((o) => {
    const lane: Lane = { outer: null as never, started: false, inner: null, request: null, result: null, cluster: null, spec: null, slot: -1 };
    lane.outer = replaySteps(o, (s, scenario) => {
      if (!specs.has(o.policy)) specs.set(o.policy, kernelSpecFor(o.policy, undefined, scenario));
      const spec = specs.get(o.policy)!;
      if (!spec || !(s instanceof FrameworkScheduler)) return s;
      lane.spec = spec;
      lane.slot = slots.get(spec) ?? 0;
      slots.set(spec, lane.slot + 1);
      return new EngineScheduler(s, spec, replicaView(gpu, lane.slot), gpu.label);
    });
    pump(lane);
    return lane;
  });
  const stats: LockstepStats = { replicas: runs.length, onGpu: lanes.filter((l) => l.spec).length, dispatches: 0, candidates: 0 };
  for (const spec of slots.keys()) {
    const group = lanes.filter((l) => l.spec === spec).sort((a, b) => a.slot - b.slot);
    gpu.attachReplicas(group.map((l) => l.cluster!), spec);
    for (;;) {
      const live = group.filter((l) => l.request);
      if (live.length === 0) break;
      const pods: PodRequest[] = live.map((l) => l.request!.pod.request);
      const windows: EvalWindow[] = live.map((l) => l.request!.window);
      const decisions = await gpu.evaluateReplicas(pods, windows, live.map((l) => l.slot));
      stats.dispatches++;
      stats.candidates += pods.length * live[0].cluster!.nodes.length;
      live.forEach((l, k) => pump(l, decisions[k]));
    }
  }
  return { results: lanes.map((l) => l.result!), stats };
}
