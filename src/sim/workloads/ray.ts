/**
 * The simulator's KubeRay process: a RayCluster (head + worker groups) with the Ray autoscaler. Ray tasks arrive
 * as a Poisson stream and run on idle ready workers of the task group while the head runs; every
 * RAY_AUTOSCALER_PERIOD_S pending tasks add workers (up to maxReplicas) and workers idle for idleTimeoutSeconds
 * leave (down to minReplicas). A task on a worker that goes away is retried. Under Volcano the cluster is one gang.
 */
import type { Rng } from '../../core/rng.ts';
import type { Pod } from '../../model/pod.ts';
import type { RestoredRayCluster } from '../../scenario/restore.ts';
import { rayGangMin, rayPodRequest } from '../setup.ts';
import { Prio, queuePoissonArrival, type PodRt, type SimHost, type WorkloadProcess } from './host.ts';

/** Ray autoscaler update interval, seconds. */
export const RAY_AUTOSCALER_PERIOD_S = 10;
/** Percent of one GPU (GPU_CORES), as a hot-path constant. */
const CORES = 100;

/** A task arrives; a task on a worker ends; the Ray autoscaler's tick (all clusters). */
export type RayEvent = { k: 'rayTask'; rc: number } | { k: 'rayTaskDone'; pod: Pod; token: number } | { k: 'rayScale' };

/** A RayCluster and its Ray autoscaler state. */
interface RayCluster {
  spec: RestoredRayCluster;
  workload: number;
  gang: number;
  gangMin: number;
  head: Pod | null;
  /** Worker pods alive (pending or bound), per group. */
  groups: { pods: Pod[]; seq: number }[];
  taskGroup: number;
  /** Arrival times of tasks waiting for a worker, FIFO. */
  queue: number[];
  /** Task arrival time per busy worker uid. */
  busy: Map<number, number>;
  /** When each idle ready worker became idle. */
  idleSince: Map<number, number>;
  rng: Rng;
}

/** The RayClusters of a run. */
export class RayProcess implements WorkloadProcess {
  private readonly rays: RayCluster[] = [];
  /** Cluster index of each RayCluster workload. */
  private readonly rayOf = new Map<number, number>();
  /** Worker group of each RayCluster pod (−1 = head), by uid. */
  private readonly groupOf = new Map<number, number>();

  constructor(private readonly host: SimHost) {
    host.scenario.workloads.forEach((w, wi) => {
      if (w.kind !== 'raycluster') return;
      const taskGroup = Math.max(0, w.workerGroups.findIndex((g) => g.name === w.taskGroup));
      this.rayOf.set(wi, this.rays.length);
      this.rays.push({ spec: w, workload: wi, gang: -1, gangMin: rayGangMin(w), head: null, groups: w.workerGroups.map((g) => ({ pods: [], seq: g.replicas })), taskGroup, queue: [], busy: new Map(), idleSince: new Map(), rng: host.setup.workloadRng.fork(`ray:${wi}`) });
    });
  }

  /** Takes a planned head or worker pod into its cluster; returns the cluster index. */
  adopt(pod: Pod): number {
    const owner = this.rayOf.get(pod.workload)!;
    const rc = this.rays[owner];
    rc.gang = pod.gang;
    if (pod.name === `${rc.spec.name}-head`) {
      rc.head = pod;
      this.groupOf.set(pod.uid, -1);
    } else {
      const gi = rc.spec.workerGroups.findIndex((g) => pod.name.startsWith(`${rc.spec.name}-${g.name}-`));
      rc.groups[gi].pods.push(pod);
      this.groupOf.set(pod.uid, gi);
    }
    return owner;
  }

  /** Queues each cluster's first task and the first autoscaler tick (at 0) when there are clusters. */
  start(): void {
    this.rays.forEach((rc, i) => this.scheduleTask(i, rc.spec.arrivalS));
    if (this.rays.length) this.host.at(0, Prio.Autoscale, { k: 'rayScale' });
  }

  /** Number of RayClusters. */
  get count(): number {
    return this.rays.length;
  }

  /** Tasks waiting for a worker, all clusters. */
  tasksWaiting(): number {
    return this.rays.reduce((a, rc) => a + rc.queue.length, 0);
  }

  onBound(pod: Pod, rt: PodRt, tS: number): void {
    rt.ready = false;
    const head = this.groupOf.get(pod.uid) === -1;
    const w = this.host.scenario.workloads[pod.workload] as RestoredRayCluster;
    this.host.at(tS + (head ? 0 : w.workerStartupS), Prio.Ready, { k: 'ready', pod, token: rt.token });
  }

  onReady(pod: Pod, rt: PodRt): void {
    const rc = this.rays[rt.owner];
    if (this.groupOf.get(pod.uid)! >= 0) rc.idleSince.set(pod.uid, this.host.nowS);
    this.dispatch(rt.owner);
  }

  onUnbound(pod: Pod, rt: PodRt): void {
    const rc = this.rays[rt.owner];
    const task = rc.busy.get(pod.uid);
    if (task !== undefined) {
      // The task was running on a worker that went away: Ray retries it.
      rc.busy.delete(pod.uid);
      rc.queue.unshift(task);
    }
    rc.idleSince.delete(pod.uid);
  }

  /** Runs one of the RayClusters' events. */
  handle(ev: RayEvent): void {
    const h = this.host;
    switch (ev.k) {
      case 'rayTask': {
        const rc = this.rays[ev.rc];
        h.hash.add(h.nowS).add('Y').add(ev.rc);
        rc.queue.push(h.nowS);
        this.scheduleTask(ev.rc, h.nowS);
        this.dispatch(ev.rc);
        break;
      }
      case 'rayTaskDone': {
        const rt = h.rt[ev.pod.uid];
        if (ev.token !== rt.token || ev.pod.phase !== 'bound') return;
        const rc = this.rays[rt.owner];
        if (!rc.busy.has(ev.pod.uid)) return;
        h.hash.add(h.nowS).add('y').add(ev.pod.uid);
        rc.busy.delete(ev.pod.uid);
        rc.idleSince.set(ev.pod.uid, h.nowS);
        h.recorder.rayTasksDone++;
        rt.demandPct = 0;
        h.contention.markPod(ev.pod);
        this.dispatch(rt.owner);
        break;
      }
      case 'rayScale':
        this.rays.forEach((_, i) => this.autoscale(i));
        if (h.nowS + RAY_AUTOSCALER_PERIOD_S <= h.durationS) h.at(h.nowS + RAY_AUTOSCALER_PERIOD_S, Prio.Autoscale, { k: 'rayScale' });
        break;
    }
  }

  private scheduleTask(i: number, fromS: number): void {
    queuePoissonArrival(this.host, this.rays[i].rng, this.rays[i].spec.tasksPerHour, fromS, { k: 'rayTask', rc: i });
  }

  /** Runs waiting tasks on idle ready workers of the task group (lowest uid first); needs the head running. */
  private dispatch(i: number): void {
    const h = this.host;
    const rc = this.rays[i];
    if (!rc.head || rc.head.phase !== 'bound' || !h.rt[rc.head.uid].ready) return;
    const workers = rc.groups[rc.taskGroup].pods;
    for (const w of workers) {
      if (rc.queue.length === 0) return;
      const rt = h.rt[w.uid];
      if (w.phase !== 'bound' || !rt.ready || rc.busy.has(w.uid)) continue;
      const arrived = rc.queue.shift()!;
      rc.busy.set(w.uid, arrived);
      rc.idleSince.delete(w.uid);
      h.recorder.rayWaits.add(h.nowS - arrived);
      rt.demandPct = w.request.gpuCount > 0 ? CORES : 0;
      h.contention.markPod(w);
      h.at(h.nowS + rc.spec.taskDurationS, Prio.Release, { k: 'rayTaskDone', pod: w, token: rt.token });
    }
  }

  /**
   * The Ray autoscaler: launch workers for tasks no idle or starting worker will take (up to maxReplicas);
   * remove workers idle for idleTimeoutSeconds (newest first, down to minReplicas).
   */
  private autoscale(i: number): void {
    const h = this.host;
    const rc = this.rays[i];
    rc.spec.workerGroups.forEach((g, gi) => {
      const grp = rc.groups[gi];
      grp.pods = grp.pods.filter((p) => p.phase === 'bound' || p.phase === 'pending');
      const alive = grp.pods.length;
      if (gi === rc.taskGroup) {
        const coming = grp.pods.filter((p) => !rc.busy.has(p.uid) && (p.phase === 'pending' || !h.rt[p.uid].ready || rc.idleSince.has(p.uid))).length;
        const add = Math.min(rc.queue.length - coming, g.maxReplicas - alive);
        for (let k = 0; k < add; k++) this.addWorker(rc, gi);
      }
      const timeout = rc.spec.idleTimeoutS;
      const idle = grp.pods.filter((p) => rc.idleSince.has(p.uid) && h.nowS - rc.idleSince.get(p.uid)! >= timeout).sort((a, b) => b.uid - a.uid);
      let n = grp.pods.length;
      for (const p of idle) {
        if (n <= g.minReplicas) break;
        h.deletePod(p);
        n--;
      }
      grp.pods = grp.pods.filter((p) => p.phase === 'bound' || p.phase === 'pending');
    });
  }

  private addWorker(rc: RayCluster, gi: number): void {
    const grp = rc.groups[gi];
    const name = `${rc.spec.name}-${rc.spec.workerGroups[gi].name}-${grp.seq++}`;
    // The group is registered before the pod is queued: a same-instant cycle may bind it.
    this.groupOf.set(this.host.pods.length, gi);
    const pod = this.host.spawn(name, 'raycluster', rc.workload, rayPodRequest(rc.spec, gi), this.rays.indexOf(rc), { id: rc.gang, min: rc.gangMin });
    grp.pods.push(pod);
  }
}
