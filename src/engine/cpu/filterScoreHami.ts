/**
 * TypeScript twin of `shaders/filterScoreHami.wgsl` (same packing, same order of checks) and the CPU HAMi engine.
 *
 * Per (pod, node), for a pod with a HAMi request and no HAMi annotations (HamiEvaluator sends the others to
 * HamiScheduler's plugin path):
 * 1. kube-scheduler's filters of the HAMi profiles (src/sched/hami/scheduler.ts): NodeResourcesFit ignoring
 *    `nvidia.com/gpu` (pods, cpu, memory: every reason), then GPU-model affinity → INFEASIBLE | kube bits;
 * 2. HAMi's Fit (HAMi v2.10.0 pkg/device/nvidia/device.go Fit, fit_checks.go; src/sched/hami/fit.ts gpuFit):
 *    NodeInsufficientDevice when the node has fewer NVIDIA cards than asked, else every NVIDIA card's first failing
 *    check (health, cordon, slots, mutex, memory, cores, exclusive, compute units) and the count of passing cards.
 *    Without numa-bind the node fits iff ≥ gpuCount cards pass, whatever their order, topology-aware or not (the
 *    topology choice only picks among passing cards); on failure every card was scanned, so the reason words are
 *    the set of first failures plus AllocatedCardsInsufficientRequest when some card passed → HAMI_UNFIT | bits;
 * 3. a fitting node's key: HAMi's float32 node score (node_policy.go ComputeDefaultScore) on the usage before the
 *    pod, emulated bit for bit (softFloat32.ts), inverted for spread.
 */
import type { ClusterState } from '../../model/cluster.ts';
import type { PodRequest } from '../../model/pod.ts';
import { ClusterBuffers, GPU_WORDS, POD_WORDS } from '../kernels/state.ts';
import type { EvalWindow } from '../kernels/types.ts';
import { GPU_CORDONED, GPU_MEM_MASK, GPU_NOT_NVIDIA, HAMI_CONF_HEADER, HAMI_POD_WORDS, HAMI_UNFIT, SPREAD_KEY_BASE, packHamiConf, packHamiPods, type HamiDecision, type HamiEngine, type HamiKernelSpec } from '../kernels/hami.ts';
import { hamiNodeScoreBits } from './softFloat32.ts';
import { gpuBaseOf, kubeFilter, nodeRowOf } from './filterPrologue.ts';
import { reduceHami } from './selectHami.ts';

/** HAMi reason bits (HAMI_REASON_TEXT order). */
const H_NOT_HEALTH = 1 << 0;
const H_CORDONED = 1 << 1;
const H_SLICING = 1 << 5;
const H_EXCLUSIVE = 1 << 6;
const H_MEMORY = 1 << 7;
const H_CORE = 1 << 8;
const H_COMPUTE_UNITS = 1 << 9;
const H_ALLOCATED_INSUFFICIENT = 1 << 10;
const H_NODE_INSUFFICIENT = 1 << 11;

/** Packed result of pod `p` (rows of `pods` and `hamiPods`) on node `local`; `conf` = packHamiConf's table. */
export function filterScoreHami(conf: Uint32Array, nodes: Uint32Array, gpus: Uint32Array, local: number, pods: Uint32Array, hamiPods: Uint32Array, p: number): number {
  const q = p * POD_WORDS;
  const o = nodeRowOf(pods, p, local);
  // kube-scheduler: NodeResourcesFit without nvidia.com/gpu (all reasons), then GPU-model affinity.
  const infeasible = kubeFilter(nodes, o, pods, q, false);
  if (infeasible !== 0) return infeasible;
  // HAMi Fit over the node's NVIDIA cards; the node score's sums over all its cards.
  const h = p * HAMI_POD_WORDS;
  const want = hamiPods[h];
  const reqMem = hamiPods[h + 1];
  const reqPct = hamiPods[h + 2];
  const reqCores = hamiPods[h + 3];
  const split = conf[0];
  const mutex = (conf[1] & 1) === 1;
  const gbase = gpuBaseOf(pods, p, nodes, o);
  const count = nodes[o + 9];
  let nvidia = 0;
  let taken = 0;
  let bits = 0;
  let used = 0;
  let usedCores = 0;
  let cores = 0;
  let usedMem = 0;
  let mem = 0;
  for (let g = 0; g < count; g++) {
    const b = (gbase + g) * GPU_WORDS;
    const aux = conf[HAMI_CONF_HEADER + gbase + g];
    const total = aux & GPU_MEM_MASK;
    const gUsedMem = gpus[b + 1];
    const gUsedCores = gpus[b + 2];
    const gUsed = gpus[b + 3];
    const gCores = gpus[b + 5];
    used += gUsed;
    usedCores += gUsedCores;
    cores += gCores;
    usedMem += gUsedMem;
    mem += total;
    if ((aux & GPU_NOT_NVIDIA) !== 0) continue;
    nvidia++;
    if (gpus[b + 7] !== 1) {
      bits |= H_NOT_HEALTH;
      continue;
    }
    if ((aux & GPU_CORDONED) !== 0) {
      bits |= H_CORDONED;
      continue;
    }
    // bookedMemMiB: the MiB asked, else floor(total·pct/100) (as q·pct + floor(r·pct/100), no 64-bit product)
    const book = reqMem > 0 ? reqMem : reqPct > 0 ? Math.floor(total / 100) * reqPct + Math.floor(((total % 100) * reqPct) / 100) : 0;
    if (gUsed >= split) bits |= H_SLICING;
    else if (mutex && gUsed > 0) bits |= H_EXCLUSIVE;
    else if (gUsedMem > total || book > total - gUsedMem) bits |= H_MEMORY;
    else if (gUsedCores > gCores || reqCores > gCores - gUsedCores) bits |= H_CORE;
    else if (gCores === 100 && reqCores === 100 && gUsed > 0) bits |= H_EXCLUSIVE;
    else if (gCores !== 0 && gUsedCores === gCores && reqCores === 0) bits |= H_COMPUTE_UNITS;
    else taken++;
  }
  if (want > nvidia) return (HAMI_UNFIT | H_NODE_INSUFFICIENT) >>> 0;
  if (taken < want) return (HAMI_UNFIT | bits | (taken > 0 ? H_ALLOCATED_INSUFFICIENT : 0)) >>> 0;
  const score = hamiNodeScoreBits(used, split * count, usedCores, cores, usedMem, mem);
  return (conf[1] & 2) !== 0 ? SPREAD_KEY_BASE - score : score;
}

/** The CPU HAMi engine: the twin scorer and reduceHami, synchronously. */
export class CpuHamiEngine implements HamiEngine {
  readonly kind = 'cpu' as const;
  readonly label = 'CPU (TypeScript)';
  private state: ClusterBuffers | null = null;
  private spec: HamiKernelSpec | null = null;
  private conf: Uint32Array = new Uint32Array(HAMI_CONF_HEADER);
  private fullScan = true;

  /** Binds to a cluster; the first evaluation packs every node (later ones rescan node versions). */
  attach(cluster: ClusterState, spec: HamiKernelSpec): void {
    const fresh = this.state?.cluster !== cluster;
    if (fresh) this.state = new ClusterBuffers(cluster);
    if (fresh || spec !== this.spec) this.conf = packHamiConf(spec, cluster);
    this.spec = spec;
    this.fullScan = true;
  }

  /** Marks a node changed since the last evaluation. */
  markDirty(nodeId: number): void {
    this.state?.markDirty(nodeId);
  }

  private ready(): { state: ClusterBuffers; spec: HamiKernelSpec } {
    if (!this.state || !this.spec) throw new Error('engine not attached to a cluster');
    this.state.refresh(this.fullScan);
    this.fullScan = false;
    return { state: this.state, spec: this.spec };
  }

  /** Decisions for HAMi pods against the current state, synchronously. */
  evaluateSync(pods: readonly PodRequest[], windows: readonly EvalWindow[]): HamiDecision[] {
    const { state, spec } = this.ready();
    const packed = state.packPods(pods, windows);
    const hp = packHamiPods(spec, pods);
    return pods.map((_, p) => reduceHami(state.nodeCount, windows[p], (i) => filterScoreHami(this.conf, state.nodes, state.gpus, i, packed, hp, p)));
  }

  /** Decisions for HAMi pods against the current state. */
  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[]): Promise<HamiDecision[]> {
    return Promise.resolve(this.evaluateSync(pods, windows));
  }

  /** Packed results of every (pod, node), synchronously. */
  scoreAllSync(pods: readonly PodRequest[]): Uint32Array {
    const { state, spec } = this.ready();
    const packed = state.packPods(pods);
    const hp = packHamiPods(spec, pods);
    const n = state.nodeCount;
    const out = new Uint32Array(pods.length * n);
    for (let p = 0; p < pods.length; p++) for (let i = 0; i < n; i++) out[p * n + i] = filterScoreHami(this.conf, state.nodes, state.gpus, i, packed, hp, p);
    return out;
  }

  /** Packed results of every (pod, node). */
  scoreAll(pods: readonly PodRequest[]): Promise<Uint32Array> {
    return Promise.resolve(this.scoreAllSync(pods));
  }
}
