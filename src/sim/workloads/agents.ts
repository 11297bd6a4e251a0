/**
 * The simulator's agent process (domain.md §4): each agent session gets Poisson bursts of GPU work. An
 * `always-on` agent holds its pod all run; a `scale-to-zero` agent creates it on a burst (cold start) and
 * deletes it after an idle timeout. Burst latency = wait + work / (speed · share).
 */
import type { Rng } from '../../core/rng.ts';
import type { Pod } from '../../model/pod.ts';
import { GPU_CORES } from '../../model/units.ts';
import type { RestoredAgent } from '../../scenario/restore.ts';
import { Prio, queuePoissonArrival, type PodRt, type SimHost, type WorkloadProcess } from './host.ts';

/** A burst arrives; the running burst ends; the idle timeout of a scale-to-zero agent fires. */
export type AgentEvent = { k: 'burst'; agent: number } | { k: 'burstDone'; agent: number; token: number } | { k: 'idle'; agent: number; token: number };

/** One agent session. */
interface Agent {
  spec: RestoredAgent;
  workload: number;
  index: number;
  pod: Pod | null;
  /** Arrival times of bursts waiting to run, FIFO. */
  waiting: number[];
  busy: boolean;
  burstStartS: number;
  /** Identifies the running burst's completion event. */
  token: number;
  /** Identifies the pending idle timeout (scale-to-zero). */
  idleToken: number;
  rng: Rng;
  seq: number;
}

/** The agent sessions of a run. */
export class AgentProcess implements WorkloadProcess {
  private readonly agents: Agent[] = [];
  /** Index of each agent workload's first session. */
  private readonly agentBase = new Map<number, number>();

  constructor(private readonly host: SimHost) {
    host.scenario.workloads.forEach((w, wi) => {
      if (w.kind !== 'agent') return;
      const r = host.setup.workloadRng.fork(`agents:${wi}`);
      this.agentBase.set(wi, this.agents.length);
      for (let i = 0; i < w.count; i++) {
        this.agents.push({ spec: w, workload: wi, index: i, pod: null, waiting: [], busy: false, burstStartS: 0, token: 0, idleToken: 0, rng: r.fork(`a${i}`), seq: 0 });
      }
    });
  }

  /** Takes a planned always-on agent pod (named `<workload>-a<i>`) to its session; returns the agent index. */
  adopt(pod: Pod): number {
    const owner = this.agentBase.get(pod.workload)! + Number(pod.name.slice(pod.name.lastIndexOf('-a') + 2));
    this.agents[owner].pod = pod;
    return owner;
  }

  /** Queues every agent's first burst. */
  start(): void {
    for (let i = 0; i < this.agents.length; i++) this.scheduleBurst(i, this.agents[i].spec.arrivalS);
  }

  onBound(pod: Pod, rt: PodRt, tS: number): void {
    const w = this.host.scenario.workloads[pod.workload] as RestoredAgent;
    rt.ready = false;
    this.host.at(tS + (w.elasticity === 'scale-to-zero' ? w.coldStartS : 0), Prio.Ready, { k: 'ready', pod, token: rt.token });
  }

  onReady(_pod: Pod, rt: PodRt): void {
    this.startNextBurst(rt.owner);
  }

  onUnbound(): void {}

  /** Runs one of the agents' events. */
  handle(ev: AgentEvent): void {
    const h = this.host;
    const a = this.agents[ev.agent];
    switch (ev.k) {
      case 'burst': {
        h.hash.add(h.nowS).add('B').add(ev.agent);
        a.waiting.push(h.nowS);
        this.scheduleBurst(ev.agent, h.nowS);
        if (!a.pod) this.createPod(ev.agent);
        else {
          a.idleToken++; // cancels a pending idle timeout (not the running burst)
          this.startNextBurst(ev.agent);
        }
        break;
      }
      case 'burstDone': {
        if (ev.token !== a.token || !a.busy) return;
        h.hash.add(h.nowS).add('D').add(ev.agent);
        a.busy = false;
        if (a.pod) {
          h.rt[a.pod.uid].demandPct = 0;
          h.contention.markPod(a.pod);
        }
        this.startNextBurst(ev.agent);
        if (!a.busy && a.waiting.length === 0 && a.spec.elasticity === 'scale-to-zero' && a.pod) {
          h.at(h.nowS + a.spec.idleTimeoutS, Prio.Release, { k: 'idle', agent: ev.agent, token: a.idleToken });
        }
        break;
      }
      case 'idle': {
        if (ev.token !== a.idleToken || a.busy || a.waiting.length > 0 || !a.pod) return;
        h.hash.add(h.nowS).add('I').add(ev.agent);
        const pod = a.pod;
        a.pod = null;
        h.deletePod(pod);
        break;
      }
    }
  }

  private scheduleBurst(i: number, fromS: number): void {
    queuePoissonArrival(this.host, this.agents[i].rng, this.agents[i].spec.burstsPerHour, fromS, { k: 'burst', agent: i });
  }

  private createPod(i: number): void {
    const a = this.agents[i];
    a.pod = this.host.spawn(`${a.spec.name}-a${a.index}-${a.seq++}`, 'agent', a.workload, this.host.requestOf(a.workload), i);
  }

  /** Starts the agent's next waiting burst if its pod is ready: service time = work / (speed · share). */
  private startNextBurst(i: number): void {
    const h = this.host;
    const a = this.agents[i];
    const pod = a.pod;
    if (a.busy || a.waiting.length === 0 || !pod || !h.rt[pod.uid].ready) return;
    const arrivedS = a.waiting.shift()!;
    a.busy = true;
    a.token++;
    const rt = h.rt[pod.uid];
    rt.demandPct = GPU_CORES;
    h.contention.markPod(pod);
    h.contention.flush();
    const share = Math.max(rt.availPct, 1e-6) / GPU_CORES;
    const serviceS = a.spec.burstGpuS / (rt.speed * share);
    const doneS = h.nowS + Math.max(1, Math.ceil(serviceS));
    h.recorder.bursts.add(doneS - arrivedS);
    h.at(doneS, Prio.Release, { k: 'burstDone', agent: i, token: a.token });
  }
}
