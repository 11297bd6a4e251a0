/**
 * The simulator's batch and trace process: a batch pod runs for its workload's duration, a trace pod until its
 * trace deletion time (or all run), using `gpuUtilization` of the GPU it booked. Pods existing before the run
 * (scenario.existingPods, workload −1) are batch pods that never end and use their whole booking.
 */
import type { Pod } from '../../model/pod.ts';
import { Prio, type PodRt, type SimHost, type WorkloadProcess } from './host.ts';

/** A batch or trace pod's run ends (stale when its token moved on). */
export type BatchEvent = { k: 'finish'; pod: Pod; token: number };

/** Batch, trace and existing pods. */
export class BatchProcess implements WorkloadProcess {
  /**
   * Per trace workload, its pods' lifetimes by name (the first pod of a name, as a search in order finds it): a
   * search per bind was quadratic in the trace (the full openb trace: 10,763 pods, half the simulation's time).
   */
  private readonly lifetimes = new Map<number, Map<string, number>>();

  constructor(private readonly host: SimHost) {}

  /** The trace pod's lifetime (deletion − creation, at least 1 s), or Infinity when it has no deletion time. */
  private lifetimeS(workload: number, w: { pods: readonly { name: string; creationS: number; deletionS?: number }[] }, name: string): number {
    let byName = this.lifetimes.get(workload);
    if (!byName) {
      byName = new Map();
      for (const tp of w.pods) if (!byName.has(tp.name)) byName.set(tp.name, tp.deletionS !== undefined ? Math.max(1, tp.deletionS - tp.creationS) : Infinity);
      this.lifetimes.set(workload, byName);
    }
    return byName.get(name) ?? Infinity;
  }

  /** Batch and trace pods keep no state of their own (owner −1). */
  adopt(): number {
    return -1;
  }

  onBound(pod: Pod, rt: PodRt, tS: number): void {
    rt.ready = true;
    const w = this.host.scenario.workloads[pod.workload];
    let duration = Infinity;
    if (w?.kind === 'batch') duration = w.durationS;
    else if (w?.kind === 'trace') duration = this.lifetimeS(pod.workload, w, pod.name);
    const util = w && (w.kind === 'batch' || w.kind === 'trace') ? w.gpuUtilization : 1;
    rt.demandPct = pod.request.gpuCount > 0 ? (pod.request.gpuMilli / 10) * util : 0;
    if (Number.isFinite(duration)) this.host.at(tS + duration, Prio.Release, { k: 'finish', pod, token: rt.token });
  }

  onReady(): void {}

  onUnbound(): void {}

  /** The pod's run is over: it succeeds. */
  onFinish(ev: BatchEvent): void {
    const h = this.host;
    if (ev.token !== h.rt[ev.pod.uid].token || ev.pod.phase !== 'bound') return;
    h.hash.add(h.nowS).add('F').add(ev.pod.uid);
    h.release(ev.pod, 'succeeded');
  }
}
