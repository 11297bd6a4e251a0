/**
 * A workbench session: one scenario, one Simulation per compared scheduler, advanced in lockstep, turned into
 * compact frames for the main thread. Pure TypeScript with no DOM and no timers, so it runs the same in the
 * worker and in Node tests. Jumping back replays from the start: a run is a pure function of (scenario, seed),
 * so the replayed state is the state the run had then, bit for bit.
 */
import type { Binding, Pod } from '../model/pod.ts';
import type { Scenario } from '../scenario/types.ts';
import { Simulation } from '../sim/simulation.ts';
import type { EngineSelection } from '../engine/wiring/select.ts';
import { engineWrap } from '../engine/wiring/wire.ts';
import {
  KIND_CODES,
  type ClusterLayout,
  type Frame,
  type FrameEvent,
  type GpuHistory,
  type GpuHistoryEntry,
  type PendingPod,
  type RunFrame,
  type WhyHere,
} from './protocol.ts';

const MAX_PENDING_SHOWN = 60;
const MAX_EVENTS_PER_FRAME = 200;
const MAX_HISTORY = 400;

/** What the session remembers about a run between frames, to report changes. */
interface RunTrack {
  sim: Simulation;
  /** Binding object each pod had at the previous frame (bindings are replaced, never mutated, on a re-bind). */
  seen: (Binding | null)[];
  /** Pods whose names the main thread already has. */
  named: Uint8Array;
  namedLen: number;
  sentSeries: number;
}

/**
 * Builds the Simulation of scheduler `index` of a scenario, as the CLI's `run` does (same seed, same options).
 * With a GPU engine selection, profiles that have a kernel schedule through it (identical decisions).
 */
export function makeSimulation(scenario: Scenario, index: number, engine?: EngineSelection | null): Simulation {
  return new Simulation(scenario, { schedulerIndex: index, keepDecisions: true, wrapScheduler: engine ? engineWrap(engine) : undefined });
}

/** A MIG instance's placement packed for the frame (RunFrame.sliceMig): start, size and compute slices, bit 15 set. */
function migCode(m: { start: number; size: number; g: number }): number {
  return 0x8000 | (m.g << 8) | (m.size << 4) | m.start;
}

/** Drives the runs of one scenario for the workbench. Throws ScenarioError from the constructor on an impossible scenario. */
export class WorkbenchSession {
  readonly scenario: Scenario;
  readonly layout: ClusterLayout;
  private runs: RunTrack[];
  private replayed = false;

  constructor(scenario: Scenario, private readonly engine: EngineSelection | null = null) {
    this.scenario = scenario;
    this.runs = this.build();
    this.layout = layoutOf(scenario, this.runs[0].sim);
  }

  private build(): RunTrack[] {
    return this.scenario.schedulers.map((_, i) => {
      const sim = makeSimulation(this.scenario, i, this.engine);
      return { sim, seen: [], named: new Uint8Array(0), namedLen: 0, sentSeries: 0 };
    });
  }

  /** Current simulated time (all runs share it). */
  get nowS(): number {
    return this.runs[0].sim.nowS;
  }

  /** The simulations (read-only use: tests and queries). */
  simulations(): readonly Simulation[] {
    return this.runs.map((r) => r.sim);
  }

  /** Advances every run to tS (clamped to the duration); never goes back. */
  advanceTo(tS: number): Frame {
    const target = Math.min(Math.max(tS, this.nowS), this.scenario.sim.durationS);
    for (const r of this.runs) if (!r.sim.isFinished) r.sim.runUntil(target);
    return this.frame();
  }

  /** advanceTo awaiting the GPU engine's cycles (the worker uses it when the engine is WebGPU). */
  async advanceToAsync(tS: number): Promise<Frame> {
    const target = Math.min(Math.max(tS, this.nowS), this.scenario.sim.durationS);
    for (const r of this.runs) if (!r.sim.isFinished) await r.sim.runUntilAsync(target);
    return this.frame();
  }

  /** seek awaiting the GPU engine's cycles. */
  async seekAsync(tS: number): Promise<Frame> {
    const target = Math.min(Math.max(0, tS), this.scenario.sim.durationS);
    if (target < this.nowS) {
      this.runs = this.build();
      this.replayed = true;
    }
    return this.advanceToAsync(target);
  }

  /** Runs the earliest next event over all runs; the others move their clocks to its time. */
  stepEvent(): Frame {
    let next = Infinity;
    for (const r of this.runs) if (!r.sim.isFinished) next = Math.min(next, r.sim.nextEventS());
    if (!Number.isFinite(next) || next > this.scenario.sim.durationS) return this.advanceTo(this.scenario.sim.durationS);
    for (const r of this.runs) {
      if (r.sim.isFinished) continue;
      if (r.sim.nextEventS() === next) r.sim.stepEvent();
      else r.sim.runUntil(next);
    }
    return this.frame();
  }

  /** Jumps to tS: forwards by running, backwards by replaying every run from the start. */
  seek(tS: number): Frame {
    const target = Math.min(Math.max(0, tS), this.scenario.sim.durationS);
    if (target < this.nowS) {
      this.runs = this.build();
      this.replayed = true;
    }
    return this.advanceTo(target);
  }

  /** The frame of the current state; reports what changed since the previous frame. */
  frame(): Frame {
    const frame: Frame = { tS: this.nowS, runs: this.runs.map((r) => this.runFrame(r)), replayed: this.replayed };
    this.replayed = false;
    return frame;
  }

  private runFrame(r: RunTrack): RunFrame {
    const sim = r.sim;
    const cluster = sim.cluster;
    const L = this.layout;
    const gpuMilli = new Uint16Array(L.totalGpus);
    const gpuMemMiB = new Uint32Array(L.totalGpus);
    const gpuUsedPct = new Uint8Array(L.totalGpus);
    const nodeCpuMilli = new Uint32Array(cluster.nodes.length);
    const nodeMemMiB = new Uint32Array(cluster.nodes.length);
    const slices: { gpu: number; uid: number; milli: number; kind: number; mig: number }[] = [];
    const names: Record<number, string> = {};
    const pods = sim.pods;
    if (r.named.length < pods.length) {
      const grown = new Uint8Array(Math.max(pods.length, r.named.length * 2));
      grown.set(r.named);
      r.named = grown;
    }
    const nameOf = (p: Pod): void => {
      if (!r.named[p.uid]) {
        r.named[p.uid] = 1;
        names[p.uid] = p.name;
      }
    };
    for (const node of cluster.nodes) {
      const off = L.nodes[node.id].gpuOffset;
      nodeCpuMilli[node.id] = node.usedCpuMilli;
      nodeMemMiB[node.id] = node.usedMemMiB;
      for (const g of node.gpus) {
        gpuMilli[off + g.index] = Math.min(g.usedMilli, 65535);
        gpuMemMiB[off + g.index] = g.usedMemMiB;
        gpuUsedPct[off + g.index] = Math.round(Math.min(100, Math.max(0, sim.gpuUsedPctAt(node.id, g.index))));
      }
      for (const p of cluster.podsOnNode[node.id]) {
        if (!p.binding) continue;
        nameOf(p);
        for (const b of p.binding.gpus) slices.push({ gpu: off + b.gpu, uid: p.uid, milli: b.milli, kind: KIND_CODES.indexOf(p.kind), mig: b.mig ? migCode(b.mig) : 0 });
      }
    }
    slices.sort((a, b) => a.gpu - b.gpu || a.uid - b.uid);
    const n = slices.length;
    const sliceGpu = new Uint32Array(n);
    const sliceUid = new Uint32Array(n);
    const sliceMilli = new Uint16Array(n);
    const sliceKind = new Uint8Array(n);
    // issue 17: MIG placements, only when a booking holds an instance (other runs send no array)
    const sliceMig = slices.some((s) => s.mig !== 0) ? Uint16Array.from(slices, (s) => s.mig) : undefined;
    slices.forEach((s, i) => {
      sliceGpu[i] = s.gpu;
      sliceUid[i] = s.uid;
      sliceMilli[i] = Math.min(s.milli, 65535);
      sliceKind[i] = s.kind;
    });
    // Changes since the previous frame: compare each pod's binding with the one seen then.
    const changes: FrameEvent[] = [];
    let dropped = 0;
    const push = (e: FrameEvent): void => {
      if (changes.length < MAX_EVENTS_PER_FRAME) changes.push(e);
      else dropped++;
    };
    for (const p of pods) {
      const before = r.seen[p.uid] ?? null;
      const now = p.binding;
      if (before === now) continue;
      r.seen[p.uid] = now;
      if (before && (!now || now !== before)) {
        const lost = !now;
        if (lost || p.phase === 'bound') {
          const type: FrameEvent['type'] =
            p.phase === 'succeeded' ? 'finish' : p.phase === 'deleted' ? 'delete' : p.lastReason.startsWith('OOMKilled') ? 'oom' : p.phase === 'pending' ? 'evict' : 'finish';
          if (lost || type === 'evict' || type === 'oom') {
            nameOf(p);
            push({ type, uid: p.uid, pod: p.name, kind: p.kind, node: before.nodeId, gpus: before.gpus.map((g) => g.gpu), reason: type === 'oom' || type === 'evict' ? p.lastReason : undefined });
          }
        }
      }
      if (now) {
        nameOf(p);
        push({ type: 'bind', uid: p.uid, pod: p.name, kind: p.kind, node: now.nodeId, gpus: now.gpus.map((g) => g.gpu) });
      }
    }
    const waiting = sim.pendingPods();
    const pending: PendingPod[] = waiting
      .slice()
      .sort((a, b) => b.priority - a.priority || a.createdS - b.createdS || a.uid - b.uid)
      .slice(0, MAX_PENDING_SHOWN)
      .map((p) => {
        nameOf(p);
        return { uid: p.uid, pod: p.name, kind: p.kind, reason: p.lastReason, attempts: p.attempts };
      });
    const seriesFrom = Math.min(r.sentSeries, sim.series.length);
    const samples = sim.series.slice(seriesFrom);
    r.sentSeries = sim.series.length;
    return {
      tS: sim.nowS,
      finished: sim.isFinished,
      traceHash: sim.traceHash(),
      summary: sim.summary(),
      gpuMilli,
      gpuMemMiB,
      gpuUsedPct,
      nodeCpuMilli,
      nodeMemMiB,
      sliceGpu,
      sliceUid,
      sliceMilli,
      sliceKind,
      ...(sliceMig ? { sliceMig } : {}),
      names,
      pendingCount: waiting.length,
      pending,
      changes,
      eventsDropped: dropped,
      seriesFrom,
      samples,
    };
  }

  /**
   * "Why here?" for a pod. A pod that was placed is explained against the cluster as it was when the cycle
   * that placed it began (a replay up to that cycle); a waiting pod against the current state.
   */
  explain(run: number, podName: string): WhyHere | null {
    const w = this.whyHere(run, podName);
    if (!w || !('now' in w)) return w;
    return { ...w.now, explanation: this.runs[run].sim.explain(podName) };
  }

  /**
   * explain() with a waiting pod's ranking from the run's engine (the GPU's top-k when the run is on the GPU
   * engine); placed pods are explained by the decision-time replay as in explain(). Same result either way.
   */
  async explainAsync(run: number, podName: string): Promise<WhyHere | null> {
    const w = this.whyHere(run, podName);
    if (!w || !('now' in w)) return w;
    return { ...w.now, explanation: await this.runs[run].sim.explainAsync(podName) };
  }

  /** explain()'s work except the explanation against the current state, which it leaves to the caller (`now`). */
  private whyHere(run: number, podName: string): WhyHere | null | { now: Omit<WhyHere, 'explanation'> } {
    const r = this.runs[run];
    if (!r) return null;
    const pod = r.sim.pods.find((p) => p.name === podName);
    if (!pod) return null;
    const decisions = r.sim.decisions.filter((d) => d.pod === podName);
    const base = {
      run,
      pod: pod.name,
      kind: pod.kind,
      phase: pod.phase,
      node: pod.binding ? r.sim.cluster.nodes[pod.binding.nodeId].name : null,
      gpus: pod.binding ? pod.binding.gpus.map((g) => g.gpu) : [],
      request: { cpuMilli: pod.request.cpuMilli, memMiB: pod.request.memMiB, gpuCount: pod.request.gpuCount, gpuMilli: pod.request.gpuMilli, gpuMemMiB: pod.request.gpuMemMiB, gpuCores: pod.request.gpuCores },
      attempts: pod.attempts,
      lastReason: pod.lastReason,
      decisions,
    };
    const lastBind = [...decisions].reverse().find((d) => d.node !== null);
    if (pod.phase === 'bound' && lastBind && pod.workload >= 0) {
      const replay = makeSimulation(this.scenario, run);
      if (lastBind.tS - 1 > 0) replay.runUntil(lastBind.tS - 1);
      let explanation = null;
      // Step through the events at the bind time; explain just before the step that places the pod.
      for (let guard = 0; guard < 1_000_000; guard++) {
        const next = replay.nextEventS();
        if (!(next <= lastBind.tS)) break;
        const p = replay.pods.find((x) => x.name === podName);
        if (p && p.phase === 'pending') explanation = replay.explain(podName);
        replay.stepEvent();
        const after = replay.pods.find((x) => x.name === podName);
        if (after && after.phase === 'bound' && replay.nowS >= lastBind.tS) break;
      }
      if (explanation) return { ...base, at: 'decision', atS: lastBind.tS, explanation };
    }
    return { now: { ...base, at: 'now', atS: r.sim.nowS } };
  }

  /** The tenant history of one GPU up to now, from a replay that checks the card after every event. */
  gpuHistory(run: number, nodeIndex: number, gpu: number): GpuHistory | null {
    const r = this.runs[run];
    const nodeNow = r?.sim.cluster.nodes[nodeIndex];
    if (!r || !nodeNow || !nodeNow.gpus[gpu]) return null;
    const until = r.sim.nowS;
    const replay = makeSimulation(this.scenario, run);
    const entries: GpuHistoryEntry[] = [];
    let truncated = false;
    let tenants = new Map<number, { pod: Pod; milli: number; memMiB: number }>();
    const check = (): void => {
      const node = replay.cluster.nodes[nodeIndex];
      const card = node.gpus[gpu];
      const next = new Map<number, { pod: Pod; milli: number; memMiB: number }>();
      for (const p of replay.cluster.podsOnNode[nodeIndex]) {
        const b = p.binding?.gpus.find((x) => x.gpu === gpu);
        if (b) next.set(p.uid, { pod: p, milli: b.milli, memMiB: b.memMiB });
      }
      const record = (action: 'in' | 'out', t: { pod: Pod; milli: number; memMiB: number }): void => {
        if (entries.length >= MAX_HISTORY) {
          truncated = true;
          return;
        }
        entries.push({ tS: replay.nowS, action, pod: t.pod.name, kind: t.pod.kind, milli: t.milli, memMiB: t.memMiB, usedMilli: card.usedMilli, usedMemMiB: card.usedMemMiB });
      };
      for (const [uid, t] of tenants) if (!next.has(uid)) record('out', t);
      for (const [uid, t] of next) if (!tenants.has(uid)) record('in', t);
      tenants = next;
    };
    check();
    while (replay.nextEventS() <= until && !truncated) {
      replay.stepEvent();
      check();
    }
    return { run, node: nodeNow.name, gpu, model: nodeNow.gpus[gpu].model, memMiB: nodeNow.gpus[gpu].memMiB, entries, truncated };
  }
}

/** The static layout of a scenario's cluster (identical for every run). */
export function layoutOf(scenario: Scenario, sim: Simulation): ClusterLayout {
  let offset = 0;
  const nodes = sim.cluster.nodes.map((n) => {
    const pool = scenario.cluster.pools.find((p) => p.name === n.pool);
    const out = { name: n.name, pool: n.pool, rack: n.rack, gpuModel: n.gpuModel, gpus: n.gpus.length, cpuMilli: n.cpuMilli, memMiB: n.memMiB, topology: pool?.topology ?? n.topology, gpuOffset: offset };
    offset += n.gpus.length;
    return out;
  });
  const gpuMemMiB = new Uint32Array(offset);
  const gpuNuma = new Uint8Array(offset);
  sim.cluster.nodes.forEach((n, i) => {
    for (const g of n.gpus) {
      gpuMemMiB[nodes[i].gpuOffset + g.index] = g.memMiB;
      gpuNuma[nodes[i].gpuOffset + g.index] = g.numa;
    }
  });
  return {
    scenarioName: scenario.name,
    durationS: scenario.sim.durationS,
    metricsStepS: scenario.sim.metricsStepS,
    seed: sim.setup.seed,
    nodes,
    totalGpus: offset,
    gpuMemMiB,
    gpuNuma,
    runs: scenario.schedulers.map((s) => ({ label: s.label ?? s.profile, profile: s.profile })),
  };
}
