/**
 * HAMi v2.10.0 NVIDIA Fit (pkg/device/nvidia/device.go Fit and fit_checks.go): the per-GPU filter chain over a
 * node's candidate cards in HAMi's order, scanning the sorted list from its LAST element, with the reasons counted
 * per card and the `"<count>/<#cards> <Reason>"` message; numa-bind, mutex and topology-aware selection.
 */
import { unschedulable, type Status } from '../status.ts';
import { bestCombination, combinations, worstSingle, type PairScores } from './topology.ts';
import { NVIDIA_DEVICE, Reason, type HamiAllocation, type HamiGpu, type HamiPodOptions, type HamiRequest } from './types.ts';
import { migCustomFilter } from '../mig/hamiMig.ts';

/** A comma list with entries trimmed and empty entries dropped. */
export function splitList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * `nvidia.com/use-gputype` / `nouse-gputype` (case-insensitive substrings of the card type, deny wins, blank =
 * no constraint) and `nvidia.com/vgpu-mode` (the value must contain the card's mode). A list that is not blank
 * but has no entry (`,,`) is still a constraint: an allow list then matches nothing (pkg/device/devices.go CheckType).
 */
export function gpuTypeMatches(type: string, mode: string, allowRaw: string | null, denyRaw: string | null, vgpuModeRaw: string | null = null): boolean {
  const upper = type.toUpperCase();
  if (allowRaw !== null && allowRaw.trim() !== '') {
    if (!splitList(allowRaw).some((t) => upper.includes(t.toUpperCase()))) return false;
  }
  if (denyRaw !== null) {
    const deny = splitList(denyRaw);
    if (deny.some((t) => upper.includes(t.toUpperCase()))) return false;
  }
  if (vgpuModeRaw !== null && !vgpuModeRaw.includes(mode)) return false;
  return true;
}

/**
 * `nvidia.com/use-gpuuuid` / `nouse-gpuuuid`: exact id match; both apply when both are set; blank = no
 * constraint, an allow list of only commas matches nothing (pkg/device/devices.go CheckUUID).
 */
export function gpuUuidMatches(id: string, allowRaw: string | null, denyRaw: string | null): boolean {
  if (allowRaw !== null && allowRaw.trim() !== '') {
    if (!splitList(allowRaw).includes(id)) return false;
  }
  if (denyRaw !== null && splitList(denyRaw).includes(id)) return false;
  return true;
}

/** Memory Fit books on a card: the MiB asked if > 0, else floor(total·pct/100) if a percentage is set, else 0. */
export function bookedMemMiB(req: HamiRequest, gpu: HamiGpu): number {
  if (req.memMiB > 0) return req.memMiB;
  if (req.memPercent !== null) return Math.floor((gpu.memTotalMiB * req.memPercent) / 100);
  return 0;
}

/** Cores Fit books: gpucores clamped to 100. */
export function bookedCores(req: HamiRequest): number {
  return Math.min(req.cores, 100);
}

/** True when the GPU policy names the given word as one of its comma-separated, trimmed entries (HAMi pkg/util/util.go PolicyContains). */
export function policyHas(policy: string, word: string): boolean {
  return policy.split(',').some((p) => p.trim() === word);
}

/**
 * The first failing check of one card, or null when the card fits (numa-bind is handled by the scan).
 * `queuedMemMiB`: on a MIG-mode card, the memory of this container's earlier picks on the same card.
 */
export function cardReason(gpu: HamiGpu, req: HamiRequest, opts: HamiPodOptions, phase: 'pre' | 'post', queuedMemMiB: readonly number[] = []): string | null {
  if (phase === 'pre') {
    if (!gpu.healthy) return Reason.CardNotHealth;
    if (opts.cordoned.has(gpu.id)) return Reason.CardCordoned;
    if (req.gpuType !== NVIDIA_DEVICE || !gpuTypeMatches(gpu.type, gpu.mode, opts.gpuTypeAllow, opts.gpuTypeDeny, opts.vgpuMode)) return Reason.CardTypeMismatch;
    return null;
  }
  const memMiB = bookedMemMiB(req, gpu);
  const cores = bookedCores(req);
  if (!gpuUuidMatches(gpu.id, opts.uuidAllow, opts.uuidDeny)) return Reason.CardUuidMismatch;
  if (gpu.usedSlots >= gpu.splitCount) return Reason.CardTimeSlicingExhausted;
  // mutex is a comma token of the policy (pkg/util/util.go PolicyContains), not a substring
  if (policyHas(opts.gpuPolicy, 'mutex') && gpu.usedSlots > 0) return Reason.ExclusiveDeviceAllocateConflict;
  // ResourceQuotaNotFit: we model no namespace quotas.
  if (gpu.memTotalMiB - gpu.usedMemMiB < memMiB) return Reason.CardInsufficientMemory;
  if (gpu.coresTotal - gpu.usedCores < cores) return Reason.CardInsufficientCore;
  if (gpu.coresTotal === 100 && cores === 100 && gpu.usedSlots > 0) return Reason.ExclusiveDeviceAllocateConflict;
  if (gpu.coresTotal !== 0 && gpu.usedCores === gpu.coresTotal && cores === 0) return Reason.CardComputeUnitsExhausted;
  // CustomFilterRule: a MIG-mode card needs a profile and a free placement (issue 17, sched/mig/hamiMig.ts).
  if (gpu.mode === 'mig' && gpu.mig && migCustomFilter(gpu.mig, queuedMemMiB, memMiB) === null) return Reason.CardMigTopologyInfeasible;
  return null;
}

/** Outcome of Fit on one node. */
export interface FitResult {
  fits: boolean;
  /** null when it fits; else HAMi's Unschedulable status, its reasons the distinct words in the message's order. */
  status: Status | null;
  /** The cards taken, in allocation order; on failure the partial set HAMi returns. */
  allocated: HamiAllocation[];
  /** Rejected cards counted by reason (plus NumaNotFit and AllocatedCardsInsufficientRequest). */
  reasons: Record<string, number>;
  /** Number of candidate cards (the denominator of the message). */
  cards: number;
  /** `"<count>/<#cards> <Reason>"` entries sorted and joined by ", " ("" on success). */
  message: string;
}

/** HAMi's reason message: `"<count>/<cards> <Reason>"` entries, sorted, joined by ", ". */
export function formatFitReasons(reasons: Readonly<Record<string, number>>, cards: number): string {
  return Object.entries(reasons)
    .map(([r, n]) => `${n}/${cards} ${r}`)
    .sort()
    .join(', ');
}

/** The plugin name HAMi's statuses carry (the scheduler extender). */
export const HAMI_PLUGIN = 'HAMi';

/** HAMi's Unschedulable status for per-card reason counts: the words in the order formatFitReasons lists them. */
export function fitStatus(reasons: Readonly<Record<string, number>>, cards: number): Status {
  const words = Object.entries(reasons)
    .map(([r, n]) => [`${n}/${cards} ${r}`, r])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((e) => e[1]);
  return unschedulable(HAMI_PLUGIN, ...words);
}

function allocationOf(gpu: HamiGpu, req: HamiRequest, queuedMemMiB: readonly number[] = []): HamiAllocation {
  const a: HamiAllocation = { id: gpu.id, index: gpu.index, memMiB: bookedMemMiB(req, gpu), cores: bookedCores(req) };
  if (gpu.mode === 'mig' && gpu.mig) {
    const pick = migCustomFilter(gpu.mig, queuedMemMiB, a.memMiB);
    if (pick) a.mig = pick;
  }
  return a;
}

/** On a MIG-mode card, the resolved memory of each earlier pick of this container on the same card (empty otherwise). */
function queuedOn(gpu: HamiGpu, taken: readonly HamiGpu[], req: HamiRequest): number[] {
  if (gpu.mode !== 'mig') return [];
  const out: number[] = [];
  for (const t of taken) if (t.id === gpu.id) out.push(bookedMemMiB(req, t));
  return out;
}

/** The allocations of the cards taken, in order (a MIG card taken twice gets two instances). */
function allocationsOf(taken: readonly HamiGpu[], req: HamiRequest): HamiAllocation[] {
  return taken.map((g, k) => allocationOf(g, req, queuedOn(g, taken.slice(0, k), req)));
}

/**
 * Fit for one request on a node's candidate cards, given in sorted order (ascending; the scan starts at the
 * end). Without topology-aware it stops at `gpuCount` cards; with it, it collects every fitting card and picks by
 * pair scores. numa-bind: a NUMA change drops the partial set and counts its size as NumaNotFit (not under
 * topology-aware, as HAMi counts).
 */
export function gpuFit(candidates: readonly HamiGpu[], req: HamiRequest, opts: HamiPodOptions, pairScores?: PairScores): FitResult {
  const reasons: Record<string, number> = {};
  const bump = (r: string, n = 1): void => {
    reasons[r] = (reasons[r] ?? 0) + n;
  };
  const topologyAware = policyHas(opts.gpuPolicy, 'topology-aware');
  let taken: HamiGpu[] = [];
  let prevNuma: number | null = null;
  for (let i = candidates.length - 1; i >= 0; i--) {
    const gpu = candidates[i];
    const pre = cardReason(gpu, req, opts, 'pre');
    if (pre !== null) {
      bump(pre);
      continue;
    }
    if (opts.numaBind) {
      if (prevNuma !== null && gpu.numa !== prevNuma) {
        // HAMi counts the dropped set only when its countdown moved (`k.Nums != originReq`); topology-aware never
        // counts down, so its dropped cards are not counted (pkg/device/nvidia/device.go Fit).
        if (taken.length > 0 && !topologyAware) bump(Reason.NumaNotFit, taken.length);
        taken = [];
      }
      prevNuma = gpu.numa;
    }
    const post = cardReason(gpu, req, opts, 'post', queuedOn(gpu, taken, req));
    if (post !== null) {
      bump(post);
      continue;
    }
    taken.push(gpu);
    if (!topologyAware && taken.length === req.gpuCount) {
      return { fits: true, status: null, allocated: allocationsOf(taken, req), reasons: {}, cards: candidates.length, message: '' };
    }
    // A MIG-mode card is scanned again after a pick (`if dev.Mode == "mig" { i++ }`): one card may give several instances.
    if (gpu.mode === 'mig') i++;
  }
  if (topologyAware && taken.length >= req.gpuCount && req.gpuCount > 0) {
    let chosen: HamiGpu[];
    if (taken.length === req.gpuCount) chosen = taken;
    else if (req.gpuCount === 1) chosen = [taken[worstSingle(taken.map((g) => g.id), pairScores)]];
    else {
      const combos = combinations(taken.length, req.gpuCount).map((c) => c.map((k) => taken[k]));
      chosen = combos[bestCombination(combos.map((c) => c.map((g) => g.id)), pairScores)];
    }
    return { fits: true, status: null, allocated: allocationsOf(chosen, req), reasons: {}, cards: candidates.length, message: '' };
  }
  if (taken.length > 0) bump(Reason.AllocatedCardsInsufficientRequest, taken.length);
  const status = fitStatus(reasons, candidates.length);
  return { fits: false, status, allocated: allocationsOf(taken, req), reasons, cards: candidates.length, message: formatFitReasons(reasons, candidates.length) };
}
