/**
 * How tenants share a GPU (domain.md §4): processor sharing with HAMi's `gpucores` as a soft limit, the compute
 * each tenant gets and the cluster uses, and time-slicing's missing memory isolation (OOM kills). The simulation
 * marks the nodes whose tenants changed; `flush()` recomputes them before the next event runs.
 */
import type { ClusterState, GpuState, NodeState } from '../model/cluster.ts';
import type { GpuBooking, Pod } from '../model/pod.ts';
import { GPU_MILLI } from '../model/units.ts';
import type { SimHost } from './workloads/host.ts';
import type { InferenceProcess } from './workloads/inference.ts';
import type { TrainingProcess } from './workloads/training.ts';
import { pow2 } from '../core/detMath.ts';

/** Percent of one GPU (GPU_CORES), as a hot-path constant. */
const CORES = 100;
/** CrashLoopBackOff after an OOM kill: 10 s doubling up to 300 s. */
const BACKOFF_BASE_S = 10;
const BACKOFF_MAX_S = 300;

/** GPU memory a pod really uses on a card: its gpumem, else its share of the card. */
export function realMemMiB(pod: Pod, g: GpuState): number {
  if (pod.request.gpuMemMiB > 0) return pod.request.gpuMemMiB;
  return Math.floor((g.memMiB * pod.request.gpuMilli) / GPU_MILLI);
}

/** Compute cap of a tenant on a card: its gpucores limit where one is booked, else the whole card. */
function capPct(booking: GpuBooking): number {
  return booking.cores > 0 ? Math.min(booking.cores, CORES) : CORES;
}

/** The GPU sharing model of one run: per-card used compute, each tenant's available compute, OOM kills. */
export class Contention {
  /** Compute used per card, percent (replicas alone on their cards excluded: see PodRt.alone). */
  private readonly gpuUsedPct: Float64Array[];
  /** Σ of gpuUsedPct. */
  private usedPctTotal = 0;
  /** Σ over services of aloneUsed: compute used by replicas alone on their cards. */
  aloneUsedTotal = 0;
  /** Nodes whose cards must be recomputed (flush), without duplicates; order does not matter (sorted on flush). */
  private dirtyNodes: number[] = [];
  private readonly dirtyMark: Uint8Array;
  /** The node list being flushed (swapped with dirtyNodes), the jobs seen on it and their marks. */
  private flushingNodes: number[] = [];
  private readonly flushJobs: number[] = [];
  private flushJobMark = new Uint8Array(0);
  private readonly scratchCap = new Float64Array(64);
  private readonly scratchDemand = new Float64Array(64);
  private readonly scratchUsed = new Float64Array(64);
  private readonly scratchTenants = new Int32Array(64);
  private readonly cluster: ClusterState;
  /** Set once the processes exist (they are built after the contention model). */
  private training!: TrainingProcess;
  private inference!: InferenceProcess;

  constructor(private readonly host: SimHost) {
    this.cluster = host.cluster;
    this.gpuUsedPct = this.cluster.nodes.map((n) => new Float64Array(n.gpus.length));
    this.dirtyMark = new Uint8Array(this.cluster.nodes.length);
  }

  /** Connects the processes whose state flush() updates (training rates, inference aloneness). */
  connect(training: TrainingProcess, inference: InferenceProcess): void {
    this.training = training;
    this.inference = inference;
  }

  /** Compute used on the whole cluster right now, percent of one GPU. */
  usedPct(): number {
    return this.usedPctTotal + this.aloneUsedTotal;
  }

  /** Marks a node's cards for recomputation. */
  markNode(nodeId: number): void {
    if (this.dirtyMark[nodeId]) return;
    this.dirtyMark[nodeId] = 1;
    this.dirtyNodes.push(nodeId);
  }

  /** Marks the node of a bound pod with GPUs for recomputation. */
  markPod(pod: Pod): void {
    const b = pod.binding;
    if (!b) return;
    if (b.gpus.length) this.markNode(b.nodeId);
  }

  /**
   * Recomputes the nodes of dirty GPUs. The GPU is processor-shared, and `gpucores` is a soft limit (HAMi's
   * default token bucket): a tenant is guaranteed its weighted share 100·cap/Σcap of the active tenants, and
   * gets whatever its neighbours leave idle on average, avail = max(share, 100 − Σ others' demand) ≤ 100
   * (a mean-field approximation of sharing over time); used = Σ min(demand, avail) ≤ 100. A pod's
   * availability is its least available GPU. Training jobs on changed nodes get their progress rate recomputed.
   */
  flush(): void {
    if (this.dirtyNodes.length === 0) return;
    // Swap the marked list with the spare one (nothing is marked while flushing, but the list stays fresh).
    const nodes = this.dirtyNodes;
    this.dirtyNodes = this.flushingNodes;
    this.flushingNodes = nodes;
    if (nodes.length > 1) nodes.sort((a, b) => a - b);
    for (const id of nodes) this.dirtyMark[id] = 0;
    // Training jobs on the flushed nodes, as a marked list (ascending order restored below).
    const jobCount = this.training.jobs.length;
    if (this.flushJobMark.length < jobCount) this.flushJobMark = new Uint8Array(jobCount);
    const jobs = this.flushJobs;
    const jobMark = this.flushJobMark;
    const capSum = this.scratchCap;
    const demandSum = this.scratchDemand;
    const used = this.scratchUsed;
    const tenants = this.scratchTenants;
    const rts = this.host.rt;
    for (const nodeId of nodes) {
      const node = this.cluster.nodes[nodeId];
      const pods = this.cluster.podsOnNode[nodeId];
      const n = node.gpus.length;
      for (let g = 0; g < n; g++) {
        capSum[g] = 0;
        demandSum[g] = 0;
        used[g] = 0;
        tenants[g] = 0;
      }
      for (const p of pods) {
        const rt = rts[p.uid];
        const active = rt.demandPct > 0 || (p.kind === 'inference' && rt.ready);
        const d = Math.min(rt.demandPct, CORES);
        for (const b of p.binding!.gpus) {
          if (active) capSum[b.gpu] += capPct(b);
          demandSum[b.gpu] += d;
          tenants[b.gpu]++;
        }
      }
      for (const p of pods) {
        const rt = rts[p.uid];
        const d = Math.min(rt.demandPct, CORES);
        const active = rt.demandPct > 0 || (p.kind === 'inference' && rt.ready);
        let avail = CORES;
        let alone = p.kind === 'inference' && rt.ready && p.binding!.gpus.length > 0;
        for (const b of p.binding!.gpus) if (tenants[b.gpu] !== 1 || b.mig) alone = false;
        this.inference.setAlone(p, alone);
        for (const b of p.binding!.gpus) {
          const cap = capPct(b);
          const weights = capSum[b.gpu] + (active ? 0 : cap);
          const share = weights > 0 ? (CORES * cap) / weights : CORES;
          // A MIG instance is hardware-isolated (issue 17): exactly its compute slices, whatever its neighbours do.
          const a = b.mig ? cap : Math.min(CORES, Math.max(share, CORES - (demandSum[b.gpu] - d)));
          if (!alone) used[b.gpu] += Math.min(d, a);
          if (a < avail) avail = a;
        }
        const availPct = p.binding!.gpus.length ? avail : 0;
        if (availPct !== rt.availPct) {
          rt.availPct = availPct;
          this.host.touched(p);
        }
        if (p.kind === 'training' && jobMark[rt.owner] === 0) {
          jobMark[rt.owner] = 1;
          jobs.push(rt.owner);
        }
      }
      const row = this.gpuUsedPct[nodeId];
      for (let g = 0; g < n; g++) {
        const u = Math.min(used[g], CORES);
        this.usedPctTotal += u - row[g];
        row[g] = u;
      }
    }
    nodes.length = 0;
    if (jobs.length === 0) return;
    if (jobs.length > 1) jobs.sort((a, b) => a - b);
    for (const j of jobs) jobMark[j] = 0;
    for (const j of jobs) this.training.reschedule(j);
    jobs.length = 0;
  }

  /** Compute used on a GPU right now, percent. */
  gpuUsedPctAt(nodeId: number, gpu: number): number {
    let u = this.gpuUsedPct[nodeId][gpu];
    for (const p of this.cluster.podsOnNode[nodeId]) {
      const rt = this.host.rt[p.uid];
      if (rt.alone && p.binding!.gpus.some((b) => b.gpu === gpu)) u += Math.min(rt.demandPct, CORES);
    }
    return u;
  }

  /**
   * A card has the memory it has, whatever the scheduler counted: when its tenants need more than that, the newest
   * is OOM-killed. Time-slicing books no memory at all; the FGD-family profiles place by milli-GPU share alone (the
   * ATC'23 artifact models no GPU memory, domain.md §6.4), so tenants with a `gpuMemMiB` above their share can
   * overflow a card there too. Profiles that book memory (HAMi, Volcano deviceshare, whole GPUs) never trigger it
   * unless they oversubscribe (HAMi memoryScaling > 1).
   */
  checkOom(bound: readonly Pod[]): void {
    this.checkMigOom(bound);
    if (bound.length === 0) return;
    let seen: Set<number> | null = null;
    for (const pod of bound) {
      if (!pod.binding) continue;
      const node = this.cluster.nodes[pod.binding.nodeId];
      for (const b of pod.binding.gpus) {
        // Every tenant takes at least one slot, so one slot taken means a lone tenant, which oomCard never kills.
        if (node.gpus[b.gpu].usedSlots <= 1) continue;
        seen ??= new Set<number>();
        const key = node.id * 64 + b.gpu;
        if (seen.has(key)) continue;
        seen.add(key);
        this.oomCard(node, b.gpu);
      }
    }
  }

  /**
   * issue 17: a MIG instance's memory is isolated: a pod that needs more than its instance holds (a profile pinned
   * too small) is OOM-killed and restarts after a backoff, into the same too-small instance if it gets one again.
   */
  private checkMigOom(bound: readonly Pod[]): void {
    for (const pod of bound) {
      const binding = pod.binding;
      if (!binding) continue;
      const node = this.cluster.nodes[binding.nodeId];
      for (const b of binding.gpus) {
        if (!b.mig) continue;
        const need = realMemMiB(pod, node.gpus[b.gpu]);
        if (need <= b.memMiB) continue;
        const rt = this.host.rt[pod.uid];
        const backoff = Math.min(BACKOFF_MAX_S, BACKOFF_BASE_S * pow2(rt.restarts));
        rt.restarts++;
        this.host.kill(pod, `OOMKilled in MIG instance ${b.mig.profile} on ${node.name} GPU ${b.gpu}: needs ${need} MiB of its ${b.memMiB} MiB`, this.host.nowS + backoff);
        break;
      }
    }
  }

  /** Kills the newest tenant of a card while its tenants need more memory than it has; it restarts after a backoff. */
  private oomCard(node: NodeState, gpu: number): void {
    const card = node.gpus[gpu];
    for (;;) {
      const tenants = this.cluster.podsOnNode[node.id].filter((p) => p.binding!.gpus.some((b) => b.gpu === gpu));
      const need = tenants.reduce((s, p) => s + realMemMiB(p, card), 0);
      if (need <= card.memMiB || tenants.length <= 1) return;
      // The newest tenant allocates last and hits the out-of-memory error.
      const victim = tenants.reduce((a, b) => (b.boundS > a.boundS || (b.boundS === a.boundS && b.uid > a.uid) ? b : a));
      const rt = this.host.rt[victim.uid];
      const backoff = Math.min(BACKOFF_MAX_S, BACKOFF_BASE_S * pow2(rt.restarts));
      rt.restarts++;
      this.host.kill(victim, `OOMKilled on ${node.name} GPU ${gpu}: tenants need ${need} MiB of ${card.memMiB} MiB`, this.host.nowS + backoff);
    }
  }
}
